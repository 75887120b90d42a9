// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// <crochet/version.h>: its macros, and one version number everywhere.

#include <crochet/crochet.h>
#include <crochet/version.h>

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtTest/QTest>

#include <dlfcn.h>

// Usable in the preprocessor, as users write it.
#if CROCHET_VERSION < CROCHET_VERSION_CHECK(0, 1, 0)
#error "CROCHET_VERSION does not compare in #if"
#endif

static_assert(CROCHET_VERSION == CROCHET_VERSION_CHECK(CROCHET_VERSION_MAJOR, CROCHET_VERSION_MINOR,
                                                       CROCHET_VERSION_PATCH));
static_assert(CROCHET_VERSION_CHECK(0, 2, 0) < CROCHET_VERSION_CHECK(0, 2, 1));
static_assert(CROCHET_VERSION_CHECK(0, 2, 255) < CROCHET_VERSION_CHECK(0, 3, 0));
static_assert(CROCHET_VERSION_CHECK(0, 255, 255) < CROCHET_VERSION_CHECK(1, 0, 0));

class tst_Version : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void macrosAreTheProjectVersion()
    {
        QCOMPARE(QByteArray(CROCHET_VERSION_STR), QByteArray(PROJECT_VERSION_TEXT));
        const int parts[] = {PROJECT_VERSION_PARTS};
        QCOMPARE(CROCHET_VERSION_MAJOR, parts[0]);
        QCOMPARE(CROCHET_VERSION_MINOR, parts[1]);
        QCOMPARE(CROCHET_VERSION_PATCH, parts[2]);
        QCOMPARE(QByteArray(CROCHET_VERSION_STR), QByteArray::number(CROCHET_VERSION_MAJOR) + '.' +
                                                      QByteArray::number(CROCHET_VERSION_MINOR) +
                                                      '.' +
                                                      QByteArray::number(CROCHET_VERSION_PATCH));
    }

    void libraryNameCarriesTheSoversion()
    {
        if (!CROCHET_SHARED)
            QSKIP("a static build has no SONAME");
        Dl_info info{};
        QVERIFY(dladdr(reinterpret_cast<void *>(&Crochet::setup), &info) && info.dli_fname);
        // The loader opens the library by its SONAME.
        const QString loaded = QFileInfo(QString::fromLocal8Bit(info.dli_fname)).fileName();
        QCOMPARE(loaded, QStringLiteral("libcrochet-core-qt6.so." CROCHET_SOVERSION_TEXT));
        const QString real = QFileInfo(QString::fromLocal8Bit(info.dli_fname)).canonicalFilePath();
        QVERIFY2(real.endsWith(QStringLiteral(".so." PROJECT_VERSION_TEXT)), qPrintable(real));
    }

    void changelogHasThisVersion()
    {
        QFile changelog(QStringLiteral(CHANGELOG_PATH));
        QVERIFY(changelog.open(QIODevice::ReadOnly));
        const QByteArray text = changelog.readAll();
        QVERIFY2(text.contains("\n## " PROJECT_VERSION_TEXT),
                 "CHANGELOG.md has no section \"## " PROJECT_VERSION_TEXT "\"");
    }
};

QTEST_MAIN(tst_Version)
#include "tst_version.moc"
