// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "testhttpserver.h"

#include <crochet/detail/tsan.h>

#include <QtCore/QHash>
#include <QtCore/QThread>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

namespace CrochetTest {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 410:
        return "Gone";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

QByteArray statusLine(int status)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
}

//! The value of header \a name (case-insensitive) in a request's \a head, or null.
QByteArray headerValue(const QByteArray &head, QByteArrayView name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // after the request line
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

//! The server proper: lives in the server's thread, as do its sockets.
class TestHttpServerCore final : public QObject
{
public:
    explicit TestHttpServerCore(TestHttpServer *owner)
        : m_owner(owner)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this,
                         [this] { acceptConnections(); });
    }

    ~TestHttpServerCore() override
    {
        // The sockets signal disconnected() while they are destroyed: forget
        // them first, while this object is still whole.
        const auto sockets = m_connections.keys();
        m_connections.clear();
        qDeleteAll(sockets);
    }

    quint16 listen()
    {
        return m_server.listen(QHostAddress::LocalHost, 0) ? m_server.serverPort() : 0;
    }

    void openGate(const QString &tag)
    {
        const auto sockets = m_connections.keys();
        for (QTcpSocket *socket : sockets) {
            auto it = m_connections.find(socket);
            if (it == m_connections.end() || it->gateTag != tag)
                continue;
            it->gateTag.clear();
            it->busyPath.clear();
            respond(socket, 200, "gate " + tag.toUtf8() + " opened");
            processRequests(socket);
        }
    }

private:
    struct Connection
    {
        QByteArray buffer;
        QString busyPath; // a request not (fully) answered: later ones wait
        QString gateTag;
    };

    void acceptConnections()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_owner->m_accepted;
            const int open = ++m_owner->m_open;
            if (open > m_owner->m_mostOpen.load())
                m_owner->m_mostOpen.store(open);
            m_connections.insert(socket, Connection());
            QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                auto it = m_connections.find(socket);
                if (it == m_connections.end())
                    return;
                it->buffer += socket->readAll();
                processRequests(socket);
            });
            QObject::connect(socket, &QTcpSocket::disconnected, this,
                             [this, socket] { closed(socket); });
            QObject::connect(socket, &QTcpSocket::errorOccurred, this,
                             [this, socket] { closed(socket); });
        }
    }

    void closed(QTcpSocket *socket)
    {
        auto it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
        if (!it->busyPath.isEmpty())
            m_owner->noteAbandoned(it->busyPath);
        m_connections.erase(it);
        ++m_owner->m_closed;
        --m_owner->m_open;
        socket->abort();
        socket->deleteLater();
    }

    void processRequests(QTcpSocket *socket)
    {
        while (true) {
            auto it = m_connections.find(socket);
            if (it == m_connections.end() || !it->busyPath.isEmpty())
                return;
            const qsizetype end = it->buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = it->buffer.left(end);
            it->buffer.remove(0, end + 4);
            const QByteArray requestLine = head.left(head.indexOf("\r\n"));
            const QString path = QString::fromLatin1(requestLine.split(' ').value(1));
            m_owner->noteRequest(path, head);
            answer(socket, path, head);
        }
    }

    void answer(QTcpSocket *socket, const QString &path, const QByteArray &head)
    {
        const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
        const QString kind = parts.value(0);
        const qint64 number = parts.value(1).toLongLong();
        Connection &connection = m_connections[socket];
        if (kind == u"bytes") {
            respond(socket, 200, TestHttpServer::pattern(number));
        } else if (kind == u"status") {
            respond(socket, int(number), "status " + QByteArray::number(number));
        } else if (kind == u"redirect" && number > 0) {
            QStringList next = parts;
            next[1] = QString::number(number - 1);
            respond(socket, 302, {}, "Location: /" + next.join(u'/').toUtf8() + "\r\n");
        } else if (kind == u"redirect") {
            respond(socket, 200, "redirected");
        } else if (kind == u"slow") {
            connection.busyPath = path;
        } else if (kind == u"truncated") {
            connection.busyPath = path;
            socket->write(statusLine(200) + "Content-Length: 1000\r\n\r\n" +
                          TestHttpServer::pattern(100));
            socket->disconnectFromHost();
        } else if (kind == u"hold") {
            connection.busyPath = path;
            socket->write(statusLine(200) + "Content-Length: " + QByteArray::number(number) +
                          "\r\n\r\n" + TestHttpServer::pattern(number / 2));
        } else if (kind == u"hold-unknown") {
            connection.busyPath = path;
            socket->write(statusLine(200) + "Connection: close\r\n\r\n" +
                          TestHttpServer::pattern(number / 2));
        } else if (kind == u"gate") {
            passGate(socket, path, parts.value(1));
        } else if (kind == u"basic-auth") {
            const QByteArray credentials = (parts.value(1) + u':' + parts.value(2)).toUtf8();
            if (headerValue(head, "Authorization") == "Basic " + credentials.toBase64()) {
                passGate(socket, path, parts.value(3));
            } else {
                respond(socket, 401, "credentials needed",
                        "WWW-Authenticate: Basic realm=\"crochet\"\r\n");
            }
        } else {
            respond(socket, 404, "no such path");
        }
    }

    //! Answers at once if the gate \a tag is open, else when it opens.
    void passGate(QTcpSocket *socket, const QString &path, const QString &tag)
    {
        if (m_owner->isOpen(tag)) {
            respond(socket, 200, "gate " + tag.toUtf8() + " opened");
        } else {
            Connection &connection = m_connections[socket];
            connection.busyPath = path;
            connection.gateTag = tag;
        }
    }

    void respond(QTcpSocket *socket, int status, const QByteArray &body,
                 const QByteArray &extraHeaders = {})
    {
        socket->write(statusLine(status) + "Content-Type: text/plain\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body);
        ++m_owner->m_answered;
    }

    TestHttpServer *m_owner;
    QTcpServer m_server{this};
    QHash<QTcpSocket *, Connection> m_connections;
};

