// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Blocking HTTP GETs to a fast host (nginx, started by run.sh) from 4, 16 and
// 64 threads, through Crochet and a manager per thread (httpclients.cpp).

#include "bench.h"

#include <algorithm>
#include <cmath>

namespace Bench {

namespace {

// The thread counts, and the requests of one run, shared among them: the
// 4-thread shape is the one of issue 5's target (500 requests a thread).
constexpr int ThreadCounts[] = {4, 16, 64};
constexpr int TargetThreads = 4;

} // namespace

void runHttp(const Options &options, Report &report)
{
    const int requestsPerRun = options.count(2000, 200);
    printHeading(QStringLiteral("Blocking HTTP GETs from 4, 16 and 64 threads, %1 requests a run "
                                "(requests/s, median [min..max] of %2 runs)")
                     .arg(requestsPerRun)
                     .arg(options.repetitions));
    const std::pair<QString, QUrl> endpoints[] = {{QStringLiteral("1k"), options.url1k},
                                                  {QStringLiteral("1m"), options.url1m}};
    Table table({QStringLiteral("body"), QStringLiteral("threads"),
                 QStringLiteral("crochet (one manager in reactor)"),
                 QStringLiteral("manager per thread + QEventLoop"), QStringLiteral("ratio"),
                 QStringLiteral("CPU us/req crochet"), QStringLiteral("per thread")});
    for (const auto &[key, url] : endpoints) {
        const QString crochetKey = QStringLiteral("http_rps.crochet.") + key;
        const QString perThreadKey = QStringLiteral("http_rps.per_thread.") + key;
        const QString ratioKey = QStringLiteral("http_%1_ratio.").arg(key);
        const QString targetName = QStringLiteral("4. blocking GETs, %1").arg(key);
        const QString measurement = QStringLiteral("crochet / manager per thread");
        if (url.isEmpty()) {
            printNote(QStringLiteral("--url-%1 not given: the %1 HTTP measurement is skipped "
                                     "(benchmarks/run.sh starts nginx and passes the URLs).")
                          .arg(key));
            report.setNull(crochetKey);
            report.setNull(perThreadKey);
            for (const int threads : ThreadCounts)
                report.setNull(ratioKey + QString::number(threads));
            report.addTarget(targetName, measurement, std::nan(""), 1.0, true);
            continue;
        }
        const qsizetype size = fetchBody(url).size();
        for (const int threads : ThreadCounts) {
            const int requestsPerThread = std::max(requestsPerRun / threads, 5);
            crochetGets(url, size, threads, std::max(requestsPerThread / 10, 5));
            perThreadManagerGets(url, size, threads, std::max(requestsPerThread / 10, 5));
            Samples crochet, perThread, crochetCpu, perThreadCpu;
            for (int r = 0; r < options.repetitions; ++r) {
                const HttpThroughput viaCrochet =
                    crochetGets(url, size, threads, requestsPerThread);
                const HttpThroughput viaThreads =
                    perThreadManagerGets(url, size, threads, requestsPerThread);
                crochet.values.push_back(viaCrochet.perSecond);
                crochetCpu.values.push_back(viaCrochet.cpuUsPerRequest);
                perThread.values.push_back(viaThreads.perSecond);
                perThreadCpu.values.push_back(viaThreads.cpuUsPerRequest);
            }
            const double ratio = crochet.median() / perThread.median();
            report.set(ratioKey + QString::number(threads), ratio);
            table.addRow({QStringLiteral("%1 (%2 B)").arg(key).arg(size),
                          QStringLiteral("%1 x %2").arg(threads).arg(requestsPerThread),
                          crochet.text(0), perThread.text(0), number(ratio, 2),
                          number(crochetCpu.median(), 0), number(perThreadCpu.median(), 0)});
            if (threads == TargetThreads) {
                report.set(crochetKey, crochet.median());
                report.set(perThreadKey, perThread.median());
                report.addTarget(targetName, measurement, ratio, 1.0, true);
            }
        }
    }
    if (!options.url1k.isEmpty() || !options.url1m.isEmpty()) {
        table.print();
        printNote(QStringLiteral("CPU us/req: CPU time of the whole process per request (all "
                                 "its threads; nginx not included), median. Crochet's threads "
                                 "share the connections of one manager; a manager per thread "
                                 "keeps one connection a thread."));
    }
}

} // namespace Bench
