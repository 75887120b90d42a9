// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/global.h>

namespace Crochet {

Q_LOGGING_CATEGORY(lcCrochet, "crochet")

const QLoggingCategory &logging()
{
    return lcCrochet();
}

} // namespace Crochet
