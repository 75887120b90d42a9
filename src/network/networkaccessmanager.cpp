// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "network_p.h"

#include <crochet/detail/queuedcall.h>
#include <crochet/network.h>
#include <crochet/reactor.h>

#include <QtCore/QPointer>
#include <QtNetwork/QNetworkAccessManager>

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
        manager = new QNetworkAccessManager(context);
        manager->setObjectName(QStringLiteral("CrochetNetworkAccessManager"));
        manager->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    }
    return manager;
}

} // namespace Crochet
