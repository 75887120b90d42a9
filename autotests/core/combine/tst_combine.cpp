// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// whenAll() and whenAny(): values in order, the first failure, the first
// success, cancellation both ways, empty lists, progress, void inputs, any
// thread, inputs complete before, during and after, 10,000 inputs completed
// from 8 threads, and which failures are logged. What happens at shutdown
// to stashed inputs runs in a child process (combinescenario).

#include "reactorhelpers.h"
#include "scenarioprocess.h"
#include "valuecategories.h"

#include <crochet/crochet.h>

#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;
using Crochet::EventualResult;
using Crochet::whenAll;
using Crochet::whenAny;

// The types the contract gives, void inputs as std::monostate in a tuple.
static_assert(
    std::is_same_v<decltype(whenAll(QList<EventualResult<int>>())), EventualResult<QList<int>>>);
static_assert(std::is_same_v<decltype(whenAny(QList<EventualResult<int>>())),
                             EventualResult<std::pair<qsizetype, int>>>);
static_assert(std::is_same_v<decltype(whenAll(std::declval<EventualResult<int>>(),
                                              std::declval<EventualResult<void>>(),
                                              std::declval<EventualResult<QString>>())),
                             EventualResult<std::tuple<int, std::monostate, QString>>>);
static_assert(std::is_same_v<decltype(whenAll()), EventualResult<std::tuple<>>>);
// Move-only values combine too.
static_assert(std::is_same_v<decltype(whenAll(QList<EventualResult<MoveOnly>>())),
                             EventualResult<QList<MoveOnly>>>);
static_assert(std::is_same_v<decltype(whenAll(std::declval<EventualResult<MoveOnly>>())),
                             EventualResult<std::tuple<MoveOnly>>>);

namespace {

/*!
    A result the test completes itself, from whichever thread it likes: the
    state behind an EventualResult with no call behind it (the combinations
    only listen to states, whoever completes them).
*/
template <typename T>
struct Manual
{
    EventualResult<T> result;

    Crochet::detail::ResultState<T> *state() const
    {
        return Crochet::detail::ResultAccess::state(result);
    }
    void succeed(int n) const
    {
        if constexpr (std::is_void_v<T>)
            state()->succeed();
        else
            state()->succeed(Values<T>::make(n));
    }
    void fail(std::exception_ptr error) const { state()->fail(std::move(error)); }
};

template <typename T>
Manual<T> manual(Crochet::SourceLocation wrappedAt = Crochet::SourceLocation::current())
{
    auto *state = new Crochet::detail::ResultState<T>(wrappedAt);
    auto result = Crochet::detail::ResultAccess::make(state);
    state->deref(); // the handle keeps it
    return Manual<T>{result};
}

template <typename T>
QList<Manual<T>> manuals(qsizetype count)
{
    QList<Manual<T>> list;
    for (qsizetype i = 0; i < count; ++i)
        list.append(manual<T>());
    return list;
}

template <typename T>
QList<EventualResult<T>> resultsOf(const QList<Manual<T>> &manuals)
{
    QList<EventualResult<T>> results;
    for (const Manual<T> &input : manuals)
        results.append(input.result);
    return results;
}

std::exception_ptr failure(const char *message)
{
    return std::make_exception_ptr(std::runtime_error(message));
}

//! The type name of a complete result's failure; empty when it has none.
template <typename T>
QString failureType(const EventualResult<T> &result)
{
    const auto failure = result.originalFailure();
    return failure ? failure->typeName() : QString();
}

template <typename T>
bool isCancelled(const EventualResult<T> &result)
{
    return failureType(result) == QStringLiteral("Crochet::CancelledError");
}

//! The message of \a result's failure.
template <typename T>
QString failureMessage(const EventualResult<T> &result)
{
    const auto failure = result.originalFailure();
    return failure ? failure->message() : QString();
}

//! A copy that throws, to fail a combination that copies it.
struct ThrowingCopy
{
    ThrowingCopy() = default;
    ThrowingCopy(ThrowingCopy &&) = default;
    ThrowingCopy(const ThrowingCopy &) { throw std::runtime_error("copy failed"); }
};

//! A wrapped operation that runs until the test finishes or cancels its
//! promise (which it makes in the reactor thread).
struct Operation
{
    std::shared_ptr<QPromise<int>> promise = std::make_shared<QPromise<int>>();
    EventualResult<int> result = Crochet::runInReactor([promise = promise] {
        promise->start();
        return promise->future();
    })();
};

//! Collects the warnings of the category "crochet", from any thread.
class CrochetWarnings
{
public:
    CrochetWarnings() { s_previous = qInstallMessageHandler(&CrochetWarnings::handle); }
    ~CrochetWarnings() { qInstallMessageHandler(s_previous); }
    static QStringList all()
    {
        std::lock_guard guard(s_mutex);
        return s_messages;
    }
    static void clear()
    {
        std::lock_guard guard(s_mutex);
        s_messages.clear();
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        if (context.category && qstrcmp(context.category, "crochet") == 0) {
            std::lock_guard guard(s_mutex);
            s_messages.append(text);
        } else if (s_previous) {
            s_previous(type, context, text);
        }
    }

