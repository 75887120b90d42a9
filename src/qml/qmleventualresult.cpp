// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/detail/contextguard.h>
#include <crochet/errors.h>
#include <crochet/qml.h>

#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <memory>

namespace Crochet {

namespace {

constexpr int ProgressPollIntervalMs = 50;

bool isCancellation(const std::exception_ptr &error)
{
    try {
        std::rethrow_exception(error);
    } catch (const CancelledError &) {
        return true;
    } catch (...) {
        return false;
    }
}

QString describe(const Failure &failure)
{
    return failure.message().isEmpty() ? failure.typeName() : failure.message();
}

} // namespace

class QmlEventualResultPrivate
{
public:
    static void applyCompletion(QmlEventualResult *object) { object->applyCompletion(); }

    detail::ResultStateBase *state = nullptr; // one handle, released by the destructor
    detail::QmlValueFunction convert = nullptr;
    // Shared with the completion listener, which posts through it from the
    // thread that completes the result.
    std::shared_ptr<detail::ContextGuard> guard;
    QTimer *progressTimer = nullptr; // a child, so that moveToThread() moves it too
    QVariant value;
    QString error;
    double progress = -1.0;
    bool ready = false;
    bool cancelled = false;
};

namespace {

/*!
    The result's completion listener: runs on whichever thread completes
    the result and only posts; the object changes in its own thread. The
    guard drops a completion posted to an object being destroyed.
*/
class CompletionPoster final : public detail::CompletionListener
{
public:
    CompletionPoster(std::shared_ptr<detail::ContextGuard> guard, QmlEventualResult *object)
        : m_guard(std::move(guard))
        , m_object(object)
    {}

    void resultCompleted(detail::ResultStateBase &) override
    {
        m_guard->post([object = m_object] { QmlEventualResultPrivate::applyCompletion(object); });
    }

private:
    std::shared_ptr<detail::ContextGuard> m_guard;
    QmlEventualResult *m_object; // used only in its thread, while it lives
};

} // namespace

QmlEventualResult::QmlEventualResult(detail::ResultStateBase *state,
                                     detail::QmlValueFunction convert, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<QmlEventualResultPrivate>())
{
    state->addHandle();
    d->state = state;
    d->convert = convert;
    d->guard = std::make_shared<detail::ContextGuard>(this);
    d->progress = state->isDone() ? -1.0 : state->progress();

    // Polled rather than watched: QFutureWatcher's progress signals are
    // throttled in Qt 6.4, and the reactor must not touch this object.
    d->progressTimer = new QTimer(this);
    d->progressTimer->setInterval(ProgressPollIntervalMs);
    QObject::connect(d->progressTimer, &QTimer::timeout, this, &QmlEventualResult::pollProgress);
    if (!state->isDone())
        d->progressTimer->start();

    // Runs the poster at once if the result is already complete: the
    // completion still arrives through the event loop, as always.
    state->addListener(new CompletionPoster(d->guard, this));
}

QmlEventualResult::~QmlEventualResult()
{
    d->state->releaseHandle();
}

bool QmlEventualResult::isReady() const
{
    return d->ready;
}

QVariant QmlEventualResult::value() const
{
    return d->value;
}

QString QmlEventualResult::error() const
{
    return d->error;
}

bool QmlEventualResult::isCancelled() const
{
    return d->cancelled;
}

double QmlEventualResult::progress() const
{
    return d->progress;
}

void QmlEventualResult::cancel()
{
    d->state->cancel();
    // On another thread, the posted completion will apply it.
    if (d->state->isDone() && QThread::currentThread() == thread())
        applyCompletion();
}

void QmlEventualResult::pollProgress()
{
    // Once complete, applyCompletion() sets the final progress.
    if (d->state->isDone())
        return;
    const double progress = d->state->progress();
    if (progress != d->progress) {
        d->progress = progress;
        Q_EMIT progressChanged();
    }
}

void QmlEventualResult::applyCompletion()
{
    // Already applied by cancel() on this thread.
    if (d->ready)
        return;
    d->progressTimer->stop();

    bool valueChanged = false;
    if (const std::optional<Failure> failure = d->state->failure()) {
        d->error = describe(*failure);
        d->cancelled = isCancellation(failure->exception());
    } else {
        try {
            d->value = d->convert(*d->state);
            valueChanged = d->value.isValid();
        } catch (...) {
            d->error = describe(Failure(std::current_exception(), d->state->wrappedAt()));
        }
    }
    const double progress = d->state->progress();
    const bool progressChanged = progress != d->progress;
    d->progress = progress;
    d->ready = true;

    // Every property is set before the first signal, so that each handler
    // sees the final state.
    if (progressChanged)
        Q_EMIT this->progressChanged();
    if (valueChanged)
        Q_EMIT this->valueChanged();
    if (!d->error.isEmpty())
        Q_EMIT errorChanged();
    if (d->cancelled)
        Q_EMIT cancelledChanged();
    Q_EMIT readyChanged();
    Q_EMIT finished();
}

} // namespace Crochet
