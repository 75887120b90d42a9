// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_guiblock: the thread of an application object
// of the class the first argument names ("QCoreApplication" or
// "QGuiApplication") blocks 300 ms in wait(). It prints the value; a GUI
// block warning goes to stderr.

#include "reactorhelpers.h"

#include <crochet/crochet.h>

#include <QtCore/QCoreApplication>
#include <QtGui/QGuiApplication>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace std::chrono_literals;

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s QCoreApplication|QGuiApplication\n", argv[0]);
        return 2;
    }
    std::unique_ptr<QCoreApplication> app;
    if (std::strcmp(argv[1], "QGuiApplication") == 0)
        app = std::make_unique<QGuiApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    Crochet::setup();

    static const auto slow = Crochet::runInReactor(
        [] { return CrochetTest::finishedLater<int>(300ms, [] { return 7; }); });
    std::printf("value %d\n", slow().wait(CrochetTest::LongTimeout));
    return 0;
}
