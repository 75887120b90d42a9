// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Failure: what a failure caught in the reactor tells (type, message, where
// the function was wrapped, the reactor's stack with function names), one a
// user builds with a stack of their own, and that copies read from many
// threads at once describe it identically.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

#include <array>
#include <latch>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>

using namespace CrochetTest;
using Crochet::Failure;

// A value type: copied and moved freely, never throwing.
static_assert(std::is_nothrow_copy_constructible_v<Failure>);
static_assert(std::is_nothrow_move_constructible_v<Failure>);
static_assert(std::is_nothrow_copy_assignable_v<Failure>);
static_assert(std::is_nothrow_move_assignable_v<Failure>);

namespace {

//! The failure of a call that threw std::runtime_error(\a message) in the
//! reactor; nullopt (and a warning) if the call did not fail.
std::optional<Failure> caughtFailure(const char *message)
{
    const auto result =
        Crochet::runInReactor([message]() -> int { throw std::runtime_error(message); })();
    flushReactor();
    return result.originalFailure();
}

// Made at namespace scope, as the docs make wrappers: no enclosing function.
const auto failsAtNamespaceScope =
    Crochet::runInReactor([]() -> int { throw std::logic_error("namespace scope"); });

} // namespace

class tst_Failure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void tracebackOfAFailureCaughtInTheReactor();
    void tracebackOfAFailedFuture();
    void userStackIsShownAsGiven();
    void copiesDescribeTheSameFailure();
    void tracebackFromEightThreadsAtOnce();
    void wrapSiteAtNamespaceScope();
};

void tst_Failure::wrapSiteAtNamespaceScope()
{
    const auto result = failsAtNamespaceScope();
    QVERIFY_THROWS_EXCEPTION(std::logic_error, result.wait(LongTimeout));
    const QString traceback = result.originalFailure()->traceback();
    // File and line, and no empty function name after them.
    static const QRegularExpression site(QStringLiteral("wrapped at \\S*tst_failure\\.cpp:\\d+\n"));
    QVERIFY2(traceback.contains(site), qPrintable(traceback));
    QVERIFY2(!traceback.contains(QStringLiteral(", in \n")), qPrintable(traceback));
}

void tst_Failure::initTestCase()
{
    Crochet::setup();
}

void tst_Failure::tracebackOfAFailureCaughtInTheReactor()
{
    // Wrapped here, so that the innermost frame is this function's lambda.
    const auto result =
        Crochet::runInReactor([]() -> int { throw std::runtime_error("caught in the reactor"); })();
    flushReactor();
    const std::optional<Failure> failure = result.originalFailure();
    QVERIFY(failure);
    QCOMPARE(failure->typeName(), QStringLiteral("std::runtime_error"));
    QCOMPARE(failure->message(), QStringLiteral("caught in the reactor"));

    const QString traceback = failure->traceback();
    QVERIFY2(traceback.startsWith(QStringLiteral("Traceback (most recent call last):\n")),
             qPrintable(traceback));
    QVERIFY2(traceback.endsWith(QStringLiteral("\nstd::runtime_error: caught in the reactor")),
             qPrintable(traceback));
    QVERIFY2(traceback.contains(QStringLiteral("function wrapped at ")), qPrintable(traceback));
    QVERIFY2(traceback.contains(QStringLiteral("tst_failure.cpp")), qPrintable(traceback));
    QVERIFY2(traceback.contains(QStringLiteral("reactor stack where the failure was caught:")),
             qPrintable(traceback));

    // One line a frame, "#N function (object+0xoffset)", the innermost (#0)
    // last, nearest the exception, as in "most recent call last". (Read
    // without QRegularExpression: its JIT upsets valgrind, which runs this.)
    QStringList functions;
    int previousNumber = -1;
    for (const QString &line : traceback.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QStringLiteral("    #")))
            continue;
        const qsizetype space = line.indexOf(QLatin1Char(' '), 5);
        const qsizetype object = line.lastIndexOf(QStringLiteral(" ("));
        QVERIFY2(space > 5 && object > space && line.endsWith(QLatin1Char(')')) &&
                     line.indexOf(QStringLiteral("+0x"), object) > object,
                 qPrintable(line));
        bool isNumber = false;
        const int number = line.mid(5, space - 5).toInt(&isNumber);
        QVERIFY2(isNumber, qPrintable(line));
        QVERIFY2(previousNumber < 0 || number == previousNumber - 1, qPrintable(traceback));
        previousNumber = number;
        functions.append(line.mid(space + 1, object - space - 1));
    }
    QVERIFY2(functions.size() >= 2, qPrintable(traceback));
    QCOMPARE(previousNumber, 0);
    // Demangled names, also of functions that are not exported: the call that
    // ran this test's lambda, and the reactor's own loop.
    QVERIFY2(functions.last().startsWith(QStringLiteral("Crochet::detail::FunctionCall<")),
             qPrintable(traceback));
    QVERIFY2(functions.last().contains(
                 QStringLiteral("tst_Failure::tracebackOfAFailureCaughtInTheReactor()")),
             qPrintable(traceback));
    QVERIFY2(functions.contains(QStringLiteral("Crochet::detail::Reactor::runCalls()")),
             qPrintable(traceback));
}

