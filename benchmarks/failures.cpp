// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Failures (issue 11): what a failing call costs next to a succeeding one,
// and what a failure costs while it is held.
//
// - Time: one caller makes waitFor() calls that throw a std::runtime_error
//   in the reactor and calls that return, in alternating blocks (as in
//   roundtrip.cpp), and compares the time per call.
// - Memory: N runInReactor() calls that throw are stashed at once and kept
//   until the reactor has run them all; bytes per held failure is the heap
//   growth over N plus the uid the caller keeps (measured as in memory.cpp:
//   mallinfo2(), chunk headers included). The time to make them is reported
//   too: each failure is caught, recorded and stashed.

#include "bench.h"

#include <crochet/crochet.h>

#include <malloc.h>

#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

// A short message, as most are: the text lives in the exception.
const auto crochetSucceed = Crochet::waitFor(60s, [](int x) { return x + 1; });
const auto crochetFail =
    Crochet::waitFor(60s, [](int) -> int { throw std::runtime_error("no such thing"); });
const auto crochetFailLater =
    Crochet::runInReactor([]() -> int { throw std::runtime_error("no such thing"); });
const auto crochetBarrier = Crochet::waitFor(60s, [] {});

void check(bool ok)
{
    if (!ok)
        throw std::logic_error("wrong answer in the failures benchmark");
}

//! Microseconds per succeeding waitFor() call, over \a calls calls.
double succeedingCallUs(int calls)
{
    const auto begin = Clock::now();
    for (int i = 0; i < calls; ++i)
        check(crochetSucceed(i) == i + 1);
    return secondsSince(begin) / calls * 1e6;
}

//! Microseconds per failing waitFor() call (the throw caught by the caller).
double failingCallUs(int calls)
{
    const auto begin = Clock::now();
    for (int i = 0; i < calls; ++i) {
        bool caught = false;
        try {
            crochetFail(i);
        } catch (const std::runtime_error &) {
            caught = true;
        }
        check(caught);
    }
    return secondsSince(begin) / calls * 1e6;
}

//! What \a objects stashed failures cost, and how long they took to make.
struct HeldFailures
{
    Footprint footprint;
    double seconds = 0;
};

HeldFailures stashedFailures(int objects)
{
    std::vector<quint64> uids;
    uids.reserve(size_t(objects));
    // Let the reactor free what earlier measurements left behind, and
    // consolidate the free chunks, which mallinfo2() walks (see memory.cpp).
    for (int i = 0; i < 3; ++i)
        crochetBarrier();
    malloc_trim(0);

    HeldFailures held;
    HeapMeter meter(objects);
    meter.start();
    const auto begin = Clock::now();
    for (int i = 0; i < objects; ++i)
        uids.push_back(crochetFailLater().stash());
    // Returns after every call above has failed: the queue is FIFO.
    crochetBarrier();
    held.seconds = secondsSince(begin);
    held.footprint = meter.stop(sizeof(quint64));

    // Retrieved, so that nothing is logged at exit.
    for (const quint64 uid : uids)
        check(Crochet::retrieveResult<int>(uid).originalFailure().has_value());
    return held;
}

} // namespace

void runFailures(const Options &options, Report &report)
{
    const int objects = options.count(100000, 10000);
    printHeading(QStringLiteral("Failures: a failing waitFor call next to a succeeding one, and "
                                "%1 failures held at once in the result store (median "
                                "[min..max] of %2 runs)")
                     .arg(objects)
                     .arg(options.repetitions));

    const int calls = options.count(5000, 500);
    succeedingCallUs(calls / 10);
    failingCallUs(calls / 10);
    // Blocks take turns, as in the roundtrip family: a burst of load on the
    // machine hits both alike. A run's figure is the median of its blocks.
    constexpr int Blocks = 10;
    const int blockCalls = calls / Blocks;
    Samples succeedingUs, failingUs, ratio;
    for (int r = 0; r < options.repetitions; ++r) {
        Samples succeedingBlocks, failingBlocks;
        for (int b = 0; b < Blocks; ++b) {
            succeedingBlocks.values.push_back(succeedingCallUs(blockCalls));
            failingBlocks.values.push_back(failingCallUs(blockCalls));
        }
        succeedingUs.values.push_back(succeedingBlocks.median());
        failingUs.values.push_back(failingBlocks.median());
        ratio.values.push_back(failingBlocks.median() / succeedingBlocks.median());
    }

    Samples heapBytes, newBytes, allocations, stashSeconds;
    for (int r = 0; r < options.repetitions; ++r) {
        const HeldFailures held = stashedFailures(objects);
        heapBytes.values.push_back(held.footprint.heapBytes);
        newBytes.values.push_back(held.footprint.newBytes);
        allocations.values.push_back(held.footprint.newAllocations);
        stashSeconds.values.push_back(held.seconds);
    }

    report.set(QStringLiteral("failure_call_us.failing"), failingUs.median());
    report.set(QStringLiteral("failure_call_us.succeeding"), succeedingUs.median());
    report.set(QStringLiteral("failure_cost_ratio"), ratio.median());
    report.set(QStringLiteral("failure_bytes"), heapBytes.median());
    report.set(QStringLiteral("failure_stash_us"), stashSeconds.median() / objects * 1e6);

    Table callTable({QStringLiteral("waitFor call"), QStringLiteral("us per call")});
    callTable.addRow({QStringLiteral("succeeding (returns x + 1)"), succeedingUs.text(2)});
    callTable.addRow({QStringLiteral("failing (throws std::runtime_error)"), failingUs.text(2)});
    callTable.addRow({QStringLiteral("failing / succeeding"), ratio.text(2)});
    callTable.print();

    Table heldTable({QStringLiteral("held failure (stashed EventualResult<int>)"),
                     QStringLiteral("heap B (mallinfo2)"), QStringLiteral("new B"),
                     QStringLiteral("allocs")});
    heldTable.addRow({QStringLiteral("per failure"), heapBytes.text(1),
                      number(newBytes.median(), 1), number(allocations.median(), 2)});
    heldTable.print();
    printNote(QStringLiteral("%1 stashed failures took %2 s to make and %3 MB of heap (medians; "
                             "the figures include the 8-byte uid the caller keeps).")
                  .arg(objects)
                  .arg(number(stashSeconds.median(), 2))
                  .arg(number(heapBytes.median() * objects / 1e6, 1)));

    report.addTarget(QStringLiteral("issue 11. failing call"),
                     QStringLiteral("failing / succeeding waitFor"), ratio.median(), 10, false);
    report.addTarget(QStringLiteral("issue 11. held failure"),
                     QStringLiteral("bytes per stashed failure"), heapBytes.median(), 512, false);
}

} // namespace Bench
