// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file network.h
    Qt Network in the reactor: the reactor's QNetworkAccessManager, replies
    and host lookups as QFutures, and NetworkError. A wrapped function may
    return a QNetworkReply * (or one of these QFutures) and its caller gets
    the NetworkResponse:

    \code
    static const auto fetch = Crochet::waitFor(10s, [](const QUrl &url) {
        return Crochet::networkAccessManager()->get(QNetworkRequest(url));
    });
    const Crochet::NetworkResponse page = fetch(QUrl("http://127.0.0.1:8080/"));
    \endcode

    Everything here except NetworkResponse, NetworkError and the connection
    limit runs in the reactor thread only: call it inside a function run by
    runInReactor() or waitFor().

    \library `#include <crochet/network.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Network` (or `Crochet::Crochet`). */

#include <crochet/detail/call.h>
#include <crochet/errors.h>
#include <crochet/global.h>

#include <QtCore/QByteArray>
#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QPair>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QNetworkReply>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

//! Marks what the network library exports (the library's own business).
#if defined(CROCHET_BUILDING_NETWORK_LIBRARY)
#define CROCHET_NETWORK_EXPORT Q_DECL_EXPORT
#else
#define CROCHET_NETWORK_EXPORT Q_DECL_IMPORT
#endif

namespace Crochet {

/*!
    An HTTP answer, whatever its status (404 and 500 are answers too, not
    errors). A plain value, safe to copy between threads.

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads Any thread (a plain value).
*/
struct CROCHET_NETWORK_EXPORT NetworkResponse
{
    //! The HTTP status code. For a file: or qrc: URL, 200 (Qt reports 200 OK
    //! for the files it reads; Crochet also for an empty one); for other
    //! non-HTTP requests (data:), 0.
    int statusCode = 0;
    //! The final URL, after redirects.
    QUrl url;
    //! The response headers as received, in order.
    QList<QPair<QByteArray, QByteArray>> headers;
    //! The whole body.
    QByteArray body;

    //! The value of the first header called \a name (case-insensitive), or a null QByteArray.
    //! \nothrow
    QByteArray header(QByteArrayView name) const;
    //! The body decoded as UTF-8.
    //! \nothrow
    QString text() const;
};

/*!
    A Qt Network operation failed with no HTTP answer: connection refused,
    host not found, a timeout, the connection closed in the middle of the
    body, a TLS failure. The message is Qt's error string and the URL (or
    host name).

    A URL that can never be fetched (one QUrl finds invalid: a malformed
    host, a port out of range; or an http(s) URL with no host) fails with
    QNetworkReply::ProtocolFailure, the code Qt gives a URL it cannot parse,
    and a message that says the URL is invalid, why, and shows it.

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads Any thread.
*/
class CROCHET_NETWORK_EXPORT NetworkError : public Error
{
public:
    //! The error \a code with the text \a message. \nothrow
    NetworkError(QNetworkReply::NetworkError code, const QString &message);
    //! What went wrong, in QNetworkReply's terms.
    //! \nothrow
    QNetworkReply::NetworkError code() const;
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    NetworkError *clone() const override;

private:
    QNetworkReply::NetworkError m_code;
};

/*!
    The reactor's own QNetworkAccessManager, created on first use and
    destroyed in the reactor thread when the reactor stops. It follows
    redirects that are not less safe (no https to http).

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads The reactor thread only: call it inside a function run by
    runInReactor() or waitFor().
    \throws ReactorThreadError on any other thread.
*/
CROCHET_NETWORK_EXPORT QNetworkAccessManager *networkAccessManager();

/*!
    Sets how many connections networkAccessManager() may keep open to one
    host (scheme, host and port) at a time; requests beyond that wait in
    Qt's queue for a free connection. The default, 64, lets a pool of 64
    worker threads that each wait for one request be served at once; a
    plain QNetworkAccessManager allows 6.

    Connections are opened on demand, so a program that never has more
    than six requests to a host in flight never opens more. Qt opens up to
    six connections per host in each of the manager's HTTP threads, so the
    limit is rounded up to a multiple of six. It applies to requests started
    after the call.

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads Any thread.
    \throws Error when \a connections is below 1.
*/
CROCHET_NETWORK_EXPORT void setConnectionsPerHost(int connections);

/*!
    The limit set by setConnectionsPerHost(), 64 by default.

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads Any thread.
    \nothrow
*/
CROCHET_NETWORK_EXPORT int connectionsPerHost();

/*!
    Takes ownership of \a reply and returns a QFuture of its answer:
    a NetworkResponse for any HTTP status, a NetworkError when there is no
    HTTP answer. The future reports the download progress (no range while
    the length is unknown); cancelling it aborts the reply, which closes the
    connection. The reply is deleted (later, in its own thread) once it has
    finished.

    A null \a reply gives a future failed with a plain Crochet::Error (it
    does not throw); a reply for an invalid URL, one failed at once with
    NetworkError (ProtocolFailure), and the reply is aborted and deleted.
    With no QCoreApplication, an HTTP reply of a QNetworkAccessManager other
    than networkAccessManager() fails at once with SetupError, since Qt's
    HTTP thread of that manager cannot run without one. (A wrapped function
    that returns such a reply fails the same ways.)

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads The thread the reply lives in: the reactor thread for the
    replies of networkAccessManager().
    \throws ReactorThreadError on another thread.
*/
CROCHET_NETWORK_EXPORT QFuture<NetworkResponse> toFuture(QNetworkReply *reply);

/*!
    Looks up the addresses of host \a name (QHostInfo). A name that does not
    resolve fails with NetworkError (QNetworkReply::HostNotFoundError).
    The lookup runs in a thread pool of Crochet's (QHostInfo::fromName()).
    Cancelling the future ends it at once; a lookup still queued is not
    made, one under way is left to finish and its answer dropped.

    \library `#include <crochet/network.h>`, `Crochet::Network`.
    \threads The reactor thread only.
    \throws ReactorThreadError on any other thread.
*/
CROCHET_NETWORK_EXPORT QFuture<QList<QHostAddress>> lookupHost(const QString &name);

namespace detail {
//! Reactor thread: completes \a state from \a reply (as toFuture() would,
//! without a QFuture in between) and deletes the reply when it finishes.
CROCHET_NETWORK_EXPORT void adoptReply(const Ref<ResultState<NetworkResponse>> &state,
                                       QNetworkReply *reply);

//! A wrapped function may return a QNetworkReply *: its result is the NetworkResponse.
template <>
struct ReturnTraits<QNetworkReply *>
{
    using Result = NetworkResponse;
    static constexpr bool isAsync = true;
    static QFuture<NetworkResponse> toFuture(QNetworkReply *&&reply)
    {
        return Crochet::toFuture(reply);
    }
    static void adopt(const Ref<ResultState<NetworkResponse>> &state, QNetworkReply *&&reply)
    {
        adoptReply(state, reply);
    }
};
} // namespace detail

} // namespace Crochet

Q_DECLARE_METATYPE(Crochet::NetworkResponse)
