// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Built against the installed package by packagetest.cmake.

#include <crochet/crochet.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

int main()
{
    Crochet::setup();
    const auto add = Crochet::waitFor(std::chrono::seconds(30), [](int a, int b) {
        return Crochet::isReactorThread() ? a + b : -1;
    });
    int sum = 0;
    std::thread caller([&] { sum = add(20, 22); });
    caller.join();
    std::printf("add(20, 22) in the reactor: %d\n", sum);

    // The wrap site this program's compiler recorded, as the library reads
    // it: the two may be different compilers.
    const auto fail = Crochet::runInReactor([]() -> int { throw std::runtime_error("failed"); });
    const auto result = fail();
    try {
        result.wait(std::chrono::seconds(30));
    } catch (const std::runtime_error &) {
    }
    const QString traceback = result.originalFailure()->traceback();
    for (const QString &line : traceback.split(QLatin1Char('\n'))) {
        if (line.startsWith(QStringLiteral("  function wrapped at ")))
            std::printf("failure %s\n", qPrintable(line.mid(11)));
    }

    // Which libcrochet this program loaded: the test checks it is the
    // installed one, not the build tree's.
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&Crochet::setup), &info) && info.dli_fname)
        std::printf("library: %s\n", info.dli_fname);
    return 0;
}
