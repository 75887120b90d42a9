// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// The context of doc/qml.md's fragments (see tst_docsnippets.cpp): the
// headers the document names, and the user's type of "Values".

#include <crochet/crochet.h>
#include <crochet/qml.h>

#include <QtCore/QObject>
#include <QtCore/QVariantMap>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>

// "Values": a type of your own.
struct Point
{
    int x = 0;
    int y = 0;
};

struct FragmentContext : QObject
{};
