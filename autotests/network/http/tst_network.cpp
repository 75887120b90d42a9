// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Qt Network in the reactor (networkAccessManager(), toFuture(), lookupHost(),
// NetworkError) against a local server that misbehaves on request.

#include "networktesthelpers.h"
#include "reactorhelpers.h"
#include "testhttpserver.h"

#include <crochet/crochet.h>

#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QVariant>
#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using Crochet::NetworkError;
using Crochet::NetworkResponse;
using CrochetTest::LongTimeout;
using CrochetTest::LongTimeoutMs;
using CrochetTest::networkErrorOf;
using CrochetTest::valueOf;

static_assert(std::is_same_v<Crochet::detail::CallResult<QNetworkReply *(*)()>, NetworkResponse>,
              "a wrapped function returning QNetworkReply * yields a NetworkResponse");
static_assert(std::is_base_of_v<Crochet::Error, NetworkError>);
static_assert(QMetaTypeId2<NetworkResponse>::Defined, "NetworkResponse is a declared metatype");

namespace {

// Replies the tests created and that are not destroyed yet: none may leak.
std::atomic<int> liveReplies{0};
// Bytes received since a test reset it, counted before toFuture() reads them.
std::atomic<qint64> lastReplyReceived{0};

// Reactor thread: a GET through the reactor's manager, counted.
QNetworkReply *get(const QUrl &url)
{
    QNetworkReply *reply = Crochet::networkAccessManager()->get(QNetworkRequest(url));
    ++liveReplies;
    QObject::connect(reply, &QObject::destroyed, [] { --liveReplies; });
    // Connected before toFuture() connects its own slot, so the data of each
    // readyRead() is still unread here.
    QObject::connect(reply, &QNetworkReply::readyRead,
                     [reply] { lastReplyReceived += reply->bytesAvailable(); });
    return reply;
}

const auto fetch = Crochet::waitFor(LongTimeout, &get);
const auto startFetch = Crochet::runInReactor(&get);

// The ways a wrapped function hands a reply over: returning it (completed
// without a QFuture) or returning toFuture() of it; each with Qt's default
// unlimited read buffer or a small one (the body is then read as it comes).
enum class Via { Reply, Future, ReplySmallBuffer, FutureSmallBuffer };

Crochet::EventualResult<NetworkResponse> startFetchVia(const QUrl &url, Via via)
{
    switch (via) {
    case Via::Reply:
        return startFetch(url);
    case Via::ReplySmallBuffer:
        return Crochet::runInReactor([](const QUrl &u) {
            QNetworkReply *reply = get(u);
            reply->setReadBufferSize(4096);
            return reply;
        })(url);
    case Via::Future:
        return Crochet::runInReactor([](const QUrl &u) { return Crochet::toFuture(get(u)); })(url);
    case Via::FutureSmallBuffer:
        return Crochet::runInReactor([](const QUrl &u) {
            QNetworkReply *reply = get(u);
            reply->setReadBufferSize(4096);
            return Crochet::toFuture(reply);
        })(url);
    }
    Q_UNREACHABLE();
}

//! Every Via, named for data rows.
const std::pair<const char *, Via> ways[] = {{"reply", Via::Reply},
                                             {"toFuture", Via::Future},
                                             {"reply, small buffer", Via::ReplySmallBuffer},
                                             {"toFuture, small buffer", Via::FutureSmallBuffer}};

int repliesOfManager()
{
    return int(Crochet::networkAccessManager()->findChildren<QNetworkReply *>().size());
}

} // namespace

