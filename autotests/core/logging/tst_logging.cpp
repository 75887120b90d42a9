// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Failures nobody retrieved are logged once, as one warning on the category
// "crochet"; retrieved, cancelled and filtered-out ones are not.
// (Stashed failures, logged at shutdown, are tested by the exit suite.)

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QMutex>
#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include <stdexcept>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

struct CapturedMessage
{
    QtMsgType type;
    QByteArray category;
    QString text;
};

/*!
    Collects the messages of the category "crochet" from any thread (the
    reactor logs when a failure arrives after the last handle went); passes
    every other message on to the handler installed before (QTest's).
*/
class MessageCapture
{
public:
    static void install() { s_previous = qInstallMessageHandler(&MessageCapture::handle); }
    static void uninstall() { qInstallMessageHandler(s_previous); }

    //! The captured messages whose text contains \a marker.
    static QList<CapturedMessage> containing(const QString &marker)
    {
        QMutexLocker locker(&s_mutex);
        QList<CapturedMessage> found;
        for (const CapturedMessage &message : std::as_const(s_messages)) {
            if (message.text.contains(marker))
                found.append(message);
        }
        return found;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        if (context.category && qstrcmp(context.category, "crochet") == 0) {
            QMutexLocker locker(&s_mutex);
            s_messages.append({type, QByteArray(context.category), text});
        } else if (s_previous) {
            s_previous(type, context, text);
        }
    }

    static inline QtMessageHandler s_previous = nullptr;
    static inline QMutex s_mutex;
    static inline QList<CapturedMessage> s_messages;
};

//! Text that appears in one test's failure only.
QString uniqueMarker()
{
    static std::atomic<int> counter{0};
    return QStringLiteral("failure-marker-%1").arg(++counter);
}

Crochet::EventualResult<int> failingWith(const QString &marker)
{
    const QByteArray text = marker.toUtf8();
    return Crochet::runInReactor(
        [text]() -> int { throw std::runtime_error(text.toStdString()); })();
}

} // namespace

class tst_Logging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void unhandledFailureIsLoggedOnce();
    void retrievedFailureIsNotLogged_data();
    void retrievedFailureIsNotLogged();
    void failureAfterTheLastHandleWentIsLogged_data();
    void failureAfterTheLastHandleWentIsLogged();
    void successIsNotLogged();
    void cancelledResultsAreNotLogged_data();
    void cancelledResultsAreNotLogged();
    void filterRulesSilenceIt();
};

void tst_Logging::initTestCase()
{
    MessageCapture::install();
    Crochet::setup();
}

void tst_Logging::cleanupTestCase()
{
    MessageCapture::uninstall();
}

void tst_Logging::cleanup()
{
    QLoggingCategory::setFilterRules(QString());
}

void tst_Logging::unhandledFailureIsLoggedOnce()
{
    const QString marker = uniqueMarker();
    {
        auto result = failingWith(marker);
        const auto copy = result;
        QTRY_VERIFY_WITH_TIMEOUT(result.isReady(), LongTimeoutMs);
        {
            const auto another = copy;
        }
        result = Crochet::runInReactor([] { return 0; })();
        // One handle still holds the failure: nothing is logged yet.
        QVERIFY(MessageCapture::containing(marker).isEmpty());
    }
    const auto messages = MessageCapture::containing(marker);
    QCOMPARE(messages.size(), 1);
    const CapturedMessage &message = messages.first();
    QCOMPARE(message.type, QtWarningMsg);
    QCOMPARE(message.category, QByteArray("crochet"));
    // One message says it all: type, text and traceback.
    QVERIFY2(message.text.contains(QStringLiteral("std::runtime_error")), qPrintable(message.text));
    QVERIFY2(message.text.contains(QStringLiteral("traceback"), Qt::CaseInsensitive),
             qPrintable(message.text));
    QVERIFY2(message.text.contains(QStringLiteral("tst_logging.cpp")), qPrintable(message.text));

    flushReactor();
    QCOMPARE(MessageCapture::containing(marker).size(), 1);
}

void tst_Logging::retrievedFailureIsNotLogged_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("wait") << QStringLiteral("wait");
    QTest::newRow("wait on a copy") << QStringLiteral("wait on a copy");
    QTest::newRow("originalFailure") << QStringLiteral("originalFailure");
    QTest::newRow("waitFor") << QStringLiteral("waitFor");
}

