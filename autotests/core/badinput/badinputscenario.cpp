// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_badinput: misuse of the process-wide set-up,
// one scenario per process (named by the first argument). It prints what
// it saw for the test to compare; stderr must stay empty.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaObject>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using CrochetTest::reactorThreadCount;

namespace {

void print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

const auto answer =
    Crochet::waitFor(30s, [](int value) { return Crochet::isReactorThread() ? value : -value; });

//! "no exception" or the name of the Crochet exception \a call threw.
template <typename Call>
QString outcomeOf(Call call)
{
    try {
        call();
        return QStringLiteral("no exception");
    } catch (const Crochet::SetupError &) {
        return QStringLiteral("SetupError");
    } catch (const Crochet::Error &error) {
        return QStringLiteral("another Crochet error: ") + error.message();
    } catch (...) {
        return QStringLiteral("another exception");
    }
}

// noSetup() twice: the second does nothing, and so does setup(); the
// application's thread stays the reactor.
int noSetupTwice(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    print(QStringLiteral("first noSetup: %1").arg(outcomeOf([] { Crochet::noSetup(); })));
    print(QStringLiteral("second noSetup: %1").arg(outcomeOf([] { Crochet::noSetup(); })));
    print(QStringLiteral("setup after noSetup: %1").arg(outcomeOf([] { Crochet::setup(); })));
    print(QStringLiteral("the reactor is the application thread: %1")
              .arg(Crochet::reactorThread() == app.thread() ? "yes" : "no"));
    print(QStringLiteral("reactor threads of its own: %1").arg(reactorThreadCount()));

    // The application's thread runs the calls once its loop runs.
    int fromWorker = 0;
    std::thread worker([&] {
        fromWorker = answer(42);
        QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    const int status = app.exec();
    worker.join();
    print(QStringLiteral("a call from a worker: %1").arg(fromWorker));
    return status;
}

// 16 threads race: twelve call setup() and at once a wrapped function,
// four call noSetup() (SetupError: no application object). Every call
// right after setup() is answered by the one reactor.
int setupRaceWithCalls(int, char **)
{
    constexpr int ThreadCount = 16;
    constexpr int NoSetupThreads = 4;
    CrochetTest::Counter ready;
    std::atomic<int> answered{0};
    std::atomic<int> setupErrors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < ThreadCount; ++i) {
        threads.emplace_back([&, i] {
            // Start together, to race for the first setup().
            ready.increment();
            ready.waitFor(ThreadCount);
            if (i < NoSetupThreads) {
                if (outcomeOf([] { Crochet::noSetup(); }) == QLatin1String("SetupError"))
                    ++setupErrors;
                return;
            }
            Crochet::setup();
            try {
                if (answer(i) == i)
                    ++answered;
            } catch (...) {
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    print(QStringLiteral("calls right after setup() answered: %1 of %2")
              .arg(answered.load())
              .arg(ThreadCount - NoSetupThreads));
    print(QStringLiteral("noSetup() racing setup(): %1 SetupError").arg(setupErrors.load()));
    print(QStringLiteral("reactor threads: %1").arg(reactorThreadCount()));
    print(QStringLiteral("a call afterwards: %1").arg(answer(43)));
    return 0;
}

struct Scenario
{
    const char *name;
    int (*run)(int argc, char **argv);
};

const Scenario scenarios[] = {
    {"no-setup-twice", &noSetupTwice},
    {"setup-race-with-calls", &setupRaceWithCalls},
};

} // namespace

int main(int argc, char **argv)
{
    for (const Scenario &scenario : scenarios) {
        if (argc > 1 && std::strcmp(scenario.name, argv[1]) == 0)
            return scenario.run(argc, argv);
    }
    std::fprintf(stderr, "usage: %s no-setup-twice|setup-race-with-calls\n", argv[0]);
    return 2;
}
