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

#include "pythonhttpserver.h"
#include "testhttpserver.h"

#include <crochet/detail/tsan.h>

#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <initializer_list>
#include <memory>

#include <signal.h>
#include <sys/prctl.h>

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
// How long openssl and python3 may take to do their part.
constexpr int ToolTimeoutMs = 30000;

constexpr qsizetype RandomBodySize = 100 * 1024;

QByteArray lines(std::initializer_list<QByteArray> texts)
{
    QByteArray joined;
    for (const QByteArray &text : texts)
        joined += text + '\n';
    return joined;
}

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

//! The child process must not outlive a test that crashed. Not under
//! ThreadSanitizer: a modifier makes Qt fork() instead of vfork(), and code
//! run in the forked child of a multi-threaded process trips TSan's runtime.
void dieWithParent(QProcess &process)
{
#if !defined(CROCHET_HAS_TSAN)
    process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#else
    Q_UNUSED(process);
#endif
}

struct ChildResult
{
    bool finished = false;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    int exitCode = -1;
    qint64 elapsedMs = 0;
    QByteArray output;
    QByteArray errors;

    QByteArray report() const { return "stdout:\n" + output + "stderr:\n" + errors; }

    /*!
        An empty string when the child finished normally with status 0,
        within \a maxElapsedMs (when not negative), printed \a expectedOutput
        and nothing on stderr; otherwise what went wrong, with its output.
    */
    QByteArray problems(const QByteArray &expectedOutput, qint64 maxElapsedMs = -1) const
    {
        if (!finished)
            return "the child hung, killed after " + QByteArray::number(HangMs) + " ms\n" +
                   report();
        if (exitStatus != QProcess::NormalExit)
            return "the child crashed\n" + report();
        if (output != expectedOutput)
            return "unexpected stdout; expected:\n" + expectedOutput + report();
        if (!errors.isEmpty())
            return "the child printed on stderr\n" + report();
        if (exitCode != 0)
            return "exit status " + QByteArray::number(exitCode) + '\n' + report();
        if (maxElapsedMs >= 0 && elapsedMs > maxElapsedMs)
            return "the child took " + QByteArray::number(elapsedMs) + " ms, more than " +
                   QByteArray::number(maxElapsedMs) + '\n' + report();
        return {};
    }
};

/*!
    One run of networknoappscenario: started by the constructor, with every Qt
    message going to its stderr in plain form; killed by the destructor if a
    failed test left it running.
*/
class ScenarioProcess
{
public:
    ScenarioProcess(const QString &scenario, const QStringList &arguments)
        : m_deadline(HangMs)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // Every Qt warning must reach stderr (not journald), unfiltered.
        environment.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
        environment.remove(QStringLiteral("QT_LOGGING_RULES"));
        environment.remove(QStringLiteral("QT_MESSAGE_PATTERN"));
        environment.remove(QStringLiteral("QT_FATAL_WARNINGS"));
        m_process.setProcessEnvironment(environment);
        m_process.setProgram(QStringLiteral(NETWORKNOAPP_SCENARIO_PATH));
        m_process.setArguments(QStringList{scenario} + arguments);
        dieWithParent(m_process);
        m_timer.start();
        m_process.start();
    }

    ~ScenarioProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(HangMs);
        }
    }

    ScenarioProcess(const ScenarioProcess &) = delete;
    ScenarioProcess &operator=(const ScenarioProcess &) = delete;

    bool isRunning() const { return m_process.state() == QProcess::Running; }

    //! What the child printed on stdout so far.
    QByteArray output()
    {
        m_output += m_process.readAllStandardOutput();
        return m_output;
    }

    //! Waits, until the child's deadline, for its first complete line of output.
    bool waitForFirstLine()
    {
        while (!output().contains('\n')) {
            if (m_process.state() == QProcess::NotRunning || m_deadline.hasExpired())
                return false;
            m_process.waitForReadyRead(int(qMax<qint64>(1, m_deadline.remainingTime())));
        }
        return true;
    }

    //! Sends the child a line on its stdin and closes it.
    void answer()
    {
        m_process.write("go\n");
        m_process.closeWriteChannel();
    }

    //! Waits, until the child's deadline, for it to exit; kills it if it does not.
    ChildResult finish()
    {
        ChildResult result;
        if (m_process.state() != QProcess::NotRunning) {
            result.finished =
                m_process.waitForFinished(int(qMax<qint64>(1, m_deadline.remainingTime())));
        } else {
            result.finished = m_process.error() != QProcess::FailedToStart;
        }
        result.elapsedMs = m_timer.elapsed();
        if (!result.finished) {
            m_process.kill();
            m_process.waitForFinished(HangMs);
        }
        result.exitStatus = m_process.exitStatus();
        result.exitCode = m_process.exitCode();
        result.output = output();
        result.errors = m_process.readAllStandardError();
        if (m_process.error() == QProcess::FailedToStart)
            result.errors +=
                "(the test) could not start the child: " + m_process.errorString().toUtf8() + '\n';
        return result;
    }

private:
    QProcess m_process;
    QDeadlineTimer m_deadline;
    QElapsedTimer m_timer;
    QByteArray m_output;
};

