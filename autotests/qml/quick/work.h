// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The back end of tst_qmlquick.qml: the singleton Work of the QML module
// CrochetTest (QML_ELEMENT), so that qmllint knows it and what it returns.
#pragma once

#include "reactorhelpers.h"

#include <crochet/crochet.h>
#include <crochet/qml.h>

#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>

/*!
    What a QML application's back end looks like: Q_INVOKABLE methods that
    start work in the reactor and return EventualResult objects. Here the
    test decides when the latest operation progresses and how it ends.
*/
class Work : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    //! An operation that runs until finish() or fail(); its value is {text: ...}.
    Q_INVOKABLE Crochet::QmlEventualResult *start()
    {
        m_promise = std::make_shared<QPromise<QVariantMap>>();
        m_promise->start();
        m_started = std::make_shared<std::atomic<bool>>(false);
        static const auto wait =
            Crochet::runInReactor([](const QFuture<QVariantMap> &future,
                                     const std::shared_ptr<std::atomic<bool>> &started) {
                *started = true;
                return future;
            });
        Crochet::QmlEventualResult *object = Crochet::toQml(wait(m_promise->future(), m_started));
        m_lastStarted = object;
        return object;
    }
    //! Sets the latest operation's progress, in percent.
    Q_INVOKABLE void setProgress(int percent)
    {
        m_promise->setProgressRange(0, 100);
        m_promise->setProgressValue(percent);
    }
    Q_INVOKABLE void finish(const QString &text)
    {
        m_promise->addResult(QVariantMap{{QStringLiteral("text"), text}});
        m_promise->finish();
    }
    Q_INVOKABLE void fail(const QString &message)
    {
        m_promise->setException(std::make_exception_ptr(std::runtime_error(message.toStdString())));
        m_promise->finish();
    }
    //! True once the reactor runs the latest operation: cancelled earlier,
    //! it would never start.
    Q_INVOKABLE bool operationStarted() const { return *m_started; }
    //! True once the latest operation itself was told to stop.
    Q_INVOKABLE bool operationCancelled() const { return m_promise->isCanceled(); }
    //! True while the object that start() returned last still exists.
    Q_INVOKABLE bool lastStartedExists() const { return !m_lastStarted.isNull(); }

    //! A computation in the reactor, done at once.
    Q_INVOKABLE Crochet::QmlEventualResult *square(int x)
    {
        static const auto square = Crochet::runInReactor([](int x) { return x * x; });
        return Crochet::toQml(square(x));
    }

    // For the singleton Reactor (tst_reactor.qml).

    //! Holds the reactor thread in a call until releaseReactor(); returns
    //! once the call has started.
    Q_INVOKABLE bool holdReactor()
    {
        m_held = std::make_shared<Held>();
        Crochet::runInReactor([held = m_held] {
            held->entered.open();
            held->release.wait();
        })();
        return m_held->entered.wait();
    }
    Q_INVOKABLE void releaseReactor() { m_held->release.open(); }
    //! Queues \a count calls that do nothing.
    Q_INVOKABLE void queueCalls(int count)
    {
        static const auto nothing = Crochet::runInReactor([] {});
        for (int i = 0; i < count; ++i)
            nothing();
    }
    //! Starts \a count operations that stay pending until cancelPending().
    Q_INVOKABLE void startPending(int count)
    {
        static const auto never =
            Crochet::runInReactor([] { return CrochetTest::neverFinishingFuture<int>(); });
        for (int i = 0; i < count; ++i)
            m_pending.append(never());
    }
    Q_INVOKABLE void cancelPending()
    {
        for (auto &result : m_pending)
            result.cancel();
        m_pending.clear();
    }
    //! Keeps the reactor thread busy for \a ms (returns at once).
    Q_INVOKABLE void keepReactorBusy(int ms)
    {
        Crochet::runInReactor([ms] {
            const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
            while (std::chrono::steady_clock::now() < end) {
            }
        })();
    }

private:
    struct Held
    {
        CrochetTest::Gate entered;
        CrochetTest::Gate release;
    };
    std::shared_ptr<Held> m_held;
    QList<Crochet::EventualResult<int>> m_pending;
    std::shared_ptr<QPromise<QVariantMap>> m_promise;
    std::shared_ptr<std::atomic<bool>> m_started;
    QPointer<QObject> m_lastStarted;
};
