// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Small helpers for autotests that use the global reactor: futures the test
// controls, a barrier that waits until the reactor has run every call queued
// before it, a wait() that cannot abort the test binary, a gate to hold the
// reactor busy, a counter to wait for, and the names of the threads.
// The child processes of the tests (the scenario programs) use them too.

#include <crochet/crochet.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFuture>
#include <QtCore/QFutureInterface>
#include <QtCore/QPromise>
#include <QtCore/QTimer>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>

namespace CrochetTest {

using namespace std::chrono_literals;

//! How long a test waits for something that should happen at once: generous,
//! because the tests run on loaded machines; a correct run never waits it out.
inline constexpr auto LongTimeout = 30s;
inline constexpr int LongTimeoutMs = 30000;

//! A finished QFuture holding \a value (QtFuture::makeReadyFuture() is
//! deprecated from Qt 6.6, and its replacements are not in 6.4).
template <typename T>
QFuture<T> readyFuture(T value)
{
    QPromise<T> promise;
    promise.start();
    promise.addResult(std::move(value));
    promise.finish();
    return promise.future();
}

//! A finished QFuture<void>.
inline QFuture<void> readyFuture()
{
    QPromise<void> promise;
    promise.start();
    promise.finish();
    return promise.future();
}

/*!
    Returns once the reactor has run every call queued before this one (the
    reactor runs calls in the order they were queued). Any thread but the
    reactor's.
*/
inline void flushReactor()
{
    Crochet::runInReactor([] {})().wait(LongTimeout);
}

/*!
    A started QPromise owned by the test: a wrapped function returns its
    future, and the test finishes it from its own thread when it wants.
    Destroying the last copy cancels and finishes the future (QPromise does).
*/
template <typename T>
std::shared_ptr<QPromise<T>> startedPromise()
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    return promise;
}

//! A started QFuture that nothing will ever finish. Unlike a QPromise, a
//! QFutureInterface does not cancel its future when it is destroyed.
template <typename T>
QFuture<T> neverFinishingFuture()
{
    QFutureInterface<T> interface;
    interface.reportStarted();
    return interface.future();
}

/*!
    Reactor thread (or any thread with an event loop): a QFuture finished
    after \a delay by a timer of the calling thread, with the value that
    \a makeValue returns then (\a makeValue returns void for QFuture<void>).
*/
template <typename T, typename MakeValue>
QFuture<T> finishedLater(std::chrono::milliseconds delay, MakeValue makeValue)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QTimer::singleShot(delay, [promise, makeValue = std::move(makeValue)]() mutable {
        if constexpr (std::is_void_v<T>) {
            makeValue();
        } else {
            promise->addResult(makeValue());
        }
        promise->finish();
    });
    return promise->future();
}

/*!
    wait() for test functions: an exception becomes a warning and nullopt,
    because an exception escaping a QTest function aborts the test binary.
*/
template <typename T, class Rep, class Period>
std::optional<T> waitValue(const Crochet::EventualResult<T> &result,
                           std::chrono::duration<Rep, Period> timeout)
{
    try {
        return result.wait(timeout);
    } catch (const std::exception &error) {
        qWarning("EventualResult::wait() threw: %s", error.what());
    } catch (...) {
        qWarning("EventualResult::wait() threw an exception of an unknown type");
    }
    return std::nullopt;
}

template <typename T>
std::optional<T> waitValue(const Crochet::EventualResult<T> &result)
{
    return waitValue(result, LongTimeout);
}

//! A one-shot gate: threads wait for it (with a deadline) until another opens it.
class Gate
{
public:
    void open()
    {
        {
            std::lock_guard guard(m_mutex);
            m_open = true;
        }
        m_opened.notify_all();
    }

    //! True when the gate opened within \a timeout.
    bool wait(std::chrono::milliseconds timeout = LongTimeout)
    {
        std::unique_lock guard(m_mutex);
        return m_opened.wait_for(guard, timeout, [this] { return m_open; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_opened;
    bool m_open = false;
};

//! Counts events from any thread; waits, with a deadline, for a number of them.
class Counter
{
public:
    void increment()
    {
        // Notified under the lock: a waiter may destroy the counter as soon
        // as it sees the count, before an unlocked notify_all() would run.
        std::lock_guard guard(m_mutex);
        ++m_count;
        m_changed.notify_all();
    }

    //! True when the count reached \a count within \a timeout.
    bool waitFor(int count, std::chrono::milliseconds timeout = LongTimeout)
    {
        std::unique_lock guard(m_mutex);
        return m_changed.wait_for(guard, timeout, [&] { return m_count >= count; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_count = 0;
};

//! How many threads this process has now, as /proc/self/status counts them
//! (one number, read at once); -1 if it cannot be read.
inline int threadCount()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(int(sizeof("Threads:")) - 1).trimmed().toInt();
    }
    return -1;
}

/*!
    The names of this process's threads, one per thread (read from /proc;
    Linux keeps the first 15 bytes of a name). A listing of /proc/self/task
    stops short when a thread exits while it is being read, so that live
    threads go missing: it is read again until it holds as many threads as
    threadCount() gives before and after (a few tries at most).
*/
inline QList<QByteArray> threadNames()
{
    const QString tasks = QStringLiteral("/proc/self/task/");
    QStringList listed;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int before = threadCount();
        // A new QDir each time: one caches what it listed.
        listed = QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        if (listed.size() == before && threadCount() == before)
            break;
    }
    QList<QByteArray> names;
    for (const QString &task : std::as_const(listed)) {
        QFile comm(tasks + task + QStringLiteral("/comm"));
        if (comm.open(QIODevice::ReadOnly))
            names.append(comm.readAll().trimmed());
    }
    return names;
}

//! How many threads of this process carry the reactor's name.
inline int reactorThreadCount()
{
    return int(threadNames().count(QByteArrayLiteral("CrochetReactor")));
}

} // namespace CrochetTest
