// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "bench.h"

#include <crochet/crochet.h>

#include <QtCore/QObject>
#include <QtCore/QPromise>
#include <QtCore/QThread>

#include <cmath>

#include <time.h>

namespace Bench {

namespace {
const auto reactorPthread =
    Crochet::waitFor(std::chrono::seconds(60), [] { return pthread_self(); });
} // namespace

double threadCpuSeconds(pthread_t thread)
{
    clockid_t clock;
    timespec now{};
    if (pthread_getcpuclockid(thread, &clock) != 0 || clock_gettime(clock, &now) != 0)
        return std::nan("");
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

double reactorCpuSeconds()
{
    static const pthread_t reactor = reactorPthread();
    return threadCpuSeconds(reactor);
}

double processCpuSeconds()
{
    timespec now{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now) != 0)
        return std::nan("");
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

QtWorker::QtWorker()
    : m_thread(new QThread)
    , m_context(new QObject)
{
    m_thread->setObjectName(QStringLiteral("BaselineQtWorker"));
    m_context->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(
        m_context, [this] { m_pthread = pthread_self(); }, Qt::BlockingQueuedConnection);
}

QtWorker::~QtWorker()
{
    m_thread->quit();
    m_thread->wait();
    // The thread has finished: nothing else can touch the context now.
    delete m_context;
    delete m_thread;
}

QFuture<int> queuedPromise(QObject *context, int value)
{
    QPromise<int> promise;
    QFuture<int> future = promise.future();
    QMetaObject::invokeMethod(
        context,
        [promise = std::move(promise), value]() mutable {
            promise.start();
            promise.addResult(value);
            promise.finish();
        },
        Qt::QueuedConnection);
    return future;
}

StdWorker::StdWorker()
    : m_thread([this] { serve(); })
{}

StdWorker::~StdWorker()
{
    {
        std::lock_guard guard(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

std::future<int> StdWorker::submit(std::packaged_task<int()> task)
{
    std::future<int> future = task.get_future();
    {
        std::lock_guard guard(m_mutex);
        m_queue.push_back(std::move(task));
    }
    m_wake.notify_one();
    return future;
}

void StdWorker::serve()
{
    std::unique_lock guard(m_mutex);
    while (true) {
        m_wake.wait(guard, [this] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty())
            return;
        // Take the whole batch, like Crochet's reactor does.
        std::deque<std::packaged_task<int()>> batch;
        batch.swap(m_queue);
        guard.unlock();
        for (auto &task : batch)
            task();
        guard.lock();
    }
}

} // namespace Bench
