// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Must not compile (see CMakeLists.txt): the list forms of whenAll() and
// whenAny() have no value to give for a void result.

#include <crochet/crochet.h>

void combineVoidResults(const QList<Crochet::EventualResult<void>> &results)
{
    Crochet::VOID_LIST_FORM(results);
}
