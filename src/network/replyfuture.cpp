// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "replyfuture_p.h"

#include <QtCore/QThread>

#include <limits>

namespace Crochet {

namespace detail {

namespace {

// Whether a reply that ended with \a error still carries a complete HTTP
// answer (Qt maps 4xx and 5xx statuses to errors). Anything in the network
// and proxy ranges, or a broken protocol exchange, means the answer is
// missing or truncated.
bool isHttpAnswer(QNetworkReply::NetworkError error)
{
    const int code = int(error);
    const bool contentError =
        code >= QNetworkReply::ContentAccessDenied && code <= QNetworkReply::UnknownContentError;
    const bool serverError =
        code >= QNetworkReply::InternalServerError && code <= QNetworkReply::UnknownServerError;
    // Qt maps 400 and 407 to these two, outside the content and server ranges.
    const bool otherAnswer = error == QNetworkReply::ProtocolInvalidOperationError ||
                             error == QNetworkReply::ProxyAuthenticationRequiredError;
    return error == QNetworkReply::NoError || contentError || serverError || otherAnswer;
}

QString errorMessage(const QString &errorString, const QUrl &url)
{
    const QString shownUrl = url.toDisplayString();
    if (errorString.contains(shownUrl))
        return errorString;
    return QStringLiteral("%1 (%2)").arg(errorString, shownUrl);
}

} // namespace

ReplyFuture::ReplyFuture(QNetworkReply *reply)
    : QObject(reply)
    , m_reply(reply)
{
    m_promise.start();
    connect(reply, &QNetworkReply::metaDataChanged, this, &ReplyFuture::readHeaders);
    connect(reply, &QNetworkReply::readyRead, this, &ReplyFuture::readBody);
    connect(reply, &QNetworkReply::finished, this, &ReplyFuture::finish);
    connect(&m_watcher, &QFutureWatcherBase::canceled, this, &ReplyFuture::abortOnCancel);
    m_watcher.setFuture(m_promise.future());
    if (reply->isFinished())
        finish();
}

void ReplyFuture::readHeaders()
{
    // Qt drops Content-Length when it decompresses a body itself, so a
    // length here counts the bytes readBody() will see. A redirect's
    // headers come first and are replaced by the final answer's.
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    const qint64 total = length.isValid() ? length.toLongLong() : -1;
    if (total == m_total)
        return;
    m_total = total;
    m_progressShift = 0;
    while ((m_total >> m_progressShift) > std::numeric_limits<int>::max())
        ++m_progressShift;
    // A range of (0, 0) means "no range": EventualResult::progress() is -1.
    m_promise.setProgressRange(0, m_total > 0 ? int(m_total >> m_progressShift) : 0);
    reportProgress();
}

void ReplyFuture::readBody()
{
    // Reading as the data comes keeps the progress exact: the reply's own
    // downloadProgress signal is throttled to one every 100 ms.
    m_body += m_reply->readAll();
    reportProgress();
}

void ReplyFuture::reportProgress()
{
    if (m_total > 0)
        m_promise.setProgressValue(int(qMin(qint64(m_body.size()), m_total) >> m_progressShift));
}

void ReplyFuture::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_promise.isCanceled()) {
        m_body += m_reply->readAll();
        const QNetworkReply::NetworkError error = m_reply->error();
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (error == QNetworkReply::NoError || (status.isValid() && isHttpAnswer(error))) {
            m_promise.addResult(NetworkResponse{status.toInt(), m_reply->url(),
                                                m_reply->rawHeaderPairs(), std::move(m_body)});
        } else {
            m_promise.setException(
                NetworkError(error, errorMessage(m_reply->errorString(), m_reply->url())));
        }
    }
    m_promise.finish();
    // Later, not now: the reply is inside its own finished() signal, and
    // whoever waits on the future may run code that must not be nested in it.
    m_reply->deleteLater();
}

void ReplyFuture::abortOnCancel()
{
    // A future that fails also reports canceled in Qt 6.4; by then the reply
    // has finished and there is nothing to abort.
    if (m_finished)
        return;
    // Emits finished() at once, which completes the (cancelled) promise.
    m_reply->abort();
}

} // namespace detail

QFuture<NetworkResponse> toFuture(QNetworkReply *reply)
{
    if (!reply) {
        return QtFuture::makeExceptionalFuture<NetworkResponse>(
            Error(QStringLiteral("Crochet::toFuture() was given a null QNetworkReply")));
    }
    if (reply->thread() != QThread::currentThread()) {
        throw ReactorThreadError(QStringLiteral(
            "Crochet::toFuture() must be called in the thread the QNetworkReply lives in (the "
            "reactor thread for replies of Crochet::networkAccessManager())"));
    }
    return (new detail::ReplyFuture(reply))->future();
}

} // namespace Crochet
