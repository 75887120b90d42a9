// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// crochet-bench --serve-slow: the slow host of the slowhost family, run as a
// child process so that its work is not counted in (nor competes inside) the
// benchmark's process. Every GET is answered after a fixed delay, on
// HTTP/1.1 keep-alive connections, one request at a time per connection.
// It also counts the requests it holds at once: GET /peak answers at once
// with the most held since the last /peak, which is how many connections the
// clients kept busy together.

#include "bench.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <unistd.h>

namespace Bench {

namespace {

// A request head larger than this is refused.
constexpr qsizetype MaxHeadBytes = 16 * 1024;
const QByteArray SlowBody = QByteArray(127, '.') + '\n';

class SlowHttpServer final : public QObject
{
public:
    explicit SlowHttpServer(int delayMs)
        : m_delayMs(delayMs)
    {
        // Qt's defaults (a backlog of 50, 30 pending connections) would make
        // 64 threads that connect at once wait for SYN retransmissions.
        m_server.setListenBacklogSize(1024);
        m_server.setMaxPendingConnections(1024);
        connect(&m_server, &QTcpServer::newConnection, this, &SlowHttpServer::accept);
    }

    bool listen(quint16 port) { return m_server.listen(QHostAddress::LocalHost, port); }
    quint16 port() const { return m_server.serverPort(); }
    QString errorString() const { return m_server.errorString(); }
    int delayMs() const { return m_delayMs; }

    void requestHeld()
    {
        ++m_held;
        m_peakHeld = std::max(m_peakHeld, m_held);
    }
    void requestAnswered() { --m_held; }
    //! The most requests held at once since the last call.
    int takePeak()
    {
        const int peak = m_peakHeld;
        m_peakHeld = m_held;
        return peak;
    }

private:
    void accept();

    QTcpServer m_server;
    const int m_delayMs;
    int m_held = 0;
    int m_peakHeld = 0;
};

//! One client connection; a child of the server, deleted when the client goes.
class Connection final : public QObject
{
public:
    Connection(QTcpSocket *socket, SlowHttpServer *server)
        : QObject(server)
        , m_socket(socket)
        , m_server(server)
    {
        m_socket->setParent(this);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            m_buffer += m_socket->readAll();
            readRequests();
        });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] {
            // A request held for a client that went is no longer held; its
            // timer, whose context is this object, goes with deleteLater().
            stopHolding();
            deleteLater();
        });
    }

private:
    //! Parses the requests in the buffer, up to the first that must wait.
    void readRequests()
    {
        // Each pass removes a request head from the buffer, or returns.
        while (!m_holding && !m_closing) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > MaxHeadBytes)
                    refuse("431 Request Header Fields Too Large");
                return;
            }
            const QByteArray head = m_buffer.left(end);
            m_buffer.remove(0, end + 4);
            const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
            if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                refuse("400 Bad Request");
                return;
            }
            if (requestLine[0] != "GET") {
                refuse("405 Method Not Allowed"); // no request bodies to skip
                return;
            }
            m_closeAfterAnswer =
                requestLine[2] == "HTTP/1.0" || head.toLower().contains("\r\nconnection: close");
            if (requestLine[1] == "/peak") {
                answer("200 OK", QByteArray::number(m_server->takePeak()) + '\n');
                continue;
            }
            m_holding = true;
            m_server->requestHeld();
            QTimer::singleShot(m_server->delayMs(), Qt::PreciseTimer, this, [this] {
                if (!stopHolding())
                    return;
                answer("200 OK", SlowBody);
                readRequests();
            });
        }
    }

    //! Whether a request was held.
    bool stopHolding()
    {
        if (!m_holding)
            return false;
        m_holding = false;
        m_server->requestAnswered();
        return true;
    }

    void answer(const QByteArray &status, const QByteArray &body)
    {
        m_socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " +
                        QByteArray::number(body.size()) +
                        (m_closeAfterAnswer ? "\r\nConnection: close" : "") + "\r\n\r\n" + body);
        if (m_closeAfterAnswer) {
            m_closing = true;
            m_socket->disconnectFromHost(); // after what was written
        }
    }

    void refuse(const QByteArray &status)
    {
        m_closeAfterAnswer = true;
        answer(status, QByteArray());
    }

    QTcpSocket *const m_socket;
    SlowHttpServer *const m_server;
    QByteArray m_buffer;
    bool m_holding = false;
    bool m_closeAfterAnswer = false;
    bool m_closing = false;
};

void SlowHttpServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection())
        new Connection(socket, this);
}

} // namespace

int serveSlowHost(quint16 port, int delayMs)
{
    SlowHttpServer server(delayMs);
    if (!server.listen(port)) {
        std::fprintf(stderr, "crochet-bench --serve-slow: cannot listen on 127.0.0.1:%u: %s\n",
                     unsigned(port), qPrintable(server.errorString()));
        return 1;
    }
    std::printf("port %u\n", unsigned(server.port()));
    std::fflush(stdout);

    // The benchmark closes our standard input to stop us; so does its death.
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &input, [&input] {
        char discarded[256];
        const ssize_t got = ::read(STDIN_FILENO, discarded, sizeof discarded);
        if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
            input.setEnabled(false);
            QCoreApplication::quit();
        }
    });
    return QCoreApplication::exec();
}

} // namespace Bench
