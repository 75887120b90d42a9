// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/detail/contextguard.h>
#include <crochet/errors.h>
#include <crochet/qml.h>

#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtQml/QJSEngine>

#include <memory>
#include <utility>

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

//! A then() argument: a function, or nothing (undefined, null).
bool isCallbackOrNothing(const QJSValue &value)
{
    return value.isCallable() || value.isUndefined() || value.isNull();
}

//! "message (file:line)" of what a then() function threw.
QString describeThrown(const QJSValue &error)
{
    const QJSValue file = error.property(QStringLiteral("fileName"));
    const QJSValue line = error.property(QStringLiteral("lineNumber"));
    if (file.isUndefined() || line.isUndefined())
        return error.toString();
    return QStringLiteral("%1 (%2:%3)").arg(error.toString(), file.toString(), line.toString());
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
    // then(): the (onValue, onError) pairs not called yet, and whether a
    // call of runCallbacks() is posted.
    QList<std::pair<QJSValue, QJSValue>> callbacks;
    bool callbacksPosted = false;
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
    postCallbacks();
}

void QmlEventualResult::then(const QJSValue &onValue, const QJSValue &onError)
{
    if (!isCallbackOrNothing(onValue) || !isCallbackOrNothing(onError)) {
        const QString message = QStringLiteral(
            "EventualResult.then(onValue, onError): each argument must be a function, or null");
        if (QJSEngine *engine = qjsEngine(this))
            engine->throwError(QJSValue::TypeError, message);
        else
            qCWarning(logging()).noquote() << message;
        return;
    }
    d->callbacks.append({onValue, onError});
    if (d->ready)
        postCallbacks();
}

void QmlEventualResult::postCallbacks()
{
    if (d->callbacks.isEmpty() || d->callbacksPosted)
        return;
    d->callbacksPosted = true;
    // Posted to this object: destroying it removes the call with it.
    QMetaObject::invokeMethod(this, &QmlEventualResult::runCallbacks, Qt::QueuedConnection);
}

void QmlEventualResult::runCallbacks()
{
    d->callbacksPosted = false;
    const bool failed = !d->error.isEmpty();
    QJSEngine *engine = qjsEngine(this);
    // A function may destroy this object (its parent, say) or call then()
    // again (which posts another round).
    const QPointer<QmlEventualResult> self(this);
    const auto callbacks = std::exchange(d->callbacks, {});
    for (const auto &[onValue, onError] : callbacks) {
        QJSValue function = failed ? onError : onValue;
        if (!function.isCallable())
            continue;
        // A function came from JavaScript, so this object has an engine.
        const QJSValue argument =
            failed ? QJSValue(d->error) : (engine ? engine->toScriptValue(d->value) : QJSValue());
        const QJSValue outcome = function.call({argument});
        if (outcome.isError()) {
            qCWarning(logging()).noquote()
                << "EventualResult.then(): a function threw:" << describeThrown(outcome);
        }
        if (!self)
            return;
    }
}

} // namespace Crochet
