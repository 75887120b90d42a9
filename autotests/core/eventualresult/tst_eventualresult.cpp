// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// EventualResult<T>: wait(), cancel(), isReady(), progress(),
// originalFailure(), future(), and how failures of any type come back.

#include "reactorhelpers.h"
#include "valuecategories.h"

#include <crochet/crochet.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QException>
#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

using namespace std::chrono_literals;
using namespace CrochetTest;
using Crochet::EventualResult;

namespace {

// Only the wrappers' types are checked: a function pointer type is enough.
using TakesUnique = int (*)(std::unique_ptr<int>);
using RunTakesUnique = decltype(Crochet::runInReactor(std::declval<TakesUnique>()));
using WaitTakesUnique = decltype(Crochet::waitFor(1s, std::declval<TakesUnique>()));

} // namespace

// The handle is cheap and copyable whatever the value, void included.
static_assert(std::is_copy_constructible_v<EventualResult<int>>);
static_assert(std::is_copy_assignable_v<EventualResult<int>>);
static_assert(std::is_copy_constructible_v<EventualResult<std::unique_ptr<int>>>);
static_assert(std::is_copy_constructible_v<EventualResult<void>>);
static_assert(std::is_void_v<decltype(std::declval<EventualResult<void>>().wait(1s))>);
// Move-only arguments are accepted by both wrappers.
static_assert(std::is_same_v<std::invoke_result_t<const RunTakesUnique &, std::unique_ptr<int>>,
                             EventualResult<int>>);
static_assert(
    std::is_same_v<std::invoke_result_t<const WaitTakesUnique &, std::unique_ptr<int>>, int>);

namespace {

//! Not derived from std::exception: must still reach wait() as itself.
struct CustomFailure
{
    int code;
};

class CustomQException : public QException
{
public:
    explicit CustomQException(int code)
        : code(code)
    {}
    void raise() const override { throw *this; }
    CustomQException *clone() const override { return new CustomQException(*this); }
    int code;
};

//! A result that stays pending until the test finishes \a promise.
template <typename T>
EventualResult<T> resultOf(const std::shared_ptr<QPromise<T>> &promise)
{
    return Crochet::runInReactor([future = promise->future()] { return future; })();
}

//! A QPromise destroyed unfinished cancels and finishes its future: here in
//! the wrapped function itself, before it returns the future.
EventualResult<int> resultOfDroppedPromise()
{
    return Crochet::runInReactor([] {
        QPromise<int> local;
        local.start();
        return local.future();
    })();
}

EventualResult<int> failedResult(const char *message)
{
    auto result =
        Crochet::runInReactor([message]() -> int { throw std::runtime_error(message); })();
    flushReactor();
    return result;
}

} // namespace

class tst_EventualResult : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void waitReturnsTheValue_data();
    void waitReturnsTheValue();
    void secondWaitReturnsTheSame_data();
    void secondWaitReturnsTheSame();
    void secondWaitThrowsTheSameException();
    void waitAfterTimeoutStillGetsTheResult_data();
    void waitAfterTimeoutStillGetsTheResult();
    void waitWithZeroOrNegativeTimeout_data();
    void waitWithZeroOrNegativeTimeout();
    void waitAcceptsAnyDurationType();
    void waitWithoutLimitWakesWhenTheResultComes();

    void cancelBeforeTheValue();
    void cancelCancelsTheReturnedFuture();
    void cancelBeforeTheCallRanSkipsIt();
    void cancelAfterTheValueKeepsIt();
    void cancelAfterAFailureKeepsIt();
    void secondCancelDoesNothing();
    void copiesShareOneResult();
    void isReady();

    void progressReadsTheCurrentValue();
    void progressIsScaledToTheRange_data();
    void progressIsScaledToTheRange();

    void originalFailure();
    void failureRaiseRethrows();

    void futureFinishesWithTheValue_data();
    void futureFinishesWithTheValue();
    void futureFinishesWithTheFailure();
    void producerCancelledFuture_data();
    void producerCancelledFuture();

    void exceptionNotDerivedFromStdException();
    void exceptionHeldByTheReturnedFuture();
    void qexceptionSubclassKeepsItsType();
};

