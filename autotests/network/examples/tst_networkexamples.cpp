// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The network examples (blockingdns, downloader, workers), run as programs
// and checked from the outside: their output, exit status and web pages.

#include "networktesthelpers.h"
#include "reactorhelpers.h"
#include "testhttpserver.h"

#include <crochet/crochet.h>
#include <crochet/detail/tsan.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QTest>

#include <memory>

#include <signal.h>
#include <sys/prctl.h>

using namespace std::chrono_literals;
using CrochetTest::LongTimeout;
using CrochetTest::LongTimeoutMs;

namespace {

// A GET with the cookie the test passes, and none of the manager's jar:
// each Browser keeps its own cookie, like separate browsers would.
const auto getWithCookie =
    Crochet::waitFor(LongTimeout, [](const QUrl &url, const QByteArray &cookie) {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
        if (!cookie.isEmpty())
            request.setRawHeader("Cookie", cookie);
        return Crochet::networkAccessManager()->get(request);
    });

//! Visits one page again and again, keeping the cookie it sets.
class Browser
{
public:
    explicit Browser(const QUrl &page)
        : m_page(page)
    {}

    QString visit()
    {
        const auto response =
            CrochetTest::valueOf([this] { return getWithCookie(m_page, m_cookie); });
        if (!response)
            return {};
        const QByteArray setCookie = response->header("Set-Cookie");
        if (!setCookie.isNull()) {
            const QByteArray pair = setCookie.split(';').constFirst().trimmed();
            m_cookie = pair.endsWith('=') ? QByteArray() : pair;
        }
        return response->text();
    }

    //! Visits until the page contains \a text (each visit waits 0.1 s in the
    //! server); returns the last page.
    QString visitUntil(const QString &text)
    {
        const QDeadlineTimer deadline(LongTimeoutMs);
        QString page;
        do {
            page = visit();
        } while (!page.contains(text) && !deadline.hasExpired());
        return page;
    }

    QByteArray cookie() const { return m_cookie; }

private:
    QUrl m_page;
    QByteArray m_cookie;
};

// Child processes die with the test. Not under ThreadSanitizer: a modifier
// makes Qt fork() instead of vfork(), and code run in the forked child of
// a multi-threaded process trips TSan's own runtime (an internal CHECK);
// scripts/test runs TSan with die_after_fork=0, so vfork() is fine there.
void dieWithParent([[maybe_unused]] QProcess &process)
{
#if !defined(CROCHET_HAS_TSAN)
    process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
}

//! A running downloader example, stopped when destroyed.
class Downloader
{
public:
    explicit Downloader(const QUrl &url)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        dieWithParent(m_process);
        m_process.start(QStringLiteral(DOWNLOADER_PATH),
                        {QStringLiteral("--port"), QStringLiteral("0"), url.toString()});
        // It prints where it listens once it does.
        static const QRegularExpression listening(
            QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)\n"));
        const QDeadlineTimer deadline(LongTimeoutMs);
        QByteArray output;
        while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
            output += m_process.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                m_page = QUrl(match.captured(1) + u'/');
                return;
            }
            m_process.waitForReadyRead(int(qMin<qint64>(deadline.remainingTime(), 1000)));
        }
    }

    ~Downloader()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(LongTimeoutMs))
            m_process.kill();
        m_process.waitForFinished(LongTimeoutMs);
    }

    //! Its page, or an empty URL when it did not start listening.
    QUrl page() const { return m_page; }

private:
    QProcess m_process;
    QUrl m_page;
};

struct Run
{
    int exitCode = -1;
    QString output;
    QString errors;
};

Run run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    dieWithParent(process);
    process.start(program, arguments);
    Run result;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        result.errors = QStringLiteral("did not finish in time");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromUtf8(process.readAllStandardOutput());
    result.errors = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace

