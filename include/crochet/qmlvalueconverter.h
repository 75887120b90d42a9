// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file qmlvalueconverter.h
    Crochet::QmlValueConverter<T>: how a result's value becomes the QVariant
    that QML sees as EventualResult.value. Part of Crochet::Qml; included by
    <crochet/qml.h>. */

#include <crochet/detail/qmlvalue.h>

#include <QtCore/QVariant>

namespace Crochet {

/*!
    Converts a value of type T for QML. Specialise it for your own types
    (with a `static QVariant convert(const T &)`); containers of them then
    convert too. The default handles what QVariant holds (QString, numbers,
    bool, QByteArray, QVariantList, QVariantMap, QStringList, Q_GADGETs,
    QObject pointers, ...), and turns QList / std::vector of any convertible
    type into a QVariantList and QMap / QHash with QString keys into a
    QVariantMap.

    \library `#include <crochet/qmlvalueconverter.h>` (included by
    `<crochet/qml.h>`), `Crochet::Qml`.
    \threads Called in the thread of the QML object that shows the value.
*/
template <typename T>
struct QmlValueConverter
{
    //! The QVariant that QML sees for \a value.
    //! \throws ... what copying \a value into the QVariant throws.
    static QVariant convert(const T &value) { return detail::toQmlValue(value); }
};

} // namespace Crochet
