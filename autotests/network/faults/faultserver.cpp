// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "faultserver.h"

#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <algorithm>

#include <sys/socket.h>

namespace {

constexpr int PromisedBytes = 1000;

QByteArray header()
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
           QByteArray::number(PromisedBytes) + "\r\n\r\n";
}

QByteArray halfBody()
{
    return QByteArray(PromisedBytes / 2, 'x');
}

} // namespace

//! Lives in the server's thread.
class FaultServerCore : public QObject
{
public:
    explicit FaultServerCore(FaultServer *owner)
        : m_owner(owner)
    {}

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &FaultServerCore::accept);
        return m_server->listen(QHostAddress::LocalHost, 0) ? m_server->serverPort() : 0;
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            const int number = ++m_owner->m_accepted;
            socket->setProperty("number", number);
            {
                std::lock_guard guard(m_owner->m_mutex);
                m_owner->m_openConnections[number] = {socket->peerPort(), {}};
            }
            ++m_owner->m_open;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket, number] {
                {
                    std::lock_guard guard(m_owner->m_mutex);
                    m_owner->m_openConnections.erase(number);
                }
                --m_owner->m_open;
                socket->deleteLater();
            });
        }
    }

    void serve(QTcpSocket *socket)
    {
        // One request per connection: none of these answers lets the
        // client reuse it. Whatever comes after the request is ignored.
        QByteArray request = socket->property("request").toByteArray() + socket->readAll();
        socket->setProperty("request", request);
        if (!request.contains("\r\n\r\n") || socket->property("served").toBool())
            return;
        socket->setProperty("served", true);
        {
            std::lock_guard guard(m_owner->m_mutex);
            m_owner->m_openConnections[socket->property("number").toInt()].requestLine =
                request.left(request.indexOf("\r\n"));
        }
        const QList<QByteArray> requestLine = request.left(request.indexOf("\r\n")).split(' ');
        const QByteArray path = requestLine.value(1);
        const QByteArray fault = path.mid(1, path.indexOf('/', 1) - 1);

        if (fault == "reset") {
            reset(socket);
        } else if (fault == "reset-after-headers") {
            socket->write(header());
            reset(socket);
        } else if (fault == "reset-mid-body") {
            socket->write(header() + halfBody());
            reset(socket);
        } else if (fault == "half-body-then-close") {
            socket->write(header() + halfBody());
            socket->disconnectFromHost();
        } else if (fault == "half-body-then-stall") {
            socket->write(header() + halfBody());
        }
        // "stall" and anything else: no answer, until the client gives up.
    }

    void reset(QTcpSocket *socket)
    {
        // What was written is handed to the kernel first; with a zero
        // linger time, close() then sends an RST instead of a FIN.
        socket->flush();
        const linger option{1, 0};
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &option,
                     sizeof option);
        ++m_owner->m_reset;
        socket->abort();
    }

    FaultServer *m_owner;
    QTcpServer *m_server = nullptr;
};

/*!
    The server's thread: the core lives on its stack, created, used and
    destroyed in this thread only.
*/
class FaultServerThread final : public QThread
{
public:
    explicit FaultServerThread(FaultServer *owner)
        : m_owner(owner)
    {
        setObjectName(QStringLiteral("FaultServer"));
    }

protected:
    void run() override
    {
        FaultServerCore core(m_owner);
        const quint16 port = core.listen();
        {
            std::lock_guard guard(m_owner->m_mutex);
            m_owner->m_port = port;
            m_owner->m_running = true;
            m_owner->m_stateChanged.notify_all();
        }
        exec();
        // The last touch of the owner: it may go once it saw this.
        std::lock_guard guard(m_owner->m_mutex);
        m_owner->m_running = false;
        m_owner->m_stateChanged.notify_all();
    }

private:
    FaultServer *m_owner;
};

FaultServer::FaultServer()
    : m_thread(std::make_unique<FaultServerThread>(this))
{
    m_thread->start();
    std::unique_lock guard(m_mutex);
    m_stateChanged.wait(guard, [this] { return m_running; });
}

FaultServer::~FaultServer()
{
    m_thread->quit();
    {
        std::unique_lock guard(m_mutex);
        m_stateChanged.wait(guard, [this] { return !m_running; });
    }
    m_thread->wait();
}

int FaultServer::connectionsOpenWithRequest() const
{
    std::lock_guard guard(m_mutex);
    return int(
        std::count_if(m_openConnections.begin(), m_openConnections.end(),
                      [](const auto &entry) { return !entry.second.requestLine.isEmpty(); }));
}

QStringList FaultServer::openConnections() const
{
    std::lock_guard guard(m_mutex);
    QStringList connections;
    for (const auto &[number, connection] : m_openConnections) {
        connections.append(QStringLiteral("connection %1 (from port %2): %3")
                               .arg(number)
                               .arg(connection.clientPort)
                               .arg(connection.requestLine.isEmpty()
                                        ? QStringLiteral("no request")
                                        : QString::fromLatin1(connection.requestLine)));
    }
    return connections;
}

QUrl FaultServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port.load()).arg(path));
}
