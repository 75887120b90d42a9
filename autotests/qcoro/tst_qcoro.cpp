// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// co_await on an EventualResult in a QCoro::Task (<crochet/qcoro.h>): the
// value or the failure, resumed on the awaiting thread (the application's,
// a QThread's; a std::thread's and noSetup()'s in child processes), a
// result already there, void and move-only values, and coroutines that go
// away before the result comes.

#include "reactorhelpers.h"
#include "scenarioprocess.h"

#include <crochet/crochet.h>
#include <crochet/detail/tsan.h>
#include <crochet/qcoro.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <coroutine>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

//! What a coroutine saw: the value or the error, and on which thread.
struct Outcome
{
    std::optional<int> value;
    QString error;
    bool cancelled = false;
    QThread *thread = nullptr;
    bool done = false;
};

QCoro::Task<> awaitInto(Crochet::EventualResult<int> result, std::shared_ptr<Outcome> outcome)
{
    try {
        outcome->value = co_await result;
    } catch (const Crochet::CancelledError &) {
        outcome->cancelled = true;
    } catch (const std::exception &error) {
        outcome->error = QString::fromUtf8(error.what());
    }
    outcome->thread = QThread::currentThread();
    outcome->done = true;
}

//! awaitInto(), then counts \a finished (from the awaiting thread).
QCoro::Task<> awaitThenCount(Crochet::EventualResult<int> result, std::shared_ptr<Outcome> outcome,
                             Counter &finished)
{
    co_await awaitInto(std::move(result), std::move(outcome));
    finished.increment();
}

//! A function run in the reactor: a future the test finishes.
const auto awaitFuture = Crochet::runInReactor([](QFuture<int> future) { return future; });

//! Reactor: \a ms, after \a ms milliseconds.
const auto delayed = Crochet::runInReactor(
    [](int ms) { return finishedLater<int>(std::chrono::milliseconds(ms), [ms] { return ms; }); });

/*!
    Returns once the completion of \a result has been delivered to the
    calling thread's event loop: a then() continuation registered now runs
    after whatever its earlier listeners posted there (a resumption).
*/
template <typename T>
bool completionDelivered(const Crochet::EventualResult<T> &result)
{
    QObject marker;
    auto delivered = std::make_shared<bool>(false);
    result.onFailed(&marker, [delivered](const Crochet::Failure &) { *delivered = true; });
    if constexpr (std::is_void_v<T>)
        result.then(&marker, [delivered] { *delivered = true; });
    else
        result.then(&marker, [delivered](const T &) { *delivered = true; });
    return QTest::qWaitFor([&] { return *delivered; }, LongTimeoutMs);
}

/*!
    The smallest coroutine type: starts at once, and its owner destroys the
    frame, suspended or not (which QCoro::Task 0.8 never does while it is
    suspended). It awaits a result through the awaiter qcoro.h gives QCoro.
*/
class OwnedCoroutine
{
public:
    struct promise_type
    {
        OwnedCoroutine get_return_object()
        {
            return OwnedCoroutine(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() { std::terminate(); }
    };
    explicit OwnedCoroutine(std::coroutine_handle<promise_type> frame)
        : m_frame(frame)
    {}
    OwnedCoroutine(OwnedCoroutine &&other) noexcept
        : m_frame(std::exchange(other.m_frame, {}))
    {}
    ~OwnedCoroutine()
    {
        if (m_frame)
            m_frame.destroy();
    }

private:
    std::coroutine_handle<promise_type> m_frame;
};

OwnedCoroutine awaitOwned(Crochet::EventualResult<int> result, std::shared_ptr<Outcome> outcome)
{
    outcome->value = co_await Crochet::detail::ResultAwaiter<int>(std::move(result));
    outcome->done = true;
}

} // namespace

class tst_QCoro : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void value()
    {
        auto outcome = std::make_shared<Outcome>();
        const QCoro::Task<> task = awaitInto(delayed(50), outcome);
        QVERIFY(!outcome->done); // suspended, not blocking this thread
        QTRY_VERIFY_WITH_TIMEOUT(outcome->done, LongTimeoutMs);
        QCOMPARE(outcome->value.value_or(-1), 50);
        QCOMPARE(outcome->thread, qApp->thread());
        QVERIFY(outcome->error.isEmpty());
    }

    void exception()
    {
        // The failure is retrieved: not logged as unhandled when its handles go.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("Unhandled error")));
        static const auto failing =
            Crochet::runInReactor([]() -> int { throw std::runtime_error("boom"); });
        auto outcome = std::make_shared<Outcome>();
        {
            const QCoro::Task<> task = awaitInto(failing(), outcome);
            QTRY_VERIFY_WITH_TIMEOUT(outcome->done, LongTimeoutMs);
        }
        QCOMPARE(outcome->error, QStringLiteral("boom"));
        QVERIFY(!outcome->value);
        QCOMPARE(outcome->thread, qApp->thread());
    }

