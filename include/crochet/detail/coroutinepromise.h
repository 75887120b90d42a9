// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. The promise type of
// Crochet::Task<T>: where its value or exception is kept, who resumes when it
// ends, and what each co_await expression in it waits on.

#include <crochet/detail/call.h>
#include <crochet/detail/coroutineawaiters.h>

#include <QtCore/QtGlobal>

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace Crochet {
template <typename T>
class Task;
}

namespace Crochet::detail {

template <typename T>
struct IsQFuture : std::false_type
{};
template <typename X>
struct IsQFuture<QFuture<X>> : std::true_type
{
    using Value = X;
};

template <typename T>
struct IsTask : std::false_type
{};
template <typename U>
struct IsTask<Task<U>> : std::true_type
{
    using Value = U;
};

//! Told when a top-level Task (one no other Task awaits) has finished.
class TaskObserver
{
public:
    //! In the reactor thread, from inside the finished coroutine.
    virtual void taskFinished() noexcept = 0;

protected:
    ~TaskObserver() = default;
};

template <typename U>
class TaskAwaiter;
template <typename T>
class TaskPromise;

class TaskPromiseBase;

/*!
    The coroutine frame a Task owns. Destroying it destroys the chain of
    Tasks it awaits from the innermost out, one at a time: a chain any
    depth of which can be awaited (100,000 deep) can be destroyed, where
    each frame destroying the one it awaits would overflow the stack.
*/
class TaskFrame
{
public:
    TaskFrame() = default;
    TaskFrame(std::coroutine_handle<> frame, TaskPromiseBase *promise) noexcept
        : m_frame(frame)
        , m_promise(promise)
    {}
    TaskFrame(TaskFrame &&other) noexcept
        : m_frame(std::exchange(other.m_frame, {}))
        , m_promise(std::exchange(other.m_promise, nullptr))
    {}
    TaskFrame &operator=(TaskFrame &&other) noexcept
    {
        if (this != &other) {
            destroy();
            m_frame = std::exchange(other.m_frame, {});
            m_promise = std::exchange(other.m_promise, nullptr);
        }
        return *this;
    }
    ~TaskFrame() { destroy(); }

    void *address() const noexcept { return m_frame.address(); }
    //! Destroys the frame and every Task frame it awaits; then empty.
    inline void destroy() noexcept;

private:
    std::coroutine_handle<> m_frame;
    TaskPromiseBase *m_promise = nullptr;
};

//! The coroutine behind a Task, for the library's own templates.
struct TaskAccess
{
    template <typename T>
    static std::coroutine_handle<TaskPromise<T>> handle(const Task<T> &task) noexcept
    {
        return std::coroutine_handle<TaskPromise<T>>::from_address(task.m_frame.address());
    }
    //! Destroys the frame now; the Task becomes empty.
    template <typename T>
    static void destroy(Task<T> &task) noexcept
    {
        task.m_frame.destroy();
    }
};

//! Everything of a Task's promise but its value.
class TaskPromiseBase
{
public:
    //! Lazy: a Task runs once something awaits it, or the reactor starts it.
    std::suspend_always initial_suspend() const noexcept { return {}; }

    //! Resumes the awaiting Task (through transferTask(): no stack growth
    //! along a chain of awaits) or tells the observer of a top-level one.
    auto final_suspend() const noexcept
    {
        struct FinalAwaiter
        {
            bool await_ready() const noexcept { return false; }
            void await_resume() const noexcept {}
            void await_suspend(std::coroutine_handle<>) const noexcept
            {
                // The awaiting Task may destroy this frame at once: nothing
                // of this awaiter is used after either call.
                if (promise.m_continuation)
                    transferTask(promise.m_continuation);
                else if (promise.m_observer)
                    promise.m_observer->taskFinished();
            }
            const TaskPromiseBase &promise;
        };
        return FinalAwaiter{*this};
    }

    void unhandled_exception() noexcept { m_error = std::current_exception(); }

