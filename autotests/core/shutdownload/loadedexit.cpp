// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_shutdownload: main() returns while 16 worker
// threads are blocked in waitFor() and hold more pending results, with no
// shutdown() call. The static reactor's destructor stops the reactor while
// the process exits; the workers wake with ReactorStopped, try once more
// (ReactorStopped again) and end. With "application" as the first argument
// a QCoreApplication lives in main() too.
//
// It prints one line when everything is pending; the test expects exit
// status 0 and nothing at all on stderr.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QFutureInterface>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

using CrochetTest::Counter;

namespace {

constexpr int WorkerCount = 16;
constexpr int PendingPerWorker = 8;

// Never destroyed: detached workers use it while the process exits.
Counter *const started = new Counter;

//! Reactor thread: a started QFuture nothing finishes (a QFutureInterface,
//! unlike a QPromise, does not cancel it when destroyed).
QFuture<int> neverFinishing()
{
    started->increment();
    QFutureInterface<int> interface;
    interface.reportStarted();
    return interface.future();
}

void work()
{
    static const auto pending = Crochet::runInReactor(&neverFinishing);
    static const auto blocking = Crochet::waitFor(std::chrono::hours(1), &neverFinishing);
    std::vector<Crochet::EventualResult<int>> results;
    for (int i = 0; i < PendingPerWorker; ++i)
        results.push_back(pending());
    // Blocked here when main() returns; the second call throws at once.
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            blocking();
        } catch (const Crochet::ReactorStopped &) {
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::optional<QCoreApplication> app;
    if (argc > 1 && std::strcmp(argv[1], "application") == 0)
        app.emplace(argc, argv);
    Crochet::setup();
    for (int i = 0; i < WorkerCount; ++i)
        std::thread(&work).detach();
    const int total = WorkerCount * (PendingPerWorker + 1);
    if (!started->waitFor(total))
        return 3;
    std::printf("returning with %d calls pending in %d threads\n", total, WorkerCount);
    std::fflush(stdout);
    return 0;
}
