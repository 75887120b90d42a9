// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "replyfuture_p.h"

#include "../core/reactor_p.h"

#include <QtCore/QThread>

#include <limits>
#include <mutex>

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

//! Throws unless \a reply can be followed here; \a who names the caller.
void checkReply(QNetworkReply *reply, const char *who)
{
    if (!reply)
        throw Error(QStringLiteral("%1 returned a null QNetworkReply").arg(QLatin1String(who)));
    if (reply->thread() != QThread::currentThread()) {
        throw ReactorThreadError(
            QStringLiteral("%1: the QNetworkReply lives in another thread; a reply is followed "
                           "in its own thread (the reactor thread for the replies of "
                           "Crochet::networkAccessManager())")
                .arg(QLatin1String(who)));
    }
}

QString errorMessage(const QString &errorString, const QUrl &url)
{
    const QString shownUrl = url.toDisplayString();
    if (errorString.contains(shownUrl))
        return errorString;
    return QStringLiteral("%1 (%2)").arg(errorString, shownUrl);
}

} // namespace

qint64 BodyReader::readHeaders()
{
    // Qt drops Content-Length when it decompresses a body itself, so a
    // length here counts the bytes the body will have. A redirect's headers
    // come first and are replaced by the final answer's.
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    m_total = length.isValid() ? length.toLongLong() : -1;
    return m_total;
}

qint64 BodyReader::readAvailable()
{
    if (m_reply->readBufferSize() != 0)
        append();
    return m_body.size() + m_reply->bytesAvailable();
}

void BodyReader::append()
{
    const qint64 available = m_reply->bytesAvailable();
    if (available <= 0)
        return;
    if (m_body.isEmpty() && m_total > available && m_total < std::numeric_limits<qsizetype>::max())
        m_body.reserve(m_total);
    const qsizetype before = m_body.size();
    m_body.resize(before + available);
    const qint64 read = m_reply->read(m_body.data() + before, available);
    m_body.resize(before + qMax<qint64>(read, 0));
}

NetworkResponse BodyReader::takeResponse()
{
    if (m_body.isEmpty())
        m_body = m_reply->readAll();
    else
        append();
    const QNetworkReply::NetworkError error = m_reply->error();
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (error != QNetworkReply::NoError && !(status.isValid() && isHttpAnswer(error)))
        throw NetworkError(error, errorMessage(m_reply->errorString(), m_reply->url()));
    return NetworkResponse{status.toInt(), m_reply->url(), m_reply->rawHeaderPairs(),
                           std::move(m_body)};
}

ReplyFuture::ReplyFuture(QNetworkReply *reply)
    : QObject(reply)
    , m_reply(reply)
    , m_reader(reply)
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
    const qint64 before = m_reader.total();
    const qint64 total = m_reader.readHeaders();
    if (total == before)
        return;
    m_progressShift = 0;
    while ((total >> m_progressShift) > std::numeric_limits<int>::max())
        ++m_progressShift;
    // A range of (0, 0) means "no range": EventualResult::progress() is -1.
    m_promise.setProgressRange(0, total > 0 ? int(total >> m_progressShift) : 0);
    readBody();
}

void ReplyFuture::readBody()
{
    // Follows the data as it comes, so the progress is exact: the reply's
    // own downloadProgress signal is throttled to one every 100 ms.
    const qint64 received = m_reader.readAvailable();
    const qint64 total = m_reader.total();
    if (total > 0)
        m_promise.setProgressValue(int(qMin(received, total) >> m_progressShift));
}

