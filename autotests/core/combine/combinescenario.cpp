// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_combine: stashed results are logged at shutdown,
// which can happen once per process. Each scenario, named by the first
// argument, stashes a failing result, combines or not, then shuts the
// reactor down and prints "done"; the test reads what was logged on stderr.

#include "reactorhelpers.h"
#include "scenariotable.h"

#include <crochet/crochet.h>

#include <cstdio>
#include <stdexcept>

using CrochetTest::LongTimeout;

namespace {

const auto failing = Crochet::runInReactor([]() -> int { throw std::runtime_error("stashed"); });

//! Waits for \a result, which must fail: retrieving its failure.
template <typename T>
void expectFailure(const Crochet::EventualResult<T> &result)
{
    try {
        result.wait(LongTimeout);
    } catch (const std::runtime_error &) {
        return;
    }
    std::fprintf(stderr, "the combination did not fail with the input's failure\n");
}

//! Not combined: the stashed failure is logged at shutdown.
void stashedInput()
{
    failing().stash();
    CrochetTest::flushReactor();
}

//! Consumed by a combination whose failure is retrieved: not logged.
void stashedInputCombined()
{
    const auto input = failing();
    input.stash();
    expectFailure(Crochet::whenAll(QList{input}));
}

void stashedInputAny()
{
    const auto input = failing();
    input.stash();
    expectFailure(Crochet::whenAny(QList{input}));
}

//! The combination stashed, its failure never retrieved: logged, with the
//! input's wrap site.
void stashedCombination()
{
    const auto combined = Crochet::whenAll(QList{failing(), failing()});
    combined.stash();
    CrochetTest::flushReactor();
}

const CrochetTest::Scenario<void()> scenarios[] = {
    {"stashed-input", stashedInput},
    {"stashed-input-combined", stashedInputCombined},
    {"stashed-input-any", stashedInputAny},
    {"stashed-combination", stashedCombination},
};

} // namespace

int main(int argc, char **argv)
{
    const auto *scenario = CrochetTest::scenarioNamed(scenarios, argc, argv);
    if (!scenario)
        return 2;
    Crochet::setup();
    scenario->run();
    Crochet::shutdown(); // logs the stashed failures nobody retrieved
    std::printf("done\n");
    return 0;
}
