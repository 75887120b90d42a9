// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "httpthreadpool_p.h"
#include "network_p.h"
#include "replyfuture_p.h"

#include "../core/coreservices_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>

#include <limits>
#include <mutex>
#include <optional>

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

//! Says that invalid \a url is invalid, showing its text and QUrl's reason.
QString invalidUrlMessage(const QUrl &url)
{
    // An invalid QUrl has no text (toString() is empty): only its
    // errorString() keeps it, as "<reason>; source was "<text>"; scheme =
    // "http", ..." (Qt 6.4).
    static const QRegularExpression parts(
        QStringLiteral(R"re(^(.*?); source was "(.*?)";(?:$| (?:scheme|userinfo|host|path|)re"
                       R"re(query|fragment) = "))re"),
        QRegularExpression::DotMatchesEverythingOption);
    const QString error = url.errorString();
    const QRegularExpressionMatch match = parts.match(error);
    if (!match.hasMatch())
        return QStringLiteral("the URL is invalid: %1").arg(error);
    return QStringLiteral("the URL \"%1\" is invalid: %2")
        .arg(match.captured(2), match.captured(1));
}

/*!
    The error of a reply whose \a url can never be fetched, or nullopt.
    Qt sends what it can of such a URL and reports something misleading:
    "Host  not found", with neither host nor URL, for a malformed host or
    an http(s) URL with none, and "Connection refused" for a port out of
    range (QUrl drops the port, so Qt tries the scheme's default one).

    The code is ProtocolFailure, the one Qt Network itself gives a URL it
    cannot parse ("Invalid URI", data: URLs): HostNotFoundError would say a
    name lookup failed, which a caller may retry, and ProtocolUnknownError
    that the scheme is unknown. An empty URL is left to Qt ("Protocol \"\"
    is unknown"), and so are replies of user classes that never set one.
*/
std::optional<NetworkError> invalidUrlError(const QUrl &url)
{
    if (url.isEmpty())
        return std::nullopt;
    if (!url.isValid())
        return NetworkError(QNetworkReply::ProtocolFailure, invalidUrlMessage(url));
    const QString scheme = url.scheme(); // QUrl makes it lower-case
    if ((scheme == u"http" || scheme == u"https") && url.host().isEmpty()) {
        return NetworkError(QNetworkReply::ProtocolFailure,
                            QStringLiteral("the URL \"%1\" is invalid: an %2 URL needs a host name")
                                .arg(url.toDisplayString(), scheme));
    }
    return std::nullopt;
}

