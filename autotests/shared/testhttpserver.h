// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// A small HTTP/1.1 server for the network tests, on 127.0.0.1 and an
// ephemeral port, running in a thread of its own so that tests may block.
// It misbehaves on request (never answers, closes mid-body, holds half a
// body), asks for a password, and counts what the clients did (connections,
// the most open at once, abandoned requests) and which headers they sent.

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayList>
#include <QtCore/QByteArrayView>
#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace CrochetTest {

class TestHttpServerCore;
class TestHttpServerThread;

/*!
    The paths it serves (a trailing /<tag> is free, to tell requests apart):

    | path                      | answer |
    |---------------------------|--------|
    | /bytes/<n>                | 200, body pattern(n) |
    | /status/<code>            | that status, body "status <code>" |
    | /redirect/<n>             | 302 to /redirect/<n-1> (same tag); /redirect/0: 200 "redirected" |
    | /slow                     | never answers |
    | /truncated                | promises 1000 bytes, sends 100, closes the connection |
    | /hold/<n>                 | promises n bytes, sends n/2, then waits forever |
    | /hold-unknown/<n>         | no Content-Length, sends n/2 bytes, then waits forever |
    | /gate/<tag>               | waits until open(tag), then 200 "gate <tag> opened" |
    | /basic-auth/<u>/<p>/<tag> | as /gate/<tag> given user u, password p; else 401 (Basic) |

    Every member may be called from any thread.
*/
class TestHttpServer
{
public:
    //! Starts listening; check isListening().
    TestHttpServer();
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer &) = delete;
    TestHttpServer &operator=(const TestHttpServer &) = delete;

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    //! http://127.0.0.1:<port><path>
    QUrl url(const QString &path) const;

    //! The body /bytes/<n> serves: \a size bytes of a repeating pattern.
    static QByteArray pattern(qint64 size);

    //! Connections accepted so far.
    int connectionsAccepted() const { return m_accepted.load(); }
    //! Connections the client or the server closed so far.
    int connectionsClosed() const { return m_closed.load(); }
    //! Connections open now.
    int connectionsOpen() const { return m_open.load(); }
    //! The most connections that were open at once so far. Clients keep
    //! connections alive, so one opened at any moment shows here.
    int mostConnectionsOpen() const { return m_mostOpen.load(); }
    //! Requests answered in full so far.
    int requestsAnswered() const { return m_answered.load(); }
    //! Connections that closed while a request for \a path was not fully answered.
    int abandoned(const QString &path) const;
    //! The value of header \a name (case-insensitive) in each request for \a path
    //! so far, in the order they came; a null QByteArray where it was missing.
    QByteArrayList headerValues(const QString &path, QByteArrayView name) const;
    //! Lets the requests for /gate/<tag> (earlier and later ones) be answered.
    void open(const QString &tag);

private:
    friend class TestHttpServerCore;
    friend class TestHttpServerThread;
    void noteAbandoned(const QString &path);
    void noteRequest(const QString &path, const QByteArray &head);
    bool isOpen(const QString &tag) const;

    std::unique_ptr<TestHttpServerThread> m_thread;
    std::atomic<quint16> m_port{0}; // set in the server's thread before the constructor returns
    std::atomic<int> m_accepted{0};
    std::atomic<int> m_closed{0};
    std::atomic<int> m_open{0};     // changed in the server's thread only
    std::atomic<int> m_mostOpen{0}; // changed in the server's thread only
    std::atomic<int> m_answered{0};
    mutable std::mutex m_mutex;
    std::condition_variable m_stateChanged;
    bool m_listening = false;                      // guarded by m_mutex; false again once stopped
    TestHttpServerCore *m_core = nullptr;          // guarded by m_mutex; lives in m_thread
    QHash<QString, int> m_abandoned;               // guarded by m_mutex
    QHash<QString, QByteArrayList> m_requestHeads; // guarded by m_mutex
    QSet<QString> m_openGates;                     // guarded by m_mutex
};

} // namespace CrochetTest
