// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. The awaiters a Crochet::Task
// suspends in: a QFuture (also a QNetworkReply's and a lookupHost()'s) and a
// timer. Each one is an RAII guard of the operation it waits for: destroying
// it while its coroutine is suspended in it (which is how a Task is
// cancelled) first makes sure it can never resume the coroutine, then
// cancels the operation. All of it runs in the reactor thread.

#include <crochet/detail/future.h>
#include <crochet/detail/tsan.h>
#include <crochet/errors.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QTimer>

#include <chrono>
#include <coroutine>
#include <type_traits>
#include <utility>

namespace Crochet::detail {

/*!
    Resumes \a coroutine (a Task's) in a loop that also runs, one after
    another, each Task it hands control to by awaiting one or by ending
    (transferTask()): however long a chain of awaiting Tasks, the stack
    stays one frame deep. Reactor thread.
*/
CROCHET_EXPORT void resumeTask(std::coroutine_handle<> coroutine) noexcept;

/*!
    From await_suspend(): resumes \a next once the calling coroutine has
    suspended, by the loop of the resumeTask() that runs it, or else by a
    loop of its own (a Task resumed by another library's awaitable).
*/
CROCHET_EXPORT void transferTask(std::coroutine_handle<> next) noexcept;

/*!
    Owns the QObject whose signal resumes a suspended coroutine (a watcher, a
    timer). It must never be deleted inside that signal, where the resumed
    coroutine destroys its awaiter: the signal handler calls releaseLater()
    before resuming. Anywhere else (the frame is destroyed while suspended)
    it is deleted at once, which also disconnects it.
*/
template <typename O>
class ResumingObject
{
public:
    ResumingObject() = default;
    //! Awaiters may be moved before they suspend (GCC 12 moves an awaitable
    //! that await_transform passes on); there is nothing to move by then.
    ResumingObject(ResumingObject &&other) noexcept
        : m_object(std::exchange(other.m_object, nullptr))
    {}
    ResumingObject &operator=(ResumingObject &&) = delete;
    ~ResumingObject() { delete m_object; }

    //! Creates the object in the calling thread, with no parent.
    O *create()
    {
        m_object = new O;
        return m_object;
    }
    //! True while the object exists and has not resumed the coroutine.
    explicit operator bool() const noexcept { return m_object != nullptr; }
    //! Deletes the object now (not inside its own signal).
    void reset() { delete std::exchange(m_object, nullptr); }
    //! Inside the object's signal: gives it up, to be deleted later.
    void releaseLater() { std::exchange(m_object, nullptr)->deleteLater(); }

private:
    O *m_object = nullptr;
};

//! `co_await future`: the future's value, or its exception re-thrown;
//! CancelledError if it was cancelled. Destroyed while suspended, it
//! cancels the future (which aborts a reply or a host lookup).
template <typename X>
class FutureAwaiter
{
public:
    explicit FutureAwaiter(QFuture<X> future)
        : m_future(std::move(future))
    {}
    FutureAwaiter(FutureAwaiter &&) = default;
    ~FutureAwaiter()
    {
        if (m_watcher) {
            m_watcher.reset();
            m_future.cancel();
        }
    }

    bool await_ready() const noexcept { return m_future.isFinished(); }

    void await_suspend(std::coroutine_handle<> coroutine)
    {
        QFutureWatcher<X> *watcher = m_watcher.create();
        // Only finished() resumes: in Qt 6.4 a future that fails reports
        // canceled() before it finishes, and cancelling one never finished
        // by its producer ends when the result is cancelled or times out.
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [this, coroutine] {
            m_watcher.releaseLater();
            resumeTask(coroutine);
        });
        watcher->setFuture(m_future);
    }

    X await_resume()
    {
        handoffReceived(); // the future may have finished in another thread
        return resultOfFinished(m_future);
    }

private:
    QFuture<X> m_future;
    ResumingObject<QFutureWatcher<X>> m_watcher;
};

//! `co_await Crochet::sleep(delay)`: resumes after \a delay. Destroyed while
//! suspended, it stops its timer.
class SleepAwaiter
{
public:
    explicit SleepAwaiter(std::chrono::milliseconds delay)
        : m_delay(delay)
    {}

    //! Even sleep(0ms) suspends: it lets the reactor run its other events.
    bool await_ready() const noexcept { return false; }

    void await_suspend(std::coroutine_handle<> coroutine)
    {
        QTimer *timer = m_timer.create();
        timer->setSingleShot(true);
        // A coarse timer may fire up to 5 % early; a sleep must not.
        timer->setTimerType(Qt::PreciseTimer);
        QObject::connect(timer, &QTimer::timeout, timer, [this, coroutine] {
            m_timer.releaseLater();
            resumeTask(coroutine);
        });
        timer->start(m_delay);
    }

    void await_resume() const noexcept {}

private:
    std::chrono::milliseconds m_delay;
    ResumingObject<QTimer> m_timer;
};

} // namespace Crochet::detail
