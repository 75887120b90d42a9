// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// A real web server we did not write, for the network tests: nginx (Debian's
// nginx-light), serving a directory on 127.0.0.1 over HTTP or HTTPS.

#include "childserverprocess.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>

namespace CrochetTest {

/*!
    Runs nginx on 127.0.0.1 for the life of the object, in the foreground
    (`daemon off`) and as one process (`master_process off`: no worker to
    outlive it, and no switch to another user, who could not read the files
    of a test run as root). Its configuration, pid file, logs and temporary
    files live in a directory of its own, so it never touches /etc/nginx or
    /var. nginx cannot report an ephemeral port it picked, so the port is
    found by binding one and closing it again; another process may take it
    meanwhile, so start() retries with a new port.

    It serves the files of the directory at /<file>, and the same files at
    /slow/<file> no faster than setSlowRate() bytes a second. Its access
    log tells how each request ended (accessLog()).
*/
class NginxServer
{
public:
    //! What nginx logged for one request, once it was done with it.
    struct AccessLogEntry
    {
        QString path;
        //! nginx's serial number of the connection ($connection).
        qint64 connection = 0;
        int status = 0;
        //! Bytes of the body that nginx wrote to the connection.
        qint64 bodyBytesSent = 0;
        //! Whether the whole answer was sent (nginx's $request_completion).
        bool complete = false;
    };

    explicit NginxServer(const QString &directory);
    NginxServer(const NginxServer &) = delete;
    NginxServer &operator=(const NginxServer &) = delete;

    //! Serves HTTPS with this certificate (PEM) and key; before start().
    void setCertificate(const QString &certificateFile, const QString &keyFile);
    //! The rate of /slow/, in bytes a second; before start(). 1 MiB/s by default.
    void setSlowRate(qint64 bytesPerSecond) { m_slowRate = bytesPerSecond; }

    //! Starts nginx and returns once it accepts connections; false (with
    //! the reason in errorString()) when it could not be started.
    bool start();
    QString errorString() const { return m_error; }
    quint16 port() const { return m_port; }
    //! https://127.0.0.1:<port>/<path> (http: without a certificate).
    QUrl url(const QString &path) const;

    //! The requests nginx has finished so far, in the order it finished them.
    QList<AccessLogEntry> accessLog() const;

private:
    bool writeConfiguration(quint16 port);
    bool startOnce(quint16 port);

    QString m_directory;
    QTemporaryDir m_prefix;
    QString m_certificateFile;
    QString m_keyFile;
    qint64 m_slowRate = 1 << 20;
    ChildServerProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace CrochetTest
