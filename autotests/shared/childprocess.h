// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// The lifetime of a child process of a test: it must not outlive the test,
// and it is stopped politely before it is killed.

#include <QtCore/QProcess>

namespace CrochetTest {

/*!
    Makes the child that \a process starts receive SIGTERM when the test
    process dies, so that a test that crashed leaves nothing running. Call it
    before start(). Does nothing under ThreadSanitizer: a modifier makes Qt
    fork() instead of vfork(), and code run in the forked child of a
    multi-threaded process trips TSan's own runtime.
*/
void dieWithParent(QProcess &process);

/*!
    Stops the child of \a process, if it runs: SIGTERM, on which the servers
    the tests use close their connections and exit at once, then SIGKILL if
    it is still there after \a timeoutMs.
*/
void stopChild(QProcess &process, int timeoutMs);

} // namespace CrochetTest
