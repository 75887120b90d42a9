// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The GUI block warning (<crochet/guiblockwarning.h>): wait() or a waitFor()
// function that blocks a QApplication's thread for longer than the
// threshold logs one warning on crochet.gui per wrap site; other threads,
// short waits and a threshold of zero never do. Each wait is made long or
// short by the reactor (a future a timer finishes), and each test function
// wraps its functions at sites of its own, as the warning is once per site.

#include "reactorhelpers.h"
#include "scenarioprocess.h"

#include <crochet/crochet.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>

#include <mutex>
#include <optional>
#include <source_location>
#include <thread>

using namespace std::chrono_literals;
using namespace CrochetTest;

namespace {

constexpr auto Threshold = 100ms;

//! Reactor thread: a future that a timer finishes with \a ms after \a ms milliseconds.
QFuture<int> valueAfter(int ms)
{
    return finishedLater<int>(std::chrono::milliseconds(ms), [ms] { return ms; });
}

//! The warnings logged on crochet.gui, from any thread.
class GuiWarnings
{
public:
    void install() { s_previous = qInstallMessageHandler(&GuiWarnings::handle); }
    void uninstall() { qInstallMessageHandler(s_previous); }

    QStringList take()
    {
        std::lock_guard guard(s_mutex);
        return std::exchange(s_messages, {});
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (context.category && qstrcmp(context.category, "crochet.gui") == 0) {
            std::lock_guard guard(s_mutex);
            s_messages.append(message);
        }
        s_previous(type, context, message);
    }

