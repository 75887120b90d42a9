// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Blocking HTTP GETs from 16 and 64 threads to a slow host: a server that
// answers every request after a fixed delay (crochet-bench --serve-slow, a
// child process). Neither side is busy; the throughput is how many requests
// each approach keeps waiting at the server at once, which for Crochet is
// how many connections its one manager opens to the host. The server says
// how many that was.

#include "bench.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QProcess>

#include <algorithm>
#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

//! The slow host in a child process, stopped by closing its standard input.
class SlowHost
{
public:
    explicit SlowHost(int delayMs)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--serve-slow"), QStringLiteral("0"),
                         QStringLiteral("--slow-delay"), QString::number(delayMs)});
        // Its first line, "port N", says that it listens.
        const QDeadlineTimer deadline(10s);
        while (!m_process.canReadLine()) {
            if (m_process.state() == QProcess::NotRunning || deadline.hasExpired())
                throw std::runtime_error(
                    "the slow host (crochet-bench --serve-slow) did not start");
            m_process.waitForReadyRead(int(std::max<qint64>(deadline.remainingTime(), 1)));
        }
        const QByteArray line = m_process.readLine().trimmed();
        m_port = line.startsWith("port ") ? line.mid(5).toUShort() : 0;
        if (m_port == 0)
            throw std::runtime_error("unexpected first line from the slow host: " +
                                     line.toStdString());
    }

    ~SlowHost()
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    SlowHost(const SlowHost &) = delete;
    SlowHost &operator=(const SlowHost &) = delete;

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
    }

    //! The most requests the server held at once since the last call.
    int takePeak() const { return fetchBody(url(QStringLiteral("/peak"))).trimmed().toInt(); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace

void runSlowHost(const Options &options, Report &report)
{
    const int delayMs = options.slowHostDelayMs;
    const SlowHost host(delayMs);
    const QUrl url = host.url(QStringLiteral("/slow"));
    const qsizetype size = fetchBody(url).size();
    printHeading(QStringLiteral("Blocking HTTP GETs to a slow host (answers after %1 ms; "
                                "requests/s, median [min..max] of %2 runs)")
                     .arg(delayMs)
                     .arg(options.repetitions));
    Table table({QStringLiteral("threads"), QStringLiteral("crochet (one manager in reactor)"),
                 QStringLiteral("manager per thread + QEventLoop"), QStringLiteral("ratio"),
                 QStringLiteral("at most"), QStringLiteral("connections crochet"),
                 QStringLiteral("per thread")});
    const std::pair<int, int> shapes[] = {{16, options.count(20, 5)}, {64, options.count(10, 3)}};
    for (const auto &[threads, requestsPerThread] : shapes) {
        // Once first, so that Crochet's manager has opened its connections.
        crochetGets(url, size, threads, 1);
        perThreadManagerGets(url, size, threads, 1);
        host.takePeak();
        Samples crochet, perThread;
        int crochetPeak = 0;
        int perThreadPeak = 0;
        for (int r = 0; r < options.repetitions; ++r) {
            crochet.values.push_back(crochetGets(url, size, threads, requestsPerThread).perSecond);
            crochetPeak = std::max(crochetPeak, host.takePeak());
            perThread.values.push_back(
                perThreadManagerGets(url, size, threads, requestsPerThread).perSecond);
            perThreadPeak = std::max(perThreadPeak, host.takePeak());
        }
        const double ratio = crochet.median() / perThread.median();
        const QString suffix = QLatin1Char('.') + QString::number(threads);
        report.set(QStringLiteral("http_slow_host_ratio") + suffix, ratio);
        report.set(QStringLiteral("http_slow_host_rps.crochet") + suffix, crochet.median());
        report.set(QStringLiteral("http_slow_host_rps.per_thread") + suffix, perThread.median());
        report.set(QStringLiteral("http_slow_host_connections.crochet") + suffix, crochetPeak);
        report.set(QStringLiteral("http_slow_host_connections.per_thread") + suffix, perThreadPeak);
        table.addRow({QStringLiteral("%1 x %2").arg(threads).arg(requestsPerThread),
                      crochet.text(0), perThread.text(0), number(ratio, 2),
                      number(threads * 1000.0 / delayMs, 0), QString::number(crochetPeak),
                      QString::number(perThreadPeak)});
    }
    table.print();
    printNote(QStringLiteral("at most: threads / delay, every thread always waiting. "
                             "connections: the most requests the server held at once (each on "
                             "a connection of its own), over the runs."));
}

} // namespace Bench
