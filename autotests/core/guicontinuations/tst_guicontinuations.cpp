// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Work started from a GUI thread with runInReactor() and shown with
// EventualResult::then() / onFailed() never stalls the GUI thread's event
// loop, however slow the work is.

#include "reactorhelpers.h"
#include "testhttpserver.h"

#include <crochet/crochet.h>
#include <crochet/detail/tsan.h>
#include <crochet/network.h>
#include <crochet/task.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>

#include <stdexcept>
#include <thread>
#include <vector>

// The bound on a stall of the GUI thread.
constexpr qint64 MaxStallMs = 50;

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

//! The longest gap between the ticks of a 5 ms timer of the calling
//! (GUI) thread, from start() on.
class StallMeter
{
public:
    StallMeter()
    {
        m_ticker.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_ticker, &QTimer::timeout, &m_ticker, [this] {
            m_longestGap = qMax(m_longestGap, m_sinceTick.restart());
            ++m_ticks;
        });
    }
    void start()
    {
        m_sinceTick.start();
        m_ticker.start(5);
    }
    qint64 longestGapMs() const { return m_longestGap; }
    int ticks() const { return m_ticks; }
    //! Runs the event loop until the next tick, which measures the gap
    //! since the last one (a stall just before this call included).
    bool measureLastGap();

private:
    QTimer m_ticker;
    QElapsedTimer m_sinceTick;
    qint64 m_longestGap = 0;
    int m_ticks = 0;
};

//! Runs the calling thread's event loop until \a done, at most \a timeout.
template <typename Done>
bool runEventLoopUntil(Done done, std::chrono::milliseconds timeout)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(1);
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

bool StallMeter::measureLastGap()
{
    const int ticks = m_ticks;
    return runEventLoopUntil([&] { return m_ticks > ticks; }, 60s);
}

enum class Kind { Immediate, Sleeping, Coroutine, Failing, Reply, BusyReactor };
constexpr int KindCount = 6;

} // namespace

class tst_GuiContinuations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        Crochet::setup();
        QVERIFY(m_server.isListening());
    }

    void guiThreadNeverStalls()
    {
        constexpr int Count = 100;
        // Each operation shows its outcome in a label, as a GUI would.
        QLabel label;
        std::vector<int> shown(Count, -1);
        int finished = 0;
        bool allOnGuiThread = true;

        const auto immediate = Crochet::runInReactor([](int i) { return i; });
        const auto sleeping = Crochet::runInReactor([](int i) {
            return finishedLater<int>(std::chrono::milliseconds(50 + (i * 7) % 250),
                                      [i] { return i; });
        });
        const auto coroutine = Crochet::runInReactor([](int i) -> Crochet::Task<int> {
            co_await Crochet::sleep(std::chrono::milliseconds(20 + (i * 13) % 200));
            const int value = co_await finishedLater<int>(10ms, [i] { return i; });
            co_return value;
        });
        const auto failing = Crochet::runInReactor([](int i) -> Crochet::Task<int> {
            co_await Crochet::sleep(std::chrono::milliseconds(30 + i % 100));
            throw std::runtime_error(std::to_string(i));
        });
        const auto reply = Crochet::runInReactor([](int i, QUrl url) -> Crochet::Task<int> {
            const auto response =
                co_await Crochet::networkAccessManager()->get(QNetworkRequest(url));
            co_return response.body.size() == 1000 + i ? i : -2;
        });
        // Blocks the reactor thread itself for a while: still not the GUI's.
        const auto busyReactor = Crochet::runInReactor([](int i) {
            std::this_thread::sleep_for(20ms);
            return i;
        });

        StallMeter meter;
        meter.start();
        for (int i = 0; i < Count; ++i) {
            const auto show = [&, i](int value) {
                allOnGuiThread = allOnGuiThread && QThread::currentThread() == qApp->thread();
                label.setText(QString::number(value));
                shown[i] = value;
                ++finished;
            };
            const auto showFailure = [&, i](const Crochet::Failure &failure) {
                allOnGuiThread = allOnGuiThread && QThread::currentThread() == qApp->thread();
                label.setText(failure.message());
                shown[i] = failure.message().toInt();
                ++finished;
            };
            const QUrl url = m_server.url(QStringLiteral("/bytes/%1").arg(1000 + i));
            switch (Kind(i % KindCount)) {
            case Kind::Immediate:
                immediate(i).then(&label, show).onFailed(&label, showFailure);
                break;
            case Kind::Sleeping:
                sleeping(i).then(&label, show).onFailed(&label, showFailure);
                break;
            case Kind::Coroutine:
                coroutine(i).then(&label, show).onFailed(&label, showFailure);
                break;
            case Kind::Failing:
                failing(i).then(&label, show).onFailed(&label, showFailure);
                break;
            case Kind::Reply:
                reply(i, url).then(&label, show).onFailed(&label, showFailure);
                break;
            case Kind::BusyReactor:
                busyReactor(i).then(&label, show).onFailed(&label, showFailure);
                break;
            }
        }
        QVERIFY(runEventLoopUntil([&] { return finished == Count; }, 60s));
        QVERIFY(meter.measureLastGap());

        for (int i = 0; i < Count; ++i)
            QCOMPARE(shown[i], i);
        QVERIFY(allOnGuiThread);
        // The work took hundreds of milliseconds; the loop kept ticking.
        qInfo("longest gap between ticks: %lld ms (%d ticks)", meter.longestGapMs(), meter.ticks());
        QVERIFY(meter.ticks() > 10);
#if defined(CROCHET_HAS_TSAN)
        // ThreadSanitizer makes every instrumented instruction 5-15 times
        // slower and runs beside other tests on 2 cores: its gaps measure the
        // machine, not Crochet (seen: 24 to 338 ms). That build checks this
        // test's threading; the bound is checked by the normal build.
        return;
#endif
        QVERIFY2(meter.longestGapMs() < MaxStallMs,
                 qPrintable(
                     QStringLiteral("the GUI thread stalled for %1 ms").arg(meter.longestGapMs())));
    }

    // The meter is not blind: blocking the GUI thread on a slow result
    // (what then() avoids) shows as a long gap.
    void blockingWaitShowsAsStall()
    {
        const auto slow = Crochet::runInReactor([]() -> Crochet::Task<int> {
            co_await Crochet::sleep(150ms);
            co_return 1;
        });
        StallMeter meter;
        meter.start();
        bool waited = false;
        QTimer::singleShot(20ms, [&] { waited = waitValue(slow()) == 1; });
        QVERIFY(runEventLoopUntil([&] { return waited; }, 60s));
        QVERIFY(meter.measureLastGap());
        QVERIFY2(meter.longestGapMs() >= 100,
                 qPrintable(QStringLiteral("longest gap %1 ms").arg(meter.longestGapMs())));
    }

private:
    TestHttpServer m_server;
};

QTEST_MAIN(tst_GuiContinuations)
#include "tst_guicontinuations.moc"
