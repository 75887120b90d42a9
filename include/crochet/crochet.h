// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file crochet.h
    Umbrella header of Crochet for Qt: blocking access to Qt's event-driven
    APIs from any thread, through a reactor thread. */

#include <crochet/errors.h>
#include <crochet/eventualresult.h>
#include <crochet/failure.h>
#include <crochet/global.h>
#include <crochet/guiblockwarning.h>
#include <crochet/network.h>
#include <crochet/reactor.h>
#include <crochet/wrappers.h>
