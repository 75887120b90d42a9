// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// runInReactor() and waitFor(): which callables they take, where the
// function runs, returned QFutures, wrappedFunction, timeouts, and the guard
// against blocking calls on the reactor thread.

#include "reactorhelpers.h"
#include "valuecategories.h"

#include <crochet/crochet.h>

#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <functional>
#include <memory>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

int add(int a, int b)
{
    return a + b;
}

class Accumulator
{
public:
    int addTo(int amount)
    {
        m_total += amount;
        return m_total;
    }
    int total() const { return m_total; }

private:
    int m_total = 0;
};

//! Where a function ran, recorded in the function itself.
struct ThreadReport
{
    bool isReactorThread = false;
    bool isQtReactorThread = false;
    QString threadName;
};

ThreadReport reportThread()
{
    return {Crochet::isReactorThread(), QThread::currentThread() == Crochet::reactorThread(),
            QThread::currentThread()->objectName()};
}

// The crochet unit-testing pattern: a wrapped function defined once, called
// through the reactor by the program and directly by its unit tests.
const auto blockingAdd = Crochet::waitFor(LongTimeout, [](int a, int b) { return a + b; });

} // namespace

class tst_Wrappers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void lambda();
    void freeFunctionPointer();
    void stdFunction();
    void pointerToMemberFunction();
    void mutableLambda();
    void moveOnlyArguments();
    void argumentsAreCopiedToTheReactor();
    void returnedFutureIsWaitedOn_data();
    void returnedFutureIsWaitedOn();
    void returnedReadyFuture();
    void returnedDefaultConstructedFuture();
    void exceptionFromTheFunctionReachesTheCaller();

    void functionRunsOnTheReactorThread();
    void callerIsNotTheReactorThread();
    void wrappedFunctionBypassesTheReactor();

    void waitForTimeoutCancelsTheReturnedFuture();
    void emptyStdFunction();
    void waitForOnTheReactorThreadThrows();
    void waitOnTheReactorThreadThrows();
};

void tst_Wrappers::initTestCase()
{
    Crochet::setup();
}

void tst_Wrappers::lambda()
{
    const auto doubled = Crochet::runInReactor([](int value) { return value * 2; });
    QCOMPARE(waitValue(doubled(21)).value_or(-1), 42);

    const auto blockingDoubled = Crochet::waitFor(LongTimeout, [](int value) { return value * 2; });
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blockingDoubled(4), 8));
}

void tst_Wrappers::freeFunctionPointer()
{
    const auto running = Crochet::runInReactor(&add);
    QCOMPARE(waitValue(running(2, 3)).value_or(-1), 5);
    const auto blocking = Crochet::waitFor(LongTimeout, add);
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blocking(4, 5), 9));
}

void tst_Wrappers::stdFunction()
{
    const std::function<QString(const QString &)> greet = [](const QString &name) {
        return QStringLiteral("hello ") + name;
    };
    const auto running = Crochet::runInReactor(greet);
    QCOMPARE(waitValue(running(QStringLiteral("reactor"))).value_or(QString()),
             QStringLiteral("hello reactor"));
    const auto blocking = Crochet::waitFor(LongTimeout, greet);
    QVERIFY_THROWS_NO_EXCEPTION(
        QCOMPARE(blocking(QStringLiteral("world")), QStringLiteral("hello world")));
}

void tst_Wrappers::pointerToMemberFunction()
{
    Accumulator accumulator;
    const auto running = Crochet::runInReactor(&Accumulator::addTo);
    QCOMPARE(waitValue(running(&accumulator, 3)).value_or(-1), 3);
    const auto blocking = Crochet::waitFor(LongTimeout, &Accumulator::addTo);
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blocking(&accumulator, 4), 7));
    // The object itself was used, not a copy.
    QCOMPARE(accumulator.total(), 7);

    const auto constMember = Crochet::waitFor(LongTimeout, &Accumulator::total);
    const Accumulator *constObject = &accumulator;
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(constMember(constObject), 7));
}

void tst_Wrappers::mutableLambda()
{
    // Each call runs its own copy of the callable, so that calls made from
    // several threads at once never share its mutable state: that state
    // does not carry over from one call to the next (README, wrappers.h).
    const auto counting = Crochet::runInReactor([calls = 0]() mutable { return ++calls; });
    QCOMPARE(waitValue(counting()).value_or(-1), 1);
    QCOMPARE(waitValue(counting()).value_or(-1), 1);
    QCOMPARE(waitValue(counting()).value_or(-1), 1);

    const auto blocking =
        Crochet::waitFor(LongTimeout, [seen = std::vector<int>()](int value) mutable {
            seen.push_back(value);
            return int(seen.size());
        });
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blocking(5), 1));
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blocking(6), 1));
}

