// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "capturedstack_p.h"
#include "coreservices_p.h"
#include "fork_p.h"
#include "qtprivate_p.h"
#include "reactor_p.h"
#include "resultstate_p.h"
#include "resultstore_p.h"
#include "waitword_p.h"

#include <crochet/detail/tsan.h>
#include <crochet/errors.h>
#include <crochet/reactor.h>
#include <crochet/reactorstats.h>

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QEvent>
#include <QtCore/QThread>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

namespace Crochet::detail {

namespace {

QEvent::Type wakeEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

// How long shutdown() waits for a reactor thread stuck in a user function.
constexpr int StopTimeoutMs = 10000;

// The longest the reactor runs calls before it lets its event loop serve
// sockets and timers again.
constexpr std::chrono::microseconds BatchBudget(1000);

// The longest the reactor waits for the next call after a batch before it
// goes back to its event loop (see processQueue() for when it waits less).
constexpr std::chrono::microseconds IdleSpin(20);

//! Lives in the reactor thread: receives the wake-up events and parents the
//! objects the reactor owns.
class ReactorContext final : public QObject
{
public:
    explicit ReactorContext(Reactor *reactor)
        : m_reactor(reactor)
    {
        setObjectName(QStringLiteral("CrochetReactorContext"));
    }

    bool event(QEvent *event) override
    {
        handoffReceived();
        if (event->type() != wakeEventType())
            return QObject::event(event);
        m_reactor->processQueue();
        return true;
    }

private:
    Reactor *m_reactor;
};

using Clock = std::chrono::steady_clock;

// Constant-initialised, so that another file's static initialiser may set it.
constinit std::atomic<void (*)()> reactorThreadStartHook{nullptr};

class ReactorThread final : public QThread
{
public:
    explicit ReactorThread(Reactor *reactor)
        : m_reactor(reactor)
    {
        setObjectName(QStringLiteral("CrochetReactor"));
    }

    void runEventLoop() { exec(); }

protected:
    void run() override { m_reactor->runLoop(); }

private:
    Reactor *m_reactor;
};

void callApplicationDestroyed()
{
    Reactor::global().applicationDestroyed();
}

ProbeReport globalReactorProbed(std::chrono::steady_clock::time_point due)
{
    return Reactor::global().probed(due);
}

QString notSetUpMessage()
{
    return QStringLiteral(
        "Crochet has not been set up: call Crochet::setup() (or Crochet::noSetup() in an "
        "application that runs its own event loop) before calling a wrapped function");
}

QString forkedMessage()
{
    return QStringLiteral(
        "this process was forked: the parent's reactor thread does not exist here; call "
        "Crochet::setup() in the child to start a new reactor");
}

} // namespace

void CallQueue::push(QueuedCall *call) noexcept
{
    call->m_next = nullptr;
    if (m_tail)
        m_tail->m_next = call;
    else
        m_head = call;
    m_tail = call;
    ++m_size;
}

QueuedCall *CallQueue::takeAll() noexcept
{
    m_tail = nullptr;
    m_size = 0;
    return std::exchange(m_head, nullptr);
}

Reactor::Reactor()
    : m_idleSpin(IdleSpin)
{}

Reactor::~Reactor()
{
    shutdown();
    std::lock_guard guard(m_mutex);
    // A thread still running (stuck in a user function, or this is it) is
    // left alone: deleting a running QThread is worse than leaking it.
    if (m_thread && m_thread->isFinished())
        delete std::exchange(m_thread, nullptr);
}

Reactor &Reactor::global()
{
    // Destroyed at process exit, which stops the reactor: a program that
    // never calls shutdown() still exits cleanly.
    static Reactor reactor;
    return reactor;
}

void Reactor::registerProcessHooks()
{
    static std::once_flag once;
    std::call_once(once, &installForkHandler);
    // Post routines run once per application object, in its destructor.
    qAddPostRoutine(&callApplicationDestroyed);
}

void Reactor::setup()
{
    bool stopAtExit = false;
    {
        std::lock_guard guard(m_mutex);
        if (m_state != State::Idle && m_state != State::Forked)
            return;
        const MainThreadClaimGuard claimGuard;
        auto *thread = new ReactorThread(this);
        m_context = new ReactorContext(this);
        m_context->moveToThread(thread);
        allowEventsWithoutApplication(thread);
        m_thread = thread;
        m_ownThread = true;
        m_stopRequested.store(false);
        m_stopAtExit = stopAtExit = !QCoreApplication::instance();
        m_started.store(0, std::memory_order_relaxed);
        m_reactorThread.store(thread, std::memory_order_release);
        m_state = State::Running;
        registerProcessHooks();
        thread->start();
    }
    // With no application object, nothing stops the reactor before exit()
    // destroys Qt's statics, and the reactor thread creates some as it
    // starts (Qt Network's, its plugins, a timer's id): a main() returning
    // right after setup() had exit() destroy them while that thread still
    // made and used them (a crash in QFactoryLoader, 1 run in 20 under
    // ThreadSanitizer). So the thread registers an exit handler that stops
    // it once it has started, after all of those, and setup() waits for
    // that: exit handlers run in reverse order, so the reactor stops before
    // any of them goes. A few milliseconds, once.
    if (stopAtExit) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (m_started.load(std::memory_order_acquire) == 0 &&
               waitOnWord(m_started, 0, deadline)) {
        }
    }
}