class tst_Network : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        CrochetTest::setupLocalNetwork();
        QVERIFY(m_server.isListening());
    }

    void cleanup()
    {
        // Every reply is deleted once it finished or was aborted.
        QTRY_COMPARE_WITH_TIMEOUT(liveReplies.load(), 0, LongTimeoutMs);
        QCOMPARE(valueOf(Crochet::waitFor(LongTimeout, &repliesOfManager)).value_or(-1), 0);
    }

    void reactorThreadOnly()
    {
        try {
            Crochet::networkAccessManager();
            QFAIL("networkAccessManager() did not throw outside the reactor thread");
        } catch (const Crochet::ReactorThreadError &error) {
            QVERIFY2(error.message().contains(u"runInReactor"), qPrintable(error.message()));
            QVERIFY2(error.message().contains(u"waitFor"), qPrintable(error.message()));
        }
        std::atomic<bool> threwInThread = false;
        std::thread([&] {
            try {
                Crochet::networkAccessManager();
            } catch (const Crochet::ReactorThreadError &) {
                threwInThread = true;
            }
        }).join();
        QVERIFY(threwInThread);
        QVERIFY_THROWS_EXCEPTION(Crochet::ReactorThreadError, Crochet::lookupHost(u"localhost"_s));
    }

    void managerIsTheReactors()
    {
        const auto managerOf = Crochet::waitFor(LongTimeout, [] {
            QNetworkAccessManager *manager = Crochet::networkAccessManager();
            return std::make_pair(manager, manager == Crochet::networkAccessManager());
        });
        const auto first = valueOf(managerOf);
        const auto second = valueOf(managerOf);
        QVERIFY(first && second);
        const auto [manager, sameTwice] = *first;
        QVERIFY(manager);
        QVERIFY(sameTwice);
        QCOMPARE(second->first, manager);
        QCOMPARE(manager->thread(), Crochet::reactorThread());
        QCOMPARE(manager->redirectPolicy(), QNetworkRequest::NoLessSafeRedirectPolicy);
    }

    void statusIsAResponse_data()
    {
        QTest::addColumn<int>("status");
        for (int status : {200, 201, 400, 401, 403, 404, 410, 500, 503})
            QTest::addRow("%d", status) << status;
    }

    void statusIsAResponse()
    {
        QFETCH(int, status);
        const QUrl url = m_server.url(QStringLiteral("/status/%1").arg(status));
        const auto response = valueOf([&] { return fetch(url); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, status);
        QCOMPARE(response->url, url);
        QCOMPARE(response->body, "status " + QByteArray::number(status));
        QCOMPARE(response->text(), QStringLiteral("status %1").arg(status));
    }

    void body_data()
    {
        QTest::addColumn<Via>("via");
        QTest::addColumn<qint64>("size");
        const std::pair<const char *, qint64> sizes[] = {
            {"empty", 0}, {"one byte", 1}, {"100 kB", 100000}, {"3 MiB", 3 << 20}};
        for (const auto &[sizeName, size] : sizes) {
            for (const auto &[wayName, way] : ways)
                QTest::addRow("%s, %s", sizeName, wayName) << way << size;
        }
    }

    void body()
    {
        QFETCH(Via, via);
        QFETCH(qint64, size);
        const QUrl url = m_server.url(QStringLiteral("/bytes/%1").arg(size));
        const auto response = valueOf([&] { return startFetchVia(url, via).wait(LongTimeout); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QCOMPARE(response->body.size(), size);
        QVERIFY(response->body == CrochetTest::TestHttpServer::pattern(size));
        QCOMPARE(response->header("content-length"), QByteArray::number(size));
        QCOMPARE(response->header("CONTENT-TYPE"), QByteArray("text/plain"));
        QVERIFY(response->header("X-Not-There").isNull());
    }

    void redirectsGiveFinalUrl_data()
    {
        QTest::addColumn<int>("hops");
        QTest::newRow("one") << 1;
        QTest::newRow("three") << 3;
    }

    void redirectsGiveFinalUrl()
    {
        QFETCH(int, hops);
        const QUrl url = m_server.url(QStringLiteral("/redirect/%1/hops").arg(hops));
        const auto response = valueOf([&] { return fetch(url); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QCOMPARE(response->url, m_server.url(QStringLiteral("/redirect/0/hops")));
        QCOMPARE(response->body, QByteArray("redirected"));
    }

    void nonHttpSchemeHasNoStatus()
    {
        const auto response =
            valueOf([] { return fetch(QUrl(QStringLiteral("data:text/plain,hello"))); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 0);
        QCOMPARE(response->body, QByteArray("hello"));
    }

    void fileUrlHasStatus200_data()
    {
        QTest::addColumn<Via>("via");
        QTest::addColumn<QByteArray>("content");
        for (const auto &[wayName, way] : ways) {
            QTest::addRow("empty file, %s", wayName) << way << QByteArray();
            QTest::addRow("file of 5 bytes, %s", wayName) << way << QByteArray("hello");
        }
    }

    void fileUrlHasStatus200()
    {
        // Qt's file replies report 200 once they read some bytes, so never
        // for an empty file; NetworkResponse says 200 for both (network.h).
        QFETCH(Via, via);
        QFETCH(QByteArray, content);
        const QTemporaryDir directory;
        QVERIFY(directory.isValid());
        QFile file(directory.filePath(QStringLiteral("file.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
        file.close();
        const QUrl url = QUrl::fromLocalFile(file.fileName());
        const auto response = valueOf([&] { return startFetchVia(url, via).wait(LongTimeout); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QCOMPARE(response->body, content);
        QCOMPARE(response->url, url);
    }

    void invalidUrlFailsAtOnce_data()
    {
        QTest::addColumn<Via>("via");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        const std::pair<const char *, const char *> urls[] = {
            {"http://exa mple.com/", "hostname"}, {"http://[::1/", "hostname"},
            {"http://127.0.0.1:99999/", "port"},  {"https://127.0.0.1:65536/", "port"},
            {"http:///path", "host name"},        {"https://", "host name"},
            {"file://exa mple/x", "hostname"}};
        for (const auto &[url, reason] : urls) {
            for (const auto &[wayName, way] : ways) {
                QTest::addRow("%s, %s", url, wayName)
                    << way << QString::fromLatin1(url) << QString::fromLatin1(reason);
            }
        }
    }

    void invalidUrlFailsAtOnce()
    {
        // Qt would report "Host  not found" (no host, no URL) or "Connection
        // refused" (from port 80): the error says the URL is invalid.
        QFETCH(Via, via);
        QFETCH(QString, url);
        QFETCH(QString, reason);
        // Kept until the result is checked: a temporary QUrl would be freed
        // here while the reactor still reads the text it shares, through Qt's
        // reference counts, which ThreadSanitizer cannot see.
        const QUrl target(url);
        auto result = startFetchVia(target, via);
        // At once: failed by the call itself, not by a network event later.
        CrochetTest::flushReactor();
        QVERIFY(result.isReady());
        const auto error = networkErrorOf([&] { result.wait(0s); });
        QVERIFY(error);
        QCOMPARE(error->code(), QNetworkReply::ProtocolFailure);
        const QString message = error->message();
        QVERIFY2(message.contains(u"is invalid"), qPrintable(message));
        QVERIFY2(message.contains(u'"' + url + u'"'), qPrintable(message));
        QVERIFY2(message.contains(reason, Qt::CaseInsensitive), qPrintable(message));
        // cleanup() checks that the reply was deleted.
    }

    void timeoutAbortsReply()
    {
        const QString path = QStringLiteral("/slow/timeout");
        const auto impatientFetch = Crochet::waitFor(300ms, &get);
        QElapsedTimer timer;
        timer.start();
        QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, impatientFetch(m_server.url(path)));
        QVERIFY(timer.elapsed() >= 290);
        // The reply was aborted: the server sees its connection close.
        QTRY_COMPARE_WITH_TIMEOUT(m_server.abandoned(path), 1, LongTimeoutMs);
    }

    void failureIsANetworkError_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::addColumn<QNetworkReply::NetworkError>("code");
        QTest::newRow("connection refused")
            << QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(CrochetTest::closedPort()))
            << QNetworkReply::ConnectionRefusedError;
        QTest::newRow("closed mid-body") << m_server.url(QStringLiteral("/truncated/body"))
                                         << QNetworkReply::RemoteHostClosedError;
        QTest::newRow("host not found") << QUrl(QStringLiteral("http://doesnotexist.invalid/"))
                                        << QNetworkReply::HostNotFoundError;
    }

    void failureIsANetworkError()
    {
        QFETCH(QUrl, url);
        QFETCH(QNetworkReply::NetworkError, code);
        const auto error = networkErrorOf([&] { fetch(url); });
        QVERIFY(error);
        QCOMPARE(error->code(), code);
        QVERIFY2(error->message().contains(url.toString()), qPrintable(error->message()));
        // It kept its type and code through the QFuture; so does a copy.
        const std::unique_ptr<NetworkError> copy(error->clone());
        QCOMPARE(copy->code(), code);
        QCOMPARE(copy->message(), error->message());
    }

    void progress_data()
    {
        QTest::addColumn<Via>("via");
        QTest::addColumn<QString>("path");
        QTest::addColumn<double>("expected");
        for (const auto &[wayName, way] : ways) {
            QTest::addRow("known length, %s", wayName)
                << way << QStringLiteral("/hold/200000/progress-%1").arg(int(way)) << 0.5;
            QTest::addRow("unknown length, %s", wayName)
                << way << QStringLiteral("/hold-unknown/200000/progress-%1").arg(int(way)) << -1.0;
        }
    }

    void progress()
    {
        QFETCH(Via, via);
        QFETCH(QString, path);
        QFETCH(double, expected);
        // No reply is left from earlier tests (cleanup() checked it).
        lastReplyReceived = 0;
        auto result = startFetchVia(m_server.url(path), via);
        // The server sent half the body and holds the rest.
        QTRY_COMPARE_WITH_TIMEOUT(lastReplyReceived.load(), qint64(100000), LongTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(result.progress(), expected, LongTimeoutMs);
        QVERIFY(!result.isReady());
        result.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(m_server.abandoned(path), 1, LongTimeoutMs);
    }

    void cancelHalfWay()
    {
        const QString path = QStringLiteral("/hold/%1/cancel").arg(16 << 20);
        auto result = startFetch(m_server.url(path));
        QTRY_COMPARE_WITH_TIMEOUT(result.progress(), 0.5, LongTimeoutMs);
        result.cancel();
        // At once: cancel() does not wait for the reply to acknowledge.
        QVERIFY(result.isReady());
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(0s));
        QTRY_COMPARE_WITH_TIMEOUT(m_server.abandoned(path), 1, LongTimeoutMs);
    }

    void repliesInFlightAreCounted()
    {
        // The reactor's replies from start to finish, whoever holds them:
        // returned, made a QFuture, or kept by the function itself.
        QCOMPARE(Crochet::reactorStats().repliesInFlight, 0);
        const QString path = QStringLiteral("/slow/in-flight");
        auto returned = startFetchVia(m_server.url(path), Via::Reply);
        auto future = startFetchVia(m_server.url(path), Via::Future);
        QPointer<QNetworkReply> kept;
        Crochet::runInReactor([&kept](const QUrl &url) { kept = get(url); })(m_server.url(path))
            .wait(LongTimeout);
        QCOMPARE(Crochet::reactorStats().repliesInFlight, 3);
        returned.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(Crochet::reactorStats().repliesInFlight, 2, LongTimeoutMs);
        future.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(Crochet::reactorStats().repliesInFlight, 1, LongTimeoutMs);
        // Deleted unfinished, it is no longer in flight.
        Crochet::runInReactor([&kept] { delete kept.data(); })().wait(LongTimeout);
        QCOMPARE(Crochet::reactorStats().repliesInFlight, 0);
        // A reply that finishes leaves as it finishes.
        QVERIFY(valueOf([&] { return fetch(m_server.url(QStringLiteral("/bytes/10"))); }));
        QCOMPARE(Crochet::reactorStats().repliesInFlight, 0);
    }

    void functionMayReturnTheFuture()
    {
        const auto fetchFuture = Crochet::waitFor(
            LongTimeout, [](const QUrl &url) { return Crochet::toFuture(get(url)); });
        const QUrl url = m_server.url(QStringLiteral("/bytes/10"));
        const auto response = valueOf([&] { return fetchFuture(url); });
        QVERIFY(response);
        QCOMPARE(response->body, CrochetTest::TestHttpServer::pattern(10));
    }

    void nullReplyFails()
    {
        const auto nothing =
            Crochet::waitFor(LongTimeout, []() -> QNetworkReply * { return nullptr; });
        try {
            nothing();
            QFAIL("a null reply did not fail");
        } catch (const Crochet::Error &error) {
            QVERIFY2(error.message().contains(u"null"), qPrintable(error.message()));
        }
    }

    void deletedManagerFailsItsReplies()
    {
        // A manager of the user's own, deleted while its reply is pending:
        // the result fails at once instead of waiting for ever.
        const QString path = QStringLiteral("/hold/100000/deleted-manager");
        static QNetworkAccessManager *manager = nullptr;
        auto result = Crochet::runInReactor([](const QUrl &url) {
            manager = new QNetworkAccessManager;
            return manager->get(QNetworkRequest(url));
        })(m_server.url(path));
        QTRY_COMPARE_WITH_TIMEOUT(result.progress(), 0.5, LongTimeoutMs);
        Crochet::waitFor(LongTimeout, [] { delete std::exchange(manager, nullptr); })();
        const auto error = networkErrorOf([&] { result.wait(LongTimeout); });
        QVERIFY(error);
        QCOMPARE(error->code(), QNetworkReply::OperationCanceledError);
        QVERIFY2(error->message().contains(u"deleted"), qPrintable(error->message()));
        QTRY_COMPARE_WITH_TIMEOUT(m_server.abandoned(path), 1, LongTimeoutMs);
    }

    void replyOfAnotherThreadFails()
    {
        // This thread's manager: its reply lives here, not in the reactor.
        QNetworkAccessManager manager;
        QNetworkReply *reply = manager.get(QNetworkRequest(m_server.url(u"/bytes/1"_s)));
        const auto handOver = Crochet::waitFor(LongTimeout, [reply] { return reply; });
        try {
            handOver();
            QFAIL("a reply of another thread was accepted");
        } catch (const Crochet::ReactorThreadError &error) {
            QVERIFY2(error.message().contains(u"another thread"), qPrintable(error.message()));
        }
        QVERIFY(!reply->isFinished());
        delete reply;
    }

    void responseIsAMetatype()
    {
        const NetworkResponse response{
            204, QUrl(QStringLiteral("http://example.invalid/")), {{"A", "b"}}, "body"};
        const QVariant variant = QVariant::fromValue(response);
        QCOMPARE(variant.metaType(), QMetaType::fromType<NetworkResponse>());
        const auto copy = variant.value<NetworkResponse>();
        QCOMPARE(copy.statusCode, 204);
        QCOMPARE(copy.url, response.url);
        QCOMPARE(copy.headers, response.headers);
        QCOMPARE(copy.body, response.body);
    }

    void lookupHost_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("localhost") << QStringLiteral("localhost");
        QTest::newRow("address") << QStringLiteral("127.0.0.1");
    }

    void lookupHost()
    {
        QFETCH(QString, name);
        const auto lookup = Crochet::waitFor(LongTimeout, &Crochet::lookupHost);
        const auto addresses = valueOf([&] { return lookup(name); });
        QVERIFY(addresses);
        QVERIFY2(addresses->contains(QHostAddress(QHostAddress::LocalHost)),
                 qPrintable(QDebug::toString(*addresses)));
    }

    void lookupUnknownHost()
    {
        const auto lookup = Crochet::waitFor(LongTimeout, &Crochet::lookupHost);
        const auto error = networkErrorOf([&] { lookup(QStringLiteral("doesnotexist.invalid")); });
        QVERIFY(error);
        QCOMPARE(error->code(), QNetworkReply::HostNotFoundError);
        QVERIFY2(error->message().contains(u"doesnotexist.invalid"), qPrintable(error->message()));
    }

    void cancelledLookupIsIgnored()
    {
        const auto lookup = Crochet::runInReactor(&Crochet::lookupHost);
        for (int i = 0; i < 20; ++i) {
            auto result = lookup(QStringLiteral("localhost"));
            result.cancel();
            QVERIFY(result.isReady());
            try {
                // The lookup may have won the race; then it stands.
                QVERIFY(result.wait(0s).contains(QHostAddress(QHostAddress::LocalHost)));
            } catch (const Crochet::CancelledError &) {
            }
        }
        // The reactor is unharmed and later lookups work.
        QVERIFY(CrochetTest::waitValue(lookup(QStringLiteral("localhost"))).has_value());
    }

private:
    CrochetTest::TestHttpServer m_server;
};

QTEST_GUILESS_MAIN(tst_Network)
#include "tst_network.moc"
