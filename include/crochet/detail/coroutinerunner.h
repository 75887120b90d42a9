// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly (<crochet/task.h> does). Runs a
// Task returned by a wrapped function in the reactor and hands its outcome
// to the result through a QFuture, which is also how a cancellation comes
// back from any thread.

#include <crochet/detail/coroutinepromise.h>
#include <crochet/detail/reactorservices.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPromise>

#include <memory>
#include <tuple>
#include <utility>

namespace Crochet::detail {

//! Something a coroutine refers to that must outlive its frame.
class KeptAlive
{
public:
    virtual ~KeptAlive() = default;
};

//! A wrapped function and its arguments, kept for as long as the coroutine
//! they started: a lambda coroutine's captures live in the lambda object,
//! and reference parameters refer to the stored arguments.
template <typename F, typename Tuple>
class BoundCall final : public KeptAlive
{
public:
    BoundCall(F function, Tuple arguments)
        : m_function(std::move(function))
        , m_arguments(std::move(arguments))
    {}
    auto invoke() { return std::apply(m_function, std::move(m_arguments)); }

private:
    F m_function;
    Tuple m_arguments;
};

/*!
    Drives one top-level Task in the reactor thread, a child of the
    reactor's context (so a coroutine never outlives the reactor). Its
    promise carries the outcome to the result; the result cancels that
    promise's future from any thread, which becomes a call in this thread
    (CancellablePromise) that destroys the suspended coroutine: the awaiter
    it is suspended in cancels its operation.
*/
template <typename T>
class TaskRunner final : public QObject, private TaskObserver
{
public:
    TaskRunner(Task<T> task, std::unique_ptr<KeptAlive> keptAlive)
        : QObject(reactorContext())
        , m_promise(this, [this] { stop(); })
        , m_keptAlive(std::move(keptAlive))
        , m_task(std::move(task))
    {}

    //! Runs the coroutine up to its first suspension (or its end).
    QFuture<T> start()
    {
        QFuture<T> future = m_promise.future();
        auto coroutine = TaskAccess::handle(m_task);
        coroutine.promise().setObserver(this);
        resumeTask(coroutine);
        return future;
    }

private:
    void taskFinished() noexcept override
    {
        m_done = true;
        auto &promise = TaskAccess::handle(m_task).promise();
        try {
            if constexpr (std::is_void_v<T>) {
                promise.takeValue();
            } else {
                m_promise.promise().addResult(promise.takeValue());
            }
        } catch (...) {
            m_promise.promise().setException(std::current_exception());
        }
        m_promise.promise().finish();
        // Not now: this runs inside the coroutine's final suspension.
        deleteLater();
    }

    void stop()
    {
        if (m_done) // failed by the coroutine, which also reports canceled
            return;
        m_done = true;
        TaskAccess::destroy(m_task);
        m_promise.promise().finish();
        deleteLater();
    }

    // Destroyed in reverse: the coroutine first, then what it refers to.
    CancellablePromise<T> m_promise;
    std::unique_ptr<KeptAlive> m_keptAlive;
    Task<T> m_task;
    bool m_done = false;
};

//! Reactor thread: runs \a task, keeping \a keptAlive until it ends.
template <typename T>
QFuture<T> runTask(Task<T> &&task, std::unique_ptr<KeptAlive> keptAlive = {})
{
    return (new TaskRunner<T>(std::move(task), std::move(keptAlive)))->start();
}

//! A wrapped function may return a Task<T>: its result is the T.
template <typename T>
struct ReturnTraits<Task<T>>
{
    using Result = T;
    static constexpr bool isAsync = true;
    static QFuture<T> toFuture(Task<T> &&task) { return runTask(std::move(task)); }

    //! Calls the wrapped function and keeps it, with its arguments, alive
    //! until the coroutine it returned has ended.
    template <typename F, typename Tuple>
    static QFuture<T> call(F function, Tuple arguments)
    {
        auto bound =
            std::make_unique<BoundCall<F, Tuple>>(std::move(function), std::move(arguments));
        Task<T> task = bound->invoke();
        return runTask(std::move(task), std::move(bound));
    }
};

} // namespace Crochet::detail