void Reactor::noSetup()
{
    std::lock_guard guard(m_mutex);
    if (m_ownThread)
        throw SetupError(QStringLiteral("Crochet::noSetup() was called after Crochet::setup()"));
    if (m_state != State::Idle && m_state != State::Forked)
        return;
    QCoreApplication *app = QCoreApplication::instance();
    if (!app) {
        throw SetupError(QStringLiteral(
            "Crochet::noSetup() needs a QCoreApplication: its thread becomes the reactor"));
    }
    m_context = new ReactorContext(this);
    m_context->moveToThread(app->thread());
    m_reactorThreadId.store(nativeThreadId(app->thread()), std::memory_order_release);
    QObject::connect(app, &QCoreApplication::aboutToQuit, m_context, [this] { shutdown(); });
    watchDispatcher(QAbstractEventDispatcher::instance(app->thread()));
    // The probe lives in the application's thread, which may not be this one.
    if (QThread::currentThread() == app->thread()) {
        new LoopProbe(m_context, &m_loopStatistics, &globalReactorProbed, &m_probe);
    } else {
        [[maybe_unused]] const HandoffPost handoff;
        QMetaObject::invokeMethod(
            m_context,
            [this, context = m_context] {
                handoffReceived();
                new LoopProbe(context, &m_loopStatistics, &globalReactorProbed, &m_probe);
            },
            Qt::QueuedConnection);
    }
    m_reactorThread.store(app->thread(), std::memory_order_release);
    m_state = State::Running;
    registerProcessHooks();
}

void Reactor::wakeLocked()
{
    if (m_wakePosted) {
        // The reactor is running calls, and will take this one when it is
        // done with them, unless one of them is waiting in a loop of its own.
        if (m_inNestedLoop)
            wakeNestedLoopLocked();
        return;
    }
    m_wakePosted = true;
    postWakeEventLocked();
}

void Reactor::wakeNestedLoopLocked()
{
    if (m_nestedWakePosted)
        return;
    m_nestedWakePosted = true;
    postWakeEventLocked();
}

void Reactor::postWakeEventLocked()
{
    [[maybe_unused]] const HandoffPost handoff;
    QCoreApplication::postEvent(m_context, new QEvent(wakeEventType()));
}