void tst_EventualResult::initTestCase()
{
    Crochet::setup();
}

void tst_EventualResult::waitReturnsTheValue_data()
{
    addValueCategoryRows();
}

void tst_EventualResult::waitReturnsTheValue()
{
    QFETCH(ValueCategory, category);
    withValueCategory(category, []<typename T>() {
        const auto result = Crochet::runInReactor([] { return Values<T>::make(42); })();
        if constexpr (std::is_void_v<T>) {
            QVERIFY_THROWS_NO_EXCEPTION(result.wait(LongTimeout));
        } else {
            const auto value = waitValue(result);
            QVERIFY(value);
            QCOMPARE(Values<T>::read(*value), 42);
        }
        QVERIFY(result.isReady());
    });
}

void tst_EventualResult::secondWaitReturnsTheSame_data()
{
    addValueCategoryRows();
}

void tst_EventualResult::secondWaitReturnsTheSame()
{
    QFETCH(ValueCategory, category);
    withValueCategory(category, []<typename T>() {
        const auto result = Crochet::runInReactor([] { return Values<T>::make(7); })();
        if constexpr (std::is_void_v<T>) {
            QVERIFY_THROWS_NO_EXCEPTION(result.wait(LongTimeout));
            QVERIFY_THROWS_NO_EXCEPTION(result.wait(LongTimeout));
        } else if constexpr (std::is_copy_constructible_v<T>) {
            QCOMPARE(Values<T>::read(waitValue(result).value_or(Values<T>::make(-1))), 7);
            QCOMPARE(Values<T>::read(waitValue(result).value_or(Values<T>::make(-1))), 7);
        } else {
            // A move-only value can be handed out once; a second wait() says so
            // instead of returning a moved-from value.
            QCOMPARE(Values<T>::read(waitValue(result).value_or(Values<T>::make(-1))), 7);
            QVERIFY_THROWS_EXCEPTION(Crochet::Error, result.wait(LongTimeout));
        }
    });
}

void tst_EventualResult::secondWaitThrowsTheSameException()
{
    const auto result = failedResult("thrown twice");
    const std::runtime_error *first = nullptr;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            result.wait(LongTimeout);
            QFAIL("wait() did not throw");
        } catch (const std::runtime_error &error) {
            QCOMPARE(QByteArray(error.what()), QByteArray("thrown twice"));
            if (!first)
                first = &error;
            // The very same exception object, not a copy or a re-description.
            QCOMPARE(&error, first);
        } catch (...) {
            QFAIL("wait() threw an exception of another type");
        }
    }
}

void tst_EventualResult::waitAfterTimeoutStillGetsTheResult_data()
{
    addValueCategoryRows();
}

void tst_EventualResult::waitAfterTimeoutStillGetsTheResult()
{
    QFETCH(ValueCategory, category);
    withValueCategory(category, []<typename T>() {
        const auto promise = startedPromise<T>();
        const auto result = resultOf(promise);
        QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, result.wait(20ms));
        QVERIFY(!result.isReady());

        if constexpr (!std::is_void_v<T>)
            promise->addResult(Values<T>::make(5));
        promise->finish();
        if constexpr (std::is_void_v<T>) {
            QVERIFY_THROWS_NO_EXCEPTION(result.wait(LongTimeout));
        } else {
            const auto value = waitValue(result);
            QVERIFY(value);
            QCOMPARE(Values<T>::read(*value), 5);
        }
    });
}

void tst_EventualResult::waitWithZeroOrNegativeTimeout_data()
{
    QTest::addColumn<qint64>("milliseconds");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("minus one ms") << qint64(-1);
    QTest::newRow("minus one hour") << qint64(-3600 * 1000);
    QTest::newRow("most negative") << std::numeric_limits<qint64>::min();
}

