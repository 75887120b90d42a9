// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Crochet::Task<T>: coroutines run by runInReactor() / waitFor(), what they
// can await, and what cancelling them does.

#include "reactorhelpers.h"
#include "testhttpserver.h"
#include "valuecategories.h"

#include <crochet/crochet.h>
#include <crochet/network.h>
#include <crochet/task.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;
using Crochet::Task;

// A Task is a move-only handle, and a function returning Task<T> is
// wrapped as one returning T.
static_assert(!std::is_copy_constructible_v<Task<int>>);
static_assert(std::is_nothrow_move_constructible_v<Task<int>>);
static_assert(std::is_same_v<Crochet::detail::CallResult<Task<int> (*)()>, int>);
static_assert(std::is_same_v<Crochet::detail::CallResult<Task<> (*)()>, void>);
static_assert(
    std::is_same_v<Crochet::detail::CallResult<Task<MoveOnly> (*)(MoveOnly), MoveOnly>, MoveOnly>);

namespace {

//! Counts its lives, to see that a cancelled coroutine's locals are destroyed.
struct Tracked
{
    static inline std::atomic<int> constructed{0};
    static inline std::atomic<int> destroyed{0};
    static void resetCounts()
    {
        constructed = 0;
        destroyed = 0;
    }
    Tracked() { ++constructed; }
    Tracked(const Tracked &) = delete;
    ~Tracked() { ++destroyed; }
};

//! A type not derived from std::exception, thrown by value.
struct Oddball
{
    int code;
};

Task<int> twice(QFuture<int> future)
{
    const int value = co_await future;
    co_return 2 * value;
}

Task<int> failAfter(std::chrono::milliseconds delay)
{
    co_await Crochet::sleep(delay);
    throw std::runtime_error("inner failure");
}

//! Waits until the reactor has had time to resume anything it wrongly
//! kept: a coroutine that sleeps \a span runs to its end first.
void letReactorRun(std::chrono::milliseconds span)
{
    Crochet::runInReactor([span]() -> Task<> { co_await Crochet::sleep(span); })().wait(
        LongTimeout);
}

//! A port on 127.0.0.1 where nothing listens: connecting is refused.
quint16 refusedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

enum class Awaited { Future, Reply, Sleep, NestedTask };

} // namespace

Q_DECLARE_METATYPE(Awaited)

