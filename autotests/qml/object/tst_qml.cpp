// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Crochet::toQml() from C++: the QML EventualResult object's properties and
// signals, the thread they arrive on, value conversion, and its lifetime.

#include <crochet/crochet.h>
#include <crochet/detail/future.h>
#include <crochet/network.h>
#include <crochet/qml.h>

#include "reactorhelpers.h"
#include "testhttpserver.h"

#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using CrochetTest::LongTimeoutMs;

namespace {

//! The CancelledError a future cancelled by its producer ends in.
QString producerCancelledMessage()
{
    try {
        std::rethrow_exception(Crochet::detail::futureCancelledError());
    } catch (const Crochet::CancelledError &error) {
        return error.message();
    }
    return {};
}

struct Point
{
    int x;
    int y;
};

} // namespace

// A user type shown to QML through the customisation point.
template <>
struct Crochet::QmlValueConverter<Point>
{
    static QVariant convert(const Point &point)
    {
        return QVariantMap{{QStringLiteral("x"), point.x}, {QStringLiteral("y"), point.y}};
    }
};

// The typed pointer, so that QML tools see the type; code written for a
// QObject * keeps compiling.
static_assert(std::is_same_v<decltype(Crochet::toQml(std::declval<Crochet::EventualResult<int>>())),
                             Crochet::QmlEventualResult *>);
static_assert(std::is_convertible_v<Crochet::QmlEventualResult *, QObject *>);
static_assert(std::is_base_of_v<QObject, Crochet::QmlEventualResult>);
static_assert(!std::is_copy_constructible_v<Crochet::QmlEventualResult>);

namespace {

//! Makes a QML object for a result that the reactor computes.
using QmlMaker = std::function<QObject *()>;

template <typename T>
QmlMaker qmlOf(T value)
{
    return [value] { return Crochet::toQml(Crochet::runInReactor([value] { return value; })()); };
}

//! A result the test finishes, and the QML object showing it.
template <typename T>
struct Controlled
{
    std::shared_ptr<QPromise<T>> promise = CrochetTest::startedPromise<T>();
    Crochet::EventualResult<T> result =
        Crochet::runInReactor([future = promise->future()] { return future; })();
    std::unique_ptr<QObject> object{Crochet::toQml(result)};

    Crochet::QmlEventualResult *qml() const
    {
        return qobject_cast<Crochet::QmlEventualResult *>(object.get());
    }
};

//! Records every signal the object emits, in order: its name, its thread and
//! whether the object was ready then. Thread-safe; the accessors return
//! copies that share nothing with the recording thread.
class SignalLog
{
public:
    explicit SignalLog(QObject *object)
    {
        using Qml = Crochet::QmlEventualResult;
        auto *qml = qobject_cast<Qml *>(object);
        const std::pair<void (Qml::*)(), const char *> signalNames[] = {
            {&Qml::readyChanged, "readyChanged"},
            {&Qml::valueChanged, "valueChanged"},
            {&Qml::errorChanged, "errorChanged"},
            {&Qml::cancelledChanged, "cancelledChanged"},
            {&Qml::progressChanged, "progressChanged"},
            {&Qml::finished, "finished"},
        };
        // Not a structured binding: clang before 16 cannot capture one.
        for (const auto &signalName : signalNames) {
            const char *name = signalName.second;
            QObject::connect(qml, signalName.first, qml, [this, qml, name] {
                const std::lock_guard guard(m_mutex);
                m_entries.push_back({name, QThread::currentThread(), qml->isReady()});
            });
        }
    }
    QStringList names() const
    {
        const std::lock_guard guard(m_mutex);
        QStringList names;
        for (const Entry &entry : m_entries)
            names.append(QString::fromLatin1(entry.name));
        return names;
    }
    QList<QThread *> threads() const
    {
        const std::lock_guard guard(m_mutex);
        QList<QThread *> threads;
        for (const Entry &entry : m_entries)
            threads.append(entry.thread);
        return threads;
    }
    //! True when the object was ready at every signal but progressChanged.
    bool readyAtEverySignalButProgress() const
    {
        const std::lock_guard guard(m_mutex);
        return std::all_of(m_entries.begin(), m_entries.end(), [](const Entry &entry) {
            return entry.ready || qstrcmp(entry.name, "progressChanged") == 0;
        });
    }

private:
    struct Entry
    {
        const char *name;
        QThread *thread;
        bool ready;
    };
    mutable std::mutex m_mutex;
    std::vector<Entry> m_entries;
};

} // namespace

