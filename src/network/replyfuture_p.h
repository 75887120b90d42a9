// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: feeds a QPromise<NetworkResponse> from a QNetworkReply (toFuture()).

#include <crochet/network.h>

#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>
#include <QtCore/QPromise>

namespace Crochet::detail {

/*!
    A child of the reply it watches, so both live in the reply's thread and
    go together. It collects the body as it arrives, reports progress,
    completes the promise when the reply finishes and then deletes the
    reply. If the reply is destroyed first (its manager went away), the
    promise's destructor cancels the future.
*/
class ReplyFuture final : public QObject
{
    Q_OBJECT

public:
    explicit ReplyFuture(QNetworkReply *reply);
    QFuture<NetworkResponse> future() { return m_promise.future(); }

private:
    void readHeaders();
    void readBody();
    void finish();
    void abortOnCancel();
    void reportProgress();

    QNetworkReply *m_reply;
    QPromise<NetworkResponse> m_promise;
    // Cancellation may come from any thread; the watcher turns it into a
    // queued call in this thread, where the reply can be aborted.
    QFutureWatcher<NetworkResponse> m_watcher;
    QByteArray m_body;
    qint64 m_total = -1;
    int m_progressShift = 0; // QFuture progress is an int: large totals are scaled down
    bool m_finished = false;
};

} // namespace Crochet::detail
