// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file wrappers.h
    runInReactor() and waitFor(): crochet's `@run_in_reactor` and
    `@wait_for(timeout)` for C++ callables.

    Each call runs a copy of the wrapped callable, made in the calling
    thread, so that calls from several threads never share it. A `mutable`
    lambda's state therefore does not carry over from one call to the next:
    `runInReactor([n = 0]() mutable { return ++n; })` gives 1 every time.
    State that must last belongs outside the callable (an object the
    callable points to).

    The arguments of a call are copied, or moved when passed as rvalues, to
    the reactor thread, where the function gets them. So:
    - a move-only argument (a `std::unique_ptr`) must be passed with
      `std::move()`;
    - an argument that can be neither copied nor moved (a QObject, a mutex)
      cannot be passed: pass a pointer or a `std::shared_ptr` to it;
    - the function may not take a parameter by non-const reference (a change
      would reach only the reactor's copy): take it by value or by const
      reference.

    Each of these mistakes stops the compilation with a `static_assert` that
    says so; so does a callable that cannot be copied.

    \library `#include <crochet/wrappers.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core` (or `Crochet::Crochet`). */

#include <crochet/detail/call.h>
#include <crochet/sourcelocation.h>

#include <chrono>

namespace Crochet {

/*!
    A callable returned by runInReactor(). Calling it copies/moves the
    arguments to the reactor thread, runs the function there and returns an
    EventualResult at once.

    \library `#include <crochet/wrappers.h>`, `Crochet::Core`.
    \threads Any thread, the reactor's included (the call is queued behind
    the one running). Copies may be used from several threads at once.
*/
template <typename F>
class ReactorFunction
{
public:
    //! The original callable, for unit tests that bypass the reactor.
    F wrappedFunction;
    //! Where runInReactor() was called; shown in Failure::traceback().
    SourceLocation wrappedAt;

    /*!
        Queues a call of the function with \a args in the reactor thread and
        returns its `EventualResult<R>` at once, R being the function's
        return type (X for a returned `QFuture<X>` or `Task<X>`,
        NetworkResponse for a `QNetworkReply *`). Whatever the function
        throws becomes the result's failure. The argument rules are in
        wrappers.h.

        \throws SetupError before setup() / noSetup().
        \throws ReactorStopped after shutdown() (the function never runs).
    */
    template <typename... Args>
    auto operator()(Args &&...args) const
    {
        if constexpr (detail::checkedCall<F, Args...>())
            return detail::call(wrappedFunction, wrappedAt, std::forward<Args>(args)...);
    }
};

/*!
    A callable returned by waitFor(). Calling it runs the function in the
    reactor thread and blocks until it returns, at most the timeout.

    \library `#include <crochet/wrappers.h>`, `Crochet::Core`.
    \threads Any thread but the reactor's (there it would deadlock).
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

    /*!
        Runs the function with \a args in the reactor thread and returns its
        result R (as ReactorFunction::operator()() describes it), sleeping
        until it is there. On timeout it cancels the operation, then throws.
        The argument rules are in wrappers.h.

        \throws TimeoutError when the timeout runs out first.
        \throws ReactorThreadError on the reactor thread.
        \throws SetupError before setup() / noSetup().
        \throws ReactorStopped after shutdown(), or when the reactor stops
        before the result came.
        \throws CancelledError when the result was cancelled (a returned
        QFuture cancelled by its producer).
        \throws ... whatever the function threw, re-thrown as it was.
    */
    template <typename... Args>
    auto operator()(Args &&...args) const
    {
        if constexpr (detail::checkedCall<F, Args...>()) {
            detail::ensureNotReactorThread("a waitFor() function");
            auto result = detail::call(wrappedFunction, wrappedAt, std::forward<Args>(args)...);
            try {
                return result.wait(timeout);
            } catch (const TimeoutError &) {
                result.cancel();
                throw;
            }
        }
    }
};

/*!
    Wraps \a function (a lambda, function pointer, std::function or pointer
    to member function, whose object pointer is then the first argument) so
    that calling it runs it in the reactor thread and returns an
    EventualResult at once. A returned QFuture<X>, Task<X> or
    QNetworkReply * is waited on transparently: the result is then
    EventualResult<X> (EventualResult<NetworkResponse>). \a wrappedAt is
    filled in by the compiler: where the wrapper is made.

    \code
    static const auto add = Crochet::runInReactor([](int a, int b) { return a + b; });
    Crochet::EventualResult<int> sum = add(1, 2);
    \endcode

    \library `#include <crochet/wrappers.h>`, `Crochet::Core`.
    \threads Any thread, also before setup() (a wrapper is often a static).
    \throws ... only what copying or moving \a function throws.
*/
template <typename F>
auto runInReactor(F function, SourceLocation wrappedAt = SourceLocation::current())
{
    detail::requireCopyableCallable<F>();
    return ReactorFunction<F>{std::move(function), wrappedAt};
}

/*!
    Wraps \a function so that calling it runs it in the reactor thread and
    blocks for its result, for at most \a timeout (any std::chrono
    duration), like runInReactor() followed by EventualResult::wait().

    \code
    static const auto add = Crochet::waitFor(1s, [](int a, int b) { return a + b; });
    int three = add(1, 2);
    \endcode

    \library `#include <crochet/wrappers.h>`, `Crochet::Core`.
    \threads Any thread, also before setup(); the returned function may not
    be called on the reactor thread.
    \throws ... only what copying or moving \a function throws.
*/
template <class Rep, class Period, typename F>
auto waitFor(std::chrono::duration<Rep, Period> timeout, F function,
             SourceLocation wrappedAt = SourceLocation::current())
{
    detail::requireCopyableCallable<F>();
    return BlockingReactorFunction<F, std::chrono::duration<Rep, Period>>{std::move(function),
                                                                          timeout, wrappedAt};
}

} // namespace Crochet
