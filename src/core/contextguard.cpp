// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/detail/contextguard.h>
#include <crochet/errors.h>
#include <crochet/eventualresult.h>
#include <crochet/failure.h>
#include <crochet/global.h>

#include <QtCore/QLoggingCategory>

namespace Crochet::detail {

void requireContext(const QObject *context, const char *function)
{
    if (!context) {
        throw Error(QStringLiteral("EventualResult::%1 was given a null context object; it needs "
                                   "a live QObject (a widget, the application object, ...) in "
                                   "the thread that should run the continuation")
                        .arg(QString::fromLatin1(function)));
    }
}

ContextGuard::ContextGuard(QObject *context)
    : m_shared(std::make_shared<Shared>())
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

void logContinuationFailure(std::exception_ptr error) noexcept
{
    qCWarning(logging()).noquote().nospace()
        << "A then() or onFailed() continuation threw; it runs in an event handler, so the "
           "exception goes no further:\n"
        << Failure(std::move(error)).traceback();
}

} // namespace Crochet::detail
