// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// A chain of 100,000 Tasks, each awaiting the next, in every build (the
// sanitizer builds too): it runs to its end, fails, is cancelled, times out
// and is shut down without overflowing the reactor thread's stack, and
// every frame's locals are destroyed once, the innermost first.

#include "reactorhelpers.h"

#include <crochet/crochet.h>
#include <crochet/task.h>

#include <QtCore/QPromise>
#include <QtTest/QTest>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;
using Crochet::Task;

namespace {

constexpr int Depth = 100'000;

//! What the innermost Task of a chain does.
enum class Innermost { Sleep, Throw, AwaitFuture };

//! Counts the frames of a chain as they are entered and destroyed, and
//! records the order of destruction. Written in the reactor thread only;
//! read by the test once `destroyed` says all are gone.
struct ChainLog
{
    std::atomic<int> entered{0};
    std::atomic<int> destroyed{0};
    std::vector<int> destructionOrder; // depths: 0 is the innermost
};

//! A local of each frame, destroyed with it.
struct FrameLocal
{
    FrameLocal(ChainLog &log, int depth)
        : log(log)
        , depth(depth)
    {
        ++log.entered;
    }
    FrameLocal(const FrameLocal &) = delete;
    ~FrameLocal()
    {
        log.destructionOrder.push_back(depth);
        ++log.destroyed;
    }
    ChainLog &log;
    int depth;
};

//! A chain \a depth Tasks below this one: each adds one to what it awaits.
Task<long> chain(int depth, Innermost innermost, QFuture<int> future, ChainLog &log)
{
    const FrameLocal local(log, depth);
    if (depth == 0) {
        switch (innermost) {
        case Innermost::Sleep:
            co_await Crochet::sleep(1ms);
            co_return 0;
        case Innermost::Throw:
            co_await Crochet::sleep(1ms);
            throw std::runtime_error("the innermost Task failed");
        case Innermost::AwaitFuture:
            co_return co_await future;
        }
    }
    co_return 1 + co_await chain(depth - 1, innermost, future, log);
}

//! Starts a chain \a Depth deep (plus the outermost Task).
Crochet::EventualResult<long> startChain(Innermost innermost, ChainLog &log,
                                         QFuture<int> future = {})
{
    return Crochet::runInReactor([&log, innermost, future]() -> Task<long> {
        co_return co_await chain(Depth, innermost, future, log);
    })();
}

//! Every frame's locals destroyed, once each, the innermost first.
bool destroyedInnermostFirst(const ChainLog &log)
{
    const auto &order = log.destructionOrder;
    if (order.size() != size_t(Depth) + 1)
        return false;
    for (size_t i = 0; i < order.size(); ++i) {
        if (order[i] != int(i))
            return false;
    }
    return true;
}

} // namespace

class tst_DeepTasks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void deepChainRunsToItsEnd()
    {
        ChainLog log;
        auto result = startChain(Innermost::Sleep, log);
        QCOMPARE(result.wait(LongTimeout), long(Depth));
        QTRY_COMPARE_WITH_TIMEOUT(log.destroyed.load(), Depth + 1, LongTimeoutMs);
        QCOMPARE(log.entered.load(), Depth + 1);
        QVERIFY(destroyedInnermostFirst(log));
    }

    void failureCrossesTheChain()
    {
        ChainLog log;
        auto result = startChain(Innermost::Throw, log);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, result.wait(LongTimeout));
        const auto failure = result.originalFailure();
        QVERIFY(failure);
        QCOMPARE(failure->message(), QStringLiteral("the innermost Task failed"));
        QTRY_COMPARE_WITH_TIMEOUT(log.destroyed.load(), Depth + 1, LongTimeoutMs);
        QVERIFY(destroyedInnermostFirst(log));
    }

    void cancelDestroysTheChain()
    {
        ChainLog log;
        QPromise<int> promise;
        promise.start();
        auto result = startChain(Innermost::AwaitFuture, log, promise.future());
        QTRY_COMPARE_WITH_TIMEOUT(log.entered.load(), Depth + 1, LongTimeoutMs);

        result.cancel();
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(LongTimeout));
        // Each frame is destroyed without resuming, the innermost first, and
        // what the innermost awaited is cancelled.
        QTRY_COMPARE_WITH_TIMEOUT(log.destroyed.load(), Depth + 1, LongTimeoutMs);
        QVERIFY(destroyedInnermostFirst(log));
        QVERIFY(promise.future().isCanceled());
        promise.finish();
    }

    void timeoutDestroysTheChain()
    {
        ChainLog log;
        QPromise<int> promise;
        promise.start();
        const auto blocking =
            Crochet::waitFor(500ms, [&log, future = promise.future()]() -> Task<long> {
                co_return co_await chain(Depth, Innermost::AwaitFuture, future, log);
            });
        QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, blocking());
        QTRY_COMPARE_WITH_TIMEOUT(log.destroyed.load(), log.entered.load(), LongTimeoutMs);
        QVERIFY(log.entered.load() > 0);
        QVERIFY(promise.future().isCanceled());
        promise.finish();
    }

    // Last: it stops the reactor for good.
    void shutdownDestroysTheChain()
    {
        ChainLog log;
        QPromise<int> promise;
        promise.start();
        auto result = startChain(Innermost::AwaitFuture, log, promise.future());
        QTRY_COMPARE_WITH_TIMEOUT(log.entered.load(), Depth + 1, LongTimeoutMs);

        Crochet::shutdown();
        QVERIFY_THROWS_EXCEPTION(Crochet::ReactorStopped, result.wait(LongTimeout));
        // shutdown() joined the reactor thread, which destroyed every frame.
        QCOMPARE(log.destroyed.load(), Depth + 1);
        QVERIFY(destroyedInnermostFirst(log));
        promise.finish();
    }
};

QTEST_GUILESS_MAIN(tst_DeepTasks)
#include "tst_deeptasks.moc"
