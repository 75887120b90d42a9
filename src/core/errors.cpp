// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/errors.h>

namespace Crochet {

Error::Error(const QString &message)
    : m_message(message)
    , m_what(message.toUtf8())
{}

QString Error::message() const
{
    return m_message;
}

const char *Error::what() const noexcept
{
    return m_what.constData();
}

void Error::raise() const
{
    throw *this;
}

Error *Error::clone() const
{
    return new Error(*this);
}

// Every subclass re-implements raise() and clone() so that the exception
// keeps its type when it travels through a QFuture.
#define CROCHET_DEFINE_ERROR(Class, defaultMessage)                                                \
    Class::Class()                                                                                 \
        : Error(QStringLiteral(defaultMessage))                                                    \
    {}                                                                                             \
    Class::Class(const QString &message)                                                           \
        : Error(message)                                                                           \
    {}                                                                                             \
    void Class::raise() const                                                                      \
    {                                                                                              \
        throw *this;                                                                               \
    }                                                                                              \
    Class *Class::clone() const                                                                    \
    {                                                                                              \
        return new Class(*this);                                                                   \
    }

CROCHET_DEFINE_ERROR(TimeoutError, "timed out waiting for the result")
CROCHET_DEFINE_ERROR(ReactorStopped, "the Crochet reactor has stopped")
CROCHET_DEFINE_ERROR(CancelledError, "the result was cancelled")
CROCHET_DEFINE_ERROR(ReactorThreadError,
                     "a blocking call was made on the reactor thread, where it would deadlock")
CROCHET_DEFINE_ERROR(SetupError, "Crochet has not been set up: call Crochet::setup() first")
CROCHET_DEFINE_ERROR(ResultNotFound, "no such stashed result")

#undef CROCHET_DEFINE_ERROR

} // namespace Crochet
