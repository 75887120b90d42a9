// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Network faults under 8 concurrent callers: connections reset (RST) at
// once, after the header or in the middle of the body, servers that stall
// before or in the middle of an answer, a body cut short by a normal close,
// refused connections, and names that do not resolve (under .invalid), as
// GETs and as lookupHost(). Every call ends in NetworkError or
// TimeoutError, no QNetworkReply and no reactor-owned object outlives its
// call, the client closes the connections it gave up on, and the reactor
// answers a ping from another thread quickly all the time.
//
// tst_network checks each error once, in isolation; this one checks them
// all at once, for leaks and for the reactor's responsiveness.

#include "faultserver.h"
#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <array>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using namespace CrochetTest;

namespace {

constexpr int CallerCount = 8;
constexpr int RoundsPerCaller = 2;
// How long a caller waits for an answer: the stalls end in TimeoutError.
constexpr auto CallTimeout = 1s;

enum class Fault {
    ResetAtOnce,
    ResetAfterHeader,
    ResetMidBody,
    HalfBodyThenClose,
    HalfBodyThenStall,
    Stall,
    Refused,
    UnknownHost,
    UnknownHostLookup,
};
constexpr int FaultCount = int(Fault::UnknownHostLookup) + 1;

struct FaultInfo
{
    const char *name;
    const char *path; // on the fault server; nullptr for the others
    bool stalls;      // the server never finishes the answer
};

const std::array<FaultInfo, FaultCount> faults = {{
    {"reset at once", "/reset", false},
    {"reset after the header", "/reset-after-headers", false},
    {"reset in the body", "/reset-mid-body", false},
    {"half a body, then closed", "/half-body-then-close", false},
    {"half a body, then stalled", "/half-body-then-stall", true},
    {"stalled before answering", "/stall", true},
    {"connection refused", nullptr, false},
    {"unknown host (GET)", nullptr, false},
    {"unknown host (lookupHost)", nullptr, false},
}};

// Replies made by the tests and not destroyed yet.
std::atomic<int> liveReplies{0};

//! Reactor thread: a GET through the reactor's manager, counted.
QNetworkReply *get(const QUrl &url)
{
    QNetworkReply *reply = Crochet::networkAccessManager()->get(QNetworkRequest(url));
    ++liveReplies;
    QObject::connect(reply, &QObject::destroyed, [] { --liveReplies; });
    return reply;
}

const auto fetch = Crochet::waitFor(CallTimeout, &get);
const auto lookup = Crochet::waitFor(CallTimeout, &Crochet::lookupHost);

quint16 closedPort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

int reactorChildren()
{
    return Crochet::waitFor(
        LongTimeout, [] { return int(Crochet::detail::reactorContext()->children().size()); })();
}

int repliesOfManager()
{
    return Crochet::waitFor(LongTimeout, [] {
        return int(Crochet::networkAccessManager()->findChildren<QNetworkReply *>().size());
    })();
}

//! How the calls of one fault ended.
struct Tally
{
    int networkErrors = 0;
    int timeouts = 0;
    std::set<int> codes;
    QStringList others;
};

//! Pings the reactor from its own thread until stopped; keeps the slowest.
class Pinger
{
public:
    Pinger()
        : m_thread([this] { run(); })
    {}
    ~Pinger() { stop(); }

