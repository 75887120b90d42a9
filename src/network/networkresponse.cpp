// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/network.h>

namespace Crochet {

QByteArray NetworkResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString NetworkResponse::text() const
{
    return QString::fromUtf8(body);
}

} // namespace Crochet
