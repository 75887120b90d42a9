// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// A value whose copy throws, and continuations that throw: every listener
// of a result runs exactly once, a failed copy fails only the delivery
// that needed it (as a failure that listener sees), and the process lives.

#include <crochet/crochet.h>
#include <crochet/task.h>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;

namespace {

//! Copying it on the reactor thread throws; moving it never does.
struct ThrowingCopy
{
    int value = 0;

    explicit ThrowingCopy(int v)
        : value(v)
    {}
    ThrowingCopy(const ThrowingCopy &other)
        : value(other.value)
    {
        if (Crochet::isReactorThread())
            throw std::runtime_error("ThrowingCopy copied on the reactor thread");
    }
    ThrowingCopy(ThrowingCopy &&other) noexcept
        : value(other.value)
    {}
    ThrowingCopy &operator=(const ThrowingCopy &) = default;
    ThrowingCopy &operator=(ThrowingCopy &&) noexcept = default;
};

//! The text of what wait() throws, or of the value it returns.
template <typename T>
QString outcomeOf(const Crochet::EventualResult<T> &result)
{
    try {
        return QString::number(result.wait(10s).value);
    } catch (const std::exception &error) {
        return QString::fromUtf8(error.what());
    } catch (...) {
        return QStringLiteral("an exception of an unknown type");
    }
}

QString outcomeOf(QFuture<ThrowingCopy> future)
{
    try {
        future.waitForFinished();
        return QString::number(future.result().value);
    } catch (const std::exception &error) {
        return QString::fromUtf8(error.what());
    }
}

const QString CopyFailed = QStringLiteral("ThrowingCopy copied on the reactor thread");

} // namespace

class tst_ExceptionSafety : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void everyListenerRunsWhenACopyThrows();
    void throwingCopyFromQtConcurrentFailsTheResult();
    void throwingCopyFromATaskFailsTheResult();
    void throwingContinuationIsLoggedAndTheOthersRun();
};

// then() -> future() -> then() on one result: future() needs a copy on the
// reactor thread, which throws; both then()s still run, future() finishes
// with the copy's exception, and wait() (on this thread) gets the value.
void tst_ExceptionSafety::everyListenerRunsWhenACopyThrows()
{
    std::atomic<bool> listening{false};
    static const auto produce = Crochet::runInReactor([](std::atomic<bool> *listening) {
        const QDeadlineTimer deadline(5000);
        while (!listening->load() && !deadline.hasExpired())
            std::this_thread::yield();
        return ThrowingCopy(7);
    });
    const auto result = produce(&listening);

    QObject context;
    int first = 0;
    int last = 0;
    result.then(&context, [&](const ThrowingCopy &value) { first = value.value; });
    const QFuture<ThrowingCopy> future = result.future();
    result.then(&context, [&](const ThrowingCopy &value) { last = value.value; });
    listening = true;

    QTRY_COMPARE_WITH_TIMEOUT(first, 7, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(last, 7, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
    QCOMPARE(outcomeOf(future), CopyFailed);
    QCOMPARE(outcomeOf(result), QStringLiteral("7"));
}

// The value arrives in a QFuture (QtConcurrent::run) and is copied out of it
// on the reactor thread: the copy fails the result instead of the process.
void tst_ExceptionSafety::throwingCopyFromQtConcurrentFailsTheResult()
{
    static const auto produce =
        Crochet::runInReactor([] { return QtConcurrent::run([] { return ThrowingCopy(5); }); });
    for (int i = 0; i < 20; ++i)
        QCOMPARE(outcomeOf(produce()), CopyFailed);
}

// Same with a coroutine that co_returns the value after a suspension.
void tst_ExceptionSafety::throwingCopyFromATaskFailsTheResult()
{
    static const auto produce = Crochet::runInReactor([]() -> Crochet::Task<ThrowingCopy> {
        co_await Crochet::sleep(1ms);
        co_return ThrowingCopy(3);
    });
    for (int i = 0; i < 20; ++i)
        QCOMPARE(outcomeOf(produce()), CopyFailed);
}

// A then() continuation that throws (here: it takes the value by value, and
// the copy made for it throws; then the continuation itself throws) is
// logged as one warning; the continuations after it still run.
void tst_ExceptionSafety::throwingContinuationIsLoggedAndTheOthersRun()
{
    static const auto produce = Crochet::runInReactor([] { return 11; });
    const auto result = produce();
    QObject context;
    int after = 0;
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("(?s)continuation threw.*thrown by then")));
    result.then(&context, [](int) { throw std::logic_error("thrown by then"); });
    result.then(&context, [&](int value) { after = value; });
    QTRY_COMPARE_WITH_TIMEOUT(after, 11, 10000);

    static const auto fail =
        Crochet::runInReactor([]() -> int { throw std::runtime_error("the function failed"); });
    const auto failed = fail();
    int handled = 0;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                           "(?s)continuation threw.*thrown by onFailed")));
    failed.onFailed(&context,
                    [](const Crochet::Failure &) { throw std::logic_error("thrown by onFailed"); });
    failed.onFailed(&context, [&](const Crochet::Failure &) { ++handled; });
    QTRY_COMPARE_WITH_TIMEOUT(handled, 1, 10000);
}

QTEST_GUILESS_MAIN(tst_ExceptionSafety)
#include "tst_exceptionsafety.moc"
