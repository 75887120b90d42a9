// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// An argument that can be neither copied nor moved (a QObject).
// expect: an argument can be neither copied nor moved to the reactor thread
// expect: pass a pointer or a std::shared_ptr to it
#include <crochet/crochet.h>

#include <QtCore/QObject>

using namespace std::chrono_literals;

static const auto name =
    Crochet::waitFor(1s, [](const QObject &object) { return object.objectName(); });

void call()
{
    QObject object;
    name(object);
}
