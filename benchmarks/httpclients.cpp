// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Blocking HTTP GETs from many threads, through Crochet (one manager in the
// reactor) and the usual alternative (a QNetworkAccessManager per thread,
// each request waited on with a nested QEventLoop). Shared by the http
// (nginx) and slowhost (a server that answers late) families.

#include "bench.h"

#include <crochet/crochet.h>
#include <crochet/network.h>

#include <QtCore/QEventLoop>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

const auto crochetFetch = Crochet::waitFor(60s, [](const QUrl &url) {
    return Crochet::networkAccessManager()->get(QNetworkRequest(url));
});

void checkBody(int status, qsizetype size, qsizetype expected)
{
    if (status != 200 || size != expected) {
        throw std::runtime_error(QStringLiteral("unexpected HTTP answer: status %1, %2 bytes, "
                                                "expected 200 with %3 bytes")
                                     .arg(status)
                                     .arg(size)
                                     .arg(expected)
                                     .toStdString());
    }
}

//! Runs \a body(requestsPerThread) in \a threads threads at once.
template <typename Body>
HttpThroughput measure(int threads, int requestsPerThread, const Body &body)
{
    const int requests = threads * requestsPerThread;
    const double cpuBefore = processCpuSeconds();
    const double seconds = runTogether(threads, [&](int) { body(requestsPerThread); });
    return {requests / seconds, (processCpuSeconds() - cpuBefore) * 1e6 / requests};
}

} // namespace

HttpThroughput crochetGets(const QUrl &url, qsizetype size, int threads, int requestsPerThread)
{
    return measure(threads, requestsPerThread, [&](int requests) {
        for (int i = 0; i < requests; ++i) {
            const Crochet::NetworkResponse response = crochetFetch(url);
            checkBody(response.statusCode, response.body.size(), size);
        }
    });
}

HttpThroughput perThreadManagerGets(const QUrl &url, qsizetype size, int threads,
                                    int requestsPerThread)
{
    return measure(threads, requestsPerThread, [&](int requests) {
        QNetworkAccessManager manager;
        for (int i = 0; i < requests; ++i) {
            QNetworkReply *reply = manager.get(QNetworkRequest(url));
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            if (!reply->isFinished())
                loop.exec();
            const QByteArray body = reply->readAll();
            checkBody(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                      body.size(), size);
            delete reply;
        }
    });
}

QByteArray fetchBody(const QUrl &url)
{
    const Crochet::NetworkResponse response = crochetFetch(url);
    if (response.statusCode != 200) {
        throw std::runtime_error(QStringLiteral("%1 answered %2, not 200")
                                     .arg(url.toString())
                                     .arg(response.statusCode)
                                     .toStdString());
    }
    return response.body;
}

} // namespace Bench
