// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. What the reactor
// (src/core/reactor.cpp) offers the templates of every layer and the
// network and QML libraries: queue a call, fail a result, own objects in the
// reactor thread, have shutdown() fail what waits. The libraries' own
// non-template needs are in src/core/coreservices_p.h.

#include <crochet/detail/resultstate.h>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Crochet::detail {

//! One call queued for the reactor thread. Holds a reference to its result.
class CROCHET_EXPORT QueuedCall
{
public:
    explicit QueuedCall(ResultStateBase *state) noexcept
        : m_state(state)
    {
        state->ref();
    }
    virtual ~QueuedCall();
    QueuedCall(const QueuedCall &) = delete;
    QueuedCall &operator=(const QueuedCall &) = delete;

    //! Reactor thread: runs the call and completes (or adopts) the result.
    //! Must not throw. Not called when the result was cancelled first.
    virtual void run() = 0;
    ResultStateBase *state() const noexcept { return m_state; }

private:
    friend class CallQueue;
    ResultStateBase *m_state;
    QueuedCall *m_next = nullptr;
};

/*!
    Queues \a call for the reactor thread, taking ownership. Any thread.
    Throws SetupError before setup()/noSetup() and ReactorStopped after
    shutdown(); the call is then deleted without running.
*/
CROCHET_EXPORT void post(QueuedCall *call);

//! Throws ReactorThreadError naming \a what when called on the reactor thread.
CROCHET_EXPORT void ensureNotReactorThread(const char *what);

//! Inside a catch block: fails \a state with the current exception and
//! whatever stack can be had.
CROCHET_EXPORT void failWithCurrentException(ResultStateBase &state) noexcept;

/*!
    Reactor thread only: a QObject that lives in the reactor thread until it
    stops, for parenting objects owned by the reactor (watchers, the network
    access manager). Destroyed, with its children, when the reactor stops.
*/
CROCHET_EXPORT QObject *reactorContext();

//! Reactor thread: \a state waits on an operation; shutdown() must fail it.
CROCHET_EXPORT void trackPending(ResultStateBase *state);
//! Reactor thread: \a state no longer waits (idempotent).
CROCHET_EXPORT void untrackPending(ResultStateBase *state);

} // namespace Crochet::detail
