// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file failure.h
    Crochet::Failure: what went wrong with a result, for logging and display.

    \library `#include <crochet/failure.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`. */

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

    \library `#include <crochet/failure.h>`, `Crochet::Core`.
    \threads Any thread; copies may be used in several threads at once.
*/
class CROCHET_EXPORT Failure
{
public:
    /*! Describes \a exception (which must not be null). \a wrappedAt is where
        the function that failed was wrapped; \a stack is any stack trace that
        was captured when the failure was recorded (may be empty), shown as it
        is by traceback().
        \nothrow */
    explicit Failure(std::exception_ptr exception, SourceLocation wrappedAt = {},
                     const QString &stack = {});
    //! A copy (it shares the immutable description).
    Failure(const Failure &other) noexcept;
    //! Moves \a other's failure here.
    Failure(Failure &&other) noexcept;
    //! Makes this a copy of \a other.
    Failure &operator=(const Failure &other) noexcept;
    //! Moves \a other's failure here.
    Failure &operator=(Failure &&other) noexcept;
    //! Releases the description.
    ~Failure();

    //! The exception, exactly as it was thrown. \nothrow
    std::exception_ptr exception() const { return m_exception; }
    //! The demangled type name of the exception, e.g. "std::runtime_error". \nothrow
    QString typeName() const;
    //! Its message: Error::message(), std::exception::what(), or empty. \nothrow
    QString message() const;
    /*!
        Type, message, where the function was wrapped (and the call site where
        it can be had) and the reactor's stack where the failure was caught,
        with function names, as text. \nothrow
    */
    QString traceback() const;
    //! Re-throws the exception.
    //! \throws ... the exception itself, always.
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
