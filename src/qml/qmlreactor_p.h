// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the QML singleton `Reactor` (import Crochet), reactorStats() for
// QML. Registered by the module's type registration, which includes this
// header by name.

#include <crochet/reactorstats.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtQml/qqmlregistration.h>

namespace Crochet {

/*!
    The singleton `Reactor`: the figures of Crochet::reactorStats() as
    read-only properties with change signals, in the thread of the QML
    engine (the GUI thread).

    Updated at most 4 times a second, and only while something is connected
    to its change signals (a binding, a Connections): a timer polls
    reactorStats() and emits the signals of the values that changed. Read
    while nothing is connected, a property is read afresh (again at most 4
    times a second), without signals. Before Crochet::setup() every value
    is 0.
*/
class QmlReactor : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Reactor)
    QML_SINGLETON
    //! EventualResults of wrapped calls not yet complete.
    Q_PROPERTY(int pendingResults READ pendingResults NOTIFY pendingResultsChanged FINAL)
    //! Calls posted to the reactor and not yet started.
    Q_PROPERTY(int queuedCalls READ queuedCalls NOTIFY queuedCallsChanged FINAL)
    //! Replies of the reactor's network access manager in flight.
    Q_PROPERTY(int repliesInFlight READ repliesInFlight NOTIFY repliesInFlightChanged FINAL)
    //! Event-loop lag over the last 10 s, median, in milliseconds.
    Q_PROPERTY(double lagP50 READ lagP50 NOTIFY lagP50Changed FINAL)
    //! Event-loop lag over the last 10 s, 99th percentile, in milliseconds.
    Q_PROPERTY(double lagP99 READ lagP99 NOTIFY lagP99Changed FINAL)
    //! Share of the last 10 s the reactor thread was busy, 0..1.
    Q_PROPERTY(double busyFraction READ busyFraction NOTIFY busyFractionChanged FINAL)

public:
    explicit QmlReactor(QObject *parent = nullptr);

    int pendingResults() const;
    int queuedCalls() const;
    int repliesInFlight() const;
    double lagP50() const;
    double lagP99() const;
    double busyFraction() const;

Q_SIGNALS:
    void pendingResultsChanged();
    void queuedCallsChanged();
    void repliesInFlightChanged();
    void lagP50Changed();
    void lagP99Changed();
    void busyFractionChanged();

protected:
    void connectNotify(const QMetaMethod &signal) override;

private:
    //! The timer's: reads the figures and emits what changed; stops when
    //! nothing listens any more.
    void update();
    //! Reads the figures unless they were read less than an interval ago.
    const ReactorStats &current() const;
    bool isListenedTo() const;

    QTimer m_timer;
    mutable QElapsedTimer m_readAt; // invalid until the first read
    mutable ReactorStats m_stats;
};

} // namespace Crochet
