// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Stopping a loaded reactor:
// - exitUnderLoad: a child process (loadedexit) returns from main() while
//   16 threads are blocked in waitFor() and hold more pending results; it
//   must exit with status 0, without a crash and without any Qt warning,
//   20 times in a row. (tst_exit has the small version: 3 threads, once.)
// - shutdownUnderLoad: 1,000 calls pending from 16 threads (operations
//   that never finish, calls still queued behind a busy reactor, and a
//   blocked waitFor() in each thread); shutdown() wakes every waiter with
//   ReactorStopped within 1 s although the reactor is still busy, frees
//   every queued call, and later calls throw ReactorStopped without
//   running. It stops this process's reactor, so it runs last.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

constexpr int ThreadCount = 16;
constexpr int CallCount = 1000;
// Calls per thread whose function returns a future that never finishes
// (pending operations) and, at least, calls queued behind the busy reactor
// (the first threads make one more, for 1,000 in all with the blocked waitFor()).
constexpr int PendingPerThread = 31;
constexpr int QueuedPerThread = 30;
constexpr int ThreadsWithOneMore =
    CallCount - ThreadCount * (PendingPerThread + QueuedPerThread + 1);
static_assert(ThreadsWithOneMore >= 0 && ThreadsWithOneMore <= ThreadCount);

constexpr int ExitRuns = 10; // per row: 20 in all
constexpr int ChildHangMs = 60000;

//! An argument that counts its live copies: queued calls that leak keep theirs.
class Tracked
{
public:
    Tracked() { ++s_live; }
    Tracked(const Tracked &) { ++s_live; }
    Tracked(Tracked &&) noexcept { ++s_live; }
    Tracked &operator=(const Tracked &) = default;
    ~Tracked() { --s_live; }
    static int live() { return s_live.load(); }

private:
    static inline std::atomic<int> s_live{0};
};

using Clock = std::chrono::steady_clock;

//! One caller thread's calls, and when each of its waits returned.
struct Caller
{
    std::vector<Crochet::EventualResult<int>> results;
    std::vector<Clock::time_point> wokeAt;
    int reactorStopped = 0;
    QStringList otherEndings;
    bool laterCallsRefused = false;
};

} // namespace

class tst_ShutdownLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exitUnderLoad_data();
    void exitUnderLoad();
    void shutdownUnderLoad();
};

void tst_ShutdownLoad::exitUnderLoad_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("plain main()") << QStringLiteral("plain");
    QTest::newRow("QCoreApplication in main()") << QStringLiteral("application");
}

void tst_ShutdownLoad::exitUnderLoad()
{
    QFETCH(QString, mode);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Every Qt warning must reach stderr, in its plain form.
    environment.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    environment.remove(QStringLiteral("QT_MESSAGE_PATTERN"));

    qint64 slowestMs = 0;
    for (int run = 1; run <= ExitRuns; ++run) {
        QProcess child;
        child.setProcessEnvironment(environment);
        QElapsedTimer timer;
        timer.start();
        child.start(QStringLiteral(LOADED_EXIT_PATH), {mode});
        QVERIFY2(child.waitForStarted(ChildHangMs), qPrintable(child.errorString()));
        const bool finished = child.waitForFinished(ChildHangMs);
        if (!finished) {
            child.kill();
            child.waitForFinished(ChildHangMs);
        }
        slowestMs = qMax(slowestMs, timer.elapsed());
        const QByteArray errors = child.readAllStandardError();
        const QByteArray report = QByteArray("run ") + QByteArray::number(run) + ", stdout:\n" +
                                  child.readAllStandardOutput() + "stderr:\n" + errors;
        QVERIFY2(finished, "the child hung\n" + report);
        QVERIFY2(child.exitStatus() == QProcess::NormalExit, "the child crashed\n" + report);
        QVERIFY2(child.exitCode() == 0,
                 "exit status " + QByteArray::number(child.exitCode()) + '\n' + report);
        QVERIFY2(report.contains("returning with 144 calls pending in 16 threads"), report);
        QVERIFY2(errors.isEmpty(), "the child wrote to stderr\n" + report);
    }
    qInfo("%d exits under load, the slowest took %lld ms", ExitRuns, slowestMs);
}

