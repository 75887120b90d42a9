// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// reactorStats(): SetupError before setup(), pending results, queued calls
// while the reactor is held, the lag of a reactor blocked for 200 ms (while
// it is and after), the busy fraction of a reactor that busy-loops. (Replies
// in flight are the network layer's: autotests/network/http.)

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

Crochet::ReactorStats stats()
{
    return Crochet::reactorStats();
}

//! Holds the reactor thread in a call until released; says when it is in.
class Holder
{
public:
    Holder()
    {
        m_result = Crochet::runInReactor([this] {
            m_entered.open();
            m_release.wait(LongTimeout);
        })();
    }
    ~Holder() { release(); }
    bool waitUntilHeld() { return m_entered.wait(); }
    //! Lets the call return, and waits until it has.
    void release()
    {
        m_release.open();
        try {
            m_result->wait(LongTimeout);
        } catch (...) {
            qWarning("the holding call failed");
        }
    }

private:
    Gate m_entered;
    Gate m_release;
    std::optional<Crochet::EventualResult<void>> m_result;
};

} // namespace

class tst_Stats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pendingResults();
    void queuedCallsWhileTheReactorIsHeld();
    void queuedCallsOfTheBatchUnderWay();
    void lagOfAReactorBlockedFor200Ms();
    void busyFractionOfABusyLoop();
    void fromAnyThread();
};

void tst_Stats::initTestCase()
{
    try {
        stats();
        QFAIL("reactorStats() before setup() did not throw");
    } catch (const Crochet::SetupError &error) {
        QVERIFY2(error.message().contains(QStringLiteral("Crochet::setup()")),
                 qPrintable(error.message()));
    }
    Crochet::setup();
    const auto first = stats();
    QCOMPARE(first.pendingResults, 0);
    QCOMPARE(first.queuedCalls, 0);
    QCOMPARE(first.repliesInFlight, 0);
    QVERIFY(first.busyFraction >= 0 && first.busyFraction <= 1);
}

void tst_Stats::pendingResults()
{
    constexpr int Count = 25;
    const auto wait = Crochet::runInReactor([] { return neverFinishingFuture<int>(); });
    QList<Crochet::EventualResult<int>> pending;
    for (int i = 0; i < Count; ++i)
        pending.append(wait());
    flushReactor();
    // The flushing call counts until the reactor has left it, which may be
    // just after its caller woke: the figure settles at Count.
    QTRY_COMPARE_WITH_TIMEOUT(stats().pendingResults, Count, LongTimeoutMs);
    QCOMPARE(stats().queuedCalls, 0);
    // Complete ones leave at once (their futures' watchers see them go).
    for (int i = 0; i < 10; ++i)
        pending[i].cancel();
    QTRY_COMPARE_WITH_TIMEOUT(stats().pendingResults, Count - 10, LongTimeoutMs);
    for (auto &result : pending)
        result.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(stats().pendingResults, 0, LongTimeoutMs);
}

void tst_Stats::queuedCallsWhileTheReactorIsHeld()
{
    constexpr int Count = 40;
    Holder holder;
    QVERIFY(holder.waitUntilHeld());
    const auto identity = Crochet::runInReactor([](int x) { return x; });
    QList<Crochet::EventualResult<int>> queued;
    for (int i = 0; i < Count; ++i)
        queued.append(identity(i));
    const auto held = stats();
    QCOMPARE(held.queuedCalls, Count);
    QCOMPARE(held.pendingResults, Count + 1); // and the holding call
    holder.release();
    QCOMPARE(waitValue(queued.last()), Count - 1);
    flushReactor();
    QCOMPARE(stats().queuedCalls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(stats().pendingResults, 0, LongTimeoutMs); // as above
}

void tst_Stats::queuedCallsOfTheBatchUnderWay()
{
    // Calls taken from the queue with the one that holds the reactor wait
    // in its batch: they are queued all the same.
    constexpr int Count = 30;
    auto first = std::make_unique<Holder>();
    QVERIFY(first->waitUntilHeld());
    Holder second; // queued behind the first, with the calls below
    const auto identity = Crochet::runInReactor([](int x) { return x; });
    QList<Crochet::EventualResult<int>> queued;
    for (int i = 0; i < Count; ++i)
        queued.append(identity(i));
    QCOMPARE(stats().queuedCalls, Count + 1);
    first.reset(); // the reactor takes the second and the calls in one batch
    QVERIFY(second.waitUntilHeld());
    QCOMPARE(stats().queuedCalls, Count);
    QCOMPARE(stats().pendingResults, Count + 1);
    second.release();
    QCOMPARE(waitValue(queued.last()), Count - 1);
    QCOMPARE(stats().queuedCalls, 0);
}

void tst_Stats::lagOfAReactorBlockedFor200Ms()
{
    // While held, the lag of the events waiting since counts already.
    {
        Holder holder;
        QVERIFY(holder.waitUntilHeld());
        QTRY_VERIFY_WITH_TIMEOUT(stats().lagP99 >= 200ms, LongTimeoutMs);
    }
    // After a call that blocked the thread for 200 ms, whatever its phase
    // against the probe: the window keeps it for 10 s.
    Crochet::runInReactor([] { std::this_thread::sleep_for(200ms); })().wait(LongTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(stats().lagP99 >= 190ms, LongTimeoutMs);
    const auto after = stats();
    QVERIFY2(after.lagP99 < 5s, qPrintable(QString::number(after.lagP99.count())));
    // Most probes ran on time: the median is small.
    QTRY_VERIFY_WITH_TIMEOUT(stats().lagP50 < 50ms, LongTimeoutMs);
    QVERIFY(stats().lagP50 <= stats().lagP99);
}

void tst_Stats::busyFractionOfABusyLoop()
{
    // An idle reactor is not busy.
    QTRY_VERIFY_WITH_TIMEOUT(stats().busyFraction < 0.5, LongTimeoutMs);
    std::atomic<bool> stop{false};
    const auto loop = Crochet::runInReactor([&stop] {
        while (!stop.load(std::memory_order_relaxed)) {
        }
    })();
    // More than half of the last 10 s (or of the time since setup()).
    QTRY_VERIFY_WITH_TIMEOUT(stats().busyFraction > 0.5, LongTimeoutMs);
    QVERIFY(stats().busyFraction <= 1.0);
    stop = true;
    loop.wait(LongTimeout);
}

void tst_Stats::fromAnyThread()
{
    std::optional<Crochet::ReactorStats> fromThread;
    std::thread([&] { fromThread = stats(); }).join();
    QVERIFY(fromThread);
    const auto inReactor = Crochet::runInReactor([] { return stats().queuedCalls; })();
    QCOMPARE(waitValue(inReactor), 0);
}

QTEST_GUILESS_MAIN(tst_Stats)
#include "tst_stats.moc"
