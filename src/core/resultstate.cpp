// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "capturedstack_p.h"
#include "guiblockwarning_p.h"
#include "resultstate_p.h"
#include "waitword_p.h"

#include <crochet/detail/future.h>
#include <crochet/detail/resultstate.h>
#include <crochet/errors.h>
#include <crochet/reactor.h>

#include <algorithm>
#include <thread>

namespace Crochet::detail {

namespace {

// A mutex and condition variable per result would cost 88 bytes each; a
// small striped table keeps a pending result small (doc/design.md has the
// measured figure). A waiter sleeps on its stripe's wake word and re-checks
// its own result when woken (waitAndCheck(), publish()).
struct alignas(64) Stripe
{
    std::mutex mutex;
    std::atomic<quint32> wakeWord{0}; // advanced by a completion that has sleepers to wake
    std::atomic<quint32> sleepers{0};
};
constexpr quintptr StripeCount = 64;

Stripe *stripes() noexcept
{
    // Never destroyed: threads may still sleep here while statics are torn
    // down at process exit.
    static Stripe *const table = new Stripe[StripeCount];
    return table;
}

Stripe &stripeOf(const void *state) noexcept
{
    auto bits = reinterpret_cast<quintptr>(state) >> 4;
    bits ^= bits >> 7;
    return stripes()[bits % StripeCount];
}

// A round trip through an idle reactor takes tens of microseconds. A waiter
// that goes to sleep at once pays a futex wake-up and a context switch on
// top, and makes the reactor pay a wake-up system call; checking for a short
// while first avoids both. It yields on every turn, so that on a busy
// machine the reactor (or another caller) gets the CPU instead.
constexpr std::chrono::microseconds SpinTime(50);

// The wrap site stays a plain pointer in size and cost.
static_assert(std::atomic<SourceLocation>::is_always_lock_free);
static_assert(sizeof(std::atomic<SourceLocation>) == sizeof(void *));

} // namespace

void ResultStateBase::failIfForkedAway()
{
    // Lazily, here and not in the fork handler, which must not allocate or
    // run listeners: whatever was to complete this result (a call, a
    // watcher, a reply) was in the parent's reactor thread, which the child
    // does not have.
    if (m_forkGeneration == forkGeneration() || isDone())
        return;
    fail(std::make_exception_ptr(SetupError(QStringLiteral(
             "this result was still pending when the process was forked (fork()): the parent's "
             "reactor thread, which was to complete it, does not exist in the child; call the "
             "function again in the child, after Crochet::setup()"))),
         Unretrieved::Ignore);
}

void ResultStateBase::spinBriefly(std::chrono::steady_clock::time_point now,
                                  std::chrono::steady_clock::time_point deadline) const
{
    const auto until = std::min(deadline, now + SpinTime);
    while (!isDone() && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
}

void createResultLocks() noexcept
{
    stripes();
}

void resetResultLocksAfterFork() noexcept
{
    // In a fork()ed child only the forking thread exists: a stripe that
    // another thread of the parent held would stay locked for ever.
    Stripe *table = stripes();
    for (quintptr i = 0; i < StripeCount; ++i) {
        new (&table[i].mutex) std::mutex;
        table[i].wakeWord.store(0, std::memory_order_relaxed);
        table[i].sleepers.store(0, std::memory_order_relaxed);
    }
}

CompletionListener::~CompletionListener() = default;
Operation::~Operation() = default;

ResultStateBase::~ResultStateBase()
{
    while (m_listeners)
        delete std::exchange(m_listeners, m_listeners->m_next);
    if (m_stack)
        m_stack->deref();
}

std::mutex &ResultStateBase::lock() const noexcept
{
    return stripeOf(this).mutex;
}

void ResultStateBase::deref() noexcept
{
    if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
        delete this;
}

void ResultStateBase::addHandle() noexcept
{
    m_handles.fetch_add(1, std::memory_order_relaxed);
    ref();
}

void ResultStateBase::releaseHandle() noexcept
{
    // Only a failure can need logging: skip the lock for everything else (a
    // pending result is checked again when it completes).
    if (m_handles.fetch_sub(1, std::memory_order_acq_rel) == 1 && outcome() == Outcome::Failed)
        logIfUnretrieved("Unhandled error in EventualResult:");
    deref();
}

bool ResultStateBase::shouldLogLocked() noexcept
{
    if (outcome() != Outcome::Failed || !m_listenersDone || m_retrieved || m_quiet || m_logged)
        return false;
    m_logged = true;
    return true;
}

bool ResultStateBase::logIfUnretrieved(const char *context)
{
    bool log = false;
    {
        std::lock_guard guard(lock());
        log = shouldLogLocked();
    }
    if (log)
        logFailure(context);
    return log;
}

std::exception_ptr ResultStateBase::claimUnloggedFailure() noexcept
{
    std::lock_guard guard(lock());
    return shouldLogLocked() ? m_error : std::exception_ptr();
}

void ResultStateBase::logFailure(const char *context)
{
    const Failure failure(m_stack, m_error, wrappedAt());
    qCWarning(logging()).noquote().nospace() << context << '\n' << failure.traceback();
}

void ResultStateBase::publish(std::unique_lock<std::mutex> &guard, Outcome outcome)
{
    m_outcome.store(outcome, std::memory_order_seq_cst); // see waitAndCheck()
    CompletionListener *listeners = std::exchange(m_listeners, nullptr);
    guard.unlock();
    Stripe &stripe = stripeOf(this);
    if (stripe.sleepers.load(std::memory_order_seq_cst) != 0) {
        stripe.wakeWord.fetch_add(1, std::memory_order_seq_cst);
        wakeAllOnWord(stripe.wakeWord);
    }
    notifyCompleted(listeners);
}

void ResultStateBase::notifyCompleted(CompletionListener *listeners)
{
    // Listeners were pushed at the front: reverse to run them in order.
    CompletionListener *ordered = nullptr;
    while (listeners) {
        CompletionListener *next = listeners->m_next;
        listeners->m_next = ordered;
        ordered = listeners;
        listeners = next;
    }
    while (ordered) {
        CompletionListener *listener = std::exchange(ordered, ordered->m_next);
        // Each listener runs, whatever another one throws (the listeners
        // catch what they expect: a value's copy that throws).
        try {
            listener->resultCompleted(*this);
        } catch (...) {
            qCWarning(logging()).noquote()
                << "a completion listener of an EventualResult threw:"
                << Failure(std::current_exception(), wrappedAt()).message();
        }
        delete listener;
    }
    // A success is never logged: no second lock on that hot path.
    if (outcome() == Outcome::Succeeded)
        return;
    // Only now may the failure count as unretrieved: an onFailed() listener
    // retrieves it. The last handle may have gone before the failure came.
    bool logNow = false;
    {
        std::lock_guard guard(lock());
        m_listenersDone = true;
        logNow = m_handles.load(std::memory_order_acquire) == 0 && shouldLogLocked();
    }
    if (logNow)
        logFailure("Unhandled error in EventualResult:");
}

bool ResultStateBase::fail(std::exception_ptr error, Unretrieved unretrieved,
                           const CapturedStack *stack)
{
    std::unique_lock guard(lock());
    if (isDone()) {
        guard.unlock();
        if (stack)
            stack->deref();
        return false;
    }
    m_error = std::move(error);
    m_quiet = unretrieved == Unretrieved::Ignore;
    m_stack = stack;
    publish(guard, Outcome::Failed);
    return true;
}

bool ResultStateBase::failLike(const ResultStateBase &failed)
{
    // failed's fields are immutable once it has failed: read without its lock.
    Q_ASSERT(failed.outcome() == Outcome::Failed);
    std::unique_lock guard(lock());
    if (isDone())
        return false;
    m_error = failed.m_error;
    m_quiet = failed.m_quiet;
    m_stack = failed.m_stack;
    if (m_stack)
        m_stack->ref();
    m_wrappedAt.store(failed.wrappedAt(), std::memory_order_relaxed);
    publish(guard, Outcome::Failed);
    return true;
}

bool ResultStateBase::abort(std::exception_ptr error)
{
    Operation *operation = nullptr;
    {
        std::unique_lock guard(lock());
        if (isDone())
            return false;
        m_error = std::move(error);
        m_quiet = true;
        operation = m_operation.get();
        publish(guard, Outcome::Failed);
    }
    // The operation is owned by this state, which the caller keeps alive.
    if (operation)
        operation->cancel();
    return true;
}

bool ResultStateBase::cancel()
{
    if (isDone())
        return false;
    return abort(std::make_exception_ptr(CancelledError()));
}

void ResultStateBase::attachOperation(std::unique_ptr<Operation> operation)
{
    Operation *toCancel = nullptr;
    {
        std::lock_guard guard(lock());
        m_operation = std::move(operation);
        if (isDone())
            toCancel = m_operation.get();
    }
    if (toCancel)
        toCancel->cancel();
}

void ResultStateBase::waitAndCheck(std::chrono::steady_clock::time_point deadline)
{
    if (Crochet::isReactorThread()) {
        throw ReactorThreadError(QStringLiteral(
            "EventualResult::wait() was called on the reactor thread, where it would deadlock; "
            "use future() or a QFutureWatcher there instead"));
    }
    failIfForkedAway();
    if (!isDone()) {
        const auto blockedSince = std::chrono::steady_clock::now();
        const bool inTime = waitUntilDone(blockedSince, deadline);
        noteBlockedWait(wrappedAt(), blockedSince);
        if (!inTime) {
            throw TimeoutError(QStringLiteral(
                "EventualResult::wait(): the result did not come within the timeout"));
        }
    }
    if (outcome() == Outcome::Failed) {
        markRetrieved();
        std::rethrow_exception(m_error);
    }
}

bool ResultStateBase::waitUntilDone(std::chrono::steady_clock::time_point now,
                                    std::chrono::steady_clock::time_point deadline) const
{
    spinBriefly(now, deadline);
    if (isDone())
        return true;
    // No lost wake-up: a sleeper counts itself, then reads the word and the
    // outcome; publish() stores the outcome, then reads the count (all
    // sequentially consistent). Either publish() sees the sleeper and
    // advances the word (the futex then does not sleep, or wakes), or the
    // sleeper sees the outcome.
    Stripe &stripe = stripeOf(this);
    for (;;) {
        stripe.sleepers.fetch_add(1, std::memory_order_seq_cst);
        const quint32 seen = stripe.wakeWord.load(std::memory_order_seq_cst);
        const bool done = m_outcome.load(std::memory_order_seq_cst) != Outcome::Pending;
        const bool inTime = done || waitOnWord(stripe.wakeWord, seen, deadline);
        stripe.sleepers.fetch_sub(1, std::memory_order_relaxed);
        if (isDone())
            return true;
        if (!inTime)
            return false;
    }
}

std::optional<Failure> ResultStateBase::failure()
{
    failIfForkedAway();
    if (outcome() != Outcome::Failed)
        return std::nullopt;
    markRetrieved();
    return Failure(m_stack, m_error, wrappedAt());
}

std::exception_ptr ResultStateBase::error() const noexcept
{
    return outcome() == Outcome::Failed ? m_error : std::exception_ptr();
}

void ResultStateBase::markRetrieved() noexcept
{
    std::lock_guard guard(lock());
    m_retrieved = true;
}

double ResultStateBase::progress() const
{
    if (isDone())
        return 1.0;
    Operation *operation = nullptr;
    {
        std::lock_guard guard(lock());
        operation = m_operation.get();
    }
    return operation ? operation->progress() : -1.0;
}

void ResultStateBase::addListener(CompletionListener *listener)
{
    failIfForkedAway();
    {
        std::lock_guard guard(lock());
        if (!isDone()) {
            listener->m_next = m_listeners;
            m_listeners = listener;
            return;
        }
    }
    listener->resultCompleted(*this);
    delete listener;
}

bool ResultState<void>::succeed()
{
    std::unique_lock guard(lock());
    if (isDone())
        return false;
    publish(guard, Outcome::Succeeded);
    return true;
}

void throwValueTaken()
{
    throw Error(QStringLiteral(
        "EventualResult::wait(): this move-only value was already taken by an earlier wait()"));
}

std::exception_ptr futureWithoutResultError()
{
    return std::make_exception_ptr(Error(
        QStringLiteral("the QFuture returned by the wrapped function finished without a result")));
}

std::exception_ptr futureCancelledError()
{
    // Qt 6.4 makes a default-constructed QFuture cancelled and finished, the
    // same state (flags and all) as one its producer cancelled: the message
    // names both.
    return std::make_exception_ptr(CancelledError(
        QStringLiteral("the QFuture was cancelled before it had a result: its producer cancelled "
                       "it, or it is an invalid, default-constructed QFuture (QFuture<T>()), "
                       "which Qt makes cancelled and which no producer will ever finish")));
}

} // namespace Crochet::detail
