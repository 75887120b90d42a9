// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the network layer's one use of Qt private API (qtprivate.cpp).

#include <QtCore/qglobal.h>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QThread;
QT_END_NAMESPACE

namespace Crochet::detail {

//! The thread in which \a manager's next HTTP request will run, or nullptr
//! when Qt would create one for it (on first use, and after
//! clearConnectionCache() or clearAccessCache() destroyed the last one).
QThread *httpThreadOf(QNetworkAccessManager *manager);

/*!
    Makes \a manager run its next HTTP requests in \a thread, which must be
    running. The manager then treats it as the thread it created: it quits,
    waits for and deletes it in clearConnectionCache(), clearAccessCache()
    and its destructor.
*/
void setHttpThreadOf(QNetworkAccessManager *manager, QThread *thread);

} // namespace Crochet::detail