void tst_EventualResult::waitWithZeroOrNegativeTimeout()
{
    QFETCH(qint64, milliseconds);
    const std::chrono::milliseconds timeout(milliseconds);

    // A pending result: no waiting at all.
    auto pending = Crochet::runInReactor([] { return neverFinishingFuture<int>(); })();
    const auto cancelAtEnd = qScopeGuard([pending]() mutable { pending.cancel(); });
    QElapsedTimer timer;
    timer.start();
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, pending.wait(timeout));
    QVERIFY2(timer.elapsed() < 5000, "a non-positive timeout must not block");

    // A ready result: the value, even though no time is left.
    const auto ready = Crochet::runInReactor([] { return 11; })();
    flushReactor();
    QVERIFY(ready.isReady());
    QCOMPARE(waitValue(ready, timeout).value_or(-1), 11);
}

void tst_EventualResult::waitAcceptsAnyDurationType()
{
    const auto ready = Crochet::runInReactor([] { return 3; })();
    flushReactor();
    QCOMPARE(waitValue(ready, 30000ms).value_or(-1), 3);
    QCOMPARE(waitValue(ready, 30s).value_or(-1), 3);
    QCOMPARE(waitValue(ready, std::chrono::duration<double>(2.5)).value_or(-1), 3);
    QCOMPARE(waitValue(ready, std::chrono::duration<float, std::milli>(1500.f)).value_or(-1), 3);
    // Huge values must not overflow into the past (and so time out at once).
    QCOMPARE(waitValue(ready, std::chrono::hours::max()).value_or(-1), 3);
    QCOMPARE(waitValue(ready, std::chrono::nanoseconds::max()).value_or(-1), 3);
    QCOMPARE(
        waitValue(ready, std::chrono::duration<double>(std::numeric_limits<double>::infinity()))
            .value_or(-1),
        3);

    // A pending result waits for the whole timeout, whatever its unit.
    auto pending = Crochet::runInReactor([] { return neverFinishingFuture<int>(); })();
    const auto cancelAtEnd = qScopeGuard([pending]() mutable { pending.cancel(); });
    QElapsedTimer timer;
    timer.start();
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, pending.wait(std::chrono::microseconds(50000)));
    QVERIFY(timer.elapsed() >= 49);
    timer.restart();
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError,
                             pending.wait(std::chrono::duration<double>(0.05)));
    QVERIFY(timer.elapsed() >= 49);
    timer.restart();
    QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError,
                             pending.wait(std::chrono::duration<int, std::ratio<1, 20>>(1)));
    QVERIFY(timer.elapsed() >= 49);
}

void tst_EventualResult::waitWithoutLimitWakesWhenTheResultComes()
{
    const auto promise = startedPromise<int>();
    auto result = resultOf(promise);
    std::atomic<int> received{0};
    std::thread waiter([result, &received] {
        try {
            received = result.wait(std::chrono::hours::max());
        } catch (...) {
            received = -1;
        }
    });
    // Whatever happens, the waiter must not outlive this test.
    const auto joinAtEnd = qScopeGuard([&] {
        result.cancel();
        waiter.join();
    });

    promise->addResult(21);
    promise->finish();
    QTRY_COMPARE_WITH_TIMEOUT(received.load(), 21, LongTimeoutMs);
}

void tst_EventualResult::cancelBeforeTheValue()
{
    const auto promise = startedPromise<int>();
    auto result = resultOf(promise);
    result.cancel();
    // At once: the result does not wait for the operation to acknowledge.
    QVERIFY(result.isReady());
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(0ms));

    // A value that comes later does not replace the cancellation.
    promise->addResult(1);
    promise->finish();
    flushReactor();
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(LongTimeout));
}

void tst_EventualResult::cancelCancelsTheReturnedFuture()
{
    const QFuture<int> never = neverFinishingFuture<int>();
    auto result = Crochet::runInReactor([never] { return never; })();
    flushReactor(); // the function ran and returned its future
    QVERIFY(!never.isCanceled());

    result.cancel();
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(0ms));
    QTRY_VERIFY_WITH_TIMEOUT(never.isCanceled(), LongTimeoutMs);
}

