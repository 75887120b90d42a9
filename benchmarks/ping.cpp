// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Responsiveness under load: the latency of a waitFor ping while 1,000
// requests are in flight through the same reactor. Loader threads keep the
// requests going (each waits for its oldest and issues a new one); this
// thread pings once a millisecond.
//
// Two diagnostic pings run in the same load, interleaved with Crochet's: a
// bare event posted to an object in the reactor thread, at normal priority
// and at Qt::HighEventPriority. They show how much of the latency is the
// reactor's backlog of Qt events, and what a high-priority wake-up would buy.

#include "bench.h"

#include <crochet/crochet.h>
#include <crochet/network.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QPromise>
#include <QtCore/QRandomGenerator>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>

#include <array>
#include <atomic>
#include <cmath>
#include <deque>
#include <memory>
#include <semaphore>
#include <stdexcept>

using namespace std::chrono_literals;

namespace Bench {

namespace {

constexpr int LoaderThreads = 4;

const auto crochetPing = Crochet::waitFor(60s, [](int x) { return x + 1; });

const auto crochetGet = Crochet::runInReactor(
    [](const QUrl &url) { return Crochet::networkAccessManager()->get(QNetworkRequest(url)); });

// Stand-in for an HTTP request when no URL is given: a QFuture that a
// reactor timer completes 0-4 ms later.
const auto syntheticRequest = Crochet::runInReactor([] {
    auto promise = std::make_shared<QPromise<int>>();
    promise->start();
    QTimer::singleShot(int(QRandomGenerator::global()->bounded(5)), [promise] {
        promise->addResult(1);
        promise->finish();
    });
    return promise->future();
});

//! Lives in the reactor thread; ping() posts it an event and waits until
//! the reactor thread has handled it.
class RawPinger final : public QObject
{
public:
    RawPinger() { moveToThread(Crochet::reactorThread()); }

    void ping(int priority)
    {
        QCoreApplication::postEvent(this, new QEvent(pingType()), priority);
        m_answered.acquire();
    }

