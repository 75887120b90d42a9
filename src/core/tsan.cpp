// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
// The hand-off mutex of <crochet/detail/tsan.h>: under ThreadSanitizer only.
#include <crochet/detail/tsan.h>

namespace Crochet::detail {

#if defined(CROCHET_HAS_TSAN)
std::recursive_mutex &handoffMutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}
#endif

} // namespace Crochet::detail
