// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The QML side of Crochet::toQml() (tst_qmlquick.qml) and the singleton
// Reactor (tst_reactor.qml), tested in QML: a C++ singleton, Work (work.h),
// starts operations in the reactor that the tests finish, or holds the
// reactor.

#include "work.h"

#include <crochet/crochet.h>

#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable() { Crochet::setup(); }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral(CROCHET_QML_IMPORT_PATH));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qmlquick, Setup)
#include "tst_qmlquick.moc"
