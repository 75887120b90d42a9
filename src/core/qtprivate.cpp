// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Every use of Qt's private API by the core, and why (the network layer's
// one use is in src/network/qtprivate.cpp; doc/design.md lists them all).
//
// Qt 6.4 delivers no event at all (no posted event, timer, socket notifier
// or queued signal) in a QThread while no QCoreApplication exists:
// QCoreApplication::notifyInternal2() drops them, and QEventLoop refuses to
// start ("QEventLoop: Cannot be used without QApplication"). Qt's own
// QDaemonThread, used for threads that outlive the application, lifts this
// by clearing QThreadData::requiresCoreApplication on the thread itself.
// The reactor thread does the same, so that Crochet works in a plain main()
// with std::threads, and keeps working while an application object is
// destroyed before the reactor stops.
//
// The same file holds the two other places where Qt 6.4 needs private API
// for a thread that Qt did not create: reading a thread's native id, and
// not letting a worker that calls setup() become Qt's "main thread".

#include "qtprivate_p.h"

#include <QtCore/QtGlobal>

#if QT_VERSION < QT_VERSION_CHECK(6, 4, 0) || QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
#error "src/core/qtprivate.cpp uses QThreadData::requiresCoreApplication and threadId and \
QCoreApplicationPrivate::theMainThread as Qt 6.4 to 6.8 define them: check them in this Qt's \
qthread_p.h and qcoreapplication_p.h (and the main-thread bookkeeping in qthread_unix.cpp and \
qcoreapplication.cpp), then widen this range"
#endif

#include <QtCore/private/qcoreapplication_p.h>
#include <QtCore/private/qthread_p.h>

#include <sys/syscall.h>
#include <unistd.h>

namespace Crochet::detail {

namespace {

/*!
    The thread data of \a thread. QThreadData::current() is not exported
    from release builds of Qt, so it is reached through the thread's private
    object. The cast is exempt from UBSan's vptr check, whatever flags the
    library is built with: the check needs the typeinfo of QThreadPrivate,
    which Qt does not export, and the link would fail.
*/
__attribute__((no_sanitize("vptr"))) QThreadData *threadDataOf(QThread *thread)
{
    return static_cast<QThreadPrivate *>(QObjectPrivate::get(thread))->data;
}

/*!
    Qt 6.5 and later also keep the main thread's native id
    (QCoreApplicationPrivate::theMainThreadId, which the "QApplication was
    not created in the main() thread" check reads); withdraws the calling
    thread's claim there too. Nothing on a Qt without it (6.4).
*/
template <typename Private = QCoreApplicationPrivate>
void withdrawMainThreadIdClaim()
{
    if constexpr (requires { Private::theMainThreadId; })
        Private::theMainThreadId.testAndSetRelease(QThread::currentThreadId(), nullptr);
}

} // namespace

void allowEventsWithoutApplication(QThread *thread)
{
    threadDataOf(thread)->requiresCoreApplication = false;
}

Qt::HANDLE nativeThreadId(QThread *thread)
{
    return threadDataOf(thread)->threadId.loadAcquire();
}

bool isMainThreadKnown()
{
    return QCoreApplicationPrivate::theMainThread.loadAcquire() != nullptr;
}

MainThreadClaimGuard::MainThreadClaimGuard()
    : m_unclaimed(QCoreApplicationPrivate::theMainThread.loadAcquire() == nullptr)
{}

MainThreadClaimGuard::~MainThreadClaimGuard()
{
    const bool processMainThread = ::syscall(SYS_gettid) == ::getpid();
    if (!m_unclaimed || processMainThread)
        return;
    QThread *current = QThread::currentThread();
    if (QCoreApplicationPrivate::theMainThread.testAndSetRelease(current, nullptr))
        withdrawMainThreadIdClaim();
}

} // namespace Crochet::detail
