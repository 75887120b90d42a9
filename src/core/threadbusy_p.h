// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: how long a thread has been busy, readable from any thread
// (threadbusy_linux.cpp). For the reactor's busy fraction (reactorStats()).

#include <chrono>
#include <optional>

#include <pthread.h>
#include <sys/types.h>

namespace Crochet::detail {

/*!
    A thread's busy time: the time it spent running or ready to run
    (waiting for a CPU), from the kernel's scheduler statistics
    (/proc/self/task/<tid>/schedstat, kept open). Where the kernel keeps
    none, the thread's CPU time instead, which misses the time it waited
    for a CPU. Not copyable: it owns the file.
*/
class ThreadBusyClock
{
public:
    //! The calling thread's.
    ThreadBusyClock();
    ~ThreadBusyClock();
    ThreadBusyClock(const ThreadBusyClock &) = delete;
    ThreadBusyClock &operator=(const ThreadBusyClock &) = delete;

    //! The busy time so far (since the thread started); nullopt when it
    //! cannot be read (the thread has ended). Any thread, concurrently; one
    //! system call.
    std::optional<std::chrono::nanoseconds> read() const;

private:
    int m_schedstat = -1; // the open file, or -1
    clockid_t m_cpuClock{};
    bool m_hasCpuClock = false;
};

} // namespace Crochet::detail