/*
    A call that runs an event loop of its own (a QEventLoop waiting for
    another call, a processEvents() loop) drives the reactor's dispatcher from
    inside the batch. The calls queued after it would otherwise never run:
    post() posts no wake-up while a batch runs, and the rest of the batch
    waits for the call to return. So whenever the dispatcher turns while a
    call is under way, the loop is a nested one: from then until that call
    returns, post() wakes it, and the calls already waiting are handed to it
    now. processQueue() then runs inside the nested loop, the rest of the
    current batch first, in order. A program with no nested loop pays one
    integer test per turn of the dispatcher.
*/
void Reactor::dispatcherTurned()
{
    if (m_callDepth.load(std::memory_order_relaxed) == 0)
        return; // the reactor's own loop
    std::lock_guard guard(m_mutex);
    m_inNestedLoop = true;
    if (m_running || !m_queue.isEmpty())
        wakeNestedLoopLocked();
}

void Reactor::watchDispatcher(QAbstractEventDispatcher *dispatcher)
{
    if (!dispatcher)
        return;
    const auto turned = [this] { dispatcherTurned(); };
    QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, m_context, turned);
    QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, m_context, turned);
}

void Reactor::post(QueuedCall *call)
{
    State state;
    {
        std::lock_guard guard(m_mutex);
        state = m_state;
        if (state == State::Running) {
            m_queue.push(call);
            m_hasCalls.store(true, std::memory_order_release);
            wakeLocked();
            return;
        }
    }
    delete call;
    switch (state) {
    case State::Stopped:
        throw ReactorStopped(QStringLiteral(
            "the Crochet reactor has stopped (shutdown() was called, or the application quit)"));
    case State::Forked:
        throw SetupError(forkedMessage());
    default:
        throw SetupError(notSetUpMessage());
    }
}

/*
    The idle spin pays off only when calls come back to back: a caller in a
    loop sends its next call within microseconds, and the reactor that waits
    for it spares the caller the wake-up (poll(), an eventfd write) and
    itself a turn of its event loop. For calls spaced wider than the spin
    (a GUI, a request handler) it is pure waste: 20 us of CPU per call,
    3.5x what raw Qt spends on the whole call. So the spin halves each time
    it waits in vain, down to none, and comes back in full when a call
    arrives (by a wake-up event) within IdleSpin of the previous batch's
    end, which a spin would have caught.
*/
void Reactor::processQueue()
{
    // A failing call records the stack from the call out to here only: the
    // event loop beyond says nothing, and every frame costs to capture.
    const CaptureBoundary captureBoundary(__builtin_frame_address(0));
    const auto woken = Clock::now();
    const auto budgetEnd = woken + BatchBudget;
    if (m_idleSpin.count() == 0 && woken - m_lastBatchEnd < IdleSpin)
        m_idleSpin = IdleSpin;
    m_heldSince.store(woken.time_since_epoch().count(), std::memory_order_relaxed);
    if (m_probe)
        m_probe->wake(); // from its idle interval, if it was in it
    for (;;) {
        if (!m_running) { // a nested loop first finishes the batch it interrupted
            std::lock_guard guard(m_mutex);
            m_nestedWakePosted = false;
            m_batchWaiting.store(m_queue.size(), std::memory_order_relaxed);
            m_running = m_queue.takeAll();
            m_hasCalls.store(false, std::memory_order_relaxed);
            if (!m_running) {
                m_wakePosted = false;
                m_lastBatchEnd = Clock::now();
                batchEnded(woken);
                return;
            }
        }
        runCalls();
        if (m_stopRequested.load(std::memory_order_acquire))
            return batchEnded(woken);
        if (Clock::now() >= budgetEnd) {
            // Let the event loop serve sockets and timers; more calls come
            // back through a fresh wake-up event.
            std::lock_guard guard(m_mutex);
            m_wakePosted = false;
            if (!m_queue.isEmpty())
                wakeLocked();
            return batchEnded(woken);
        }
        // Callers in a loop send their next call within microseconds: wait
        // for it here (m_wakePosted stays set, so they post no event) instead
        // of paying poll() and an eventfd wake-up per call.
        if (m_idleSpin.count() > 0) {
            const auto spinEnd = std::min(budgetEnd, Clock::now() + m_idleSpin);
            while (!m_hasCalls.load(std::memory_order_acquire) && Clock::now() < spinEnd)
                std::this_thread::yield();
            if (m_hasCalls.load(std::memory_order_acquire))
                m_idleSpin = IdleSpin;
            else if ((m_idleSpin /= 2) < std::chrono::microseconds(1))
                m_idleSpin = std::chrono::nanoseconds(0);
        }
    }
}

