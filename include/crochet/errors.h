// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file errors.h
    The exceptions Crochet throws. All derive from Crochet::Error, which
    derives from QException so that they travel through QFuture unchanged. */

#include <crochet/global.h>

#include <QtCore/QByteArray>
#include <QtCore/QException>
#include <QtCore/QString>

namespace Crochet {

//! Base class of every Crochet exception.
class CROCHET_EXPORT Error : public QException
{
public:
    explicit Error(const QString &message);
    //! The human-readable description.
    QString message() const;
    const char *what() const noexcept override;
    void raise() const override;
    Error *clone() const override;

private:
    QString m_message;
    QByteArray m_what;
};

//! EventualResult::wait() or a waitFor() call ran out of time.
class CROCHET_EXPORT TimeoutError : public Error
{
public:
    TimeoutError();
    explicit TimeoutError(const QString &message);
    void raise() const override;
    TimeoutError *clone() const override;
};

//! The reactor stopped before a result came, or a call was made after shutdown().
class CROCHET_EXPORT ReactorStopped : public Error
{
public:
    ReactorStopped();
    explicit ReactorStopped(const QString &message);
    void raise() const override;
    ReactorStopped *clone() const override;
};

//! The result was cancelled before it had a value.
class CROCHET_EXPORT CancelledError : public Error
{
public:
    CancelledError();
    explicit CancelledError(const QString &message);
    void raise() const override;
    CancelledError *clone() const override;
};

//! A blocking call was made on the reactor thread, where it would deadlock.
class CROCHET_EXPORT ReactorThreadError : public Error
{
public:
    ReactorThreadError();
    explicit ReactorThreadError(const QString &message);
    void raise() const override;
    ReactorThreadError *clone() const override;
};

//! noSetup() after setup(), or a call before the reactor was set up.
class CROCHET_EXPORT SetupError : public Error
{
public:
    SetupError();
    explicit SetupError(const QString &message);
    void raise() const override;
    SetupError *clone() const override;
};

//! retrieveResult() with an unknown or already retrieved uid, or the wrong type.
class CROCHET_EXPORT ResultNotFound : public Error
{
public:
    ResultNotFound();
    explicit ResultNotFound(const QString &message);
    void raise() const override;
    ResultNotFound *clone() const override;
};

} // namespace Crochet
