// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Bad input: each misuse gets its documented error (or the user's own
// exception) and leaves the library usable: cleanup() makes a normal call
// after every test.
//
// Tested elsewhere, not repeated here:
// - an empty std::function: tst_wrappers emptyStdFunction;
// - retrieveResult() of 0, of the largest uid, of a uid not issued yet, of
//   one already retrieved, and with the wrong type: tst_store unknownUid,
//   retrieveWorksOnce, wrongTypeLeavesTheResultStashed;
// - wait() with zero, negative and most negative integer timeouts, pending
//   and ready, and with huge ones: tst_eventualresult
//   waitWithZeroOrNegativeTimeout, waitAcceptsAnyDurationType;
// - wait() and waitFor() functions on the reactor thread: tst_wrappers;
// - noSetup() after setup(), noSetup() without an application, calls
//   before setup() and after shutdown(), setup() from 16 racing threads:
//   tst_exit scenarios (f) and (e);
// - cancel() twice and from two threads: tst_eventualresult secondCancelDoesNothing.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

//! What the hostile types below throw.
class CopyError : public std::exception
{
public:
    const char *what() const noexcept override { return "copy refused"; }
};

//! An argument (or callable) whose copy constructor throws; counts live objects.
class CopyRefused
{
public:
    CopyRefused() { ++s_live; }
    CopyRefused(const CopyRefused &) { throw CopyError(); }
    CopyRefused(CopyRefused &&) noexcept { ++s_live; }
    CopyRefused &operator=(const CopyRefused &) = delete;
    ~CopyRefused() { --s_live; }
    int operator()() const { return 1; }
    static int live() { return s_live.load(); }

private:
    static inline std::atomic<int> s_live{0};
};

//! A result value whose move (or copy) constructor throws when told to.
struct Fragile
{
    bool moveThrows = false;
    bool copyThrows = false;
    int value = 0;

    Fragile(bool moveThrows, bool copyThrows, int value)
        : moveThrows(moveThrows)
        , copyThrows(copyThrows)
        , value(value)
    {}
    Fragile(const Fragile &other)
        : Fragile(other.moveThrows, other.copyThrows, other.value)
    {
        if (other.copyThrows)
            throw CopyError();
    }
    Fragile(Fragile &&other)
        : Fragile(other.moveThrows, other.copyThrows, other.value)
    {
        if (other.moveThrows)
            throw CopyError();
    }
    Fragile &operator=(const Fragile &) = delete;
};

enum class Moved { StdFunction, Wrapper };

// Runs a child scenario; its stdout, or a description of what went wrong.
QByteArray runScenario(const QString &name, bool *ok)
{
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    child.setProcessEnvironment(environment);
    child.start(QStringLiteral(BAD_INPUT_SCENARIO_PATH), {name});
    *ok = child.waitForStarted(LongTimeoutMs) && child.waitForFinished(LongTimeoutMs);
    if (!*ok) {
        child.kill();
        child.waitForFinished(LongTimeoutMs);
    }
    const QByteArray output = child.readAllStandardOutput();
    const QByteArray errors = child.readAllStandardError();
    *ok = *ok && child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0 &&
          errors.isEmpty();
    return *ok ? output
               : "exit status " + QByteArray::number(child.exitCode()) + ", stdout:\n" + output +
                     "stderr:\n" + errors;
}

} // namespace

Q_DECLARE_METATYPE(Moved)

class tst_BadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void movedFromCallable_data();
    void movedFromCallable();
    void nullFunctionPointer();
    void argumentCopyThrows();
    void callableCopyThrows();
    void resultMoveThrowsInTheReactor();
    void resultCopyThrowsInWait();
    void waitForWithNonPositiveTimeout_data();
    void waitForWithNonPositiveTimeout();
    void waitWithNonFiniteTimeout();
    void retrieveRacedFromManyThreads();
    void processWideMisuse_data();
    void processWideMisuse();
};

void tst_BadInput::initTestCase()
{
    Crochet::setup();
}

void tst_BadInput::cleanup()
{
    // Whatever the test did, the library still works.
    QCOMPARE(waitValue(Crochet::runInReactor([](int a) { return a + 1; })(41)).value_or(-1), 42);
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(Crochet::waitFor(LongTimeout, [] { return 5; })(), 5));
}

void tst_BadInput::movedFromCallable_data()
{
    QTest::addColumn<Moved>("moved");
    QTest::addColumn<bool>("blocking");
    QTest::newRow("runInReactor(a moved-from std::function)") << Moved::StdFunction << false;
    QTest::newRow("waitFor(a moved-from std::function)") << Moved::StdFunction << true;
    QTest::newRow("a moved-from runInReactor() wrapper") << Moved::Wrapper << false;
    QTest::newRow("a moved-from waitFor() wrapper") << Moved::Wrapper << true;
}

