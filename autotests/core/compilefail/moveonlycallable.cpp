// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// A callable that cannot be copied (each call runs its own copy).
// expect: the wrapped callable must be copyable
// expect: capture a std::shared_ptr instead of a std::unique_ptr
#include <crochet/crochet.h>

#include <memory>

void call()
{
    const auto read = Crochet::runInReactor([value = std::make_unique<int>(1)] { return *value; });
    read();
}
