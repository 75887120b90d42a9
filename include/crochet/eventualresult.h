// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file eventualresult.h
    Crochet::EventualResult<T>: the result of a runInReactor() call, and the
    result store (stash() / retrieveResult()). */

#include <crochet/detail/contextguard.h>
#include <crochet/detail/resultstate.h>
#include <crochet/errors.h>
#include <crochet/failure.h>

#include <QtCore/QDebug>
#include <QtCore/QFuture>
#include <QtCore/QFutureInterface>

#include <chrono>
#include <optional>
#include <typeinfo>

namespace Crochet {

template <typename T>
class EventualResult;

namespace detail {
struct ResultAccess;

//! Adds \a state to the result store, returns its new uid. Any thread.
CROCHET_EXPORT quint64 stashState(ResultStateBase *state, const std::type_info &type);
//! Removes uid from the store and returns its state with the store's handle
//! transferred to the caller. Throws ResultNotFound (unknown uid, wrong type).
CROCHET_EXPORT ResultStateBase *takeStashed(quint64 uid, const std::type_info &type);

//! The demangled name of \a type, e.g. "int" or "QString".
CROCHET_EXPORT QString typeNameOf(const std::type_info &type);

//! Feeds a QFutureInterface when the result completes (EventualResult::future()).
template <typename T>
class FutureListener final : public CompletionListener
{
public:
    FutureListener() { m_interface.reportStarted(); }
    QFuture<T> future() { return m_interface.future(); }

    void resultCompleted(ResultStateBase &base) override
    {
        auto &state = static_cast<ResultState<T> &>(base);
        if (state.outcome() == ResultStateBase::Outcome::Succeeded) {
            if constexpr (!std::is_void_v<T>) {
                // A copy that throws fails this future, not the others.
                try {
                    m_interface.reportResult(state.peek());
                } catch (...) {
                    m_interface.reportException(std::current_exception());
                }
            }
        } else {
            state.markRetrieved();
            m_interface.reportException(state.error());
        }
        m_interface.reportFinished();
    }

private:
    QFutureInterface<T> m_interface;
};

/*!
    Runs a then() / onFailed() continuation in its context's thread. What it
    throws (the continuation itself, or a copy of the value it takes by
    value) is logged as a warning on the category crochet: it runs inside a
    Qt event handler, where an exception would end the process, and nothing
    waits for its outcome.
*/
CROCHET_EXPORT void logContinuationFailure(std::exception_ptr error) noexcept;

template <typename Run>
void runContinuation(Run run) noexcept
{
    try {
        run();
    } catch (...) {
        logContinuationFailure(std::current_exception());
    }
}

//! Posts a continuation to a context's thread when the result completes:
//! then() (on success) or onFailed() (on failure).
template <typename T, typename F, bool onFailure>
class ContinuationListener final : public CompletionListener
{
public:
    ContinuationListener(QObject *context, F function)
        : m_context(context)
        , m_function(std::move(function))
    {}

    void resultCompleted(ResultStateBase &base) override
    {
        auto &state = static_cast<ResultState<T> &>(base);
        const bool failed = state.outcome() == ResultStateBase::Outcome::Failed;
        if (failed != onFailure)
            return;
        if constexpr (onFailure) {
            m_context.post(
                [function = std::move(m_function), failure = *state.failure()]() mutable {
                    runContinuation([&] { function(failure); });
                });
        } else {
            state.ref();
            m_context.post([function = std::move(m_function),
                            ref = Ref<ResultState<T>>::adopt(&state)]() mutable {
                runContinuation([&] {
                    if constexpr (std::is_void_v<T>)
                        function();
                    else
                        function(ref->peek());
                });
            });
        }
    }

private:
    ContextGuard m_context;
    F m_function;
};
} // namespace detail

/*!
    The eventual result of a function run in the reactor thread: a cheap,
    copyable handle (copies share one result), returned by a runInReactor()
    function. It has no default constructor: every EventualResult stands for
    a call that was made (or a result taken out of the store).

    Like crochet's EventualResult: wait() with a timeout, cancel(),
    originalFailure(), stash() / retrieveResult().

    A failure that nobody retrieves (by wait(), originalFailure(), onFailed()
    or future()) is logged as one warning on the category `crochet` when the
    last handle goes, or at shutdown for a stashed result.

    \library `#include <crochet/eventualresult.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core` (or `Crochet::Crochet`).
    \threads Every member may be called from any thread, on one handle or on
    copies at once; wait() refuses to run on the reactor thread.
*/
template <typename T>
class EventualResult
{
public:
    //! Another handle to the same result.
    EventualResult(const EventualResult &other) noexcept
        : m_state(other.m_state)
    {
        m_state->addHandle();
    }
    //! Makes this a handle to \a other's result.
    EventualResult &operator=(const EventualResult &other) noexcept
    {
        other.m_state->addHandle();
        m_state->releaseHandle();
        m_state = other.m_state;
        return *this;
    }
    //! Releases the handle; the last one logs a failure nobody retrieved.
    ~EventualResult() { m_state->releaseHandle(); }