void Reactor::batchEnded(Clock::time_point began)
{
    // The common way out has just read the clock.
    const auto ended = m_lastBatchEnd > began ? m_lastBatchEnd : Clock::now();
    if (ended - began > m_longestBatchEnded - m_longestBatchBegan) {
        m_longestBatchBegan = began;
        m_longestBatchEnded = ended;
    }
    m_heldSince.store(0, std::memory_order_relaxed);
}

ProbeReport Reactor::probed(std::chrono::steady_clock::time_point due)
{
    ProbeReport report;
    const auto began = std::exchange(m_longestBatchBegan, {});
    const auto ended = std::exchange(m_longestBatchEnded, {});
    if (began < due && ended > due)
        report.heldSince = began;
    bool waiting = false;
    {
        std::lock_guard guard(m_mutex);
        waiting = !m_pending.empty() || !m_queue.isEmpty();
    }
    report.active = ended != Clock::time_point() || waiting ||
                    m_callDepth.load(std::memory_order_relaxed) > 0 ||
                    m_repliesInFlight.load(std::memory_order_relaxed) > 0;
    return report;
}

std::optional<std::chrono::steady_clock::time_point> Reactor::heldSince() const
{
    const auto since = m_heldSince.load(std::memory_order_relaxed);
    if (since == 0)
        return std::nullopt;
    return Clock::time_point(Clock::duration(since));
}

void Reactor::runCalls()
{
    std::exception_ptr stopped;
    while (QueuedCall *call = m_running) {
        m_running = CallQueue::next(call);
        m_batchWaiting.store(m_batchWaiting.load(std::memory_order_relaxed) - 1,
                             std::memory_order_relaxed);
        ResultStateBase *state = call->state();
        if (m_stopRequested.load(std::memory_order_acquire)) {
            // shutdown() ran inside one of this batch's calls.
            if (!stopped)
                stopped = std::make_exception_ptr(ReactorStopped());
            state->fail(stopped, ResultStateBase::Unretrieved::Ignore);
        } else if (!state->isDone()) {
            const int depth = m_callDepth.load(std::memory_order_relaxed);
            m_callDepth.store(depth + 1, std::memory_order_relaxed);
            call->run();
            m_callDepth.store(depth, std::memory_order_relaxed);
            if (depth == 0 && m_inNestedLoop) {
                std::lock_guard guard(m_mutex);
                m_inNestedLoop = false;
            }
        }
        delete call;
    }
}

void setReactorThreadStartHook(void (*hook)())
{
    reactorThreadStartHook.store(hook, std::memory_order_release);
}

bool isReactorStopping()
{
    return Reactor::global().isStopRequested();
}

void addRepliesInFlight(int delta) noexcept
{
    Reactor::global().addRepliesInFlight(delta);
}

namespace {

//! Stops the reactor (shutdown()) and waits for its own thread, also when it
//! stopped itself: the exit handler of a reactor set up with no application.
void stopReactorAndWait()
{
    Reactor::global().shutdown();
    Reactor::global().waitForThread();
}

} // namespace

