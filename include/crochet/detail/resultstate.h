// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. The shared state behind every
// EventualResult<T>; only the value storage is a template, everything else
// lives in src/core/resultstate.cpp.

#include <crochet/failure.h>
#include <crochet/global.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace Crochet::detail {

class CapturedStack;
class ResultStateBase;

//! How many fork()s this process is from the first (wraps around). A result
//! made in an earlier generation belongs to a reactor that is gone.
CROCHET_EXPORT quint16 forkGeneration() noexcept;

//! Runs once when a result completes: future(), then(), QML objects.
class CROCHET_EXPORT CompletionListener
{
public:
    virtual ~CompletionListener();
    //! Called exactly once, outside any lock, on the thread that completed
    //! the result (the reactor, a cancelling thread or a shutting-down one).
    virtual void resultCompleted(ResultStateBase &state) = 0;

private:
    friend class ResultStateBase;
    CompletionListener *m_next = nullptr;
};

//! The operation behind a pending result (a QFuture the function returned).
class CROCHET_EXPORT Operation
{
public:
    virtual ~Operation();
    //! Asks the operation to stop. Any thread; must not block.
    virtual void cancel() = 0;
    //! Current progress in 0..1, or -1 when the operation reports no range.
    virtual double progress() const = 0;
};

/*!
    Reference-counted state shared by the copies of one EventualResult, the
    task that computes it and the reactor. It completes once: the first of
    succeed(), fail() or cancel() wins, later ones are ignored.

    Two counts: references keep the memory alive; handles are the user's
    EventualResult copies (and the result store), used to log a failure that
    nobody retrieved when the last handle goes.

    Fields written before completion are guarded by a lock from a striped
    table (keeps the state small); after completion they are immutable and
    read after an acquire load of the outcome.
*/
class CROCHET_EXPORT ResultStateBase
{
public:
    enum class Outcome : quint8 { Pending, Succeeded, Failed };

    explicit ResultStateBase(SourceLocation wrappedAt) noexcept
        : m_forkGeneration(forkGeneration())
        , m_wrappedAt(wrappedAt)
    {}
    ResultStateBase(const ResultStateBase &) = delete;
    ResultStateBase &operator=(const ResultStateBase &) = delete;

    void ref() noexcept { m_refs.fetch_add(1, std::memory_order_relaxed); }
    void deref() noexcept;
    void addHandle() noexcept;
    void releaseHandle() noexcept;

    bool isDone() const noexcept { return outcome() != Outcome::Pending; }
    Outcome outcome() const noexcept { return m_outcome.load(std::memory_order_acquire); }
    //! Where the function was wrapped; for a combination (whenAll(), whenAny()),
    //! where the function of the failure it passed on was, empty until then.
    SourceLocation wrappedAt() const noexcept
    {
        return m_wrappedAt.load(std::memory_order_relaxed);
    }

    //! What becomes of a failure nobody retrieves: logged when its last
    //! handle goes (or at shutdown, stashed), or never (cancellation, the
    //! reactor stopped, a cancelled QFuture: no failure to report).
    enum class Unretrieved { Log, Ignore };

    //! Completes with \a error; \a unretrieved says whether to log it if
    //! nobody retrieves it. Adopts the reference \a stack
    //! holds (the stack where the failure was caught; may be null). Any thread.
    bool fail(std::exception_ptr error, Unretrieved unretrieved = Unretrieved::Log,
              const CapturedStack *stack = nullptr);
    /*! Completes with the failure of \a failed, which must have failed: its
        exception, stack and wrap site, logged if unretrieved unless \a failed's
        would not be (a combination passing an input's failure on). Any thread. */
    bool failLike(const ResultStateBase &failed);
    //! Completes with CancelledError and cancels the operation. Any thread, never blocks.
    bool cancel();
    //! Completes with \a error (never logged) and cancels the operation.
    bool abort(std::exception_ptr error);
    //! The operation behind this result (set once): the reactor thread's
    //! watchers, or a combination (any thread). Cancelled at once if the
    //! result is already complete.
    void attachOperation(std::unique_ptr<Operation> operation);

