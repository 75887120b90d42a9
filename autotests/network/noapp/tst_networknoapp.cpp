// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Qt Network through the reactor in a process that never creates an
// application object: a plain main() and Crochet::setup(), as a user would
// write it. Qt 6.4 does not deliver events in a QThread while no application
// object exists, which its HTTP thread and QHostInfo need; this test binary
// has QTest's QCoreApplication, so each scenario runs in a child process
// (networknoappscenario.cpp) against servers started here, on 127.0.0.1 and
// ports the system picks. Each child must print what is expected, exit with
// status 0 and print nothing at all on stderr.

#include "childprocess.h"
#include "pythonhttpserver.h"
#include "scenarioprocess.h"
#include "testcertificates.h"
#include "testhttpserver.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <memory>

using CrochetTest::ChildResult;
using CrochetTest::lines;
using CrochetTest::ScenarioProcess;

namespace {

// How long a child may run before it is killed and reported as hung: longer
// than its own timeouts (15 s a call), so that it reports a hang itself.
constexpr int HangMs = 60000;
// A child that is expected to exit promptly does so in well under a second;
// this is generous for a loaded machine.
constexpr qint64 PromptExitMs = 5000;
// How long the server may take to see the connection of an aborted reply
// close, which happens at once. Not longer: QTRY waits twice as long again
// before it reports a failure.
constexpr int AbortSeenMs = 10000;
// How long python3 may take to do its part.
constexpr int ToolTimeoutMs = 30000;

constexpr qsizetype RandomBodySize = 100 * 1024;

//! The lines a child prints for a response with \a body and status 200.
QByteArray responseLines(const QByteArray &body)
{
    return lines({"status: 200", "size: " + QByteArray::number(body.size()),
                  "sha256: " + QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex()});
}

//! Bytes that are the same in every run and look random: a shifted or lost
//! chunk, or a wrong byte anywhere, changes the checksum.
QByteArray pseudoRandomBytes(qsizetype size)
{
    QRandomGenerator generator(20260401);
    QList<quint32> words(size / qsizetype(sizeof(quint32)) + 1);
    generator.fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.constData()), size);
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

//! Runs networknoappscenario to run \a scenario with \a arguments.
ChildResult runScenario(const QString &scenario, const QStringList &arguments = {})
{
    return CrochetTest::runChild(QStringLiteral(NETWORKNOAPP_SCENARIO_PATH),
                                 QStringList{scenario} + arguments, HangMs);
}

/*!
    An HTTPS server we did not write: tlshttpserver.py (python3's http.server
    wrapped in its ssl module) serving a directory on 127.0.0.1, on the port
    it picked and printed, for the life of the object.
*/
class TlsHttpServer
{
public:
    TlsHttpServer() { CrochetTest::dieWithParent(m_process); }
    ~TlsHttpServer() { CrochetTest::stopChild(m_process, ToolTimeoutMs); }

    TlsHttpServer(const TlsHttpServer &) = delete;
    TlsHttpServer &operator=(const TlsHttpServer &) = delete;