void Reactor::runLoop()
{
    // A failure's stack ends here at the latest (QThread and libc beyond).
    const CaptureBoundary captureBoundary(__builtin_frame_address(0));
    // QThread::exec() runs a QEventLoop; a quit() that came before it
    // started makes it return at once.
    m_reactorThreadId.store(QThread::currentThreadId(), std::memory_order_release);
    watchDispatcher(QAbstractEventDispatcher::instance());
    if (const auto hook = reactorThreadStartHook.load(std::memory_order_acquire)) {
        // After setup() has returned its lock, and with it settled whether
        // the thread that called it stays Qt's main thread (MainThreadClaimGuard):
        // the hook may ask.
        {
            std::lock_guard guard(m_mutex);
        }
        hook();
    }
    {
        std::lock_guard guard(m_mutex);
        if (m_context)
            new LoopProbe(m_context, &m_loopStatistics, &globalReactorProbed, &m_probe);
    }
    // Set by setup() before it started this thread; see there.
    if (m_stopAtExit) {
        std::atexit(&stopReactorAndWait);
        m_started.store(1, std::memory_order_release);
        wakeAllOnWord(m_started);
    }
    static_cast<ReactorThread *>(QThread::currentThread())->runEventLoop();

    QObject *context = nullptr;
    {
        std::lock_guard guard(m_mutex);
        context = std::exchange(m_context, nullptr);
    }
    // Objects owned by the reactor (watchers, the network access manager)
    // are destroyed in the thread they live in.
    delete context;
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    releaseThreadLibraryState();
}

void Reactor::shutdown()
{
    QueuedCall *queued = nullptr;
    std::unordered_set<ResultStateBase *> pending;
    QThread *threadToJoin = nullptr;
    {
        std::lock_guard guard(m_mutex);
        if (m_state != State::Running)
            return;
        m_state = State::Stopped;
        queued = m_queue.takeAll();
        pending.swap(m_pending);
        if (m_ownThread) {
            m_stopRequested.store(true, std::memory_order_release);
            m_thread->quit();
            if (!isReactorThread())
                threadToJoin = m_thread;
        } else {
            // The application's thread deletes it: this may run inside one
            // of its events, and the loop may already have ended (then the
            // application's destructor does it, applicationDestroyed()).
            m_stopRequested.store(true, std::memory_order_release);
            m_orphanContext = std::exchange(m_context, nullptr);
            m_orphanContext->deleteLater();
        }
    }
    const auto stopped = std::make_exception_ptr(ReactorStopped());
    while (queued) {
        QueuedCall *next = CallQueue::next(queued);
        queued->state()->fail(stopped, ResultStateBase::Unretrieved::Ignore);
        delete queued;
        queued = next;
    }
    for (ResultStateBase *state : pending) {
        state->abort(stopped);
        state->deref();
    }
    if (threadToJoin && !threadToJoin->wait(QDeadlineTimer(StopTimeoutMs))) {
        qCWarning(logging(),
                  "Crochet::shutdown(): the reactor thread is still busy in a call "
                  "after %d ms; leaving it running",
                  StopTimeoutMs);
    }
    ResultStore::global().logFailures();
}

void Reactor::waitForThread()
{
    QThread *thread = nullptr;
    {
        std::lock_guard guard(m_mutex);
        if (m_ownThread && !isReactorThread())
            thread = m_thread;
    }
    if (thread)
        thread->wait(QDeadlineTimer(StopTimeoutMs));
}

void Reactor::applicationDestroyed()
{
    shutdown();
    QObject *orphan = nullptr;
    {
        std::lock_guard guard(m_mutex);
        orphan = m_orphanContext.data();
        m_orphanContext.clear();
    }
    delete orphan;
}

void Reactor::forgetAfterFork()
{
    // Only this thread exists in the child; locks held by the parent's other
    // threads at fork() time would never be released, so start afresh.
    new (&m_mutex) std::mutex;
    if (m_state == State::Running)
        m_state = State::Forked;
    m_ownThread = false;
    m_wakePosted = false;
    m_stopRequested.store(false);
    m_reactorThread.store(nullptr);
    m_reactorThreadId.store(nullptr);
    m_thread = nullptr;  // the parent's thread object; never run here
    m_context = nullptr; // lived in that thread
    m_queue.takeAll();   // their results belong to the parent
    m_running = nullptr;
    m_callDepth.store(0, std::memory_order_relaxed);
    m_batchWaiting.store(0, std::memory_order_relaxed);
    m_heldSince.store(0, std::memory_order_relaxed);
    m_repliesInFlight.store(0, std::memory_order_relaxed);
    m_loopStatistics.resetAfterFork();
    m_probe = nullptr; // lived in the parent's reactor thread
    m_inNestedLoop = false;
    m_nestedWakePosted = false;
    m_pending.clear();
}

