// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The only file that touches Qt's private API, and why.
//
// Qt 6.4 delivers no event at all (no posted event, timer, socket notifier
// or queued signal) in a QThread while no QCoreApplication exists:
// QCoreApplication::notifyInternal2() drops them, and QEventLoop refuses to
// start ("QEventLoop: Cannot be used without QApplication"). Qt's own
// QDaemonThread, used for threads that outlive the application, lifts this
// by clearing QThreadData::requiresCoreApplication on the thread itself.
// The reactor thread does the same, so that Crochet works in a plain main()
// with std::threads, and keeps working while an application object is
// destroyed before the reactor stops.

#include "eventswithoutapp_p.h"

#include <QtCore/private/qthread_p.h>

namespace Crochet::detail {

void allowEventsWithoutApplication(QThread *thread)
{
    // QThreadData::current() is not exported from release builds of Qt, so
    // reach the thread's data through its private object.
    static_cast<QThreadPrivate *>(QObjectPrivate::get(thread))->data->requiresCoreApplication =
        false;
}

} // namespace Crochet::detail