void tst_BadInput::movedFromCallable()
{
    // libstdc++ leaves a moved-from std::function empty (the standard says
    // "valid but unspecified"): calling it throws std::bad_function_call in
    // the reactor, which reaches the caller like any exception of user code.
    QFETCH(Moved, moved);
    QFETCH(bool, blocking);
    std::function<int(int)> function = [](int a) { return a * 2; };
    std::function<int(int)> thief;

    if (blocking) {
        auto wrapper = Crochet::waitFor(LongTimeout, function);
        if (moved == Moved::StdFunction) {
            thief = std::move(function);
            wrapper = Crochet::waitFor(LongTimeout, function);
        } else {
            const auto newOwner = std::move(wrapper);
            QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(newOwner(4), 8));
        }
        QVERIFY_THROWS_EXCEPTION(std::bad_function_call, wrapper(1));
    } else {
        auto wrapper = Crochet::runInReactor(function);
        if (moved == Moved::StdFunction) {
            thief = std::move(function);
            wrapper = Crochet::runInReactor(function);
        } else {
            const auto newOwner = std::move(wrapper);
            QCOMPARE(waitValue(newOwner(4)).value_or(-1), 8);
        }
        const auto result = wrapper(1);
        QVERIFY_THROWS_EXCEPTION(std::bad_function_call, result.wait(LongTimeout));
        const auto failure = result.originalFailure();
        QVERIFY(failure);
        QCOMPARE(failure->typeName(), QStringLiteral("std::bad_function_call"));
    }
}

void tst_BadInput::nullFunctionPointer()
{
    // Calling through it in the reactor would crash the whole process; it
    // fails like an empty std::function instead.
    int (*const function)(int) = nullptr;
    QVERIFY_THROWS_EXCEPTION(std::bad_function_call,
                             Crochet::runInReactor(function)(1).wait(LongTimeout));
    QVERIFY_THROWS_EXCEPTION(std::bad_function_call, Crochet::waitFor(LongTimeout, function)(1));
    QFuture<int> (*const asynchronous)() = nullptr;
    QVERIFY_THROWS_EXCEPTION(std::bad_function_call,
                             Crochet::runInReactor(asynchronous)().wait(LongTimeout));
    int (CopyRefused::*const member)() const = nullptr;
    const CopyRefused object;
    QVERIFY_THROWS_EXCEPTION(std::bad_function_call,
                             Crochet::runInReactor(member)(&object).wait(LongTimeout));
}

void tst_BadInput::argumentCopyThrows()
{
    // The arguments are copied in the calling thread: the copy's exception
    // comes out of the call itself, before anything is queued.
    std::atomic<int> ran{0};
    const auto function = [&ran](const CopyRefused &) { return ++ran; };
    const CopyRefused argument;
    const int liveBefore = CopyRefused::live();
    QVERIFY_THROWS_EXCEPTION(CopyError, Crochet::runInReactor(function)(argument));
    QVERIFY_THROWS_EXCEPTION(CopyError, Crochet::waitFor(LongTimeout, function)(argument));
    QCOMPARE(CopyRefused::live(), liveBefore);
    // A moved argument is not copied.
    QCOMPARE(waitValue(Crochet::runInReactor(function)(CopyRefused())).value_or(-1), 1);
    flushReactor();
    QCOMPARE(ran.load(), 1);
}

void tst_BadInput::callableCopyThrows()
{
    // The wrapper copies its callable into each call, in the calling thread.
    const auto running = Crochet::runInReactor(CopyRefused());
    const auto blocking = Crochet::waitFor(LongTimeout, CopyRefused());
    const int liveBefore = CopyRefused::live();
    QVERIFY_THROWS_EXCEPTION(CopyError, running());
    QVERIFY_THROWS_EXCEPTION(CopyError, blocking());
    QCOMPARE(CopyRefused::live(), liveBefore);
    // Bypassing the reactor still works.
    QCOMPARE(running.wrappedFunction(), 1);
}

void tst_BadInput::resultMoveThrowsInTheReactor()
{
    // Storing the value in the result throws in the reactor thread: the
    // result fails with that exception instead of hanging or crashing.
    const auto makeFragile = Crochet::runInReactor([] { return Fragile(true, false, 3); });
    const auto result = makeFragile();
    QVERIFY_THROWS_EXCEPTION(CopyError, result.wait(LongTimeout));
    QVERIFY(result.isReady());
    QVERIFY_THROWS_EXCEPTION(CopyError, result.wait(0s));
    QVERIFY_THROWS_EXCEPTION(
        CopyError, Crochet::waitFor(LongTimeout, [] { return Fragile(true, false, 3); })());
}

void tst_BadInput::resultCopyThrowsInWait()
{
    // The value is stored; each wait() copies it out, and that copy throws
    // in the waiting thread, every time, without spoiling the result.
    const auto result = Crochet::runInReactor([] { return Fragile(false, true, 4); })();
    QVERIFY_THROWS_EXCEPTION(CopyError, result.wait(LongTimeout));
    QVERIFY(result.isReady());
    QVERIFY(!result.originalFailure());
    QVERIFY_THROWS_EXCEPTION(CopyError, result.wait(LongTimeout));
}