    static inline QtMessageHandler s_previous = nullptr;
    static inline std::mutex s_mutex;
    static inline QStringList s_messages;
};

constexpr int ManyInputs = 10000;
constexpr int CompletingThreads = 8;

} // namespace

class tst_Combine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void allGivesTheValuesInOrder_data() { addValueCategoryRows(); }
    void allGivesTheValuesInOrder();
    void allOfAPack();
    void allOfNothing();
    void allFailsWithTheFirstFailure();
    void allCancelsTheOperationsOfTheOthers();
    void allWhoseCopyThrowsFails();
    void anyGivesTheFirstSuccess_data() { addValueCategoryRows(); }
    void anyGivesTheFirstSuccess();
    void anyFailsWithTheLastFailureWhenAllFail();
    void anyOfNothingFails();
    void cancellingCancelsEveryInput_data();
    void cancellingCancelsEveryInput();
    void cancelledInputFailsAll();
    void progressIsTheMeanWhereKnown();
    void inputsCompleteBeforeDuringAndAfter();
    void fromAnyThread();
    void manyInputsCompletedFromThreads();
    void manyInputsOneSucceedsFromThreads();
    void manyCallsFromThreads();
    void cancelledFromThreadsWhileInputsComplete();
    void consumedFailuresAreNotLogged();
    void theCombinedFailureIsLoggedOnceWithItsOrigin();
    void stashedInputsAtShutdown_data();
    void stashedInputsAtShutdown();
};

void tst_Combine::allGivesTheValuesInOrder()
{
    QFETCH(ValueCategory, category);
    if (category == ValueCategory::Void)
        QSKIP("void results are not allowed in the list forms (a static_assert, checked by the "
              "combine_voidlist test); allOfAPack() covers them");
    withValueCategory(category, []<typename T>() {
        if constexpr (!std::is_void_v<T>) { // skipped above: no list of void
            const auto inputs = manuals<T>(5);
            const auto all = whenAll(resultsOf(inputs));
            for (int i : {4, 2, 0, 3}) {
                inputs[i].succeed(i);
                QVERIFY(!all.isReady());
            }
            inputs[1].succeed(1);
            QVERIFY(all.isReady()); // completed by the thread that completed the last input
            const auto values = waitValue(all);
            QVERIFY(values);
            QCOMPARE(values->size(), 5);
            for (int i = 0; i < 5; ++i)
                QCOMPARE(Values<T>::read(std::as_const(*values).at(i)), i);
            if constexpr (!std::is_copy_constructible_v<T>) {
                // A move-only value was taken from its input, as by wait().
                QVERIFY_THROWS_EXCEPTION(Crochet::Error, inputs[0].result.wait(0s));
            } else {
                QCOMPARE(Values<T>::read(inputs[0].result.wait(0s)), 0);
            }
        }
    });
}