void tst_Wrappers::moveOnlyArguments()
{
    const auto running = Crochet::runInReactor([](std::unique_ptr<int> value) { return *value; });
    QCOMPARE(waitValue(running(std::make_unique<int>(6))).value_or(-1), 6);

    const auto blocking =
        Crochet::waitFor(LongTimeout, [](std::unique_ptr<int> value, MoveOnly other) {
            return *value + *other.value;
        });
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blocking(std::make_unique<int>(1), MoveOnly(2)), 3));

    // Moved in and moved back out again.
    const auto passThrough = Crochet::runInReactor([](MoveOnly value) { return value; });
    const auto back = waitValue(passThrough(MoveOnly(9)));
    QVERIFY(back);
    QCOMPARE(Values<MoveOnly>::read(*back), 9);
}

void tst_Wrappers::argumentsAreCopiedToTheReactor()
{
    QString text = QStringLiteral("before");
    const auto gate = std::make_shared<Gate>();
    const auto openAtEnd = qScopeGuard([gate] { gate->open(); });
    const auto result = Crochet::runInReactor([gate](const QString &value) {
        gate->wait();
        return value;
    })(text);
    // The caller's variable may change (or go) while the call is queued.
    text = QStringLiteral("after");
    gate->open();
    QCOMPARE(waitValue(result).value_or(QString()), QStringLiteral("before"));
}

void tst_Wrappers::returnedFutureIsWaitedOn_data()
{
    addValueCategoryRows();
}

void tst_Wrappers::returnedFutureIsWaitedOn()
{
    QFETCH(ValueCategory, category);
    withValueCategory(category, []<typename T>() {
        const auto finished = std::make_shared<std::atomic<bool>>(false);
        const auto later = [finished] {
            return finishedLater<T>(30ms, [finished] {
                *finished = true;
                return Values<T>::make(12);
            });
        };
        const auto result = Crochet::runInReactor(later)();
        static_assert(std::is_same_v<decltype(result), const Crochet::EventualResult<T>>,
                      "a returned QFuture<X> gives an EventualResult<X>");
        if constexpr (std::is_void_v<T>) {
            QVERIFY_THROWS_NO_EXCEPTION(result.wait(LongTimeout));
        } else {
            const auto value = waitValue(result);
            QVERIFY(value);
            QCOMPARE(Values<T>::read(*value), 12);
        }
        QVERIFY(*finished); // it waited for the future, not just for the call

        *finished = false;
        const auto blocking = Crochet::waitFor(LongTimeout, later);
        static_assert(std::is_same_v<decltype(blocking()), T>);
        if constexpr (std::is_void_v<T>) {
            QVERIFY_THROWS_NO_EXCEPTION(blocking());
        } else {
            std::optional<T> value;
            QVERIFY_THROWS_NO_EXCEPTION(value.emplace(blocking()));
            QCOMPARE(Values<T>::read(*value), 12);
        }
        QVERIFY(*finished);
    });
}

void tst_Wrappers::returnedReadyFuture()
{
    const auto ready = Crochet::waitFor(LongTimeout, [] { return CrochetTest::readyFuture(17); });
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(ready(), 17));
    const auto readyVoid = Crochet::waitFor(LongTimeout, [] { return CrochetTest::readyFuture(); });
    QVERIFY_THROWS_NO_EXCEPTION(readyVoid());
}

void tst_Wrappers::returnedDefaultConstructedFuture()
{
    // Qt makes a default-constructed QFuture cancelled and finished, with no
    // producer: the CancelledError says so, not just "the result was
    // cancelled".
    const auto invalid = Crochet::runInReactor([] { return QFuture<int>(); })();
    QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, invalid.wait(LongTimeout));
    const auto failure = invalid.originalFailure();
    QVERIFY(failure);
    QVERIFY2(failure->message().contains(u"default-constructed QFuture"),
             qPrintable(failure->message()));

    const auto invalidVoid = Crochet::waitFor(LongTimeout, [] { return QFuture<void>(); });
    try {
        invalidVoid();
        QFAIL("a default-constructed QFuture<void> did not fail");
    } catch (const Crochet::CancelledError &error) {
        QVERIFY2(error.message().contains(u"default-constructed QFuture"),
                 qPrintable(error.message()));
    } catch (...) {
        QFAIL("a default-constructed QFuture<void> failed with another exception");
    }
}

void tst_Wrappers::exceptionFromTheFunctionReachesTheCaller()
{
    const auto failing =
        Crochet::waitFor(LongTimeout, []() -> int { throw std::invalid_argument("bad input"); });
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, failing());
    const auto failingFuture = Crochet::waitFor(LongTimeout, [] {
        QPromise<int> promise;
        promise.start();
        promise.setException(std::make_exception_ptr(std::out_of_range("in the future")));
        promise.finish();
        return promise.future();
    });
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, failingFuture());
}

