// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "childprocess.h"

#include <crochet/detail/tsan.h>

#include <signal.h>
#include <sys/prctl.h>

namespace CrochetTest {

void dieWithParent(QProcess &process)
{
#if !defined(CROCHET_HAS_TSAN)
    process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#else
    Q_UNUSED(process);
#endif
}

void stopChild(QProcess &process, int timeoutMs)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(timeoutMs);
    }
}

} // namespace CrochetTest
