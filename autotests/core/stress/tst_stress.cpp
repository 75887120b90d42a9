// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Stress: eight caller threads make, for a bounded time, a random mix of
// every kind of call: waitFor() and runInReactor() + wait() with tiny and
// long timeouts, cancel() at random moments (also from another thread),
// stash() in one thread and retrieveResult() in another, functions that
// throw, and returned QFutures that timers in the reactor finish later.
// Every call must end in exactly one of: its value, its exception,
// TimeoutError, CancelledError, and only in one that its way of calling
// allows. A watchdog thread aborts the test, with what every caller is
// doing, when no call ends for a while.
//
// CROCHET_STRESS_SECONDS (default 20) sets how long the callers run,
// CROCHET_STRESS_SEED the seed of their random mix, and
// CROCHET_STRESS_STALL_SECONDS (default 20) how long the watchdog waits.
//
// tst_multithread checks the same endings for a fixed number of plain
// calls; this one adds the timers, exceptions, the store and the watchdog.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPromise>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

constexpr int CallerCount = 8;
// Violations kept per caller for the failure message; more are only counted.
constexpr int ShownViolations = 10;

int environmentInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

//! What the wrapped functions throw for every seventh argument.
class StressError : public std::exception
{
public:
    explicit StressError(int argument)
        : m_argument(argument)
    {}
    int argument() const { return m_argument; }
    const char *what() const noexcept override { return "stress error"; }

private:
    int m_argument;
};

bool throwsFor(int argument)
{
    return argument % 7 == 0;
}

int expectedValue(int argument)
{
    return argument * 2 + 1;
}

//! Reactor thread: the plain function.
int compute(int argument)
{
    if (throwsFor(argument))
        throw StressError(argument);
    return expectedValue(argument);
}

//! Reactor thread: the same answer, from a QFuture a timer finishes later.
QFuture<int> computeLater(int argument, int delayMs)
{
    auto promise = std::make_shared<QPromise<int>>();
    promise->start();
    QTimer::singleShot(delayMs, [promise, argument] {
        if (throwsFor(argument))
            promise->setException(std::make_exception_ptr(StressError(argument)));
        else
            promise->addResult(expectedValue(argument));
        promise->finish();
    });
    return promise->future();
}

const auto blockingCompute = Crochet::waitFor(LongTimeout, &compute);
const auto blockingComputeLater = Crochet::waitFor(LongTimeout, &computeLater);
const auto runCompute = Crochet::runInReactor(&compute);
const auto runComputeLater = Crochet::runInReactor(&computeLater);

enum Ending { Value, Exception, Timeout, Cancelled, Other, EndingCount };

const char *const endingNames[EndingCount] = {"value", "exception", "TimeoutError",
                                              "CancelledError", "other"};

//! The endings besides value and exception that a way of calling allows.
struct Allowed
{
    bool timeout = false;
    bool cancelled = false;
};

//! One caller thread: its counts (its own until joined) and what it is
//! doing now (read by the watchdog).
struct Caller
{
    qint64 started = 0;
    std::array<qint64, EndingCount> endings{};
    qint64 crossThreadCancels = 0;
    qint64 violationCount = 0;
    QStringList violations;

    std::atomic<const char *> operation{"starting"};
    std::atomic<int> argument{0};
    std::atomic<qint64> operationSinceMs{0};
};

//! A stashed result waiting for some caller to retrieve it.
struct Stashed
{
    quint64 uid;
    int argument;
};

//! Aborts the process with a dump of every caller's operation when no
//! call ends for the stall time: a hang must fail, not block the suite.
class Watchdog
{
public:
    Watchdog(const std::vector<std::unique_ptr<Caller>> &callers,
             const std::atomic<qint64> &endedCalls, const QElapsedTimer &clock, int stallSeconds)
        : m_thread([&callers, &endedCalls, &clock, stallSeconds, this] {
            watch(callers, endedCalls, clock, stallSeconds);
        })
    {}