    /*!
        Blocks until the result is there, at most \a timeout (any
        std::chrono duration), and returns the value or re-throws the
        failure. It sleeps meanwhile and wakes as soon as the result is set.
        A second wait() returns the same value again (a copy), or throws the
        same exception; a move-only value is moved out by the first wait()
        that gets it. Counts as retrieving the failure.

        \throws TimeoutError when the time runs out first; a later wait() can
        still get the result.
        \throws ReactorThreadError on the reactor thread, even when the result
        is already there.
        \throws Error (plain Crochet::Error) for a move-only value that an
        earlier wait() already took.
        \throws SetupError in a fork()ed child, for a result that was pending
        at the fork (it can never complete there).
        \throws ... the failure: the exception the function threw (any type),
        CancelledError, ReactorStopped, NetworkError, ...
    */
    template <class Rep, class Period>
    T wait(std::chrono::duration<Rep, Period> timeout) const
    {
        m_state->waitAndCheck(detail::deadlineAfter(timeout));
        return m_state->value();
    }

    /*!
        Cancels the operation behind the result: a QFuture the function
        returned is cancelled, a QNetworkReply aborted, a Task destroyed; a
        call the reactor has not run yet never runs. If the result has no
        value or failure yet, it becomes CancelledError at once, without
        waiting for the operation to stop; otherwise it stands. Never
        blocks; a second call does nothing.
        \nothrow
    */
    void cancel() { m_state->cancel(); }

    //! True once the result has a value or a failure (cancellation included).
    //! \nothrow
    bool isReady() const { return m_state->isDone(); }

    /*!
        The progress of the operation in 0..1: a returned QFuture's progress
        or a download's, scaled to its range, read at the time of the call.
        -1 while the operation reports no range; 1 once the result is ready
        (whether it succeeded or failed).
        \nothrow
    */
    double progress() const { return m_state->progress(); }

    /*!
        The failure, or nullopt while the result is pending or when it
        succeeded. A failure returned here counts as retrieved: it is not
        logged as unhandled.
        \throws SetupError in a fork()ed child, for a result that was pending
        at the fork (it can never complete there).
    */
    std::optional<Failure> originalFailure() const { return m_state->failure(); }

    /*!
        Keeps the result in the process-wide result store and returns a
        positive uid, never reused in the process, for retrieveResult().
        The result may be stashed more than once: each call gives a uid of
        its own, and each uid can be retrieved once.
        \nothrow
    */
    quint64 stash() const { return detail::stashState(m_state, typeid(T)); }

    /*!
        A QFuture that finishes with this result, for Qt interop (then(),
        QFutureWatcher): its value, or the failure as its exception.
        Cancelling that QFuture does not cancel the result; use cancel().
        Counts as retrieving the failure. T must be copyable (or void).
        \throws SetupError in a fork()ed child, for a result that was pending
        at the fork (it can never complete there).
    */
    QFuture<T> future() const
    {
        static_assert(std::is_void_v<T> || std::is_copy_constructible_v<T>,
                      "future() needs a copyable result type");
        auto *listener = new detail::FutureListener<T>;
        QFuture<T> future = listener->future();
        m_state->addListener(listener);
        return future;
    }

