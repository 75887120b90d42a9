// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Downloads through the reactor from a real HTTP server we did not write:
// python3's http.server on 127.0.0.1, serving files from a temporary directory.

#include "networktesthelpers.h"
#include "pythonhttpserver.h"
#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxyFactory>
#include <QtTest/QTest>

#include <memory>
#include <thread>

using namespace std::chrono_literals;
using Crochet::NetworkResponse;
using CrochetTest::LongTimeout;

namespace {

constexpr qint64 BigSize = 12 << 20;

QNetworkReply *get(const QUrl &url)
{
    QNetworkReply *reply = Crochet::networkAccessManager()->get(QNetworkRequest(url));
    // A bounded read buffer makes the download arrive in many steps even
    // when the reactor is slow to run, so that the test can see it progress.
    reply->setReadBufferSize(256 * 1024);
    return reply;
}

const auto fetch = Crochet::waitFor(LongTimeout, &get);

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

} // namespace

class tst_NetworkPython : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Everything here is on 127.0.0.1: no system proxy may get involved.
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        Crochet::setup();
        QVERIFY(m_directory.isValid());
        m_small = "A small file, served by python3 -m http.server.\n";
        m_big.resize(BigSize);
        QRandomGenerator generator(20260101);
        generator.fillRange(reinterpret_cast<quint32 *>(m_big.data()), BigSize / 4);
        QVERIFY(writeFile(m_directory.filePath(QStringLiteral("small.txt")), m_small));
        QVERIFY(writeFile(m_directory.filePath(QStringLiteral("big.bin")), m_big));
        m_server = std::make_unique<CrochetTest::PythonHttpServer>(m_directory.path());
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    }

    void cleanupTestCase() { m_server.reset(); }

    void smallFile()
    {
        const QUrl url = m_server->url(QStringLiteral("small.txt"));
        const auto response = CrochetTest::valueOf([&] { return fetch(url); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QCOMPARE(response->url, url);
        QCOMPARE(response->body, m_small);
        QCOMPARE(response->header("Content-Length"), QByteArray::number(m_small.size()));
        QVERIFY(response->header("Server").startsWith("SimpleHTTP"));
    }

    void missingFile()
    {
        const QUrl url = m_server->url(QStringLiteral("missing.txt"));
        const auto response = CrochetTest::valueOf([&] { return fetch(url); });
        QVERIFY(response);
        QCOMPARE(response->statusCode, 404);
    }

    void bigFileReportsProgress()
    {
        auto result = Crochet::runInReactor(&get)(m_server->url(QStringLiteral("big.bin")));
        // Read progress() as fast as possible while the download runs.
        double last = -1;
        bool sawPart = false;
        bool monotonic = true;
        const QDeadlineTimer deadline(CrochetTest::LongTimeoutMs);
        while (!result.isReady() && !deadline.hasExpired()) {
            const double progress = result.progress();
            sawPart = sawPart || (progress > 0 && progress < 1);
            monotonic = monotonic && progress >= last;
            last = progress;
            std::this_thread::yield();
        }
        const auto response = CrochetTest::waitValue(result);
        QVERIFY(response);
        QCOMPARE(response->statusCode, 200);
        QCOMPARE(response->body.size(), BigSize);
        QVERIFY(response->body == m_big);
        QVERIFY2(sawPart, "progress() never showed a part of the download");
        QVERIFY(monotonic);
        QCOMPARE(result.progress(), 1.0);
    }

private:
    QTemporaryDir m_directory;
    QByteArray m_small;
    QByteArray m_big;
    std::unique_ptr<CrochetTest::PythonHttpServer> m_server;
};

QTEST_GUILESS_MAIN(tst_NetworkPython)
#include "tst_networkpython.moc"
