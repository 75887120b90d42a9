// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// examples/qmlfetch runs headless and saves a screenshot of its window with
// the result on it.

#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

class tst_QmlExample : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void screenshot_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("its own slow server") << QStringList() << 0;
        // A port that was just free: the connection is refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const QString refused = u"http://127.0.0.1:%1/"_s.arg(probe.serverPort());
        probe.close();
        QTest::newRow("connection refused") << QStringList{refused} << 2;
    }

    void screenshot()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"qmlfetch.png"_s);

        QProcess example;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        example.setProcessEnvironment(environment);
        example.setProcessChannelMode(QProcess::ForwardedChannels);
        example.start(QStringLiteral(QMLFETCH_PATH),
                      arguments + QStringList{u"--screenshot"_s, file});
        QVERIFY2(example.waitForFinished(120000), "the example did not exit");
        QCOMPARE(example.exitStatus(), QProcess::NormalExit);
        QCOMPARE(example.exitCode(), exitCode);

        QImage image;
        QVERIFY2(image.load(file), qPrintable(file));
        QVERIFY(image.width() > 100 && image.height() > 100);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2)
                colours.insert(image.pixel(x, y));
        }
        // Text, a progress bar and buttons on a background: far from blank.
        QVERIFY2(colours.size() > 1, qPrintable(u"%1 colours"_s.arg(colours.size())));
    }
};

QTEST_GUILESS_MAIN(tst_QmlExample)
#include "tst_qmlexample.moc"
