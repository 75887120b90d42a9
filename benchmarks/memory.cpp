// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Memory per pending operation: N objects are created and kept pending
// together; the heap grows by some amount; bytes per object is that growth
// over N plus the size of the handles the caller keeps (an
// EventualResult, a QFuture ...), which live in a vector reserved before.
//
// The heap is measured two ways, at once:
// - mallinfo2(): bytes in use in every malloc arena, chunk headers
//   included. This sees everything, also Qt's own malloc() calls (QArrayData),
//   and is the figure reported and checked.
// - the counting global operator new/delete of allocations.cpp: usable
//   bytes of each block and the number of allocations, to tell which
//   objects cost what.

#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QObject>
#include <QtCore/QPromise>

#include <malloc.h>

#include <latch>
#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

const auto crochetBarrier = Crochet::waitFor(60s, [] {});

/*!
    Lets the reactor and \a worker finish what earlier measurements left
    behind (deleteLater()s, last references dropped in the reactor): heap
    freed by another thread during a measurement would be subtracted from it.
    Each barrier is a separate pass of the event loop.
*/
void settle(QObject *worker)
{
    for (int i = 0; i < 3; ++i) {
        crochetBarrier();
        QMetaObject::invokeMethod(
            worker, [] {}, Qt::BlockingQueuedConnection);
    }
    // mallinfo2() walks every free chunk: consolidating what the previous
    // measurement freed keeps it from taking seconds. It runs before the
    // measurement starts, so it changes nothing that is measured.
    malloc_trim(0);
}

void check(bool ok)
{
    if (!ok)
        throw std::logic_error("wrong answer in the memory benchmark");
}

const auto crochetBlock = Crochet::runInReactor([](std::latch *started, std::latch *release) {
    started->count_down();
    release->wait();
});
const auto crochetValue = Crochet::runInReactor([](int x) { return x + 1; });

//! A runInReactor call queued behind a blocked reactor: its state + its task.
Footprint crochetQueuedCall(int objects)
{
    std::vector<Crochet::EventualResult<int>> results;
    results.reserve(size_t(objects));
    std::latch started(1), release(1);
    auto blocker = crochetBlock(&started, &release);
    started.wait();
    HeapMeter meter(objects);
    meter.start();
    for (int i = 0; i < objects; ++i)
        results.push_back(crochetValue(i));
    const Footprint footprint = meter.stop(sizeof(Crochet::EventualResult<int>));
    release.count_down();
    blocker.wait(60s);
    for (int i = 0; i < objects; ++i)
        check(results[size_t(i)].wait(60s) == i + 1);
    return footprint;
}

// Reactor-thread side of the "pending QFuture" measurement: the promises
// the wrapped functions handed out, completed later.
std::vector<QPromise<int>> reactorPromises;

const auto crochetPendingFuture = Crochet::runInReactor([] {
    QPromise<int> promise;
    promise.start();
    QFuture<int> future = promise.future();
    reactorPromises.push_back(std::move(promise));
    return future;
});
const auto crochetReservePromises =
    Crochet::waitFor(60s, [](int count) { reactorPromises.reserve(size_t(count)); });
const auto crochetCompletePromises = Crochet::waitFor(60s, [] {
    int value = 0;
    for (QPromise<int> &promise : reactorPromises) {
        promise.addResult(++value);
        promise.finish();
    }
    reactorPromises.clear();
});

//! A runInReactor call that ran and returned a QFuture still pending: the
//! state, the watcher and what the QPromise behind it costs.
Footprint crochetAdoptedFuture(int objects)
{
    std::vector<Crochet::EventualResult<int>> results;
    results.reserve(size_t(objects));
    crochetReservePromises(objects);
    HeapMeter meter(objects);
    meter.start();
    for (int i = 0; i < objects; ++i)
        results.push_back(crochetPendingFuture());
    // Returns after every call above ran: the queue is FIFO.
    crochetBarrier();
    const Footprint footprint = meter.stop(sizeof(Crochet::EventualResult<int>));
    crochetCompletePromises();
    for (int i = 0; i < objects; ++i)
        check(results[size_t(i)].wait(60s) == i + 1);
    return footprint;
}

Footprint qpromisePair(int objects)
{
    std::vector<QPromise<int>> promises;
    std::vector<QFuture<int>> futures;
    promises.reserve(size_t(objects));
    futures.reserve(size_t(objects));
    HeapMeter meter(objects);
    meter.start();
    for (int i = 0; i < objects; ++i) {
        promises.emplace_back();
        promises.back().start();
        futures.push_back(promises.back().future());
    }
    const Footprint footprint = meter.stop(sizeof(QPromise<int>) + sizeof(QFuture<int>));
    for (int i = 0; i < objects; ++i) {
        promises[size_t(i)].addResult(i);
        promises[size_t(i)].finish();
    }
    return footprint;
}

