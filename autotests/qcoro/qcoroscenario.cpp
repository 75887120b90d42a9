// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_qcoro, for what is process-wide or leaves a
// thread behind, one scenario per process (named by the first argument):
// - no-setup: under noSetup() the application's thread is the reactor, where
//   wait() would throw; a QCoro::Task there still co_awaits a result, and
//   resumes on that thread.
// - plain-thread: a QCoro::Task in a std::thread, which has no Qt event loop
//   to resume it: the co_await throws Crochet::Error. (Qt adopts the thread,
//   and a test process that starts children afterwards made ThreadSanitizer
//   fail one of its own checks at the fork now and then.)

#include "reactorhelpers.h"
#include "scenariotable.h"

#include <crochet/crochet.h>
#include <crochet/qcoro.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <cstdio>
#include <thread>

namespace {

const auto add = Crochet::runInReactor([](int a, int b) { return a + b; });

QCoro::Task<> addAndQuit(QCoreApplication &app)
{
    const int sum = co_await add(20, 22);
    std::printf("%d, on the application thread: %s\n", sum,
                QThread::currentThread() == app.thread() ? "yes" : "no");
    app.quit();
}

int noSetup(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::noSetup();
    const QCoro::Task<> task = addAndQuit(app);
    return app.exec();
}

QCoro::Task<> awaitAndPrint(Crochet::EventualResult<int> result)
{
    try {
        co_await result;
        std::printf("no exception\n");
    } catch (const Crochet::Error &error) {
        std::printf("Crochet::Error: %s\n", qPrintable(error.message()));
    }
}

int plainThread(int, char **)
{
    Crochet::setup();
    // Not back from main() while the reactor thread still starts: with no
    // application object, a reactor thread preparing Qt Network while exit()
    // destroys Qt's statics crashed under ThreadSanitizer now and then.
    CrochetTest::flushReactor();
    static const auto never =
        Crochet::runInReactor([] { return CrochetTest::neverFinishingFuture<int>(); });
    auto result = never();
    std::thread plain([&] { awaitAndPrint(result); });
    plain.join();
    result.cancel();
    Crochet::shutdown();
    return 0;
}

const CrochetTest::Scenario<int(int, char **)> scenarios[] = {
    {"no-setup", &noSetup},
    {"plain-thread", &plainThread},
};

} // namespace

int main(int argc, char **argv)
{
    const auto *scenario = CrochetTest::scenarioNamed(scenarios, argc, argv);
    return scenario ? scenario->run(argc, argv) : 2;
}
