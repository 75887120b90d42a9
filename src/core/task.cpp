// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// The loop that resumes Tasks one after another (see coroutineawaiters.h):
// a Task that awaits another, or ends and resumes the one awaiting it, hands
// the next coroutine to this loop instead of resuming it from its own stack.
// Symmetric transfer (await_suspend returning the next handle) would do the
// same only where the compiler makes it a tail call, which the sanitizer
// builds do not: a 10,000-deep chain overflowed the stack there.
#include <crochet/task.h>

#include <utility>

namespace Crochet::detail {

namespace {

// The next coroutine the innermost running loop of this thread resumes;
// null when no loop runs.
thread_local std::coroutine_handle<> *t_next = nullptr;

} // namespace

void resumeTask(std::coroutine_handle<> coroutine) noexcept
{
    std::coroutine_handle<> next = coroutine;
    std::coroutine_handle<> *const outer = std::exchange(t_next, &next);
    // A Task's resume() does not throw: its promise keeps what it threw.
    while (next)
        std::exchange(next, {}).resume();
    t_next = outer;
}

void transferTask(std::coroutine_handle<> next) noexcept
{
    // The running loop resumes it as soon as the caller has suspended. A
    // slot already taken means a coroutine resumed outside the loop (by
    // another library's awaitable, from inside a Task) handed one over
    // before: this one gets a loop of its own.
    if (t_next && !*t_next) {
        *t_next = next;
        return;
    }
    resumeTask(next);
}

} // namespace Crochet::detail
