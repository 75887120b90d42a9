// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// The context of the fragments of a document that has no header of its own
// here: the umbrella header, std::chrono literals, and a plain QObject as
// `this` (see tst_docsnippets.cpp).

#include <crochet/crochet.h>

#include <QtCore/QObject>

#include <chrono>

using namespace std::chrono_literals;

struct FragmentContext : QObject
{};
