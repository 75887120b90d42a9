// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The reactor's lifecycle (setup, noSetup, shutdown, process exit) is
// process-wide, so each scenario runs in a child process (exitscenario.cpp).
// Each must exit with status 0, promptly, print what is expected and
// nothing on stderr but the warnings it expects.

#include "scenarioprocess.h"

#include <QtTest/QTest>

using CrochetTest::ChildResult;
using CrochetTest::lines;

namespace {

// A scenario that works exits in a few milliseconds; more than this means
// the process hung at exit (a thread not joined, a lost wake-up).
constexpr qint64 PromptExitMs = 2000;
// How long a hung child may run before it is killed and reported.
constexpr int HangMs = 30000;

} // namespace

class tst_Exit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenario_data();
    void scenario();
    void manyStashedFailuresAreSummedUp();
};

void tst_Exit::scenario_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("expectedOutput");
    // Empty: stderr must be empty. Otherwise the child tags its Qt messages
    // with "@@ <category> <type>: ", and stderr must hold exactly one
    // message, a warning of the category "crochet" containing these texts.
    QTest::addColumn<QStringList>("expectedWarning");

    QTest::newRow("(a) plain main, no application, no shutdown")
        << QStringLiteral("plain-main") << lines({"thread: 42", "main: 43"}) << QStringList();
    QTest::newRow("(b) QCoreApplication in main, no shutdown")
        << QStringLiteral("application-main") << lines({"main: 44"}) << QStringList();
    QTest::newRow("(b) a call from the running application loop")
        << QStringLiteral("application-exec") << lines({"in the event loop: 45"}) << QStringList();
    QTest::newRow("(b) setup() in a worker thread, then QCoreApplication in main")
        << QStringLiteral("setup-in-worker-then-application") << lines({"main: 50"})
        << QStringList();
    QTest::newRow("(c) noSetup, calls after quit throw ReactorStopped")
        << QStringLiteral("no-setup")
        << lines({"reactor is the application thread: yes", "before quit: 46",
                  "pending at quit: ReactorStopped", "waitFor after quit: ReactorStopped",
                  "runInReactor after quit: ReactorStopped"})
        << QStringList();
    QTest::newRow("(c) noSetup, the application object destroyed")
        << QStringLiteral("no-setup-application-destroyed")
        << lines({"queued when the application went: ReactorStopped",
                  "waitFor afterwards: ReactorStopped"})
        << QStringList();
    QTest::newRow("(d) calls pending while main returns")
        << QStringLiteral("pending-at-exit") << lines({"returning with 3 calls pending"})
        << QStringList();
    QTest::newRow("(d) calls pending while main returns, with an application")
        << QStringLiteral("pending-at-exit-application")
        << lines({"returning with 3 calls pending"}) << QStringList();
    QTest::newRow("(d) a 100,000-deep Task chain pending while main returns")
        << QStringLiteral("deep-task-at-exit")
        << lines({"returning with 100001 frames pending", "frames alive after exit: 0"})
        << QStringList();
    QTest::newRow("(e) shutdown wakes waiters, later calls throw")
        << QStringLiteral("shutdown")
        << lines({"waiter 0: ReactorStopped, promptly", "waiter 1: ReactorStopped, promptly",
                  "waiter 2: ReactorStopped, promptly", "waiter 3: ReactorStopped, promptly",
                  "runInReactor after shutdown: ReactorStopped",
                  "waitFor after shutdown: ReactorStopped", "a late function ran: no",
                  "second shutdown returned", "a call after setup() again: ReactorStopped"})
        << QStringList();
    QTest::newRow("(e) shutdown inside a wrapped function")
        << QStringLiteral("shutdown-in-reactor")
        << lines({"the stopping call returned: 1", "the call queued behind it: ReactorStopped",
                  "it ran: no", "a call after it: ReactorStopped"})
        << QStringList();
    QTest::newRow("(f) calls before setup")
        << QStringLiteral("before-setup")
        << lines({"reactorThread: nullptr", "isReactorThread: no",
                  "waitFor: SetupError, mentions Crochet::setup(): yes", "wrappedFunction: -51",
                  "runInReactor: SetupError"})
        << QStringList();
    QTest::newRow("(f) noSetup after setup")
        << QStringLiteral("no-setup-after-setup")
        << lines({"noSetup after setup: SetupError", "the reactor still works: 47"})
        << QStringList();
    QTest::newRow("(f) noSetup without an application")
        << QStringLiteral("no-setup-without-application")
        << lines({"noSetup without an application: SetupError", "setup afterwards: 48"})
        << QStringList();
    QTest::newRow("(f) setup from 16 racing threads")
        << QStringLiteral("setup-race")
        << lines(
               {"all threads see one reactor: yes", "the reactor works: 49", "reactor threads: 1"})
        << QStringList();

    const QStringList stashedWarning = {QStringLiteral("Unhandled error in stashed EventualResult"),
                                        QStringLiteral("std::runtime_error: stashed and forgotten"),
                                        QStringLiteral("Traceback")};
    QTest::newRow("(g) stashed failure logged at shutdown")
        << QStringLiteral("stashed-failures-at-shutdown")
        << lines({"retrieved: std::runtime_error: stashed and retrieved", "stashed", "shut down"})
        << stashedWarning;
    QTest::newRow("(g) stashed failure logged at exit")
        << QStringLiteral("stashed-failures-at-exit")
        << lines({"retrieved: std::runtime_error: stashed and retrieved", "stashed"})
        << stashedWarning;
}