    void cancelled()
    {
        auto promise = startedPromise<int>();
        auto result = awaitFuture(promise->future());
        auto outcome = std::make_shared<Outcome>();
        const QCoro::Task<> task = awaitInto(result, outcome);
        result.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(outcome->done, LongTimeoutMs);
        QVERIFY(outcome->cancelled);
        QCOMPARE(outcome->thread, qApp->thread());
    }

    void resumesOnAwaitingQThread()
    {
        QThread worker;
        worker.start();
        QObject inWorker;
        inWorker.moveToThread(&worker);
        auto outcome = std::make_shared<Outcome>();
        auto promise = startedPromise<int>();
        auto result = awaitFuture(promise->future());
        Counter suspended;
        Counter finished;
        {
            // The test's own hand-off to the worker, made visible to
            // ThreadSanitizer (see detail/tsan.h).
            [[maybe_unused]] const Crochet::detail::HandoffPost handoff;
            QMetaObject::invokeMethod(&inWorker, [&, result, outcome] {
                Crochet::detail::handoffReceived();
                // The Task goes at once; QCoro keeps its frame until it ends.
                awaitThenCount(result, outcome, finished);
                suspended.increment();
            });
        }
        QVERIFY(suspended.waitFor(1));
        promise->addResult(7);
        promise->finish();
        // The counter's lock also makes the outcome visible here.
        QVERIFY(finished.waitFor(1));
        QCOMPARE(outcome->value.value_or(-1), 7);
        QCOMPARE(outcome->thread, &worker);
        worker.quit();
        QVERIFY(worker.wait(LongTimeoutMs));
    }

    void alreadyReady()
    {
        auto result = delayed(0);
        QCOMPARE(waitValue(result).value_or(-1), 0);
        auto outcome = std::make_shared<Outcome>();
        const QCoro::Task<> task = awaitInto(result, outcome);
        // No suspension: done before awaitInto() returned.
        QVERIFY(outcome->done);
        QCOMPARE(outcome->value.value_or(-1), 0);
    }

    void voidAndMoveOnly()
    {
        static const auto nothing = Crochet::runInReactor([] {});
        static const auto owned = Crochet::runInReactor([] { return std::make_unique<int>(42); });
        bool done = false;
        int value = 0;
        const auto coroutine = [](bool &done, int &value) -> QCoro::Task<> {
            co_await nothing();
            const std::unique_ptr<int> pointer = co_await owned();
            value = *pointer;
            done = true;
        };
        const QCoro::Task<> task = coroutine(done, value);
        QTRY_VERIFY_WITH_TIMEOUT(done, LongTimeoutMs);
        QCOMPARE(value, 42);
    }

    // QCoro 0.8 keeps the frame of a destroyed, suspended QCoro::Task alive:
    // the coroutine resumes when the result comes, on its thread.
    void destroyedTaskThenResult()
    {
        auto promise = startedPromise<int>();
        auto result = awaitFuture(promise->future());
        auto outcome = std::make_shared<Outcome>();
        awaitInto(result, outcome); // the Task is destroyed at once
        QVERIFY(!outcome->done);
        promise->addResult(3);
        promise->finish();
        QVERIFY(completionDelivered(result));
        QVERIFY(outcome->done);
        QCOMPARE(outcome->value.value_or(-1), 3);
        QCOMPARE(outcome->thread, qApp->thread());
    }

    // A frame destroyed while suspended in the awaiter is never resumed.
    void destroyedFrameNeverResumes()
    {
        auto promise = startedPromise<int>();
        auto result = awaitFuture(promise->future());
        auto outcome = std::make_shared<Outcome>();
        {
            const OwnedCoroutine coroutine = awaitOwned(result, outcome);
            QVERIFY(!outcome->done);
        }
        promise->addResult(3);
        promise->finish();
        QVERIFY(completionDelivered(result));
        QVERIFY(!outcome->done);
        QCOMPARE(waitValue(result).value_or(-1), 3);
    }

    // In child processes (qcoroscenario.cpp says why).
    void threadWithoutEventLoop()
    {
        const ChildResult child = runChild(QStringLiteral(QCORO_SCENARIO_PATH),
                                           {QStringLiteral("plain-thread")}, LongTimeoutMs);
        QVERIFY2(child.finished && child.exitStatus == QProcess::NormalExit &&
                     child.exitCode == 0 && child.errors.isEmpty(),
                 child.report().constData());
        QVERIFY2(child.output.startsWith("Crochet::Error: co_await on an EventualResult needs a "
                                         "thread with a Qt event loop"),
                 child.report().constData());
    }

    //! Under noSetup() the awaiting thread is the reactor itself.
    void underNoSetup()
    {
        const ChildResult child = runChild(QStringLiteral(QCORO_SCENARIO_PATH),
                                           {QStringLiteral("no-setup")}, LongTimeoutMs);
        const QByteArray problems = child.problems(lines({"42, on the application thread: yes"}));
        QVERIFY2(problems.isEmpty(), problems.constData());
    }
};

QTEST_GUILESS_MAIN(tst_QCoro)
#include "tst_qcoro.moc"