class tst_Coroutines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        Crochet::setup();
        QVERIFY(m_server.isListening());
    }

    void init() { Tracked::resetCounts(); }

    void returnsValue_data() { addValueCategoryRows(); }
    void returnsValue()
    {
        QFETCH(ValueCategory, category);
        withValueCategory(category, []<typename T>() {
            const auto make = Crochet::runInReactor([](int n) -> Task<T> {
                auto future = finishedLater<T>(1ms, [n] { return Values<T>::make(n); });
                if constexpr (std::is_void_v<T>)
                    co_await future;
                else
                    co_return co_await future;
            });
            auto result = make(41);
            if constexpr (std::is_void_v<T>) {
                result.wait(LongTimeout);
                QVERIFY(result.isReady());
                QVERIFY(!result.originalFailure());
            } else {
                const std::optional<T> value = waitValue(result);
                QVERIFY(value);
                QCOMPARE(Values<T>::read(*value), 41);
            }
        });
    }

    void finishesWithoutSuspending()
    {
        const auto immediate =
            Crochet::waitFor(LongTimeout, [](int x) -> Task<int> { co_return x + 1; });
        QCOMPARE(immediate(1), 2);
    }

    void runsOnlyInReactorThread()
    {
        const auto threads = Crochet::runInReactor([]() -> Task<QList<QThread *>> {
            QList<QThread *> seen{QThread::currentThread()};
            co_await Crochet::sleep(1ms);
            seen << QThread::currentThread();
            co_await finishedLater<int>(1ms, [] { return 0; });
            seen << QThread::currentThread();
            co_await twice(finishedLater<int>(1ms, [] { return 1; }));
            seen << QThread::currentThread();
            co_return seen;
        });
        const auto seen = waitValue(threads());
        QVERIFY(seen);
        QCOMPARE(seen->size(), 4);
        for (QThread *thread : *seen)
            QCOMPARE(thread, Crochet::reactorThread());
    }

    void exceptionReachesWait_data()
    {
        QTest::addColumn<bool>("beforeFirstAwait");
        QTest::newRow("before the first co_await") << true;
        QTest::newRow("after a co_await") << false;
    }
    void exceptionReachesWait()
    {
        QFETCH(bool, beforeFirstAwait);
        auto thrown = std::make_shared<std::exception_ptr>();
        const auto failing = Crochet::runInReactor([thrown, beforeFirstAwait]() -> Task<int> {
            if (!beforeFirstAwait)
                co_await Crochet::sleep(1ms);
            *thrown = std::make_exception_ptr(std::logic_error("coroutine failure"));
            std::rethrow_exception(*thrown);
        });
        auto result = failing();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, result.wait(LongTimeout));
        // The very exception object the coroutine threw, not a copy.
        const auto failure = result.originalFailure();
        QVERIFY(failure);
        QVERIFY(failure->exception() == *thrown);
    }

    void nonStandardExceptionReachesWait()
    {
        const auto failing = Crochet::waitFor(LongTimeout, []() -> Task<> {
            co_await Crochet::sleep(1ms);
            throw Oddball{7};
        });
        int code = 0;
        try {
            failing();
        } catch (const Oddball &oddball) {
            code = oddball.code;
        }
        QCOMPARE(code, 7);
    }

    void nestedAwaits()
    {
        const auto nested = Crochet::waitFor(LongTimeout, []() -> Task<int> {
            const int a = co_await twice(finishedLater<int>(2ms, [] { return 5; }));
            Task<int> later = twice(finishedLater<int>(1ms, [] { return 100; }));
            const int b = co_await later;
            int recovered = 0;
            try {
                co_await failAfter(1ms);
            } catch (const std::runtime_error &error) {
                recovered = QByteArray(error.what()) == "inner failure" ? 1000 : -1;
            }
            co_return a + b + recovered;
        });
        QCOMPARE(nested(), 10 + 200 + 1000);
    }

    void nestedFailureReachesWait()
    {
        const auto outer = Crochet::runInReactor([]() -> Task<int> {
            const int value = co_await failAfter(1ms);
            co_return value + 1;
        });
        auto result = outer();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, result.wait(LongTimeout));
        QCOMPARE(result.originalFailure()->message(), QStringLiteral("inner failure"));
    }

    void awaitedFutureFailure()
    {
        const auto awaitFailing = Crochet::waitFor(LongTimeout, []() -> Task<QString> {
            auto failed = QtFuture::makeExceptionalFuture<int>(
                std::make_exception_ptr(std::out_of_range("future failure")));
            try {
                co_await failed;
            } catch (const std::out_of_range &error) {
                co_return QString::fromUtf8(error.what());
            }
            co_return QString();
        });
        QCOMPARE(awaitFailing(), QStringLiteral("future failure"));
    }

    void awaitedFutureCancelledByProducer()
    {
        auto promise = startedPromise<int>();
        const auto awaitCancelled = Crochet::runInReactor([promise]() -> Task<bool> {
            try {
                co_await promise->future();
            } catch (const Crochet::CancelledError &) {
                co_return true;
            }
            co_return false;
        });
        auto result = awaitCancelled();
        flushReactor();
        promise->future().cancel();
        promise->finish();
        QCOMPARE(waitValue(result), std::optional<bool>(true));
    }

    void awaitedDefaultConstructedFuture()
    {
        // Qt makes it cancelled and finished: co_await does not suspend, and
        // the CancelledError says what the future was.
        const auto awaitInvalid = Crochet::runInReactor([]() -> Task<int> {
            const int value = co_await QFuture<int>();
            co_return value;
        });
        const auto result = awaitInvalid();
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(LongTimeout));
        const auto failure = result.originalFailure();
        QVERIFY(failure);
        QVERIFY2(failure->message().contains(u"default-constructed QFuture"),
                 qPrintable(failure->message()));
    }

    void sleepWaitsAtLeastTheDelay()
    {
        const auto measure = Crochet::waitFor(LongTimeout, []() -> Task<qint64> {
            QElapsedTimer timer;
            timer.start();
            co_await Crochet::sleep(50ms);
            co_return timer.elapsed();
        });
        QVERIFY2(measure() >= 50, "sleep(50ms) resumed early");
    }

    void awaitReply()
    {
        const auto fetch = Crochet::waitFor(LongTimeout, [](QUrl url) -> Task<QByteArray> {
            QNetworkReply *reply = Crochet::networkAccessManager()->get(QNetworkRequest(url));
            const Crochet::NetworkResponse response = co_await reply;
            co_return QByteArray::number(response.statusCode) + ' ' + response.body;
        });
        QCOMPARE(fetch(m_server.url(QStringLiteral("/bytes/10"))),
                 "200 " + TestHttpServer::pattern(10));
        QCOMPARE(fetch(m_server.url(QStringLiteral("/status/404"))), QByteArray("404 status 404"));
    }

    void awaitFailingReply()
    {
        const quint16 port = refusedPort();
        QVERIFY(port != 0);
        const auto fetch = Crochet::runInReactor([](QUrl url) -> Task<int> {
            auto *manager = Crochet::networkAccessManager();
            const auto response = co_await manager->get(QNetworkRequest(url));
            co_return response.statusCode;
        });
        auto result = fetch(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
        QNetworkReply::NetworkError code = QNetworkReply::NoError;
        try {
            result.wait(LongTimeout);
        } catch (const Crochet::NetworkError &error) {
            code = error.code();
        } catch (const std::exception &error) {
            QFAIL(error.what());
        }
        QCOMPARE(code, QNetworkReply::ConnectionRefusedError);
    }

    void awaitLookupHost()
    {
        const auto lookup = Crochet::waitFor(LongTimeout, [](QString name) -> Task<bool> {
            const QList<QHostAddress> addresses = co_await Crochet::lookupHost(name);
            co_return addresses.contains(QHostAddress(QHostAddress::LocalHost));
        });
        QVERIFY(lookup(QStringLiteral("127.0.0.1")));
    }

    void capturesAndArgumentsOutliveFirstAwait()
    {
        const QString captured = QStringLiteral("captured ").repeated(20);
        const auto useLater = Crochet::runInReactor(
            [captured](const QString &argument, MoveOnly moved) -> Task<QString> {
                co_await Crochet::sleep(5ms);
                co_await Crochet::sleep(5ms);
                co_return captured + argument + QString::number(*moved.value);
            });
        auto result = useLater(QStringLiteral("argument ").repeated(20), MoveOnly(3));
        QCOMPARE(waitValue(result),
                 std::optional<QString>(captured + QStringLiteral("argument ").repeated(20) +
                                        QStringLiteral("3")));
    }

    void cancelMidAwait_data()
    {
        QTest::addColumn<Awaited>("awaited");
        QTest::newRow("QFuture") << Awaited::Future;
        QTest::newRow("QNetworkReply") << Awaited::Reply;
        QTest::newRow("sleep") << Awaited::Sleep;
        QTest::newRow("nested Task") << Awaited::NestedTask;
    }
    void cancelMidAwait()
    {
        QFETCH(Awaited, awaited);
        auto promise = startedPromise<int>();
        auto suspended = std::make_shared<std::atomic<bool>>(false);
        auto resumed = std::make_shared<std::atomic<bool>>(false);
        // The reply: half of the body comes, then the server holds the rest.
        const QString path = QStringLiteral("/hold/1000/coroutine-cancel");
        auto answering = std::make_shared<std::atomic<bool>>(false);
        auto replyError = std::make_shared<std::atomic<int>>(QNetworkReply::NoError);
        const auto suspend = Crochet::runInReactor([=, url = m_server.url(path)]() -> Task<int> {
            const Tracked local;
            *suspended = true;
            switch (awaited) {
            case Awaited::Future:
                co_await promise->future();
                break;
            case Awaited::Reply: {
                QNetworkReply *reply = Crochet::networkAccessManager()->get(QNetworkRequest(url));
                QObject::connect(reply, &QNetworkReply::metaDataChanged, reply,
                                 [answering] { *answering = true; });
                QObject::connect(
                    reply, &QNetworkReply::errorOccurred, reply,
                    [replyError](QNetworkReply::NetworkError code) { *replyError = code; });
                co_await reply;
                break;
            }
            case Awaited::Sleep:
                co_await Crochet::sleep(200ms);
                break;
            case Awaited::NestedTask:
                co_await [](QFuture<int> future) -> Task<int> {
                    const Tracked innerLocal;
                    co_return co_await future;
                }(promise->future());
                break;
            }
            *resumed = true;
            co_return 1;
        });
        auto result = suspend();
        QTRY_VERIFY_WITH_TIMEOUT(suspended->load(), LongTimeoutMs);
        if (awaited == Awaited::Reply)
            QTRY_VERIFY_WITH_TIMEOUT(answering->load(), LongTimeoutMs);
        flushReactor();
        const int localsAlive = awaited == Awaited::NestedTask ? 2 : 1;
        QCOMPARE(Tracked::constructed.load(), localsAlive);

        result.cancel();
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(LongTimeout));

        // The frame (the inner one too) is destroyed, in the reactor thread.
        QTRY_COMPARE_WITH_TIMEOUT(Tracked::destroyed.load(), localsAlive, LongTimeoutMs);
        // What it awaited is cancelled.
        switch (awaited) {
        case Awaited::Future:
        case Awaited::NestedTask:
            QTRY_VERIFY_WITH_TIMEOUT(promise->isCanceled(), LongTimeoutMs);
            break;
        case Awaited::Reply:
            QTRY_COMPARE_WITH_TIMEOUT(replyError->load(),
                                      int(QNetworkReply::OperationCanceledError), LongTimeoutMs);
            // The connection is closed: the server sees its request abandoned.
            QTRY_COMPARE_WITH_TIMEOUT(m_server.abandoned(path), 1, LongTimeoutMs);
            break;
        case Awaited::Sleep:
            break;
        }
        // A producer finishing now, or the timer's time passing, resumes nothing.
        promise->addResult(1);
        promise->finish();
        letReactorRun(400ms);
        QVERIFY(!resumed->load());
        QCOMPARE(Tracked::destroyed.load(), localsAlive);
    }

    void waitForTimeoutCancels()
    {
        auto promise = startedPromise<int>();
        auto resumed = std::make_shared<std::atomic<bool>>(false);
        const auto blocking = Crochet::waitFor(200ms, [promise, resumed]() -> Task<int> {
            const Tracked local;
            const int value = co_await promise->future();
            *resumed = true;
            co_return value;
        });
        QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, blocking());
        QTRY_VERIFY_WITH_TIMEOUT(promise->isCanceled(), LongTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(Tracked::destroyed.load(), 1, LongTimeoutMs);
        QCOMPARE(Tracked::constructed.load(), 1);
        promise->finish();
        flushReactor();
        QVERIFY(!resumed->load());
    }

    void cancelBeforeItRuns()
    {
        // Blocks the reactor so that the coroutine's call is still queued
        // when it is cancelled: then it never starts.
        Gate gate;
        auto blocker = Crochet::runInReactor([&gate] { gate.wait(); })();
        const auto neverStarted = Crochet::runInReactor([]() -> Task<int> {
            const Tracked local;
            co_return 1;
        });
        auto result = neverStarted();
        result.cancel();
        gate.open();
        blocker.wait(LongTimeout);
        flushReactor();
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(LongTimeout));
        QCOMPARE(Tracked::constructed.load(), 0);
    }

    void thousandConcurrentCoroutines()
    {
        constexpr int Count = 1000;
        const auto work = Crochet::runInReactor([](int i) -> Task<int> {
            const Tracked local;
            co_await Crochet::sleep(std::chrono::milliseconds(i % 17));
            const int doubled = co_await twice(
                finishedLater<int>(std::chrono::milliseconds(i % 5), [i] { return i; }));
            co_return doubled + 1;
        });
        std::vector<Crochet::EventualResult<int>> results;
        results.reserve(Count);
        for (int i = 0; i < Count; ++i)
            results.push_back(work(i));
        int correct = 0;
        for (int i = 0; i < Count; ++i) {
            if (waitValue(results[i]) == 2 * i + 1)
                ++correct;
        }
        QCOMPARE(correct, Count);
        QCOMPARE(Tracked::constructed.load(), Count);
        QTRY_COMPARE_WITH_TIMEOUT(Tracked::destroyed.load(), Count, LongTimeoutMs);
    }

    // Last: it stops the reactor for good.
    void shutdownDestroysSuspendedCoroutines()
    {
        auto promise = startedPromise<int>();
        const auto suspend = Crochet::runInReactor([promise]() -> Task<int> {
            const Tracked local;
            co_return co_await promise->future();
        });
        auto result = suspend();
        flushReactor();
        QCOMPARE(Tracked::constructed.load(), 1);
        Crochet::shutdown();
        QVERIFY_THROWS_EXCEPTION(Crochet::ReactorStopped, result.wait(LongTimeout));
        // shutdown() joined the reactor thread, which destroyed the frame.
        QCOMPARE(Tracked::destroyed.load(), 1);
        QVERIFY(promise->isCanceled());
    }

private:
    TestHttpServer m_server;
};

QTEST_MAIN(tst_Coroutines)
#include "tst_coroutines.moc"
