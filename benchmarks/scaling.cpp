// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Scaling with the number of pending operations: N calls of a function that
// returns a QFuture are issued, all stay pending together, then one call
// completes them all and every result is waited for. The figure is the time
// per operation; the same total number of operations is run for every N.

#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>

#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

// Reactor thread only: the promises behind the pending operations.
std::vector<QPromise<int>> pendingPromises;

const auto startOperation = Crochet::runInReactor([] {
    QPromise<int> promise;
    promise.start();
    QFuture<int> future = promise.future();
    pendingPromises.push_back(std::move(promise));
    return future;
});

const auto completeOperations = Crochet::runInReactor([] {
    int value = 0;
    for (QPromise<int> &promise : pendingPromises) {
        promise.addResult(++value);
        promise.finish();
    }
    pendingPromises.clear();
});

//! Microseconds per operation over \a rounds rounds of \a pending operations.
double perOperationMicroseconds(int pending, int rounds)
{
    std::vector<Crochet::EventualResult<int>> results;
    results.reserve(size_t(pending));
    const auto begin = Clock::now();
    for (int round = 0; round < rounds; ++round) {
        results.clear();
        for (int i = 0; i < pending; ++i)
            results.push_back(startOperation());
        auto completed = completeOperations();
        for (int i = 0; i < pending; ++i) {
            if (results[size_t(i)].wait(60s) != i + 1)
                throw std::logic_error("wrong answer in the scaling benchmark");
        }
        completed.wait(60s);
    }
    return secondsSince(begin) / (double(pending) * rounds) * 1e6;
}

/*!
    The same shape in raw Qt, in a QtWorker's thread: each operation is a
    QPromise whose QFuture a QFutureWatcher in that thread watches (what a
    Qt program does to react to a future in its event loop), all N made by
    one queued call; the caller waits on a QSemaphore the watchers release,
    then reads every future.
    Its growth with N is Qt's own: the promise, the watcher and their
    events, at N of each alive.
*/
double rawQtPerOperationMicroseconds(QtWorker &worker, int pending, int rounds)
{
    std::vector<QPromise<int>> promises;
    std::vector<QFuture<int>> futures;
    QSemaphore finished;
    const auto begin = Clock::now();
    for (int round = 0; round < rounds; ++round) {
        futures.clear();
        // All N in one queued call: the figure is Qt's future machinery
        // alone, without a blocking hand-off per operation.
        QMetaObject::invokeMethod(
            worker.context(),
            [&] {
                for (int i = 0; i < pending; ++i) {
                    QPromise<int> promise;
                    promise.start();
                    futures.push_back(promise.future());
                    auto *watcher = new QFutureWatcher<int>;
                    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                                     [watcher, &finished] {
                                         finished.release();
                                         watcher->deleteLater();
                                     });
                    watcher->setFuture(futures.back());
                    promises.push_back(std::move(promise));
                }
            },
            Qt::BlockingQueuedConnection);
        QMetaObject::invokeMethod(
            worker.context(),
            [&] {
                int value = 0;
                for (QPromise<int> &promise : promises) {
                    promise.addResult(++value);
                    promise.finish();
                }
                promises.clear();
            },
            Qt::BlockingQueuedConnection);
        finished.acquire(pending);
        for (int i = 0; i < pending; ++i) {
            if (futures[size_t(i)].result() != i + 1)
                throw std::logic_error("wrong answer in the raw Qt scaling baseline");
        }
    }
    return secondsSince(begin) / (double(pending) * rounds) * 1e6;
}

} // namespace

void runScaling(const Options &options, Report &report)
{
    const int operations = options.count(20000, 10000);
    printHeading(QStringLiteral("Scaling: N operations (functions returning a QFuture) pending "
                                "together, %1 operations per run (us per operation, median "
                                "[min..max] of %2 runs)")
                     .arg(operations)
                     .arg(options.repetitions));
    QtWorker worker;
    perOperationMicroseconds(1000, 2);
    rawQtPerOperationMicroseconds(worker, 1000, 2);
    const std::vector<int> sizes{100, 1000, 10000};
    std::vector<Samples> samples(sizes.size()), reactorCpu(sizes.size()), raw(sizes.size());
    for (int r = 0; r < options.repetitions; ++r) {
        for (size_t s = 0; s < sizes.size(); ++s) {
            const double cpuBefore = reactorCpuSeconds();
            samples[s].values.push_back(perOperationMicroseconds(sizes[s], operations / sizes[s]));
            reactorCpu[s].values.push_back((reactorCpuSeconds() - cpuBefore) * 1e6 / operations);
            raw[s].values.push_back(
                rawQtPerOperationMicroseconds(worker, sizes[s], operations / sizes[s]));
        }
    }
    Table table({QStringLiteral("pending N"), QStringLiteral("crochet us/op"),
                 QStringLiteral("vs N=100"), QStringLiteral("reactor CPU us/op"),
                 QStringLiteral("raw Qt us/op"), QStringLiteral("vs N=100")});
    for (size_t s = 0; s < sizes.size(); ++s) {
        table.addRow({QString::number(sizes[s]), samples[s].text(2),
                      number(samples[s].median() / samples.front().median(), 2),
                      reactorCpu[s].text(2), raw[s].text(2),
                      number(raw[s].median() / raw.front().median(), 2)});
    }
    table.print();
    printNote(QStringLiteral("Raw Qt: the same operations as QPromises watched by a "
                             "QFutureWatcher each in a plain QThread, all N made by one queued "
                             "call, the caller waiting on a semaphore and reading the QFutures."));
    const double ratio = samples.back().median() / samples.front().median();
    const double rawRatio = raw.back().median() / raw.front().median();
    report.set(QStringLiteral("scaling_ratio_10k_vs_100"), ratio);
    report.set(QStringLiteral("scaling_ratio_10k_vs_100_raw_qt"), rawRatio);
    report.addTarget(QStringLiteral("6. scaling"),
                     QStringLiteral("per-op time, 10,000 pending / 100 pending"), ratio, 1.2,
                     false);
}

} // namespace Bench
