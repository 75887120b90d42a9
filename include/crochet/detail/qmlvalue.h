// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly (include <crochet/qml.h>). The
// default conversion of QmlValueConverter<T>: what QVariant holds as it is,
// containers element by element.

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariant>

#include <type_traits>
#include <vector>

namespace Crochet {

template <typename T>
struct QmlValueConverter; // <crochet/qmlvalueconverter.h>

namespace detail {

template <typename T>
struct QmlSequence : std::false_type
{};
template <typename E>
struct QmlSequence<QList<E>> : std::true_type
{};
template <typename E>
struct QmlSequence<std::vector<E>> : std::true_type
{};

template <typename T>
struct QmlStringMap : std::false_type
{};
template <typename E>
struct QmlStringMap<QMap<QString, E>> : std::true_type
{};
template <typename E>
struct QmlStringMap<QHash<QString, E>> : std::true_type
{};

//! Types QML understands as they are: no element-wise conversion needed.
template <typename T>
inline constexpr bool isNativeQmlValue =
    std::is_same_v<T, QVariant> || std::is_same_v<T, QVariantList> ||
    std::is_same_v<T, QVariantMap> || std::is_same_v<T, QVariantHash> ||
    std::is_same_v<T, QStringList>;

template <typename T>
QVariant toQmlValue(const T &value)
{
    if constexpr (isNativeQmlValue<T>) {
        return QVariant::fromValue(value);
    } else if constexpr (QmlSequence<T>::value) {
        using Element = typename T::value_type;
        QVariantList list;
        list.reserve(qsizetype(value.size()));
        for (const Element &element : value)
            list.append(QmlValueConverter<Element>::convert(element));
        return list;
    } else if constexpr (QmlStringMap<T>::value) {
        using Element = typename T::mapped_type;
        QVariantMap map;
        for (auto it = value.cbegin(); it != value.cend(); ++it)
            map.insert(it.key(), QmlValueConverter<Element>::convert(it.value()));
        return map;
    } else {
        static_assert(std::is_copy_constructible_v<T>,
                      "QML needs a copy of the value: specialise Crochet::QmlValueConverter<T> "
                      "to convert this type to a QVariant");
        return QVariant::fromValue(value);
    }
}

} // namespace detail

} // namespace Crochet
