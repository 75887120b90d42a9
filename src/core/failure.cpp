// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/errors.h>
#include <crochet/eventualresult.h>
#include <crochet/failure.h>

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

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

namespace {

QString demangle(const std::type_info *type)
{
    return type ? detail::typeNameOf(*type) : QStringLiteral("<unknown exception>");
}

} // namespace

Failure::Failure(std::exception_ptr exception, std::source_location wrappedAt, const QString &stack)
    : m_exception(std::move(exception))
    , m_stack(stack)
{
    // Re-throwing is the portable way to learn the dynamic type of what an
    // exception_ptr holds, whatever it is (also types not derived from
    // std::exception).
    try {
        std::rethrow_exception(m_exception);
    } catch (const Error &error) {
        m_message = error.message();
    } catch (const std::exception &error) {
        m_message = QString::fromUtf8(error.what());
    } catch (const QString &text) {
        m_message = text;
    } catch (const std::string &text) {
        m_message = QString::fromStdString(text);
    } catch (const char *text) {
        m_message = QString::fromUtf8(text);
    } catch (...) {
    }
    try {
        std::rethrow_exception(m_exception);
    } catch (...) {
        m_typeName = demangle(abi::__cxa_current_exception_type());
    }
    if (wrappedAt.line() != 0) {
        m_wrappedAt = QStringLiteral("%1:%2, in %3")
                          .arg(QString::fromUtf8(wrappedAt.file_name()))
                          .arg(wrappedAt.line())
                          .arg(QString::fromUtf8(wrappedAt.function_name()));
    }
}

QString Failure::traceback() const
{
    QString text = QStringLiteral("Traceback (most recent call last):\n");
    if (!m_wrappedAt.isEmpty())
        text += QStringLiteral("  function wrapped at %1\n").arg(m_wrappedAt);
    if (!m_stack.isEmpty())
        text += QStringLiteral("  reactor stack where the failure was caught:\n%1").arg(m_stack);
    text += m_typeName;
    if (!m_message.isEmpty())
        text += QStringLiteral(": ") + m_message;
    return text;
}

void Failure::raise() const
{
    std::rethrow_exception(m_exception);
}

} // namespace Crochet