    ~Watchdog()
    {
        {
            std::lock_guard guard(m_mutex);
            m_stopped = true;
        }
        m_stop.notify_all();
        m_thread.join();
    }

private:
    void watch(const std::vector<std::unique_ptr<Caller>> &callers,
               const std::atomic<qint64> &endedCalls, const QElapsedTimer &clock, int stallSeconds)
    {
        qint64 lastSeen = -1;
        QDeadlineTimer stall(stallSeconds * 1000);
        std::unique_lock guard(m_mutex);
        while (!m_stop.wait_for(guard, 1s, [this] { return m_stopped; })) {
            const qint64 ended = endedCalls.load();
            if (ended != lastSeen) {
                lastSeen = ended;
                stall.setRemainingTime(stallSeconds * 1000);
                continue;
            }
            if (!stall.hasExpired())
                continue;
            QString dump;
            for (std::size_t i = 0; i < callers.size(); ++i) {
                const Caller &caller = *callers[i];
                dump += QStringLiteral("  caller %1: %2 (argument %3) for %4 ms\n")
                            .arg(i)
                            .arg(QLatin1String(caller.operation.load()))
                            .arg(caller.argument.load())
                            .arg(clock.elapsed() - caller.operationSinceMs.load());
            }
            dump += QStringLiteral("  the reactor %1\n")
                        .arg(reactorAnswers() ? "answers a call" : "does not answer");
            qFatal("tst_stress: no call ended for %d s (%lld ended so far):\n%s", stallSeconds,
                   ended, qPrintable(dump));
        }
    }

    static bool reactorAnswers()
    {
        try {
            Crochet::runInReactor([] {})().wait(2s);
            return true;
        } catch (...) {
            return false;
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_stop;
    bool m_stopped = false;
    std::thread m_thread;
};

//! Silences and counts the documented "Unhandled error" warnings: a caller
//! that gave up after a timeout never retrieves a failure that came later.
std::atomic<int> unhandledWarnings{0};
QtMessageHandler previousHandler = nullptr;

void countUnhandledWarnings(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (type == QtWarningMsg && context.category && qstrcmp(context.category, "crochet") == 0 &&
        text.startsWith(QStringLiteral("Unhandled error"))) {
        ++unhandledWarnings;
        return;
    }
    previousHandler(type, context, text);
}

int reactorChildCount()
{
    return Crochet::waitFor(
        LongTimeout, [] { return int(Crochet::detail::reactorContext()->children().size()); })();
}

} // namespace

class tst_Stress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void randomMix();

private:
    void runCaller(int index, unsigned seed, const QDeadlineTimer &deadline);
    template <typename Wait>
    void end(Caller &caller, int argument, Allowed allowed, Wait wait);
    void setOperation(Caller &caller, const char *operation, int argument);
    void stashAndRetrieve(Caller &caller, std::mt19937 &random, int argument, int delayMs);
    void cancelledByAnotherThread(Caller &caller, std::mt19937 &random, int index, int argument,
                                  int delayMs);

    std::vector<std::unique_ptr<Caller>> m_callers;
    std::atomic<qint64> m_endedCalls{0};
    QElapsedTimer m_clock;
    std::mutex m_mutex;
    std::deque<Stashed> m_stashed; // guarded by m_mutex
    std::array<std::optional<Crochet::EventualResult<int>>, CallerCount> m_victims; // m_mutex
};

void tst_Stress::initTestCase()
{
    Crochet::setup();
    m_clock.start();
}

void tst_Stress::setOperation(Caller &caller, const char *operation, int argument)
{
    caller.operation = operation;
    caller.argument = argument;
    caller.operationSinceMs = m_clock.elapsed();
}

template <typename Wait>
void tst_Stress::end(Caller &caller, int argument, Allowed allowed, Wait wait)
{
    Ending ending = Other;
    QString problem;
    try {
        const int value = wait();
        ending = Value;
        if (throwsFor(argument))
            problem = QStringLiteral("a value though the function throws");
        else if (value != expectedValue(argument))
            problem = QStringLiteral("the wrong value %1").arg(value);
    } catch (const StressError &error) {
        ending = Exception;
        if (!throwsFor(argument) || error.argument() != argument)
            problem = QStringLiteral("the exception of argument %1").arg(error.argument());
    } catch (const Crochet::TimeoutError &) {
        ending = Timeout;
        if (!allowed.timeout)
            problem = QStringLiteral("TimeoutError with a long timeout");
    } catch (const Crochet::CancelledError &) {
        ending = Cancelled;
        if (!allowed.cancelled)
            problem = QStringLiteral("CancelledError though nobody cancelled");
    } catch (const std::exception &error) {
        problem =
            QStringLiteral("an unexpected exception: %1").arg(QString::fromUtf8(error.what()));
    } catch (...) {
        problem = QStringLiteral("an exception of an unknown type");
    }
    ++caller.endings[ending];
    ++m_endedCalls;
    if (!problem.isEmpty()) {
        ++caller.violationCount;
        if (caller.violations.size() < ShownViolations) {
            caller.violations.append(QStringLiteral("%1, argument %2: %3")
                                         .arg(QLatin1String(caller.operation.load()))
                                         .arg(argument)
                                         .arg(problem));
        }
    }
}