void ReplyFuture::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_promise.isCanceled()) {
        try {
            m_promise.addResult(m_reader.takeResponse());
        } catch (...) {
            m_promise.setException(std::current_exception());
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

/*!
    The operation behind a result completed by a ReplyWatch. Owned by the
    result, so it may outlive the watch and be destroyed in any thread: it
    only refers to the watch while the watch is attached, under its mutex.
*/
class ReplyOperation final : public Operation
{
public:
    void cancel() override
    {
        // Posted, never direct: abort() emits finished() at once, which must
        // not run inside whatever cancelled (in any thread).
        std::lock_guard guard(m_mutex);
        if (m_watch)
            QMetaObject::invokeMethod(m_watch, &ReplyWatch::abort, Qt::QueuedConnection);
    }

    double progress() const override
    {
        const qint64 total = m_total.load(std::memory_order_relaxed);
        if (total <= 0)
            return -1.0;
        return double(qMin(m_received.load(std::memory_order_relaxed), total)) / double(total);
    }

    void attach(ReplyWatch *watch)
    {
        std::lock_guard guard(m_mutex);
        m_watch = watch;
    }

    void setTotal(qint64 total) { m_total.store(total, std::memory_order_relaxed); }
    void setReceived(qint64 received) { m_received.store(received, std::memory_order_relaxed); }

private:
    std::mutex m_mutex;
    ReplyWatch *m_watch = nullptr; // guarded by m_mutex
    std::atomic<qint64> m_received{0};
    std::atomic<qint64> m_total{-1};
};

ReplyWatch::ReplyWatch(QNetworkReply *reply, Ref<ResultState<NetworkResponse>> state,
                       ReplyOperation *operation)
    : QObject(reply)
    , m_reply(reply)
    , m_reader(reply)
    , m_state(std::move(state))
    , m_operation(operation)
{
    m_operation->attach(this);
    connect(reply, &QNetworkReply::metaDataChanged, this, &ReplyWatch::readHeaders);
    connect(reply, &QNetworkReply::readyRead, this, &ReplyWatch::readBody);
    connect(reply, &QNetworkReply::finished, this, &ReplyWatch::finish);
    if (reply->isFinished())
        finish();
}

ReplyWatch::~ReplyWatch()
{
    if (m_finished)
        return;
    // The reply went away unfinished, with its manager: the reactor is
    // stopping (shutdown() fails the result with ReactorStopped), or the
    // user deleted it. The result fails instead of waiting for ever.
    if (Reactor::global().isStopRequested()) {
        m_state->abort(std::make_exception_ptr(ReactorStopped()));
    } else {
        m_state->fail(std::make_exception_ptr(NetworkError(
            QNetworkReply::OperationCanceledError,
            QStringLiteral("the QNetworkReply was deleted before it finished"))));
    }
    detach();
}

void ReplyWatch::abort()
{
    if (!m_finished)
        m_reply->abort(); // emits finished() at once
}

void ReplyWatch::readHeaders()
{
    m_operation->setTotal(m_reader.readHeaders());
    readBody();
}

void ReplyWatch::readBody()
{
    m_operation->setReceived(m_reader.readAvailable());
}

void ReplyWatch::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_state->isDone()) {
        try {
            m_state->succeed(m_reader.takeResponse());
        } catch (...) {
            failWithCurrentException(*m_state);
        }
    }
    detach();
    // Later, not now: the reply is inside its own finished() signal.
    m_reply->deleteLater();
}

void ReplyWatch::detach()
{
    m_operation->attach(nullptr);
    untrackPending(m_state.get());
}

void adoptReply(const Ref<ResultState<NetworkResponse>> &state, QNetworkReply *reply)
{
    checkReply(reply, "a wrapped function");
    auto operation = std::make_unique<ReplyOperation>();
    ReplyOperation *raw = operation.get();
    state->attachOperation(std::move(operation));
    trackPending(state.get());
    new ReplyWatch(reply, state, raw); // a child of the reply
}

} // namespace detail

QFuture<NetworkResponse> toFuture(QNetworkReply *reply)
{
    if (!reply) {
        return QtFuture::makeExceptionalFuture<NetworkResponse>(
            Error(QStringLiteral("Crochet::toFuture() was given a null QNetworkReply")));
    }
    detail::checkReply(reply, "Crochet::toFuture()");
    return (new detail::ReplyFuture(reply))->future();
}

} // namespace Crochet
