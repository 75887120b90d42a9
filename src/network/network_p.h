// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: helpers shared by the network adapters.

#include <QtCore/qglobal.h>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace Crochet::detail {

//! Throws ReactorThreadError naming \a function unless called on the reactor thread.
void requireReactorThread(const char *function);

//! Whether \a manager is the reactor's own (networkAccessManager()).
bool isReactorManager(const QNetworkAccessManager *manager);

} // namespace Crochet::detail
