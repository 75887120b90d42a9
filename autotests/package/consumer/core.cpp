// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Built against the installed package's Crochet::Core alone by
// packagetest.cmake: the core links and runs without the network layer.

#include <crochet/reactor.h>
#include <crochet/task.h>
#include <crochet/wrappers.h>

#include <chrono>
#include <cstdio>
#include <link.h>
#include <string>

using namespace std::chrono_literals;

int main()
{
    Crochet::setup();
    const auto twice = Crochet::waitFor(30s, [](int n) -> Crochet::Task<int> {
        co_await Crochet::sleep(1ms);
        co_return 2 * n;
    });
    std::printf("core alone: %d\n", twice(21));

    // No library of Qt Network or of Crochet's network layer is loaded.
    int networkLibraries = 0;
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *count) {
            const std::string name = info->dlpi_name ? info->dlpi_name : "";
            if (name.find("Network") != std::string::npos ||
                name.find("crochet-network") != std::string::npos)
                ++*static_cast<int *>(count);
            return 0;
        },
        &networkLibraries);
    std::printf("network libraries loaded: %d\n", networkLibraries);
    return 0;
}
