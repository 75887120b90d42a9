// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: sleeping on a 32-bit word until another thread changes it and
// wakes the sleepers (a futex on Linux, waitword_linux.cpp). What the result
// stripes wait on: unlike a condition variable, no mutex is taken on the way
// out, which saved one futex system call per blocking call.

#include <QtCore/qglobal.h>

#include <atomic>
#include <chrono>

namespace Crochet::detail {

//! Sleeps while \a word holds \a expected, until woken (or spuriously) or
//! \a deadline (time_point::max(): none). Returns false once the deadline passed.
bool waitOnWord(const std::atomic<quint32> &word, quint32 expected,
                std::chrono::steady_clock::time_point deadline) noexcept;

//! Wakes every thread sleeping on \a word.
void wakeAllOnWord(const std::atomic<quint32> &word) noexcept;

} // namespace Crochet::detail