    //! Starts the server and returns once it listens; false (with the reason
    //! in errorString()) when it could not be started.
    bool start(const QString &certificate, const QString &key, const QString &directory)
    {
        m_process.start(QStringLiteral("python3"),
                        {QStringLiteral(TLS_HTTP_SERVER_SCRIPT), certificate, key, directory});
        const QDeadlineTimer deadline(ToolTimeoutMs);
        while (!m_process.canReadLine()) {
            if (m_process.state() == QProcess::NotRunning || deadline.hasExpired()) {
                m_error = QStringLiteral("tlshttpserver.py did not print its port: %1\n%2")
                              .arg(m_process.errorString(),
                                   QString::fromLocal8Bit(m_process.readAllStandardError()));
                return false;
            }
            m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        bool isNumber = false;
        m_port = m_process.readLine().trimmed().toUShort(&isNumber);
        if (!isNumber || m_port == 0) {
            m_error = QStringLiteral("tlshttpserver.py printed no port");
            return false;
        }
        return true;
    }

    QString errorString() const { return m_error; }
    //! https://127.0.0.1:<port>/<fileName>
    QUrl url(const QString &fileName) const
    {
        return QUrl(QStringLiteral("https://127.0.0.1:%1/%2").arg(m_port).arg(fileName));
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace

class tst_NetworkNoApp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void getByteExactBody();
    void getOverTls();
    void lookupHost();
    void timeoutAbortsReply();
    void shutdownMidDownload();
    void exitWithoutShutdown();
    void ownManagerFailsAtOnce();
    void exitRightAfterSetup();

private:
    CrochetTest::TestHttpServer m_server;
    QTemporaryDir m_files;
    QByteArray m_randomBody;
    std::unique_ptr<CrochetTest::PythonHttpServer> m_pythonServer;
};

void tst_NetworkNoApp::initTestCase()
{
    QVERIFY(m_server.isListening());
    QVERIFY2(m_files.isValid(), qPrintable(m_files.errorString()));
    m_randomBody = pseudoRandomBytes(RandomBodySize);
    QVERIFY(writeFile(m_files.filePath(QStringLiteral("random.bin")), m_randomBody));
    m_pythonServer = std::make_unique<CrochetTest::PythonHttpServer>(m_files.path());
    QVERIFY2(m_pythonServer->start(), qPrintable(m_pythonServer->errorString()));
}

// 1. A GET of 100 KiB of pseudo-random bytes from python's http.server: the
// child prints the size and SHA-256 of the body it got.
void tst_NetworkNoApp::getByteExactBody()
{
    const ChildResult child =
        runScenario(QStringLiteral("get-bytes"),
                    {m_pythonServer->url(QStringLiteral("random.bin")).toString()});
    const QByteArray problems = child.problems(responseLines(m_randomBody));
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 2. HTTPS from a python server with a certificate made here for 127.0.0.1,
// signed by a CA made here: the child, which reads the CA in the reactor and
// adds it to the request's QSslConfiguration, gets the exact body; without
// the CA it is refused (so the certificate really is checked).
void tst_NetworkNoApp::getOverTls()
{
    QTemporaryDir directory;
    QVERIFY2(directory.isValid(), qPrintable(directory.errorString()));
    CrochetTest::TestCertificates certificates;
    QVERIFY2(certificates.create(directory.path()), qPrintable(certificates.errorString()));

    TlsHttpServer server;
    QVERIFY2(server.start(certificates.certificateFile(), certificates.keyFile(), m_files.path()),
             qPrintable(server.errorString()));

    const ChildResult child =
        runScenario(QStringLiteral("get-over-tls"),
                    {server.url(QStringLiteral("random.bin")).toString(), certificates.caFile()});
    const QByteArray problems = child.problems(
        responseLines(m_randomBody) + "without the CA: NetworkError SslHandshakeFailedError\n");
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 3. lookupHost(): localhost resolves to a loopback address, a name under
// .invalid (RFC 6761: never resolves, no internet needed) fails with
// HostNotFoundError.
void tst_NetworkNoApp::lookupHost()
{
    const ChildResult child = runScenario(QStringLiteral("lookup-hosts"));
    const QByteArray problems = child.problems(lines(
        {"localhost: a loopback address", "nonexistent.invalid: NetworkError HostNotFoundError"}));
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 4. waitFor(300ms) on a path the server never answers: TimeoutError in the
// child, and the reply is aborted: the server sees the request abandoned
// while the child is still alive (it waits for the test's word to exit).
void tst_NetworkNoApp::timeoutAbortsReply()
{
    const QString path = QStringLiteral("/slow/noapp-timeout");
    ScenarioProcess child(QStringLiteral(NETWORKNOAPP_SCENARIO_PATH),
                          {QStringLiteral("timeout-aborts-reply"), m_server.url(path).toString()},
                          HangMs);
    if (!child.waitForFirstLine())
        QFAIL("the child printed no line:\n" + child.finish().report());
    QTRY_VERIFY2_WITH_TIMEOUT(m_server.abandoned(path) == 1,
                              QByteArray("the server did not see the request abandoned; "
                                         "connections accepted " +
                                         QByteArray::number(m_server.connectionsAccepted()) +
                                         ", closed " +
                                         QByteArray::number(m_server.connectionsClosed()) +
                                         "\nthe child so far:\n" + child.output())
                                  .constData(),
                              AbortSeenMs);
    if (!child.isRunning())
        QFAIL("the connection closed because the child had exited:\n" + child.finish().report());

    child.answer();
    const QByteArray problems =
        child.finish().problems(lines({"waitFor(300ms): TimeoutError, promptly"}));
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 5. shutdown() while a body is half downloaded (the server sends half of
// 1 MiB and stalls): the thread blocked in wait() wakes with ReactorStopped,
// and the child exits with status 0 promptly.
void tst_NetworkNoApp::shutdownMidDownload()
{
    const ChildResult child =
        runScenario(QStringLiteral("shutdown-mid-download"),
                    {m_server.url(QStringLiteral("/hold/1048576/noapp-shutdown")).toString()});
    const QByteArray problems = child.problems(
        lines({"downloading when shut down: yes", "the waiting wait(): ReactorStopped, promptly"}),
        PromptExitMs);
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 6. A GET, then main() returns without shutdown(): status 0, promptly.
void tst_NetworkNoApp::exitWithoutShutdown()
{
    const ChildResult child =
        runScenario(QStringLiteral("exit-without-shutdown"),
                    {m_server.url(QStringLiteral("/bytes/1000/noapp-exit")).toString()});
    const QByteArray problems =
        child.problems(responseLines(CrochetTest::TestHttpServer::pattern(1000)), PromptExitMs);
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 7. A request through a QNetworkAccessManager of the user's own, which
// cannot work without an application object: SetupError at once, naming the
// fix; the reactor's manager still works.
void tst_NetworkNoApp::ownManagerFailsAtOnce()
{
    ChildResult child =
        runScenario(QStringLiteral("own-manager"),
                    {m_server.url(QStringLiteral("/bytes/10/noapp-own")).toString()});
    // Qt's own word on that manager's HTTP thread, printed if that thread
    // gets to its event loop before the process exits (2 runs in 30 it does
    // not): the one line that may be on stderr here.
    const QByteArray qtWarning = "QEventLoop: Cannot be used without QApplication\n";
    QVERIFY2(child.errors.isEmpty() || child.errors == qtWarning, child.report().constData());
    child.errors.clear();
    const QByteArray problems = child.problems(
        lines({"own manager: SetupError, the fix named, promptly", "reactor's manager: ok"}));
    QVERIFY2(problems.isEmpty(), problems.constData());
}

// 8. main() returns right after setup(), while the reactor thread prepares
// Qt Network: exit() must not destroy Qt's statics under it (a crash in
// QFactoryLoader in 1 run of 20 under ThreadSanitizer before setup() waited
// for that preparation). Twenty runs, each silent, status 0 and prompt.
void tst_NetworkNoApp::exitRightAfterSetup()
{
    for (int run = 1; run <= 20; ++run) {
        const ChildResult child = runScenario(QStringLiteral("exit-right-after-setup"));
        const QByteArray problems = child.problems(QByteArray(), PromptExitMs);
        QVERIFY2(problems.isEmpty(),
                 QByteArray("run " + QByteArray::number(run) + ": " + problems).constData());
    }
}

QTEST_GUILESS_MAIN(tst_NetworkNoApp)
#include "tst_networknoapp.moc"
