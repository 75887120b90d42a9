// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "childserverprocess.h"

#include "childprocess.h"
#include "networktesthelpers.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtNetwork/QTcpSocket>

namespace CrochetTest {

namespace {

constexpr int Attempts = 5;
constexpr int StopTimeoutMs = 10000;

} // namespace

ChildServerProcess::ChildServerProcess(const QString &name, const QString &logFile)
    : m_name(name)
    , m_logFile(logFile)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    dieWithParent(m_process);
}

ChildServerProcess::~ChildServerProcess()
{
    stop();
}

bool ChildServerProcess::start(const QString &program, const QStringList &arguments, quint16 port,
                               int timeoutMs, const std::function<bool()> &hasBound)
{
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("%1 did not start: %2").arg(m_name, m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!hasBound || hasBound()) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(1000))
                return true;
        }
        if (m_process.waitForFinished(100)) {
            m_error = QStringLiteral("%1 exited on port %2: %3")
                          .arg(m_name, QString::number(port), outputAndLog());
            return false;
        }
    }
    m_error = QStringLiteral("%1 did not listen on port %2: %3")
                  .arg(m_name, QString::number(port), outputAndLog());
    stop();
    return false;
}

QString ChildServerProcess::outputAndLog()
{
    QByteArray logged;
    QFile log(m_logFile);
    if (!m_logFile.isEmpty() && log.open(QIODevice::ReadOnly))
        logged = log.readAll();
    return QString::fromLocal8Bit(m_process.readAll() + logged);
}

void ChildServerProcess::stop()
{
    stopChild(m_process, StopTimeoutMs);
}

quint16 startOnFreePort(const std::function<bool(quint16 port)> &startOn)
{
    for (int attempt = 0; attempt < Attempts; ++attempt) {
        const quint16 port = closedPort();
        if (port != 0 && startOn(port))
            return port;
    }
    return 0;
}

} // namespace CrochetTest
