// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// blockingdns: a blocking host name lookup from plain, synchronous code.
// Qt's QHostInfo answers through the event loop; waitFor() runs the lookup
// in the reactor thread and blocks this one until the answer comes.
//
//     $ blockingdns localhost
//     localhost -> 127.0.0.1

#include <crochet/crochet.h>

#include <QtCore/QStringList>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

// Runs in the reactor thread; the caller blocks for at most 10 seconds.
static const auto lookup = Crochet::waitFor(10s, [](const QString &name) {
    return Crochet::lookupHost(name); // a QFuture: waited on transparently
});

int main(int argc, char *argv[])
{
    // No application object and no event loop here: the reactor thread runs
    // the event loop, and this thread just blocks.
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <host name>\n", argv[0]);
        return 2;
    }
    const QString name = QString::fromLocal8Bit(argv[1]);
    Crochet::setup();
    try {
        QStringList addresses;
        for (const QHostAddress &address : lookup(name))
            addresses += address.toString();
        std::printf("%s -> %s\n", qPrintable(name), qPrintable(addresses.join(u", ")));
        return 0;
    } catch (const Crochet::Error &error) {
        // NetworkError (the name does not resolve) or TimeoutError.
        std::fprintf(stderr, "%s: %s\n", qPrintable(name), qPrintable(error.message()));
        return 1;
    }
}
