// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: what a thread of ours does last, before it reports finished.

namespace Crochet::detail {

/*!
    Frees the state that libraries keep for the calling thread and would
    otherwise free from a thread-exit destructor, after QThread::wait() has
    returned (see threadexit_linux.cpp). Call it last in the run() of a
    QThread we start: the reactor thread and the HTTP threads.
*/
void releaseThreadLibraryState() noexcept;

} // namespace Crochet::detail
