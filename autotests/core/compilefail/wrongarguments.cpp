// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// Arguments the wrapped function cannot take.
// expect: the wrapped function cannot be called with these arguments
#include <crochet/crochet.h>

static const auto square = Crochet::runInReactor([](int x) { return x * x; });

void call()
{
    square(QStringLiteral("three"));
}
