// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the GUI block warning (<crochet/guiblockwarning.h>), as the
// result states' wait() calls it.

#include <crochet/sourcelocation.h>

#include <chrono>

namespace Crochet::detail {

/*!
    A wait for the result of the function wrapped at \a wrappedAt has just
    ended (with the result, or timed out) after blocking the calling thread
    since \a blockedSince: warns if that was the GUI thread for longer than
    the threshold, and the first time for that wrap site. Never throws: a
    failure to log must not change what wait() does.
*/
void noteBlockedWait(SourceLocation wrappedAt,
                     std::chrono::steady_clock::time_point blockedSince) noexcept;

} // namespace Crochet::detail
