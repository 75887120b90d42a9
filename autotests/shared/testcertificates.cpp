// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "testcertificates.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>

namespace CrochetTest {

namespace {

// Key generation is quick with P-256, even on a loaded machine.
constexpr int OpensslTimeoutMs = 60000;

QSslCertificate loadCertificate(const QString &path)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path);
    return certificates.size() == 1 ? certificates.first() : QSslCertificate();
}

} // namespace

bool TestCertificates::create(const QString &directory)
{
    const QDir dir(directory);
    m_caFile = dir.filePath(u"ca.pem"_qs);
    m_certificateFile = dir.filePath(u"server.pem"_qs);
    m_keyFile = dir.filePath(u"server.key"_qs);
    const QString caKey = dir.filePath(u"ca.key"_qs);
    const QString request = dir.filePath(u"server.csr"_qs);
    const QString extensions = dir.filePath(u"server.ext"_qs);

    QFile extensionFile(extensions);
    if (!extensionFile.open(QIODevice::WriteOnly) ||
        extensionFile.write("subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                            "basicConstraints = critical, CA:FALSE\n"
                            "keyUsage = critical, digitalSignature, keyEncipherment\n"
                            "extendedKeyUsage = serverAuth\n") < 0) {
        m_error = QStringLiteral("cannot write %1").arg(extensions);
        return false;
    }
    extensionFile.close();

    const QStringList newKey = {u"-newkey"_qs, u"ec"_qs, u"-pkeyopt"_qs,
                                u"ec_paramgen_curve:prime256v1"_qs, u"-nodes"_qs};
    const QStringList valid = {u"-days"_qs, u"30"_qs};
    // The authority: self-signed, and allowed to sign certificates.
    const QStringList authority = {u"req"_qs,     u"-x509"_qs,
                                   u"-subj"_qs,   u"/CN=Crochet Test CA"_qs,
                                   u"-addext"_qs, u"basicConstraints=critical,CA:TRUE"_qs,
                                   u"-addext"_qs, u"keyUsage=critical,keyCertSign,cRLSign"_qs,
                                   u"-keyout"_qs, caKey,
                                   u"-out"_qs,    m_caFile};
    // The server's key and its certificate request...
    const QStringList serverRequest = {
        u"req"_qs, u"-subj"_qs, u"/CN=127.0.0.1"_qs, u"-keyout"_qs, m_keyFile, u"-out"_qs, request};
    // ... which the authority signs, adding the extensions.
    const QStringList signing = {u"x509"_qs,        u"-req"_qs,       u"-in"_qs,      request,
                                 u"-CA"_qs,         m_caFile,         u"-CAkey"_qs,   caKey,
                                 u"-set_serial"_qs, u"2"_qs,          u"-extfile"_qs, extensions,
                                 u"-out"_qs,        m_certificateFile};
    if (!openssl(directory, authority + newKey + valid) ||
        !openssl(directory, serverRequest + newKey) || !openssl(directory, signing + valid))
        return false;

    m_ca = loadCertificate(m_caFile);
    m_serverCertificate = loadCertificate(m_certificateFile);
    if (m_ca.isNull() || m_serverCertificate.isNull()) {
        m_error = QStringLiteral("openssl wrote certificates that Qt cannot read");
        return false;
    }
    return true;
}

bool TestCertificates::openssl(const QString &directory, const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(OpensslTimeoutMs)) {
        m_error = QStringLiteral("openssl %1 did not run: %2")
                      .arg(arguments.first(), process.errorString());
        process.kill();
        process.waitForFinished();
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2")
                      .arg(arguments.join(u' '), QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    return true;
}

} // namespace CrochetTest
