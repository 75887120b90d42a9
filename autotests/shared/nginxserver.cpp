// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "nginxserver.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

namespace CrochetTest {

namespace {

// nginx starts in milliseconds; the margin is for a loaded machine. When its
// port was taken, it retries bind() for two seconds before it gives up.
constexpr int StartTimeoutMs = 30000;

// Tab-separated, so that an empty $request_completion stays a field.
constexpr char LogFormat[] =
    "$connection\\t$status\\t$body_bytes_sent\\t$request_completion\\t$request_uri";

} // namespace

NginxServer::NginxServer(const QString &directory)
    : m_directory(QDir(directory).absolutePath())
    , m_process(QStringLiteral("nginx"),
                QDir(m_prefix.path()).filePath(QStringLiteral("error.log")))
{}

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
    m_port = startOnFreePort([this](quint16 port) { return startOnce(port); });
    return m_port != 0;
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
    // foreground, a child of ours until the destructor.
    const QStringList arguments = {
        QStringLiteral("-p"), prefix.absolutePath() + u'/',
        QStringLiteral("-c"), prefix.filePath(QStringLiteral("nginx.conf")),
        QStringLiteral("-e"), prefix.filePath(QStringLiteral("error.log")),
        QStringLiteral("-g"), QStringLiteral("daemon off;")};
    // Ready once it also wrote its pid file, which it does only after it
    // bound its port (a connection alone could reach another process that
    // took the port meanwhile). If the port was taken, nginx retries for two
    // seconds, then exits with "Address already in use".
    const QString pidPath = prefix.filePath(QStringLiteral("nginx.pid"));
    const auto wrotePidFile = [this, &pidPath] {
        QFile pidFile(pidPath);
        return pidFile.open(QIODevice::ReadOnly) &&
               pidFile.readAll().trimmed() == QByteArray::number(m_process.processId());
    };
    const bool listening = m_process.start(QStringLiteral("/usr/sbin/nginx"), arguments, port,
                                           StartTimeoutMs, wrotePidFile);
    if (!listening)
        m_error = m_process.errorString();
    return listening;
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
