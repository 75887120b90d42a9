// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file failure.h
    Crochet::Failure: what went wrong with a result, for logging and display. */

#include <crochet/global.h>

#include <QtCore/QString>

#include <exception>
#include <source_location>

namespace Crochet {

/*!
    The failure held by an EventualResult: the exception itself plus a
    readable description of it. Immutable and safe to share between threads.
*/
class CROCHET_EXPORT Failure
{
public:
    /*! Describes \a exception (which must not be null). \a wrappedAt is where
        the function that failed was wrapped; \a stack is any stack trace that
        was captured when the failure was recorded (may be empty). */
    explicit Failure(std::exception_ptr exception, std::source_location wrappedAt = {},
                     const QString &stack = {});

    //! The exception, exactly as it was thrown.
    std::exception_ptr exception() const { return m_exception; }
    //! The demangled type name of the exception, e.g. "std::runtime_error".
    QString typeName() const { return m_typeName; }
    //! Its message: Error::message(), std::exception::what(), or empty.
    QString message() const { return m_message; }
    //! Type, message, where the function was wrapped and any stack, as text.
    QString traceback() const;
    //! Re-throws the exception.
    [[noreturn]] void raise() const;

private:
    std::exception_ptr m_exception;
    QString m_typeName;
    QString m_message;
    QString m_wrappedAt;
    QString m_stack;
};

} // namespace Crochet
