// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file global.h
    Export macro of the core library and the logging category of Crochet for
    Qt. (The network and QML libraries have their own: CROCHET_NETWORK_EXPORT
    in network.h, CROCHET_QML_EXPORT in qml.h.) */

#include <QtCore/QLoggingCategory>
#include <QtCore/qglobal.h>

#if defined(CROCHET_BUILDING_CORE_LIBRARY)
#define CROCHET_EXPORT Q_DECL_EXPORT
#else
#define CROCHET_EXPORT Q_DECL_IMPORT
#endif

namespace Crochet {
//! The logging category `crochet`. Silence it with
//! `QLoggingCategory::setFilterRules("crochet.warning=false")`.
CROCHET_EXPORT const QLoggingCategory &logging();
} // namespace Crochet
