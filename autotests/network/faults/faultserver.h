// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// A TCP server on 127.0.0.1 and an ephemeral port, in a thread of its own,
// that answers every HTTP request with a fault chosen by the request path.

#include <QtCore/QStringList>
#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

class FaultServerCore;
class FaultServerThread;

/*!
    The paths it serves (a trailing /<tag> is free):

    | path                  | what the client sees |
    |-----------------------|----------------------|
    | /reset                | the connection reset (RST) as soon as the request came |
    | /reset-after-headers  | a 200 header promising 1000 bytes, then a reset |
    | /reset-mid-body       | the header and 500 of the 1000 bytes, then a reset |
    | /half-body-then-close | the header and 500 of the 1000 bytes, then a normal close |
    | /half-body-then-stall | the header and 500 of the 1000 bytes, then nothing |
    | /stall                | nothing at all, the connection open |

    A reset closes the socket with SO_LINGER 0, so the kernel sends an RST.
    Every member may be called from any thread.
*/
class FaultServer
{
public:
    //! Starts listening; check isListening().
    FaultServer();
    ~FaultServer();
    FaultServer(const FaultServer &) = delete;
    FaultServer &operator=(const FaultServer &) = delete;

    bool isListening() const { return m_port != 0; }
    //! http://127.0.0.1:<port><path>
    QUrl url(const QString &path) const;

    //! Connections accepted so far.
    int connectionsAccepted() const { return m_accepted.load(); }
    //! Connections reset so far.
    int connectionsReset() const { return m_reset.load(); }
    //! Connections open now (stalled ones until the client gives up).
    int connectionsOpen() const { return m_open.load(); }
    //! Connections open now that carried a request.
    int connectionsOpenWithRequest() const;
    //! The connections open now, each with the client's port and the
    //! request line it sent ("no request" when none came): for failure
    //! messages.
    QStringList openConnections() const;

private:
    friend class FaultServerCore;
    friend class FaultServerThread;

    // The server's thread reports through this mutex, which ThreadSanitizer
    // can see (it cannot see inside Debian's uninstrumented Qt).
    mutable std::mutex m_mutex;
    std::condition_variable m_stateChanged;
    bool m_running = false; // guarded by m_mutex
    struct OpenConnection
    {
        quint16 clientPort;
        QByteArray requestLine; // empty until a request came
    };
    std::map<int, OpenConnection> m_openConnections; // by number (1, 2, ...); guarded by m_mutex
    std::atomic<quint16> m_port{0};
    std::atomic<int> m_accepted{0};
    std::atomic<int> m_reset{0};
    std::atomic<int> m_open{0};
    std::unique_ptr<FaultServerThread> m_thread;
};
