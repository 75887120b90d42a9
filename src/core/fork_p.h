// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: what happens in a fork()ed child (fork_unix.cpp).

namespace Crochet::detail {

//! Once, at the first setup(): registers the child's fork handler.
void installForkHandler();

} // namespace Crochet::detail
