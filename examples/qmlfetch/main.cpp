// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Qt Quick and the reactor: a window fetches a page through the reactor's
// QNetworkAccessManager and shows the download's progress, then the page or
// the error, with a Cancel button. The GUI thread never blocks: QML gets an
// EventualResult object from Crochet::toQml() and binds to its properties.
// An overlay shows the reactor's figures (the QML singleton Reactor).
//
// Usage: qmlfetch [URL] [--screenshot FILE.png]
// Without a URL it fetches a page from a slow local server it starts itself.
// With --screenshot it saves the window once the result is shown and exits
// (status 0 when the page came, 2 when it failed).

#include "backend.h"
#include "httpservercompat.h"

#include <crochet/crochet.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtHttpServer/QHttpServer>
#include <QtHttpServer/QHttpServerResponder>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <chrono>
#include <cstring>
#include <memory>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

/*!
    --screenshot: saves the window when QML says the result is shown, then
    quits with 0 when the page came, 2 when it failed, 1 when saving failed.
*/
class Screenshot : public QObject
{
    Q_OBJECT
public:
    Screenshot(QQuickWindow *window, const QString &file)
        : m_window(window)
        , m_file(file)
    {}

public Q_SLOTS:
    void take()
    {
        if (!m_window->grabWindow().save(m_file)) {
            qCritical("could not save %s", qPrintable(m_file));
            QCoreApplication::exit(1);
            return;
        }
        const auto *page = m_window->property("page").value<QObject *>();
        QCoreApplication::exit(page->property("error").toString().isEmpty() ? 0 : 2);
    }

private:
    QQuickWindow *m_window;
    QString m_file;
};

// The page, 80 lines of text.
static QByteArray pageText()
{
    QByteArray text;
    for (int line = 1; line <= 80; ++line)
        text += "Line " + QByteArray::number(line) + ": fetched in the reactor, shown in QML.\n";
    return text;
}

/*!
    A body that comes slowly: one piece of \a body every \a interval, in
    \a pieces pieces. Qt HTTP Server reads it at each readyRead() until
    atEnd().
*/
class SlowBody : public QIODevice
{
public:
    SlowBody(const QByteArray &body, int pieces, std::chrono::milliseconds interval)
        : m_body(body)
        , m_pieceSize(body.size() / pieces + 1)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_released = qMin(m_body.size(), m_released + m_pieceSize);
            if (m_released == m_body.size())
                m_timer.stop();
            Q_EMIT readyRead();
        });
        m_timer.start(interval);
    }

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_released - m_read + QIODevice::bytesAvailable();
    }
    bool atEnd() const override { return m_read == m_body.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 size = qMin(maxSize, m_released - m_read);
        std::memcpy(data, m_body.constData() + m_read, size_t(size));
        m_read += size;
        return size;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_body;
    qsizetype m_pieceSize;
    qsizetype m_released = 0; // what the timer let out so far
    qsizetype m_read = 0;
    QTimer m_timer;
};

// The page served slowly, with a Content-Length so that the download
// reports its progress.
static void serveSlowly(QHttpServerResponder &responder)
{
    const QByteArray body = pageText();
    HttpServerCompat::writeStreamed(responder, new SlowBody(body, 40, 40ms),
                                    "text/plain; charset=utf-8", body.size());
}

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Fetches a page from QML through the Crochet reactor."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"url"_s, u"The page to fetch (default: a local server's)."_s);
    const QCommandLineOption screenshotOption(
        u"screenshot"_s, u"Save the window once the result is shown, then exit."_s, u"file"_s);
    parser.addOption(screenshotOption);
    parser.process(app);

    Crochet::setup();

    QHttpServer server;
    QUrl url;
    if (!parser.positionalArguments().isEmpty()) {
        url = QUrl::fromUserInput(parser.positionalArguments().constFirst());
    } else {
        server.route(u"/page"_s,
                     [](HttpServerCompat::Responder responder) { serveSlowly(responder); });
        const quint16 port = HttpServerCompat::listen(server, QHostAddress::LocalHost);
        if (port == 0) {
            qCritical("could not start the local server");
            return 1;
        }
        url = QUrl(u"http://127.0.0.1:%1/page"_s.arg(port));
    }

    Backend backend;
    QQmlApplicationEngine engine;
    engine.setInitialProperties(
        {{u"backend"_s, QVariant::fromValue(&backend)}, {u"initialUrl"_s, url.toString()}});
    engine.load(QUrl(u"qrc:/QmlFetch/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    std::unique_ptr<Screenshot> screenshot;
    if (parser.isSet(screenshotOption)) {
        screenshot = std::make_unique<Screenshot>(window, parser.value(screenshotOption));
        QObject::connect(window, SIGNAL(resultShown()), screenshot.get(), SLOT(take()));
    }
    return app.exec();
}

#include "main.moc"
