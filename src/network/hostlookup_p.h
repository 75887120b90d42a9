// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: a QHostInfo lookup as a QFuture (lookupHost()).

#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>
#include <QtCore/QPromise>
#include <QtNetwork/QHostAddress>

QT_BEGIN_NAMESPACE
class QHostInfo;
QT_END_NAMESPACE

namespace Crochet::detail {

/*!
    One pending lookup, a child of the reactor's context: it deletes itself
    once the lookup is answered or cancelled, and if the reactor stops first
    its destruction aborts the lookup and cancels the future.
*/
class HostLookup final : public QObject
{
    Q_OBJECT

public:
    HostLookup(const QString &name, QObject *parent);
    ~HostLookup() override;
    QFuture<QList<QHostAddress>> future() { return m_promise.future(); }

private Q_SLOTS:
    // A slot by name: Qt connects a lookup with a functor to the application
    // object, which prints a warning when there is none.
    void lookedUp(const QHostInfo &info);

private:
    void abortOnCancel();

    QString m_name;
    QPromise<QList<QHostAddress>> m_promise;
    // Turns a cancellation from any thread into a queued call in this one.
    QFutureWatcher<QList<QHostAddress>> m_watcher;
    int m_lookupId = -1;
    bool m_done = false;
};

} // namespace Crochet::detail