void tst_Logging::retrievedFailureIsNotLogged()
{
    QFETCH(QString, how);
    const QString marker = uniqueMarker();
    if (how == QLatin1String("waitFor")) {
        const QByteArray text = marker.toUtf8();
        const auto blocking = Crochet::waitFor(
            LongTimeout, [text]() -> int { throw std::runtime_error(text.toStdString()); });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, blocking());
    } else {
        const auto result = failingWith(marker);
        const auto copy = result;
        if (how == QLatin1String("wait"))
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, result.wait(LongTimeout));
        else if (how == QLatin1String("wait on a copy"))
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, copy.wait(LongTimeout));
        else
            QTRY_VERIFY_WITH_TIMEOUT(result.originalFailure().has_value(), LongTimeoutMs);
    }
    flushReactor();
    QVERIFY(MessageCapture::containing(marker).isEmpty());
}

void tst_Logging::failureAfterTheLastHandleWentIsLogged_data()
{
    QTest::addColumn<bool>("timedOutFirst");
    QTest::newRow("never waited") << false;
    // A wait() that timed out saw no failure: it retrieved nothing.
    QTest::newRow("wait timed out") << true;
}

void tst_Logging::failureAfterTheLastHandleWentIsLogged()
{
    QFETCH(bool, timedOutFirst);
    const QString marker = uniqueMarker();
    const auto promise = startedPromise<int>();
    {
        const auto result =
            Crochet::runInReactor([future = promise->future()] { return future; })();
        if (timedOutFirst)
            QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, result.wait(10ms));
        flushReactor(); // the reactor now waits on the future
    }
    QVERIFY(MessageCapture::containing(marker).isEmpty());

    promise->setException(std::make_exception_ptr(std::runtime_error(marker.toStdString())));
    promise->finish();
    QTRY_COMPARE_WITH_TIMEOUT(MessageCapture::containing(marker).size(), 1, LongTimeoutMs);
    const auto messages = MessageCapture::containing(marker);
    QCOMPARE(messages.first().type, QtWarningMsg);
    QVERIFY(messages.first().text.contains(QStringLiteral("std::runtime_error")));
    flushReactor();
    QCOMPARE(MessageCapture::containing(marker).size(), 1);
}

void tst_Logging::successIsNotLogged()
{
    const QString marker = uniqueMarker();
    {
        const auto result = Crochet::runInReactor([marker] { return marker; })();
        QTRY_VERIFY_WITH_TIMEOUT(result.isReady(), LongTimeoutMs);
    }
    flushReactor();
    QVERIFY(MessageCapture::containing(marker).isEmpty());
}

void tst_Logging::cancelledResultsAreNotLogged_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("cancel(), then the operation fails") << QStringLiteral("cancel then fail");
    QTest::newRow("cancel() at once") << QStringLiteral("cancel at once");
    QTest::newRow("producer cancelled the future") << QStringLiteral("producer cancelled");
}

void tst_Logging::cancelledResultsAreNotLogged()
{
    QFETCH(QString, how);
    const QString marker = uniqueMarker();
    auto promise = startedPromise<int>();
    {
        auto result = Crochet::runInReactor([future = promise->future()] { return future; })();
        if (how == QLatin1String("cancel at once")) {
            result.cancel();
            flushReactor();
        } else {
            flushReactor();
            if (how == QLatin1String("cancel then fail"))
                result.cancel();
        }
    }
    if (how == QLatin1String("producer cancelled")) {
        promise.reset(); // cancels and finishes the future
    } else {
        promise->setException(std::make_exception_ptr(std::runtime_error(marker.toStdString())));
        promise->finish();
    }
    flushReactor();
    QVERIFY(MessageCapture::containing(marker).isEmpty());
    QVERIFY(MessageCapture::containing(QStringLiteral("CancelledError")).isEmpty());
}

void tst_Logging::filterRulesSilenceIt()
{
    QLoggingCategory::setFilterRules(QStringLiteral("crochet.warning=false"));
    const QString silenced = uniqueMarker();
    {
        const auto result = failingWith(silenced);
        QTRY_VERIFY_WITH_TIMEOUT(result.isReady(), LongTimeoutMs);
    }
    flushReactor();
    QVERIFY(MessageCapture::containing(silenced).isEmpty());

    // The same thing logs again once the rule is gone: it was the rule.
    QLoggingCategory::setFilterRules(QString());
    const QString logged = uniqueMarker();
    {
        const auto result = failingWith(logged);
        QTRY_VERIFY_WITH_TIMEOUT(result.isReady(), LongTimeoutMs);
    }
    QCOMPARE(MessageCapture::containing(logged).size(), 1);
}

QTEST_GUILESS_MAIN(tst_Logging)
#include "tst_logging.moc"
