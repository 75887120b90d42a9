// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "loopstatistics_p.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <algorithm>
#include <cmath>
#include <vector>

namespace Crochet::detail {

namespace {

using Clock = LoopStatistics::Clock;

/*!
    The probe: a precise single-shot timer in the reactor thread, re-armed
    each time it runs. A repeating timer would fire early after a late
    turn, to catch up, and so hide the lag it is there to see.
*/
class LoopProbe final : public QObject
{
public:
    LoopProbe(QObject *parent, LoopStatistics *statistics,
              std::optional<Clock::time_point> (*heldPast)(Clock::time_point))
        : QObject(parent)
        , m_statistics(statistics)
        , m_heldPast(heldPast)
    {
        setObjectName(QStringLiteral("CrochetLoopProbe"));
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &LoopProbe::ran);
        m_statistics->start(Clock::now());
        arm();
    }
    ~LoopProbe() override { m_statistics->stop(); }

private:
    void arm()
    {
        m_due = Clock::now() + LoopStatistics::ProbeInterval;
        m_timer.start(LoopStatistics::ProbeInterval);
    }

    void ran()
    {
        const auto now = Clock::now();
        const auto due = m_due;
        arm();
        m_statistics->probeRan(due, now, m_heldPast(due), m_due);
    }

    LoopStatistics *m_statistics;
    std::optional<Clock::time_point> (*m_heldPast)(Clock::time_point);
    QTimer m_timer;
    Clock::time_point m_due;
};

//! The value at \a rank (0..1) of \a sorted, nearest-rank: the smallest
//! value with at least that share of the values at or below it.
Clock::duration percentile(const std::vector<Clock::duration> &sorted, double rank)
{
    const auto count = double(sorted.size());
    const auto index = std::size_t(std::max(1.0, std::ceil(rank * count))) - 1;
    return sorted[std::min(index, sorted.size() - 1)];
}

} // namespace

template <typename Add>
void LoopStatistics::addMissedProbes(Clock::time_point from, Clock::time_point now, Add add)
{
    // Only those in the window: a thread held for a minute stands for 100.
    const auto windowStart = now - Window;
    if (from < windowStart) {
        const auto behind = windowStart - from;
        from += (behind + ProbeInterval - Clock::duration(1)) / ProbeInterval * ProbeInterval;
    }
    for (auto due = from; due < now; due += ProbeInterval)
        add(LagSample{due, now - due});
}

void LoopStatistics::start(Clock::time_point now)
{
    const ThreadBusyClock thread = ThreadBusyClock::ofCurrentThread();
    const auto busy = thread.read();
    std::lock_guard guard(m_mutex);
    m_lags.clear();
    m_busy.clear();
    m_thread = thread;
    m_nextDue = now + ProbeInterval;
    m_running = true;
    if (busy)
        m_busy.push({now, *busy});
}

void LoopStatistics::probeRan(Clock::time_point due, Clock::time_point now,
                              std::optional<Clock::time_point> heldSince, Clock::time_point nextDue)
{
    const auto busy = m_thread.read(); // m_thread is written in this thread only
    std::lock_guard guard(m_mutex);
    const auto push = [this](const LagSample &sample) { m_lags.push(sample); };
    push({due, std::max(now - due, Clock::duration::zero())});
    addMissedProbes(due + ProbeInterval, now, push);
    if (heldSince && *heldSince < due)
        push({*heldSince, now - *heldSince});
    if (busy)
        m_busy.push({now, *busy});
    m_nextDue = nextDue;
}

void LoopStatistics::stop()
{
    const auto now = Clock::now();
    const auto busy = m_thread.read();
    std::lock_guard guard(m_mutex);
    if (busy)
        m_busy.push({now, *busy});
    m_running = false;
}

void LoopStatistics::fill(ReactorStats &stats, std::optional<Clock::time_point> heldSince) const
{
    auto now = Clock::now();
    ThreadBusyClock thread;
    bool running = false;
    {
        std::lock_guard guard(m_mutex);
        running = m_running;
        if (!running && m_busy.size > 0)
            now = m_busy.at(m_busy.size - 1).at; // as of the stop
        thread = m_thread;
    }
    // A file read: not under the lock.
    const auto busyNow = running ? thread.read() : std::nullopt;

    std::lock_guard guard(m_mutex);
    const auto windowStart = now - Window;
    std::vector<Clock::duration> lags;
    lags.reserve(m_lags.size + 128);
    for (std::size_t i = 0; i < m_lags.size; ++i) {
        if (m_lags.at(i).at >= windowStart)
            lags.push_back(m_lags.at(i).lag);
    }
    // The thread held up now: the events waiting since count already.
    if (m_running && now > m_nextDue) {
        addMissedProbes(m_nextDue, now,
                        [&](const LagSample &sample) { lags.push_back(sample.lag); });
        if (heldSince && *heldSince < m_nextDue)
            lags.push_back(now - *heldSince);
    }
    if (!lags.empty()) {
        std::sort(lags.begin(), lags.end());
        using std::chrono::duration_cast;
        using std::chrono::microseconds;
        stats.lagP50 = duration_cast<microseconds>(percentile(lags, 0.50));
        stats.lagP99 = duration_cast<microseconds>(percentile(lags, 0.99));
    }

    // From the oldest point in the window (or the newest before it, when the
    // thread was held for longer than the window) to now.
    if (m_busy.size == 0)
        return;
    const BusyPoint *from = &m_busy.at(m_busy.size - 1);
    for (std::size_t i = 0; i < m_busy.size; ++i) {
        if (m_busy.at(i).at >= windowStart) {
            from = &m_busy.at(i);
            break;
        }
    }
    const BusyPoint to =
        m_running && busyNow ? BusyPoint{now, *busyNow} : m_busy.at(m_busy.size - 1);
    const double elapsed = std::chrono::duration<double>(to.at - from->at).count();
    if (elapsed <= 0)
        return;
    const double busy = std::chrono::duration<double>(to.busy - from->busy).count();
    stats.busyFraction = std::clamp(busy / elapsed, 0.0, 1.0);
}

void LoopStatistics::resetAfterFork() noexcept
{
    new (&m_mutex) std::mutex;
    m_lags.clear();
    m_busy.clear();
    m_running = false;
}

void startLoopProbe(QObject *parent, LoopStatistics *statistics,
                    std::optional<Clock::time_point> (*heldPast)(Clock::time_point due))
{
    new LoopProbe(parent, statistics, heldPast);
}

} // namespace Crochet::detail
