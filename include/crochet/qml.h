// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file qml.h
    Crochet::toQml(): an EventualResult as a QML object, for the QML module
    `Crochet` (`import Crochet`, CMake target Crochet::Qml).

    \code
    // A QObject exposed to QML, its methods start work in the reactor:
    Q_INVOKABLE QObject *fetch(const QUrl &url)
    {
        return Crochet::toQml(fetchPage(url));  // fetchPage: a runInReactor() function
    }
    \endcode
    \code
    property EventualResult page: backend.fetch("http://127.0.0.1:8080/")
    Text { text: page.ready ? page.value.text : Math.round(page.progress * 100) + "%" }
    \endcode
*/

#include <crochet/eventualresult.h>
#include <crochet/qmlvalueconverter.h>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariant>
#include <QtQml/QJSValue>
#include <QtQml/qqmlregistration.h>

#include <memory>

#if defined(CROCHET_BUILDING_QML_LIBRARY)
#define CROCHET_QML_EXPORT Q_DECL_EXPORT
#else
#define CROCHET_QML_EXPORT Q_DECL_IMPORT
#endif

namespace Crochet {

struct NetworkResponse;

/*!
    A NetworkResponse is shown to QML as an object with `statusCode` (int),
    `url` (string, the final URL), `headers` (an object mapping each header
    name, in lower case, to its value; repeated headers joined with ", "),
    `body` (ArrayBuffer) and `text` (the body decoded as UTF-8).
*/
template <>
struct QmlValueConverter<NetworkResponse>
{
    CROCHET_QML_EXPORT static QVariant convert(const NetworkResponse &response);
};

template <typename T>
QObject *toQml(EventualResult<T> result, QObject *parent = nullptr);

class QmlEventualResultPrivate;

namespace detail {
//! Converts the value of a succeeded result for QML, in the object's thread.
using QmlValueFunction = QVariant (*)(ResultStateBase &state);

template <typename T>
QVariant qmlValueOf(ResultStateBase &state)
{
    if constexpr (std::is_void_v<T>)
        return QVariant();
    else
        return QmlValueConverter<T>::convert(static_cast<ResultState<T> &>(state).peek());
}
} // namespace detail

/*!
    The QML type `EventualResult`: a read-only view of one
    Crochet::EventualResult, made by toQml(). Not creatable from QML.

    It lives in the thread that called toQml() (normally the GUI thread),
    and every signal is emitted there, from its event loop: the reactor
    never touches it. It starts not ready even when the result is already
    there; the completion arrives as one posted event that sets every
    property first and then emits the change signals and finished().
    While the result is pending, progress is polled every 50 ms.

    Destroying it cancels nothing (call cancel() for that) and is safe
    whenever the result arrives. It holds a handle to the result: the value
    stays alive as long as the object does. A failure that it shows in
    `error` counts as retrieved and is not logged as unhandled.
*/
class CROCHET_QML_EXPORT QmlEventualResult : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(EventualResult)
    QML_UNCREATABLE("EventualResult objects come from C++: Crochet::toQml()")
    //! True once the result has a value or a failure (cancellation included).
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged FINAL)
    //! The value (see QmlValueConverter), undefined until ready or on failure.
    Q_PROPERTY(QVariant value READ value NOTIFY valueChanged FINAL)
    //! The failure's message, empty when there is none. Also set when cancelled.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged FINAL)
    //! True when the result failed with CancelledError.
    Q_PROPERTY(bool cancelled READ isCancelled NOTIFY cancelledChanged FINAL)
    //! Progress in 0..1, -1 while the operation reports no range; 1 once ready.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged FINAL)

public:
    ~QmlEventualResult() override;

    bool isReady() const;
    QVariant value() const;
    QString error() const;
    bool isCancelled() const;
    double progress() const;

    /*!
        Cancels the operation behind the result, like EventualResult::cancel().
        Called on the object's thread while the result is pending, the
        properties change (and the signals are emitted) before it returns.
    */
    Q_INVOKABLE void cancel();

    /*!
        Calls one of two JavaScript functions once, when the result is
        there: `onValue(value)` on success, `onError(error)` (the `error`
        string) on failure or cancellation. Either may be left out (or be
        null). They are called on the object's thread, from its event loop,
        after `finished()`; never from inside then() or cancel(), so a
        result that is already there calls them soon after then() returns.
        Never once the object is destroyed: keep a reference to it (a
        property) until then, or the garbage collector may delete it first.
        Each call of then() adds a pair, called in the order they were added.
        What a function throws is logged as a warning on the category
        `crochet`. Throws a JavaScript TypeError if an argument is neither a
        function nor null/undefined.
    */
    Q_INVOKABLE void then(const QJSValue &onValue, const QJSValue &onError = QJSValue());

Q_SIGNALS:
    void readyChanged();
    void valueChanged();
    void errorChanged();
    void cancelledChanged();
    void progressChanged();
    //! Emitted once, after the properties changed, when the result arrives.
    void finished();

private:
    friend class QmlEventualResultPrivate;
    template <typename T>
    friend QObject *toQml(EventualResult<T> result, QObject *parent);
    QmlEventualResult(detail::ResultStateBase *state, detail::QmlValueFunction convert,
                      QObject *parent);
    void applyCompletion();
    void pollProgress();
    void postCallbacks();
    void runCallbacks();

    std::unique_ptr<QmlEventualResultPrivate> d;
};

/*!
    Returns a new QML `EventualResult` object (a QmlEventualResult) showing
    \a result, with \a parent. Call it in the thread the object should live
    in, normally the GUI thread, e.g. in a Q_INVOKABLE method that QML calls:
    returned without a parent, QML then owns the object and its garbage
    collector deletes it. Does not block and never throws.

    The value is converted in that thread when the result arrives, by
    QmlValueConverter<T> (specialise it for your own types).
*/
template <typename T>
QObject *toQml(EventualResult<T> result, QObject *parent)
{
    return new QmlEventualResult(detail::ResultAccess::state(result), &detail::qmlValueOf<T>,
                                 parent);
}

} // namespace Crochet
