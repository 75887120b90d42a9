// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "loopstatistics_p.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace Crochet::detail {

namespace {

using Clock = LoopStatistics::Clock;

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

void LoopStatistics::start(Clock::time_point due)
{
    auto thread = std::make_shared<const ThreadBusyClock>();
    const auto now = Clock::now();
    const auto busy = thread->read();
    std::lock_guard guard(m_mutex);
    m_lags.clear();
    m_busy.clear();
    m_thread = std::move(thread);
    m_nextDue = due;
    m_running = true;
    if (busy)
        m_busy.push({now, *busy});
}

void LoopStatistics::probeRan(Clock::time_point due, Clock::time_point now,
                              std::optional<Clock::time_point> heldSince, Clock::time_point nextDue)
{
    const auto busy = m_thread->read(); // m_thread is replaced in this thread only
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

void LoopStatistics::rescheduled(Clock::time_point nextDue)
{
    std::lock_guard guard(m_mutex);
    m_nextDue = nextDue;
}

void LoopStatistics::stop()
{
    const auto now = Clock::now();
    // Read through a copy of the pointer: another thread destroys the
    // clock, later (the reactor's destructor, after QThread::wait(), which
    // ThreadSanitizer cannot see); releasing the copy orders this thread's
    // reads before that.
    const std::shared_ptr<const ThreadBusyClock> thread = m_thread;
    const auto busy = thread->read();
    std::lock_guard guard(m_mutex);
    if (busy)
        m_busy.push({now, *busy});
    m_running = false;
}

void LoopStatistics::fill(ReactorStats &stats, std::optional<Clock::time_point> heldSince) const
{
    auto now = Clock::now();
    std::shared_ptr<const ThreadBusyClock> thread;
    {
        std::lock_guard guard(m_mutex);
        if (m_running)
            thread = m_thread;
        else if (m_busy.size > 0)
            now = m_busy.at(m_busy.size - 1).at; // as of the stop
    }
    // A system call: not under the lock.
    const auto busyNow = thread ? thread->read() : std::nullopt;

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
    // No allocation or release here: the next start() replaces m_thread.
    new (&m_mutex) std::mutex;
    m_lags.clear();
    m_busy.clear();
    m_running = false;
}

LoopProbe::LoopProbe(QObject *parent, LoopStatistics *statistics, Report report, LoopProbe **self)
    : QObject(parent)
    , m_statistics(statistics)
    , m_report(report)
    , m_self(self)
{
    setObjectName(QStringLiteral("CrochetLoopProbe"));
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LoopProbe::ran);
    arm(LoopStatistics::ProbeInterval);
    m_statistics->start(m_due);
    *m_self = this;
}

LoopProbe::~LoopProbe()
{
    *m_self = nullptr;
    m_statistics->stop();
}

void LoopProbe::arm(std::chrono::milliseconds interval)
{
    m_idle = interval != LoopStatistics::ProbeInterval;
    m_due = Clock::now() + interval;
    m_timer.start(interval);
}

void LoopProbe::wakeFromIdle()
{
    arm(LoopStatistics::ProbeInterval);
    m_statistics->rescheduled(m_due);
}

void LoopProbe::ran()
{
    const auto now = Clock::now();
    const auto due = m_due;
    const ProbeReport report = m_report(due);
    arm(report.active ? LoopStatistics::ProbeInterval : LoopStatistics::IdleProbeInterval);
    m_statistics->probeRan(due, now, report.heldSince, m_due);
}

} // namespace Crochet::detail
