// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private, not installed: what the core library offers the network and QML
// libraries beyond <crochet/detail/reactorservices.h> (which the templates
// need too). The one header of src/core that another layer may include;
// the build checks it (cmake/CrochetLayers.cmake).

#include <crochet/global.h>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Crochet::detail {

//! Lets \a thread deliver Qt events while no QCoreApplication exists (see
//! qtprivate.cpp). Call it before the thread starts.
CROCHET_EXPORT void allowEventsWithoutApplication(QThread *thread);

//! Whether Qt has taken a thread for its main thread yet (a thread that
//! touches Qt now cannot become it).
CROCHET_EXPORT bool isMainThreadKnown();

/*!
    Frees the state that libraries keep for the calling thread and would
    otherwise free from a thread-exit destructor, after QThread::wait() has
    returned (see threadexit_linux.cpp). Call it last in the run() of a
    QThread we start: the reactor thread and the HTTP threads.
*/
CROCHET_EXPORT void releaseThreadLibraryState() noexcept;

/*!
    Sets a function that a reactor thread started by setup() runs first,
    before any call: how a higher layer prepares what it needs in that
    thread (the network layer: Qt Network with no application object, see
    src/network/withoutapplication.cpp). Set once, during static
    initialisation; the function must not throw.
*/
CROCHET_EXPORT void setReactorThreadStartHook(void (*hook)());

//! The network layer counts the replies of the reactor's network access
//! manager that are in flight, for reactorStats(): +1 when one starts, -1
//! when it finishes (or is destroyed unfinished). Any thread.
CROCHET_EXPORT void addRepliesInFlight(int delta) noexcept;

//! shutdown() has begun: objects the reactor owns are about to go.
CROCHET_EXPORT bool isReactorStopping();

} // namespace Crochet::detail
