// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Spaced calls: the shape of a GUI, a request handler or a worker that does
// other work between calls. Each caller makes one blocking call every
// 200 us or 1 ms (on a fixed schedule, sleeping in between) and records its
// latency; the whole process's CPU time is measured over the run. An idle
// caller that only keeps the schedule gives the cost of the sleep loop
// itself, subtracted from every contender ("net" CPU per call): what one
// call costs the machine, both sides together.

#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QObject>

#include <array>
#include <functional>
#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

const auto crochetSpacedPing = Crochet::waitFor(60s, [](int x) { return x + 1; });

//! What one run of one contender came to.
struct SpacedRun
{
    double cpuUsPerCall;         // process CPU per call, sleep loop included
    std::vector<double> latency; // us, every call of every caller
};

/*!
    \a callers threads, released together, each call \a call once every
    \a spacing, \a calls times (an empty \a call: the schedule alone).
*/
SpacedRun runSpaced(int callers, int calls, std::chrono::microseconds spacing,
                    const std::function<int(int)> &call)
{
    std::vector<std::vector<double>> latencies(static_cast<size_t>(callers));
    const double cpuBefore = processCpuSeconds();
    runTogether(callers, [&](int c) {
        auto &mine = latencies[size_t(c)];
        mine.reserve(size_t(calls));
        // Callers start a fraction of the spacing apart, as independent
        // clients would, not in lock step.
        auto next = Clock::now() + spacing * c / callers;
        for (int i = 0; i < calls; ++i) {
            std::this_thread::sleep_until(next);
            next += spacing;
            if (!call)
                continue;
            const auto begin = Clock::now();
            if (call(i) != i + 1)
                throw std::logic_error("wrong spaced-call answer");
            mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - begin).count());
        }
    });
    SpacedRun run;
    run.cpuUsPerCall = (processCpuSeconds() - cpuBefore) * 1e6 / (double(calls) * callers);
    for (auto &mine : latencies)
        run.latency.insert(run.latency.end(), mine.begin(), mine.end());
    return run;
}

} // namespace

void runSpaced(const Options &options, Report &report)
{
    printHeading(QStringLiteral("Spaced calls: one blocking call every 200 us or 1 ms per caller "
                                "(latency p50 / p99 in us, and process CPU per call net of the "
                                "idle sleep loop, in us; median [min..max] of %1 runs)")
                     .arg(options.repetitions));
    QtWorker qt;
    StdWorker stdWorker;
    QObject *context = qt.context();

    const std::function<int(int)> crochet = [](int i) { return crochetSpacedPing(i); };
    const std::function<int(int)> rawQt = [context](int i) {
        int answer = 0;
        QMetaObject::invokeMethod(
            context, [&answer, i] { answer = i + 1; }, Qt::BlockingQueuedConnection);
        return answer;
    };
    const std::function<int(int)> stdFloor = [&stdWorker](int i) {
        return stdWorker.submit(std::packaged_task<int()>([i] { return i + 1; })).get();
    };
    enum { Crochet, RawQt, StdFloor, Idle, ContenderCount };
    const std::array<std::function<int(int)>, ContenderCount> contenders{
        crochet, rawQt, stdFloor, {}};

    Table table({QStringLiteral("spacing"), QStringLiteral("callers"),
                 QStringLiteral("crochet p50/p99"), QStringLiteral("raw Qt p50/p99"),
                 QStringLiteral("std p50/p99"), QStringLiteral("crochet CPU"),
                 QStringLiteral("raw Qt CPU"), QStringLiteral("std CPU"),
                 QStringLiteral("idle loop CPU"), QStringLiteral("CPU crochet/raw")});
    for (const auto spacing : {200us, 1000us}) {
        const QString spacingKey =
            spacing == 200us ? QStringLiteral("200us") : QStringLiteral("1ms");
        for (const int callers : {1, 4}) {
            const int calls = options.count(spacing == 200us ? 2500 : 1000, 300);
            // Warm up every path.
            for (const auto &contender : contenders)
                runSpaced(callers, 50, spacing, contender);
            std::array<Samples, ContenderCount> p50, p99, cpu;
            for (int r = 0; r < options.repetitions; ++r) {
                // The contenders take turns within a repetition, so that a
                // burst of load on the machine hits them all alike.
                for (size_t c = 0; c < contenders.size(); ++c) {
                    SpacedRun run = runSpaced(callers, calls, spacing, contenders[c]);
                    cpu[c].values.push_back(run.cpuUsPerCall);
                    if (!run.latency.empty()) {
                        p50[c].values.push_back(percentile(run.latency, 50));
                        p99[c].values.push_back(percentile(run.latency, 99));
                    }
                }
            }
            // Net CPU: each run's figure less the idle loop's median.
            const double idle = cpu[Idle].median();
            std::array<Samples, ContenderCount> net;
            for (size_t c = 0; c < Idle; ++c) {
                for (double value : cpu[c].values)
                    net[c].values.push_back(value - idle);
            }
            const double ratio = net[Crochet].median() / net[RawQt].median();
            const auto latencyText = [&](size_t c) {
                return number(p50[c].median(), 1) + QStringLiteral(" / ") +
                       number(p99[c].median(), 1);
            };
            table.addRow({spacingKey, QString::number(callers), latencyText(Crochet),
                          latencyText(RawQt), latencyText(StdFloor), net[Crochet].text(1),
                          net[RawQt].text(1), net[StdFloor].text(1), cpu[Idle].text(1),
                          number(ratio, 2)});
            const QString key = spacingKey + (callers == 1 ? QString() : QStringLiteral("_4"));
            report.set(QStringLiteral("spaced_cpu_us.crochet.") + key, net[Crochet].median());
            report.set(QStringLiteral("spaced_cpu_us.raw_qt.") + key, net[RawQt].median());
            report.set(QStringLiteral("spaced_p99_us.crochet.") + key, p99[Crochet].median());
            report.set(QStringLiteral("spaced_p99_us.raw_qt.") + key, p99[RawQt].median());
            if (callers == 1) {
                report.set(QStringLiteral("spaced_cpu_ratio.") + spacingKey, ratio);
                report.addTarget(QStringLiteral("spaced calls every %1, 1 caller").arg(spacingKey),
                                 QStringLiteral("CPU per call, crochet / raw Qt"), ratio, 1.0,
                                 false);
                report.addTarget(QStringLiteral("spaced calls every %1, 1 caller").arg(spacingKey),
                                 QStringLiteral("p99 latency, crochet / raw Qt"),
                                 p99[Crochet].median() / p99[RawQt].median(), 1.0, false);
            }
        }
    }
    table.print();
    printNote(QStringLiteral(
        "CPU: the whole process's CPU time per call (every thread: caller, reactor or worker), "
        "less the idle loop's, which keeps the same schedule without calling."));
}

} // namespace Bench
