// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "capturedstack_p.h"

#include <crochet/errors.h>
#include <crochet/eventualresult.h>
#include <crochet/failure.h>

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>
#include <utility>

namespace Crochet {

namespace detail {

QString typeNameOf(const std::type_info &type)
{
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> name(
        abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
    return QString::fromUtf8(status == 0 && name ? name.get() : type.name());
}

} // namespace detail

Failure::Failure(std::exception_ptr exception, SourceLocation wrappedAt, const QString &stack)
    : m_exception(std::move(exception))
    , m_wrappedAt(wrappedAt)
    , m_stack(stack)
{}

Failure::Failure(const detail::CapturedStack *stack, std::exception_ptr exception,
                 SourceLocation wrappedAt) noexcept
    : m_exception(std::move(exception))
    , m_wrappedAt(wrappedAt)
    , m_capturedStack(stack)
{
    if (m_capturedStack)
        m_capturedStack->ref();
}

Failure::Failure(const Failure &other) noexcept
    : m_exception(other.m_exception)
    , m_wrappedAt(other.m_wrappedAt)
    , m_capturedStack(other.m_capturedStack)
    , m_stack(other.m_stack)
{
    if (m_capturedStack)
        m_capturedStack->ref();
}

Failure::Failure(Failure &&other) noexcept
    : m_exception(std::move(other.m_exception))
    , m_wrappedAt(other.m_wrappedAt)
    , m_capturedStack(std::exchange(other.m_capturedStack, nullptr))
    , m_stack(std::move(other.m_stack))
{}

Failure &Failure::operator=(const Failure &other) noexcept
{
    Failure copy(other);
    return *this = std::move(copy);
}

Failure &Failure::operator=(Failure &&other) noexcept
{
    std::swap(m_exception, other.m_exception);
    std::swap(m_wrappedAt, other.m_wrappedAt);
    std::swap(m_capturedStack, other.m_capturedStack);
    m_stack.swap(other.m_stack);
    return *this;
}

Failure::~Failure()
{
    if (m_capturedStack)
        m_capturedStack->deref();
}

QString Failure::typeName() const
{
    // libstdc++'s exception_ptr knows the type of what it holds: no
    // re-throw needed (a re-throw costs microseconds, and the result store
    // names the type of every stashed failure it counts at shutdown).
    const std::type_info *type = m_exception ? m_exception.__cxa_exception_type() : nullptr;
    return type ? detail::typeNameOf(*type) : QStringLiteral("<unknown exception>");
}

QString Failure::message() const
{
    if (!m_exception)
        return QString();
    // Re-throwing is the portable way to reach what an exception_ptr holds,
    // whatever it is (also types not derived from std::exception).
    try {
        std::rethrow_exception(m_exception);
    } catch (const Error &error) {
        return error.message();
    } catch (const std::exception &error) {
        return QString::fromUtf8(error.what());
    } catch (const QString &text) {
        return text;
    } catch (const std::string &text) {
        return QString::fromStdString(text);
    } catch (const char *text) {
        return QString::fromUtf8(text);
    } catch (...) {
    }
    return QString();
}

QString Failure::traceback() const
{
    QString text = QStringLiteral("Traceback (most recent call last):\n");
    if (m_wrappedAt.line() != 0) {
        // A wrapper made at namespace scope (as the docs make them) has no
        // enclosing function: file and line say it all.
        const QString function = QString::fromUtf8(m_wrappedAt.functionName());
        text += QStringLiteral("  function wrapped at %1:%2%3\n")
                    .arg(QString::fromUtf8(m_wrappedAt.fileName()))
                    .arg(m_wrappedAt.line())
                    .arg(function.isEmpty() ? QString() : QStringLiteral(", in ") + function);
    }
    if (m_capturedStack) {
        text += QStringLiteral("  reactor stack where the failure was caught:\n") +
                m_capturedStack->toText();
    } else if (!m_stack.isEmpty()) {
        text += QStringLiteral("  reactor stack where the failure was caught:\n") + m_stack;
    }
    text += typeName();
    const QString what = message();
    if (!what.isEmpty())
        text += QStringLiteral(": ") + what;
    return text;
}

void Failure::raise() const
{
    std::rethrow_exception(m_exception);
}

} // namespace Crochet
