// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "pythonhttpserver.h"

#include <crochet/detail/tsan.h>

#include <QtCore/QDeadlineTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <signal.h>
#include <sys/prctl.h>

namespace CrochetTest {

namespace {

constexpr int Attempts = 5;
// Python starts slowly on a loaded machine.
constexpr int StartTimeoutMs = 30000;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

PythonHttpServer::PythonHttpServer(const QString &directory)
    : m_directory(directory)
{
    // Its access log goes to stderr: kept only to explain a failed start.
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // It must not outlive a test that crashed. Not under ThreadSanitizer: a
    // modifier makes Qt fork() instead of vfork(), and code run in the forked
    // child of a multi-threaded process trips TSan's own runtime.
#if !defined(CROCHET_HAS_TSAN)
    m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
}

PythonHttpServer::~PythonHttpServer()
{
    stop();
}

bool PythonHttpServer::start()
{
    for (int attempt = 0; attempt < Attempts; ++attempt) {
        const quint16 port = freePort();
        if (port != 0 && startOnce(port)) {
            m_port = port;
            return true;
        }
    }
    return false;
}

bool PythonHttpServer::startOnce(quint16 port)
{
    m_process.start(QStringLiteral("python3"),
                    {QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("--bind"),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--directory"), m_directory,
                     QString::number(port)});
    if (!m_process.waitForStarted(StartTimeoutMs)) {
        m_error = QStringLiteral("python3 did not start: %1").arg(m_process.errorString());
        return false;
    }
    // Ready once it accepts a connection; if the port was taken meanwhile,
    // python exits with "Address already in use".
    const QDeadlineTimer deadline(StartTimeoutMs);
    while (!deadline.hasExpired()) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        if (probe.waitForConnected(1000))
            return true;
        if (m_process.waitForFinished(100)) {
            m_error = QStringLiteral("python3 -m http.server exited on port %1: %2")
                          .arg(port)
                          .arg(QString::fromLocal8Bit(m_process.readAll()));
            return false;
        }
    }
    m_error = QStringLiteral("python3 -m http.server did not listen on port %1").arg(port);
    stop();
    return false;
}

void PythonHttpServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QUrl PythonHttpServer::url(const QString &fileName) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(fileName));
}

} // namespace CrochetTest