void tst_Stress::stashAndRetrieve(Caller &caller, std::mt19937 &random, int argument, int delayMs)
{
    setOperation(caller, "stash", argument);
    const quint64 uid =
        (random() % 2 ? runCompute(argument) : runComputeLater(argument, delayMs)).stash();
    ++caller.started;
    if (random() % 8 == 0) {
        // The wrong type is refused and leaves the result stashed.
        try {
            Crochet::retrieveResult<QString>(uid);
            caller.violations.append(QStringLiteral("retrieveResult<QString> of an int result"));
            ++caller.violationCount;
        } catch (const Crochet::ResultNotFound &) {
        }
    }
    Stashed taken{};
    {
        // First in, first out: usually another caller's result.
        std::lock_guard guard(m_mutex);
        m_stashed.push_back({uid, argument});
        taken = m_stashed.front();
        m_stashed.pop_front();
    }
    setOperation(caller, "retrieveResult + wait, long timeout", taken.argument);
    end(caller, taken.argument, {},
        [&] { return Crochet::retrieveResult<int>(taken.uid).wait(LongTimeout); });
}

void tst_Stress::cancelledByAnotherThread(Caller &caller, std::mt19937 &random, int index,
                                          int argument, int delayMs)
{
    setOperation(caller, "runInReactor, cancelled by another thread", argument);
    const auto result = runComputeLater(argument, delayMs);
    ++caller.started;
    std::optional<Crochet::EventualResult<int>> victim;
    {
        std::lock_guard guard(m_mutex);
        m_victims[index] = result;
        const std::size_t other = (index + 1 + random() % (CallerCount - 1)) % CallerCount;
        victim = std::exchange(m_victims[other], std::nullopt);
    }
    if (victim) {
        victim->cancel();
        ++caller.crossThreadCancels;
    }
    end(caller, argument, {.cancelled = true}, [&] { return result.wait(LongTimeout); });
    std::lock_guard guard(m_mutex);
    m_victims[index].reset();
}

void tst_Stress::runCaller(int index, unsigned seed, const QDeadlineTimer &deadline)
{
    Caller &caller = *m_callers[index];
    std::mt19937 random(seed + index);
    const auto tiny = [&random] { return std::chrono::microseconds(random() % 500); };
    for (int i = 0; !deadline.hasExpired(); ++i) {
        // Unique per call, so that a mixed-up answer shows.
        const int argument = i * CallerCount + index;
        const int delayMs = int(random() % 4);
        switch (random() % 10) {
        case 0:
            setOperation(caller, "waitFor, long timeout", argument);
            ++caller.started;
            end(caller, argument, {}, [&] { return blockingCompute(argument); });
            break;
        case 1: {
            setOperation(caller, "waitFor, tiny timeout", argument);
            const auto hasty = Crochet::waitFor(tiny(), &compute);
            ++caller.started;
            end(caller, argument, {.timeout = true}, [&] { return hasty(argument); });
            break;
        }
        case 2: {
            setOperation(caller, "waitFor on a timer's future, tiny timeout", argument);
            const auto hasty = Crochet::waitFor(tiny(), &computeLater);
            ++caller.started;
            end(caller, argument, {.timeout = true}, [&] { return hasty(argument, delayMs); });
            break;
        }
        case 3:
            setOperation(caller, "waitFor on a timer's future, long timeout", argument);
            ++caller.started;
            end(caller, argument, {}, [&] { return blockingComputeLater(argument, delayMs); });
            break;
        case 4: {
            setOperation(caller, "runInReactor + wait, long timeout", argument);
            const auto result = runCompute(argument);
            ++caller.started;
            end(caller, argument, {}, [&] { return result.wait(LongTimeout); });
            break;
        }
        case 5: {
            // After a TimeoutError the result may still be waited for, or dropped.
            setOperation(caller, "runInReactor + wait, tiny timeout", argument);
            const auto result =
                random() % 2 ? runCompute(argument) : runComputeLater(argument, delayMs);
            ++caller.started;
            const bool waitAgain = random() % 2;
            end(caller, argument, {.timeout = true}, [&] {
                try {
                    return result.wait(tiny());
                } catch (const Crochet::TimeoutError &) {
                    if (!waitAgain)
                        throw;
                }
                return result.wait(LongTimeout);
            });
            break;
        }
        case 6: {
            setOperation(caller, "runInReactor, cancel at a random moment", argument);
            auto result = random() % 2 ? runCompute(argument) : runComputeLater(argument, delayMs);
            ++caller.started;
            switch (random() % 3) {
            case 0:
                break;
            case 1:
                for (unsigned yields = random() % 100; yields > 0; --yields)
                    std::this_thread::yield();
                break;
            default:
                // However this wait ends, the ending that counts is read
                // after cancel().
                try {
                    result.wait(tiny());
                } catch (...) {
                }
            }
            result.cancel();
            if (random() % 4 == 0)
                result.cancel();
            end(caller, argument, {.cancelled = true}, [&] { return result.wait(LongTimeout); });
            break;
        }
        case 7:
            cancelledByAnotherThread(caller, random, index, argument, delayMs);
            break;
        default:
            stashAndRetrieve(caller, random, argument, delayMs);
            break;
        }
    }
    setOperation(caller, "finished", 0);
}

