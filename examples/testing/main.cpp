// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Unit testing a wrapped function: `wrappedFunction` is the original
// callable, so tests can call it directly without a reactor (crochet's
// `add.__wrapped__`).

#include <crochet/crochet.h>

#include <QtCore/QDebug>

#include <chrono>

using namespace std::chrono_literals;

static const auto add = Crochet::runInReactor([](int x, int y) { return x + y; });

int main()
{
    Crochet::setup();

    auto result = add(1, 2);
    result.wait(5s);
    qInfo().noquote() << "add(1, 2) returns EventualResult:";
    qInfo() << "    " << result;
    qInfo().noquote() << "add.wrappedFunction(1, 2) returns result of underlying function:";
    qInfo() << "    " << add.wrappedFunction(1, 2);
    return 0;
}
