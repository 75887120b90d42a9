// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// HTTPS through the reactor against a real server we did not write: nginx on
// 127.0.0.1, with a certificate authority and a server certificate made for
// the run. Untrusted by default; trusted per request, by default or by
// ignoring the known errors; Qt's cached connection and how to clear it; a
// large download cancelled half way.
//
// Every test gets an nginx of its own, on a new port: Qt keeps a connection
// per scheme, host and port with the TLS configuration of the request that
// opened it (see qtKeepsTheFirstConfiguration()), so tests that shared a
// server would see each other's trust decisions.

#include "networktesthelpers.h"
#include "nginxserver.h"
#include "reactorhelpers.h"
#include "testcertificates.h"

#include <crochet/crochet.h>

#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#include <QtTest/QTest>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

using namespace std::chrono_literals;
using CrochetTest::LongTimeout;
using CrochetTest::LongTimeoutMs;
using CrochetTest::networkErrorOf;
using CrochetTest::NginxServer;
using CrochetTest::valueOf;

namespace {

constexpr qint64 SmallSize = 1 << 10;
constexpr qint64 BigSize = 32 << 20;
// /slow/ sends the big file in four seconds: slow enough to cancel it half
// way, whatever the machine's load.
constexpr qint64 SlowRate = 8 << 20;

// Replies the tests created and that are not destroyed yet: none may leak.
std::atomic<int> liveReplies{0};

// Reactor thread: a GET through the reactor's manager, counted.
QNetworkReply *get(const QNetworkRequest &request)
{
    QNetworkReply *reply = Crochet::networkAccessManager()->get(request);
    ++liveReplies;
    QObject::connect(reply, &QObject::destroyed, [] { --liveReplies; });
    return reply;
}

const auto fetch = Crochet::waitFor(LongTimeout, &get);

int repliesOfManager()
{
    return int(Crochet::networkAccessManager()->findChildren<QNetworkReply *>().size());
}

//! A request for \a url that trusts \a ca besides the system's authorities.
QNetworkRequest trusting(const QUrl &url, const QSslCertificate &ca)
{
    QNetworkRequest request(url);
    QSslConfiguration configuration = request.sslConfiguration();
    configuration.addCaCertificate(ca);
    request.setSslConfiguration(configuration);
    return request;
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

/*!
    An sslErrors() handler on the reactor's manager for as long as it lives:
    on every reply it ignores the errors in \a ignored and no others, and
    it records the errors it was given. Connected and disconnected in the
    reactor thread, where the manager emits the signal.
*/
class IgnoreSslErrorsOnManager
{
public:
    explicit IgnoreSslErrorsOnManager(const QList<QSslError> &ignored)
        : m_seen(std::make_shared<Seen>())
    {
        const auto connect = Crochet::waitFor(LongTimeout, [ignored, seen = m_seen] {
            QNetworkAccessManager *manager = Crochet::networkAccessManager();
            return QObject::connect(
                manager, &QNetworkAccessManager::sslErrors, manager,
                [ignored, seen](QNetworkReply *reply, const QList<QSslError> &errors) {
                    {
                        std::lock_guard guard(seen->mutex);
                        seen->errors += errors;
                    }
                    reply->ignoreSslErrors(ignored);
                });
        });
        m_connection = valueOf(connect).value_or(QMetaObject::Connection());
    }

    ~IgnoreSslErrorsOnManager() { disconnect(); }
    IgnoreSslErrorsOnManager(const IgnoreSslErrorsOnManager &) = delete;
    IgnoreSslErrorsOnManager &operator=(const IgnoreSslErrorsOnManager &) = delete;

    bool isConnected() const { return bool(m_connection); }

    //! Disconnects the handler; true when it was connected until then.
    bool disconnect()
    {
        if (!m_connection)
            return false;
        const auto disconnect =
            Crochet::waitFor(LongTimeout, [connection = std::exchange(m_connection, {})] {
                return QObject::disconnect(connection);
            });
        return valueOf(disconnect).value_or(false);
    }

    QList<QSslError> seen() const
    {
        std::lock_guard guard(m_seen->mutex);
        return m_seen->errors;
    }

private:
    struct Seen
    {
        std::mutex mutex;
        QList<QSslError> errors;
    };
    std::shared_ptr<Seen> m_seen;
    QMetaObject::Connection m_connection;
};

/*!
    A plain QNetworkAccessManager in a QThread of its own, without Crochet:
    what Qt itself does. Each call blocks until the manager's thread ran it.
*/
class PlainManager
{
public:
    struct Result
    {
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QByteArray body;
    };

    PlainManager()
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        run([this] { m_manager = new QNetworkAccessManager(&m_context); });
    }

    ~PlainManager()
    {
        QThread *home = QThread::currentThread();
        run([this, home] {
            delete m_manager;
            m_context.moveToThread(home);
        });
        m_thread.quit();
        m_thread.wait();
    }

    PlainManager(const PlainManager &) = delete;
    PlainManager &operator=(const PlainManager &) = delete;

    //! GETs \a request; OperationCanceledError when it did not finish in time.
    Result get(const QNetworkRequest &request)
    {
        Result result;
        run([&] {
            QNetworkReply *reply = m_manager->get(request);
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(LongTimeout, &loop, &QEventLoop::quit);
            if (!reply->isFinished())
                loop.exec();
            if (!reply->isFinished())
                reply->abort();
            result = {reply->error(), reply->readAll()};
            delete reply;
        });
        return result;
    }

    void clearConnectionCache()
    {
        run([this] { m_manager->clearConnectionCache(); });
    }

private:
    template <typename Function>
    void run(Function function)
    {
        QMetaObject::invokeMethod(&m_context, function, Qt::BlockingQueuedConnection);
    }

    QThread m_thread;
    QObject m_context;
    QNetworkAccessManager *m_manager = nullptr;
};

} // namespace

