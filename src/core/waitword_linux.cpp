// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "waitword_p.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>

namespace Crochet::detail {

namespace {

static_assert(sizeof(std::atomic<quint32>) == sizeof(quint32));

quint32 *address(const std::atomic<quint32> &word) noexcept
{
    return reinterpret_cast<quint32 *>(const_cast<std::atomic<quint32> *>(&word));
}

} // namespace

bool waitOnWord(const std::atomic<quint32> &word, quint32 expected,
                std::chrono::steady_clock::time_point deadline) noexcept
{
    using namespace std::chrono;
    timespec until{};
    const timespec *timeout = nullptr;
    if (deadline != steady_clock::time_point::max()) {
        if (steady_clock::now() >= deadline)
            return false;
        // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, the
        // clock of steady_clock on Linux.
        const auto since = deadline.time_since_epoch();
        const auto wholeSeconds = duration_cast<seconds>(since);
        until.tv_sec = time_t(wholeSeconds.count());
        until.tv_nsec = long(duration_cast<nanoseconds>(since - wholeSeconds).count());
        timeout = &until;
    }
    const long status = ::syscall(SYS_futex, address(word), FUTEX_WAIT_BITSET_PRIVATE, expected,
                                  timeout, nullptr, FUTEX_BITSET_MATCH_ANY);
    return !(status == -1 && errno == ETIMEDOUT);
}

void wakeAllOnWord(const std::atomic<quint32> &word) noexcept
{
    ::syscall(SYS_futex, address(word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

} // namespace Crochet::detail