    void stop()
    {
        {
            std::lock_guard guard(m_mutex);
            m_stopped = true;
        }
        m_stop.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

    int pings() const { return m_pings; }
    double slowestMs() const { return m_slowestMs; }
    int failures() const { return m_failures; }

private:
    void run()
    {
        static const auto ping = Crochet::waitFor(LongTimeout, [] { return 1; });
        std::unique_lock guard(m_mutex);
        // Every 10 ms, until stopped.
        while (!m_stop.wait_for(guard, 10ms, [this] { return m_stopped; })) {
            guard.unlock();
            const auto start = std::chrono::steady_clock::now();
            try {
                ping();
            } catch (...) {
                ++m_failures;
            }
            const std::chrono::duration<double, std::milli> took =
                std::chrono::steady_clock::now() - start;
            m_slowestMs = std::max(m_slowestMs, took.count());
            ++m_pings;
            guard.lock();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_stop;
    bool m_stopped = false;
    // Only the pinger thread writes these; read after stop() joined it.
    int m_pings = 0;
    int m_failures = 0;
    double m_slowestMs = 0;
    std::thread m_thread;
};

//! The slowest ping allowed: NETFAULTS_PING_LIMIT_MS (50 ms, more under a
//! sanitizer, see CMakeLists.txt), or CROCHET_PING_LIMIT_MS when set.
double pingLimitMs()
{
    bool ok = false;
    const int limit = qEnvironmentVariableIntValue("CROCHET_PING_LIMIT_MS", &ok);
    return ok && limit > 0 ? limit : NETFAULTS_PING_LIMIT_MS;
}

} // namespace

class tst_NetFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void faultsUnderConcurrentCallers();

private:
    void call(int caller, int round, Fault fault, Tally &tally);

    FaultServer m_server;
    quint16 m_closedPort = 0;
};

void tst_NetFaults::initTestCase()
{
    Crochet::setup();
    QVERIFY(m_server.isListening());
    m_closedPort = closedPort();
    QVERIFY(m_closedPort != 0);
}

void tst_NetFaults::call(int caller, int round, Fault fault, Tally &tally)
{
    const QString tag = QStringLiteral("c%1-r%2").arg(caller).arg(round);
    const FaultInfo &info = faults[int(fault)];
    try {
        switch (fault) {
        case Fault::Refused:
            fetch(QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(m_closedPort).arg(tag)));
            break;
        case Fault::UnknownHost:
            fetch(QUrl(QStringLiteral("http://no-such-host-%1.invalid/").arg(tag)));
            break;
        case Fault::UnknownHostLookup:
            lookup(QStringLiteral("no-such-host-%1.invalid").arg(tag));
            break;
        default:
            fetch(m_server.url(QLatin1String(info.path) + u'/' + tag));
            break;
        }
        tally.others.append(QStringLiteral("%1: an answer").arg(QLatin1String(info.name)));
    } catch (const Crochet::NetworkError &error) {
        ++tally.networkErrors;
        tally.codes.insert(int(error.code()));
    } catch (const Crochet::TimeoutError &) {
        ++tally.timeouts;
    } catch (const std::exception &error) {
        tally.others.append(QStringLiteral("%1: %2").arg(QLatin1String(info.name),
                                                         QString::fromUtf8(error.what())));
    }
}

void tst_NetFaults::faultsUnderConcurrentCallers()
{
    // The reactor's network access manager exists before the baseline.
    QCOMPARE(repliesOfManager(), 0);
    const int baselineChildren = reactorChildren();
    // Each caller keeps its own tallies; summed after the join.
    std::vector<std::array<Tally, FaultCount>> tallies(CallerCount);
    Gate start;
    std::vector<std::thread> callers;
    for (int caller = 0; caller < CallerCount; ++caller) {
        callers.emplace_back([&, caller] {
            start.wait();
            // The callers go through the faults in different orders, so
            // that different faults are in flight at the same time.
            for (int round = 0; round < RoundsPerCaller; ++round) {
                for (int i = 0; i < FaultCount; ++i) {
                    const int fault = (i + caller) % FaultCount;
                    call(caller, round, Fault(fault), tallies[caller][fault]);
                }
            }
        });
    }
    Pinger pinger;
    start.open();
    for (std::thread &thread : callers)
        thread.join();
    pinger.stop();

    std::array<Tally, FaultCount> total;
    for (const auto &callerTallies : tallies) {
        for (int fault = 0; fault < FaultCount; ++fault) {
            total[fault].networkErrors += callerTallies[fault].networkErrors;
            total[fault].timeouts += callerTallies[fault].timeouts;
            total[fault].codes.insert(callerTallies[fault].codes.begin(),
                                      callerTallies[fault].codes.end());
            total[fault].others += callerTallies[fault].others;
        }
    }
    for (int fault = 0; fault < FaultCount; ++fault) {
        QStringList codes;
        for (const int code : total[fault].codes)
            codes.append(QString::number(code));
        qInfo("%-28s %2d NetworkError (codes %s), %2d TimeoutError, %lld other", faults[fault].name,
              total[fault].networkErrors, qPrintable(codes.join(u',')), total[fault].timeouts,
              qint64(total[fault].others.size()));
    }
    qInfo("%d pings of the reactor during the calls, the slowest %.1f ms (limit %.0f ms); the "
          "server accepted %d connections and reset %d",
          pinger.pings(), pinger.slowestMs(), pingLimitMs(), m_server.connectionsAccepted(),
          m_server.connectionsReset());

    for (int fault = 0; fault < FaultCount; ++fault) {
        const Tally &tally = total[fault];
        QVERIFY2(tally.others.isEmpty(), qPrintable(tally.others.join(u'\n')));
        QCOMPARE(tally.networkErrors + tally.timeouts, CallerCount * RoundsPerCaller);
        // A stalled request may also fail as "connection closed" when Qt
        // had put it on a connection that another fault had just reset.
        if (faults[fault].stalls)
            QVERIFY2(tally.timeouts > 0, faults[fault].name);
        else
            QVERIFY2(tally.networkErrors > 0, faults[fault].name);
    }
    QVERIFY(total[int(Fault::Refused)].codes.count(QNetworkReply::ConnectionRefusedError));
    QVERIFY(total[int(Fault::UnknownHost)].codes.count(QNetworkReply::HostNotFoundError));
    QVERIFY(total[int(Fault::UnknownHostLookup)].codes.count(QNetworkReply::HostNotFoundError));
    QVERIFY(m_server.connectionsReset() > 0);

    // Nothing outlives the calls: replies, watchers, lookups, and no
    // connection that carried a request (the client closes a stalled one
    // when it gives up).
    QTRY_COMPARE_WITH_TIMEOUT(liveReplies.load(), 0, LongTimeoutMs);
    QCOMPARE(repliesOfManager(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(reactorChildren(), baselineChildren, LongTimeoutMs);
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_server.connectionsOpenWithRequest() == 0,
        qPrintable(u"connections still open:\n"_s + m_server.openConnections().join(u'\n')),
        LongTimeoutMs);
    // A connection that never carried a request may stay open: Qt connects
    // a channel for each request waiting in an HTTP thread's queue, and
    // when the request leaves on another channel first (or is aborted), the
    // new connection stays idle in that thread's connection cache for the
    // next request to the host; the cache closes it after 120 s unused
    // (about 1 run in 15, Qt 6.4 and 6.8 alike). Clearing the cache closes
    // it at once: the cache holds it, nothing of ours.
    static const auto clearConnectionCache = Crochet::waitFor(
        LongTimeout, [] { Crochet::networkAccessManager()->clearConnectionCache(); });
    clearConnectionCache();
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_server.connectionsOpen() == 0,
        qPrintable(u"connections still open:\n"_s + m_server.openConnections().join(u'\n')),
        LongTimeoutMs);

    QCOMPARE(pinger.failures(), 0);
    QVERIFY(pinger.pings() > 0);
    QVERIFY2(
        pinger.slowestMs() < pingLimitMs(),
        qPrintable(
            QStringLiteral("the reactor took %1 ms to answer a ping").arg(pinger.slowestMs())));
}

QTEST_GUILESS_MAIN(tst_NetFaults)
#include "tst_netfaults.moc"