void tst_Combine::allOfAPack()
{
    const auto number = manual<int>();
    const auto nothing = manual<void>();
    const auto text = manual<QString>();
    const auto owned = manual<MoveOnly>();
    const auto all = whenAll(number.result, nothing.result, text.result, owned.result);
    owned.succeed(4);
    nothing.succeed(0);
    text.state()->succeed(QStringLiteral("three"));
    QVERIFY(!all.isReady());
    number.succeed(7);
    QVERIFY(all.isReady());
    auto values = all.wait(0s);
    QCOMPARE(std::get<0>(values), 7);
    QCOMPARE(std::get<1>(values), std::monostate());
    QCOMPARE(std::get<2>(values), QStringLiteral("three"));
    QCOMPARE(*std::get<3>(values).value, 4);

    // One that fails fails the whole pack, as the list form.
    const auto first = manual<void>();
    const auto second = manual<int>();
    const auto failing = whenAll(first.result, second.result);
    second.fail(failure("pack"));
    QCOMPARE(failureMessage(failing), QStringLiteral("pack"));
    QVERIFY(isCancelled(first.result));
}

void tst_Combine::allOfNothing()
{
    const auto list = whenAll(QList<EventualResult<int>>());
    QVERIFY(list.isReady());
    QCOMPARE(list.wait(0s), QList<int>());
    const auto tuple = whenAll();
    QVERIFY(tuple.isReady());
    QCOMPARE(list.progress(), 1.0);
}

void tst_Combine::allFailsWithTheFirstFailure()
{
    const auto inputs = manuals<int>(4);
    const auto all = whenAll(resultsOf(inputs));
    inputs[3].succeed(3);
    const auto first = failure("first");
    inputs[1].fail(first);
    QVERIFY(all.isReady());
    // The same exception, not a copy.
    QCOMPARE(all.originalFailure()->exception(), first);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, all.wait(0s));
    // The others were cancelled; a later failure changes nothing.
    QVERIFY(isCancelled(inputs[0].result));
    QVERIFY(isCancelled(inputs[2].result));
    inputs[2].fail(failure("second"));
    QCOMPARE(failureMessage(all), QStringLiteral("first"));
    // Complete inputs keep what they had.
    QCOMPARE(inputs[3].result.wait(0s), 3);
}

void tst_Combine::allCancelsTheOperationsOfTheOthers()
{
    Operation slow;
    Operation other;
    const auto failing = Crochet::runInReactor([]() -> int { throw std::logic_error("broken"); });
    const auto all = whenAll(QList{slow.result, failing(), other.result});
    QTRY_VERIFY_WITH_TIMEOUT(all.isReady(), LongTimeoutMs);
    QCOMPARE(failureType(all), QStringLiteral("std::logic_error"));
    QVERIFY(isCancelled(slow.result));
    QVERIFY(isCancelled(other.result));
    // The cancellation reached the operations behind them, once they ran.
    flushReactor();
    QTRY_VERIFY_WITH_TIMEOUT(slow.promise->isCanceled() && other.promise->isCanceled(),
                             LongTimeoutMs);
}

void tst_Combine::allWhoseCopyThrowsFails()
{
    const auto good = manual<int>();
    const auto throwing = manual<ThrowingCopy>();
    const auto both = whenAll(good.result, throwing.result);
    throwing.state()->succeed(ThrowingCopy());
    QVERIFY(both.isReady());
    QCOMPARE(failureMessage(both), QStringLiteral("copy failed"));
    QVERIFY(isCancelled(good.result));
    QVERIFY(throwing.result.isReady()); // its value stands
    QVERIFY(!throwing.result.originalFailure());
}

