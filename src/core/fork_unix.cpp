// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// fork(): only the forking thread exists in the child. The handler re-creates
// the locks another thread of the parent may have held, forgets the parent's
// reactor (calls then throw SetupError naming fork, and setup() starts a new
// one), and advances the fork generation: results made before, still pending,
// can never complete in the child and fail when next used
// (ResultStateBase::failIfForkedAway()). It may not allocate or take a lock
// that static initialisation would: what it touches exists before.

#include "fork_p.h"
#include "reactor_p.h"
#include "resultstate_p.h"
#include "resultstore_p.h"

#include <crochet/detail/resultstate.h>

#include <pthread.h>

#include <atomic>

namespace Crochet::detail {

namespace {

// An atomic increment is all the child handler does with it.
constinit std::atomic<quint16> currentForkGeneration{0};

void childAfterFork()
{
    resetResultLocksAfterFork();
    currentForkGeneration.fetch_add(1, std::memory_order_relaxed);
    ResultStore::global().resetLockAfterFork();
    Reactor::global().forgetAfterFork();
}

} // namespace

quint16 forkGeneration() noexcept
{
    return currentForkGeneration.load(std::memory_order_relaxed);
}

void installForkHandler()
{
    // The child handler only re-creates what exists: create the
    // function-local statics it touches now, so that it neither allocates
    // nor takes a static-initialisation guard in the child.
    createResultLocks();
    ResultStore::global();
    Reactor::global();
    pthread_atfork(nullptr, nullptr, &childAfterFork);
}

} // namespace Crochet::detail
