// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: completes results from QNetworkReplies: a QPromise<NetworkResponse>
// for toFuture(), or directly the result of a wrapped function that returned
// the reply (adoptReply()).

#include <crochet/detail/resultstate.h>
#include <crochet/network.h>

#include <QtCore/QObject>
#include <QtCore/QPromise>

namespace Crochet::detail {

class ReplyOperation;

/*!
    Reads a reply's body as toFuture() and adoptReply() need it: without a
    copy per chunk. With the default unlimited read buffer the reply keeps
    the chunks and the body is read once at the end; with a limited one
    (which would stall the download) it is read as it arrives, into one
    buffer sized from Content-Length.
*/
class BodyReader
{
public:
    explicit BodyReader(QNetworkReply *reply)
        : m_reply(reply)
    {}
    //! On metaDataChanged(): the expected length, -1 when unknown.
    qint64 readHeaders();
    //! The expected length read last, -1 when unknown.
    qint64 total() const { return m_total; }
    //! On readyRead(): the bytes received so far.
    qint64 readAvailable();
    //! On finished(): the answer, or throws NetworkError when there is none.
    NetworkResponse takeResponse();

private:
    void append();

    QNetworkReply *m_reply;
    QByteArray m_body;
    qint64 m_total = -1;
};

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

    QNetworkReply *m_reply;
    BodyReader m_reader;
    // Cancellation may come from any thread; it becomes a call of
    // abortOnCancel() in this thread, where the reply can be aborted.
    CancellablePromise<NetworkResponse> m_promise;
    int m_progressShift = 0; // QFuture progress is an int: large totals are scaled down
    bool m_finished = false;
};

/*!
    The lighter path for a wrapped function that returns a reply: no
    QPromise, no QFuture, no watcher. A child of the reply (both live in the
    reactor thread and go together) that completes the result when the reply
    finishes, then deletes the reply. The result's ReplyOperation turns a
    cancel() from any thread into abort() here, and reads the progress this
    object records.
*/
class ReplyWatch final : public QObject
{
    Q_OBJECT

public:
    ReplyWatch(QNetworkReply *reply, Ref<ResultState<NetworkResponse>> state,
               ReplyOperation *operation);
    ~ReplyWatch() override;
    //! Reactor thread: aborts the reply unless it has finished.
    void abort();

private:
    void readHeaders();
    void readBody();
    void finish();
    //! Completion is over: the operation forgets this object, shutdown() the result.
    void detach();

    QNetworkReply *m_reply;
    BodyReader m_reader;
    Ref<ResultState<NetworkResponse>> m_state;
    ReplyOperation *m_operation; // owned by m_state, so alive while it is held
    bool m_finished = false;
};

} // namespace Crochet::detail
