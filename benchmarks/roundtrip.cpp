// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Round trip: one blocking call into another thread and back, from 1 and
// from 4 calling threads at once. A caller's figure is its own elapsed
// time divided by its number of calls; the figure of a run is the mean over
// the callers.

#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QObject>

#include <array>
#include <functional>
#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

const auto crochetPing = Crochet::waitFor(60s, [](int x) { return x + 1; });

//! Runs \a call (one round trip with an int) \a calls times in each of
//! \a callers threads started together; returns microseconds per call.
template <typename Call>
double perCallMicroseconds(int callers, int calls, const Call &call)
{
    std::vector<double> seconds(size_t(callers), 0.0);
    runTogether(callers, [&](int c) {
        const auto begin = Clock::now();
        for (int i = 0; i < calls; ++i) {
            if (call(i) != i + 1)
                throw std::logic_error("wrong round-trip answer");
        }
        seconds[size_t(c)] = secondsSince(begin);
    });
    double sum = 0;
    for (double s : seconds)
        sum += s;
    return sum / callers / calls * 1e6;
}

} // namespace

void runRoundTrip(const Options &options, Report &report)
{
    printHeading(QStringLiteral("Round trip: one blocking call into a worker thread and back "
                                "(us per call, median [min..max] of %1 runs)")
                     .arg(options.repetitions));
    QtWorker qt;
    StdWorker stdWorker;
    QObject *context = qt.context();

    const auto crochet = [](int i) { return crochetPing(i); };
    const auto rawQt = [context](int i) {
        int answer = 0;
        QMetaObject::invokeMethod(
            context, [&answer, i] { answer = i + 1; }, Qt::BlockingQueuedConnection);
        return answer;
    };
    const auto qtPromise = [context](int i) {
        QFuture<int> future = queuedPromise(context, i + 1);
        future.waitForFinished();
        return future.result();
    };
    const auto stdFloor = [&stdWorker](int i) {
        return stdWorker.submit(std::packaged_task<int()>([i] { return i + 1; })).get();
    };

    //! One way of making the round trip, and the thread that serves it.
    struct Contender
    {
        std::function<int(int)> call;
        std::function<double()> serverCpuSeconds;
        Samples wallUs; // per call, as the caller sees it
        Samples cpuUs;  // per call, CPU time of the serving thread
    };
    enum { Crochet, RawQt, QtPromise, StdFloor, ContenderCount };

    Table table({QStringLiteral("callers"), QStringLiteral("crochet waitFor"),
                 QStringLiteral("raw Qt Blocking"), QStringLiteral("queued+QPromise"),
                 QStringLiteral("std floor"), QStringLiteral("crochet/raw"),
                 QStringLiteral("crochet/std")});
    Table cpuTable({QStringLiteral("callers"), QStringLiteral("crochet reactor"),
                    QStringLiteral("raw Qt worker"), QStringLiteral("QPromise worker"),
                    QStringLiteral("std worker")});
    for (const int callers : {1, 4}) {
        std::array<Contender, ContenderCount> contenders{{
            {crochet, &reactorCpuSeconds, {}, {}},
            {rawQt, [&qt] { return qt.cpuSeconds(); }, {}, {}},
            {qtPromise, [&qt] { return qt.cpuSeconds(); }, {}, {}},
            {stdFloor, [&stdWorker] { return stdWorker.cpuSeconds(); }, {}, {}},
        }};
        const int calls = options.count(callers == 1 ? 20000 : 5000, callers == 1 ? 2000 : 500);
        // Warm up every path (thread start, first allocations, lazy statics).
        for (Contender &contender : contenders)
            perCallMicroseconds(callers, calls / 10, contender.call);
        // Each run is cut into blocks, and the contenders' blocks take turns:
        // a burst of load on this shared machine then hits them all alike.
        // A run's figure is the median of its blocks.
        constexpr int Blocks = 10;
        const int blockCalls = calls / Blocks;
        for (int r = 0; r < options.repetitions; ++r) {
            std::array<Samples, ContenderCount> blocks;
            std::array<double, ContenderCount> cpuSeconds{};
            for (int b = 0; b < Blocks; ++b) {
                for (size_t c = 0; c < contenders.size(); ++c) {
                    const double cpuBefore = contenders[c].serverCpuSeconds();
                    blocks[c].values.push_back(
                        perCallMicroseconds(callers, blockCalls, contenders[c].call));
                    cpuSeconds[c] += contenders[c].serverCpuSeconds() - cpuBefore;
                }
            }
            for (size_t c = 0; c < contenders.size(); ++c) {
                contenders[c].wallUs.values.push_back(blocks[c].median());
                contenders[c].cpuUs.values.push_back(cpuSeconds[c] * 1e6 /
                                                     (double(blockCalls) * Blocks * callers));
            }
        }
        const Samples &crochetUs = contenders[Crochet].wallUs;
        const Samples &rawUs = contenders[RawQt].wallUs;
        const Samples &stdUs = contenders[StdFloor].wallUs;
        const QString key = QString::number(callers);
        report.set(QStringLiteral("roundtrip_us.crochet.") + key, crochetUs.median());
        report.set(QStringLiteral("roundtrip_us.raw_qt.") + key, rawUs.median());
        report.set(QStringLiteral("roundtrip_us.std_floor.") + key, stdUs.median());
        const double toRaw = crochetUs.median() / rawUs.median();
        const double toStd = crochetUs.median() / stdUs.median();
        table.addRow({key, crochetUs.text(2), rawUs.text(2), contenders[QtPromise].wallUs.text(2),
                      stdUs.text(2), number(toRaw, 2), number(toStd, 2)});
        cpuTable.addRow({key, contenders[Crochet].cpuUs.text(2), contenders[RawQt].cpuUs.text(2),
                         contenders[QtPromise].cpuUs.text(2), contenders[StdFloor].cpuUs.text(2)});
        report.addTarget(QStringLiteral("1. round trip, %1 caller(s)").arg(callers),
                         QStringLiteral("crochet / raw BlockingQueued"), toRaw, 1.0, false);
        report.addTarget(QStringLiteral("1. round trip, %1 caller(s)").arg(callers),
                         QStringLiteral("crochet / std floor"), toStd, 1.3, false);
    }
    table.print();
    printNote(QStringLiteral("CPU time of the serving thread per call (us), less sensitive to "
                             "the machine's load than the wall-clock figures above:"));
    cpuTable.print();
    printNote(QStringLiteral("Reference from the issue: Python crochet 2.0 @wait_for ~ 74 us "
                             "(not measured here)."));
}

} // namespace Bench
