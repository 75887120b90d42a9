// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Many threads calling into the reactor at once, mixed with cancellations
// and short timeouts: every call gets the right value or exactly one of
// CancelledError and TimeoutError, and none is lost.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

#include <random>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

constexpr int ThreadCount = 8;
constexpr int CallsPerThread = 10000;

//! How the calls of one thread ended.
struct Tally
{
    int calls = 0;
    int values = 0;
    int cancelled = 0;
    int timedOut = 0;
    int wrongValues = 0;
    int otherFailures = 0;
    int correctBlockingCalls = 0;
};

//! Waits for \a result, at most \a timeout, and counts how the call ended.
template <class Rep, class Period>
void tallyWait(Tally &tally, const Crochet::EventualResult<int> &result, int expected,
               std::chrono::duration<Rep, Period> timeout)
{
    ++tally.calls;
    try {
        if (result.wait(timeout) == expected)
            ++tally.values;
        else
            ++tally.wrongValues;
    } catch (const Crochet::CancelledError &) {
        ++tally.cancelled;
    } catch (const Crochet::TimeoutError &) {
        ++tally.timedOut;
    } catch (...) {
        ++tally.otherFailures;
    }
}

template <typename Call>
void tallyBlocking(Tally &tally, Call call, int expected)
{
    ++tally.calls;
    try {
        if (call() == expected)
            ++tally.values;
        else
            ++tally.wrongValues;
    } catch (const Crochet::TimeoutError &) {
        ++tally.timedOut;
    } catch (...) {
        ++tally.otherFailures;
    }
}

int add(int a, int b)
{
    return a + b;
}

} // namespace

class tst_Multithread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void manyThreadsManyCalls();
};

void tst_Multithread::initTestCase()
{
    Crochet::setup();
}

void tst_Multithread::manyThreadsManyCalls()
{
    const auto blockingAdd = Crochet::waitFor(LongTimeout, &add);
    const auto instantAdd = Crochet::waitFor(0ms, &add);
    const auto hastyAdd = Crochet::waitFor(100us, &add);
    const auto runningAdd = Crochet::runInReactor(&add);
    // Operations that complete later, in the reactor: what cancel() and a
    // timeout must stop.
    const auto readyFutureAdd =
        Crochet::runInReactor([](int a, int b) { return CrochetTest::readyFuture(a + b); });
    const auto laterAdd = Crochet::runInReactor(
        [](int a, int b) { return finishedLater<int>(0ms, [a, b] { return a + b; }); });
    const auto hastyLaterAdd = Crochet::waitFor(
        200us, [](int a, int b) { return finishedLater<int>(0ms, [a, b] { return a + b; }); });

    std::vector<Tally> tallies(ThreadCount);
    const auto work = [&](int index) {
        Tally &tally = tallies[index];
        // A fixed seed per thread: a failing mix can be replayed.
        std::mt19937 random(1000 + index);
        for (int i = 0; i < CallsPerThread; ++i) {
            const int expected = i + index;
            const int valuesBefore = tally.values;
            tallyBlocking(
                tally, [&] { return blockingAdd(i, index); }, expected);
            if (tally.values == valuesBefore + 1)
                ++tally.correctBlockingCalls;

            switch (random() % 8) {
            case 0: {
                auto result = runningAdd(i, index);
                if (random() % 2)
                    std::this_thread::yield();
                result.cancel();
                tallyWait(tally, result, expected, LongTimeout);
                break;
            }
            case 1: {
                auto result = (random() % 2) ? laterAdd(i, index) : readyFutureAdd(i, index);
                result.cancel();
                tallyWait(tally, result, expected, LongTimeout);
                break;
            }
            case 2:
                tallyWait(tally, runningAdd(i, index), expected,
                          std::chrono::microseconds(random() % 200));
                break;
            case 3:
                tallyBlocking(
                    tally, [&] { return instantAdd(i, index); }, expected);
                break;
            case 4:
                tallyBlocking(
                    tally, [&] { return hastyAdd(i, index); }, expected);
                break;
            case 5:
                tallyBlocking(
                    tally, [&] { return hastyLaterAdd(i, index); }, expected);
                break;
            default:
                break;
            }
        }
    };

    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int index = 0; index < ThreadCount; ++index)
        threads.emplace_back(work, index);
    for (std::thread &thread : threads)
        thread.join();
    const qint64 elapsed = timer.elapsed();

    Tally total;
    for (const Tally &tally : tallies) {
        total.calls += tally.calls;
        total.values += tally.values;
        total.cancelled += tally.cancelled;
        total.timedOut += tally.timedOut;
        total.wrongValues += tally.wrongValues;
        total.otherFailures += tally.otherFailures;
        total.correctBlockingCalls += tally.correctBlockingCalls;
    }
    qInfo("%d calls in %lld ms: %d values, %d cancelled, %d timed out", total.calls, elapsed,
          total.values, total.cancelled, total.timedOut);

    QCOMPARE(total.wrongValues, 0);
    QCOMPARE(total.otherFailures, 0);
    QCOMPARE(total.values + total.cancelled + total.timedOut, total.calls);
    QVERIFY(total.calls > ThreadCount * CallsPerThread);
    // Every call with a long timeout got its value.
    QCOMPARE(total.correctBlockingCalls, ThreadCount * CallsPerThread);
    // The mix really exercised each ending.
    QVERIFY(total.cancelled > 0);
    QVERIFY(total.timedOut > 0);

    // The reactor is still healthy afterwards.
    QCOMPARE(waitValue(runningAdd(20, 22)).value_or(-1), 42);
}

QTEST_GUILESS_MAIN(tst_Multithread)
#include "tst_multithread.moc"
