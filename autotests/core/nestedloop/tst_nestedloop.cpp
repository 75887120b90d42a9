// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// A wrapped function that runs an event loop of its own (a nested QEventLoop
// or a processEvents() loop) while it waits for another Crochet call: the
// other call must reach that loop, whether it was queued before the loop
// started (in the same batch), while it ran, or while it was asleep.

#include <crochet/crochet.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

using namespace std::chrono_literals;

namespace {

// How long a nested loop waits before it gives up: far longer than the
// other call needs, far shorter than the test's own timeouts.
constexpr int WatchdogMs = 5000;

//! What the waiting function and the releasing one share (reactor thread only).
struct Rendezvous
{
    QPointer<QEventLoop> loop;
    bool released = false;
};

//! Runs a nested QEventLoop until released; true unless the watchdog fired.
bool waitInEventLoop(Rendezvous *rendezvous, std::atomic<bool> *looping)
{
    QEventLoop loop;
    rendezvous->loop = &loop;
    bool timedOut = false;
    QTimer::singleShot(WatchdogMs, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    looping->store(true);
    if (!rendezvous->released)
        loop.exec();
    return rendezvous->released && !timedOut;
}

//! Spins processEvents() until released or the watchdog's deadline.
bool waitInProcessEvents(Rendezvous *rendezvous, std::atomic<bool> *looping)
{
    const QDeadlineTimer deadline(WatchdogMs);
    looping->store(true);
    while (!rendezvous->released && !deadline.hasExpired())
        QCoreApplication::processEvents();
    return rendezvous->released;
}

int release(Rendezvous *rendezvous)
{
    rendezvous->released = true;
    if (rendezvous->loop)
        rendezvous->loop->quit();
    return 42;
}

const auto waitInLoop = Crochet::runInReactor(&waitInEventLoop);
const auto waitInEvents = Crochet::runInReactor(&waitInProcessEvents);
//! Starts a call that waits for \a rendezvous in a nested QEventLoop
//! (\a eventLoop) or a processEvents() loop.
Crochet::EventualResult<bool> startWaiting(bool eventLoop, Rendezvous *rendezvous,
                                           std::atomic<bool> *looping)
{
    return eventLoop ? waitInLoop(rendezvous, looping) : waitInEvents(rendezvous, looping);
}

const auto releaseNow = Crochet::waitFor(10s, &release);
const auto releaseLater = Crochet::runInReactor(&release);

template <typename T>
std::optional<T> valueWithin(const Crochet::EventualResult<T> &result,
                             std::chrono::milliseconds timeout)
{
    try {
        return result.wait(timeout);
    } catch (const std::exception &error) {
        qWarning("wait() threw: %s", error.what());
    }
    return std::nullopt;
}

} // namespace

class tst_NestedLoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void callMadeWhileTheLoopRuns_data();
    void callMadeWhileTheLoopRuns();
    void callQueuedBeforeTheLoopStarted_data();
    void callQueuedBeforeTheLoopStarted();
    void manyCallsFromManyThreads();
    void reactorStillServesAfterwards();
};

void tst_NestedLoop::callMadeWhileTheLoopRuns_data()
{
    QTest::addColumn<bool>("eventLoop");
    QTest::newRow("QEventLoop") << true;
    QTest::newRow("processEvents()") << false;
}

// The loop is running (or asleep in it) when another thread makes the call.
void tst_NestedLoop::callMadeWhileTheLoopRuns()
{
    QFETCH(bool, eventLoop);
    Rendezvous rendezvous;
    std::atomic<bool> looping{false};
    const auto waiting = startWaiting(eventLoop, &rendezvous, &looping);
    QTRY_VERIFY_WITH_TIMEOUT(looping.load(), 5000);

    std::optional<int> answer;
    try {
        answer = releaseNow(&rendezvous);
    } catch (const std::exception &error) {
        qWarning("the releasing call threw: %s", error.what());
    }
    QCOMPARE(answer.value_or(0), 42);
    QCOMPARE(valueWithin(waiting, 10s).value_or(false), true);
}

void tst_NestedLoop::callQueuedBeforeTheLoopStarted_data()
{
    callMadeWhileTheLoopRuns_data();
}

// Both calls are queued back to back, so they usually run in one batch: the
// releasing one waits behind the one that loops.
void tst_NestedLoop::callQueuedBeforeTheLoopStarted()
{
    QFETCH(bool, eventLoop);
    Rendezvous rendezvous;
    std::atomic<bool> looping{false};
    const auto waiting = startWaiting(eventLoop, &rendezvous, &looping);
    const auto releasing = releaseLater(&rendezvous);
    QCOMPARE(valueWithin(releasing, 10s).value_or(0), 42);
    QCOMPARE(valueWithin(waiting, 10s).value_or(false), true);
}

// Calls from 8 threads keep arriving while the reactor sits in a nested
// loop; every one runs, and in the order each thread made them.
void tst_NestedLoop::manyCallsFromManyThreads()
{
    Rendezvous rendezvous;
    std::atomic<bool> looping{false};
    const auto waiting = waitInLoop(&rendezvous, &looping);
    QTRY_VERIFY_WITH_TIMEOUT(looping.load(), 5000);

    static const auto record =
        Crochet::waitFor(10s, [](QList<int> *seen, int value) { seen->append(value); });
    constexpr int Threads = 8;
    constexpr int CallsEach = 200;
    QList<int> seen[Threads]; // each appended to by the reactor only
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < CallsEach; ++i) {
                try {
                    record(&seen[t], i);
                } catch (...) {
                    ++failures;
                }
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(waiting.isReady(), false); // all of that happened inside the nested loop
    for (const QList<int> &values : seen) {
        QCOMPARE(values.size(), CallsEach);
        for (int i = 0; i < CallsEach; ++i)
            QCOMPARE(values[i], i);
    }
    QCOMPARE(releaseNow(&rendezvous), 42);
    QCOMPARE(valueWithin(waiting, 10s).value_or(false), true);
}

// Once the nested loop has returned, calls go the usual way again.
void tst_NestedLoop::reactorStillServesAfterwards()
{
    static const auto add = Crochet::waitFor(10s, [](int a, int b) { return a + b; });
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(add(i, 1), i + 1);
}

QTEST_GUILESS_MAIN(tst_NestedLoop)
#include "tst_nestedloop.moc"
