// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// lookupHost(): QHostInfo::fromName() in a thread pool of our own, the
// answer handed back through the QPromise.
//
// Why not QHostInfo::lookupHost() with a receiver in the reactor: Qt hands
// its answer over in a queued call that our code (the receiver's slot, or
// the moc code that calls it) reads, through Qt's uninstrumented event
// queue, which ThreadSanitizer reports as a race; and with a functor
// receiver Qt connects every lookup to the application object, printing a
// warning per lookup when there is none. Here the QHostInfo never leaves
// the pool thread, and the promise is the only hand-off.

#include "network_p.h"

#include <crochet/detail/tsan.h>
#include <crochet/network.h>

#include <QtCore/QPromise>
#include <QtCore/QThreadPool>
#include <QtNetwork/QHostInfo>

#include <memory>

namespace Crochet {

namespace detail {

namespace {

QThreadPool &lookupPool()
{
    // Never destroyed: its destructor would wait for a lookup that hangs
    // on a slow name server, at process exit. As many threads as Qt's own
    // lookup manager allows.
    static QThreadPool *pool = [] {
        auto *pool = new QThreadPool;
        pool->setMaxThreadCount(20);
        pool->setObjectName(QStringLiteral("CrochetHostLookup"));
        return pool;
    }();
    return *pool;
}

void lookUp(const QString &name, QPromise<QList<QHostAddress>> &promise)
{
    if (promise.isCanceled())
        return; // cancelled while queued: no lookup at all
    const QHostInfo info = QHostInfo::fromName(name);
    if (info.error() == QHostInfo::NoError) {
        promise.addResult(info.addresses());
        return;
    }
    const auto code = info.error() == QHostInfo::HostNotFound ? QNetworkReply::HostNotFoundError
                                                              : QNetworkReply::UnknownNetworkError;
    promise.setException(
        NetworkError(code, QStringLiteral("%1 (%2)").arg(info.errorString(), name)));
}

} // namespace

} // namespace detail

QFuture<QList<QHostAddress>> lookupHost(const QString &name)
{
    detail::requireReactorThread("Crochet::lookupHost()");
    auto promise = std::make_shared<QPromise<QList<QHostAddress>>>();
    promise->start();
    QFuture<QList<QHostAddress>> future = promise->future();
    detail::lookupPool().start([name, promise] {
        // The answer (and a NetworkError) reaches the reactor through the
        // promise, a hand-off ThreadSanitizer cannot see (detail/tsan.h);
        // whoever follows the future calls handoffReceived().
        [[maybe_unused]] const detail::HandoffPost handoff;
        detail::lookUp(name, *promise);
        promise->finish();
    });
    return future;
}

} // namespace Crochet
