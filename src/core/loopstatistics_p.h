// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the reactor's event-loop lag and busy fraction over the last
// 10 s (reactorStats()), measured by a probe timer in the reactor thread.

#include "threadbusy_p.h"

#include <crochet/reactorstats.h>

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>

namespace Crochet::detail {

/*!
    What the probe measured, kept for the last 10 s, read from any thread.

    Lag: a timer in the reactor thread (the LoopProbe) is due every 100 ms
    and records how late it ran. A late probe also stands for the probes a
    periodic one would have had meanwhile (each as late as it would have
    been: the "coordinated omission" correction), and when a batch of calls
    held the thread past the probe's due time, the lag of an event posted
    when that batch began counts too: a 200 ms call gives a 200 ms sample
    whatever its phase against the timer.

    Busy fraction: the thread's busy time (ThreadBusyClock) at each probe,
    and read again when asked, over the time between.

    Guarded by its own mutex, which the reactor thread takes at each probe
    and reactorStats() once a call: no call's path touches it.
*/
class LoopStatistics
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds ProbeInterval{100};
    //! While the reactor has nothing to do (see LoopProbe).
    static constexpr std::chrono::milliseconds IdleProbeInterval{1000};
    static constexpr std::chrono::seconds Window{10};

    //! Reactor thread: forgets what was measured, starts measuring this
    //! thread; the probe is due at \a due.
    void start(Clock::time_point due);
    /*!
        Reactor thread: the probe due at \a due ran at \a now; the next is
        due at \a nextDue. \a heldSince: when the batch of calls that held
        the thread past \a due began, if one did.
    */
    void probeRan(Clock::time_point due, Clock::time_point now,
                  std::optional<Clock::time_point> heldSince, Clock::time_point nextDue);
    //! Reactor thread: the probe was re-armed, to be due at \a nextDue.
    void rescheduled(Clock::time_point nextDue);
    //! Reactor thread: the probe stops, with its thread.
    void stop();
    /*!
        Any thread: sets \a stats' lag and busy fraction as of now.
        \a heldSince: when the batch of calls under way began, if one is.
    */
    void fill(ReactorStats &stats, std::optional<Clock::time_point> heldSince) const;
    //! In a fork()ed child: the parent's thread is not measured here.
    void resetAfterFork() noexcept;

private:
    //! A fixed number of the newest entries; older ones are overwritten.
    template <typename Entry, std::size_t Capacity>
    struct Ring
    {
        std::array<Entry, Capacity> entries{};
        std::size_t next = 0;
        std::size_t size = 0;
        void push(const Entry &entry)
        {
            entries[next] = entry;
            next = (next + 1) % Capacity;
            if (size < Capacity)
                ++size;
        }
        //! The i-th oldest.
        const Entry &at(std::size_t i) const
        {
            return entries[(next + Capacity - size + i) % Capacity];
        }
        void clear() { next = size = 0; }
    };
    struct LagSample
    {
        Clock::time_point at; // when the event (the probe) was due
        Clock::duration lag;
    };
    struct BusyPoint
    {
        Clock::time_point at;
        std::chrono::nanoseconds busy;
    };

    //! Calls \a add with the samples of the probes a periodic one would
    //! have had from \a from to \a now, in the window.
    template <typename Add>
    static void addMissedProbes(Clock::time_point from, Clock::time_point now, Add add);

    mutable std::mutex m_mutex;
    // 100 probes in 10 s, as many stood for by late ones, one per batch
    // that held a probe up: 512 keep the whole window.
    Ring<LagSample, 512> m_lags;
    Ring<BusyPoint, 256> m_busy;
    // Replaced by start() only; fill() reads it outside the lock through a
    // copy of the pointer.
    std::shared_ptr<const ThreadBusyClock> m_thread;
    Clock::time_point m_nextDue;
    bool m_running = false;
};

//! What the reactor tells its probe (Reactor::probed()).
struct ProbeReport
{
    //! When the longest batch of calls since the last probe began, if it
    //! held the thread past the probe's due time.
    std::optional<LoopStatistics::Clock::time_point> heldSince;
    //! Whether the reactor had anything to do since the last probe: calls,
    //! operations or replies pending.
    bool active = false;
};

/*!
    The probe: a precise single-shot timer in the reactor thread, re-armed
    each time it runs. (A repeating timer fires early after a late turn, to
    catch up, and so hides the lag it is there to see.)

    It runs every 100 ms while the reactor is active, and every second once
    a whole interval passed with nothing to do, which is when nothing can
    hold the thread up; the next batch of calls wakes it (wake()). An
    idle reactor thus wakes once a second for it.
*/
class LoopProbe final : public QObject
{
public:
    using Report = ProbeReport (*)(LoopStatistics::Clock::time_point due);

    //! Reactor thread: starts probing, a child of \a parent (which lives in
    //! this thread). \a self is cleared when the probe is destroyed.
    LoopProbe(QObject *parent, LoopStatistics *statistics, Report report, LoopProbe **self);
    ~LoopProbe() override;

    //! Reactor thread: a batch of calls begins; back to the short interval.
    void wake()
    {
        if (m_idle)
            wakeFromIdle();
    }

private:
    void wakeFromIdle();
    void arm(std::chrono::milliseconds interval);
    void ran();

    LoopStatistics *m_statistics;
    Report m_report;
    LoopProbe **m_self;
    QTimer m_timer;
    LoopStatistics::Clock::time_point m_due;
    bool m_idle = false;
};

} // namespace Crochet::detail