    /*!
        Runs \a continuation (called with the value as `const T &`, or with
        nothing for void) on \a context's thread, from its event loop, once
        the result succeeds; never if \a context is destroyed first, and
        never on failure. Never blocks. \a context must be alive when this is
        called. What the continuation throws is logged as a warning (it runs
        in an event handler). Returns this result, to chain onFailed().
        \throws Error when \a context is null: without a context object the
        continuation could never run.
        \throws SetupError in a fork()ed child, for a result that was pending
        at the fork (it can never complete there).
    */
    template <typename F>
    const EventualResult &then(QObject *context, F continuation) const
    {
        detail::requireContext(context, "then()");
        m_state->addListener(
            new detail::ContinuationListener<T, F, false>(context, std::move(continuation)));
        return *this;
    }

    /*!
        Runs \a handler with the Failure (CancelledError included) on
        \a context's thread once the result fails; never if \a context is
        destroyed first. Counts as retrieving the failure (it is not logged).
        Never blocks; returns this result.
        \throws Error when \a context is null: without a context object the
        handler could never run.
        \throws SetupError in a fork()ed child, for a result that was pending
        at the fork (it can never complete there).
    */
    template <typename F>
    const EventualResult &onFailed(QObject *context, F handler) const
    {
        detail::requireContext(context, "onFailed()");
        m_state->addListener(
            new detail::ContinuationListener<T, F, true>(context, std::move(handler)));
        return *this;
    }

private:
    friend struct detail::ResultAccess;
    struct Adopt
    {};
    explicit EventualResult(detail::ResultState<T> *state) noexcept
        : m_state(state)
    {
        m_state->addHandle();
    }
    EventualResult(detail::ResultState<T> *state, Adopt) noexcept
        : m_state(state)
    {}

    detail::ResultState<T> *m_state;
};

namespace detail {
//! Builds and inspects EventualResults for the library's own templates.
struct ResultAccess
{
    template <typename T>
    static EventualResult<T> make(ResultState<T> *state)
    {
        return EventualResult<T>(state);
    }
    template <typename T>
    static EventualResult<T> adopt(ResultState<T> *state)
    {
        return EventualResult<T>(state, typename EventualResult<T>::Adopt{});
    }
    template <typename T>
    static ResultState<T> *state(const EventualResult<T> &result)
    {
        return result.m_state;
    }
};
} // namespace detail

/*!
    Takes the result stashed under \a uid (by EventualResult::stash()) out of
    the store: once only.

    \library `#include <crochet/eventualresult.h>`, `Crochet::Core`.
    \threads Any thread.
    \throws ResultNotFound for an unknown or already retrieved uid, or when
    \a T is not the stashed result's type (the result then stays stashed).
*/
template <typename T>
EventualResult<T> retrieveResult(quint64 uid)
{
    auto *state = static_cast<detail::ResultState<T> *>(detail::takeStashed(uid, typeid(T)));
    return detail::ResultAccess::adopt(state);
}

/*!
    Writes a short description of \a result to \a debug, e.g.
    `EventualResult<int>(ready, 3)`, `EventualResult<int>(failed, std::runtime_error: boom)`
    or `EventualResult<int>(pending)`. Does not wait and retrieves nothing.

    \library `#include <crochet/eventualresult.h>`, `Crochet::Core`.
    \threads Any thread.
    \throws ... only what writing the value to QDebug throws.
*/
template <typename T>
QDebug operator<<(QDebug debug, const EventualResult<T> &result)
{
    const QDebugStateSaver saver(debug);
    auto *state = detail::ResultAccess::state(result);
    debug.nospace().noquote() << "EventualResult<" << detail::typeNameOf(typeid(T)) << ">(";
    switch (state->outcome()) {
    case detail::ResultStateBase::Outcome::Pending:
        debug << "pending";
        break;
    case detail::ResultStateBase::Outcome::Failed: {
        const Failure failure(state->error());
        debug << "failed, " << failure.typeName() << ": " << failure.message();
        break;
    }
    case detail::ResultStateBase::Outcome::Succeeded:
        debug << "ready";
        if constexpr (!std::is_void_v<T> && QTypeTraits::has_ostream_operator_v<QDebug, T>)
            debug << ", " << state->peek();
        break;
    }
    return debug << ')';
}

} // namespace Crochet