namespace {

/*!
    Runs scenario \a name in a child process, which must end by itself,
    promptly, with status 0 and print \a expectedOutput (else the test
    fails); returns what it wrote to stderr.
*/
QString runPromptly(const QString &name, const QByteArray &expectedOutput)
{
    ChildResult child = CrochetTest::runChild(QStringLiteral(EXIT_SCENARIO_PATH), {name}, HangMs);
    const QString errors = QString::fromUtf8(std::exchange(child.errors, {}));
    const QByteArray problems = child.problems(expectedOutput, PromptExitMs);
    if (!problems.isEmpty())
        QTest::qFail((problems + errors.toUtf8()).constData(), __FILE__, __LINE__);
    return errors;
}

} // namespace

void tst_Exit::scenario()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, expectedOutput);
    QFETCH(QStringList, expectedWarning);

    const QString errors = runPromptly(name, expectedOutput);
    if (QTest::currentTestFailed())
        return;
    if (expectedWarning.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(QStringLiteral("unexpected stderr:\n") + errors));
        return;
    }
    QVERIFY2(errors.startsWith(QStringLiteral("@@ crochet warning: ")), qPrintable(errors));
    QVERIFY2(errors.count(QStringLiteral("@@ ")) == 1, qPrintable(errors));
    for (const QString &text : expectedWarning)
        QVERIFY2(errors.contains(text), qPrintable(text + QStringLiteral(" not in:\n") + errors));
}

// 1,000 stashed failures at exit: the first ten stashed are logged one
// warning each, as a single one is; one more warning counts the rest by type.
void tst_Exit::manyStashedFailuresAreSummedUp()
{
    const QString errors =
        runPromptly(QStringLiteral("many-stashed-failures-at-exit"), lines({"stashed 1000"}));
    if (QTest::currentTestFailed())
        return;
    QStringList warnings = errors.split(QStringLiteral("@@ "), Qt::SkipEmptyParts);
    QCOMPARE(warnings.size(), 11);
    for (const QString &warning : std::as_const(warnings))
        QVERIFY2(warning.startsWith(QStringLiteral("crochet warning: ")), qPrintable(errors));
    const QString summary = warnings.takeLast();
    for (const QString &warning : std::as_const(warnings)) {
        QVERIFY2(warning.contains(QStringLiteral("Unhandled error in stashed EventualResult:\n"
                                                 "Traceback (most recent call last):")),
                 qPrintable(warning));
    }
    // The first ten stashed: nine std::runtime_error, then one std::logic_error.
    QCOMPARE(errors.count(QStringLiteral("\nstd::runtime_error: forgotten at runtime")), 9);
    QCOMPARE(errors.count(QStringLiteral("\nstd::logic_error: forgotten logic")), 1);
    QCOMPARE(summary.trimmed(),
             QStringLiteral("crochet warning: ... and 990 more stashed failures nobody retrieved "
                            "(only the first 10 are logged in full): 891 std::runtime_error, "
                            "99 std::logic_error"));
}

QTEST_GUILESS_MAIN(tst_Exit)
#include "tst_exit.moc"
