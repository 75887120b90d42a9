// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Runs one check over the value categories a result can hold: a trivial
// type, a copy-only type, a move-only type and void, as data rows of a
// QTest function.

#include <QtCore/QMetaType>
#include <QtTest/QTest>

#include <memory>

namespace CrochetTest {

//! Copyable, with no move constructor: a "move" copies.
struct CopyOnly
{
    explicit CopyOnly(int value)
        : value(value)
    {}
    CopyOnly(const CopyOnly &) = default;
    CopyOnly &operator=(const CopyOnly &) = default;
    int value;
};

//! Movable only.
struct MoveOnly
{
    explicit MoveOnly(int value)
        : value(std::make_unique<int>(value))
    {}
    std::unique_ptr<int> value;
};

enum class ValueCategory { Trivial, CopyOnly, MoveOnly, Void };

//! make(n) builds a value that holds n; read(value) gives n back.
template <typename T>
struct Values;

template <>
struct Values<int>
{
    static int make(int n) { return n; }
    static int read(const int &value) { return value; }
};

template <>
struct Values<CopyOnly>
{
    static CopyOnly make(int n) { return CopyOnly(n); }
    static int read(const CopyOnly &value) { return value.value; }
};

template <>
struct Values<MoveOnly>
{
    static MoveOnly make(int n) { return MoveOnly(n); }
    static int read(const MoveOnly &value) { return value.value ? *value.value : -1; }
};

template <>
struct Values<void>
{
    static void make(int) {}
};

//! In a _data() function: one row per value category, column "category".
inline void addValueCategoryRows()
{
    QTest::addColumn<ValueCategory>("category");
    QTest::newRow("trivial") << ValueCategory::Trivial;
    QTest::newRow("copy-only") << ValueCategory::CopyOnly;
    QTest::newRow("move-only") << ValueCategory::MoveOnly;
    QTest::newRow("void") << ValueCategory::Void;
}

//! Calls check.template operator()<T>() with the type of \a category.
template <typename Check>
void withValueCategory(ValueCategory category, Check &&check)
{
    switch (category) {
    case ValueCategory::Trivial:
        check.template operator()<int>();
        break;
    case ValueCategory::CopyOnly:
        check.template operator()<CopyOnly>();
        break;
    case ValueCategory::MoveOnly:
        check.template operator()<MoveOnly>();
        break;
    case ValueCategory::Void:
        check.template operator()<void>();
        break;
    }
}

} // namespace CrochetTest

Q_DECLARE_METATYPE(CrochetTest::ValueCategory)
