// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file qml.h
    Crochet::toQml(): an EventualResult as a QML object, for the QML module
    `Crochet` (`import Crochet`, CMake target Crochet::Qml).

    \code
    // A QObject exposed to QML, its methods start work in the reactor:
    Q_INVOKABLE Crochet::QmlEventualResult *fetch(const QUrl &url)
    {
        return Crochet::toQml(fetchPage(url));  // fetchPage: a runInReactor() function
    }
    \endcode
    \code{.qml}
    property EventualResult page: backend.fetch("http://127.0.0.1:8080/")
    Text { text: page.ready ? page.value.text : Math.round(page.progress * 100) + "%" }
    \endcode

    Returning `Crochet::QmlEventualResult *` (rather than `QObject *`) lets
    qmllint and Qt Creator see the type and its properties.

    \library `#include <crochet/qml.h>`, CMake target `Crochet::Qml`
    (`find_package(Crochet COMPONENTS Qml)`).
*/

#include <crochet/eventualresult.h>
#include <crochet/qmlvalueconverter.h>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariant>
#include <QtQml/QJSValue>
#include <QtQml/qqmlregistration.h>

#include <memory>

//! Marks what the QML library exports (the library's own business).
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

    \library `#include <crochet/qml.h>`, `Crochet::Qml`.
    \threads Any thread (toQml()'s objects call it in their own).
*/
template <>
struct QmlValueConverter<NetworkResponse>
{
    //! The QML value of \a response, as above.
    //! \nothrow
    CROCHET_QML_EXPORT static QVariant convert(const NetworkResponse &response);
};

class QmlEventualResult;

template <typename T>
QmlEventualResult *toQml(EventualResult<T> result, QObject *parent = nullptr);

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

    \library `#include <crochet/qml.h>`, `Crochet::Qml`; in QML
    `import Crochet`.
    \threads Use it in the thread it lives in, like any QObject; its
    signals are emitted there, never in the reactor thread.
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
    //! Releases its handle on the result; cancels nothing.
    ~QmlEventualResult() override;

    //! The property `ready`. \nothrow
    bool isReady() const;
    //! The property `value`. \nothrow
    QVariant value() const;
    //! The property `error`. \nothrow
    QString error() const;
    //! The property `cancelled`. \nothrow
    bool isCancelled() const;
    //! The property `progress`. \nothrow
    double progress() const;

    /*!
        Cancels the operation behind the result, like EventualResult::cancel().
        Called on the object's thread while the result is pending, the
        properties change (and the signals are emitted) before it returns.
        \nothrow
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
        `crochet`.
        \threads The object's thread (QML calls it there).
        \throws A JavaScript TypeError (not a C++ exception) if an argument is
        neither a function nor null/undefined.
    */
    Q_INVOKABLE void then(const QJSValue &onValue, const QJSValue &onError = QJSValue());

Q_SIGNALS:
    //! `ready` changed (once, to true).
    void readyChanged();
    //! `value` changed (once, when the result succeeded).
    void valueChanged();
    //! `error` changed (once, when the result failed or was cancelled).
    void errorChanged();
    //! `cancelled` changed (once, to true).
    void cancelledChanged();
    //! `progress` changed.
    void progressChanged();
    //! Emitted once, after the properties changed, when the result arrives.
    void finished();

private:
    friend class QmlEventualResultPrivate;
    template <typename T>
    friend QmlEventualResult *toQml(EventualResult<T> result, QObject *parent);
    QmlEventualResult(detail::ResultStateBase *state, detail::QmlValueFunction convert,
                      QObject *parent);
    void applyCompletion();
    void pollProgress();
    void postCallbacks();
    void runCallbacks();

    std::unique_ptr<QmlEventualResultPrivate> d;
};

/*!
    Returns a new QML `EventualResult` object showing \a result, with
    \a parent. Call it in the thread the object should live in, normally
    the GUI thread, e.g. in a Q_INVOKABLE method that QML calls: returned
    without a parent, QML then owns the object and its garbage collector
    deletes it. Does not block.

    The value is converted in that thread when the result arrives, by
    QmlValueConverter<T> (specialise it for your own types).

    It returns the typed pointer so that a `Q_INVOKABLE
    Crochet::QmlEventualResult *` method tells QML tools the type; code
    written for a `QObject *` keeps working, as the pointer converts.

    \library `#include <crochet/qml.h>`, `Crochet::Qml`.
    \threads Any thread with an event loop (the object's signals come from
    it); normally the GUI thread.
    \nothrow
*/
template <typename T>
QmlEventualResult *toQml(EventualResult<T> result, QObject *parent)
{
    return new QmlEventualResult(detail::ResultAccess::state(result), &detail::qmlValueOf<T>,
                                 parent);
}

} // namespace Crochet