/*!
    The server's thread: the core lives on its stack, so that it is created,
    used and destroyed in this thread only. The port goes back to the
    constructor through the owner's mutex, which ThreadSanitizer can see
    (it cannot see the synchronisation of Debian's uninstrumented Qt).
*/
class TestHttpServerThread final : public QThread
{
public:
    explicit TestHttpServerThread(TestHttpServer *owner)
        : m_owner(owner)
    {
        setObjectName(QStringLiteral("TestHttpServer"));
    }

protected:
    void run() override
    {
        TestHttpServerCore core(m_owner);
        const quint16 port = core.listen();
        {
            std::lock_guard guard(m_owner->m_mutex);
            m_owner->m_port = port;
            m_owner->m_core = &core;
            m_owner->m_listening = true;
            m_owner->m_stateChanged.notify_all();
        }
        exec();
        // The last touch of this object and of the owner: the owner deletes
        // both once it saw this, under the lock.
        std::lock_guard guard(m_owner->m_mutex);
        m_owner->m_core = nullptr;
        m_owner->m_listening = false;
        m_owner->m_stateChanged.notify_all();
    }

private:
    TestHttpServer *m_owner;
};

TestHttpServer::TestHttpServer()
    : m_thread(std::make_unique<TestHttpServerThread>(this))
{
    m_thread->start();
    std::unique_lock guard(m_mutex);
    m_stateChanged.wait(guard, [this] { return m_listening; });
}

TestHttpServer::~TestHttpServer()
{
    m_thread->quit();
    // Waiting on our own condition first orders everything the thread did
    // before this one deletes it, also for ThreadSanitizer.
    {
        std::unique_lock guard(m_mutex);
        m_stateChanged.wait(guard, [this] { return !m_listening; });
    }
    m_thread->wait();
}

QUrl TestHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

QByteArray TestHttpServer::pattern(qint64 size)
{
    static const QByteArray alphabet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW");
    QByteArray bytes;
    bytes.reserve(size);
    // A period (59) that is not a power of two shows shifted or lost chunks.
    while (bytes.size() < size)
        bytes += alphabet.left(size - bytes.size());
    return bytes;
}

int TestHttpServer::abandoned(const QString &path) const
{
    std::lock_guard guard(m_mutex);
    return m_abandoned.value(path);
}

QByteArrayList TestHttpServer::headerValues(const QString &path, QByteArrayView name) const
{
    std::lock_guard guard(m_mutex);
    QByteArrayList values;
    for (const QByteArray &head : m_requestHeads.value(path))
        values.append(headerValue(head, name));
    return values;
}

void TestHttpServer::open(const QString &tag)
{
    TestHttpServerCore *core = nullptr;
    {
        std::lock_guard guard(m_mutex);
        m_openGates.insert(tag);
        core = m_core; // there until the destructor stops the thread
    }
    // Requests already waiting are answered in the server's thread.
    [[maybe_unused]] const Crochet::detail::HandoffPost handoff;
    QMetaObject::invokeMethod(core, [core, tag] {
        Crochet::detail::handoffReceived();
        core->openGate(tag);
    });
}

void TestHttpServer::noteAbandoned(const QString &path)
{
    std::lock_guard guard(m_mutex);
    ++m_abandoned[path];
}

void TestHttpServer::noteRequest(const QString &path, const QByteArray &head)
{
    std::lock_guard guard(m_mutex);
    m_requestHeads[path].append(head);
}

bool TestHttpServer::isOpen(const QString &tag) const
{
    std::lock_guard guard(m_mutex);
    return m_openGates.contains(tag);
}

} // namespace CrochetTest
