// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "httpthreadpool_p.h"
#include "qtprivate_p.h"

#include "../core/coreservices_p.h"

#include <crochet/detail/tsan.h>
#include <crochet/network.h>

#include <QtCore/QDeadlineTimer>
#include <QtNetwork/QNetworkAccessManager>
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
#include <QtNetwork/QHttp1Configuration>
#endif
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <algorithm>
#include <utility>

namespace Crochet::detail {

namespace {

// How long stopping the threads may block the reactor, as Qt allows its own.
constexpr int StopTimeoutMs = 5000;

//! Connections Qt opens to one host from one HTTP thread.
int connectionsPerThread(const QNetworkRequest &request)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return std::max(1, int(request.http1Configuration().numberOfConnectionsPerHost()));
#else
    Q_UNUSED(request);
    return 6; // QHttpNetworkConnectionPrivate::defaultHttpChannelCount
#endif
}

//! What identifies a host to Qt's connection cache: scheme, host and port.
QString hostKey(const QUrl &url)
{
    QString scheme = url.scheme().toLower();
    if (scheme.startsWith(QLatin1String("preconnect-")))
        scheme = scheme.mid(int(sizeof("preconnect-")) - 1);
    const int port = url.port(scheme == QLatin1String("https") ? 443 : 80);
    return scheme + QLatin1String("://") + url.host().toLower() + u':' + QString::number(port);
}

class HttpThread final : public QThread
{
public:
    explicit HttpThread(int number)
    {
        setObjectName(QStringLiteral("CrochetHttp%1").arg(number));
        allowEventsWithoutApplication(this);
        m_inThread.moveToThread(this);
    }

    /*!
        Quits once the events posted to the thread so far are handled. The
        aborts just sent to its requests are such events: each deletes its
        request's connection state and closes the socket. A plain quit()
        could end the thread first, and leave those connections open for as
        long as the process lives (2 of 16 under ThreadSanitizer).
    */
    void quitAfterPostedEvents()
    {
        [[maybe_unused]] const HandoffPost handoff;
        QMetaObject::invokeMethod(
            &m_inThread,
            [this] {
                handoffReceived();
                quit();
            },
            Qt::QueuedConnection);
    }

protected:
    void run() override
    {
        exec();
        releaseThreadLibraryState();
    }

private:
    QObject m_inThread; // lives in this thread: what quitAfterPostedEvents() posts to
};

} // namespace

HttpThreadPool::HttpThreadPool(QNetworkAccessManager *manager)
    : m_manager(manager)
{}

HttpThreadPool::~HttpThreadPool()
{
    stop();
}

bool HttpThreadPool::usesHttpThread(const QNetworkRequest &request)
{
    if (request.attribute(QNetworkRequest::SynchronousRequestAttribute).toBool())
        return false; // Qt gives a synchronous request a thread of its own
    const QString scheme = request.url().scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") ||
           scheme == QLatin1String("preconnect-http") ||
           scheme == QLatin1String("preconnect-https");
}

HttpThreadPool::Route HttpThreadPool::route(const QNetworkRequest &request)
{
    QThread *managersThread = httpThreadOf(m_manager);
    if (managersThread != m_current) {
        // clearConnectionCache() or clearAccessCache(): Qt has stopped the
        // thread we gave it; stop the others so that no connection survives.
        stopThreads(m_current);
    }

    Route route{nullptr, hostKey(request.url())};
    const int perThread = connectionsPerThread(request);
    const auto usable =
        std::min(m_threads.size(), size_t((connectionsPerHost() + perThread - 1) / perThread));
    int fewest = perThread;
    for (size_t i = 0; i < usable; ++i) {
        const int inFlight = m_threads[i]->inFlight.value(route.host);
        if (inFlight < fewest || !route.thread) {
            fewest = inFlight;
            route.thread = m_threads[i];
        }
    }
    if (!route.thread || (fewest >= perThread && usable == m_threads.size() &&
                          int(usable) * perThread < connectionsPerHost())) {
        route.thread = startThread();
    }

    m_current = route.thread->thread;
    setHttpThreadOf(m_manager, m_current);
    ++route.thread->inFlight[route.host];
    return route;
}

void HttpThreadPool::track(QNetworkReply *reply, Route route)
{
    // Released once, when the reply finishes (also when aborted) or is
    // deleted unfinished, whichever comes first.
    //
    // The reactor runs these connections, but Qt may free their slot objects
    // in another thread (an HTTP thread tidying up Qt's connection lists),
    // ordered by reference counts inside Debian's Qt that ThreadSanitizer
    // cannot see. So each is made under the hand-off mutex, its call ends by
    // passing that mutex, and its destruction takes it first (tsan.h;
    // nothing of this is compiled without TSan).
    struct Release
    {
        QNetworkReply *reply;
        std::shared_ptr<Route> route;
        HandoffReceiver receiver; // declared last: destroyed first

        void operator()() const
        {
            if (const auto thread = std::exchange(route->thread, nullptr)) {
                thread->replies.remove(reply);
                const auto it = thread->inFlight.find(route->host);
                if (it != thread->inFlight.end() && --*it <= 0)
                    thread->inFlight.erase(it);
            }
            handoffReceived(); // for whichever thread frees this
        }
    };
    route.thread->replies.insert(reply);
    const Release release{reply, std::make_shared<Route>(std::move(route)), {}};
    [[maybe_unused]] const HandoffPost handoff;
    QObject::connect(reply, &QNetworkReply::finished, m_manager, release);
    QObject::connect(reply, &QObject::destroyed, m_manager, release);
}

std::shared_ptr<HttpThreadPool::Thread> HttpThreadPool::startThread()
{
    auto *thread = new HttpThread(int(m_threads.size()) + 1);
    thread->start();
    auto entry = std::make_shared<Thread>();
    entry->thread = thread;
    QObject::connect(thread, &QThread::finished, m_manager,
                     [this, weak = std::weak_ptr<Thread>(entry)] {
                         if (const auto entry = weak.lock())
                             threadFinished(entry);
                     });
    m_threads.push_back(entry);
    return entry;
}

void HttpThreadPool::threadFinished(const std::shared_ptr<Thread> &thread)
{
    if (thread->stoppedByPool)
        return;
    // Qt stopped it: clearConnectionCache() or clearAccessCache().
    if (std::find(m_threads.begin(), m_threads.end(), thread) != m_threads.end())
        stopThreads(thread->thread);
    else
        abortReplies(*thread);
}

void HttpThreadPool::abortReplies(Thread &thread)
{
    const auto replies = std::exchange(thread.replies, {});
    for (QNetworkReply *reply : replies)
        reply->abort();
}

void HttpThreadPool::stop()
{
    QThread *managersThread = httpThreadOf(m_manager);
    if (managersThread && managersThread == m_current)
        setHttpThreadOf(m_manager, nullptr); // ours to stop, not the manager's
    stopThreads(nullptr);
}

void HttpThreadPool::stopThreads(QThread *ownedByQt)
{
    std::vector<QThread *> stopping;
    for (const auto &entry : m_threads) {
        abortReplies(*entry);
        if (entry->thread && entry->thread != ownedByQt) {
            entry->stoppedByPool = true;
            static_cast<HttpThread *>(entry->thread.data())->quitAfterPostedEvents();
            stopping.push_back(entry->thread);
        }
    }
    const QDeadlineTimer deadline(StopTimeoutMs);
    for (QThread *thread : stopping) {
        if (thread->wait(deadline))
            delete thread;
        else
            QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    }
    m_threads.clear();
    m_current = nullptr;
}

} // namespace Crochet::detail
