// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file combine.h
    whenAll() and whenAny(): one EventualResult made of several, as Twisted's
    gatherResults() and DeferredList(fireOnOneCallback=True) make one
    Deferred of several.

    All three may be called from any thread, the reactor's included, before,
    while or after the inputs complete. None blocks or starts a thread: each
    input gets a completion listener, and the combined result completes in
    the thread that completes the input that decides it (the reactor, a
    thread that cancels one, a shutting-down one). Cancelling the combined
    result cancels every input; its progress() is the mean of the inputs'
    progress where known (an input that is complete counts 1; -1 when no
    input knows its progress). They throw nothing but std::bad_alloc.

    What a combination takes from its inputs:
    - Values: a copy of each; a move-only value is taken, as by wait() (a
      later wait() on that input throws Error), and only once it is needed:
      whenAll() takes none once it has failed or been cancelled, whenAny()
      only the winner's. A value whose copy throws fails the combination.
    - Failures: the combination consumes every failure of its inputs, as
      gatherResults(consumeErrors=True) does: each counts as retrieved and
      is never logged as an unretrieved failure of its input, not at
      shutdown either (when stashed). The failure the combination passes on
      becomes its own (same exception, stack and wrap site), logged if
      nobody retrieves it from the combined result; the inputs' other
      failures, which it does not pass on, are dropped. A cancellation is
      never logged.
    - It holds references, not handles: an input a program no longer holds
      stays alive until it completes, then goes.
    - Cancelling an input is not private to the combination: an input held
      elsewhere too, or given to two combinations, is cancelled for all
      (whenAny()'s success, whenAll()'s failure and cancel() all cancel).

    The list forms' types are spelled with detail::CombinedValue<T>, which
    is T itself; only for a void T does it differ, so that the static_assert
    is the one error the compiler reports.
*/

#include <crochet/detail/combine.h>

namespace Crochet {

/*!
    A result with the values of \a results, in their order, once all have
    succeeded. The first to fail (in time) fails it with its failure (the
    same exception, re-thrown by wait()), and the others are cancelled.
    Ready at once, with an empty list, when \a results is empty. Not for
    void results: use the variadic form, whose void inputs give
    std::monostate. A list of a move-only type can be read but not changed
    (QList copies its elements when it detaches); the variadic form gives a
    std::tuple, which has no such limit.

    \library `#include <crochet/combine.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
    \threads Any thread, before, while or after the inputs complete; it does
    not block.
    \throws std::bad_alloc only; failures of the inputs come through the
    result.
*/
template <typename T>
EventualResult<QList<detail::CombinedValue<T>>> whenAll(QList<EventualResult<T>> results)
{
    static_assert(!std::is_void_v<T>,
                  "Crochet::whenAll(QList<EventualResult<void>>) is not allowed: a void result has "
                  "no value to list. Use the variadic form, whenAll(a, b, ...), where a void "
                  "input gives std::monostate");
    if constexpr (!std::is_void_v<T>)
        return detail::combineList<detail::AllOfList<T>>(results);
}

/*!
    A result with the values of \a results as a tuple, in their order, once
    all have succeeded; a void result contributes std::monostate. Fails and
    cancels like the list form; with no argument it is ready at once with
    an empty tuple.

    \library `#include <crochet/combine.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
    \threads Any thread, before, while or after the inputs complete; it does
    not block.
    \throws std::bad_alloc only; failures of the inputs come through the
    result.
*/
template <typename... T>
EventualResult<std::tuple<detail::CombinedValue<T>...>> whenAll(EventualResult<T>... results)
{
    return detail::combinePack(results...);
}

/*!
    A result with the index (in \a results) and the value of the first of
    \a results to succeed; the others are then cancelled. It fails only
    when every one has failed, with the last failure (in time). An empty
    list fails it at once with Crochet::Error. Not for void results (there
    is no value to give).

    \library `#include <crochet/combine.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
    \threads Any thread, before, while or after the inputs complete; it does
    not block.
    \throws std::bad_alloc only; an empty list fails the result, it does not
    throw.
*/
template <typename T>
EventualResult<std::pair<qsizetype, detail::CombinedValue<T>>>
whenAny(QList<EventualResult<T>> results)
{
    static_assert(!std::is_void_v<T>,
                  "Crochet::whenAny(QList<EventualResult<void>>) is not allowed: a void result has "
                  "no value to give. Have the functions return a value (true, say), or use "
                  "whenAll(a, b, ...), where a void input gives std::monostate");
    if constexpr (!std::is_void_v<T>)
        return detail::combineList<detail::AnyOfList<T>>(results);
}

} // namespace Crochet
