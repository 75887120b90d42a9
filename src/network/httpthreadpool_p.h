// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the HTTP threads of the reactor's QNetworkAccessManager.

#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QThread>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
QT_END_NAMESPACE

namespace Crochet::detail {

/*!
    The threads in which the reactor's manager runs its HTTP requests, in
    place of the one Qt would create for it (see qtprivate.cpp for how).

    Why several: Qt opens at most six connections to one host per HTTP
    thread (Qt 6.4 has no setting for it), and a request that finds them
    all busy waits in that thread's queue. A pool of 16 workers calling one
    host would be served six at a time. Each thread has a connection cache
    of its own, so the pool sends a request to the thread with the fewest
    requests in flight to its host, and starts another thread when every
    thread has six, up to connectionsPerHost() / 6 threads (rounded up).
    One thread serves everything until more than six requests to one host
    are in flight, and the manager stays one object: its cookie jar, cache,
    proxy, redirect policy and signals (sslErrors, authenticationRequired)
    apply to every request, whichever thread carries it.

    Why threads of our own even for one: they deliver events with no
    QCoreApplication (Qt's would not, see src/core/qtprivate.cpp).

    clearConnectionCache() and clearAccessCache() make Qt quit and delete
    the thread it was last given; the pool notices (when that thread
    finishes, or at the next request if that comes first) and stops its
    other threads too, so every cached connection (and TLS trust decision)
    is gone, as with a plain manager. Requests still in flight on those
    threads would never finish (a plain manager leaves them hanging); the
    pool aborts them, so their callers get OperationCanceledError at once.

    Reactor thread only.
*/
class HttpThreadPool
{
public:
    explicit HttpThreadPool(QNetworkAccessManager *manager);
    ~HttpThreadPool();
    HttpThreadPool(const HttpThreadPool &) = delete;
    HttpThreadPool &operator=(const HttpThreadPool &) = delete;

    //! Whether \a request will run in an HTTP thread (an asynchronous
    //! http:, https: or preconnect request).
    static bool usesHttpThread(const QNetworkRequest &request);

    //! One thread and the requests in flight on it, per host.
    struct Thread
    {
        QPointer<QThread> thread;
        QHash<QString, int> inFlight;  // per host
        QSet<QNetworkReply *> replies; // unfinished
        bool stoppedByPool = false;
    };
    //! Where one request goes: its thread and its host key.
    struct Route
    {
        std::shared_ptr<Thread> thread;
        QString host;
    };

    //! Points the manager at the thread for \a request; pass the route to track().
    Route route(const QNetworkRequest &request);
    //! Counts \a reply as in flight on \a route until it finishes or is deleted.
    void track(QNetworkReply *reply, Route route);

    //! Stops every thread and detaches them from the manager. Call it after
    //! the manager's replies are deleted, before the manager goes.
    void stop();

    //! The threads running now (for tests and benchmarks).
    int threadCount() const { return int(m_threads.size()); }

private:
    std::shared_ptr<Thread> startThread();
    void threadFinished(const std::shared_ptr<Thread> &thread);
    void stopThreads(QThread *ownedByQt);
    static void abortReplies(Thread &thread);

    QNetworkAccessManager *m_manager;
    std::vector<std::shared_ptr<Thread>> m_threads;
    // The thread the manager was last pointed at; it differs from the
    // manager's own once Qt has destroyed it.
    QThread *m_current = nullptr;
};

} // namespace Crochet::detail
