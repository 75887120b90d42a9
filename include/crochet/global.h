// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file global.h
    Export macro of the core library and the logging category of Crochet for
    Qt. (The network and QML libraries have their own: CROCHET_NETWORK_EXPORT
    in network.h, CROCHET_QML_EXPORT in qml.h.)

    \library `#include <crochet/global.h>` (included by every Crochet
    header), `Crochet::Core`. */

#include <QtCore/QLoggingCategory>
#include <QtCore/qglobal.h>

//! Marks what the core library exports (the library's own business).
#if defined(CROCHET_BUILDING_CORE_LIBRARY)
#define CROCHET_EXPORT Q_DECL_EXPORT
#else
#define CROCHET_EXPORT Q_DECL_IMPORT
#endif

namespace Crochet {
/*!
    The logging category `crochet`, on which Crochet logs failures nobody
    retrieved and other warnings. Silence it the Qt way, e.g. with
    `QLoggingCategory::setFilterRules("crochet.warning=false")` or
    `QT_LOGGING_RULES="crochet.warning=false"`.

    \library `#include <crochet/global.h>`, `Crochet::Core`.
    \threads Any thread.
    \nothrow
*/
CROCHET_EXPORT const QLoggingCategory &logging();
} // namespace Crochet