/*!
    Deletes a reply refused for its URL. One with a host is aborted first:
    with a port out of range, Qt would connect to the default port. One
    with no host cannot connect anywhere, and Qt fails it in its host
    lookup; aborting it during that lookup makes Qt 6.4 warn ("could not
    de-queue request"), so it is deleted once it has finished.
*/
void discardReply(QNetworkReply *reply)
{
    if (!reply->isFinished() && !reply->url().host().isEmpty()) {
        reply->abort(); // emits finished() at once
        // Its HTTP thread may have queued an error for it already (a refused
        // connection comes at once); delivered after abort(), Qt 6.4 warns
        // that the error "must only be called once". Nothing more is wanted
        // of this reply: drop what was queued, and what comes after the
        // deleteLater() below is dropped with the reply.
        QCoreApplication::removePostedEvents(reply, QEvent::MetaCall);
    }
    if (reply->isFinished())
        reply->deleteLater();
    else
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

/*!
    Why \a reply can never finish, or null: an invalid URL, or an HTTP reply
    of a manager other than the reactor's while no application object
    exists. Qt runs that manager's HTTP in a thread of its own, which
    delivers no event without one (see qtprivate.cpp): the reply would
    wait out any timeout.
*/
std::exception_ptr unfinishableReplyError(QNetworkReply *reply)
{
    if (std::optional<NetworkError> error = invalidUrlError(reply->url()))
        return std::make_exception_ptr(*std::move(error));
    QNetworkAccessManager *manager = reply->manager();
    if (!QCoreApplication::instance() && manager && !isReactorManager(manager) &&
        HttpThreadPool::usesHttpThread(reply->request())) {
        return std::make_exception_ptr(SetupError(
            QStringLiteral("%1: this QNetworkReply comes from a QNetworkAccessManager of your own, "
                           "whose HTTP thread cannot run while no QCoreApplication exists; use "
                           "Crochet::networkAccessManager(), or create a QCoreApplication")
                .arg(reply->url().toDisplayString())));
    }
    return {};
}

//! Whether \a url is served by Qt's local file replies (GET and HEAD).
bool isFileUrl(const QUrl &url)
{
    return url.isLocalFile() || url.scheme() == u"qrc";
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
    // An aborted reply is closed: reading it would only print Qt's "device
    // not open" warning.
    if (m_reply->isOpen()) {
        if (m_body.isEmpty())
            m_body = m_reply->readAll();
        else
            append();
    }
    const QNetworkReply::NetworkError error = m_reply->error();
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (error != QNetworkReply::NoError && !(status.isValid() && isHttpAnswer(error)))
        throw NetworkError(error, errorMessage(m_reply->errorString(), m_reply->url()));
    // Qt's file replies (file:, qrc:) report 200 OK once some bytes were
    // read, so never for an empty file: 200 for all of them.
    int statusCode = status.toInt();
    if (!status.isValid() && isFileUrl(m_reply->url()))
        statusCode = 200;
    return NetworkResponse{statusCode, m_reply->url(), m_reply->rawHeaderPairs(),
                           std::move(m_body)};
}

ReplyFuture::ReplyFuture(QNetworkReply *reply)
    : QObject(reply)
    , m_reply(reply)
    , m_reader(reply)
    , m_promise(this, [this] { abortOnCancel(); })
{
    connect(reply, &QNetworkReply::metaDataChanged, this, &ReplyFuture::readHeaders);
    connect(reply, &QNetworkReply::readyRead, this, &ReplyFuture::readBody);
    connect(reply, &QNetworkReply::finished, this, &ReplyFuture::finish);
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
    m_promise.promise().setProgressRange(0, total > 0 ? int(total >> m_progressShift) : 0);
    readBody();
}

void ReplyFuture::readBody()
{
    // Follows the data as it comes, so the progress is exact: the reply's
    // own downloadProgress signal is throttled to one every 100 ms.
    const qint64 received = m_reader.readAvailable();
    const qint64 total = m_reader.total();
    if (total > 0)
        m_promise.promise().setProgressValue(int(qMin(received, total) >> m_progressShift));
}

void ReplyFuture::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_promise.promise().isCanceled()) {
        try {
            m_promise.promise().addResult(m_reader.takeResponse());
        } catch (...) {
            m_promise.promise().setException(std::current_exception());
        }
    }
    m_promise.promise().finish();
    // Later, not now: the reply is inside its own finished() signal, and
    // whoever waits on the future may run code that must not be nested in it.
    m_reply->deleteLater();
}

void ReplyFuture::abortOnCancel()
{
    // Also called when the future fails (see CancellablePromise); by then
    // the reply has finished and there is nothing to abort.
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
    if (isReactorStopping()) {
        m_state->abort(std::make_exception_ptr(ReactorStopped()));
    } else {
        m_state->fail(std::make_exception_ptr(
            NetworkError(QNetworkReply::OperationCanceledError,
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
    if (std::exception_ptr error = unfinishableReplyError(reply)) {
        state->fail(std::move(error));
        discardReply(reply);
        return;
    }
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
    if (const std::exception_ptr error = detail::unfinishableReplyError(reply)) {
        detail::discardReply(reply);
        return QtFuture::makeExceptionalFuture<NetworkResponse>(error);
    }
    return (new detail::ReplyFuture(reply))->future();
}

} // namespace Crochet
