// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// EventualResult::then() / onFailed(): continuations on the context's thread.

#include <crochet/crochet.h>

#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <chrono>
#include <memory>
#include <stdexcept>

using namespace std::chrono_literals;

class tst_Continuations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Crochet::setup(); }

    void thenRunsOnContextThread()
    {
        QObject context;
        QThread *seenThread = nullptr;
        int seenValue = 0;
        const auto square = Crochet::runInReactor([](int x) { return x * x; });
        square(7).then(&context, [&](int value) {
            seenThread = QThread::currentThread();
            seenValue = value;
        });
        QTRY_COMPARE_WITH_TIMEOUT(seenValue, 49, 5000);
        QCOMPARE(seenThread, QThread::currentThread());
        QVERIFY(seenThread != Crochet::reactorThread());
    }

    void thenOnContextInAnotherThread()
    {
        QThread worker;
        worker.start();
        QObject context;
        context.moveToThread(&worker);
        std::atomic<QThread *> seenThread = nullptr;
        const auto identity = Crochet::runInReactor([](int x) { return x; });
        identity(1).then(&context, [&](int) { seenThread = QThread::currentThread(); });
        QTRY_VERIFY_WITH_TIMEOUT(seenThread.load() != nullptr, 5000);
        QCOMPARE(seenThread.load(), &worker);
        worker.quit();
        worker.wait();
    }

    void voidResult()
    {
        QObject context;
        bool called = false;
        const auto nothing = Crochet::runInReactor([] {});
        nothing().then(&context, [&] { called = true; });
        QTRY_VERIFY_WITH_TIMEOUT(called, 5000);
    }

    void onFailedGetsTheFailure()
    {
        QObject context;
        QString message;
        QString typeName;
        bool thenCalled = false;
        const auto boom = Crochet::runInReactor([]() -> int { throw std::runtime_error("boom"); });
        boom()
            .then(&context, [&](int) { thenCalled = true; })
            .onFailed(&context, [&](const Crochet::Failure &failure) {
                message = failure.message();
                typeName = failure.typeName();
            });
        QTRY_COMPARE_WITH_TIMEOUT(message, QStringLiteral("boom"), 5000);
        QCOMPARE(typeName, QStringLiteral("std::runtime_error"));
        QVERIFY(!thenCalled);
    }

    void onFailedCountsAsRetrieval()
    {
        // The usual GUI pattern: register the handlers, drop the handle,
        // the failure comes later. It must not be logged as unhandled.
        static QStringList warnings;
        warnings.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &context, const QString &message) {
                if (qstrcmp(context.category, "crochet") == 0)
                    warnings << message;
            });
        QObject context;
        bool handled = false;
        auto promise = std::make_shared<QPromise<int>>();
        {
            const auto pending = Crochet::runInReactor([promise] {
                promise->start();
                return promise->future();
            });
            pending().onFailed(&context, [&](const Crochet::Failure &) { handled = true; });
        }
        // Failed in the reactor thread, where the failure is read: a
        // QPromise hands its exception over inside Qt, where ThreadSanitizer
        // cannot see it.
        Crochet::runInReactor([promise] {
            promise->setException(std::make_exception_ptr(std::runtime_error("late")));
            promise->finish();
        })();
        QTRY_VERIFY_WITH_TIMEOUT(handled, 5000);
        qInstallMessageHandler(previous);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
    }

    void cancelReachesOnFailed()
    {
        QObject context;
        QString typeName;
        auto promise = std::make_shared<QPromise<int>>();
        const auto pending = Crochet::runInReactor([promise] {
            promise->start();
            return promise->future();
        });
        auto result = pending();
        result.onFailed(&context,
                        [&](const Crochet::Failure &failure) { typeName = failure.typeName(); });
        result.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(typeName, QStringLiteral("Crochet::CancelledError"), 5000);
    }

    void neverRunsAfterContextIsDeleted()
    {
        auto context = std::make_unique<QObject>();
        auto promise = std::make_shared<QPromise<int>>();
        const auto pending = Crochet::runInReactor([promise] {
            promise->start();
            return promise->future();
        });
        auto result = pending();
        bool called = false;
        result.then(context.get(), [&](int) { called = true; });
        context.reset();
        promise->addResult(5);
        promise->finish();
        QCOMPARE(result.wait(5s), 5);
        // A continuation that was going to run would have been queued by
        // now; let the event loop deliver anything pending.
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QVERIFY(!called);
    }

    // Qt would only warn about the connection and never run the
    // continuation: a null context is an error at the call.
    void nullContextIsAnError()
    {
        const auto identity = Crochet::runInReactor([](int x) { return x; });
        const auto result = identity(1);
        QObject *noContext = nullptr;
        for (const bool failedHandler : {false, true}) {
            try {
                if (failedHandler)
                    result.onFailed(noContext, [](const Crochet::Failure &) {});
                else
                    result.then(noContext, [](int) {});
                QFAIL("no exception");
            } catch (const Crochet::Error &error) {
                QVERIFY2(error.message().contains(failedHandler
                                                      ? "onFailed() was given a null context object"
                                                      : "then() was given a null context object"),
                         qPrintable(error.message()));
            }
        }
        QCOMPARE(result.wait(5s), 1);
    }

    void contextDeletedWhileCallIsQueued()
    {
        auto context = std::make_unique<QObject>();
        bool called = false;
        const auto identity = Crochet::runInReactor([](int x) { return x; });
        auto result = identity(3);
        result.then(context.get(), [&](int) { called = true; });
        QCOMPARE(result.wait(5s), 3);
        // The continuation is queued to this thread now; deleting the
        // context must drop it.
        context.reset();
        QCoreApplication::sendPostedEvents();
        QVERIFY(!called);
    }
};

QTEST_MAIN(tst_Continuations)
#include "tst_continuations.moc"