void tst_EventualResult::cancelBeforeTheCallRanSkipsIt()
{
    // Keep the reactor busy so that the second call is still queued.
    const auto gate = std::make_shared<Gate>();
    const auto openAtEnd = qScopeGuard([gate] { gate->open(); });
    const auto blocker = Crochet::runInReactor([gate] { return gate->wait(); })();

    const auto ran = std::make_shared<std::atomic<bool>>(false);
    auto skipped = Crochet::runInReactor([ran] { *ran = true; })();
    skipped.cancel();
    gate->open();

    QCOMPARE(waitValue(blocker).value_or(false), true);
    flushReactor();
    QVERIFY(!*ran);
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, skipped.wait(LongTimeout));
}

void tst_EventualResult::cancelAfterTheValueKeepsIt()
{
    auto result = Crochet::runInReactor([] { return 5; })();
    QCOMPARE(waitValue(result).value_or(-1), 5);
    result.cancel();
    QCOMPARE(waitValue(result).value_or(-1), 5);
    QVERIFY(!result.originalFailure());
}

void tst_EventualResult::cancelAfterAFailureKeepsIt()
{
    auto result = failedResult("failed first");
    QVERIFY(result.isReady());
    result.cancel();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, result.wait(LongTimeout));
    const auto failure = result.originalFailure();
    QVERIFY(failure);
    QCOMPARE(failure->typeName(), QStringLiteral("std::runtime_error"));
}

void tst_EventualResult::secondCancelDoesNothing()
{
    const auto promise = startedPromise<int>();
    auto result = resultOf(promise);
    result.cancel();
    result.cancel();
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(0ms));

    // Concurrent cancels from other threads are just as harmless.
    auto other = resultOf(startedPromise<int>());
    std::thread first([other]() mutable { other.cancel(); });
    std::thread second([other]() mutable { other.cancel(); });
    first.join();
    second.join();
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, other.wait(0ms));
    const auto failure = other.originalFailure();
    QVERIFY(failure);
    QCOMPARE(failure->typeName(), QStringLiteral("Crochet::CancelledError"));
}

void tst_EventualResult::copiesShareOneResult()
{
    const auto promise = startedPromise<int>();
    const auto original = resultOf(promise);
    auto copy = original;
    auto assigned = Crochet::runInReactor([] { return 0; })();
    assigned = copy;

    copy.cancel();
    QVERIFY(original.isReady());
    QVERIFY(assigned.isReady());
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, original.wait(0ms));
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, assigned.wait(0ms));
}

void tst_EventualResult::isReady()
{
    const auto promise = startedPromise<int>();
    const auto result = resultOf(promise);
    flushReactor();
    QVERIFY(!result.isReady());
    promise->addResult(2);
    promise->finish();
    QTRY_VERIFY_WITH_TIMEOUT(result.isReady(), LongTimeoutMs);
    QCOMPARE(waitValue(result, 0ms).value_or(-1), 2);
}

void tst_EventualResult::progressReadsTheCurrentValue()
{
    const auto promise = startedPromise<int>();
    const auto result = resultOf(promise);
    QCOMPARE(result.progress(), -1.0);
    flushReactor(); // the returned future is now the operation behind the result
    QCOMPARE(result.progress(), -1.0);

    promise->setProgressRange(0, 200);
    QCOMPARE(result.progress(), 0.0);
    // Read right after each update, with no event processed in between:
    // QFutureWatcher's throttled signals could not keep up with this.
    for (int value = 1; value <= 200; ++value) {
        promise->setProgressValue(value);
        QCOMPARE(result.progress(), value / 200.0);
    }
    promise->addResult(1);
    promise->finish();
    QCOMPARE(waitValue(result).value_or(-1), 1);
}

