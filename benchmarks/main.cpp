// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// crochet-bench: Crochet next to the raw Qt and std baselines it is judged
// against, in one process, with the targets of issue 5. See
// doc/performance.md for how to read and reproduce the figures.

#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <thread>

namespace {

QString cpuModel()
{
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QString text = QString::fromLatin1(file.readAll());
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("^model name\\s*:\\s*(.*)$"),
                           QRegularExpression::MultilineOption)
            .match(text);
    return match.hasMatch() ? match.captured(1).trimmed() : QStringLiteral("unknown");
}

//! The load average of the machine, to judge how noisy the timings are.
QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(file.readAll()).section(QLatin1Char(' '), 0, 2);
}

// Every key of the JSON document, null until measured, so that a partial
// run (--only, no URLs) still writes the whole shape.
const char *const AllKeys[] = {
    "roundtrip_us.crochet.1",
    "roundtrip_us.crochet.4",
    "roundtrip_us.raw_qt.1",
    "roundtrip_us.raw_qt.4",
    "roundtrip_us.std_floor.1",
    "roundtrip_us.std_floor.4",
    "pipelined_per_s.crochet",
    "pipelined_per_s.raw_qt",
    "memory_bytes.eventual_result",
    "memory_bytes.qpromise_pair",
    "http_rps.crochet.1k",
    "http_rps.crochet.1m",
    "http_rps.per_thread.1k",
    "http_rps.per_thread.1m",
    "ping_p99_us_under_load",
    "scaling_ratio_10k_vs_100",
    "http_1k_ratio.4",
    "http_1k_ratio.16",
    "http_1k_ratio.64",
    "http_1m_ratio.4",
    "http_1m_ratio.16",
    "http_1m_ratio.64",
    "http_slow_host_ratio.16",
    "http_slow_host_ratio.64",
    "http_slow_host_rps.crochet.16",
    "http_slow_host_rps.crochet.64",
    "http_slow_host_rps.per_thread.16",
    "http_slow_host_rps.per_thread.64",
    "http_slow_host_connections.crochet.16",
    "http_slow_host_connections.crochet.64",
    "http_slow_host_connections.per_thread.16",
    "http_slow_host_connections.per_thread.64",
    "spaced_cpu_ratio.200us",
    "spaced_cpu_ratio.1ms",
    "failure_call_us.failing",
    "failure_call_us.succeeding",
    "failure_cost_ratio",
    "failure_bytes",
    "failure_stash_us",
};

} // namespace