    static inline QtMessageHandler s_previous = nullptr;
    static inline std::mutex s_mutex;
    static inline QStringList s_messages;
};

//! "file:line" of where \a function was wrapped, as the warning names it.
template <typename F>
QString siteOf(const F &function)
{
    const Crochet::SourceLocation &at = function.wrappedAt;
    return QStringLiteral("%1:%2").arg(QString::fromUtf8(at.fileName())).arg(at.line());
}

//! How long \a warning says the thread was blocked, in milliseconds; -1 if it does not.
int blockedMs(const QString &warning)
{
    static const QRegularExpression blocked(QStringLiteral("blocked the GUI thread for (\\d+) ms"));
    const QRegularExpressionMatch match = blocked.match(warning);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

//! Calls a waitFor() function; nullopt (and a warning) when it throws.
template <typename F, typename... Args>
std::optional<int> callBlocking(const F &function, Args... args)
{
    try {
        return function(args...);
    } catch (const std::exception &error) {
        qWarning("a waitFor() function threw: %s", error.what());
    }
    return std::nullopt;
}

} // namespace

class tst_GuiBlock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(qobject_cast<QApplication *>(QCoreApplication::instance()));
        Crochet::setup();
        m_warnings.install();
    }
    void cleanupTestCase() { m_warnings.uninstall(); }
    void init()
    {
        Crochet::setGuiBlockWarning(Threshold);
        m_warnings.take();
    }

    void longWaitWarnsOnce()
    {
        static const auto delayed = Crochet::runInReactor(valueAfter);
        QCOMPARE(waitValue(delayed(300)).value_or(-1), 300);
        QCOMPARE(waitValue(delayed(300)).value_or(-1), 300);
        const QStringList warnings = m_warnings.take();
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(siteOf(delayed)), qPrintable(warnings[0]));
        QVERIFY2(blockedMs(warnings[0]) >= 290, qPrintable(warnings[0]));

        // Another wrap site is warned about on its own.
        static const auto other = Crochet::runInReactor(valueAfter);
        QCOMPARE(waitValue(other(300)).value_or(-1), 300);
        const QStringList more = m_warnings.take();
        QCOMPARE(more.size(), 1);
        QVERIFY2(more[0].contains(siteOf(other)), qPrintable(more[0]));
    }

    void longWaitForWarnsOnce()
    {
        static const auto blocking = Crochet::waitFor(LongTimeout, valueAfter);
        QCOMPARE(callBlocking(blocking, 300).value_or(-1), 300);
        QCOMPARE(callBlocking(blocking, 300).value_or(-1), 300);
        const QStringList warnings = m_warnings.take();
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(siteOf(blocking)), qPrintable(warnings[0]));
        QVERIFY2(blockedMs(warnings[0]) >= 290, qPrintable(warnings[0]));
    }

    void timedOutWaitWarns()
    {
        static const auto never = Crochet::runInReactor([] { return neverFinishingFuture<int>(); });
        auto result = never();
        QVERIFY_THROWS_EXCEPTION(Crochet::TimeoutError, result.wait(300ms));
        result.cancel();
        const QStringList warnings = m_warnings.take();
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(siteOf(never)), qPrintable(warnings[0]));
        QVERIFY2(blockedMs(warnings[0]) >= 290, qPrintable(warnings[0]));
    }

    void shortWaitNotWarned()
    {
        static const auto delayed = Crochet::runInReactor(valueAfter);
        QElapsedTimer blocked;
        blocked.start();
        QCOMPARE(waitValue(delayed(20)).value_or(-1), 20);
        if (blocked.elapsed() >= Threshold.count())
            QSKIP("a 20 ms wait took longer than the threshold: the machine is too busy");
        QCOMPARE(m_warnings.take(), QStringList());

        // The site was not used up: a long wait there is warned about.
        QCOMPARE(waitValue(delayed(300)).value_or(-1), 300);
        QCOMPARE(m_warnings.take().size(), 1);
    }

    void workerThreadNotWarned()
    {
        static const auto delayed = Crochet::runInReactor(valueAfter);
        static const auto blocking = Crochet::waitFor(LongTimeout, valueAfter);
        std::optional<int> waited;
        std::optional<int> called;
        std::thread worker([&] {
            waited = waitValue(delayed(1000));
            called = callBlocking(blocking, 1000);
        });
        worker.join();
        QCOMPARE(waited.value_or(-1), 1000);
        QCOMPARE(called.value_or(-1), 1000);
        QCOMPARE(m_warnings.take(), QStringList());

        // The same site, waited on in the GUI thread, is warned about.
        QCOMPARE(waitValue(delayed(300)).value_or(-1), 300);
        const QStringList warnings = m_warnings.take();
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(siteOf(delayed)), qPrintable(warnings[0]));
    }

    void thresholdZeroNeverWarns()
    {
        static const auto delayed = Crochet::runInReactor(valueAfter);
        static const auto blocking = Crochet::waitFor(LongTimeout, valueAfter);
        Crochet::setGuiBlockWarning(0ms);
        QCOMPARE(waitValue(delayed(300)).value_or(-1), 300);
        QCOMPARE(callBlocking(blocking, 300).value_or(-1), 300);
        QCOMPARE(m_warnings.take(), QStringList());

        // Turned on again, the same site is warned about.
        Crochet::setGuiBlockWarning(Threshold);
        QCOMPARE(waitValue(delayed(300)).value_or(-1), 300);
        QCOMPARE(m_warnings.take().size(), 1);
    }

    void applicationClass_data()
    {
        QTest::addColumn<QString>("application");
        QTest::addColumn<bool>("warned");
        QTest::newRow("QCoreApplication") << QStringLiteral("QCoreApplication") << false;
        QTest::newRow("QGuiApplication") << QStringLiteral("QGuiApplication") << true;
    }

    //! Only a QGuiApplication (or a subclass) has a GUI thread.
    void applicationClass()
    {
        QFETCH(QString, application);
        QFETCH(bool, warned);
        const ChildResult child =
            runChild(QStringLiteral(GUI_BLOCK_SCENARIO_PATH), {application}, LongTimeoutMs);
        QVERIFY2(child.finished && child.exitStatus == QProcess::NormalExit && child.exitCode == 0,
                 child.report().constData());
        QCOMPARE(child.output, lines({"value 7"}));
        if (warned) {
            QVERIFY2(child.errors.count("blocked the GUI thread for") == 1,
                     child.report().constData());
        } else {
            QVERIFY2(child.errors.isEmpty(), child.report().constData());
        }
    }

private:
    GuiWarnings m_warnings;
};

QTEST_MAIN(tst_GuiBlock)
#include "tst_guiblock.moc"
