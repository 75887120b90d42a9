// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Built against the installed package's Crochet::QCoro by packagetest.cmake,
// when the package has it: a QCoro::Task co_awaits a result.

#include <crochet/qcoro.h>
#include <crochet/reactor.h>
#include <crochet/wrappers.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <cstdio>

namespace {

const auto add = Crochet::runInReactor([](int a, int b) { return a + b; });

QCoro::Task<> run(QCoreApplication &app)
{
    const int sum = co_await add(20, 22);
    std::printf("qcoro: %d, on the main thread: %s\n", sum,
                QThread::currentThread() == app.thread() ? "yes" : "no");
    app.quit();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Crochet::setup();
    const QCoro::Task<> task = run(app);
    return app.exec();
}
