// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// workers: plain blocking code in many threads, Qt Network underneath.
//
// Worker threads take URLs from a shared list and fetch each with a blocking
// call; all of them go through the one reactor thread and its one
// QNetworkAccessManager (kept-alive connections, no event loop of their own).
// At the end it prints a summary.
//
//     $ workers --serve                  # against a local server of its own
//     $ workers http://127.0.0.1:8000/a http://127.0.0.1:8000/b
//
// With --serve, or with no URL, it starts a Qt HttpServer on 127.0.0.1 (in
// the reactor thread too) with generated pages, some slow, and one missing;
// it exits with status 0 when every page gave the expected answer. With URLs
// it exits with status 0 when every URL gave an HTTP answer.

#include "httpservercompat.h"

#include <crochet/crochet.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtHttpServer/QHttpServer>
#include <QtNetwork/QNetworkAccessManager>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct Job
{
    QUrl url;
    int expectedStatus = 0; // 0: any HTTP answer will do
};

struct Outcome
{
    int status = 0; // 0: no HTTP answer
    qint64 bytes = 0;
    QString error;
};

// The blocking call every worker makes: a GET in the reactor thread, at
// most 30 seconds, then TimeoutError (and the download is aborted).
const auto fetch = Crochet::waitFor(30s, [](const QUrl &url) {
    return Crochet::networkAccessManager()->get(QNetworkRequest(url));
});

// A page of about \a size bytes.
QByteArray generatedPage(int number, int size)
{
    QByteArray html = "<html><body><h1>Page " + QByteArray::number(number) + "</h1><p>";
    while (html.size() < size)
        html += "All work and no play makes Jack a dull boy. ";
    return html + "</p></body></html>\n";
}

// Starts the local server in the reactor thread, where it lives until
// stopServer(); returns its port, 0 if it could not listen.
const auto startServer = Crochet::waitFor(10s, []() -> std::pair<QHttpServer *, quint16> {
    auto *server = new QHttpServer;
    server->route("/page/<arg>", [](int number) {
        return QHttpServerResponse("text/html", generatedPage(number, 1000 * (1 + number % 40)));
    });
    // A slow page answers after a timer, without blocking the thread that
    // serves the other pages (or the reactor's downloads). It keeps the
    // responder and writes later: in Qt 6.4, a QFuture<QHttpServerResponse>
    // fed by a QPromise crashes in QHttpServer's continuation.
    server->route("/slow/<arg>", [](int delayMs, HttpServerCompat::Responder responder) {
        auto pending = std::make_shared<QHttpServerResponder>(std::move(responder));
        QTimer::singleShot(delayMs, [pending, delayMs] {
            pending->write("<html><body>Slept " + QByteArray::number(delayMs) +
                               " ms</body></html>\n",
                           "text/html");
        });
    });
    return {server, HttpServerCompat::listen(*server, QHostAddress::LocalHost)};
});

const auto stopServer = Crochet::waitFor(10s, [](QHttpServer *server) { delete server; });

QList<Job> localJobs(quint16 port)
{
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QList<Job> jobs;
    for (int i = 0; i < 48; ++i)
        jobs.append({QUrl(QStringLiteral("%1/page/%2").arg(base).arg(i)), 200});
    for (int i = 0; i < 8; ++i)
        jobs.append({QUrl(QStringLiteral("%1/slow/%2").arg(base).arg(200 + 50 * i)), 200});
    jobs.append({QUrl(base + QStringLiteral("/missing")), 404});
    return jobs;
}

// Fetches every job with \a threadCount threads; outcomes by job index.
std::vector<Outcome> runWorkers(const QList<Job> &jobs, int threadCount)
{
    std::vector<Outcome> outcomes(jobs.size());
    std::atomic<qsizetype> next = 0;
    std::vector<std::thread> workers;
    for (int t = 0; t < threadCount; ++t) {
        workers.emplace_back([&] {
            for (qsizetype i = next++; i < jobs.size(); i = next++) {
                Outcome &outcome = outcomes[i];
                try {
                    const Crochet::NetworkResponse response = fetch(jobs[i].url);
                    outcome.status = response.statusCode;
                    outcome.bytes = response.body.size();
                } catch (const Crochet::Error &error) { // NetworkError, TimeoutError
                    outcome.error = error.message();
                }
            }
        });
    }
    for (auto &worker : workers)
        worker.join();
    return outcomes;
}

} // namespace

int main(int argc, char *argv[])
{
    // A plain main(): no application object, no event loop of its own. The
    // reactor thread is the only event loop; the workers just block.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments += QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Fetches URLs from worker threads with blocking calls."));
    parser.addHelpOption();
    const QCommandLineOption serveOption(
        QStringLiteral("serve"), QStringLiteral("Fetch pages from a local server of its own."));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Number of worker threads."),
                                           QStringLiteral("count"), QStringLiteral("8"));
    parser.addOptions({serveOption, threadsOption});
    parser.addPositionalArgument(QStringLiteral("urls"), QStringLiteral("URLs to fetch."),
                                 QStringLiteral("[url...]"));
    parser.process(arguments);
    const int threadCount = qMax(1, parser.value(threadsOption).toInt());

    Crochet::setup();

    QList<Job> jobs;
    QHttpServer *server = nullptr;
    const bool serve = parser.isSet(serveOption) || parser.positionalArguments().isEmpty();
    if (serve) {
        quint16 port = 0;
        std::tie(server, port) = startServer();
        if (port == 0) {
            std::fprintf(stderr, "the local server could not listen on 127.0.0.1\n");
            return 1;
        }
        std::printf("serving test pages on http://127.0.0.1:%u\n", unsigned(port));
        jobs = localJobs(port);
    }
    for (const QString &argument : parser.positionalArguments())
        jobs.append({QUrl::fromUserInput(argument), 0});

    QElapsedTimer timer;
    timer.start();
    const std::vector<Outcome> outcomes = runWorkers(jobs, threadCount);
    const double seconds = qMax(timer.nsecsElapsed() / 1e9, 1e-9);

    std::map<int, int> byStatus;
    qint64 bytes = 0;
    int failures = 0;
    int unexpected = 0;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        const Outcome &outcome = outcomes[i];
        bytes += outcome.bytes;
        if (!outcome.error.isEmpty()) {
            ++failures;
            std::printf("failed: %s: %s\n", qPrintable(jobs[i].url.toDisplayString()),
                        qPrintable(outcome.error));
        } else {
            ++byStatus[outcome.status];
        }
        if (!outcome.error.isEmpty() ||
            (jobs[i].expectedStatus != 0 && outcome.status != jobs[i].expectedStatus)) {
            ++unexpected;
        }
    }
    QStringList statuses;
    for (const auto &[status, count] : byStatus)
        statuses += QStringLiteral("%1 x HTTP %2").arg(count).arg(status);
    std::printf("%lld requests with %d threads in %.2f s (%.0f requests/s)\n",
                static_cast<long long>(jobs.size()), threadCount, seconds, jobs.size() / seconds);
    std::printf("answers: %s; failures: %d; bytes: %lld\n",
                qPrintable(statuses.isEmpty() ? QStringLiteral("none") : statuses.join(u", ")),
                failures, static_cast<long long>(bytes));

    if (server)
        stopServer(server);
    if (unexpected > 0) {
        std::printf("%d unexpected results\n", unexpected);
        return 1;
    }
    std::printf("all %lld results as expected\n", static_cast<long long>(jobs.size()));
    return 0;
}