    /*! Waits until complete or \a deadline; then re-throws the failure.
        Throws ReactorThreadError on the reactor thread, TimeoutError when the
        deadline passes. A wait that blocked the GUI thread for long is
        reported (setGuiBlockWarning()). */
    void waitAndCheck(std::chrono::steady_clock::time_point deadline);
    //! The failure (marking it retrieved), or nullopt when pending or succeeded.
    std::optional<Failure> failure();
    double progress() const;
    //! Takes ownership. Runs \a listener now if the result is already complete.
    void addListener(CompletionListener *listener);
    //! The exception of a failed result (no retrieval mark). Null otherwise.
    std::exception_ptr error() const noexcept;
    //! Marks the failure as seen, so that it is not logged.
    void markRetrieved() noexcept;
    //! Logs the failure now if it is unretrieved and not yet logged (result
    //! store); returns whether it did.
    bool logIfUnretrieved(const char *context);
    //! Counts an unretrieved failure not yet logged as logged, without logging
    //! it, and returns its exception; null when there is nothing to log (the
    //! result store sums such failures up in one message).
    std::exception_ptr claimUnloggedFailure() noexcept;

protected:
    virtual ~ResultStateBase();
    std::mutex &lock() const noexcept;
    //! Publishes \a outcome: \a guard must hold lock() and is released.
    void publish(std::unique_lock<std::mutex> &guard, Outcome outcome);

private:
    //! Spins for a moment from \a now (or until \a deadline), then sleeps
    //! until complete or \a deadline; false when the deadline passed.
    bool waitUntilDone(std::chrono::steady_clock::time_point now,
                       std::chrono::steady_clock::time_point deadline) const;
    void spinBriefly(std::chrono::steady_clock::time_point now,
                     std::chrono::steady_clock::time_point deadline) const;
    //! In a fork()ed child: fails this result if it was pending at fork().
    void failIfForkedAway();
    void notifyCompleted(CompletionListener *listeners);
    bool shouldLogLocked() noexcept;
    void logFailure(const char *context);

    std::atomic<int> m_refs{1};
    std::atomic<int> m_handles{0};
    std::atomic<Outcome> m_outcome{Outcome::Pending};
    bool m_retrieved = false;
    bool m_quiet = false;
    bool m_logged = false;
    bool m_listenersDone = false; // a failure's completion listeners have run

protected:
    bool m_valueTaken = false; // guarded by lock(); next to the flags to keep the state small

private:
    quint16 m_forkGeneration; // set once; fills the padding after the flags
    // Set once, but a combination's is set when it fails (failLike()), while
    // other threads may read it: atomic, lock-free (a pointer) and relaxed.
    std::atomic<SourceLocation> m_wrappedAt;
    std::exception_ptr m_error;
    const CapturedStack *m_stack = nullptr; // holds a reference; set with m_error
    std::unique_ptr<Operation> m_operation;
    CompletionListener *m_listeners = nullptr;
};

[[noreturn]] CROCHET_EXPORT void throwValueTaken();

//! Shared state holding a value of type T (nothing for void).
template <typename T>
class ResultState final : public ResultStateBase
{
public:
    using ResultStateBase::ResultStateBase;

    template <typename U>
    bool succeed(U &&value)
    {
        std::unique_lock guard(lock());
        if (isDone())
            return false;
        m_value.emplace(std::forward<U>(value));
        publish(guard, Outcome::Succeeded);
        return true;
    }

    //! Precondition: succeeded. A move-only value can be taken once.
    T value()
    {
        if constexpr (std::is_copy_constructible_v<T>) {
            return *m_value;
        } else {
            {
                std::lock_guard guard(lock());
                if (m_valueTaken)
                    throwValueTaken();
                m_valueTaken = true;
            }
            return std::move(*m_value);
        }
    }

    //! Precondition: succeeded. For listeners, which copy it.
    const T &peek() const { return *m_value; }

private:
    std::optional<T> m_value;
};

template <>
class ResultState<void> final : public ResultStateBase
{
public:
    using ResultStateBase::ResultStateBase;
    CROCHET_EXPORT bool succeed();
    void value() {}
};

//! An owning reference to a state (not a user handle).
template <typename S>
class Ref
{
public:
    Ref() = default;
    //! Adopts one reference already counted.
    static Ref adopt(S *state) noexcept
    {
        Ref r;
        r.m_state = state;
        return r;
    }
    Ref(const Ref &other) noexcept
        : m_state(other.m_state)
    {
        if (m_state)
            m_state->ref();
    }
    Ref(Ref &&other) noexcept
        : m_state(std::exchange(other.m_state, nullptr))
    {}
    Ref &operator=(Ref other) noexcept
    {
        std::swap(m_state, other.m_state);
        return *this;
    }
    ~Ref()
    {
        if (m_state)
            m_state->deref();
    }
    S *get() const noexcept { return m_state; }
    S *operator->() const noexcept { return m_state; }
    S &operator*() const noexcept { return *m_state; }

private:
    S *m_state = nullptr;
};

//! Converts a std::chrono timeout to a deadline, saturating huge, negative and NaN values.
template <class Rep, class Period>
std::chrono::steady_clock::time_point deadlineAfter(std::chrono::duration<Rep, Period> timeout)
{
    using namespace std::chrono;
    const auto now = steady_clock::now();
    const double seconds = duration<double>(timeout).count();
    if (!(seconds > 0))
        return now;
    if (seconds > 1e9)
        return steady_clock::time_point::max();
    return now + duration_cast<steady_clock::duration>(duration<double>(seconds));
}

} // namespace Crochet::detail
