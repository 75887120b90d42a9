// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Certificates for the TLS tests, made at run time with the openssl
// command-line tool: nothing secret is kept in the repository, and nothing
// expires between two runs.

#include <QtCore/QString>
#include <QtNetwork/QSslCertificate>

namespace CrochetTest {

/*!
    A certificate authority of its own, and a server certificate it signed
    for 127.0.0.1 and localhost (both in subjectAltName, the name checked).
    No system store trusts the authority: a client trusts the server only
    when it is given ca() (or ignores the errors).
*/
class TestCertificates
{
public:
    //! Writes ca.pem, server.pem and server.key into \a directory, which
    //! must exist; false (with the reason in errorString()) when openssl failed.
    bool create(const QString &directory);
    QString errorString() const { return m_error; }

    QString caFile() const { return m_caFile; }
    //! The server's certificate, PEM (without the authority's).
    QString certificateFile() const { return m_certificateFile; }
    //! The server's private key, PEM, not encrypted.
    QString keyFile() const { return m_keyFile; }

    QSslCertificate ca() const { return m_ca; }
    QSslCertificate serverCertificate() const { return m_serverCertificate; }

private:
    bool openssl(const QString &directory, const QStringList &arguments);

    QString m_caFile;
    QString m_certificateFile;
    QString m_keyFile;
    QSslCertificate m_ca;
    QSslCertificate m_serverCertificate;
    QString m_error;
};

} // namespace CrochetTest
