// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// A QML engine in a program that does not link Crochet: `import Crochet`
// works only if the installed module (qmldir, plugin) is where the engine
// looks, and the plugin finds its libraries. Usage: qmlapp [import path]

#include <QtCore/QCoreApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    if (argc > 1)
        engine.addImportPath(QString::fromLocal8Bit(argv[1]));
    QQmlComponent component(&engine);
    component.setData(
        "import QtQml\nimport Crochet\nQtObject { property EventualResult result: null }", QUrl());
    const std::unique_ptr<QObject> object(component.create());
    if (!object) {
        std::printf("QML failed: %s\n", qPrintable(component.errorString()));
        return 1;
    }
    std::printf("QML: import Crochet works\n");
    return 0;
}
