// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the reactor's event-loop lag and busy fraction over the last
// 10 s (reactorStats()), measured by a probe timer in the reactor thread.

#include "threadbusy_p.h"

#include <crochet/reactorstats.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

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

    Guarded by its own mutex, which the reactor thread takes ten times a
    second and reactorStats() once a call: no calls' hot path touches it.
*/
class LoopStatistics
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds ProbeInterval{100};
    static constexpr std::chrono::seconds Window{10};

    //! Reactor thread: forgets what was measured, starts measuring this thread.
    void start(Clock::time_point now);
    /*!
        Reactor thread: the probe due at \a due ran at \a now; the next is
        due at \a nextDue. \a heldSince: when the batch of calls that held
        the thread past \a due began, if one did.
    */
    void probeRan(Clock::time_point due, Clock::time_point now,
                  std::optional<Clock::time_point> heldSince, Clock::time_point nextDue);
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

    //! The lags of the probes a periodic one would have had from \a from to
    //! \a now, each due an interval after the last (\a into gets them).
    template <typename Add>
    static void addMissedProbes(Clock::time_point from, Clock::time_point now, Add add);

    mutable std::mutex m_mutex;
    // 100 probes in 10 s, as many stood for by late ones, one per batch
    // that held a probe up: 512 keep the whole window.
    Ring<LagSample, 512> m_lags;
    Ring<BusyPoint, 256> m_busy;
    ThreadBusyClock m_thread;
    Clock::time_point m_nextDue;
    bool m_running = false;
};

/*!
    Reactor thread: starts the probe that feeds \a statistics, a child of
    \a parent (the reactor's context, which lives in this thread).
    \a heldPast(due) says when the batch of calls that held the thread past
    due began, if one did.
*/
void startLoopProbe(QObject *parent, LoopStatistics *statistics,
                    std::optional<LoopStatistics::Clock::time_point> (*heldPast)(
                        LoopStatistics::Clock::time_point due));

} // namespace Crochet::detail