void tst_EventualResult::progressIsScaledToTheRange_data()
{
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("maximum");
    QTest::addColumn<int>("value");
    QTest::addColumn<double>("expected");
    QTest::newRow("start") << 0 << 200 << 0 << 0.0;
    QTest::newRow("quarter") << 0 << 200 << 50 << 0.25;
    QTest::newRow("end") << 0 << 4 << 4 << 1.0;
    QTest::newRow("offset range") << 100 << 300 << 150 << 0.25;
    QTest::newRow("negative range") << -100 << 100 << 50 << 0.75;
}

void tst_EventualResult::progressIsScaledToTheRange()
{
    QFETCH(int, minimum);
    QFETCH(int, maximum);
    QFETCH(int, value);
    QFETCH(double, expected);

    const auto promise = startedPromise<int>();
    const auto result = resultOf(promise);
    flushReactor();
    promise->setProgressRange(minimum, maximum);
    promise->setProgressValue(value);
    QCOMPARE(result.progress(), expected);
}

void tst_EventualResult::originalFailure()
{
    const auto promise = startedPromise<int>();
    const auto pending = resultOf(promise);
    flushReactor();
    QVERIFY(!pending.originalFailure());

    const auto succeeded = Crochet::runInReactor([] { return 1; })();
    QCOMPARE(waitValue(succeeded).value_or(-1), 1);
    QVERIFY(!succeeded.originalFailure());

    const auto failed = failedResult("the failure message");
    const auto failure = failed.originalFailure();
    QVERIFY(failure);
    QVERIFY(failure->exception());
    QCOMPARE(failure->typeName(), QStringLiteral("std::runtime_error"));
    QCOMPARE(failure->message(), QStringLiteral("the failure message"));
    const QString traceback = failure->traceback();
    QVERIFY2(traceback.contains(QStringLiteral("std::runtime_error")), qPrintable(traceback));
    QVERIFY2(traceback.contains(QStringLiteral("the failure message")), qPrintable(traceback));
    // failedResult() wrapped the function: its source location is in this file.
    QVERIFY2(traceback.contains(QStringLiteral("tst_eventualresult.cpp")), qPrintable(traceback));

    // A second call describes the same failure.
    const auto again = failed.originalFailure();
    QVERIFY(again);
    QCOMPARE(again->exception(), failure->exception());
}

void tst_EventualResult::failureRaiseRethrows()
{
    const auto failure = failedResult("raised again").originalFailure();
    QVERIFY(failure);
    try {
        failure->raise();
    } catch (const std::runtime_error &error) {
        QCOMPARE(QByteArray(error.what()), QByteArray("raised again"));
        return;
    } catch (...) {
        QFAIL("raise() threw an exception of another type");
    }
}

void tst_EventualResult::futureFinishesWithTheValue_data()
{
    QTest::addColumn<ValueCategory>("category");
    QTest::newRow("trivial") << ValueCategory::Trivial;
    QTest::newRow("copy-only") << ValueCategory::CopyOnly;
    QTest::newRow("void") << ValueCategory::Void;
}

void tst_EventualResult::futureFinishesWithTheValue()
{
    QFETCH(ValueCategory, category);
    withValueCategory(category, []<typename T>() {
        if constexpr (!std::is_same_v<T, MoveOnly>) {
            const auto result = Crochet::runInReactor(
                [] { return finishedLater<T>(20ms, [] { return Values<T>::make(8); }); })();
            const QFuture<T> early = result.future();
            QTRY_VERIFY_WITH_TIMEOUT(early.isFinished(), LongTimeoutMs);
            const QFuture<T> late = result.future();
            QVERIFY(late.isFinished());
            for (const QFuture<T> &future : {early, late}) {
                QVERIFY(!future.isCanceled());
                if constexpr (!std::is_void_v<T>) {
                    QCOMPARE(future.resultCount(), 1);
                    QCOMPARE(Values<T>::read(future.result()), 8);
                }
            }
        }
    });
}

