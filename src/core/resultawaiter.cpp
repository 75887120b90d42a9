// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/detail/resultawaiter.h>
#include <crochet/errors.h>

#include <QtCore/QAbstractEventDispatcher>

namespace Crochet::detail {

void ensureAwaitingThreadHasEventLoop()
{
    // A thread gets its dispatcher when its QThread starts, or (the main
    // thread) with the application object. Whether its loop runs cannot be
    // seen; a thread with none at all would never resume the coroutine.
    if (!QAbstractEventDispatcher::instance()) {
        throw Error(QStringLiteral(
            "co_await on an EventualResult needs a thread with a Qt event loop, to resume the "
            "coroutine there (a QThread, or the thread of the application object once it "
            "exists); this thread has none"));
    }
}

} // namespace Crochet::detail
