// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Stopping the reactor in the middle of network operations: pending results
// fail with ReactorStopped, replies and the manager are destroyed in the
// reactor thread, connections close. A binary of its own, since the reactor
// of a process stops only once.

#include "networktesthelpers.h"
#include "reactorhelpers.h"
#include "testhttpserver.h"

#include <crochet/crochet.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QTest>

#include <atomic>

using namespace std::chrono_literals;
using CrochetTest::LongTimeout;
using CrochetTest::LongTimeoutMs;

namespace {

std::atomic<int> liveReplies{0};
std::atomic<QThread *> managerDestroyedIn{nullptr};

QNetworkReply *get(const QUrl &url)
{
    QNetworkAccessManager *manager = Crochet::networkAccessManager();
    QObject::connect(manager, &QObject::destroyed,
                     [] { managerDestroyedIn = QThread::currentThread(); });
    QNetworkReply *reply = manager->get(QNetworkRequest(url));
    ++liveReplies;
    QObject::connect(reply, &QObject::destroyed, [] { --liveReplies; });
    return reply;
}

} // namespace

class tst_NetworkShutdown : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        CrochetTest::setupLocalNetwork();
        QVERIFY(m_server.isListening());
    }

    void shutdownDuringDownload()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        QThread *const reactor = Crochet::reactorThread();
        const QString path = QStringLiteral("/hold/1000/shutdown");
        auto download = Crochet::runInReactor(&get)(m_server.url(path));
        auto lookup = Crochet::runInReactor(&Crochet::lookupHost)(QStringLiteral("localhost"));
        QTRY_COMPARE_WITH_TIMEOUT(download.progress(), 0.5, LongTimeoutMs);

        Crochet::shutdown();

        QVERIFY_THROWS_EXCEPTION(Crochet::ReactorStopped, download.wait(0s));
        try {
            // The lookup may have been answered before the reactor stopped.
            QVERIFY(lookup.wait(0s).contains(QHostAddress(QHostAddress::LocalHost)));
        } catch (const Crochet::ReactorStopped &) {
        }
        QCOMPARE(liveReplies.load(), 0);
        QCOMPARE(managerDestroyedIn.load(), reactor);
        QTRY_COMPARE_WITH_TIMEOUT(m_server.abandoned(path), 1, LongTimeoutMs);
        QVERIFY_THROWS_EXCEPTION(Crochet::ReactorStopped,
                                 Crochet::waitFor(LongTimeout, &get)(m_server.url(path)));
    }

private:
    CrochetTest::TestHttpServer m_server;
};

QTEST_GUILESS_MAIN(tst_NetworkShutdown)
#include "tst_networkshutdown.moc"
