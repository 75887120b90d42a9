// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_exit: runs one lifecycle scenario, named by its
// first argument, in a fresh process (setup, shutdown and exit are
// process-wide), and prints what it saw to stdout for the test to compare.
// Qt warnings go to stderr, which the test checks too.

#include "reactorhelpers.h"
#include "scenariotable.h"

#include <crochet/crochet.h>
#include <crochet/task.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QFutureInterface>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using CrochetTest::Counter;
using CrochetTest::LongTimeout;
using CrochetTest::reactorThreadCount;

namespace {

void print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

//! A started QFuture nothing finishes; a QFutureInterface, unlike a
//! QPromise, does not cancel it when destroyed.
QFuture<int> neverFinishing()
{
    QFutureInterface<int> interface;
    interface.reportStarted();
    return interface.future();
}

//! Runs \a call and returns its value as text ("no exception" for void),
//! or the name of the exception it threw.
template <typename Call>
QString outcomeOf(Call call)
{
    try {
        if constexpr (std::is_void_v<decltype(call())>) {
            call();
            return QStringLiteral("no exception");
        } else {
            return QString::number(call());
        }
    } catch (const std::runtime_error &error) {
        return QStringLiteral("std::runtime_error: ") + QString::fromUtf8(error.what());
    } catch (const Crochet::SetupError &) {
        return QStringLiteral("SetupError");
    } catch (const Crochet::ReactorStopped &) {
        return QStringLiteral("ReactorStopped");
    } catch (const Crochet::ReactorThreadError &) {
        return QStringLiteral("ReactorThreadError");
    } catch (const Crochet::CancelledError &) {
        return QStringLiteral("CancelledError");
    } catch (const Crochet::TimeoutError &) {
        return QStringLiteral("TimeoutError");
    } catch (...) {
        return QStringLiteral("another exception");
    }
}

const auto answer = Crochet::waitFor(
    LongTimeout, [](int value) { return Crochet::isReactorThread() ? value : -value; });

// (a) A plain main(): no QCoreApplication, threads Qt did not create, and no
// shutdown() before returning.
int plainMain(int, char **)
{
    Crochet::setup();
    int fromThread = 0;
    std::thread worker([&fromThread] { fromThread = answer(42); });
    worker.join();
    print(QStringLiteral("thread: %1").arg(fromThread));
    print(QStringLiteral("main: %1").arg(answer(43)));
    return 0;
}

// (b) A QCoreApplication in main() and setup(); no shutdown() either.
int applicationMain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::setup();
    print(QStringLiteral("main: %1").arg(answer(44)));
    return 0;
}

// The reactor thread next to a running application event loop.
int applicationExec(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::setup();
    QTimer::singleShot(0, &app, [&app] {
        print(QStringLiteral("in the event loop: %1").arg(answer(45)));
        app.quit();
    });
    return app.exec();
}

// (b) setup() first called from a thread Qt did not create, then the
// application object created in main() as usual.
int setupInWorkerThenApplication(int argc, char **argv)
{
    std::thread([] { Crochet::setup(); }).join();
    QCoreApplication app(argc, argv);
    print(QStringLiteral("main: %1").arg(answer(50)));
    QTimer::singleShot(0, &app, &QCoreApplication::quit);
    return app.exec();
}

// (c) noSetup(): the application's thread is the reactor until it quits.
int noSetup(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::noSetup();
    Crochet::setup(); // does nothing after noSetup()
    print(QStringLiteral("reactor is the application thread: %1")
              .arg(Crochet::reactorThread() == app.thread() ? "yes" : "no"));

    const auto ranInReactor =
        Crochet::runInReactor([] { return Crochet::isReactorThread() ? 46 : -46; })();
    const auto pending = Crochet::runInReactor(&neverFinishing)();
    QTimer::singleShot(0, &app, &QCoreApplication::quit);
    const int status = app.exec();

    // The main thread is still the reactor's, where wait() is refused:
    // look at the results from another thread.
    std::thread reader([&] {
        print(QStringLiteral("before quit: %1").arg(outcomeOf([&] {
            return ranInReactor.wait(0s);
        })));
        print(QStringLiteral("pending at quit: %1").arg(outcomeOf([&] { pending.wait(0s); })));
        print(QStringLiteral("waitFor after quit: %1").arg(outcomeOf([] { answer(1); })));
    });
    reader.join();
    print(QStringLiteral("runInReactor after quit: %1").arg(outcomeOf([] {
        Crochet::runInReactor([] { return 1; })();
    })));
    return status;
}

