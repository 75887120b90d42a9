// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file crochet.h
    Umbrella header of Crochet for Qt: blocking access to Qt's event-driven
    APIs from any thread, through a reactor thread. It includes the core's
    headers and the network layer's; task.h and qml.h are included on their
    own.

    \library `#include <crochet/crochet.h>`, CMake target `Crochet::Crochet`. */

#include <crochet/combine.h>
#include <crochet/errors.h>
#include <crochet/eventualresult.h>
#include <crochet/failure.h>
#include <crochet/global.h>
#include <crochet/guiblockwarning.h>
#include <crochet/network.h>
#include <crochet/reactor.h>
#include <crochet/reactorstats.h>
#include <crochet/sourcelocation.h>
#include <crochet/version.h>
#include <crochet/wrappers.h>
