// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// SourceLocation: the place current() names (also as a default argument,
// as the wrappers use it), no place, a std::source_location where the
// compiler's library has one, and many threads naming the same places at
// once (each place's record is made by one of them, without a lock).

#include <crochet/crochet.h>

#include <QtTest/QTest>

#include <array>
#include <latch>
#include <thread>
#include <type_traits>

using Crochet::SourceLocation;

// One pointer, copied freely: what a result keeps of its wrap site.
static_assert(sizeof(SourceLocation) == sizeof(void *));
static_assert(std::is_trivially_copyable_v<SourceLocation>);
static_assert(std::is_nothrow_default_constructible_v<SourceLocation>);

namespace {

SourceLocation callerOf(SourceLocation location = SourceLocation::current())
{
    return location;
}

} // namespace

class tst_SourceLocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noPlace();
    void currentNamesWhereItIsCalled();
    void defaultArgumentNamesTheCaller();
    void wrapperKeepsItsWrapSite();
    void fromStdSourceLocation();
    void placesNamedFromEightThreadsAtOnce();
};

void tst_SourceLocation::noPlace()
{
    const SourceLocation none;
    QCOMPARE(none.fileName(), "");
    QCOMPARE(none.functionName(), "");
    QCOMPARE(none.line(), 0);
}

void tst_SourceLocation::currentNamesWhereItIsCalled()
{
    const int line = __LINE__ + 1;
    const SourceLocation here = SourceLocation::current();
    QVERIFY2(QByteArray(here.fileName()).endsWith("tst_sourcelocation.cpp"), here.fileName());
    QCOMPARE(here.line(), line);
    // The plain name, whichever compiler (GCC's std::source_location would
    // give the signature).
    QCOMPARE(here.functionName(), "currentNamesWhereItIsCalled");
}

void tst_SourceLocation::defaultArgumentNamesTheCaller()
{
    const int line = __LINE__ + 1;
    const SourceLocation caller = callerOf();
    QCOMPARE(caller.line(), line);
    QCOMPARE(caller.functionName(), "defaultArgumentNamesTheCaller");
    // The same place named again reads the same.
    const SourceLocation again =
        SourceLocation::current(caller.fileName(), caller.line(), caller.functionName());
    QCOMPARE(again.fileName(), caller.fileName());
    QCOMPARE(again.line(), line);
}

void tst_SourceLocation::wrapperKeepsItsWrapSite()
{
    const int line = __LINE__ + 1;
    const auto wrapped = Crochet::runInReactor([] { return 1; });
    QVERIFY2(QByteArray(wrapped.wrappedAt.fileName()).endsWith("tst_sourcelocation.cpp"),
             wrapped.wrappedAt.fileName());
    QCOMPARE(wrapped.wrappedAt.line(), line);
    QCOMPARE(wrapped.wrappedAt.functionName(), "wrapperKeepsItsWrapSite");
}

void tst_SourceLocation::fromStdSourceLocation()
{
#ifdef __cpp_lib_source_location
    const std::source_location standard = std::source_location::current();
    const SourceLocation converted = standard;
    QCOMPARE(converted.fileName(), standard.file_name());
    QCOMPARE(converted.line(), int(standard.line()));
    QCOMPARE(converted.functionName(), standard.function_name());
#else
    QSKIP("this compiler's standard library has no std::source_location");
#endif
}

void tst_SourceLocation::placesNamedFromEightThreadsAtOnce()
{
    constexpr int Threads = 8;
    constexpr int Places = 1000;
    static const char file[] = "named/from/threads.cpp";
    static const char function[] = "threaded";
    std::array<bool, Threads> readBack{};
    std::latch ready(Threads);
    std::array<std::thread, Threads> threads;
    for (int t = 0; t < Threads; ++t) {
        threads[size_t(t)] = std::thread([&, t] {
            ready.arrive_and_wait();
            bool ok = true;
            for (int line = 1; line <= Places; ++line) {
                const SourceLocation place = SourceLocation::current(file, line, function);
                ok = ok && place.fileName() == file && place.line() == line &&
                     place.functionName() == function;
            }
            readBack[size_t(t)] = ok;
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (bool ok : readBack)
        QVERIFY(ok);
}

QTEST_GUILESS_MAIN(tst_SourceLocation)
#include "tst_sourcelocation.moc"
