// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. Waits in the reactor on a
// QFuture returned by a wrapped function and completes a result from it.

#include <crochet/detail/resultstate.h>
#include <crochet/detail/tsan.h>
#include <crochet/detail/reactorservices.h>
#include <crochet/errors.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>

namespace Crochet::detail {

//! The QFuture behind a result: cancel() and progress() act on it.
template <typename X>
class FutureOperation final : public Operation
{
public:
    explicit FutureOperation(const QFuture<X> &future) : m_future(future) {}
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

CROCHET_EXPORT std::exception_ptr futureWithoutResultError();
//! CancelledError for a future cancelled by its producer, or a default-constructed one.
CROCHET_EXPORT std::exception_ptr futureCancelledError();

//! Completes \a state from a finished \a future.
template <typename X>
void completeFromFuture(ResultState<X> &state, QFuture<X> future)
{
    // Qt 6.4: a future holding an exception also reports isCanceled(), so
    // look for the exception first; waitForFinished() re-throws it.
    try {
        future.waitForFinished();
    } catch (...) {
        failWithCurrentException(state);
        return;
    }
    if (future.isCanceled()) {
        state.fail(futureCancelledError(), true);
    } else if constexpr (std::is_void_v<X>) {
        state.succeed();
    } else if (future.resultCount() > 0) {
        // Qt 6.4: result() on a cancelled future with no result crashes;
        // resultCount() was checked first. Taking the value copies or moves
        // it, which may throw: that fails the result (this runs in an event
        // handler, where an exception would end the process).
        try {
            if constexpr (std::is_copy_constructible_v<X>)
                state.succeed(future.result());
            else
                state.succeed(future.takeResult());
        } catch (...) {
            failWithCurrentException(state);
        }
    } else {
        state.fail(futureWithoutResultError());
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
