// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file reactorstats.h
    Crochet::reactorStats(): how loaded the reactor is, for a status line, a
    health check or a test. In QML, the singleton `Reactor` of `import
    Crochet` shows the same figures. */

#include <crochet/global.h>

#include <chrono>

namespace Crochet {

/*!
    What the reactor is doing: a snapshot taken by reactorStats().

    The counts are read at once. The lag and the busy fraction cover the
    last 10 s (less just after setup()) and are measured by the reactor
    itself: a timer in its thread, due every 100 ms (every second while
    the reactor has nothing to do), records how late it runs, and the
    thread's scheduler statistics say how much of the time it was running
    or waiting for a CPU. Nothing is measured per call.

    \library `#include <crochet/reactorstats.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
*/
struct ReactorStats
{
    /*! EventualResults of wrapped calls not yet complete: calls queued or
        running, and results waiting in the reactor for an operation (a
        returned QFuture, a network reply, a coroutine). A combination
        (whenAll(), whenAny()) is not counted apart: its inputs are. */
    qsizetype pendingResults = 0;
    //! Calls posted to the reactor that have not started yet. A call
    //! cancelled before it ran counts until the reactor skips it.
    qsizetype queuedCalls = 0;
    //! Replies of networkAccessManager() started and not finished.
    qsizetype repliesInFlight = 0;
    /*! The event loop's lag over the last 10 s, median and 99th percentile:
        how long an event waited for the reactor thread to be free. While
        the thread is held up (a long call), the lag of the events waiting
        since then counts already. With at most about 100 samples in 10 s,
        p99 is close to the largest lag of the window. */
    std::chrono::microseconds lagP50{0};
    //! The 99th percentile of the same lags (see lagP50).
    std::chrono::microseconds lagP99{0};
    /*! The share of the last 10 s that the reactor thread was busy, 0..1:
        running, or ready to run and waiting for a CPU (not waiting for
        events or sleeping). */
    double busyFraction = 0;
};

/*!
    The reactor's figures now. Any thread; does not block beyond a few short
    locks and reading the reactor thread's scheduler statistics. Throws
    SetupError before setup() or noSetup() (and in a fork()ed child until it
    calls setup()). After shutdown() the counts are 0 and the lag and busy
    fraction those measured until the reactor stopped.

    \library `#include <crochet/reactorstats.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
    \threads Any thread, the reactor's included.
    \throws SetupError before setup() or noSetup(), or in a fork()ed child
    before it calls setup().
*/
CROCHET_EXPORT ReactorStats reactorStats();

} // namespace Crochet
