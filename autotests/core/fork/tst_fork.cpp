// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// fork(): a pre-forking server's child has no reactor thread. Calls there
// must fail with a clear SetupError, not hang, until the child calls
// setup(), which starts a fresh reactor; results still pending at fork()
// fail the same way in the child.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

using namespace std::chrono_literals;

namespace {

const auto threadOf = Crochet::waitFor(5s, [] { return QThread::currentThread(); });

// Exit codes of the child, one per way to fail, so the parent can tell.
enum ChildStatus {
    ChildOk = 0,
    ChildCallDidNotThrow = 10,
    ChildWrongError = 11,
    ChildNoFreshReactor = 12,
    ChildWrongResult = 13,
    ChildPendingDidNotFail = 14,
    ChildPendingWrongError = 15,
    ChildPendingTooSlow = 16,
    ChildReadyResultLost = 17,
};

int runChild(QThread *parentReactor)
{
    try {
        threadOf();
        return ChildCallDidNotThrow;
    } catch (const Crochet::SetupError &error) {
        if (!error.message().contains(QLatin1String("fork")))
            return ChildWrongError;
    } catch (...) {
        return ChildWrongError;
    }
    Crochet::setup();
    QThread *childReactor = threadOf();
    if (!childReactor || childReactor == parentReactor || childReactor != Crochet::reactorThread())
        return ChildNoFreshReactor;
    const auto add = Crochet::waitFor(5s, [](int a, int b) { return a + b; });
    return add(20, 22) == 42 ? ChildOk : ChildWrongResult;
}

//! Results pending at fork() fail at once in the child with a SetupError
//! that names fork; one that was ready keeps its value.
int checkInheritedResults(const QList<Crochet::EventualResult<int>> &pending,
                          const Crochet::EventualResult<int> &ready)
{
    QElapsedTimer timer;
    timer.start();
    for (const Crochet::EventualResult<int> &result : pending) {
        try {
            result.wait(5s);
            return ChildPendingDidNotFail;
        } catch (const Crochet::SetupError &error) {
            if (!error.message().contains(QLatin1String("fork")))
                return ChildPendingWrongError;
        } catch (...) {
            return ChildPendingWrongError; // a TimeoutError, when they never complete
        }
    }
    // Well under one wait()'s timeout, for all of them.
    if (timer.elapsed() > 2500)
        return ChildPendingTooSlow;
    try {
        return ready.wait(0s) == 7 ? ChildOk : ChildReadyResultLost;
    } catch (...) {
        return ChildReadyResultLost;
    }
}

//! Waits up to 20 s for \a child to exit; its exit code, or -1.
int exitCodeOf(pid_t child)
{
    int status = 0;
    QDeadlineTimer deadline(20s);
    pid_t done = 0;
    while ((done = waitpid(child, &status, WNOHANG)) == 0 && !deadline.hasExpired())
        QTest::qWait(20);
    if (done == 0) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        qWarning("the forked child hung");
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

class tst_Fork : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void childGetsAFreshReactor()
    {
        QThread *parentReactor = threadOf();
        QCOMPARE(parentReactor, Crochet::reactorThread());

        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0)
            _exit(runChild(parentReactor));

        QCOMPARE(exitCodeOf(child), int(ChildOk));

        // The parent's reactor is untouched.
        QCOMPARE(threadOf(), parentReactor);
    }

    void pendingResultsFailInTheChild()
    {
        const auto ready = Crochet::runInReactor([] { return 7; })();
        QCOMPARE(CrochetTest::waitValue(ready).value_or(-1), 7);

        // Waiting on a future that the test finishes later.
        const auto promise = CrochetTest::startedPromise<int>();
        const auto onFuture =
            Crochet::runInReactor([future = promise->future()] { return future; })();
        CrochetTest::flushReactor();

        // Running in the reactor, and queued behind it.
        const auto started = std::make_shared<CrochetTest::Gate>();
        const auto release = std::make_shared<CrochetTest::Gate>();
        const auto releaseAtEnd = qScopeGuard([release] { release->open(); });
        const auto running = Crochet::runInReactor([started, release] {
            started->open();
            release->wait();
            return 1;
        })();
        const auto queued = Crochet::runInReactor([] { return 2; })();
        QVERIFY(started->wait());
        QVERIFY(!onFuture.isReady() && !running.isReady() && !queued.isReady());

        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0)
            _exit(checkInheritedResults({onFuture, running, queued}, ready));
        QCOMPARE(exitCodeOf(child), int(ChildOk));

        // In the parent they complete as usual.
        release->open();
        promise->addResult(3);
        promise->finish();
        QCOMPARE(CrochetTest::waitValue(running).value_or(-1), 1);
        QCOMPARE(CrochetTest::waitValue(queued).value_or(-1), 2);
        QCOMPARE(CrochetTest::waitValue(onFuture).value_or(-1), 3);
    }
};

QTEST_GUILESS_MAIN(tst_Fork)
#include "tst_fork.moc"