    /*!
        What `co_await x` waits on: a QFuture through a FutureAwaiter,
        another Task through a TaskAwaiter, any other asynchronous return
        type a layer defines in ReturnTraits (a QNetworkReply *, with
        <crochet/network.h>) through the QFuture it turns into, and any
        other awaitable (Crochet::sleep()) as it is.
    */
    template <typename Awaited>
    decltype(auto) await_transform(Awaited &&awaited)
    {
        using Plain = std::remove_cvref_t<Awaited>;
        if constexpr (IsQFuture<Plain>::value) {
            return FutureAwaiter<typename IsQFuture<Plain>::Value>(std::forward<Awaited>(awaited));
        } else if constexpr (IsTask<Plain>::value) {
            return TaskAwaiter<typename IsTask<Plain>::Value>(awaited, *this);
        } else if constexpr (ReturnTraits<Plain>::isAsync) {
            using Traits = ReturnTraits<Plain>;
            return FutureAwaiter<typename Traits::Result>(Traits::toFuture(Plain(awaited)));
        } else {
            return std::forward<Awaited>(awaited);
        }
    }

    //! Re-throws the exception the coroutine ended with, if any.
    void rethrowIfFailed() const
    {
        if (m_error)
            std::rethrow_exception(m_error);
    }

    void setObserver(TaskObserver *observer) noexcept { m_observer = observer; }

    //! This Task suspends awaiting \a awaited, whose promise is \a awaitedPromise.
    void startAwaiting(TaskFrame &awaited, TaskPromiseBase &awaitedPromise,
                       std::coroutine_handle<> self) noexcept
    {
        awaitedPromise.m_continuation = self;
        awaitedPromise.m_awaiting = this;
        m_awaited = &awaited;
    }
    //! This Task resumed: the one it awaited has ended.
    void stopAwaiting() noexcept { m_awaited = nullptr; }

private:
    friend class TaskFrame;

    std::coroutine_handle<> m_continuation;
    TaskPromiseBase *m_awaiting = nullptr; // the promise of m_continuation
    TaskFrame *m_awaited = nullptr;        // in this frame, while suspended awaiting it
    TaskObserver *m_observer = nullptr;
    std::exception_ptr m_error;
};

void TaskFrame::destroy() noexcept
{
    if (!m_frame)
        return;
    TaskPromiseBase *const outermost = std::exchange(m_promise, nullptr);
    const std::coroutine_handle<> outermostFrame = std::exchange(m_frame, {});
    // The innermost first, as each frame would destroy the one it awaits
    // before its own older locals; each is taken from the frame awaiting it
    // first, so that destroying that frame finds it gone.
    TaskPromiseBase *inner = outermost;
    while (inner->m_awaited)
        inner = inner->m_awaited->m_promise;
    while (inner != outermost) {
        TaskPromiseBase *const outer = inner->m_awaiting;
        TaskFrame *const holder = std::exchange(outer->m_awaited, nullptr);
        holder->m_promise = nullptr;
        std::exchange(holder->m_frame, {}).destroy();
        inner = outer;
    }
    outermostFrame.destroy();
}

template <typename T>
class TaskPromise final : public TaskPromiseBase
{
public:
    Task<T> get_return_object() noexcept;

    template <typename U = T>
    requires std::is_constructible_v<T, U &&>
    void return_value(U &&value) { m_value.emplace(std::forward<U>(value)); }

    //! The value, moved out: precondition, the coroutine returned one.
    T takeValue()
    {
        rethrowIfFailed();
        return std::move(*m_value);
    }

private:
    std::optional<T> m_value;
};

template <>
class TaskPromise<void> final : public TaskPromiseBase
{
public:
    Task<void> get_return_object() noexcept;
    void return_void() const noexcept {}
    void takeValue() const { rethrowIfFailed(); }
};

//! `co_await task` inside another Task: starts \a task and resumes the
//! awaiting one when it ends. The awaited Task is a temporary (or a local)
//! of the awaiting frame, so destroying that frame destroys it too.
template <typename U>
class TaskAwaiter
{
public:
    TaskAwaiter(Task<U> &task, TaskPromiseBase &awaiting)
        : m_task(task)
        , m_awaiting(awaiting)
    {}

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> awaiting) noexcept
    {
        auto coroutine = TaskAccess::handle(m_task);
        Q_ASSERT_X(coroutine && !coroutine.done(), "co_await Task",
                   "a Task can be awaited once only");
        m_awaiting.startAwaiting(m_task.m_frame, coroutine.promise(), awaiting);
        transferTask(coroutine);
    }
    U await_resume()
    {
        m_awaiting.stopAwaiting();
        return TaskAccess::handle(m_task).promise().takeValue();
    }

private:
    Task<U> &m_task;
    TaskPromiseBase &m_awaiting;
};

} // namespace Crochet::detail