// (c) noSetup(): destroying the application object, without ever running
// its loop, stops the reactor too.
int noSetupApplicationDestroyed(int argc, char **argv)
{
    std::optional<QCoreApplication> app(std::in_place, argc, argv);
    Crochet::noSetup();
    const auto neverRan = Crochet::runInReactor([] { return 1; })();
    app.reset();

    // The main thread was the reactor's, where wait() is refused: look at
    // the result from another thread.
    std::thread reader([&] {
        print(QStringLiteral("queued when the application went: %1").arg(outcomeOf([&] {
            return neverRan.wait(LongTimeout);
        })));
        print(QStringLiteral("waitFor afterwards: %1").arg(outcomeOf([] { answer(1); })));
    });
    reader.join();
    return 0;
}

// (d) Threads blocked in waitFor() on operations that never finish while
// main() returns, with or without an application object.
int pendingAtExit(int argc, char **argv, bool withApplication)
{
    std::optional<QCoreApplication> app;
    if (withApplication)
        app.emplace(argc, argv);
    Crochet::setup();
    Counter started;
    const auto blocking = Crochet::waitFor(std::chrono::hours(1), [&started] {
        started.increment();
        return neverFinishing();
    });
    for (int i = 0; i < 3; ++i) {
        // Detached: they are still blocked when main() returns, and wake up
        // with ReactorStopped while the process exits.
        std::thread([blocking] {
            try {
                blocking();
            } catch (...) {
            }
        }).detach();
    }
    if (!started.waitFor(3))
        return 3;
    print(QStringLiteral("returning with 3 calls pending"));
    return 0;
}

int pendingAtExitPlain(int argc, char **argv)
{
    return pendingAtExit(argc, argv, false);
}

int pendingAtExitApplication(int argc, char **argv)
{
    return pendingAtExit(argc, argv, true);
}

// (d) A chain of 100,000 Tasks, each awaiting the next, pending while main()
// returns: the reactor destroys it at exit without overflowing its stack.
std::atomic<int> deepFramesAlive{0};

Crochet::Task<int> deepChain(int depth, Counter &innermostStarted)
{
    ++deepFramesAlive;
    struct Alive
    {
        ~Alive() { --deepFramesAlive; }
    } alive;
    if (depth == 0) {
        innermostStarted.increment();
        co_return co_await neverFinishing();
    }
    co_return 1 + co_await deepChain(depth - 1, innermostStarted);
}

