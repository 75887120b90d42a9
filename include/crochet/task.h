// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file task.h
    Crochet::Task<T>: a C++20 coroutine that runs in the reactor thread. A
    function given to runInReactor() or waitFor() may be such a coroutine:
    it co_awaits QFutures, QNetworkReply pointers (include
    <crochet/network.h>), lookupHost(), Crochet::sleep() and other Tasks,
    and its caller gets the co_returned value, or the exception, like that
    of any other function:

    \code
    static const auto fetchBoth =
        Crochet::waitFor(10s, [](QUrl a, QUrl b) -> Crochet::Task<qsizetype> {
            auto *manager = Crochet::networkAccessManager();
            const Crochet::NetworkResponse first = co_await manager->get(QNetworkRequest(a));
            co_await Crochet::sleep(100ms);
            const Crochet::NetworkResponse second = co_await manager->get(QNetworkRequest(b));
            co_return first.body.size() + second.body.size();
        });
    \endcode

    Cancelling the EventualResult (or a waitFor() timeout) cancels what the
    coroutine is suspended in (the awaited QFuture is cancelled, a reply
    aborted, a lookup aborted, a sleep's timer stopped) and destroys the
    coroutine without resuming it: the code after that co_await never runs
    and its locals are destroyed, in the reactor thread.

    Header-only; it needs nothing but the core library and a C++20
    compiler.

    \library `#include <crochet/task.h>` (not included by
    `<crochet/crochet.h>`), CMake target `Crochet::Core`. */

#include <crochet/detail/coroutinepromise.h>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <utility>

namespace Crochet {

/*!
    A coroutine returning \a T (void by default), run in the reactor thread.

    Return it from a function run by runInReactor() or waitFor(); inside
    it, `co_await`:
    - a `QFuture<X>`: gives the X, re-throws the future's exception, throws
      CancelledError if its producer cancelled it;
    - a `QNetworkReply *` (include <crochet/network.h>): gives the
      NetworkResponse, throws NetworkError when there is no HTTP answer;
    - `Crochet::lookupHost(name)`: a QFuture like any other;
    - `Crochet::sleep(duration)`: resumes after that time;
    - another `Task<U>`: runs it and gives its value or re-throws its
      exception; cancelling the outer Task cancels the inner one too.

    A Task starts only when the reactor runs it (or a Task awaits it); it
    runs and resumes only in the reactor thread, so it may use the
    reactor's objects (networkAccessManager()) freely. It must not run a
    nested event loop. Awaitables of other libraries work if they resume
    it in the reactor thread; they are not cancelled, only destroyed.

    The lambda's captures and the function's arguments live as long as the
    coroutine (the reactor keeps them), so a capturing lambda is safe. As
    with any coroutine, pointers and references to things outside it must
    stay valid until it ends.

    Move-only; destroying a Task that has not finished destroys its
    coroutine (and cancels what it awaits).

    \library `#include <crochet/task.h>`, `Crochet::Core`.
    \threads The reactor thread: a Task is made, run and destroyed there.
*/
template <typename T = void>
class [[nodiscard]] Task
{
    static_assert(!std::is_reference_v<T>, "a Task returns a value, not a reference");

public:
    //! The coroutine's promise (C++20's coroutine machinery; not for users).
    using promise_type = detail::TaskPromise<T>;

    //! Takes over \a other's coroutine.
    Task(Task &&other) noexcept = default;
    //! Destroys this Task's coroutine, if any, and takes over \a other's.
    Task &operator=(Task &&other) noexcept = default;
    //! Destroys the coroutine if it has not finished.
    ~Task() = default;

private:
    friend class detail::TaskPromise<T>;
    friend struct detail::TaskAccess;
    template <typename U>
    friend class detail::TaskAwaiter;

    explicit Task(std::coroutine_handle<promise_type> coroutine) noexcept
        : m_frame(coroutine, &coroutine.promise())
    {}

    detail::TaskFrame m_frame;
};

/*!
    `co_await Crochet::sleep(100ms)` inside a Task resumes it after \a delay
    (rounded up to milliseconds; a negative one counts as zero) without
    blocking the reactor. Cancelling the Task meanwhile stops the timer.

    \library `#include <crochet/task.h>`, `Crochet::Core`.
    \threads Inside a Task, in the reactor thread.
    \nothrow
*/
template <class Rep, class Period>
detail::SleepAwaiter sleep(std::chrono::duration<Rep, Period> delay)
{
    using std::chrono::milliseconds;
    return detail::SleepAwaiter(std::max(milliseconds(0), std::chrono::ceil<milliseconds>(delay)));
}

//! \cond
namespace detail {

template <typename T>
Task<T> TaskPromise<T>::get_return_object() noexcept
{
    return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}

inline Task<void> TaskPromise<void>::get_return_object() noexcept
{
    return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}

} // namespace detail
//! \endcond

} // namespace Crochet

#include <crochet/detail/coroutinerunner.h>