//! A queued invokeMethod call holding a QPromise, behind a blocked thread.
Footprint qtQueuedCall(QObject *context, int objects)
{
    std::vector<QFuture<int>> futures;
    futures.reserve(size_t(objects));
    std::latch started(1), release(1);
    QMetaObject::invokeMethod(
        context,
        [&] {
            started.count_down();
            release.wait();
        },
        Qt::QueuedConnection);
    started.wait();
    HeapMeter meter(objects);
    meter.start();
    for (int i = 0; i < objects; ++i)
        futures.push_back(queuedPromise(context, i + 1));
    const Footprint footprint = meter.stop(sizeof(QFuture<int>));
    release.count_down();
    for (int i = 0; i < objects; ++i) {
        futures[size_t(i)].waitForFinished();
        check(futures[size_t(i)].result() == i + 1);
    }
    return footprint;
}

Footprint stdPair(int objects)
{
    std::vector<std::promise<int>> promises;
    std::vector<std::future<int>> futures;
    promises.reserve(size_t(objects));
    futures.reserve(size_t(objects));
    HeapMeter meter(objects);
    meter.start();
    for (int i = 0; i < objects; ++i) {
        promises.emplace_back();
        futures.push_back(promises.back().get_future());
    }
    const Footprint footprint = meter.stop(sizeof(std::promise<int>) + sizeof(std::future<int>));
    for (int i = 0; i < objects; ++i)
        promises[size_t(i)].set_value(i);
    return footprint;
}

//! Medians over the repetitions of each part of a footprint.
struct FootprintSamples
{
    Samples heap, bytes, allocations;
    void add(const Footprint &footprint)
    {
        heap.values.push_back(footprint.heapBytes);
        bytes.values.push_back(footprint.newBytes);
        allocations.values.push_back(footprint.newAllocations);
    }
};

} // namespace

void runMemory(const Options &options, Report &report)
{
    const int objects = 100000;
    printHeading(QStringLiteral("Memory per pending operation: %1 pending at once (bytes per "
                                "object, median [min..max] of %2 runs)")
                     .arg(objects)
                     .arg(options.repetitions));
    QtWorker qt;
    FootprintSamples crochet, adopted, pair, queued, floor;
    QObject *worker = qt.context();
    for (int r = 0; r < options.repetitions; ++r) {
        settle(worker);
        crochet.add(crochetQueuedCall(objects));
        settle(worker);
        adopted.add(crochetAdoptedFuture(objects));
        settle(worker);
        pair.add(qpromisePair(objects));
        settle(worker);
        queued.add(qtQueuedCall(worker, objects));
        settle(worker);
        floor.add(stdPair(objects));
    }
    report.set(QStringLiteral("memory_bytes.eventual_result"), crochet.heap.median());
    report.set(QStringLiteral("memory_bytes.qpromise_pair"), pair.heap.median());

    Table table({QStringLiteral("pending object"), QStringLiteral("heap B (mallinfo2)"),
                 QStringLiteral("new B"), QStringLiteral("allocs")});
    const auto addRow = [&table](const QString &name, const FootprintSamples &samples) {
        table.addRow({name, samples.heap.text(1), number(samples.bytes.median(), 1),
                      number(samples.allocations.median(), 2)});
    };
    addRow(QStringLiteral("crochet: queued runInReactor call (EventualResult<int>)"), crochet);
    addRow(QStringLiteral("crochet: call ran, returned QFuture still pending"), adopted);
    addRow(QStringLiteral("QPromise<int> + QFuture<int>"), pair);
    addRow(QStringLiteral("queued invokeMethod holding a QPromise<int>"), queued);
    addRow(QStringLiteral("std::promise<int> + std::future<int>"), floor);
    table.print();
    printNote(QStringLiteral("Every figure includes the handles the caller keeps "
                             "(sizeof EventualResult<int> = %1, QFuture<int> = %2, "
                             "QPromise<int> = %3, std::promise<int> = %4, std::future<int> = %5).")
                  .arg(sizeof(Crochet::EventualResult<int>))
                  .arg(sizeof(QFuture<int>))
                  .arg(sizeof(QPromise<int>))
                  .arg(sizeof(std::promise<int>))
                  .arg(sizeof(std::future<int>)));
    printNote(QStringLiteral("\"new B\" counts operator new only (usable size, no malloc "
                             "header); \"heap B\" also sees Qt's malloc() calls."));
    report.addTarget(QStringLiteral("3. memory"),
                     QStringLiteral("bytes per pending EventualResult<int>"), crochet.heap.median(),
                     256, false);
}

} // namespace Bench
