// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. Turns a callable and its
// arguments into a call for the reactor and an EventualResult.

#include <crochet/detail/future.h>
#include <crochet/detail/reactorservices.h>
#include <crochet/eventualresult.h>

#include <functional>
#include <tuple>
#include <type_traits>

namespace Crochet::detail {

/*!
    What a wrapped function's return type R means to the caller: Result is
    the EventualResult's type; asynchronous returns provide
    `static QFuture<Result> toFuture(R&&)`, waited on transparently, by a
    wrapped function's caller and by `co_await` in a Task alike.

    The open point where the other layers plug in: the core knows QFuture
    (here) and Task (coroutinerunner.h); <crochet/network.h> specialises it
    for QNetworkReply *. Include that header (or <crochet/crochet.h>)
    wherever a wrapped function returns a reply.
*/
template <typename R>
struct ReturnTraits
{
    using Result = R;
    static constexpr bool isAsync = false;
};

template <typename X>
struct ReturnTraits<QFuture<X>>
{
    using Result = X;
    static constexpr bool isAsync = true;
    static QFuture<X> toFuture(QFuture<X> &&future) { return std::move(future); }
};

/*!
    Calls \a function with \a arguments (moved) for an asynchronous return
    type and returns its QFuture. A return type whose operation still refers
    to the function or its arguments after the call returned (a coroutine's
    frame refers to a lambda's captures and to reference parameters) provides
    `static QFuture<Result> call(F, std::tuple<Args...>)` instead, and keeps
    them alive itself. One that can complete the result without a QFuture
    (a QNetworkReply) provides `static void adopt(const Ref<ResultState<Result>> &, R &&)`.
*/
template <typename Traits, typename F, typename Tuple>
auto startAsync(F &function, Tuple &arguments)
{
    if constexpr (requires { Traits::call(std::move(function), std::move(arguments)); })
        return Traits::call(std::move(function), std::move(arguments));
    else
        return Traits::toFuture(std::apply(function, std::move(arguments)));
}

//! False for any type: a static_assert that fires only when instantiated.
template <typename>
inline constexpr bool dependentFalse = false;

/*!
    Whether an argument of type \a Arg (as passed: `T &` for an lvalue) can
    be stored for the call, which copies or moves it to the reactor thread.
    When it cannot, a static_assert says what to do instead, and the call
    is not compiled further (no screens of std::tuple errors).
*/
template <typename Arg>
constexpr bool storableArgument()
{
    using Stored = std::decay_t<Arg>;
    if constexpr (std::is_constructible_v<Stored, Arg &&>) {
        return true;
    } else if constexpr (std::is_lvalue_reference_v<Arg> &&
                         !std::is_const_v<std::remove_reference_t<Arg>> &&
                         std::is_move_constructible_v<Stored>) {
        static_assert(dependentFalse<Arg>,
                      "Crochet: a move-only argument was passed as an lvalue. The call moves its "
                      "arguments to the reactor thread: pass it with std::move(argument).");
        return false;
    } else if constexpr (std::is_move_constructible_v<Stored>) {
        static_assert(dependentFalse<Arg>,
                      "Crochet: a const move-only argument cannot be moved to the reactor thread: "
                      "pass a non-const one with std::move(argument).");
        return false;
    } else {
        static_assert(dependentFalse<Arg>,
                      "Crochet: an argument can be neither copied nor moved to the reactor thread "
                      "(a QObject, a mutex, ...): pass a pointer or a std::shared_ptr to it, and "
                      "take that in the wrapped function.");
        return false;
    }
}

/*!
    Whether \a F can be called with the stored arguments: they are rvalues
    of the decayed argument types, owned by the call in the reactor thread.
*/
template <typename F, typename... Args>
constexpr bool callableWithStoredArguments()
{
    if constexpr (std::is_invocable_v<F &, std::decay_t<Args>...>) {
        return true;
    } else if constexpr (std::is_invocable_v<F &, std::decay_t<Args> &...>) {
        static_assert(dependentFalse<F>,
                      "Crochet: the wrapped function has a non-const reference parameter. Its "
                      "arguments are copies that live in the reactor thread, so a change would "
                      "never reach the caller: take the parameter by value or by const reference "
                      "(or pass a pointer).");
        return false;
    } else {
        static_assert(dependentFalse<F>,
                      "Crochet: the wrapped function cannot be called with these arguments (after "
                      "they are copied or moved to the reactor thread): check their number and "
                      "types.");
        return false;
    }
}

//! The checks of a wrapper's call, each with a message that says what to do.
template <typename F, typename... Args>
constexpr bool checkedCall()
{
    if constexpr (!std::is_copy_constructible_v<F>) // requireCopyableCallable() said so
        return false;
    else if constexpr (!(storableArgument<Args>() && ...))
        return false;
    else
        return callableWithStoredArguments<F, Args...>();
}

//! A wrapped callable must be copyable: each call runs its own copy.
template <typename F>
void requireCopyableCallable()
{
    static_assert(std::is_copy_constructible_v<F>,
                  "Crochet: the wrapped callable must be copyable, as each call runs its own "
                  "copy: hold move-only state through a std::shared_ptr (e.g. capture a "
                  "std::shared_ptr instead of a std::unique_ptr).");
}

template <typename F, typename... Args>
using RawResult = std::invoke_result_t<F &, std::decay_t<Args>...>;

template <typename F, typename... Args>
using CallResult = typename ReturnTraits<RawResult<F, Args...>>::Result;

//! A call of F with stored arguments, run once in the reactor thread.
template <typename F, typename... Args>
class FunctionCall final : public QueuedCall
{
public:
    using Raw = std::invoke_result_t<F &, Args...>;
    using Traits = ReturnTraits<Raw>;
    using Result = typename Traits::Result;

    template <typename G, typename... A>
    FunctionCall(ResultState<Result> *state, G &&function, A &&...args)
        : QueuedCall(state)
        , m_function(std::forward<G>(function))
        , m_arguments(std::forward<A>(args)...)
    {}

    void run() override
    {
        auto *state = static_cast<ResultState<Result> *>(this->state());
        try {
            // A null function pointer fails like an empty std::function
            // instead of crashing the reactor thread.
            if constexpr (std::is_pointer_v<F> || std::is_member_pointer_v<F>) {
                if (!m_function)
                    throw std::bad_function_call();
            }
            if constexpr (Traits::isAsync) {
                state->ref();
                const auto ref = Ref<ResultState<Result>>::adopt(state);
                if constexpr (requires { Traits::adopt(ref, std::declval<Raw>()); })
                    Traits::adopt(ref, std::apply(m_function, std::move(m_arguments)));
                else
                    adoptFuture(ref, startAsync<Traits>(m_function, m_arguments));
            } else if constexpr (std::is_void_v<Raw>) {
                std::apply(m_function, std::move(m_arguments));
                state->succeed();
            } else {
                state->succeed(std::apply(m_function, std::move(m_arguments)));
            }
        } catch (...) {
            failWithCurrentException(*state);
        }
    }

private:
    F m_function;
    std::tuple<Args...> m_arguments;
};

//! Queues a call of \a function with \a args; returns its result at once.
template <typename F, typename... Args>
auto call(const F &function, SourceLocation wrappedAt, Args &&...args)
{
    using Call = FunctionCall<F, std::decay_t<Args>...>;
    using Result = typename Call::Result;
    auto *state = new ResultState<Result>(wrappedAt);
    auto result = ResultAccess::make(state);
    state->deref(); // the handle in result keeps it alive
    post(new Call(state, function, std::forward<Args>(args)...));
    return result;
}

} // namespace Crochet::detail
