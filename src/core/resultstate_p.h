// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: what the reactor needs of the result states' implementation.

namespace Crochet::detail {

//! Creates the result states' striped locks now, if not yet done.
void createResultLocks() noexcept;
//! In a fork()ed child: re-creates the result states' striped locks.
void resetResultLocksAfterFork() noexcept;
//! In a fork()ed child: the results made so far belong to the parent's
//! reactor; those still pending fail with SetupError when next used.
void orphanResultsAfterFork() noexcept;

} // namespace Crochet::detail
