// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "threadbusy_p.h"

#include <cstdio>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

namespace Crochet::detail {

namespace {

//! Running and waiting-for-a-CPU nanoseconds of thread \a tid of this process.
std::optional<std::chrono::nanoseconds> readSchedstat(pid_t tid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", int(tid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    char text[128];
    const ssize_t size = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (size <= 0)
        return std::nullopt;
    text[size] = '\0';
    // "<running ns> <waiting ns> <timeslices>"
    unsigned long long running = 0;
    unsigned long long waiting = 0;
    if (std::sscanf(text, "%llu %llu", &running, &waiting) != 2)
        return std::nullopt;
    return std::chrono::nanoseconds(running + waiting);
}

} // namespace

ThreadBusyClock ThreadBusyClock::ofCurrentThread()
{
    ThreadBusyClock clock;
    clock.m_tid = ::gettid();
    clock.m_hasSchedstat = readSchedstat(clock.m_tid).has_value();
    clock.m_hasCpuClock = pthread_getcpuclockid(pthread_self(), &clock.m_cpuClock) == 0;
    return clock;
}

std::optional<std::chrono::nanoseconds> ThreadBusyClock::read() const
{
    if (m_hasSchedstat)
        return readSchedstat(m_tid);
    timespec time{};
    if (!m_hasCpuClock || clock_gettime(m_cpuClock, &time) != 0)
        return std::nullopt;
    return std::chrono::seconds(time.tv_sec) + std::chrono::nanoseconds(time.tv_nsec);
}

} // namespace Crochet::detail
