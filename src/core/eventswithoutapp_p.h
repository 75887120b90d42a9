// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Crochet::detail {

//! Lets \a thread deliver Qt events while no QCoreApplication exists (see
//! eventswithoutapp.cpp). Call it before the thread starts.
void allowEventsWithoutApplication(QThread *thread);

} // namespace Crochet::detail
