// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "nginxserver.h"

#include <crochet/detail/tsan.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <signal.h>
#include <sys/prctl.h>

namespace CrochetTest {

namespace {

constexpr int Attempts = 5;
// nginx starts in milliseconds; the margin is for a loaded machine. When its
// port was taken, it retries bind() for two seconds before it gives up.
constexpr int StartTimeoutMs = 30000;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// Tab-separated, so that an empty $request_completion stays a field.
constexpr char LogFormat[] =
    "$connection\\t$status\\t$body_bytes_sent\\t$request_completion\\t$request_uri";

} // namespace

NginxServer::NginxServer(const QString &directory)
    : m_directory(QDir(directory).absolutePath())
{
    // Anything it prints is kept only to explain a failed start.
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // It must not outlive a test that crashed. Not under ThreadSanitizer: a
    // modifier makes Qt fork() instead of vfork(), and code run in the forked
    // child of a multi-threaded process trips TSan's own runtime.
#if !defined(CROCHET_HAS_TSAN)
    m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
}

NginxServer::~NginxServer()
{
    stop();
}

void NginxServer::setCertificate(const QString &certificateFile, const QString &keyFile)
{
    m_certificateFile = QDir().absoluteFilePath(certificateFile);
    m_keyFile = QDir().absoluteFilePath(keyFile);
}

bool NginxServer::start()
{
    if (!m_prefix.isValid()) {
        m_error =
            QStringLiteral("no temporary directory for nginx: %1").arg(m_prefix.errorString());
        return false;
    }
    for (int attempt = 0; attempt < Attempts; ++attempt) {
        const quint16 port = freePort();
        if (port != 0 && startOnce(port)) {
            m_port = port;
            return true;
        }
    }
    return false;
}

bool NginxServer::writeConfiguration(quint16 port)
{
    const QDir prefix(m_prefix.path());
    const bool tls = !m_certificateFile.isEmpty();
    QString tlsDirectives;
    if (tls) {
        // No session tickets: every connection makes a full handshake, and
        // so checks the certificate again.
        tlsDirectives = QStringLiteral("        ssl_certificate \"%1\";\n"
                                       "        ssl_certificate_key \"%2\";\n"
                                       "        ssl_session_tickets off;\n")
                            .arg(m_certificateFile, m_keyFile);
    }
    // Every path nginx would write to is in the prefix, temporary files of
    // the modules compiled in included (nginx creates those at startup).
    const QString configuration =
        QStringLiteral("master_process off;\n"
                       "pid \"%1/nginx.pid\";\n"
                       "error_log \"%1/error.log\" notice;\n"
                       "events { worker_connections 64; }\n"
                       "http {\n"
                       "    log_format crochet \"%2\";\n"
                       "    access_log \"%1/access.log\" crochet;\n"
                       "    client_body_temp_path \"%1/client_body\";\n"
                       "    proxy_temp_path \"%1/proxy\";\n"
                       "    fastcgi_temp_path \"%1/fastcgi\";\n"
                       "    uwsgi_temp_path \"%1/uwsgi\";\n"
                       "    scgi_temp_path \"%1/scgi\";\n"
                       "    types { text/plain txt; application/octet-stream bin; }\n"
                       "    server {\n"
                       "        listen 127.0.0.1:%3%4;\n"
                       "%5"
                       "        root \"%6\";\n"
                       "        location /slow/ { alias \"%6/\"; limit_rate %7; }\n"
                       "    }\n"
                       "}\n")
            .arg(prefix.absolutePath(), QLatin1String(LogFormat), QString::number(port),
                 tls ? QStringLiteral(" ssl") : QString(), tlsDirectives, m_directory,
                 QString::number(m_slowRate));
    QFile file(prefix.filePath(QStringLiteral("nginx.conf")));
    const QByteArray bytes = configuration.toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        m_error = QStringLiteral("cannot write %1").arg(file.fileName());
        return false;
    }
    return true;
}

bool NginxServer::startOnce(quint16 port)
{
    if (!writeConfiguration(port))
        return false;
    const QDir prefix(m_prefix.path());
    // -e: the messages of startup go to its error log too; -g: in the
    // foreground, a child of ours until stop().
    m_process.start(QStringLiteral("/usr/sbin/nginx"),
                    {QStringLiteral("-p"), prefix.absolutePath() + u'/', QStringLiteral("-c"),
                     prefix.filePath(QStringLiteral("nginx.conf")), QStringLiteral("-e"),
                     prefix.filePath(QStringLiteral("error.log")), QStringLiteral("-g"),
                     QStringLiteral("daemon off;")});
    if (!m_process.waitForStarted(StartTimeoutMs)) {
        m_error = QStringLiteral("nginx did not start: %1").arg(m_process.errorString());
        return false;
    }
    // Ready once it wrote its pid file, which it does only after it bound
    // its port (a connection alone could reach another process that took
    // the port meanwhile), and accepts a connection. If the port was taken,
    // nginx retries for two seconds, then exits with "Address already in use".
    const QByteArray pid = QByteArray::number(m_process.processId());
    QFile pidFile(prefix.filePath(QStringLiteral("nginx.pid")));
    const QDeadlineTimer deadline(StartTimeoutMs);
    while (!deadline.hasExpired()) {
        if (pidFile.open(QIODevice::ReadOnly)) {
            const bool ours = pidFile.readAll().trimmed() == pid;
            pidFile.close();
            if (ours) {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, port);
                if (probe.waitForConnected(1000))
                    return true;
            }
        }
        if (m_process.waitForFinished(100)) {
            m_error = QStringLiteral("nginx exited on port %1: %2").arg(port).arg(logsForError());
            return false;
        }
    }
    m_error = QStringLiteral("nginx did not listen on port %1: %2").arg(port).arg(logsForError());
    stop();
    return false;
}

QString NginxServer::logsForError()
{
    QFile errorLog(QDir(m_prefix.path()).filePath(QStringLiteral("error.log")));
    const QByteArray logged =
        errorLog.open(QIODevice::ReadOnly) ? errorLog.readAll() : QByteArray();
    return QString::fromLocal8Bit(m_process.readAll() + logged);
}

void NginxServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // SIGTERM: nginx closes its connections and exits at once.
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QUrl NginxServer::url(const QString &path) const
{
    const QString scheme =
        m_certificateFile.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/%3").arg(scheme).arg(m_port).arg(path));
}

QList<NginxServer::AccessLogEntry> NginxServer::accessLog() const
{
    QList<AccessLogEntry> entries;
    QFile log(QDir(m_prefix.path()).filePath(QStringLiteral("access.log")));
    if (!log.open(QIODevice::ReadOnly))
        return entries;
    // nginx writes each line with one write() once the request is done; a
    // line without its newline is still being written.
    const QList<QByteArray> lines = log.readAll().split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].split('\t');
        if (fields.size() != 5)
            continue;
        entries.append({QString::fromUtf8(fields[4]), fields[0].toLongLong(), fields[1].toInt(),
                        fields[2].toLongLong(), fields[3] == "OK"});
    }
    return entries;
}

} // namespace CrochetTest
