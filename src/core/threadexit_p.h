// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: what a thread of ours does last, before it reports finished
// (releaseThreadLibraryState(), declared with the core's services).

#include "coreservices_p.h"
