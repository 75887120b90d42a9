// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "qmlreactor_p.h"

#include <crochet/errors.h>

#include <QtCore/QMetaMethod>
#include <QtCore/QThread>

#include <limits>

namespace Crochet {

namespace {

constexpr int UpdateIntervalMs = 250; // at most 4 times a second

//! reactorStats(), or zeros before setup().
ReactorStats readStats()
{
    try {
        return reactorStats();
    } catch (const SetupError &) {
        return ReactorStats();
    }
}

double milliseconds(std::chrono::microseconds duration)
{
    return std::chrono::duration<double, std::milli>(duration).count();
}

int clampedInt(qsizetype count)
{
    return int(qMin<qsizetype>(count, std::numeric_limits<int>::max()));
}

} // namespace

QmlReactor::QmlReactor(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(UpdateIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &QmlReactor::update);
}

int QmlReactor::pendingResults() const
{
    return clampedInt(current().pendingResults);
}

int QmlReactor::queuedCalls() const
{
    return clampedInt(current().queuedCalls);
}

int QmlReactor::repliesInFlight() const
{
    return clampedInt(current().repliesInFlight);
}

double QmlReactor::lagP50() const
{
    return milliseconds(current().lagP50);
}

double QmlReactor::lagP99() const
{
    return milliseconds(current().lagP99);
}

double QmlReactor::busyFraction() const
{
    return current().busyFraction;
}

void QmlReactor::connectNotify(const QMetaMethod &signal)
{
    if (signal.methodSignature().endsWith("Changed()")) {
        // Connected from another thread, the timer starts in this one.
        if (QThread::currentThread() == thread())
            m_timer.start();
        else
            QMetaObject::invokeMethod(&m_timer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
    }
}

bool QmlReactor::isListenedTo() const
{
    return isSignalConnected(QMetaMethod::fromSignal(&QmlReactor::pendingResultsChanged)) ||
           isSignalConnected(QMetaMethod::fromSignal(&QmlReactor::queuedCallsChanged)) ||
           isSignalConnected(QMetaMethod::fromSignal(&QmlReactor::repliesInFlightChanged)) ||
           isSignalConnected(QMetaMethod::fromSignal(&QmlReactor::lagP50Changed)) ||
           isSignalConnected(QMetaMethod::fromSignal(&QmlReactor::lagP99Changed)) ||
           isSignalConnected(QMetaMethod::fromSignal(&QmlReactor::busyFractionChanged));
}

const ReactorStats &QmlReactor::current() const
{
    // The timer keeps them fresh while it runs (and only it may emit).
    if (!m_timer.isActive() && (!m_readAt.isValid() || m_readAt.hasExpired(UpdateIntervalMs))) {
        m_stats = readStats();
        m_readAt.start();
    }
    return m_stats;
}

void QmlReactor::update()
{
    if (!isListenedTo()) {
        m_timer.stop();
        return;
    }
    const ReactorStats old = m_stats;
    m_stats = readStats();
    m_readAt.start();
    // Every property is set before the first signal.
    if (m_stats.pendingResults != old.pendingResults)
        Q_EMIT pendingResultsChanged();
    if (m_stats.queuedCalls != old.queuedCalls)
        Q_EMIT queuedCallsChanged();
    if (m_stats.repliesInFlight != old.repliesInFlight)
        Q_EMIT repliesInFlightChanged();
    if (m_stats.lagP50 != old.lagP50)
        Q_EMIT lagP50Changed();
    if (m_stats.lagP99 != old.lagP99)
        Q_EMIT lagP99Changed();
    if (m_stats.busyFraction != old.busyFraction)
        Q_EMIT busyFractionChanged();
}

} // namespace Crochet