void tst_Combine::anyGivesTheFirstSuccess()
{
    QFETCH(ValueCategory, category);
    if (category == ValueCategory::Void)
        QSKIP("void results are not allowed in the list forms (a static_assert, checked by the "
              "combine_voidlist test)");
    withValueCategory(category, []<typename T>() {
        if constexpr (!std::is_void_v<T>) { // skipped above: no list of void
            const auto inputs = manuals<T>(4);
            const auto any = whenAny(resultsOf(inputs));
            inputs[0].fail(failure("no luck"));
            QVERIFY(!any.isReady());
            inputs[2].succeed(20);
            QVERIFY(any.isReady());
            auto winner = any.wait(0s);
            QCOMPARE(winner.first, 2);
            QCOMPARE(Values<T>::read(winner.second), 20);
            // The rest were cancelled once one succeeded.
            QVERIFY(isCancelled(inputs[1].result));
            QVERIFY(isCancelled(inputs[3].result));
            QCOMPARE(failureMessage(inputs[0].result), QStringLiteral("no luck"));
        }
    });
}

void tst_Combine::anyFailsWithTheLastFailureWhenAllFail()
{
    const auto inputs = manuals<int>(3);
    const auto any = whenAny(resultsOf(inputs));
    inputs[2].fail(failure("third"));
    inputs[0].fail(failure("first"));
    QVERIFY(!any.isReady());
    const auto last = failure("last");
    inputs[1].fail(last);
    QVERIFY(any.isReady());
    QCOMPARE(any.originalFailure()->exception(), last);
}

void tst_Combine::anyOfNothingFails()
{
    const auto any = whenAny(QList<EventualResult<int>>());
    QVERIFY(any.isReady());
    QCOMPARE(failureType(any), QStringLiteral("Crochet::Error"));
    QVERIFY(failureMessage(any).contains(QStringLiteral("empty")));
    QVERIFY_THROWS_EXCEPTION(Crochet::Error, any.wait(0s));
}

void tst_Combine::cancellingCancelsEveryInput_data()
{
    QTest::addColumn<QString>("form");
    QTest::newRow("whenAll, list") << QStringLiteral("all");
    QTest::newRow("whenAll, pack") << QStringLiteral("pack");
    QTest::newRow("whenAny") << QStringLiteral("any");
}

void tst_Combine::cancellingCancelsEveryInput()
{
    QFETCH(QString, form);
    Operation first;
    Operation second;
    const auto done = manual<int>();
    done.succeed(1);
    flushReactor(); // the operations run: cancelling reaches their promises
    const QList inputs{first.result, second.result, done.result};
    std::optional<Crochet::EventualResult<QList<int>>> all;
    std::optional<Crochet::EventualResult<std::tuple<int, int, int>>> pack;
    std::optional<Crochet::EventualResult<std::pair<qsizetype, int>>> any;
    if (form == QStringLiteral("all")) {
        all = whenAll(inputs);
        all->cancel();
        QVERIFY(isCancelled(*all));
    } else if (form == QStringLiteral("pack")) {
        pack = whenAll(first.result, second.result, done.result);
        pack->cancel();
        QVERIFY(isCancelled(*pack));
    } else {
        // whenAny() of an input already succeeded would be complete: leave it out.
        any = whenAny(QList{first.result, second.result});
        any->cancel();
        QVERIFY(isCancelled(*any));
    }
    // At once, in this thread; the operations behind them are told to stop.
    QVERIFY(isCancelled(first.result));
    QVERIFY(isCancelled(second.result));
    QVERIFY(first.promise->isCanceled());
    QVERIFY(second.promise->isCanceled());
    QCOMPARE(done.result.wait(0s), 1);
}

void tst_Combine::cancelledInputFailsAll()
{
    const auto inputs = manuals<int>(3);
    const auto all = whenAll(resultsOf(inputs));
    auto cancelled = inputs[1].result;
    cancelled.cancel();
    QVERIFY(isCancelled(all));
    QVERIFY(isCancelled(inputs[0].result));
}

