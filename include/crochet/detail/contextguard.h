// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. Posts calls to a QObject's
// thread from any thread, safely even while that object is being destroyed.

#include <crochet/detail/tsan.h>
#include <crochet/global.h>

#include <QtCore/QMetaObject>
#include <QtCore/QObject>

#include <memory>
#include <mutex>
#include <utility>

namespace Crochet::detail {

//! Throws Error, naming \a function (e.g. "then()"), when \a context is null:
//! Qt would only warn about the connection, and the continuation would
//! silently never run.
CROCHET_EXPORT void requireContext(const QObject *context, const char *function);

/*!
    A weak, thread-safe reference to a context QObject. QPointer cannot be
    read safely from a thread other than the object's, so the guard watches
    the object's destroyed() signal and posts under a mutex that destroyed()
    also takes: a call posted before the object's destructor got there is
    removed with the object's other posted events, never run.

    Construct it while \a context is alive (from any thread).
*/
class CROCHET_EXPORT ContextGuard
{
public:
    explicit ContextGuard(QObject *context);
    ContextGuard(const ContextGuard &) = delete;
    ContextGuard &operator=(const ContextGuard &) = delete;
    ~ContextGuard();

    //! Queues \a call to run in the context's thread; false when it is gone.
    template <typename F>
    bool post(F &&call)
    {
        std::lock_guard guard(m_shared->mutex);
        if (!m_shared->context)
            return false;
        [[maybe_unused]] const HandoffPost handoff;
        return QMetaObject::invokeMethod(m_shared->context,
                                         HandedOff<std::decay_t<F>>{std::forward<F>(call), {}},
                                         Qt::QueuedConnection);
    }

private:
    //! The posted call. Qt destroys it without calling it when the context
    //! is gone, so the receiving side acquires on both paths.
    template <typename F>
    struct HandedOff
    {
        F call;
        HandoffReceiver receiver; // declared last: destroyed first
        void operator()()
        {
            handoffReceived();
            call();
        }
    };

    struct Shared
    {
        std::mutex mutex;
        QObject *context = nullptr;
    };
    std::shared_ptr<Shared> m_shared;
    QMetaObject::Connection m_connection;
};

} // namespace Crochet::detail
