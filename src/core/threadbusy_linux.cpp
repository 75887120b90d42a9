// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "threadbusy_p.h"

#include <cstdio>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

namespace Crochet::detail {

ThreadBusyClock::ThreadBusyClock()
{
    // Opened once: a path lookup in /proc costs ten times the read (pread()
    // at offset 0 makes the kernel write the figures afresh).
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", int(::gettid()));
    m_schedstat = ::open(path, O_RDONLY | O_CLOEXEC);
    m_hasCpuClock = pthread_getcpuclockid(pthread_self(), &m_cpuClock) == 0;
    if (m_schedstat >= 0 && !read()) {
        ::close(m_schedstat);
        m_schedstat = -1;
    }
}

ThreadBusyClock::~ThreadBusyClock()
{
    if (m_schedstat >= 0)
        ::close(m_schedstat);
}

std::optional<std::chrono::nanoseconds> ThreadBusyClock::read() const
{
    if (m_schedstat >= 0) {
        // "<running ns> <waiting for a CPU ns> <timeslices>"; an error once
        // the thread has ended.
        char text[128];
        const ssize_t size = ::pread(m_schedstat, text, sizeof text - 1, 0);
        if (size <= 0)
            return std::nullopt;
        text[size] = '\0';
        unsigned long long running = 0;
        unsigned long long waiting = 0;
        if (std::sscanf(text, "%llu %llu", &running, &waiting) != 2)
            return std::nullopt;
        return std::chrono::nanoseconds(running + waiting);
    }
    timespec time{};
    if (!m_hasCpuClock || clock_gettime(m_cpuClock, &time) != 0)
        return std::nullopt;
    return std::chrono::seconds(time.tv_sec) + std::chrono::nanoseconds(time.tv_nsec);
}

} // namespace Crochet::detail