void tst_Combine::progressIsTheMeanWhereKnown()
{
    Operation a;
    Operation b;
    const auto unknown = manual<int>();
    const auto all = whenAll(QList{a.result, b.result, unknown.result});
    QCOMPARE(all.progress(), -1.0); // nobody knows yet
    Crochet::runInReactor([a = a.promise, b = b.promise] {
        a->setProgressRange(0, 100);
        a->setProgressValue(20);
        b->setProgressRange(0, 100);
        b->setProgressValue(60);
    })()
        .wait(LongTimeout);
    QCOMPARE(all.progress(), 0.4);
    unknown.succeed(5); // complete: counts 1
    QCOMPARE(all.progress(), 0.6);
    Crochet::runInReactor([a = a.promise, b = b.promise] {
        a->addResult(1);
        a->finish();
        b->addResult(2);
        b->finish();
    })();
    QCOMPARE(waitValue(all), (QList<int>{1, 2, 5}));
    QCOMPARE(all.progress(), 1.0);

    // whenAny() the same way (apart: its success cancels the others).
    Operation c;
    const auto none = manual<int>();
    const auto any = whenAny(QList{c.result, none.result});
    QCOMPARE(any.progress(), -1.0);
    Crochet::runInReactor([c = c.promise] {
        c->setProgressRange(0, 4);
        c->setProgressValue(1);
    })()
        .wait(LongTimeout);
    QCOMPARE(any.progress(), 0.25);
    none.succeed(3);
    QCOMPARE(any.progress(), 1.0);
}

void tst_Combine::inputsCompleteBeforeDuringAndAfter()
{
    // Before: complete already, so the combination is at once.
    const auto early = manuals<int>(3);
    for (int i = 0; i < 3; ++i)
        early[i].succeed(i);
    const auto all = whenAll(resultsOf(early));
    QVERIFY(all.isReady());
    QCOMPARE(all.wait(0s), (QList<int>{0, 1, 2}));
    const auto any = whenAny(resultsOf(early));
    QCOMPARE(any.wait(0s).first, 0);
    early[0].fail(failure("too late")); // complete inputs stay as they were
    QCOMPARE(early[0].result.wait(0s), 0);

    // Some before, the rest after; a failure that came before fails it at once.
    const auto mixed = manuals<int>(3);
    mixed[1].succeed(1);
    const auto later = whenAll(resultsOf(mixed));
    QVERIFY(!later.isReady());
    mixed[2].succeed(2);
    mixed[0].succeed(0);
    QCOMPARE(later.wait(0s), (QList<int>{0, 1, 2}));
    const auto failedEarly = manuals<int>(2);
    failedEarly[1].fail(failure("before"));
    const auto failing = whenAll(resultsOf(failedEarly));
    QCOMPARE(failureMessage(failing), QStringLiteral("before"));
    QVERIFY(isCancelled(failedEarly[0].result));
}

void tst_Combine::fromAnyThread()
{
    const auto square = Crochet::runInReactor([](int x) { return x * x; });
    // In the reactor thread, of results made there.
    const auto inReactor = Crochet::runInReactor([square] {
        QList<EventualResult<int>> results;
        for (int i = 1; i <= 3; ++i)
            results.append(square(i));
        return whenAll(results);
    })();
    const auto combined = waitValue(inReactor);
    QVERIFY(combined);
    QCOMPARE(waitValue(*combined), (QList<int>{1, 4, 9}));

    // In a thread Qt does not know, of results completed in the reactor.
    std::optional<EventualResult<std::pair<qsizetype, int>>> fromThread;
    std::thread([&] { fromThread = whenAny(QList{square(5), square(6)}); }).join();
    const auto winner = waitValue(*fromThread);
    QVERIFY(winner);
    QCOMPARE(winner->second, winner->first == 0 ? 25 : 36);
}