void tst_Stress::randomMix()
{
    const int seconds = environmentInt("CROCHET_STRESS_SECONDS", 20);
    const auto seed = unsigned(environmentInt("CROCHET_STRESS_SEED", 20260101));
    // Shorter than LongTimeout: a hung call must trip the watchdog before
    // it ends as a TimeoutError.
    const int stallSeconds = environmentInt("CROCHET_STRESS_STALL_SECONDS", 20);
    const int baselineChildren = reactorChildCount();
    previousHandler = qInstallMessageHandler(&countUnhandledWarnings);
    const auto restoreHandler = qScopeGuard([] { qInstallMessageHandler(previousHandler); });

    for (int i = 0; i < CallerCount; ++i)
        m_callers.push_back(std::make_unique<Caller>());
    QElapsedTimer elapsed;
    elapsed.start();
    {
        const Watchdog watchdog(m_callers, m_endedCalls, m_clock, stallSeconds);
        const QDeadlineTimer deadline(seconds * 1000);
        std::vector<std::thread> threads;
        for (int i = 0; i < CallerCount; ++i)
            threads.emplace_back([this, i, seed, &deadline] { runCaller(i, seed, deadline); });
        for (std::thread &thread : threads)
            thread.join();

        // What is still stashed is retrieved here, counted with caller 0.
        setOperation(*m_callers[0], "retrieving what is left in the store", 0);
        for (const Stashed &left : std::exchange(m_stashed, {})) {
            end(*m_callers[0], left.argument, {},
                [&] { return Crochet::retrieveResult<int>(left.uid).wait(LongTimeout); });
        }
    }

    Caller total;
    QStringList violations;
    for (const auto &caller : m_callers) {
        total.started += caller->started;
        for (int ending = 0; ending < EndingCount; ++ending)
            total.endings[ending] += caller->endings[ending];
        total.crossThreadCancels += caller->crossThreadCancels;
        total.violationCount += caller->violationCount;
        violations += caller->violations;
    }
    qint64 ended = 0;
    QString counts;
    for (int ending = 0; ending < EndingCount; ++ending) {
        ended += total.endings[ending];
        counts += QStringLiteral(", %1 %2").arg(total.endings[ending]).arg(endingNames[ending]);
    }
    qInfo("stress: %d callers for %lld ms (seed %u): %lld calls made, %lld ended%s; "
          "%lld cancelled from another thread; %d unhandled-failure warnings",
          CallerCount, elapsed.elapsed(), seed, total.started, ended, qPrintable(counts),
          total.crossThreadCancels, unhandledWarnings.load());

    QVERIFY2(total.violationCount == 0,
             qPrintable(
                 QStringLiteral("%1 calls ended wrongly, among them:\n").arg(total.violationCount) +
                 violations.join(u'\n')));
    QCOMPARE(total.endings[Other], 0);
    QCOMPARE(ended, total.started);
    // The mix really reached every ending.
    for (int ending = Value; ending < Other; ++ending)
        QVERIFY2(total.endings[ending] > 0, endingNames[ending]);

    // Nothing the calls left in the reactor stays there: the watchers of
    // the returned futures are gone once the timers have fired.
    QTRY_COMPARE_WITH_TIMEOUT(reactorChildCount(), baselineChildren, LongTimeoutMs);
    QCOMPARE(waitValue(runCompute(1)).value_or(-1), expectedValue(1));
}

QTEST_GUILESS_MAIN(tst_Stress)
#include "tst_stress.moc"
