// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// The child process of a server we did not write (nginx, python3's
// http.server), listening on 127.0.0.1 at a port given on its command line.

#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <functional>

namespace CrochetTest {

/*!
    Runs a server as a child of the test that dies with it, until stop() or
    the destructor. Its output (stdout and stderr together) is kept only to
    explain a failed start.
*/
class ChildServerProcess
{
public:
    /*!
        \a name names the server in errorString(); \a logFile, when not empty,
        is a file where it logs besides its output, quoted there too.
    */
    explicit ChildServerProcess(const QString &name, const QString &logFile = {});
    ~ChildServerProcess();
    ChildServerProcess(const ChildServerProcess &) = delete;
    ChildServerProcess &operator=(const ChildServerProcess &) = delete;

    /*!
        Runs \a program with \a arguments and returns true once it accepts
        connections on \a port of 127.0.0.1 and \a hasBound (when set) returns
        true. False, with the reason in errorString(), when it did not start,
        exited first (another process may have taken the port), or did neither
        within \a timeoutMs (then it is stopped).
    */
    bool start(const QString &program, const QStringList &arguments, quint16 port, int timeoutMs,
               const std::function<bool()> &hasBound = {});
    //! SIGTERM, then SIGKILL; returns once it has exited.
    void stop();

    qint64 processId() const { return m_process.processId(); }
    QString errorString() const { return m_error; }

private:
    QString outputAndLog();

    QString m_name;
    QString m_logFile;
    QProcess m_process;
    QString m_error;
};

/*!
    For a server that cannot report an ephemeral port it picked: calls
    \a startOn with a port of 127.0.0.1 that was free a moment ago, until it
    returns true, five times at the most (another process may take the port
    meanwhile). Returns the port it started on, 0 if none.
*/
quint16 startOnFreePort(const std::function<bool(quint16 port)> &startOn);

} // namespace CrochetTest