void tst_EventualResult::futureFinishesWithTheFailure()
{
    const auto result = failedResult("through a QFuture");
    QFuture<int> future = result.future();
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), LongTimeoutMs);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, future.waitForFinished());

    auto cancelled = resultOf(startedPromise<int>());
    QFuture<int> cancelledFuture = cancelled.future();
    cancelled.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(cancelledFuture.isFinished(), LongTimeoutMs);
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, cancelledFuture.waitForFinished());
}

void tst_EventualResult::producerCancelledFuture_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("promise dropped in the call") << QStringLiteral("dropped in call");
    QTest::newRow("promise dropped later") << QStringLiteral("dropped later");
    QTest::newRow("cancel and finish later") << QStringLiteral("cancel and finish");
}

void tst_EventualResult::producerCancelledFuture()
{
    QFETCH(QString, how);
    auto promise = startedPromise<int>();
    const auto result =
        how == QLatin1String("dropped in call") ? resultOfDroppedPromise() : resultOf(promise);
    flushReactor();
    if (how == QLatin1String("dropped later")) {
        promise.reset();
    } else if (how == QLatin1String("cancel and finish")) {
        promise->future().cancel();
        promise->finish();
    }
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(LongTimeout));
}

void tst_EventualResult::exceptionNotDerivedFromStdException()
{
    const auto intResult = Crochet::runInReactor([]() -> int { throw 42; })();
    try {
        intResult.wait(LongTimeout);
        QFAIL("wait() did not throw");
    } catch (int value) {
        QCOMPARE(value, 42);
    } catch (...) {
        QFAIL("wait() threw an exception of another type");
    }
    const auto intFailure = intResult.originalFailure();
    QVERIFY(intFailure);
    QCOMPARE(intFailure->typeName(), QStringLiteral("int"));

    const auto customResult = Crochet::runInReactor([] { throw CustomFailure{7}; })();
    try {
        customResult.wait(LongTimeout);
        QFAIL("wait() did not throw");
    } catch (const CustomFailure &failure) {
        QCOMPARE(failure.code, 7);
    } catch (...) {
        QFAIL("wait() threw an exception of another type");
    }
    const auto customFailure = customResult.originalFailure();
    QVERIFY(customFailure);
    QVERIFY(customFailure->typeName().contains(QStringLiteral("CustomFailure")));

    const auto blocking = Crochet::waitFor(LongTimeout, [] { throw CustomFailure{8}; });
    try {
        blocking();
        QFAIL("the waitFor function did not throw");
    } catch (const CustomFailure &failure) {
        QCOMPARE(failure.code, 8);
    } catch (...) {
        QFAIL("the waitFor function threw an exception of another type");
    }
}

void tst_EventualResult::exceptionHeldByTheReturnedFuture()
{
    const auto promise = startedPromise<int>();
    const auto result = resultOf(promise);
    flushReactor();
    promise->setException(std::make_exception_ptr(CustomFailure{9}));
    promise->finish();
    try {
        result.wait(LongTimeout);
        QFAIL("wait() did not throw");
    } catch (const CustomFailure &failure) {
        QCOMPARE(failure.code, 9);
    } catch (...) {
        QFAIL("wait() threw an exception of another type");
    }
}

void tst_EventualResult::qexceptionSubclassKeepsItsType()
{
    const auto thrown = Crochet::runInReactor([]() -> int { throw CustomQException(3); })();
    try {
        thrown.wait(LongTimeout);
        QFAIL("wait() did not throw");
    } catch (const CustomQException &error) {
        QCOMPARE(error.code, 3);
    } catch (...) {
        QFAIL("wait() threw an exception of another type");
    }

    // Through a QFuture, which stores a QException by raise()/clone().
    const auto promise = startedPromise<int>();
    const auto held = resultOf(promise);
    flushReactor();
    promise->setException(CustomQException(4));
    promise->finish();
    try {
        held.wait(LongTimeout);
        QFAIL("wait() did not throw");
    } catch (const CustomQException &error) {
        QCOMPARE(error.code, 4);
    } catch (...) {
        QFAIL("wait() threw an exception of another type");
    }
}

QTEST_GUILESS_MAIN(tst_EventualResult)
#include "tst_eventualresult.moc"