bool Reactor::isReactorThread() const
{
    const Qt::HANDLE reactorThreadId = m_reactorThreadId.load(std::memory_order_acquire);
    return reactorThreadId && QThread::currentThreadId() == reactorThreadId;
}

QThread *Reactor::thread() const
{
    return m_reactorThread.load(std::memory_order_acquire);
}

QObject *Reactor::context() const
{
    if (!isReactorThread())
        throw ReactorThreadError(QStringLiteral(
            "this must be called in the reactor thread (inside a wrapped function)"));
    std::lock_guard guard(m_mutex);
    if (!m_context)
        throw ReactorStopped();
    return m_context;
}

void Reactor::trackPending(ResultStateBase *state)
{
    {
        std::lock_guard guard(m_mutex);
        if (m_state == State::Running) {
            if (m_pending.insert(state).second)
                state->ref();
            return;
        }
    }
    state->abort(std::make_exception_ptr(ReactorStopped()));
}

ReactorStats Reactor::stats() const
{
    ReactorStats stats;
    {
        std::lock_guard guard(m_mutex);
        if (m_state == State::Idle)
            throw SetupError(notSetUpMessage());
        if (m_state == State::Forked)
            throw SetupError(forkedMessage());
        stats.queuedCalls = m_queue.size() + m_batchWaiting.load(std::memory_order_relaxed);
        stats.pendingResults = stats.queuedCalls + m_callDepth.load(std::memory_order_relaxed) +
                               qsizetype(m_pending.size());
    }
    stats.repliesInFlight = m_repliesInFlight.load(std::memory_order_relaxed);
    m_loopStatistics.fill(stats, heldSince());
    return stats;
}

void Reactor::addRepliesInFlight(int delta) noexcept
{
    m_repliesInFlight.fetch_add(delta, std::memory_order_relaxed);
}

void Reactor::untrackPending(ResultStateBase *state)
{
    bool found = false;
    {
        std::lock_guard guard(m_mutex);
        found = m_pending.erase(state) > 0;
    }
    if (found)
        state->deref();
}

void post(QueuedCall *call)
{
    Reactor::global().post(call);
}

void ensureNotReactorThread(const char *what)
{
    if (Reactor::global().isReactorThread()) {
        throw ReactorThreadError(
            QStringLiteral("%1 was called on the reactor thread, where it would deadlock; call "
                           "the wrapped function directly, or use runInReactor()")
                .arg(QLatin1String(what)));
    }
}

void failWithCurrentException(ResultStateBase &state) noexcept
{
    // A result cancelled meanwhile keeps its CancelledError: nothing to record.
    if (state.isDone())
        return;
    // The throw site is gone by now; the reactor's stack where the failure
    // was caught is the stack that can be had, and costs nothing on success.
    // Only its return addresses are kept: they become text when the failure
    // is read or logged.
    state.fail(std::current_exception(), ResultStateBase::Unretrieved::Log,
               CapturedStack::capture(__builtin_return_address(0)));
}

QObject *reactorContext()
{
    return Reactor::global().context();
}

void trackPending(ResultStateBase *state)
{
    Reactor::global().trackPending(state);
}

void untrackPending(ResultStateBase *state)
{
    Reactor::global().untrackPending(state);
}

QueuedCall::~QueuedCall()
{
    m_state->deref();
}

} // namespace Crochet::detail

namespace Crochet {

void setup()
{
    detail::Reactor::global().setup();
}

void noSetup()
{
    detail::Reactor::global().noSetup();
}

void shutdown()
{
    detail::Reactor::global().shutdown();
}

bool isReactorThread()
{
    return detail::Reactor::global().isReactorThread();
}

QThread *reactorThread()
{
    return detail::Reactor::global().thread();
}

ReactorStats reactorStats()
{
    return detail::Reactor::global().stats();
}

} // namespace Crochet
