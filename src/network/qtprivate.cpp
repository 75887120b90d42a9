// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The network layer's one use of Qt private API, and why.
//
// QNetworkAccessManager runs every HTTP request in one QThread of its own,
// created on first use and kept in QNetworkAccessManagerPrivate::thread.
// Two things need a say in that thread, and Qt offers no public way:
// - Qt 6.4 delivers no event in a QThread while no QCoreApplication exists
//   (see src/core/qtprivate.cpp), so in a plain main() every request
//   would wait out its timeout. Our HTTP threads lift that, as the reactor
//   thread does.
// - Each HTTP thread keeps its own connections, at most six to one host
//   in Qt 6.4. Spreading the requests to one host over several threads is
//   how the reactor's one manager serves a pool of worker threads.
// The manager reads the member each time it starts an HTTP request
// (QNetworkReplyHttpImplPrivate::postRequest() calls createThread(), which
// only creates a thread when the member is null), so setting it just before
// the request is all it takes.

// Qt's private network headers use the signals/slots keywords.
#undef QT_NO_KEYWORDS

#include "qtprivate_p.h"

#include <QtCore/QtGlobal>

#if QT_VERSION < QT_VERSION_CHECK(6, 4, 0) || QT_VERSION >= QT_VERSION_CHECK(6, 9, 0)
#error "src/network/qtprivate.cpp uses QNetworkAccessManagerPrivate::thread as Qt 6.4 to 6.8 \
define it: check that member and createThread() in this Qt's qnetworkaccessmanager_p.h and \
qnetworkaccessmanager.cpp, then widen this range"
#endif

#include <QtNetwork/private/qnetworkaccessmanager_p.h>

namespace Crochet::detail {

namespace {

// The functions of this file are exempt from UBSan's vptr check, whatever
// flags the library is built with: it needs the typeinfo of
// QNetworkAccessManagerPrivate, which Qt does not export, and the link would
// fail.
__attribute__((no_sanitize("vptr"))) QNetworkAccessManagerPrivate *
privateOf(QNetworkAccessManager *manager)
{
    return static_cast<QNetworkAccessManagerPrivate *>(QObjectPrivate::get(manager));
}

} // namespace

__attribute__((no_sanitize("vptr"))) QThread *httpThreadOf(QNetworkAccessManager *manager)
{
    return privateOf(manager)->thread;
}

__attribute__((no_sanitize("vptr"))) void setHttpThreadOf(QNetworkAccessManager *manager,
                                                          QThread *thread)
{
    privateOf(manager)->thread = thread;
}

} // namespace Crochet::detail