    bool event(QEvent *event) override
    {
        if (event->type() != pingType())
            return QObject::event(event);
        m_answered.release();
        return true;
    }

private:
    static QEvent::Type pingType()
    {
        static const auto type = QEvent::Type(QEvent::registerEventType());
        return type;
    }
    std::binary_semaphore m_answered{0};
};

struct DeleteLater
{
    void operator()(QObject *object) const { object->deleteLater(); }
};

enum PingKind { CrochetPing, RawNormalPing, RawHighPing, PingKinds };

//! One run's figures.
struct Run
{
    //! Latencies in microseconds, one vector per PingKind.
    std::array<std::vector<double>, PingKinds> latencies;
    //! CPU time of the reactor thread over wall-clock time, during the pings.
    double reactorBusy = 0;
    //! The run hit its time limit before sending all its pings.
    bool cut = false;
};

/*!
    Keeps \a window requests made by \a issue in flight: waits for the
    oldest, issues a new one, until \a stop. Calls \a loaded once the
    load is steady.
*/
template <typename Issue, typename Loaded>
void keepInFlight(int window, const std::atomic<bool> &stop, const Issue &issue,
                  const Loaded &loaded)
{
    std::deque<decltype(issue())> pending;
    for (int i = 0; i < window; ++i)
        pending.push_back(issue());
    // The first window goes out as one burst of calls: the load is steady
    // only once each of those has been answered and replaced.
    for (int replaced = 0; !stop.load(); ++replaced) {
        if (replaced == window)
            loaded();
        pending.front().wait(60s);
        pending.pop_front();
        pending.push_back(issue());
    }
    for (auto &result : pending)
        result.wait(60s);
}

/*!
    One run: LoaderThreads threads keep \a inFlight requests going in all
    (none for 0) while this thread sends \a rounds pings, one a
    millisecond, of the first \a kinds kinds in turn.
*/
Run measure(const QUrl &url, int inFlight, int rounds, int kinds, RawPinger &pinger)
{
    std::atomic<bool> stop{false};
    const int loaderCount = inFlight > 0 ? LoaderThreads : 0;
    std::latch loaded(loaderCount + 1);
    std::mutex errorMutex;
    std::exception_ptr error;
    const auto keepError = [&] {
        const std::lock_guard guard(errorMutex);
        if (!error)
            error = std::current_exception();
        stop.store(true);
    };
    std::vector<std::thread> loaders;
    for (int t = 0; t < loaderCount; ++t) {
        loaders.emplace_back([&] {
            bool arrived = false;
            const auto arrive = [&] {
                loaded.count_down();
                arrived = true;
            };
            try {
                const int window = inFlight / LoaderThreads;
                if (url.isEmpty())
                    keepInFlight(
                        window, stop, [] { return syntheticRequest(); }, arrive);
                else
                    keepInFlight(
                        window, stop, [&] { return crochetGet(url); }, arrive);
            } catch (...) {
                keepError();
            }
            if (!arrived) // stopped by an error before the load was steady
                loaded.count_down();
        });
    }
    loaded.arrive_and_wait();
    Run run;
    const double cpuBefore = reactorCpuSeconds();
    const auto begin = Clock::now();
    try {
        // A reactor too slow to answer must give a figure, not a hang.
        const auto deadline = begin + std::chrono::seconds(30);
        for (int i = 0; i < rounds && !stop.load(); ++i) {
            if (Clock::now() > deadline) {
                run.cut = true;
                break;
            }
            const auto kind = PingKind(i % kinds);
            const auto sent = Clock::now();
            if (kind == CrochetPing) {
                if (crochetPing(i) != i + 1)
                    throw std::logic_error("wrong ping answer");
            } else {
                pinger.ping(kind == RawHighPing ? Qt::HighEventPriority : Qt::NormalEventPriority);
            }
            run.latencies[kind].push_back(secondsSince(sent) * 1e6);
            std::this_thread::sleep_for(1ms);
        }
    } catch (...) {
        keepError();
    }
    run.reactorBusy = (reactorCpuSeconds() - cpuBefore) / secondsSince(begin);
    stop.store(true);
    for (auto &thread : loaders)
        thread.join();
    if (error)
        std::rethrow_exception(error);
    return run;
}

} // namespace

void runPingUnderLoad(const Options &options, Report &report)
{
    const int inFlight = 1000;
    const int pings = options.count(2000, 500);
    const QUrl &url = options.url1k;
    printHeading(QStringLiteral("Ping latency while %1 requests are in flight (%2 pings a run "
                                "and kind, %3 runs; us)")
                     .arg(inFlight)
                     .arg(pings)
                     .arg(options.repetitions));
    if (url.isEmpty()) {
        printNote(QStringLiteral("No --url-1k: the in-flight requests are synthetic (QFutures "
                                 "completed by reactor timers 0-4 ms later), not HTTP."));
    } else {
        printNote(QStringLiteral("In-flight requests: HTTP GETs of %1 through Crochet, from %2 "
                                 "threads.")
                      .arg(url.toString())
                      .arg(LoaderThreads));
    }
    const std::unique_ptr<RawPinger, DeleteLater> pinger(new RawPinger);
    measure(url, inFlight, pings / 10, PingKinds, *pinger);
    // The p99 of one run rests on its few slowest pings: the figure is the
    // p99 of all runs' pings together, and the spread of the runs' own p99s
    // says how far one run can be trusted.
    Samples idleRuns, reactorBusy;
    bool cut = false;
    std::vector<double> idleAll;
    std::array<Samples, PingKinds> loadedRuns;
    std::array<std::vector<double>, PingKinds> loadedAll;
    for (int r = 0; r < options.repetitions; ++r) {
        Run quiet = measure(url, 0, pings, 1, *pinger);
        idleAll.insert(idleAll.end(), quiet.latencies[CrochetPing].begin(),
                       quiet.latencies[CrochetPing].end());
        idleRuns.values.push_back(percentile(quiet.latencies[CrochetPing], 99));
        Run busy = measure(url, inFlight, pings * PingKinds, PingKinds, *pinger);
        for (size_t kind = 0; kind < PingKinds; ++kind) {
            auto &latencies = busy.latencies[kind];
            loadedAll[kind].insert(loadedAll[kind].end(), latencies.begin(), latencies.end());
            loadedRuns[kind].values.push_back(percentile(latencies, 99));
        }
        reactorBusy.values.push_back(busy.reactorBusy * 100);
        cut = cut || quiet.cut || busy.cut;
    }
    Table table({QStringLiteral("ping"), QStringLiteral("p50"), QStringLiteral("p99"),
                 QStringLiteral("p99 of each run: median [min..max]")});
    const auto addRow = [&](const QString &name, std::vector<double> &all, const Samples &runs) {
        table.addRow(
            {name, number(percentile(all, 50), 0), number(percentile(all, 99), 0), runs.text(0)});
    };
    addRow(QStringLiteral("crochet waitFor, nothing in flight"), idleAll, idleRuns);
    addRow(QStringLiteral("crochet waitFor, %1 in flight").arg(inFlight), loadedAll[CrochetPing],
           loadedRuns[CrochetPing]);
    addRow(QStringLiteral("diagnostic: bare posted event to the reactor, normal priority"),
           loadedAll[RawNormalPing], loadedRuns[RawNormalPing]);
    addRow(QStringLiteral("diagnostic: bare posted event to the reactor, high priority"),
           loadedAll[RawHighPing], loadedRuns[RawHighPing]);
    table.print();
    printNote(QStringLiteral("The reactor thread was busy %1% of the time under load (CPU "
                             "time over wall-clock time).")
                  .arg(reactorBusy.text(0)));
    if (cut)
        printNote(QStringLiteral("Some runs hit their 30 s limit and sent fewer pings."));
    const double p99 = percentile(loadedAll[CrochetPing], 99);
    report.set(QStringLiteral("ping_p99_us_under_load"), p99);
    report.set(QStringLiteral("ping_p99_us_under_load.run_min"), loadedRuns[CrochetPing].min());
    report.set(QStringLiteral("ping_p99_us_under_load.run_max"), loadedRuns[CrochetPing].max());
    report.addTarget(QStringLiteral("5. ping p99 with 1,000 in flight"),
                     url.isEmpty() ? QStringLiteral("us (synthetic load)")
                                   : QStringLiteral("us (HTTP load)"),
                     p99, 250, false);
}

} // namespace Bench
