// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file wrappers.h
    runInReactor() and waitFor(): crochet's @run_in_reactor and
    @wait_for(timeout) for C++ callables.

    Each call runs a copy of the wrapped callable, made in the calling
    thread, so that calls from several threads never share it. A `mutable`
    lambda's state therefore does not carry over from one call to the next:
    `runInReactor([n = 0]() mutable { return ++n; })` gives 1 every time.
    State that must last belongs outside the callable (an object the
    callable points to). */

#include <crochet/detail/call.h>
#include <crochet/sourcelocation.h>

#include <chrono>

namespace Crochet {

/*!
    A callable returned by runInReactor(). Calling it copies/moves the
    arguments to the reactor thread, runs the function there and returns an
    EventualResult at once. Thread-safe; throws SetupError before setup()
    and ReactorStopped after shutdown().
*/
template <typename F>
class ReactorFunction
{
public:
    //! The original callable, for unit tests that bypass the reactor.
    F wrappedFunction;
    //! Where runInReactor() was called; shown in Failure::traceback().
    SourceLocation wrappedAt;

    template <typename... Args>
    EventualResult<detail::CallResult<F, Args...>> operator()(Args &&...args) const
    {
        return detail::call(wrappedFunction, wrappedAt, std::forward<Args>(args)...);
    }
};

/*!
    A callable returned by waitFor(). Calling it runs the function in the
    reactor thread and blocks until it returns, at most the timeout. On
    timeout it cancels the operation, then throws TimeoutError. Throws
    ReactorThreadError on the reactor thread, SetupError before setup(),
    ReactorStopped after shutdown(), and whatever the function threw.
*/
template <typename F, typename Duration>
class BlockingReactorFunction
{
public:
    //! The original callable, for unit tests that bypass the reactor.
    F wrappedFunction;
    //! How long a call waits for its result.
    Duration timeout;
    //! Where waitFor() was called; shown in Failure::traceback().
    SourceLocation wrappedAt;

    template <typename... Args>
    detail::CallResult<F, Args...> operator()(Args &&...args) const
    {
        detail::ensureNotReactorThread("a waitFor() function");
        auto result = detail::call(wrappedFunction, wrappedAt, std::forward<Args>(args)...);
        try {
            return result.wait(timeout);
        } catch (const TimeoutError &) {
            result.cancel();
            throw;
        }
    }
};

/*!
    Wraps \a function (a lambda, function pointer, std::function or pointer
    to member function, whose object pointer is then the first argument) so
    that calling it runs it in the reactor thread and returns an
    EventualResult. A returned QFuture<X> (or QNetworkReply *) is waited on
    transparently: the result is then EventualResult<X> (NetworkResponse).
*/
template <typename F>
auto runInReactor(F function, SourceLocation wrappedAt = SourceLocation::current())
{
    return ReactorFunction<F>{std::move(function), wrappedAt};
}

/*!
    Wraps \a function so that calling it runs it in the reactor thread and
    blocks for its result, for at most \a timeout.
*/
template <class Rep, class Period, typename F>
auto waitFor(std::chrono::duration<Rep, Period> timeout, F function,
             SourceLocation wrappedAt = SourceLocation::current())
{
    return BlockingReactorFunction<F, std::chrono::duration<Rep, Period>>{std::move(function),
                                                                          timeout, wrappedAt};
}

} // namespace Crochet
