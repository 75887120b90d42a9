// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file reactor.h
    The reactor's lifecycle: Crochet's version of crochet.setup() and
    crochet.no_setup(). All functions here may be called from any thread.

    \library `#include <crochet/reactor.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core` (or `Crochet::Crochet`). */

#include <crochet/global.h>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Crochet {

/*!
    Starts the reactor: a QThread named "CrochetReactor" that runs the Qt
    event loop. Any number of calls from any threads; only the first acts.
    Works with or without a QCoreApplication. With none, the first call
    returns once the reactor thread has started (a few milliseconds), so
    that a main() returning at once still exits cleanly: the reactor then
    stops at exit before Qt's statics that it created are destroyed. Does
    nothing after noSetup() or shutdown() (in a forked child it starts a
    fresh reactor).

    \library `#include <crochet/reactor.h>`, `Crochet::Core`.
    \threads Any thread, any number of times.
    \nothrow
*/
CROCHET_EXPORT void setup();

/*!
    Uses the thread of QCoreApplication::instance() as the reactor, for
    applications that run their own event loop. Later setup() calls do
    nothing. The reactor stops when the application quits or its object is
    destroyed.

    \library `#include <crochet/reactor.h>`, `Crochet::Core`.
    \threads Any thread (it is the application's thread that becomes the
    reactor).
    \throws SetupError if setup() already ran or if no application object
    exists.
*/
CROCHET_EXPORT void noSetup();

/*!
    Stops the reactor now (idempotent): pending results fail with
    ReactorStopped, later calls throw it. Also runs by itself at process
    exit, when the application object is destroyed, and under noSetup()
    when the application quits.

    \library `#include <crochet/reactor.h>`, `Crochet::Core`.
    \threads Any thread, the reactor's included, without deadlock.
    \nothrow
*/
CROCHET_EXPORT void shutdown();

/*!
    True when called on the reactor thread.

    \library `#include <crochet/reactor.h>`, `Crochet::Core`.
    \threads Any thread.
    \nothrow
*/
CROCHET_EXPORT bool isReactorThread();

/*!
    The reactor thread, or nullptr before setup() / noSetup().

    \library `#include <crochet/reactor.h>`, `Crochet::Core`.
    \threads Any thread.
    \nothrow
*/
CROCHET_EXPORT QThread *reactorThread();

} // namespace Crochet