void tst_BadInput::waitForWithNonPositiveTimeout_data()
{
    QTest::addColumn<double>("seconds");
    QTest::newRow("zero") << 0.0;
    QTest::newRow("minus one millisecond") << -0.001;
    QTest::newRow("minus one hour") << -3600.0;
    QTest::newRow("lowest double") << std::numeric_limits<double>::lowest();
    QTest::newRow("minus infinity") << -std::numeric_limits<double>::infinity();
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN();
}

void tst_BadInput::waitForWithNonPositiveTimeout()
{
    // A waitFor() function with no time at all: TimeoutError at once, and
    // its operation is cancelled (or never started).
    QFETCH(double, seconds);
    std::mutex mutex;
    std::optional<QFuture<int>> started;
    const auto neverReady = Crochet::waitFor(std::chrono::duration<double>(seconds), [&] {
        const QFuture<int> future = neverFinishingFuture<int>();
        std::lock_guard guard(mutex);
        started = future;
        return future;
    });
    QElapsedTimer timer;
    timer.start();
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, neverReady());
    QVERIFY2(timer.elapsed() < 5000, "a timeout with no time left must not block");
    flushReactor();
    std::lock_guard guard(mutex);
    if (started)
        QTRY_VERIFY_WITH_TIMEOUT(started->isCanceled(), LongTimeoutMs);
}

void tst_BadInput::waitWithNonFiniteTimeout()
{
    // NaN and minus infinity leave no time at all; plus infinity waits for
    // ever (it must not overflow into the past).
    using Seconds = std::chrono::duration<double>;
    constexpr double infinity = std::numeric_limits<double>::infinity();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const auto promise = startedPromise<int>();
    const auto pending = Crochet::runInReactor([future = promise->future()] { return future; })();
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, pending.wait(Seconds(nan)));
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, pending.wait(Seconds(-infinity)));
    promise->addResult(8);
    promise->finish();
    QCOMPARE(waitValue(pending).value_or(-1), 8);
    QCOMPARE(waitValue(pending, Seconds(nan)).value_or(-1), 8);

    const auto later =
        Crochet::runInReactor([] { return finishedLater<int>(50ms, [] { return 9; }); })();
    QCOMPARE(waitValue(later, Seconds(infinity)).value_or(-1), 9);
}

void tst_BadInput::retrieveRacedFromManyThreads()
{
    // 16 threads try to retrieve the same 64 uids, some first with the wrong
    // type: each result is handed out exactly once, to one thread.
    constexpr int ThreadCount = 16;
    constexpr int ResultCount = 64;
    std::vector<quint64> uids;
    for (int i = 0; i < ResultCount; ++i)
        uids.push_back(Crochet::runInReactor([i] { return i; })().stash());

    std::atomic<int> retrieved{0};
    std::atomic<int> notFound{0};
    std::atomic<int> wrongValues{0};
    std::atomic<int> otherErrors{0};
    Gate start;
    std::vector<std::thread> threads;
    for (int t = 0; t < ThreadCount; ++t) {
        threads.emplace_back([&, t] {
            start.wait();
            for (int n = 0; n < ResultCount; ++n) {
                // Each thread walks the uids from another starting point.
                const int i = (n + t * 5) % ResultCount;
                try {
                    if (t % 4 == 0)
                        Crochet::retrieveResult<QString>(uids[i]);
                } catch (const Crochet::ResultNotFound &) {
                }
                try {
                    const auto result = Crochet::retrieveResult<int>(uids[i]);
                    ++retrieved;
                    if (result.wait(LongTimeout) != i)
                        ++wrongValues;
                } catch (const Crochet::ResultNotFound &) {
                    ++notFound;
                } catch (...) {
                    ++otherErrors;
                }
            }
        });
    }
    start.open();
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(otherErrors.load(), 0);
    QCOMPARE(wrongValues.load(), 0);
    QCOMPARE(retrieved.load(), ResultCount);
    QCOMPARE(notFound.load(), ThreadCount * ResultCount - ResultCount);
    for (const quint64 uid : uids)
        QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<int>(uid));
}

void tst_BadInput::processWideMisuse_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("noSetup() twice, then setup()")
        << QStringLiteral("no-setup-twice")
        << QByteArray("first noSetup: no exception\n"
                      "second noSetup: no exception\n"
                      "setup after noSetup: no exception\n"
                      "the reactor is the application thread: yes\n"
                      "reactor threads of its own: 0\n"
                      "a call from a worker: 42\n");
    QTest::newRow("setup() from 12 threads racing, each calling at once, and noSetup() from 4")
        << QStringLiteral("setup-race-with-calls")
        << QByteArray("calls right after setup() answered: 12 of 12\n"
                      "noSetup() racing setup(): 4 SetupError\n"
                      "reactor threads: 1\n"
                      "a call afterwards: 43\n");
}

void tst_BadInput::processWideMisuse()
{
    QFETCH(QString, scenario);
    QFETCH(QByteArray, expected);
    bool ok = false;
    const QByteArray output = runScenario(scenario, &ok);
    QVERIFY2(ok, output);
    QCOMPARE(output, expected);
}

QTEST_GUILESS_MAIN(tst_BadInput)
#include "tst_badinput.moc"
