// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: what the reactor needs of the result states' implementation.

namespace Crochet::detail {

//! Creates the result states' striped locks now, if not yet done.
void createResultLocks() noexcept;
//! In a fork()ed child: re-creates the result states' striped locks.
void resetResultLocksAfterFork() noexcept;

} // namespace Crochet::detail
