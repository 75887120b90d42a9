// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "testcertificates.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>

using namespace Qt::StringLiterals;

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
    m_caFile = dir.filePath(u"ca.pem"_s);
    m_certificateFile = dir.filePath(u"server.pem"_s);
    m_keyFile = dir.filePath(u"server.key"_s);
    const QString caKey = dir.filePath(u"ca.key"_s);
    const QString request = dir.filePath(u"server.csr"_s);
    const QString extensions = dir.filePath(u"server.ext"_s);

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

    const QStringList newKey = {u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                                u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
    const QStringList valid = {u"-days"_s, u"30"_s};
    // The authority: self-signed, and allowed to sign certificates.
    const QStringList authority = {u"req"_s,     u"-x509"_s,
                                   u"-subj"_s,   u"/CN=Crochet Test CA"_s,
                                   u"-addext"_s, u"basicConstraints=critical,CA:TRUE"_s,
                                   u"-addext"_s, u"keyUsage=critical,keyCertSign,cRLSign"_s,
                                   u"-keyout"_s, caKey,
                                   u"-out"_s,    m_caFile};
    // The server's key and its certificate request...
    const QStringList serverRequest = {
        u"req"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-keyout"_s, m_keyFile, u"-out"_s, request};
    // ... which the authority signs, adding the extensions.
    const QStringList signing = {u"x509"_s,     u"-req"_s,   u"-in"_s,  request,          u"-CA"_s,
                                 m_caFile,      u"-CAkey"_s, caKey,     u"-set_serial"_s, u"2"_s,
                                 u"-extfile"_s, extensions,  u"-out"_s, m_certificateFile};
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
