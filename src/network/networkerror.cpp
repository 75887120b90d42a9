// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/network.h>

namespace Crochet {

NetworkError::NetworkError(QNetworkReply::NetworkError code, const QString &message)
    : Error(message)
    , m_code(code)
{}

QNetworkReply::NetworkError NetworkError::code() const
{
    return m_code;
}

// Re-implemented so that the exception keeps its type (and code) when it
// travels through a QFuture.
void NetworkError::raise() const
{
    throw *this;
}

NetworkError *NetworkError::clone() const
{
    return new NetworkError(*this);
}

} // namespace Crochet
