// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "guiblockwarning_p.h"
#include "qtprivate_p.h"

#include <crochet/guiblockwarning.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

namespace Crochet {

namespace {

Q_LOGGING_CATEGORY(lcGui, "crochet.gui")

constexpr std::chrono::milliseconds DefaultThreshold(100);
std::atomic<std::chrono::milliseconds::rep> thresholdMs{DefaultThreshold.count()};

/*!
    Whether the calling thread is the thread of a QGuiApplication. The core
    links Qt Core only, so the application's class is recognised by its name
    (QApplication and QGuiApplication's other subclasses inherit it). Threads
    are compared by their native ids: QThread::currentThread() would make a
    thread that Qt did not create known to Qt. Other threads read the
    application object's thread as QCoreApplication::instance()->thread()
    always does, unsynchronised with its destruction: only after a wait
    longer than the threshold, not on every wait.
*/
bool isGuiThread()
{
    const QCoreApplication *app = QCoreApplication::instance();
    if (!app || detail::nativeThreadId(app->thread()) != QThread::currentThreadId())
        return false;
    // On the application's own thread: it cannot be destroyed meanwhile.
    return app->inherits("QGuiApplication");
}

/*!
    True the first time it is called for the wrap site \a at (its file and
    line), false after. The sites are kept for the life of the process
    (never destroyed: a thread may still wait while statics are torn down).
*/
bool firstTimeFor(const SourceLocation &at)
{
    using Site = std::tuple<std::string, int>;
    struct WarnedSites
    {
        std::mutex mutex;
        std::set<Site> sites;
    };
    static WarnedSites *const warned = new WarnedSites;
    std::lock_guard guard(warned->mutex);
    return warned->sites.emplace(at.fileName(), at.line()).second;
}

} // namespace

void setGuiBlockWarning(std::chrono::milliseconds threshold)
{
    thresholdMs.store(threshold.count(), std::memory_order_relaxed);
}

namespace detail {

void noteBlockedWait(SourceLocation wrappedAt,
                     std::chrono::steady_clock::time_point blockedSince) noexcept
{
    using namespace std::chrono;
    const milliseconds threshold(thresholdMs.load(std::memory_order_relaxed));
    if (threshold <= milliseconds::zero())
        return;
    const auto blocked = steady_clock::now() - blockedSince;
    if (blocked <= threshold)
        return;
    try {
        if (!isGuiThread() || !firstTimeFor(wrappedAt))
            return;
        qCWarning(lcGui).nospace().noquote()
            << "EventualResult::wait() or a waitFor() function blocked the GUI thread for "
            << duration_cast<milliseconds>(blocked).count()
            << " ms, waiting for the function wrapped at " << wrappedAt.fileName() << ':'
            << wrappedAt.line()
            << "; the GUI cannot repaint or respond meanwhile: show the outcome with then() "
               "and onFailed() instead (warned once per wrap site; the threshold, now "
            << threshold.count() << " ms, is set by Crochet::setGuiBlockWarning())";
    } catch (...) {
        // Nothing to do: the warning is advice, the wait's outcome stands.
    }
}

} // namespace detail

} // namespace Crochet
