// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/detail/contextguard.h>

namespace Crochet::detail {

ContextGuard::ContextGuard(QObject *context) : m_shared(std::make_shared<Shared>())
{
    m_shared->context = context;
    // Direct: runs in the destructor of the context, on its thread, before
    // Qt removes the context's pending posted events.
    m_connection = QObject::connect(
        context, &QObject::destroyed, context,
        [shared = m_shared] {
            std::lock_guard guard(shared->mutex);
            shared->context = nullptr;
        },
        Qt::DirectConnection);
}

ContextGuard::~ContextGuard()
{
    QObject::disconnect(m_connection);
}

#if defined(CROCHET_HAS_TSAN)
std::recursive_mutex &handoffMutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}
#endif

} // namespace Crochet::detail
