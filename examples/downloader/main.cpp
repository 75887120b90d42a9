// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// downloader: crochet's Flask download example, with Qt HttpServer.
//
//     $ downloader --port 8080 http://127.0.0.1:8000/page.html
//     listening on http://127.0.0.1:8080
//
// The first visit to / starts a background download of the URL and keeps
// only a number, the stash() uid, in a cookie. Each later visit takes the
// result back with that uid, waits a tenth of a second for it, and shows
// "Download in progress..." (stashing it again), the page, or the failure.
// The web server's thread blocks a little in wait(); the download itself
// runs in the reactor thread and keeps going between visits.

#include "httpservercompat.h"

#include <crochet/crochet.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtHttpServer/QHttpServer>
#include <QtNetwork/QNetworkAccessManager>

#include <chrono>
#include <cstdio>
#include <optional>

using namespace std::chrono_literals;

namespace {

const QByteArray CookieName = "download";

// Runs in the reactor thread; returns at once with an EventualResult.
const auto downloadPage = Crochet::runInReactor(
    [](const QUrl &url) { return Crochet::networkAccessManager()->get(QNetworkRequest(url)); });

quint64 uidFromCookie(const QHttpServerRequest &request)
{
    for (const QByteArray &cookie : request.value("Cookie").split(';')) {
        const QByteArray trimmed = cookie.trimmed();
        if (trimmed.startsWith(CookieName + '='))
            return trimmed.mid(CookieName.size() + 1).toULongLong();
    }
    return 0;
}

QHttpServerResponse page(const QString &text, const QByteArray &cookie)
{
    QHttpServerResponse response("text/plain; charset=utf-8", text.toUtf8());
    HttpServerCompat::addHeader(response, "Set-Cookie", cookie);
    return response;
}

QByteArray keep(quint64 uid)
{
    return CookieName + '=' + QByteArray::number(uid) + "; Path=/; HttpOnly";
}

QByteArray forget()
{
    return CookieName + "=; Path=/; Max-Age=0";
}

QHttpServerResponse start(const QUrl &url)
{
    const quint64 uid = downloadPage(url).stash();
    return page(QStringLiteral("Starting the download of %1; refresh to follow it.\n")
                    .arg(url.toDisplayString()),
                keep(uid));
}

QHttpServerResponse index(const QHttpServerRequest &request, const QUrl &url)
{
    const quint64 uid = uidFromCookie(request);
    if (uid == 0)
        return start(url);
    std::optional<Crochet::EventualResult<Crochet::NetworkResponse>> result;
    try {
        result = Crochet::retrieveResult<Crochet::NetworkResponse>(uid);
    } catch (const Crochet::ResultNotFound &) {
        return start(url); // an old cookie, e.g. from before a restart
    }
    try {
        const Crochet::NetworkResponse response = result->wait(100ms);
        return page(QStringLiteral("Downloaded %1 (HTTP %2, %3 bytes):\n\n%4")
                        .arg(response.url.toDisplayString())
                        .arg(response.statusCode)
                        .arg(response.body.size())
                        .arg(response.text()),
                    forget());
    } catch (const Crochet::TimeoutError &) {
        // Not there yet: keep it for the next visit, under a new uid.
        return page(QStringLiteral("Download in progress...\n"), keep(result->stash()));
    } catch (...) {
        return page(
            QStringLiteral("Download failed:\n%1\n").arg(result->originalFailure()->traceback()),
            forget());
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Downloads <url> in the background for each visitor of its web page."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port to listen on (0: any free port)."),
                                        QStringLiteral("port"), QStringLiteral("8080"));
    parser.addOption(portOption);
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("The page to download."));
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QUrl url = QUrl::fromUserInput(parser.positionalArguments().constFirst());

    // The application's thread serves the web pages (and blocks in wait());
    // the reactor is a thread of its own.
    Crochet::setup();

    QHttpServer server;
    server.route("/", [url](const QHttpServerRequest &request) { return index(request, url); });
    const quint16 port = HttpServerCompat::listen(server, QHostAddress::LocalHost,
                                                  parser.value(portOption).toUShort());
    if (port == 0) {
        std::fprintf(stderr, "cannot listen on port %s\n", qPrintable(parser.value(portOption)));
        return 1;
    }
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(port));
    std::fflush(stdout);
    return app.exec();
}