void tst_ShutdownLoad::shutdownUnderLoad()
{
    Crochet::setup();
    Counter functionsStarted;
    Counter threadsReady;
    Gate queueNow;
    Gate busyStarted;
    Gate releaseBusy;
    Counter threadsWoken;
    std::atomic<int> ranAfterShutdown{0};

    const auto pendingCall = Crochet::runInReactor([&functionsStarted](Tracked) {
        functionsStarted.increment();
        return neverFinishingFuture<int>();
    });
    const auto queuedCall = Crochet::runInReactor([](Tracked) { return 1; });
    const auto blockingCall = Crochet::waitFor(std::chrono::hours(1), [](Tracked) { return 1; });
    const auto lateCall = Crochet::runInReactor([&ranAfterShutdown] { return ++ranAfterShutdown; });
    const auto lateBlockingCall =
        Crochet::waitFor(LongTimeout, [&ranAfterShutdown] { return ++ranAfterShutdown; });

    std::vector<Caller> callers(ThreadCount);
    const auto endOf = [](Caller &caller, auto wait) {
        try {
            wait();
            caller.otherEndings.append(QStringLiteral("a value"));
        } catch (const Crochet::ReactorStopped &) {
            ++caller.reactorStopped;
        } catch (const std::exception &error) {
            caller.otherEndings.append(QString::fromUtf8(error.what()));
        }
        caller.wokeAt.push_back(Clock::now());
    };
    const auto work = [&](int index) {
        Caller &caller = callers[index];
        for (int i = 0; i < PendingPerThread; ++i)
            caller.results.push_back(pendingCall(Tracked()));
        threadsReady.increment();
        if (!queueNow.wait())
            return;
        const int queued = QueuedPerThread + (index < ThreadsWithOneMore ? 1 : 0);
        for (int i = 0; i < queued; ++i)
            caller.results.push_back(queuedCall(Tracked()));
        threadsReady.increment();
        endOf(caller, [&] { blockingCall(Tracked()); });
        for (const auto &result : caller.results)
            endOf(caller, [&] { result.wait(LongTimeout); });
        caller.results.clear();
        threadsWoken.increment();

        int refused = 0;
        try {
            lateCall().wait(LongTimeout);
        } catch (const Crochet::ReactorStopped &) {
            ++refused;
        }
        try {
            lateBlockingCall();
        } catch (const Crochet::ReactorStopped &) {
            ++refused;
        }
        caller.laterCallsRefused = refused == 2;
    };

    std::vector<std::thread> threads;
    for (int i = 0; i < ThreadCount; ++i)
        threads.emplace_back(work, i);
    // On an early failure: stop the reactor, which wakes every thread.
    const auto joinAll = qScopeGuard([&] {
        releaseBusy.open();
        queueNow.open();
        Crochet::shutdown();
        for (std::thread &thread : threads)
            thread.join();
    });

    // Every pending operation runs in the reactor; then the reactor is kept
    // busy so that the next calls stay queued.
    QVERIFY(threadsReady.waitFor(ThreadCount));
    QVERIFY(functionsStarted.waitFor(ThreadCount * PendingPerThread));
    const auto busy = Crochet::runInReactor([&] {
        busyStarted.open();
        return releaseBusy.wait() ? 7 : -1;
    })();
    QVERIFY(busyStarted.wait());
    queueNow.open();
    QVERIFY(threadsReady.waitFor(2 * ThreadCount));
    // Each thread is about to block in waitFor(); one that is not asleep yet
    // when shutdown() comes gets ReactorStopped at once, which is fine too.
    // The queued calls hold their arguments.
    QVERIFY(Tracked::live() >= CallCount - ThreadCount * (PendingPerThread + 1));

    // The busy call ends only once every waiter woke: shutdown() must not
    // wait for the reactor to become free before failing the results.
    std::thread releaser([&] {
        threadsWoken.waitFor(ThreadCount);
        releaseBusy.open();
    });
    const Clock::time_point shutdownAt = Clock::now();
    Crochet::shutdown();
    const auto shutdownTook =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - shutdownAt);
    releaser.join();
    for (std::thread &thread : threads)
        thread.join();
    threads.clear();

    Clock::duration longest{};
    int woken = 0;
    int reactorStopped = 0;
    QStringList otherEndings;
    bool laterCallsRefused = true;
    for (const Caller &caller : callers) {
        for (const Clock::time_point wokeAt : caller.wokeAt)
            longest = std::max(longest, wokeAt - shutdownAt);
        woken += int(caller.wokeAt.size());
        reactorStopped += caller.reactorStopped;
        otherEndings += caller.otherEndings;
        laterCallsRefused = laterCallsRefused && caller.laterCallsRefused;
    }
    const auto longestMs = std::chrono::duration<double, std::milli>(longest).count();
    qInfo("shutdown under load: %d calls from %d threads, %d woke with ReactorStopped; "
          "longest wake-up after shutdown() %.1f ms; shutdown() returned after %lld ms, once the "
          "busy call ended",
          woken, ThreadCount, reactorStopped, longestMs, qint64(shutdownTook.count()));

    QCOMPARE(woken, CallCount);
    QVERIFY2(otherEndings.isEmpty(), qPrintable(otherEndings.join(u'\n')));
    QCOMPARE(reactorStopped, CallCount);
    QVERIFY2(longestMs < 1000, qPrintable(QStringLiteral("%1 ms").arg(longestMs)));
    // The call that was running when shutdown() came was not interrupted.
    QCOMPARE(waitValue(busy).value_or(-1), 7);
    QVERIFY(Crochet::reactorThread()->isFinished());
    // The queued calls and their arguments were freed, none ran late.
    QCOMPARE(Tracked::live(), 0);
    QVERIFY(laterCallsRefused);
    QCOMPARE(ranAfterShutdown.load(), 0);
}

QTEST_GUILESS_MAIN(tst_ShutdownLoad)
#include "tst_shutdownload.moc"
