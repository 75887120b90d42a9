// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "pythonhttpserver.h"

namespace CrochetTest {

namespace {

// Python starts slowly on a loaded machine.
constexpr int StartTimeoutMs = 30000;

} // namespace

PythonHttpServer::PythonHttpServer(const QString &directory)
    : m_directory(directory)
    , m_process(QStringLiteral("python3 -m http.server"))
{}

bool PythonHttpServer::start()
{
    m_port = startOnFreePort([this](quint16 port) { return startOnce(port); });
    return m_port != 0;
}

bool PythonHttpServer::startOnce(quint16 port)
{
    // Ready once it accepts a connection; if the port was taken meanwhile,
    // python exits with "Address already in use".
    const bool listening =
        m_process.start(QStringLiteral("python3"),
                        {QStringLiteral("-m"), QStringLiteral("http.server"),
                         QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("--directory"), m_directory, QString::number(port)},
                        port, StartTimeoutMs);
    if (!listening)
        m_error = m_process.errorString();
    return listening;
}

QUrl PythonHttpServer::url(const QString &fileName) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(fileName));
}

} // namespace CrochetTest