int main(int argc, char *argv[])
{
    // The baselines run QEventLoops in threads of their own, which Qt 6.4
    // allows only while an application object exists. Crochet does not
    // need it; its reactor is its own thread either way.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("crochet-bench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Crochet for Qt next to raw Qt and std baselines (issue 5)."));
    parser.addHelpOption();
    const QCommandLineOption quickOption(
        QStringLiteral("quick"), QStringLiteral("Smaller counts: the whole run in < 60 s."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Write the figures to <file> as JSON."),
                                        QStringLiteral("file"));
    const QCommandLineOption url1kOption(QStringLiteral("url-1k"),
                                         QStringLiteral("HTTP URL of a 1 KiB body."),
                                         QStringLiteral("url"));
    const QCommandLineOption url1mOption(QStringLiteral("url-1m"),
                                         QStringLiteral("HTTP URL of a 1 MiB body."),
                                         QStringLiteral("url"));
    const QCommandLineOption repetitionsOption(
        QStringLiteral("repetitions"), QStringLiteral("Runs per figure (at least 5; default 5)."),
        QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption unixDispatcherOption(
        QStringLiteral("reactor-unix-dispatcher"),
        QStringLiteral("What-if experiment: start Crochet's reactor with QEventDispatcherUNIX "
                       "(QT_NO_GLIB=1 for that thread only); the baselines keep the default."));
    const QCommandLineOption onlyOption(
        QStringLiteral("only"),
        QStringLiteral("Run only these families (comma-separated): roundtrip, pipelined, "
                       "memory, scaling, http, slowhost, ping, spaced, failures."),
        QStringLiteral("list"));
    const QCommandLineOption slowDelayOption(
        QStringLiteral("slow-delay"),
        QStringLiteral("How long the slow host takes to answer (default 50 ms)."),
        QStringLiteral("ms"), QStringLiteral("50"));
    const QCommandLineOption serveSlowOption(
        QStringLiteral("serve-slow"),
        QStringLiteral("Do not measure: be the slowhost family's server on 127.0.0.1:<port> "
                       "(0: any), answering after --slow-delay, until stdin closes."),
        QStringLiteral("port"));
    parser.addOptions({quickOption, jsonOption, url1kOption, url1mOption, repetitionsOption,
                       unixDispatcherOption, onlyOption, slowDelayOption, serveSlowOption});
    parser.process(app);

    const int slowDelayMs = parser.value(slowDelayOption).toInt();
    if (slowDelayMs <= 0) {
        std::fprintf(stderr, "crochet-bench: --slow-delay must be a positive number of ms\n");
        return 2;
    }
    if (parser.isSet(serveSlowOption)) {
        bool isPort = false;
        const ushort port = parser.value(serveSlowOption).toUShort(&isPort);
        if (!isPort) {
            std::fprintf(stderr, "crochet-bench: --serve-slow needs a port number (0: any)\n");
            return 2;
        }
        return Bench::serveSlowHost(port, slowDelayMs);
    }

    Bench::Options options;
    options.quick = parser.isSet(quickOption);
    options.repetitions = std::max(5, parser.value(repetitionsOption).toInt());
    options.url1k = QUrl(parser.value(url1kOption));
    options.url1m = QUrl(parser.value(url1mOption));
    options.slowHostDelayMs = slowDelayMs;
    if (parser.isSet(onlyOption))
        options.only = parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts);

    const std::pair<const char *, void (*)(const Bench::Options &, Bench::Report &)> families[] = {
        {"roundtrip", &Bench::runRoundTrip}, {"pipelined", &Bench::runPipelined},
        {"memory", &Bench::runMemory},       {"scaling", &Bench::runScaling},
        {"http", &Bench::runHttp},           {"slowhost", &Bench::runSlowHost},
        {"ping", &Bench::runPingUnderLoad},  {"spaced", &Bench::runSpaced},
        {"failures", &Bench::runFailures},
    };
    for (const QString &name : std::as_const(options.only)) {
        const bool known =
            std::any_of(std::begin(families), std::end(families), [&name](const auto &family) {
                return name == QLatin1String(family.first);
            });
        if (!known) {
            std::fprintf(stderr, "crochet-bench: unknown family in --only: %s\n", qPrintable(name));
            return 2;
        }
    }

    // Qt reads QT_NO_GLIB when a thread creates its event dispatcher: set it
    // only until the reactor's loop runs, so that the baselines keep theirs.
    const bool unixDispatcher = parser.isSet(unixDispatcherOption);
    if (unixDispatcher)
        qputenv("QT_NO_GLIB", "1");
    Crochet::setup();
    const QString reactorDispatcher = Crochet::waitFor(std::chrono::seconds(30), [] {
        return QString::fromLatin1(
            QThread::currentThread()->eventDispatcher()->metaObject()->className());
    })();
    if (unixDispatcher)
        qunsetenv("QT_NO_GLIB");
    QString baselineDispatcher;
    {
        const Bench::QtWorker worker;
        QMetaObject::invokeMethod(
            worker.context(),
            [&baselineDispatcher] {
                baselineDispatcher = QString::fromLatin1(
                    QThread::currentThread()->eventDispatcher()->metaObject()->className());
            },
            Qt::BlockingQueuedConnection);
    }

    std::printf("crochet-bench%s: %u CPUs (%s), Qt %s\n", options.quick ? " --quick" : "",
                std::thread::hardware_concurrency(), qPrintable(cpuModel()), qVersion());
    std::printf("Event dispatchers: reactor %s, baseline threads %s\n",
                qPrintable(reactorDispatcher), qPrintable(baselineDispatcher));
    std::printf("Figures are medians of %d runs; [min..max] shows the spread. Load average "
                "before: %s\n",
                options.repetitions, qPrintable(loadAverage()));

    Bench::Report report;
    for (const char *key : AllKeys)
        report.setNull(QLatin1String(key));

    const auto begin = Bench::Clock::now();
    int failures = 0;
    for (const auto &[name, run] : families) {
        if (!options.wants(QLatin1String(name)))
            continue;
        const auto familyBegin = Bench::Clock::now();
        try {
            run(options, report);
            Bench::printNote(QStringLiteral("(%1: %2 s)")
                                 .arg(QLatin1String(name))
                                 .arg(Bench::secondsSince(familyBegin), 0, 'f', 1));
        } catch (const std::exception &error) {
            ++failures;
            std::printf("   FAILED (%s): %s\n", name, error.what());
        }
    }
    report.printTargets();
    std::printf("\nTotal time: %.1f s; load average after: %s\n", Bench::secondsSince(begin),
                qPrintable(loadAverage()));

    if (parser.isSet(jsonOption)) {
        const QString file = parser.value(jsonOption);
        if (!report.writeJson(file)) {
            std::fprintf(stderr, "crochet-bench: cannot write %s\n", qPrintable(file));
            return 2;
        }
        std::printf("Figures written to %s\n", qPrintable(file));
    }
    Crochet::shutdown();
    return failures ? 1 : 0;
}