void tst_Wrappers::functionRunsOnTheReactorThread()
{
    const auto report = waitValue(Crochet::runInReactor(&reportThread)());
    QVERIFY(report);
    QVERIFY(report->isReactorThread);
    QVERIFY(report->isQtReactorThread);
    QCOMPARE(report->threadName, QStringLiteral("CrochetReactor"));

    std::optional<ThreadReport> blockingReport;
    QVERIFY_THROWS_NO_EXCEPTION(blockingReport = Crochet::waitFor(LongTimeout, &reportThread)());
    QVERIFY(blockingReport->isReactorThread);
    QVERIFY(blockingReport->isQtReactorThread);
}

void tst_Wrappers::callerIsNotTheReactorThread()
{
    QVERIFY(Crochet::reactorThread());
    QVERIFY(!Crochet::isReactorThread());
    QVERIFY(QThread::currentThread() != Crochet::reactorThread());
    QVERIFY(Crochet::reactorThread()->isRunning());
}

void tst_Wrappers::wrappedFunctionBypassesTheReactor()
{
    QVERIFY_THROWS_NO_EXCEPTION(QCOMPARE(blockingAdd(1, 2), 3));
    QCOMPARE(blockingAdd.wrappedFunction(1, 2), 3);

    const auto runningAdd = Crochet::runInReactor([](int a, int b) { return a + b; });
    QCOMPARE(waitValue(runningAdd(1, 2)).value_or(-1), 3);
    QCOMPARE(runningAdd.wrappedFunction(1, 2), 3);

    // wrappedFunction runs right here, on the calling thread.
    const auto where = Crochet::waitFor(LongTimeout, &reportThread);
    const ThreadReport direct = where.wrappedFunction();
    QVERIFY(!direct.isReactorThread);
    QCOMPARE(direct.threadName, QThread::currentThread()->objectName());
}

void tst_Wrappers::waitForTimeoutCancelsTheReturnedFuture()
{
    // If the reactor is too busy to run the call before the timeout, the
    // call is cancelled before it ran and there is no future to cancel: try
    // again, then the reactor ran it in time at least once.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const QFuture<int> never = neverFinishingFuture<int>();
        const auto ran = std::make_shared<std::atomic<bool>>(false);
        const auto slow = Crochet::waitFor(200ms, [never, ran] {
            *ran = true;
            return never;
        });
        QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, slow());
        flushReactor();
        if (*ran) {
            QTRY_VERIFY_WITH_TIMEOUT(never.isCanceled(), LongTimeoutMs);
            return;
        }
    }
    QFAIL("the reactor never ran the call within 200 ms");
}

void tst_Wrappers::emptyStdFunction()
{
    const std::function<int()> empty;
    const auto running = Crochet::runInReactor(empty);
    QVERIFY_THROWS_EXCEPTION(std::bad_function_call, running().wait(LongTimeout));
    const auto blocking = Crochet::waitFor(LongTimeout, empty);
    QVERIFY_THROWS_EXCEPTION(std::bad_function_call, blocking());
}

void tst_Wrappers::waitForOnTheReactorThreadThrows()
{
    const auto innerRan = std::make_shared<std::atomic<bool>>(false);
    const auto inner = Crochet::waitFor(LongTimeout, [innerRan] {
        *innerRan = true;
        return 1;
    });
    const auto outer = Crochet::runInReactor([inner] {
        try {
            inner();
            return QStringLiteral("no exception");
        } catch (const Crochet::ReactorThreadError &) {
            return QStringLiteral("ReactorThreadError");
        } catch (...) {
            return QStringLiteral("another exception");
        }
    });
    QCOMPARE(waitValue(outer()).value_or(QString()), QStringLiteral("ReactorThreadError"));
    flushReactor();
    QVERIFY(!*innerRan); // refused before it was queued
}

void tst_Wrappers::waitOnTheReactorThreadThrows()
{
    const auto ready = Crochet::runInReactor([] { return 1; })();
    QCOMPARE(waitValue(ready).value_or(-1), 1);
    const auto promise = startedPromise<int>();
    const auto pending = Crochet::runInReactor([future = promise->future()] { return future; })();

    // Even a result that is already there: the call would deadlock otherwise
    // whenever it is not, so it is refused every time.
    const auto waitInReactor = [](Crochet::EventualResult<int> result) {
        try {
            result.wait(0ms);
            return QStringLiteral("no exception");
        } catch (const Crochet::ReactorThreadError &) {
            return QStringLiteral("ReactorThreadError");
        } catch (...) {
            return QStringLiteral("another exception");
        }
    };
    const auto check = Crochet::runInReactor(waitInReactor);
    QCOMPARE(waitValue(check(ready)).value_or(QString()), QStringLiteral("ReactorThreadError"));
    QCOMPARE(waitValue(check(pending)).value_or(QString()), QStringLiteral("ReactorThreadError"));
}

QTEST_GUILESS_MAIN(tst_Wrappers)
#include "tst_wrappers.moc"
