// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file guiblockwarning.h
    A warning when EventualResult::wait() or a waitFor() function blocks the
    GUI thread: a GUI that waits for the reactor cannot repaint or respond
    meanwhile. */

#include <crochet/global.h>

#include <chrono>

namespace Crochet {

/*!
    When EventualResult::wait() or a waitFor() function blocks the thread of
    a QGuiApplication (the GUI thread) for longer than \a threshold, one
    warning is logged on the category `crochet.gui`, naming where the
    function was wrapped (`file:line`) and how long the thread was blocked;
    at most once per wrap site, for the life of the process. A wait that
    times out counts too. The default is 100 ms; zero (or less) turns the
    warning off. Silence it the Qt way, `crochet.gui.warning=false`.

    Other threads, and processes without a QGuiApplication, are never
    warned about. The check runs only after a wait that lasted longer than
    the threshold, so shorter waits pay nothing for it. Applies to waits
    that end afterwards.

    \library `#include <crochet/guiblockwarning.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
    \threads Any thread, at any time (before setup() too).
    \nothrow
*/
CROCHET_EXPORT void setGuiBlockWarning(std::chrono::milliseconds threshold);

} // namespace Crochet
