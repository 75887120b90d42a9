// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file failure.h
    Crochet::Failure: what went wrong with a result, for logging and display. */

#include <crochet/global.h>
#include <crochet/sourcelocation.h>

#include <QtCore/QString>

#include <exception>

namespace Crochet {

namespace detail {
class CapturedStack;
class ResultStateBase;
} // namespace detail

/*!
    The failure held by an EventualResult: the exception itself plus a
    readable description of it. Immutable and safe to share between threads.

    Cheap to make and to copy: the description is worked out when it is
    asked for. typeName() reads the exception's type; message() re-throws it
    once to read its text; traceback() turns the stack recorded with the
    failure into text (looking up function names) on every call.
*/
class CROCHET_EXPORT Failure
{
public:
    /*! Describes \a exception (which must not be null). \a wrappedAt is where
        the function that failed was wrapped; \a stack is any stack trace that
        was captured when the failure was recorded (may be empty), shown as it
        is by traceback(). */
    explicit Failure(std::exception_ptr exception, SourceLocation wrappedAt = {},
                     const QString &stack = {});
    Failure(const Failure &other) noexcept;
    Failure(Failure &&other) noexcept;
    Failure &operator=(const Failure &other) noexcept;
    Failure &operator=(Failure &&other) noexcept;
    ~Failure();

    //! The exception, exactly as it was thrown.
    std::exception_ptr exception() const { return m_exception; }
    //! The demangled type name of the exception, e.g. "std::runtime_error".
    QString typeName() const;
    //! Its message: Error::message(), std::exception::what(), or empty.
    QString message() const;
    //! Type, message, where the function was wrapped and any stack, as text.
    QString traceback() const;
    //! Re-throws the exception.
    [[noreturn]] void raise() const;

private:
    friend class detail::ResultStateBase;
    //! A failure recorded by the library: \a stack (may be null) gains a
    //! reference. It comes first, so that no call of the public constructor
    //! can mean this one.
    Failure(const detail::CapturedStack *stack, std::exception_ptr exception,
            SourceLocation wrappedAt) noexcept;

    std::exception_ptr m_exception;
    SourceLocation m_wrappedAt;
    // Shared with the result and the other copies; immutable. Symbolised by
    // traceback().
    const detail::CapturedStack *m_capturedStack = nullptr;
    QString m_stack; // given by the user, shown as it is
};

} // namespace Crochet