int deepTaskAtExit(int, char **)
{
    // Registered before setup(): runs after the reactor's own exit handling.
    std::atexit([] { print(QStringLiteral("frames alive after exit: %1").arg(deepFramesAlive)); });
    Crochet::setup();
    static Counter started; // outlives the reactor, which destroys the chain at exit
    Crochet::runInReactor([] { return deepChain(100'000, started); })().stash();
    if (!started.waitFor(1))
        return 3;
    print(QStringLiteral("returning with %1 frames pending").arg(deepFramesAlive));
    return 0;
}

// (e) shutdown(): pending wait()s in four threads wake with ReactorStopped,
// later calls throw it, and their functions never run.
int shutdownWakesWaiters(int, char **)
{
    Crochet::setup();
    using Clock = std::chrono::steady_clock;
    Counter started;
    const auto neverEnding = Crochet::runInReactor([&started] {
        started.increment();
        return neverFinishing();
    });
    std::vector<std::thread> waiters;
    std::vector<QString> outcomes(4);
    std::vector<Clock::time_point> wokeAt(4);
    for (int i = 0; i < 4; ++i) {
        waiters.emplace_back([&, i] {
            const auto result = neverEnding();
            outcomes[i] = outcomeOf([&] { result.wait(std::chrono::hours(1)); });
            wokeAt[i] = Clock::now();
        });
    }
    if (!started.waitFor(4))
        return 3;

    const auto shutdownAt = Clock::now();
    Crochet::shutdown();
    for (std::thread &waiter : waiters)
        waiter.join();
    for (int i = 0; i < 4; ++i) {
        const auto latency =
            std::chrono::duration_cast<std::chrono::milliseconds>(wokeAt[i] - shutdownAt);
        print(QStringLiteral("waiter %1: %2, %3")
                  .arg(i)
                  .arg(outcomes[i])
                  .arg(latency < 1000ms ? QStringLiteral("promptly")
                                        : QStringLiteral("after %1 ms").arg(latency.count())));
    }

    bool ranAfterShutdown = false;
    const auto late = [&ranAfterShutdown] {
        ranAfterShutdown = true;
        return 1;
    };
    print(QStringLiteral("runInReactor after shutdown: %1").arg(outcomeOf([&] {
        Crochet::runInReactor(late)().wait(LongTimeout);
    })));
    print(QStringLiteral("waitFor after shutdown: %1").arg(outcomeOf([&] {
        Crochet::waitFor(LongTimeout, late)();
    })));
    print(QStringLiteral("a late function ran: %1").arg(ranAfterShutdown ? "yes" : "no"));
    Crochet::shutdown();
    print(QStringLiteral("second shutdown returned"));
    Crochet::setup(); // does nothing after shutdown()
    print(QStringLiteral("a call after setup() again: %1").arg(outcomeOf([] { answer(1); })));
    return 0;
}

// (e) shutdown() called inside a wrapped function, on the reactor thread.
int shutdownInReactor(int, char **)
{
    Crochet::setup();
    std::mutex mutex;
    std::condition_variable changed;
    bool queued = false;
    bool ranQueued = false;
    const auto stopper = Crochet::runInReactor([&] {
        {
            // Wait until the next call is queued behind this one.
            std::unique_lock guard(mutex);
            if (!changed.wait_for(guard, LongTimeout, [&] { return queued; }))
                return -1;
        }
        Crochet::shutdown();
        return 1;
    })();
    const auto behind = Crochet::runInReactor([&] { ranQueued = true; })();
    {
        std::lock_guard guard(mutex);
        queued = true;
    }
    changed.notify_all();

    print(QStringLiteral("the stopping call returned: %1").arg(outcomeOf([&] {
        return stopper.wait(LongTimeout);
    })));
    print(QStringLiteral("the call queued behind it: %1").arg(outcomeOf([&] {
        behind.wait(LongTimeout);
    })));
    print(QStringLiteral("it ran: %1").arg(ranQueued ? "yes" : "no"));
    print(QStringLiteral("a call after it: %1").arg(outcomeOf([] { answer(1); })));
    return 0;
}

// (f) A wrapped function called before setup(): SetupError, no hang.
int beforeSetup(int, char **)
{
    print(QStringLiteral("reactorThread: %1").arg(Crochet::reactorThread() ? "set" : "nullptr"));
    print(QStringLiteral("isReactorThread: %1").arg(Crochet::isReactorThread() ? "yes" : "no"));
    try {
        answer(1);
        print(QStringLiteral("waitFor: no exception"));
    } catch (const Crochet::SetupError &error) {
        print(
            QStringLiteral("waitFor: SetupError, mentions Crochet::setup(): %1")
                .arg(error.message().contains(QStringLiteral("Crochet::setup()")) ? "yes" : "no"));
    }
    // The unit-testing path needs no reactor at all.
    print(QStringLiteral("wrappedFunction: %1").arg(answer.wrappedFunction(51)));
    print(
        QStringLiteral("runInReactor: %1").arg(outcomeOf([] { Crochet::runInReactor([] {})(); })));
    return 0;
}

// (f) noSetup() after setup() is refused, even with an application.
int noSetupAfterSetup(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::setup();
    print(QStringLiteral("noSetup after setup: %1").arg(outcomeOf([] { Crochet::noSetup(); })));
    print(QStringLiteral("the reactor still works: %1").arg(answer(47)));
    return 0;
}

// (f) noSetup() needs an application object; setup() still works after it.
int noSetupWithoutApplication(int, char **)
{
    print(QStringLiteral("noSetup without an application: %1").arg(outcomeOf([] {
        Crochet::noSetup();
    })));
    Crochet::setup();
    print(QStringLiteral("setup afterwards: %1").arg(answer(48)));
    return 0;
}

// (f) setup() twice, then from 16 threads at once: one reactor thread.
int setupRace(int, char **)
{
    constexpr int ThreadCount = 16;
    Counter ready;
    std::vector<QThread *> seen(ThreadCount);
    std::vector<std::thread> threads;
    for (int i = 0; i < ThreadCount; ++i) {
        threads.emplace_back([&, i] {
            // Start together, to race for the first setup().
            ready.increment();
            ready.waitFor(ThreadCount);
            Crochet::setup();
            seen[i] = Crochet::reactorThread();
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    Crochet::setup();
    Crochet::setup();

    bool agree = seen[0] != nullptr;
    for (QThread *thread : seen)
        agree = agree && thread == Crochet::reactorThread();
    print(QStringLiteral("all threads see one reactor: %1").arg(agree ? "yes" : "no"));
    print(QStringLiteral("the reactor works: %1").arg(answer(49)));
    print(QStringLiteral("reactor threads: %1").arg(reactorThreadCount()));
    return 0;
}

//! Marks each Qt message with "@@ <category> <type>: " so that the test can
//! tell the Crochet warning from any other message.
void tagMessage(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    const char *typeName = type == QtWarningMsg ? "warning" : "other";
    std::fprintf(stderr, "@@ %s %s: %s\n", context.category ? context.category : "?", typeName,
                 qPrintable(text));
}

// (g) Stashed failures nobody retrieved are logged at shutdown, once.
int stashedFailures(bool explicitShutdown)
{
    qInstallMessageHandler(&tagMessage);
    Crochet::setup();
    const auto fail =
        Crochet::runInReactor([](const char *text) -> int { throw std::runtime_error(text); });
    fail("stashed and forgotten").stash();
    const quint64 retrieved = fail("stashed and retrieved").stash();
    Crochet::runInReactor([] { return 1; })().stash();
    Crochet::runInReactor (&neverFinishing)().stash(); // fails with ReactorStopped: quiet
    auto cancelled = Crochet::runInReactor(&neverFinishing)();
    cancelled.cancel();
    cancelled.stash();

    print(QStringLiteral("retrieved: %1").arg(outcomeOf([&] {
        return Crochet::retrieveResult<int>(retrieved).wait(LongTimeout);
    })));
    answer(0); // every call above has run
    print(QStringLiteral("stashed"));
    if (explicitShutdown) {
        Crochet::shutdown();
        print(QStringLiteral("shut down"));
    }
    return 0;
}

int stashedFailuresAtShutdown(int, char **)
{
    return stashedFailures(true);
}

int stashedFailuresAtExit(int, char **)
{
    return stashedFailures(false);
}

// (g) Many stashed failures at exit: ten logged in full, the rest summed
// up in one warning by type. Every tenth one is a std::logic_error.
int manyStashedFailuresAtExit(int, char **)
{
    qInstallMessageHandler(&tagMessage);
    Crochet::setup();
    const auto fail = Crochet::runInReactor([](int i) -> int {
        if (i % 10 == 9)
            throw std::logic_error("forgotten logic");
        throw std::runtime_error("forgotten at runtime");
    });
    for (int i = 0; i < 1000; ++i)
        fail(i).stash();
    answer(0); // every call above has run
    print(QStringLiteral("stashed 1000"));
    return 0;
}

const CrochetTest::Scenario<int(int argc, char **argv)> scenarios[] = {
    {"plain-main", &plainMain},
    {"application-main", &applicationMain},
    {"application-exec", &applicationExec},
    {"setup-in-worker-then-application", &setupInWorkerThenApplication},
    {"no-setup", &noSetup},
    {"no-setup-application-destroyed", &noSetupApplicationDestroyed},
    {"pending-at-exit", &pendingAtExitPlain},
    {"pending-at-exit-application", &pendingAtExitApplication},
    {"deep-task-at-exit", &deepTaskAtExit},
    {"shutdown", &shutdownWakesWaiters},
    {"shutdown-in-reactor", &shutdownInReactor},
    {"before-setup", &beforeSetup},
    {"no-setup-after-setup", &noSetupAfterSetup},
    {"no-setup-without-application", &noSetupWithoutApplication},
    {"setup-race", &setupRace},
    {"stashed-failures-at-shutdown", &stashedFailuresAtShutdown},
    {"stashed-failures-at-exit", &stashedFailuresAtExit},
    {"many-stashed-failures-at-exit", &manyStashedFailuresAtExit},
};

} // namespace

int main(int argc, char **argv)
{
    const auto *scenario = CrochetTest::scenarioNamed(scenarios, argc, argv);
    return scenario ? scenario->run(argc, argv) : 2;
}
