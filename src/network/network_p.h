// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: helpers shared by the network adapters.

namespace Crochet::detail {

//! Throws ReactorThreadError naming \a function unless called on the reactor thread.
void requireReactorThread(const char *function);

} // namespace Crochet::detail
