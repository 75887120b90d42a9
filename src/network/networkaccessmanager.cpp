// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "../core/coreservices_p.h"
#include "httpthreadpool_p.h"
#include "network_p.h"

#include <crochet/detail/reactorservices.h>
#include <crochet/network.h>
#include <crochet/reactor.h>

#include <QtCore/QPointer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#include <atomic>
#include <utility>

namespace Crochet {

namespace detail {

void requireReactorThread(const char *function)
{
    if (!isReactorThread()) {
        throw ReactorThreadError(
            QStringLiteral("%1 was called outside the reactor thread: call it inside a function "
                           "run by Crochet::runInReactor() or Crochet::waitFor()")
                .arg(QLatin1String(function)));
    }
}

namespace {

constexpr int DefaultConnectionsPerHost = 64;
std::atomic<int> maxConnectionsPerHost{DefaultConnectionsPerHost};

/*!
    Counts a reply of the reactor's manager as in flight (reactorStats())
    from its start until it finishes or, unfinished, is destroyed: a child
    of the reply, so that it goes with it.
*/
class InFlightReply final : public QObject
{
public:
    explicit InFlightReply(QNetworkReply *reply)
        : QObject(reply)
    {
        addRepliesInFlight(1);
        connect(reply, &QNetworkReply::finished, this, &InFlightReply::done);
    }
    ~InFlightReply() override { done(); }

private:
    void done()
    {
        if (!std::exchange(m_done, true))
            addRepliesInFlight(-1);
    }

    bool m_done = false;
};

//! The reactor's manager: a plain QNetworkAccessManager whose HTTP requests
//! run in the threads of an HttpThreadPool.
class ReactorNetworkAccessManager final : public QNetworkAccessManager
{
public:
    explicit ReactorNetworkAccessManager(QObject *parent)
        : QNetworkAccessManager(parent)
        , m_httpThreads(this)
    {
        setObjectName(QStringLiteral("CrochetNetworkAccessManager"));
        setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    }

    ~ReactorNetworkAccessManager() override
    {
        // The replies go first, as in ~QNetworkAccessManager(), while the
        // threads that carry them are still running.
        qDeleteAll(findChildren<QNetworkReply *>());
        m_httpThreads.stop();
    }

protected:
    QNetworkReply *createRequest(Operation operation, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override
    {
        QNetworkReply *reply = nullptr;
        if (HttpThreadPool::usesHttpThread(request)) {
            auto route = m_httpThreads.route(request);
            reply = QNetworkAccessManager::createRequest(operation, request, outgoingData);
            m_httpThreads.track(reply, std::move(route));
        } else {
            reply = QNetworkAccessManager::createRequest(operation, request, outgoingData);
        }
        if (reply && !reply->isFinished())
            new InFlightReply(reply);
        return reply;
    }

private:
    HttpThreadPool m_httpThreads;
};

} // namespace

bool isReactorManager(const QNetworkAccessManager *manager)
{
    return dynamic_cast<const ReactorNetworkAccessManager *>(manager) != nullptr;
}

} // namespace detail

QNetworkAccessManager *networkAccessManager()
{
    detail::requireReactorThread("Crochet::networkAccessManager()");
    QObject *context = detail::reactorContext();
    // Only the reactor thread touches this pointer. The parent check makes a
    // new reactor (after shutdown, or in a forked child) get its own manager.
    static QPointer<QNetworkAccessManager> manager;
    if (!manager || manager->parent() != context) {
        // A child of the reactor's context, so that it is destroyed in the
        // reactor thread when the reactor stops, never from inside one of
        // its replies' signals (Qt 6.4 does not survive that).
        manager = new detail::ReactorNetworkAccessManager(context);
    }
    return manager;
}

void setConnectionsPerHost(int connections)
{
    if (connections < 1) {
        throw Error(QStringLiteral("Crochet::setConnectionsPerHost(%1): the number of connections "
                                   "must be at least 1")
                        .arg(connections));
    }
    detail::maxConnectionsPerHost.store(connections, std::memory_order_relaxed);
}

int connectionsPerHost()
{
    return detail::maxConnectionsPerHost.load(std::memory_order_relaxed);
}

} // namespace Crochet