class tst_NetworkExamples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        CrochetTest::setupLocalNetwork();
        QVERIFY(m_server.isListening());
        // The reactor's manager answers (and has started its thread).
        const QUrl url = m_server.url(QStringLiteral("/bytes/1"));
        QVERIFY(CrochetTest::valueOf([&] { return getWithCookie(url, QByteArray()); }));
    }

    void blockingdnsFindsLocalhost()
    {
        const Run result = run(QStringLiteral(BLOCKINGDNS_PATH), {QStringLiteral("localhost")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors));
        static const QRegularExpression line(QStringLiteral("^localhost -> (.+)\n$"));
        const auto match = line.match(result.output);
        QVERIFY2(match.hasMatch(), qPrintable(result.output));
        QVERIFY2(match.captured(1).split(QStringLiteral(", ")).contains(u"127.0.0.1"),
                 qPrintable(result.output));
    }

    void blockingdnsReportsUnknownHost()
    {
        const Run result =
            run(QStringLiteral(BLOCKINGDNS_PATH), {QStringLiteral("doesnotexist.invalid")});
        QVERIFY(result.exitCode > 0);
        QVERIFY(result.output.isEmpty());
        QVERIFY2(result.errors.contains(u"doesnotexist.invalid") &&
                     result.errors.contains(u"not found", Qt::CaseInsensitive),
                 qPrintable(result.errors));
    }

    void downloaderShowsProgressThenPage()
    {
        const Downloader downloader(m_server.url(QStringLiteral("/gate/downloader")));
        QVERIFY(downloader.page().isValid());
        Browser browser(downloader.page());

        QVERIFY2(browser.visit().contains(u"Starting the download"), "first visit");
        QVERIFY(browser.cookie().startsWith("download="));
        // The slow server has not answered: each refresh finds it running.
        for (int i = 0; i < 2; ++i) {
            const QString page = browser.visit();
            QVERIFY2(page.contains(u"Download in progress..."), qPrintable(page));
            QVERIFY(browser.cookie().startsWith("download="));
        }

        m_server.open(QStringLiteral("downloader"));
        const QString page = browser.visitUntil(QStringLiteral("gate downloader opened"));
        QVERIFY2(page.contains(u"gate downloader opened"), qPrintable(page));
        QVERIFY2(page.contains(u"HTTP 200"), qPrintable(page));
        QVERIFY(browser.cookie().isEmpty());
        // The next visit starts over.
        QVERIFY(browser.visit().contains(u"Starting the download"));
    }

    void downloaderShowsTraceback()
    {
        const quint16 port = CrochetTest::closedPort();
        QVERIFY(port != 0);
        const Downloader downloader(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
        QVERIFY(downloader.page().isValid());
        Browser browser(downloader.page());
        QVERIFY(browser.visit().contains(u"Starting the download"));
        const QString page = browser.visitUntil(QStringLiteral("Download failed"));
        QVERIFY2(page.contains(u"Download failed"), qPrintable(page));
        QVERIFY2(page.contains(u"Traceback"), qPrintable(page));
        QVERIFY2(page.contains(u"Crochet::NetworkError"), qPrintable(page));
        QVERIFY2(page.contains(u"Connection refused"), qPrintable(page));
        QVERIFY(browser.cookie().isEmpty());
    }

    void workersServesItself()
    {
        const Run result = run(QStringLiteral(WORKERS_PATH), {QStringLiteral("--serve")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.output + result.errors));
        QVERIFY2(result.output.contains(u"all 57 results as expected"), qPrintable(result.output));
        QVERIFY2(result.output.contains(u"56 x HTTP 200, 1 x HTTP 404; failures: 0"),
                 qPrintable(result.output));
    }

    void workersWithUrls_data()
    {
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<bool>("refusedToo");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("answers");
        const QStringList paths = {QStringLiteral("/bytes/10"), QStringLiteral("/bytes/20"),
                                   QStringLiteral("/status/404")};
        QTest::newRow("answers") << paths << false << 0
                                 << QStringLiteral(
                                        "2 x HTTP 200, 1 x HTTP 404; failures: 0; bytes: 40");
        QTest::newRow("a refused one") << paths << true << 1 << QStringLiteral("failures: 1");
    }

    void workersWithUrls()
    {
        QFETCH(QStringList, paths);
        QFETCH(bool, refusedToo);
        QFETCH(int, exitCode);
        QFETCH(QString, answers);
        QStringList arguments = {QStringLiteral("--threads"), QStringLiteral("2")};
        for (const QString &path : paths)
            arguments += m_server.url(path).toString();
        if (refusedToo)
            arguments += QStringLiteral("http://127.0.0.1:%1/").arg(CrochetTest::closedPort());
        const Run result = run(QStringLiteral(WORKERS_PATH), arguments);
        QVERIFY2(result.exitCode == exitCode, qPrintable(result.output + result.errors));
        QVERIFY2(result.output.contains(answers), qPrintable(result.output));
        QCOMPARE(result.output.contains(u"failed: "), refusedToo);
    }

private:
    CrochetTest::TestHttpServer m_server;
};

QTEST_GUILESS_MAIN(tst_NetworkExamples)
#include "tst_networkexamples.moc"
