// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// A wrapped function with a non-const reference parameter.
// expect: the wrapped function has a non-const reference parameter
// expect: take the parameter by value or by const reference
#include <crochet/crochet.h>

using namespace std::chrono_literals;

static const auto increment = Crochet::waitFor(1s, [](int &counter) { ++counter; });

void call()
{
    int counter = 0;
    increment(counter);
}
