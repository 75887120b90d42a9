// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/network.h>
#include <crochet/qml.h>

namespace Crochet {

QVariant QmlValueConverter<NetworkResponse>::convert(const NetworkResponse &response)
{
    // Header names are case-insensitive: lower case gives QML one spelling to
    // look up. Repeated headers are joined as HTTP allows.
    QVariantMap headers;
    for (const auto &[name, value] : response.headers) {
        const QString key = QString::fromLatin1(name).toLower();
        const QString text = QString::fromLatin1(value);
        const auto existing = headers.find(key);
        if (existing == headers.end())
            headers.insert(key, text);
        else
            *existing = existing->toString() + QStringLiteral(", ") + text;
    }
    return QVariantMap{
        {QStringLiteral("statusCode"), response.statusCode},
        {QStringLiteral("url"), response.url.toString()},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("body"), response.body},
        {QStringLiteral("text"), response.text()},
    };
}

} // namespace Crochet
