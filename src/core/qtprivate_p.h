// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

#include "coreservices_p.h"

#include <QtCore/qnamespace.h>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Crochet::detail {

//! The native id of \a thread (a running or adopted thread), without
//! making the calling thread known to Qt.
Qt::HANDLE nativeThreadId(QThread *thread);

/*!
    Qt takes the first thread that touches its thread data for the process's
    main thread. When setup() runs first in a std::thread, that worker would
    become Qt's main thread, and a QCoreApplication created later in main()
    warns "QApplication was not created in the main() thread". Hold this
    while creating the reactor's objects: if it was the calling worker that
    Qt just took for its main thread, the claim is withdrawn, so that the
    thread that creates the application later (or the next one) gets it.
*/
class MainThreadClaimGuard
{
public:
    MainThreadClaimGuard();
    ~MainThreadClaimGuard();
    MainThreadClaimGuard(const MainThreadClaimGuard &) = delete;
    MainThreadClaimGuard &operator=(const MainThreadClaimGuard &) = delete;

private:
    bool m_unclaimed;
};

} // namespace Crochet::detail
