// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/errors.h>
#include <crochet/qml.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <mutex>

namespace Crochet {

namespace {

constexpr int ProgressPollIntervalMs = 50;

/*!
    Shared by an object and the completion listener of its result. The
    listener runs on whichever thread completes the result and may post to
    the object only while it exists; the object's destructor clears the
    pointer. A QPointer would not do: it must not be read in one thread
    while its object is destroyed in another.
*/
struct ObjectLink
{
    std::mutex mutex;
    QmlEventualResult *object = nullptr; // guarded by mutex
};

// The event that tells an object its result completed.
QEvent::Type completionEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

class CompletionPoster final : public detail::CompletionListener
{
public:
    explicit CompletionPoster(std::shared_ptr<ObjectLink> link)
        : m_link(std::move(link))
    {}

    void resultCompleted(detail::ResultStateBase &) override
    {
        // Only posts: the object changes in its own thread. Posting under the
        // lock keeps the object alive until the event is queued; an object
        // destroyed before the event runs takes the event with it.
        const std::lock_guard guard(m_link->mutex);
        if (m_link->object)
            QCoreApplication::postEvent(m_link->object, new QEvent(completionEventType()));
    }

private:
    std::shared_ptr<ObjectLink> m_link;
};

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
    detail::ResultStateBase *state = nullptr; // one handle, released by the destructor
    detail::QmlValueFunction convert = nullptr;
    std::shared_ptr<ObjectLink> link = std::make_shared<ObjectLink>();
    QTimer *progressTimer = nullptr; // a child, so that moveToThread() moves it too
    QVariant value;
    QString error;
    double progress = -1.0;
    bool ready = false;
    bool cancelled = false;
};

QmlEventualResult::QmlEventualResult(detail::ResultStateBase *state,
                                     detail::QmlValueFunction convert, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<QmlEventualResultPrivate>())
{
    state->addHandle();
    d->state = state;
    d->convert = convert;
    d->link->object = this;
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
    state->addListener(new CompletionPoster(d->link));
}

QmlEventualResult::~QmlEventualResult()
{
    {
        const std::lock_guard guard(d->link->mutex);
        d->link->object = nullptr;
    }
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

void QmlEventualResult::customEvent(QEvent *event)
{
    {
        // The poster posted under this lock. Taking it before reading the
        // event makes the hand-off visible to ThreadSanitizer, which cannot
        // see the locks inside Debian's uninstrumented Qt.
        const std::lock_guard guard(d->link->mutex);
    }
    if (event->type() == completionEventType())
        applyCompletion();
    else
        QObject::customEvent(event);
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
