// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// A move-only argument passed as an lvalue.
// expect: a move-only argument was passed as an lvalue
// expect: pass it with std::move(argument)
#include <crochet/crochet.h>

#include <memory>

static const auto take = Crochet::runInReactor([](std::unique_ptr<int> value) { return *value; });

void call()
{
    auto value = std::make_unique<int>(1);
    take(value);
}
