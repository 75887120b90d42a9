// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// A real HTTP server we did not write, for the network tests: python3's
// http.server, serving a directory on 127.0.0.1.

#include "childserverprocess.h"

#include <QtCore/QString>
#include <QtCore/QUrl>

namespace CrochetTest {

/*!
    Runs `python3 -m http.server` on 127.0.0.1 for the life of the object.
    http.server cannot report an ephemeral port it picked, so the port is
    found by binding one and closing it again; another process may take it
    meanwhile, so start() retries with a new port.
*/
class PythonHttpServer
{
public:
    explicit PythonHttpServer(const QString &directory);
    PythonHttpServer(const PythonHttpServer &) = delete;
    PythonHttpServer &operator=(const PythonHttpServer &) = delete;

    //! Starts the server and returns once it accepts connections; false
    //! (with the reason in errorString()) when it could not be started.
    bool start();
    QString errorString() const { return m_error; }
    //! http://127.0.0.1:<port>/<fileName>
    QUrl url(const QString &fileName) const;

private:
    bool startOnce(quint16 port);

    QString m_directory;
    ChildServerProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace CrochetTest
