// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. Waits in the reactor on a
// QFuture returned by a wrapped function and completes a result from it.

#include <crochet/detail/reactorservices.h>
#include <crochet/detail/resultstate.h>
#include <crochet/detail/tsan.h>
#include <crochet/errors.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>

#include <utility>

namespace Crochet::detail {

//! The QFuture behind a result: cancel() and progress() act on it.
template <typename X>
class FutureOperation final : public Operation
{
public:
    explicit FutureOperation(const QFuture<X> &future)
        : m_future(future)
    {}
    void cancel() override { m_future.cancel(); }
    double progress() const override
    {
        // Reads the current value: QFutureWatcher's progress signals are
        // throttled (about 25 a second) in Qt 6.4.
        const int minimum = m_future.progressMinimum();
        const int maximum = m_future.progressMaximum();
        if (maximum <= minimum)
            return -1.0;
        const double fraction = double(m_future.progressValue() - minimum) / (maximum - minimum);
        return fraction < 0 ? 0.0 : (fraction > 1 ? 1.0 : fraction);
    }

private:
    mutable QFuture<X> m_future;
};

/*!
    A started QPromise for a producer in the reactor that must stop its
    operation when the future is cancelled, from any thread: the watcher
    turns the cancellation into a call of \a onCancel in the thread of
    \a context. The one way the library does it (a reply's future, a Task's
    runner). \a onCancel also runs when the producer fails the future (Qt
    reports a failed future as canceled too, see resultOfFinished()); it
    must do nothing once the operation is over.
*/
template <typename T>
class CancellablePromise
{
public:
    template <typename F>
    CancellablePromise(QObject *context, F &&onCancel)
    {
        m_promise.start();
        QObject::connect(&m_watcher, &QFutureWatcherBase::canceled, context,
                         std::forward<F>(onCancel));
        m_watcher.setFuture(m_promise.future());
    }
    CancellablePromise(const CancellablePromise &) = delete;
    CancellablePromise &operator=(const CancellablePromise &) = delete;

    QPromise<T> &promise() { return m_promise; }
    QFuture<T> future() { return m_promise.future(); }

private:
    // Destroyed first: no call of onCancel when the promise's destructor
    // cancels an unfinished future.
    QPromise<T> m_promise;
    QFutureWatcher<T> m_watcher;
};

CROCHET_EXPORT std::exception_ptr futureWithoutResultError();
//! CancelledError for a future cancelled by its producer, or a default-constructed one.
CROCHET_EXPORT std::exception_ptr futureCancelledError();

/*!
    What a finished \a future came to, the one place that reads it: its
    value (copied, or taken when move-only), or an exception thrown: the
    one the future holds, CancelledError (futureCancelledError(), and
    \a cancelled set) when it was cancelled, an Error when it finished
    without a result.

    Qt's design, stated here once for the whole library: a future that
    fails also reports isCanceled(), so the exception is looked for first
    (waitForFinished() re-throws it). And in Qt 6.4 result() on a future
    with no result crashes, so resultCount() is checked before.
*/
template <typename X>
X resultOfFinished(QFuture<X> &future, bool *cancelled = nullptr)
{
    future.waitForFinished();
    if (future.isCanceled()) {
        if (cancelled)
            *cancelled = true;
        std::rethrow_exception(futureCancelledError());
    }
    if constexpr (!std::is_void_v<X>) {
        if (future.resultCount() == 0)
            std::rethrow_exception(futureWithoutResultError());
        if constexpr (std::is_copy_constructible_v<X>)
            return future.result();
        else
            return future.takeResult();
    }
}

//! Completes \a state from a finished \a future. Runs in an event handler,
//! where an exception would end the process: whatever reading the future
//! throws (a copy too) fails the result instead.
template <typename X>
void completeFromFuture(ResultState<X> &state, QFuture<X> future)
{
    bool cancelled = false;
    try {
        if constexpr (std::is_void_v<X>) {
            resultOfFinished(future, &cancelled);
            state.succeed();
        } else {
            state.succeed(resultOfFinished(future, &cancelled));
        }
    } catch (...) {
        if (cancelled)
            state.fail(std::current_exception(), ResultStateBase::Unretrieved::Ignore);
        else
            failWithCurrentException(state);
    }
}

//! Reactor thread: completes \a state when \a future finishes.
template <typename X>
void adoptFuture(const Ref<ResultState<X>> &state, QFuture<X> future)
{
    // A future finished in another thread (a thread pool's, a lookup's)
    // hands its value over through Qt's uninstrumented locks: see tsan.h.
    if (future.isFinished()) {
        handoffReceived();
        completeFromFuture(*state, future);
        return;
    }
    state->attachOperation(std::make_unique<FutureOperation<X>>(future));
    trackPending(state.get());
    auto *watcher = new QFutureWatcher<X>(reactorContext());
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, state] {
        handoffReceived();
        untrackPending(state.get());
        completeFromFuture(*state, watcher->future());
        watcher->deleteLater();
    });
    // A producer that never finishes a cancelled future must not keep the
    // watcher alive: once the result is complete, stop watching.
    QObject::connect(watcher, &QFutureWatcherBase::canceled, watcher, [watcher, state] {
        if (state->isDone()) {
            untrackPending(state.get());
            watcher->deleteLater();
        }
    });
    watcher->setFuture(future);
}

} // namespace Crochet::detail
