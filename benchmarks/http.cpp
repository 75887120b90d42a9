// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Blocking HTTP GETs from 4 threads, through Crochet (one manager in the
// reactor) and the usual alternative (a QNetworkAccessManager per thread,
// each request waited on with a nested QEventLoop).

#include "bench.h"

#include <crochet/crochet.h>
#include <crochet/network.h>

#include <QtCore/QEventLoop>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <algorithm>
#include <cmath>
#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

constexpr int HttpThreads = 4;

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

struct Throughput
{
    double perSecond;       // requests, in all threads
    double cpuUsPerRequest; // CPU time of the whole process (nginx not included)
};

//! Runs \a body in HttpThreads threads at once.
template <typename Body>
Throughput requestsPerSecond(int requestsPerThread, const Body &body)
{
    const int requests = HttpThreads * requestsPerThread;
    const double cpuBefore = processCpuSeconds();
    const double seconds = runTogether(HttpThreads, [&](int) { body(requestsPerThread); });
    return {requests / seconds, (processCpuSeconds() - cpuBefore) * 1e6 / requests};
}

Throughput crochetRequestsPerSecond(const QUrl &url, qsizetype size, int requestsPerThread)
{
    return requestsPerSecond(requestsPerThread, [&](int requests) {
        for (int i = 0; i < requests; ++i) {
            const Crochet::NetworkResponse response = crochetFetch(url);
            checkBody(response.statusCode, response.body.size(), size);
        }
    });
}

Throughput perThreadRequestsPerSecond(const QUrl &url, qsizetype size, int requestsPerThread)
{
    return requestsPerSecond(requestsPerThread, [&](int requests) {
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

//! The size of the body at \a url, fetched once through Crochet.
qsizetype bodySize(const QUrl &url)
{
    const Crochet::NetworkResponse response = crochetFetch(url);
    if (response.statusCode != 200)
        throw std::runtime_error("the benchmark URL does not answer 200");
    return response.body.size();
}

} // namespace

void runHttp(const Options &options, Report &report)
{
    const int requestsPerThread = options.count(500, 50);
    printHeading(QStringLiteral("Blocking HTTP GETs: %1 threads x %2 (requests/s, median "
                                "[min..max] of %3 runs)")
                     .arg(HttpThreads)
                     .arg(requestsPerThread)
                     .arg(options.repetitions));
    const std::pair<QString, QUrl> endpoints[] = {{QStringLiteral("1k"), options.url1k},
                                                  {QStringLiteral("1m"), options.url1m}};
    Table table({QStringLiteral("body"), QStringLiteral("crochet (one manager in reactor)"),
                 QStringLiteral("manager per thread + QEventLoop"), QStringLiteral("ratio"),
                 QStringLiteral("CPU us/req crochet"), QStringLiteral("per thread")});
    for (const auto &[key, url] : endpoints) {
        const QString crochetKey = QStringLiteral("http_rps.crochet.") + key;
        const QString perThreadKey = QStringLiteral("http_rps.per_thread.") + key;
        const QString targetName = QStringLiteral("4. blocking GETs, %1").arg(key);
        const QString measurement = QStringLiteral("crochet / manager per thread");
        if (url.isEmpty()) {
            printNote(QStringLiteral("--url-%1 not given: the %1 HTTP measurement is skipped "
                                     "(benchmarks/run.sh starts nginx and passes the URLs).")
                          .arg(key));
            report.setNull(crochetKey);
            report.setNull(perThreadKey);
            report.addTarget(targetName, measurement, std::nan(""), 1.0, true);
            continue;
        }
        const qsizetype size = bodySize(url);
        crochetRequestsPerSecond(url, size, std::max(requestsPerThread / 10, 5));
        perThreadRequestsPerSecond(url, size, std::max(requestsPerThread / 10, 5));
        Samples crochet, perThread, crochetCpu, perThreadCpu;
        for (int r = 0; r < options.repetitions; ++r) {
            const Throughput viaCrochet = crochetRequestsPerSecond(url, size, requestsPerThread);
            const Throughput viaThreads = perThreadRequestsPerSecond(url, size, requestsPerThread);
            crochet.values.push_back(viaCrochet.perSecond);
            crochetCpu.values.push_back(viaCrochet.cpuUsPerRequest);
            perThread.values.push_back(viaThreads.perSecond);
            perThreadCpu.values.push_back(viaThreads.cpuUsPerRequest);
        }
        const double ratio = crochet.median() / perThread.median();
        report.set(crochetKey, crochet.median());
        report.set(perThreadKey, perThread.median());
        table.addRow({QStringLiteral("%1 (%2 B)").arg(key).arg(size), crochet.text(0),
                      perThread.text(0), number(ratio, 2), number(crochetCpu.median(), 0),
                      number(perThreadCpu.median(), 0)});
        report.addTarget(targetName, measurement, ratio, 1.0, true);
    }
    if (!options.url1k.isEmpty() || !options.url1m.isEmpty()) {
        table.print();
        printNote(QStringLiteral("CPU us/req: CPU time of the whole process per request (all "
                                 "its threads; nginx not included), median."));
    }
}

} // namespace Bench
