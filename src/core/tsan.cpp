// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// The hand-off mutex of <crochet/detail/tsan.h>. Defined in every build:
// whether it is used depends on how the program that includes tsan.h was
// built, not on how the library was.
#include <crochet/detail/tsan.h>

namespace Crochet::detail {

std::recursive_mutex &handoffMutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}

} // namespace Crochet::detail
