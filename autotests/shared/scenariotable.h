// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// The main() of a scenario program (the child process of a test, such as
// exitscenario): a table of scenarios, one of which the first argument names.

#include <cstddef>
#include <cstdio>
#include <cstring>

namespace CrochetTest {

//! A scenario of a scenario program: its name on the command line, and the
//! function that runs it, of the type \a Function.
template <typename Function>
struct Scenario
{
    const char *name;
    Function *run;
};

/*!
    The scenario of \a scenarios that the first argument of the program
    names; nullptr, after saying why on stderr, when there is none (main()
    then returns 2).
*/
template <typename Function, std::size_t Count>
const Scenario<Function> *scenarioNamed(const Scenario<Function> (&scenarios)[Count], int argc,
                                        char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <scenario> [arguments...]\n", argv[0]);
        return nullptr;
    }
    for (const Scenario<Function> &scenario : scenarios) {
        if (std::strcmp(scenario.name, argv[1]) == 0)
            return &scenario;
    }
    std::fprintf(stderr, "unknown scenario: %s\n", argv[1]);
    return nullptr;
}

} // namespace CrochetTest
