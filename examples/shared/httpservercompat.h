// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// What the examples that serve their own pages need from Qt HTTP Server,
// written once for both Qt versions the project is tested on. Qt 6.8
// reviewed the module's API as it left its technology preview, and the
// examples' code differs between 6.4 and 6.8 in three places only:
//
// | what                          | Qt 6.4                       | Qt 6.8 |
// |-------------------------------|------------------------------|--------|
// | a route handler's responder   | QHttpServerResponder &&      | QHttpServerResponder & |
// | a header on a response        | QHttpServerResponse::addHeader() | setHeaders(QHttpHeaders) |
// | headers given with write()    | an initializer list of pairs | QHttpHeaders |
//
// The rest is written the same for both: listening is a QTcpServer that
// listens and is bound (QHttpServer::listen() is gone in 6.8; bind() is in
// both), and a request's header is read with QHttpServerRequest::value()
// (headers() returns a list of pairs in 6.4, QHttpHeaders in 6.8).

#pragma once

#include <QtCore/QIODevice>
#include <QtHttpServer/QHttpServer>
#include <QtHttpServer/QHttpServerResponder>
#include <QtHttpServer/QHttpServerResponse>
#include <QtNetwork/QTcpServer>

namespace HttpServerCompat {

/*!
    What a route handler takes to answer later (move it out to keep it):

        server.route("/slow", [](HttpServerCompat::Responder responder) {
            auto kept = std::make_shared<QHttpServerResponder>(std::move(responder));
            ...
        });
*/
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
using Responder = QHttpServerResponder &;
#else
using Responder = QHttpServerResponder &&;
#endif

/*!
    Serves \a server's routes on \a address and \a port (0: any free port).
    Returns the port, or 0 when it cannot listen there.
*/
inline quint16 listen(QHttpServer &server, const QHostAddress &address, quint16 port = 0)
{
    auto *tcpServer = new QTcpServer(&server);
    if (!tcpServer->listen(address, port)) {
        delete tcpServer;
        return 0;
    }
    server.bind(tcpServer);
    return tcpServer->serverPort();
}

//! Adds the header \a name: \a value to \a response.
inline void addHeader(QHttpServerResponse &response, const QByteArray &name,
                      const QByteArray &value)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders headers = response.headers();
    headers.append(name, value);
    response.setHeaders(std::move(headers));
#else
    response.addHeader(name, value);
#endif
}

/*!
    Answers with a body of \a size bytes of \a mimeType that \a body (a
    sequential device, opened for reading) delivers bit by bit: Qt HTTP
    Server sends what it reads at each readyRead(), until atEnd(). The
    Content-Length lets the client show its progress. Takes \a body.
*/
inline void writeStreamed(QHttpServerResponder &responder, QIODevice *body,
                          const QByteArray &mimeType, qint64 size)
{
    const QByteArray length = QByteArray::number(size);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders headers;
    headers.append(QHttpHeaders::WellKnownHeader::ContentType, mimeType);
    headers.append(QHttpHeaders::WellKnownHeader::ContentLength, length);
    responder.write(body, headers);
#else
    responder.write(body, {{"Content-Type", mimeType}, {"Content-Length", length}});
#endif
}

} // namespace HttpServerCompat