void tst_Combine::manyInputsCompletedFromThreads()
{
    // Each combination has inputs of its own: whenAny()'s success cancels
    // the rest of its inputs, which would fail whenAll().
    const auto allInputs = manuals<int>(ManyInputs);
    const auto anyInputs = manuals<int>(ManyInputs);
    std::latch start(CompletingThreads + 1);
    std::vector<std::thread> threads;
    for (int t = 0; t < CompletingThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = t; i < ManyInputs; i += CompletingThreads) {
                allInputs[i].succeed(i);
                anyInputs[i].succeed(i);
            }
        });
    }
    // The combinations are made while the inputs complete.
    start.arrive_and_wait();
    const auto all = whenAll(resultsOf(allInputs));
    const auto any = whenAny(resultsOf(anyInputs));
    for (std::thread &thread : threads)
        thread.join();
    const auto values = waitValue(all);
    QVERIFY(values);
    QCOMPARE(values->size(), ManyInputs);
    for (int i = 0; i < ManyInputs; ++i) {
        if (values->at(i) != i)
            QFAIL(qPrintable(QStringLiteral("value %1 is %2").arg(i).arg(values->at(i))));
    }
    const auto winner = waitValue(any);
    QVERIFY(winner);
    QCOMPARE(winner->second, int(winner->first));
}

