// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// stash() / retrieveResult(): start an operation, keep only a number (in a
// web session, a cookie, a queue message), and pick the result up later,
// from any thread.

#include <crochet/crochet.h>

#include <QtCore/QDebug>
#include <QtCore/QPromise>
#include <QtCore/QTimer>

#include <chrono>
#include <memory>
#include <thread>

using namespace std::chrono_literals;

// A slow operation in the reactor: a value that a timer delivers later.
static const auto slowSquare = Crochet::runInReactor([](int x, int delayMs) {
    auto promise = std::make_shared<QPromise<int>>();
    promise->start();
    QTimer::singleShot(delayMs, [promise, x] {
        promise->addResult(x * x);
        promise->finish();
    });
    return promise->future();
});

int main()
{
    Crochet::setup();

    const quint64 uid = slowSquare(12, 300).stash();
    qInfo() << "started; stashed as uid" << uid;

    // Later, possibly in another thread, only the uid is needed.
    std::thread later([uid] {
        auto result = Crochet::retrieveResult<int>(uid);
        while (true) {
            try {
                const int value = result.wait(100ms);
                qInfo() << "result:" << value;
                break;
            } catch (const Crochet::TimeoutError &) {
                qInfo() << "still in progress...";
            }
        }
        try {
            Crochet::retrieveResult<int>(uid);
        } catch (const Crochet::ResultNotFound &error) {
            qInfo().noquote() << "a second retrieveResult() fails:" << error.message();
        }
    });
    later.join();
    return 0;
}
