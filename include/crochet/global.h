// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file global.h
    Export macro and the logging category of Crochet for Qt. */

#include <QtCore/QLoggingCategory>
#include <QtCore/qglobal.h>

#if defined(CROCHET_STATIC)
#define CROCHET_EXPORT
#elif defined(CROCHET_BUILDING_LIBRARY)
#define CROCHET_EXPORT Q_DECL_EXPORT
#else
#define CROCHET_EXPORT Q_DECL_IMPORT
#endif

namespace Crochet {
//! The logging category `crochet`. Silence it with
//! `QLoggingCategory::setFilterRules("crochet.warning=false")`.
CROCHET_EXPORT const QLoggingCategory &logging();
} // namespace Crochet
