// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// fork(): a pre-forking server's child has no reactor thread. Calls there
// must fail with a clear SetupError, not hang, until the child calls
// setup(), which starts a fresh reactor.

#include <crochet/crochet.h>

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

        int status = 0;
        QDeadlineTimer deadline(20s);
        pid_t done = 0;
        while ((done = waitpid(child, &status, WNOHANG)) == 0 && !deadline.hasExpired())
            QTest::qWait(20);
        if (done == 0) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            QFAIL("the forked child hung");
        }
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), int(ChildOk));

        // The parent's reactor is untouched.
        QCOMPARE(threadOf(), parentReactor);
    }
};

QTEST_GUILESS_MAIN(tst_Fork)
#include "tst_fork.moc"