ChildResult runScenario(const QString &scenario, const QStringList &arguments = {})
{
    ScenarioProcess child(scenario, arguments);
    return child.finish();
}

//! Runs openssl with \a arguments in \a directory; empty when it worked,
//! otherwise what went wrong.
QString runOpenssl(const QString &directory, const QStringList &arguments)
{
    QProcess openssl;
    openssl.setWorkingDirectory(directory);
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), arguments);
    const QString command = QStringLiteral("openssl ") + arguments.join(u' ');
    if (!openssl.waitForFinished(ToolTimeoutMs)) {
        const QString reason = openssl.errorString();
        openssl.kill();
        openssl.waitForFinished(ToolTimeoutMs);
        return QStringLiteral("%1 did not run: %2 (scripts/packages.sh installs openssl)")
            .arg(command, reason);
    }
    if (openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        return QStringLiteral("%1 failed:\n%2")
            .arg(command, QString::fromLocal8Bit(openssl.readAll()));
    }
    return {};
}

/*!
    Makes, in \a directory, a certificate authority (ca.pem) and a server
    certificate it signed for the IP address 127.0.0.1 (server.pem,
    server.key). Elliptic-curve keys, because they are generated at once.
    Empty when it worked, otherwise what went wrong.
*/
QString makeCertificates(const QString &directory)
{
    const QByteArray caConfig = "[req]\n"
                                "distinguished_name = name\n"
                                "x509_extensions = ca\n"
                                "prompt = no\n"
                                "[name]\n"
                                "CN = Crochet for Qt test CA\n"
                                "[ca]\n"
                                "basicConstraints = critical, CA:TRUE\n"
                                "keyUsage = critical, keyCertSign, cRLSign\n"
                                "subjectKeyIdentifier = hash\n";
    const QByteArray serverConfig = "[req]\n"
                                    "distinguished_name = name\n"
                                    "prompt = no\n"
                                    "[name]\n"
                                    "CN = 127.0.0.1\n";
    const QByteArray serverExtensions = "basicConstraints = CA:FALSE\n"
                                        "keyUsage = critical, digitalSignature\n"
                                        "extendedKeyUsage = serverAuth\n"
                                        "subjectAltName = IP:127.0.0.1\n"
                                        "subjectKeyIdentifier = hash\n"
                                        "authorityKeyIdentifier = keyid\n";
    if (!writeFile(directory + QStringLiteral("/ca.cnf"), caConfig) ||
        !writeFile(directory + QStringLiteral("/server.cnf"), serverConfig) ||
        !writeFile(directory + QStringLiteral("/server.ext"), serverExtensions)) {
        return QStringLiteral("could not write the openssl configuration in ") + directory;
    }
    const QStringList newKey = {
        QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
        QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    const QList<QStringList> commands = {
        QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-config"),
                    QStringLiteral("ca.cnf"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
                    QStringLiteral("ca.pem")} +
            newKey,
        QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-config"),
                    QStringLiteral("server.cnf"), QStringLiteral("-keyout"),
                    QStringLiteral("server.key"), QStringLiteral("-out"),
                    QStringLiteral("server.csr")} +
            newKey,
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
         QStringLiteral("server.csr"), QStringLiteral("-CA"), QStringLiteral("ca.pem"),
         QStringLiteral("-CAkey"), QStringLiteral("ca.key"), QStringLiteral("-set_serial"),
         QStringLiteral("2"), QStringLiteral("-days"), QStringLiteral("2"),
         QStringLiteral("-extfile"), QStringLiteral("server.ext"), QStringLiteral("-out"),
         QStringLiteral("server.pem")},
    };
    for (const QStringList &arguments : commands) {
        const QString problem = runOpenssl(directory, arguments);
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

/*!
    An HTTPS server we did not write: tlshttpserver.py (python3's http.server
    wrapped in its ssl module) serving a directory on 127.0.0.1, on the port
    it picked and printed, for the life of the object.
*/
class TlsHttpServer
{
public:
    TlsHttpServer() { dieWithParent(m_process); }

    ~TlsHttpServer()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(ToolTimeoutMs)) {
            m_process.kill();
            m_process.waitForFinished(ToolTimeoutMs);
        }
    }

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
    QTemporaryDir certificates;
    QVERIFY2(certificates.isValid(), qPrintable(certificates.errorString()));
    const QString problem = makeCertificates(certificates.path());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    TlsHttpServer server;
    QVERIFY2(server.start(certificates.filePath(QStringLiteral("server.pem")),
                          certificates.filePath(QStringLiteral("server.key")), m_files.path()),
             qPrintable(server.errorString()));

    const ChildResult child = runScenario(QStringLiteral("get-over-tls"),
                                          {server.url(QStringLiteral("random.bin")).toString(),
                                           certificates.filePath(QStringLiteral("ca.pem"))});
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
    ScenarioProcess child(QStringLiteral("timeout-aborts-reply"), {m_server.url(path).toString()});
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

QTEST_GUILESS_MAIN(tst_NetworkNoApp)
#include "tst_networknoapp.moc"
