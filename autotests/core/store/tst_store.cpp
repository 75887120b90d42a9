// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The result store: EventualResult::stash() and retrieveResult<T>(uid).

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtTest/QTest>

#include <limits>
#include <set>
#include <thread>

using namespace std::chrono_literals;
using namespace CrochetTest;

class tst_Store : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void uidsArePositiveIncreasingAndNeverReused();
    void retrieveWorksOnce();
    void unknownUid_data();
    void unknownUid();
    void wrongTypeLeavesTheResultStashed();
    void stashedResultOutlivesItsHandles();
    void stashedFailureIsRetrieved();
    void retrieveAndWaitInAnotherThread();
};

void tst_Store::initTestCase()
{
    Crochet::setup();
}

void tst_Store::uidsArePositiveIncreasingAndNeverReused()
{
    const auto result = Crochet::runInReactor([] { return 1; })();
    std::set<quint64> seen;
    quint64 previous = 0;
    for (int i = 0; i < 100; ++i) {
        const quint64 uid = result.stash();
        QVERIFY(uid > 0);
        QVERIFY(uid > previous);
        seen.insert(uid);
        previous = uid;
        // Taking one back must not free its uid for the next stash().
        if (i % 2 == 0)
            QVERIFY_THROWS_NO_EXCEPTION(Crochet::retrieveResult<int>(uid));
    }
    QCOMPARE(seen.size(), size_t(100));

    // Stashing the same result twice gives two uids, each retrievable once.
    const quint64 first = result.stash();
    const quint64 second = result.stash();
    QVERIFY(first != second);
    QCOMPARE(waitValue(Crochet::retrieveResult<int>(first)).value_or(-1), 1);
    QCOMPARE(waitValue(Crochet::retrieveResult<int>(second)).value_or(-1), 1);

    for (int i = 1; i < 100; i += 2)
        QVERIFY_THROWS_NO_EXCEPTION(Crochet::retrieveResult<int>(*std::next(seen.begin(), i)));
}

void tst_Store::retrieveWorksOnce()
{
    const quint64 uid = Crochet::runInReactor([] { return QStringLiteral("stashed"); })().stash();
    std::optional<Crochet::EventualResult<QString>> retrieved;
    QVERIFY_THROWS_NO_EXCEPTION(retrieved.emplace(Crochet::retrieveResult<QString>(uid)));
    QCOMPARE(waitValue(*retrieved).value_or(QString()), QStringLiteral("stashed"));
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<QString>(uid));
}

void tst_Store::unknownUid_data()
{
    QTest::addColumn<quint64>("uid");
    QTest::newRow("zero") << quint64(0);
    QTest::newRow("largest") << std::numeric_limits<quint64>::max();
    // A uid just past the ones handed out so far.
    const auto result = Crochet::runInReactor([] { return 1; })();
    const quint64 last = result.stash();
    Crochet::retrieveResult<int>(last);
    QTest::newRow("not issued yet") << last + 1000;
    QTest::newRow("already retrieved") << last;
}

void tst_Store::unknownUid()
{
    QFETCH(quint64, uid);
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<int>(uid));
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<void>(uid));
}

void tst_Store::wrongTypeLeavesTheResultStashed()
{
    const quint64 uid = Crochet::runInReactor([] { return 5; })().stash();
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<QString>(uid));
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<void>(uid));
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<qint64>(uid));
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<unsigned>(uid));
    std::optional<Crochet::EventualResult<int>> retrieved;
    QVERIFY_THROWS_NO_EXCEPTION(retrieved.emplace(Crochet::retrieveResult<int>(uid)));
    QCOMPARE(waitValue(*retrieved).value_or(-1), 5);

    const quint64 voidUid = Crochet::runInReactor([] {})().stash();
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<int>(voidUid));
    QVERIFY_THROWS_NO_EXCEPTION(Crochet::retrieveResult<void>(voidUid).wait(LongTimeout));
}

void tst_Store::stashedResultOutlivesItsHandles()
{
    const auto promise = startedPromise<int>();
    quint64 uid = 0;
    {
        const auto result =
            Crochet::runInReactor([future = promise->future()] { return future; })();
        uid = result.stash();
    } // the last handle of the caller goes; the store keeps the result
    promise->addResult(33);
    promise->finish();
    QCOMPARE(waitValue(Crochet::retrieveResult<int>(uid)).value_or(-1), 33);
}

void tst_Store::stashedFailureIsRetrieved()
{
    const quint64 uid =
        Crochet::runInReactor([]() -> int { throw std::runtime_error("stashed failure"); })()
            .stash();
    std::optional<Crochet::EventualResult<int>> retrieved;
    QVERIFY_THROWS_NO_EXCEPTION(retrieved.emplace(Crochet::retrieveResult<int>(uid)));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, retrieved->wait(LongTimeout));
    const auto failure = retrieved->originalFailure();
    QVERIFY(failure);
    QCOMPARE(failure->message(), QStringLiteral("stashed failure"));
}

void tst_Store::retrieveAndWaitInAnotherThread()
{
    const auto promise = startedPromise<int>();
    const quint64 uid =
        Crochet::runInReactor([future = promise->future()] { return future; })().stash();

    std::atomic<int> received{0};
    std::thread other([uid, &received] {
        try {
            received = Crochet::retrieveResult<int>(uid).wait(LongTimeout);
        } catch (const Crochet::ResultNotFound &) {
            received = -1;
        } catch (...) {
            received = -2;
        }
    });
    promise->addResult(44);
    promise->finish();
    other.join(); // bounded: the other thread waits at most LongTimeout
    QCOMPARE(received.load(), 44);
    QVERIFY_THROWS_EXCEPTION(Crochet::ResultNotFound, Crochet::retrieveResult<int>(uid));
}

QTEST_GUILESS_MAIN(tst_Store)
#include "tst_store.moc"