void tst_Combine::manyInputsOneSucceedsFromThreads()
{
    // Every input fails but one, from 8 threads; then all fail. Each
    // combination has inputs of its own: whenAll()'s first failure cancels
    // its inputs, which whenAny() would count as failures.
    for (const bool oneSucceeds : {true, false}) {
        const auto anyInputs = manuals<int>(ManyInputs);
        const auto allInputs = manuals<int>(ManyInputs);
        const auto any = whenAny(resultsOf(anyInputs));
        const auto all = whenAll(resultsOf(allInputs));
        const qsizetype winner = oneSucceeds ? ManyInputs / 3 : -1;
        std::latch start(CompletingThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < CompletingThreads; ++t) {
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                for (int i = t; i < ManyInputs; i += CompletingThreads) {
                    if (i == winner)
                        anyInputs[i].succeed(i);
                    else
                        anyInputs[i].fail(failure("failed"));
                    allInputs[i].fail(failure("failed"));
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QVERIFY(any.isReady());
        QVERIFY(all.isReady());
        QCOMPARE(failureMessage(all), QStringLiteral("failed"));
        if (oneSucceeds) {
            QCOMPARE(any.wait(0s), std::make_pair(winner, int(winner)));
        } else {
            QCOMPARE(failureMessage(any), QStringLiteral("failed"));
        }
    }
}

void tst_Combine::manyCallsFromThreads()
{
    // Wrapped calls made from 8 threads, combined while they run.
    const auto identity = Crochet::runInReactor([](int x) { return x; });
    QList<EventualResult<int>> results;
    std::mutex mutex;
    std::vector<std::thread> threads;
    for (int t = 0; t < CompletingThreads; ++t) {
        threads.emplace_back([&, t] {
            QList<EventualResult<int>> mine;
            for (int i = t; i < ManyInputs; i += CompletingThreads)
                mine.append(identity(i));
            std::lock_guard guard(mutex);
            results.append(mine);
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    const auto all = whenAll(results);
    const auto values = waitValue(all);
    QVERIFY(values);
    QCOMPARE(values->size(), ManyInputs);
    for (qsizetype i = 0; i < ManyInputs; ++i)
        QCOMPARE(values->at(i), results.at(i).wait(0s));
}

void tst_Combine::cancelledFromThreadsWhileInputsComplete()
{
    // Threads cancel the combination while others complete its inputs:
    // whichever wins, the outcome is one, and every input ends complete.
    const auto inputs = manuals<int>(ManyInputs);
    auto all = whenAll(resultsOf(inputs));
    std::latch start(CompletingThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < CompletingThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            if (t == CompletingThreads / 2) {
                auto mine = all;
                mine.cancel();
                return;
            }
            for (int i = t; i < ManyInputs; i += CompletingThreads)
                inputs[i].succeed(i);
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QVERIFY(isCancelled(all));
    for (const auto &input : inputs)
        QVERIFY(input.result.isReady());
}

void tst_Combine::consumedFailuresAreNotLogged()
{
    const CrochetWarnings warnings;
    CrochetWarnings::clear();
    const auto fail = Crochet::runInReactor(
        [](int n) -> int { throw std::runtime_error("consumed " + std::to_string(n)); });
    {
        // The inputs' handles go at once: only the combination sees them.
        const auto all = whenAll(QList{fail(1), fail(2), fail(3)});
        const auto any = whenAny(QList{fail(4), fail(5)});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, all.wait(LongTimeout));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, any.wait(LongTimeout));
    }
    {
        // Failed before they were combined: the failure passed on is
        // retrieved, the other one dropped, and neither is logged.
        const QList failed{fail(6), fail(7)};
        flushReactor();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, whenAll(failed).wait(0s));
    }
    flushReactor();
    QVERIFY2(CrochetWarnings::all().isEmpty(),
             qPrintable(CrochetWarnings::all().join(QLatin1Char('\n'))));
}

void tst_Combine::theCombinedFailureIsLoggedOnceWithItsOrigin()
{
    const CrochetWarnings warnings;
    CrochetWarnings::clear();
    const int line = __LINE__ + 1;
    const auto fail = Crochet::runInReactor([]() -> int { throw std::runtime_error("unseen"); });
    {
        // Nobody looks at the combined failure: it is logged (once), with
        // the wrap site and stack of the input it came from.
        const auto all = whenAll(QList{fail(), fail()});
        QTRY_VERIFY_WITH_TIMEOUT(all.isReady(), LongTimeoutMs);
    }
    QTRY_COMPARE_WITH_TIMEOUT(CrochetWarnings::all().size(), 1, LongTimeoutMs);
    flushReactor();
    const QStringList logged = CrochetWarnings::all();
    QCOMPARE(logged.size(), 1);
    QVERIFY2(logged.first().contains(QStringLiteral("std::runtime_error: unseen")),
             qPrintable(logged.first()));
    QVERIFY2(logged.first().contains(QStringLiteral("tst_combine.cpp:%1").arg(line)),
             qPrintable(logged.first()));
}

void tst_Combine::stashedInputsAtShutdown_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QByteArray>("expectedLog");
    // A stashed failure nobody retrieved is logged at shutdown, unless a
    // combination consumed it; the combination's own is logged like any.
    QTest::newRow("not combined") << QStringLiteral("stashed-input")
                                  << QByteArray("Unhandled error in stashed EventualResult");
    QTest::newRow("consumed by whenAll")
        << QStringLiteral("stashed-input-combined") << QByteArray();
    QTest::newRow("consumed by whenAny") << QStringLiteral("stashed-input-any") << QByteArray();
    QTest::newRow("stashed combination") << QStringLiteral("stashed-combination")
                                         << QByteArray("Unhandled error in stashed EventualResult");
}

void tst_Combine::stashedInputsAtShutdown()
{
    QFETCH(QString, scenario);
    QFETCH(QByteArray, expectedLog);
    const ChildResult child = runChild(QStringLiteral(COMBINE_SCENARIO_PATH), {scenario}, 60000);
    QVERIFY2(child.finished && child.exitStatus == QProcess::NormalExit && child.exitCode == 0,
             child.report().constData());
    QCOMPARE(child.output, lines({"done"}));
    if (expectedLog.isEmpty()) {
        QVERIFY2(child.errors.isEmpty(), child.report().constData());
    } else {
        QCOMPARE(child.errors.count(expectedLog), 1);
        QVERIFY2(child.errors.contains("combinescenario.cpp"), child.report().constData());
        QVERIFY2(child.errors.contains("std::runtime_error: stashed"), child.report().constData());
    }
}

QTEST_GUILESS_MAIN(tst_Combine)
#include "tst_combine.moc"
