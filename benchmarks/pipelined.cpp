// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Pipelined calls: one thread issues N calls without waiting, then waits
// for every result in order. Throughput is N over the whole time.

#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QObject>

#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

const auto crochetIncrement = Crochet::runInReactor([](int x) { return x + 1; });

void check(bool ok)
{
    if (!ok)
        throw std::logic_error("wrong pipelined answer");
}

double crochetPerSecond(int calls)
{
    std::vector<Crochet::EventualResult<int>> results;
    results.reserve(size_t(calls));
    const auto begin = Clock::now();
    for (int i = 0; i < calls; ++i)
        results.push_back(crochetIncrement(i));
    for (int i = 0; i < calls; ++i)
        check(results[size_t(i)].wait(60s) == i + 1);
    return calls / secondsSince(begin);
}

double rawQtPerSecond(QObject *context, int calls)
{
    std::vector<QFuture<int>> futures;
    futures.reserve(size_t(calls));
    const auto begin = Clock::now();
    for (int i = 0; i < calls; ++i)
        futures.push_back(queuedPromise(context, i + 1));
    for (int i = 0; i < calls; ++i) {
        futures[size_t(i)].waitForFinished();
        check(futures[size_t(i)].result() == i + 1);
    }
    return calls / secondsSince(begin);
}

double stdPerSecond(StdWorker &worker, int calls)
{
    std::vector<std::future<int>> futures;
    futures.reserve(size_t(calls));
    const auto begin = Clock::now();
    for (int i = 0; i < calls; ++i)
        futures.push_back(worker.submit(std::packaged_task<int()>([i] { return i + 1; })));
    for (int i = 0; i < calls; ++i)
        check(futures[size_t(i)].get() == i + 1);
    return calls / secondsSince(begin);
}

} // namespace

void runPipelined(const Options &options, Report &report)
{
    const int calls = options.count(100000, 20000);
    printHeading(QStringLiteral("Pipelined: %1 calls issued, then all waited (calls/s, median "
                                "[min..max] of %2 runs)")
                     .arg(calls)
                     .arg(options.repetitions));
    QtWorker qt;
    StdWorker stdWorker;
    crochetPerSecond(calls / 10);
    rawQtPerSecond(qt.context(), calls / 10);
    stdPerSecond(stdWorker, calls / 10);
    Samples crochet, rawQt, floor, crochetCpu, rawQtCpu, floorCpu;
    // Also the CPU time of the whole process per call: the issuing thread
    // and the worker together, less sensitive to the machine's load.
    const auto measure = [calls](Samples &rate, Samples &cpu, const auto &run) {
        const double cpuBefore = processCpuSeconds();
        rate.values.push_back(run());
        cpu.values.push_back((processCpuSeconds() - cpuBefore) * 1e9 / calls);
    };
    for (int r = 0; r < options.repetitions; ++r) {
        measure(crochet, crochetCpu, [&] { return crochetPerSecond(calls); });
        measure(rawQt, rawQtCpu, [&] { return rawQtPerSecond(qt.context(), calls); });
        measure(floor, floorCpu, [&] { return stdPerSecond(stdWorker, calls); });
    }
    report.set(QStringLiteral("pipelined_per_s.crochet"), crochet.median());
    report.set(QStringLiteral("pipelined_per_s.raw_qt"), rawQt.median());
    const double ratio = crochet.median() / rawQt.median();
    Table table({QStringLiteral("contender"), QStringLiteral("calls/s"),
                 QStringLiteral("vs raw Qt"), QStringLiteral("CPU ns/call")});
    table.addRow({QStringLiteral("crochet runInReactor + wait"), crochet.text(0), number(ratio, 2),
                  number(crochetCpu.median(), 0)});
    table.addRow({QStringLiteral("raw queued invokeMethod + QPromise"), rawQt.text(0),
                  QStringLiteral("1.00"), number(rawQtCpu.median(), 0)});
    table.addRow({QStringLiteral("std floor (packaged_task queue)"), floor.text(0),
                  number(floor.median() / rawQt.median(), 2), number(floorCpu.median(), 0)});
    table.print();
    printNote(QStringLiteral("CPU ns/call: CPU time of the whole process (all threads) per "
                             "call, median."));
    report.addTarget(QStringLiteral("2. pipelined throughput"),
                     QStringLiteral("crochet / raw invokeMethod+QPromise"), ratio, 1.0, true);
}

} // namespace Bench
