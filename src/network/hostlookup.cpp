// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "hostlookup_p.h"
#include "network_p.h"

#include <crochet/detail/queuedcall.h>
#include <crochet/network.h>

#include <QtNetwork/QHostInfo>

namespace Crochet {

namespace detail {

HostLookup::HostLookup(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
{
    m_promise.start();
    connect(&m_watcher, &QFutureWatcherBase::canceled, this, &HostLookup::abortOnCancel);
    m_watcher.setFuture(m_promise.future());
    m_lookupId = QHostInfo::lookupHost(name, this, SLOT(lookedUp(QHostInfo)));
}

HostLookup::~HostLookup()
{
    if (!m_done)
        QHostInfo::abortHostLookup(m_lookupId);
}

void HostLookup::lookedUp(const QHostInfo &info)
{
    if (m_done)
        return;
    m_done = true;
    if (info.error() == QHostInfo::NoError) {
        m_promise.addResult(info.addresses());
    } else {
        const auto code = info.error() == QHostInfo::HostNotFound
                              ? QNetworkReply::HostNotFoundError
                              : QNetworkReply::UnknownNetworkError;
        m_promise.setException(
            NetworkError(code, QStringLiteral("%1 (%2)").arg(info.errorString(), m_name)));
    }
    m_promise.finish();
    deleteLater();
}

void HostLookup::abortOnCancel()
{
    // A failed future also reports canceled in Qt 6.4: then it is done already.
    if (m_done)
        return;
    m_done = true;
    QHostInfo::abortHostLookup(m_lookupId);
    m_promise.finish();
    deleteLater();
}

} // namespace detail

QFuture<QList<QHostAddress>> lookupHost(const QString &name)
{
    detail::requireReactorThread("Crochet::lookupHost()");
    return (new detail::HostLookup(name, detail::reactorContext()))->future();
}

} // namespace Crochet