class tst_NetworkTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        CrochetTest::setupLocalNetwork();
        QVERIFY(m_certificateDirectory.isValid());
        QVERIFY2(m_certificates.create(m_certificateDirectory.path()),
                 qPrintable(m_certificates.errorString()));
        QVERIFY(m_files.isValid());
        // Every byte value, four times.
        m_small.resize(SmallSize);
        for (qsizetype i = 0; i < SmallSize; ++i)
            m_small[i] = char(i);
        QByteArray big(BigSize, Qt::Uninitialized);
        QRandomGenerator generator(20260101);
        generator.fillRange(reinterpret_cast<quint32 *>(big.data()), BigSize / 4);
        QVERIFY(writeFile(m_files.filePath(QStringLiteral("small.bin")), m_small));
        QVERIFY(writeFile(m_files.filePath(QStringLiteral("big.bin")), big));
    }

    void init()
    {
        m_server = std::make_unique<NginxServer>(m_files.path());
        m_server->setCertificate(m_certificates.certificateFile(), m_certificates.keyFile());
        m_server->setSlowRate(SlowRate);
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    }

    void cleanup()
    {
        // Every reply is deleted once it finished or was aborted.
        QTRY_COMPARE_WITH_TIMEOUT(liveReplies.load(), 0, LongTimeoutMs);
        QCOMPARE(valueOf(Crochet::waitFor(LongTimeout, &repliesOfManager)).value_or(-1), 0);
        m_server.reset();
    }

    void untrustedCertificateFails()
    {
        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const auto error = networkErrorOf([&] { fetch(QNetworkRequest(url)); });
        QVERIFY(error);
        QCOMPARE(error->code(), QNetworkReply::SslHandshakeFailedError);
        // Qt's text: the handshake, and why the chain was refused (nginx
        // sends the server's certificate only, whose issuer nobody trusts).
        const QString issuerUnknown =
            QSslError(QSslError::UnableToGetLocalIssuerCertificate).errorString();
        QVERIFY2(error->message().contains(u"SSL handshake failed"), qPrintable(error->message()));
        QVERIFY2(error->message().contains(issuerUnknown), qPrintable(error->message()));
        QVERIFY2(error->message().contains(url.toDisplayString()), qPrintable(error->message()));
        // nginx refused the connection before any request.
        QVERIFY(m_server->accessLog().isEmpty());
    }

    void caOnTheRequest()
    {
        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const auto response = valueOf([&] { return fetch(trusting(url, m_certificates.ca())); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QCOMPARE(response->url, url);
        QCOMPARE(response->body.size(), SmallSize);
        QVERIFY(response->body == m_small);
        QVERIFY(response->header("Server").startsWith("nginx"));
    }

    void caInTheDefaultConfiguration()
    {
        // Process-global: restored whatever happens, or the tests after this
        // one would trust the server (untrustedAfterClearing() checks that).
        const QSslConfiguration previous = QSslConfiguration::defaultConfiguration();
        const auto restore =
            qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(previous); });
        QSslConfiguration trustingDefault = previous;
        trustingDefault.addCaCertificate(m_certificates.ca());
        QSslConfiguration::setDefaultConfiguration(trustingDefault);

        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const auto response = valueOf([&] { return fetch(QNetworkRequest(url)); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QVERIFY(response->body == m_small);
    }

    void ignoreErrorsOfTheKnownCertificate()
    {
        // Exactly what Qt reports for this chain, for this certificate only.
        const QSslCertificate server = m_certificates.serverCertificate();
        const QList<QSslError> expected = {
            QSslError(QSslError::UnableToGetLocalIssuerCertificate, server),
            QSslError(QSslError::UnableToVerifyFirstCertificate, server)};
        IgnoreSslErrorsOnManager handler(expected);
        QVERIFY(handler.isConnected());

        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const auto response = valueOf([&] { return fetch(QNetworkRequest(url)); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QVERIFY(response->body == m_small);
        QCOMPARE(handler.seen(), expected);
        QVERIFY(handler.disconnect());
    }

    void ignoringAnotherCertificateFails()
    {
        // The same errors for another certificate (the authority's) do not
        // match the server's: the handshake fails as if nothing was ignored.
        const QSslCertificate other = m_certificates.ca();
        IgnoreSslErrorsOnManager handler(
            {QSslError(QSslError::UnableToGetLocalIssuerCertificate, other),
             QSslError(QSslError::UnableToVerifyFirstCertificate, other)});
        QVERIFY(handler.isConnected());

        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const auto error = networkErrorOf([&] { fetch(QNetworkRequest(url)); });
        QVERIFY(error);
        QCOMPARE(error->code(), QNetworkReply::SslHandshakeFailedError);
        QCOMPARE(handler.seen().size(), 2);
        QVERIFY(handler.disconnect());
    }

    void qtKeepsTheFirstConfiguration()
    {
        // Qt 6.4 itself, no Crochet: a manager's HTTP thread caches one
        // connection object per scheme, host, port, proxy and peer verify
        // name, and gives it the TLS configuration of the request that
        // created it; later requests reuse it, whatever their own.
        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const QNetworkRequest withCa = trusting(url, m_certificates.ca());
        PlainManager manager;
        QCOMPARE(manager.get(QNetworkRequest(url)).error, QNetworkReply::SslHandshakeFailedError);
        QCOMPARE(manager.get(withCa).error, QNetworkReply::SslHandshakeFailedError);
        // Another manager has no such connection.
        PlainManager other;
        QCOMPARE(other.get(withCa).error, QNetworkReply::NoError);
        // Clearing the cache stops the manager's HTTP thread, and with it
        // the cached connections.
        manager.clearConnectionCache();
        const PlainManager::Result cleared = manager.get(withCa);
        QCOMPARE(cleared.error, QNetworkReply::NoError);
        QVERIFY(cleared.body == m_small);

        // The other way round: trust granted to the first request outlives
        // its TCP connection. The server closes it after the answer
        // (Connection: close), and a request with the default configuration,
        // which does not trust the authority, passes a new handshake.
        QNetworkRequest closing = withCa;
        closing.setRawHeader("Connection", "close");
        PlainManager trustingFirst;
        QCOMPARE(trustingFirst.get(closing).error, QNetworkReply::NoError);
        QCOMPARE(trustingFirst.get(QNetworkRequest(url)).error, QNetworkReply::NoError);
        const QList<NginxServer::AccessLogEntry> log = m_server->accessLog();
        QCOMPARE(log.size(), 4);
        QVERIFY2(log[3].connection != log[2].connection, "the last request reused a connection");
    }

    void untrustedAfterClearing()
    {
        // Through the reactor: a failed handshake, the documented step, and
        // the same host trusted with the authority.
        const QUrl url = m_server->url(QStringLiteral("small.bin"));
        const auto error = networkErrorOf([&] { fetch(QNetworkRequest(url)); });
        QVERIFY(error);
        QCOMPARE(error->code(), QNetworkReply::SslHandshakeFailedError);
        const auto cleared = Crochet::waitFor(LongTimeout, [] {
            Crochet::networkAccessManager()->clearConnectionCache();
            return true;
        });
        QVERIFY(valueOf(cleared));
        const auto response = valueOf([&] { return fetch(trusting(url, m_certificates.ca())); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QVERIFY(response->body == m_small);
    }

    void cancelHalfWay()
    {
        const QString path = QStringLiteral("slow/big.bin");
        auto result =
            Crochet::runInReactor(&get)(trusting(m_server->url(path), m_certificates.ca()));
        QTRY_VERIFY_WITH_TIMEOUT(result.progress() >= 0.25, LongTimeoutMs);
        result.cancel();
        // At once: cancel() does not wait for the reply to acknowledge.
        QVERIFY(result.isReady());
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, result.wait(0s));

        // nginx logs a request when it is done with it: here when it found
        // the connection closed, part of the body sent.
        std::optional<NginxServer::AccessLogEntry> entry;
        QTRY_VERIFY_WITH_TIMEOUT((entry = logged(u'/' + path)).has_value(), LongTimeoutMs);
        QCOMPARE(entry->status, 200);
        QVERIFY(!entry->complete);
        QVERIFY2(entry->bodyBytesSent >= BigSize / 4 && entry->bodyBytesSent < BigSize,
                 qPrintable(QString::number(entry->bodyBytesSent)));
        // And the reply is gone.
        QTRY_COMPARE_WITH_TIMEOUT(liveReplies.load(), 0, LongTimeoutMs);
        QCOMPARE(valueOf(Crochet::waitFor(LongTimeout, &repliesOfManager)).value_or(-1), 0);
    }

private:
    std::optional<NginxServer::AccessLogEntry> logged(const QString &path) const
    {
        for (const NginxServer::AccessLogEntry &entry : m_server->accessLog()) {
            if (entry.path == path)
                return entry;
        }
        return std::nullopt;
    }

    QTemporaryDir m_certificateDirectory;
    CrochetTest::TestCertificates m_certificates;
    QTemporaryDir m_files;
    QByteArray m_small;
    std::unique_ptr<NginxServer> m_server;
};

QTEST_GUILESS_MAIN(tst_NetworkTls)
#include "tst_networktls.moc"
