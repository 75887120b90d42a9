// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file errors.h
    The exceptions Crochet throws. All derive from Crochet::Error, which
    derives from QException so that they travel through QFuture unchanged.

    \library `#include <crochet/errors.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`; NetworkError is in `<crochet/network.h>`,
    `Crochet::Network`. */

#include <crochet/global.h>

#include <QtCore/QByteArray>
#include <QtCore/QException>
#include <QtCore/QString>

namespace Crochet {

/*!
    Base class of every Crochet exception. Thrown as it is (a plain
    Crochet::Error) for misuse that has no class of its own: a second wait()
    for a move-only value, then() / onFailed() with a null context, a null
    reply given to toFuture() (as the future's failure).

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread; an exception object is a plain value.
*/
class CROCHET_EXPORT Error : public QException
{
public:
    //! An error with the text \a message. \nothrow
    explicit Error(const QString &message);
    //! The human-readable description.
    //! \nothrow
    QString message() const;
    //! The description in UTF-8, for std::exception users.
    //! \nothrow
    const char *what() const noexcept override;
    //! Throws a copy of this exception, as its own class (QException's contract).
    //! \throws Error (or the subclass) always.
    void raise() const override;
    //! A copy of this exception, as its own class (QException's contract).
    //! \nothrow
    Error *clone() const override;

private:
    QString m_message;
    QByteArray m_what;
};

/*!
    EventualResult::wait() or a waitFor() call ran out of time.
    The message says how long it waited.

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread.
*/
class CROCHET_EXPORT TimeoutError : public Error
{
public:
    //! The error with its standard message. \nothrow
    TimeoutError();
    //! The error with the text \a message. \nothrow
    explicit TimeoutError(const QString &message);
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    TimeoutError *clone() const override;
};

/*!
    The reactor stopped before a result came, or a call was made after shutdown().

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread.
*/
class CROCHET_EXPORT ReactorStopped : public Error
{
public:
    //! The error with its standard message. \nothrow
    ReactorStopped();
    //! The error with the text \a message. \nothrow
    explicit ReactorStopped(const QString &message);
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    ReactorStopped *clone() const override;
};

/*!
    The result was cancelled before it had a value.

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread.
*/
class CROCHET_EXPORT CancelledError : public Error
{
public:
    //! The error with its standard message. \nothrow
    CancelledError();
    //! The error with the text \a message. \nothrow
    explicit CancelledError(const QString &message);
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    CancelledError *clone() const override;
};

/*!
    A blocking call was made on the reactor thread, where it would deadlock.
    Also thrown by functions that work in the reactor thread only (networkAccessManager()) when called elsewhere.

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread.
*/
class CROCHET_EXPORT ReactorThreadError : public Error
{
public:
    //! The error with its standard message. \nothrow
    ReactorThreadError();
    //! The error with the text \a message. \nothrow
    explicit ReactorThreadError(const QString &message);
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    ReactorThreadError *clone() const override;
};

/*!
    noSetup() after setup(), or a call before the reactor was set up.
    The message says to call Crochet::setup().

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread.
*/
class CROCHET_EXPORT SetupError : public Error
{
public:
    //! The error with its standard message. \nothrow
    SetupError();
    //! The error with the text \a message. \nothrow
    explicit SetupError(const QString &message);
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    SetupError *clone() const override;
};

/*!
    retrieveResult() with an unknown or already retrieved uid, or the wrong type.

    \library `#include <crochet/errors.h>`, `Crochet::Core`.
    \threads Any thread.
*/
class CROCHET_EXPORT ResultNotFound : public Error
{
public:
    //! The error with its standard message. \nothrow
    ResultNotFound();
    //! The error with the text \a message. \nothrow
    explicit ResultNotFound(const QString &message);
    //! \copydoc Error::raise()
    void raise() const override;
    //! \copydoc Error::clone()
    ResultNotFound *clone() const override;
};

} // namespace Crochet
