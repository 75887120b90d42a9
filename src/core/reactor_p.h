// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the reactor, its thread and its queue of calls.

#include "coreservices_p.h"
#include "loopstatistics_p.h"

#include <crochet/detail/reactorservices.h>

#include <QtCore/QPointer>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_set>

QT_BEGIN_NAMESPACE
class QAbstractEventDispatcher;
class QThread;
QT_END_NAMESPACE

namespace Crochet::detail {

//! A FIFO of calls linked through QueuedCall::m_next. Not thread-safe by itself.
class CallQueue
{
public:
    void push(QueuedCall *call) noexcept;
    //! Empties the queue; returns its first call (the rest follow via next()).
    QueuedCall *takeAll() noexcept;
    static QueuedCall *next(QueuedCall *call) noexcept { return call->m_next; }
    bool isEmpty() const noexcept { return !m_head; }
    qsizetype size() const noexcept { return m_size; }

private:
    QueuedCall *m_head = nullptr;
    QueuedCall *m_tail = nullptr;
    qsizetype m_size = 0;
};

/*!
    The reactor: the thread that runs the calls, either a QThread of its own
    (setup()) or the application's thread (noSetup()).

    Calls arrive in a queue guarded by m_mutex; the first call into an empty
    queue posts one wake-up event to a context object living in the reactor
    thread, which runs the whole batch. One posted event per batch instead of
    one per call is what makes pipelined calls cheap.

    Lock order: m_mutex, then Qt's post-event lock (postEvent() is called
    with m_mutex held so that the context cannot be deleted meanwhile). No
    user code and no result-state lock ever runs under m_mutex.

    The public functions of reactor.h are the methods of one global
    instance, Reactor::global().
*/
class Reactor
{
public:
    Reactor();
    ~Reactor();
    Reactor(const Reactor &) = delete;
    Reactor &operator=(const Reactor &) = delete;

    static Reactor &global();

    void setup();
    void noSetup();
    void shutdown();
    //! Waits (at most as long as shutdown() does) until the reactor's own
    //! thread has finished, also when it stopped itself; not on that thread.
    void waitForThread();
    bool isReactorThread() const;
    QThread *thread() const;
    //! shutdown() has begun: objects the reactor owns are about to go.
    bool isStopRequested() const { return m_stopRequested.load(std::memory_order_acquire); }

    void post(QueuedCall *call);
    QObject *context() const;
    void trackPending(ResultStateBase *state);
    void untrackPending(ResultStateBase *state);

    //! Any thread: reactorStats(). Throws SetupError before set-up.
    ReactorStats stats() const;
    //! Replies of the reactor's network access manager in flight: + or - \a delta.
    void addRepliesInFlight(int delta) noexcept;
    //! Reactor thread, for the loop probe due at \a due, which runs now.
    ProbeReport probed(std::chrono::steady_clock::time_point due);

    //! Reactor thread: runs the queued batch (the context's wake-up event).
    void processQueue();
    //! Reactor thread: its event dispatcher woke up or is about to wait.
    void dispatcherTurned();
    //! The own thread's body: drives its event dispatcher until stopped.
    void runLoop();
    //! ~QCoreApplication (a post routine): stops the reactor.
    void applicationDestroyed();
    //! In a fork()ed child: the parent's reactor thread does not exist here.
    void forgetAfterFork();

private:
    enum class State { Idle, Running, Stopped, Forked };
    void registerProcessHooks();
    void wakeLocked();
    void wakeNestedLoopLocked();
    //! Posts one wake-up event to the context (m_mutex held).
    void postWakeEventLocked();
    void watchDispatcher(QAbstractEventDispatcher *dispatcher);
    void runCalls();
    //! processQueue() returns: the batch that began at \a began is over.
    void batchEnded(std::chrono::steady_clock::time_point began);
    //! Any thread: when the batch of calls under way began, if one is.
    std::optional<std::chrono::steady_clock::time_point> heldSince() const;

    mutable std::mutex m_mutex;
    State m_state = State::Idle;
    bool m_ownThread = false;
    bool m_wakePosted = false;
    std::atomic<bool> m_stopRequested{false};
    std::atomic<bool> m_hasCalls{false}; // a hint for the reactor's idle spin
    std::atomic<QThread *> m_reactorThread{nullptr};
    // Compared with QThread::currentThreadId(), which unlike
    // QThread::currentThread() does not make a foreign thread known to Qt.
    std::atomic<Qt::HANDLE> m_reactorThreadId{nullptr};
    // With no application object at setup(): the reactor thread registers
    // an exit handler that stops it once it has started (m_started: 1), and
    // setup() waits for that (see setup()).
    bool m_stopAtExit = false;
    std::atomic<quint32> m_started{0};
    QThread *m_thread = nullptr;       // the own thread (setup()), else nullptr
    QObject *m_context = nullptr;      // lives in the reactor thread
    QPointer<QObject> m_orphanContext; // noSetup(): awaiting deletion in the app thread
    CallQueue m_queue;
    // A call that runs an event loop of its own (a nested QEventLoop, a
    // processEvents() loop) must still see the calls queued after it: see
    // dispatcherTurned().
    QueuedCall *m_running = nullptr; // reactor thread: the rest of the batch being run
    // Written by the reactor thread only, read by stats(): plain loads and
    // stores (no read-modify-write), so a call pays nothing for them.
    std::atomic<int> m_callDepth{0};          // calls under way (2: one is nested)
    std::atomic<qsizetype> m_batchWaiting{0}; // calls in m_running, not started
    bool m_inNestedLoop = false;              // written by the reactor thread under m_mutex
    bool m_nestedWakePosted = false;          // guarded by m_mutex
    // Reactor thread: how long it waits for the next call after a batch,
    // learned from the calls (see processQueue()), and when the last batch
    // ended.
    std::chrono::nanoseconds m_idleSpin;
    std::chrono::steady_clock::time_point m_lastBatchEnd;
    std::unordered_set<ResultStateBase *> m_pending; // each holds a reference

    // What reactorStats() reports beyond the counts above. The longest
    // batch since the loop probe last asked is the reactor thread's;
    // m_heldSince (steady clock ticks, 0 when no batch runs) is for others.
    std::chrono::steady_clock::time_point m_longestBatchBegan;
    std::chrono::steady_clock::time_point m_longestBatchEnded;
    std::atomic<std::chrono::steady_clock::rep> m_heldSince{0};
    std::atomic<qsizetype> m_repliesInFlight{0};
    LoopStatistics m_loopStatistics;
    LoopProbe *m_probe = nullptr; // reactor thread; cleared by the probe's destructor
};

} // namespace Crochet::detail
