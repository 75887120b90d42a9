// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_qcoro: under noSetup() the application's thread
// is the reactor, where wait() would throw; a QCoro::Task there still
// co_awaits a result, and resumes on that thread.

#include <crochet/crochet.h>
#include <crochet/qcoro.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <cstdio>

namespace {

const auto add = Crochet::runInReactor([](int a, int b) { return a + b; });

QCoro::Task<> run(QCoreApplication &app)
{
    const int sum = co_await add(20, 22);
    std::printf("%d, on the application thread: %s\n", sum,
                QThread::currentThread() == app.thread() ? "yes" : "no");
    app.quit();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::noSetup();
    const QCoro::Task<> task = run(app);
    return app.exec();
}