// A returned QFuture that fails later completes the result from the
// reactor's event loop, outside any batch of calls: the stack goes on into
// Qt, as deep as it is kept.
void tst_Failure::tracebackOfAFailedFuture()
{
    const auto promise = startedPromise<int>();
    const auto result = Crochet::runInReactor([future = promise->future()] { return future; })();
    flushReactor();
    promise->setException(std::make_exception_ptr(std::runtime_error("the future failed")));
    promise->finish();
    QTRY_VERIFY_WITH_TIMEOUT(result.isReady(), LongTimeoutMs);
    const std::optional<Failure> failure = result.originalFailure();
    QVERIFY(failure);
    const QString traceback = failure->traceback();
    QVERIFY2(traceback.endsWith(QStringLiteral("\nstd::runtime_error: the future failed")),
             qPrintable(traceback));
    // The watcher's slot, and Qt's signal machinery that called it.
    QVERIFY2(traceback.contains(QStringLiteral("Crochet::detail::adoptFuture<int>")),
             qPrintable(traceback));
    QVERIFY2(traceback.contains(QStringLiteral("QObject")), qPrintable(traceback));
}

void tst_Failure::userStackIsShownAsGiven()
{
    const QString stack = QStringLiteral("    frame one (somewhere)\n    frame two (elsewhere)\n");
    const Failure failure(std::make_exception_ptr(std::logic_error("made by hand")),
                          Crochet::SourceLocation::current(), stack);
    QCOMPARE(failure.typeName(), QStringLiteral("std::logic_error"));
    QCOMPARE(failure.message(), QStringLiteral("made by hand"));
    const QString traceback = failure.traceback();
    QVERIFY2(traceback.contains(stack), qPrintable(traceback));
    QVERIFY2(traceback.contains(QStringLiteral("tst_failure.cpp")), qPrintable(traceback));
    QVERIFY2(traceback.endsWith(QStringLiteral("std::logic_error: made by hand")),
             qPrintable(traceback));

    // Without a stack or a location: only the type and the message.
    const Failure bare(std::make_exception_ptr(42));
    QCOMPARE(bare.typeName(), QStringLiteral("int"));
    QCOMPARE(bare.message(), QString());
    QCOMPARE(bare.traceback(), QStringLiteral("Traceback (most recent call last):\nint"));
}

void tst_Failure::copiesDescribeTheSameFailure()
{
    std::optional<Failure> failure = caughtFailure("copied");
    QVERIFY(failure);
    const QString traceback = failure->traceback();

    const Failure copy = *failure;
    Failure assigned(std::make_exception_ptr(1));
    assigned = copy;
    Failure moved(std::move(*failure));
    failure.reset(); // the original goes first; the copies keep the stack
    QCOMPARE(copy.traceback(), traceback);
    QCOMPARE(assigned.traceback(), traceback);
    QCOMPARE(moved.traceback(), traceback);
    QCOMPARE(copy.exception(), moved.exception());
}

void tst_Failure::tracebackFromEightThreadsAtOnce()
{
    constexpr int Readers = 8;
    std::optional<Failure> failure = caughtFailure("read from eight threads");
    QVERIFY(failure);
    const QString expected = failure->traceback();

    // A copy goes to another thread, and the original is dropped here while
    // that thread's readers read the copy, all at once.
    std::array<QString, Readers> texts;
    std::latch ready(Readers + 1);
    std::thread owner([copy = *failure, &texts, &ready] {
        std::array<std::thread, Readers> readers;
        for (int i = 0; i < Readers; ++i) {
            readers[size_t(i)] = std::thread([&copy, &texts, &ready, i] {
                ready.arrive_and_wait();
                texts[size_t(i)] = copy.traceback();
            });
        }
        for (std::thread &reader : readers)
            reader.join();
    });
    ready.arrive_and_wait();
    failure.reset();
    owner.join();
    for (const QString &text : texts)
        QCOMPARE(text, expected);
}

QTEST_GUILESS_MAIN(tst_Failure)
#include "tst_failure.moc"