Q_DECLARE_METATYPE(QmlMaker)

class tst_Qml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        Crochet::setup();
        QVERIFY(m_server.isListening());
    }

    // The module's version is the project's: import Crochet <major>.<minor>
    // works, a later minor version does not exist.
    void moduleVersionIsTheProjectVersion()
    {
        QQmlEngine engine;
        const auto load = [&](int minor) {
            QQmlComponent component(&engine);
            component.setData(QStringLiteral("import QtQml\nimport Crochet %1.%2\nQtObject {}")
                                  .arg(CROCHET_VERSION_MAJOR)
                                  .arg(minor)
                                  .toUtf8(),
                              QUrl());
            const std::unique_ptr<QObject> object(component.create());
            return object ? QString() : component.errorString();
        };
        QCOMPARE(load(CROCHET_VERSION_MINOR), QString());
        QVERIFY(!load(CROCHET_VERSION_MINOR + 1).isEmpty());
    }

    void valueConversion_data()
    {
        QTest::addColumn<QmlMaker>("make");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("int") << qmlOf(42) << QVariant(42);
        QTest::newRow("double") << qmlOf(2.5) << QVariant(2.5);
        QTest::newRow("bool") << qmlOf(true) << QVariant(true);
        QTest::newRow("QString") << qmlOf(QStringLiteral("hello")) << QVariant(u"hello"_s);
        QTest::newRow("QByteArray")
            << qmlOf(QByteArray("\x01\x02", 2)) << QVariant(QByteArray("\x01\x02", 2));
        QTest::newRow("QStringList")
            << qmlOf(QStringList{u"a"_s, u"b"_s}) << QVariant(QStringList{u"a"_s, u"b"_s});
        QTest::newRow("QVariantMap")
            << qmlOf(QVariantMap{{u"k"_s, 1}}) << QVariant(QVariantMap{{u"k"_s, 1}});
        QTest::newRow("QList<int>") << qmlOf(QList<int>{1, 2}) << QVariant(QVariantList{1, 2});
        QTest::newRow("std::vector<QString>")
            << qmlOf(std::vector<QString>{u"x"_s}) << QVariant(QVariantList{u"x"_s});
        QTest::newRow("nested lists")
            << qmlOf(QList<QList<int>>{{1}, {2, 3}})
            << QVariant(QVariantList{QVariantList{1}, QVariantList{2, 3}});
        QTest::newRow("QMap<QString, int>")
            << qmlOf(QMap<QString, int>{{u"a"_s, 1}}) << QVariant(QVariantMap{{u"a"_s, 1}});
        QTest::newRow("QHash<QString, QList<int>>")
            << qmlOf(QHash<QString, QList<int>>{{u"a"_s, {7}}})
            << QVariant(QVariantMap{{u"a"_s, QVariantList{7}}});
        QTest::newRow("custom converter")
            << qmlOf(Point{1, 2}) << QVariant(QVariantMap{{u"x"_s, 1}, {u"y"_s, 2}});
        QTest::newRow("list of custom")
            << qmlOf(QList<Point>{{3, 4}})
            << QVariant(QVariantList{QVariantMap{{u"x"_s, 3}, {u"y"_s, 4}}});
        QTest::newRow("void") << QmlMaker([] {
            return Crochet::toQml(Crochet::runInReactor([] {})());
        }) << QVariant();
    }

    void valueConversion()
    {
        QFETCH(QmlMaker, make);
        QFETCH(QVariant, expected);
        std::unique_ptr<QObject> object(make());
        QTRY_VERIFY_WITH_TIMEOUT(object->property("ready").toBool(), LongTimeoutMs);
        QCOMPARE(object->property("value"), expected);
        QCOMPARE(object->property("error").toString(), QString());
        QCOMPARE(object->property("cancelled").toBool(), false);
        QCOMPARE(object->property("progress").toDouble(), 1.0);
    }

    void networkResponseConversion()
    {
        Crochet::NetworkResponse response;
        response.statusCode = 404;
        response.url = QUrl(u"http://127.0.0.1:1/final"_s);
        response.headers = {{"Content-Type", "text/plain"}, {"X-Tag", "a"}, {"x-tag", "b"}};
        response.body = QByteArrayLiteral("caf\xc3\xa9");
        const QVariantMap map =
            Crochet::QmlValueConverter<Crochet::NetworkResponse>::convert(response).toMap();
        QCOMPARE(map.value(u"statusCode"_s).toInt(), 404);
        QCOMPARE(map.value(u"url"_s).toString(), u"http://127.0.0.1:1/final"_s);
        QCOMPARE(map.value(u"body"_s).toByteArray(), response.body);
        QCOMPARE(map.value(u"text"_s).toString(), QString::fromUtf8("caf\xc3\xa9"));
        const QVariantMap headers = map.value(u"headers"_s).toMap();
        QCOMPARE(headers.value(u"content-type"_s).toString(), u"text/plain"_s);
        QCOMPARE(headers.value(u"x-tag"_s).toString(), u"a, b"_s);
        QCOMPARE(headers.size(), 2);
    }

    void networkResponseFromReactor()
    {
        const auto fetch = Crochet::runInReactor([](const QUrl &url) {
            return Crochet::networkAccessManager()->get(QNetworkRequest(url));
        });
        const QUrl url = m_server.url(u"/bytes/1000"_s);
        std::unique_ptr<QObject> object(Crochet::toQml(fetch(url)));
        QTRY_VERIFY_WITH_TIMEOUT(object->property("ready").toBool(), LongTimeoutMs);
        QCOMPARE(object->property("error").toString(), QString());
        const QVariantMap value = object->property("value").toMap();
        QCOMPARE(value.value(u"statusCode"_s).toInt(), 200);
        QCOMPARE(value.value(u"url"_s).toString(), url.toString());
        QCOMPARE(value.value(u"body"_s).toByteArray(), CrochetTest::TestHttpServer::pattern(1000));
        QCOMPARE(value.value(u"headers"_s).toMap().value(u"content-length"_s).toString(),
                 u"1000"_s);
    }

    void downloadProgress()
    {
        // /hold/1000 sends half of its promised 1000 bytes, then waits.
        const auto fetch = Crochet::runInReactor([](const QUrl &url) {
            return Crochet::networkAccessManager()->get(QNetworkRequest(url));
        });
        auto result = fetch(m_server.url(u"/hold/1000/progress"_s));
        std::unique_ptr<QObject> object(Crochet::toQml(result));
        QTRY_COMPARE_WITH_TIMEOUT(object->property("progress").toDouble(), 0.5, LongTimeoutMs);
        QVERIFY(!object->property("ready").toBool());
        result.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(object->property("cancelled").toBool(), LongTimeoutMs);
    }

    void outcomes_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("cancelled");
        QTest::newRow("succeeded") << u"succeed"_s << QVariant(u"done"_s) << QString() << false;
        QTest::newRow("failed") << u"fail"_s << QVariant() << u"boom"_s << false;
        QTest::newRow("non-std exception") << u"throw int"_s << QVariant() << u"int"_s << false;
        QTest::newRow("cancelled by EventualResult::cancel()")
            << u"cancel result"_s << QVariant() << Crochet::CancelledError().message() << true;
        QTest::newRow("cancelled by the producer")
            << u"cancel future"_s << QVariant() << producerCancelledMessage() << true;
    }

    // The final properties, the signals, and that every property is already
    // set when any signal is emitted.
    void outcomes()
    {
        QFETCH(QString, how);
        QFETCH(QVariant, value);
        QFETCH(QString, error);
        QFETCH(bool, cancelled);

        Controlled<QString> controlled;
        QObject *object = controlled.object.get();
        QVERIFY(!object->property("ready").toBool());
        QCOMPARE(object->property("value"), QVariant());
        QCOMPARE(object->property("error").toString(), QString());
        QVERIFY(!object->property("cancelled").toBool());

        const SignalLog log(object);

        if (how == u"succeed"_s) {
            controlled.promise->addResult(u"done"_s);
        } else if (how == u"fail"_s) {
            controlled.promise->setException(std::make_exception_ptr(std::runtime_error("boom")));
        } else if (how == u"throw int"_s) {
            controlled.promise->setException(std::make_exception_ptr(42));
        } else if (how == u"cancel result"_s) {
            controlled.result.cancel();
        } else {
            controlled.promise->future().cancel();
        }
        controlled.promise->finish();

        QSignalSpy finished(object, SIGNAL(finished()));
        QVERIFY(finished.wait(LongTimeoutMs));
        QCOMPARE(object->property("ready").toBool(), true);
        QCOMPARE(object->property("value"), value);
        QCOMPARE(object->property("error").toString(), error);
        QCOMPARE(object->property("cancelled").toBool(), cancelled);
        QCOMPARE(object->property("progress").toDouble(), 1.0);
        QVERIFY(log.readyAtEverySignalButProgress());
        const QStringList names = log.names();
        QCOMPARE(names.last(), u"finished"_s);
        QCOMPARE(names.count(u"finished"_s), 1);
        QCOMPARE(names.count(u"readyChanged"_s), 1);
        QCOMPARE(names.contains(u"valueChanged"_s), value.isValid());
        QCOMPARE(names.contains(u"errorChanged"_s), !error.isEmpty());
        QCOMPARE(names.contains(u"cancelledChanged"_s), cancelled);
    }

    void cancelFromObject()
    {
        Controlled<int> controlled;
        const SignalLog log(controlled.object.get());
        // Cancelled before the reactor ran it, the function would never run.
        CrochetTest::flushReactor();
        QMetaObject::invokeMethod(controlled.object.get(), "cancel");
        // On the object's thread the properties change before cancel() returns.
        QVERIFY(controlled.qml()->isReady());
        QVERIFY(controlled.qml()->isCancelled());
        QCOMPARE(log.names().count(u"finished"_s), 1);
        // It cancels the operation: the QFuture the function returned.
        QTRY_VERIFY_WITH_TIMEOUT(controlled.promise->isCanceled(), LongTimeoutMs);
        QVERIFY_THROWS_EXCEPTION(Crochet::CancelledError, controlled.result.wait(1s));
        // The posted completion that follows changes nothing.
        CrochetTest::flushReactor();
        QCoreApplication::processEvents();
        QCOMPARE(log.names().count(u"finished"_s), 1);
        // A second cancel() does nothing either.
        controlled.qml()->cancel();
        QCoreApplication::processEvents();
        QCOMPARE(log.names().count(u"finished"_s), 1);
    }

    void cancelAfterSuccessKeepsValue()
    {
        std::unique_ptr<QObject> object(qmlOf(5)());
        QTRY_VERIFY_WITH_TIMEOUT(object->property("ready").toBool(), LongTimeoutMs);
        QMetaObject::invokeMethod(object.get(), "cancel");
        QCOMPARE(object->property("value"), QVariant(5));
        QVERIFY(!object->property("cancelled").toBool());
    }

    void progressIsPolled()
    {
        Controlled<int> controlled;
        QObject *object = controlled.object.get();
        QCOMPARE(object->property("progress").toDouble(), -1.0);
        QSignalSpy progressChanged(object, SIGNAL(progressChanged()));
        controlled.promise->setProgressRange(0, 200);
        controlled.promise->setProgressValue(50);
        QTRY_COMPARE_WITH_TIMEOUT(object->property("progress").toDouble(), 0.25, LongTimeoutMs);
        controlled.promise->setProgressValue(150);
        QTRY_COMPARE_WITH_TIMEOUT(object->property("progress").toDouble(), 0.75, LongTimeoutMs);
        QVERIFY(progressChanged.count() >= 2);
        QVERIFY(!object->property("ready").toBool());
        controlled.promise->addResult(1);
        controlled.promise->finish();
        QTRY_VERIFY_WITH_TIMEOUT(object->property("ready").toBool(), LongTimeoutMs);
        QCOMPARE(object->property("progress").toDouble(), 1.0);
    }

    void alreadyCompleteArrivesQueued()
    {
        auto result = Crochet::runInReactor([] { return 3; })();
        QCOMPARE(CrochetTest::waitValue(result), 3);
        std::unique_ptr<QObject> object(Crochet::toQml(result));
        QVERIFY(!object->property("ready").toBool());
        QSignalSpy finished(object.get(), SIGNAL(finished()));
        QVERIFY(finished.wait(LongTimeoutMs));
        QCOMPARE(object->property("value"), QVariant(3));
        QCOMPARE(finished.count(), 1);
    }

    void signalsOnObjectThread_data()
    {
        QTest::addColumn<bool>("cancelFromAnotherThread");
        QTest::newRow("completed by the reactor") << false;
        QTest::newRow("cancelled by a std::thread") << true;
    }

    // Whichever thread completes the result, the signals come on the thread
    // the object lives in: here a thread of its own, neither the test's nor
    // the reactor's.
    void signalsOnObjectThread()
    {
        QFETCH(bool, cancelFromAnotherThread);
        auto promise = CrochetTest::startedPromise<int>();
        promise->setProgressRange(0, 10);
        auto result = Crochet::runInReactor([future = promise->future()] { return future; })();

        std::unique_ptr<SignalLog> log;
        CrochetTest::Gate created;
        std::unique_ptr<QThread> objectThread(QThread::create([&result, &log, &created] {
            const std::unique_ptr<QObject> object(Crochet::toQml(result));
            log = std::make_unique<SignalLog>(object.get());
            created.open();
            QEventLoop loop; // until quit(); the object then goes in its own thread
            loop.exec();
        }));
        objectThread->start();
        QVERIFY(created.wait());

        promise->setProgressValue(5); // polled by the object's timer
        QTRY_VERIFY_WITH_TIMEOUT(log->names().contains(u"progressChanged"_s), LongTimeoutMs);
        if (cancelFromAnotherThread) {
            std::thread([result]() mutable { result.cancel(); }).join();
        } else {
            Crochet::runInReactor([promise] {
                promise->addResult(1);
                promise->finish();
            })();
        }
        QTRY_VERIFY_WITH_TIMEOUT(log->names().contains(u"finished"_s), LongTimeoutMs);

        const QList<QThread *> threads = log->threads();
        QVERIFY(threads.size() >= 3);
        for (QThread *thread : threads) {
            QCOMPARE(thread, objectThread.get());
            QVERIFY(thread != Crochet::reactorThread());
        }
        objectThread->quit();
        QVERIFY(objectThread->wait(LongTimeoutMs));
    }

    void destroyedBeforeResult()
    {
        auto promise = CrochetTest::startedPromise<QString>();
        auto result = Crochet::runInReactor([future = promise->future()] { return future; })();
        QPointer<QObject> object = Crochet::toQml(result);
        delete object;
        // Destroying it cancelled nothing: the result still arrives.
        promise->addResult(u"late"_s);
        promise->finish();
        QCOMPARE(CrochetTest::waitValue(result), u"late"_s);
        // The reactor has delivered everything queued; a later object's
        // completion proves the event loop ran past any stale call.
        std::unique_ptr<QObject> later(qmlOf(1)());
        QTRY_VERIFY_WITH_TIMEOUT(later->property("ready").toBool(), LongTimeoutMs);
    }

    // Objects destroyed while the reactor completes their results, many times.
    void destroyedWhileCompleting()
    {
        const auto quick = Crochet::runInReactor([](int value) { return value; });
        for (int i = 0; i < 200; ++i) {
            std::unique_ptr<QObject> object(Crochet::toQml(quick(i)));
            if (i % 2)
                QCoreApplication::processEvents();
        }
        std::unique_ptr<QObject> last(Crochet::toQml(quick(-1)));
        QTRY_COMPARE_WITH_TIMEOUT(last->property("value"), QVariant(-1), LongTimeoutMs);
    }

    void shownFailureIsNotLogged()
    {
        QTest::failOnWarning(QRegularExpression(u"Unhandled error"_s));
        {
            const auto boom =
                Crochet::runInReactor([]() -> int { throw std::runtime_error("shown in QML"); });
            std::unique_ptr<QObject> object(Crochet::toQml(boom()));
            QTRY_COMPARE_WITH_TIMEOUT(object->property("error").toString(), u"shown in QML"_s,
                                      LongTimeoutMs);
        }
        CrochetTest::flushReactor();
    }

    void unshownFailureIsLogged()
    {
        // The object went before the failure came: nobody saw it. The
        // warning comes from the reactor thread, whenever it completes.
        static std::atomic<bool> logged = false;
        static QtMessageHandler testHandler = nullptr;
        testHandler = qInstallMessageHandler(
            [](QtMsgType type, const QMessageLogContext &context, const QString &message) {
                if (message.contains(u"never seen"_s))
                    logged = true;
                testHandler(type, context, message);
            });
        auto promise = CrochetTest::startedPromise<int>();
        {
            std::unique_ptr<QObject> object(Crochet::toQml(
                Crochet::runInReactor([future = promise->future()] { return future; })()));
        }
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"Unhandled error.*never seen"_s,
                                                QRegularExpression::DotMatchesEverythingOption));
        promise->setException(std::make_exception_ptr(std::runtime_error("never seen")));
        promise->finish();
        QTRY_VERIFY_WITH_TIMEOUT(logged, LongTimeoutMs);
        qInstallMessageHandler(testHandler);
    }

private:
    CrochetTest::TestHttpServer m_server;
};

QTEST_GUILESS_MAIN(tst_Qml)
#include "tst_qml.moc"
