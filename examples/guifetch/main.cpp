// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Qt Widgets and the reactor: a window starts a coroutine in the reactor
// with runInReactor() and shows its result with EventualResult::then() and
// onFailed(), on the GUI thread. The coroutine looks each host up, fetches
// the pages one after the other and pauses between them; the GUI thread
// never waits for any of it. A heartbeat line shows the longest pause of
// the GUI thread's event loop while it all runs; Cancel stops the coroutine
// wherever it is suspended (the reply is aborted).
//
// Usage: guifetch [URL...] [--auto]
// Without URLs it fetches slow pages from a local server it starts itself.
// With --auto it clicks Fetch, prints the result and the longest pause, and
// exits (status 0 when the pages came, 2 when the fetch failed); it runs
// with QT_QPA_PLATFORM=offscreen.

#include "httpservercompat.h"

#include <crochet/crochet.h>
#include <crochet/network.h>
#include <crochet/task.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtHttpServer/QHttpServer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>
#include <QtWidgets/QWidget>

#include <optional>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

// The coroutine runs in the reactor thread; each co_await lets the reactor
// do other work until the lookup, the reply or the pause is over.
static const auto fetchAll =
    Crochet::runInReactor([](const QList<QUrl> &urls) -> Crochet::Task<QStringList> {
        QStringList lines;
        for (const QUrl &url : urls) {
            const QList<QHostAddress> addresses = co_await Crochet::lookupHost(url.host());
            const Crochet::NetworkResponse response =
                co_await Crochet::networkAccessManager()->get(QNetworkRequest(url));
            lines << u"%1 (%2): HTTP %3, %4 bytes"_s
                         .arg(url.toDisplayString(), addresses.value(0).toString())
                         .arg(response.statusCode)
                         .arg(response.body.size());
            co_await Crochet::sleep(100ms);
        }
        co_return lines;
    });

class FetchWindow : public QWidget
{
public:
    explicit FetchWindow(const QList<QUrl> &urls)
        : m_urls(urls)
    {
        setWindowTitle(u"Crochet: fetching from the GUI thread"_s);
        auto *fetchButton = new QPushButton(u"Fetch"_s);
        auto *cancelButton = new QPushButton(u"Cancel"_s);
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(fetchButton);
        buttons->addWidget(cancelButton);
        auto *layout = new QVBoxLayout(this);
        layout->addLayout(buttons);
        layout->addWidget(&m_status);
        layout->addWidget(&m_output);
        layout->addWidget(&m_heartbeat);
        m_output.setReadOnly(true);
        connect(fetchButton, &QPushButton::clicked, this, &FetchWindow::fetch);
        connect(cancelButton, &QPushButton::clicked, this, &FetchWindow::cancel);

        // Ticks every 10 ms: a blocked GUI thread would show as a long pause.
        m_sinceTick.start();
        connect(&m_ticker, &QTimer::timeout, this, [this] {
            m_longestPause = qMax(m_longestPause, m_sinceTick.restart());
            m_heartbeat.setText(
                u"GUI thread: longest pause between 10 ms ticks: %1 ms"_s.arg(m_longestPause));
        });
        m_ticker.start(10);
    }

    void fetch()
    {
        if (m_pending)
            return;
        m_status.setText(u"Fetching %1 pages in the reactor..."_s.arg(m_urls.size()));
        m_output.clear();
        // Returns at once; the continuations run here, on the GUI thread,
        // and never if this window is destroyed first.
        m_pending = fetchAll(m_urls);
        m_pending
            ->then(this,
                   [this](const QStringList &lines) {
                       m_pending.reset();
                       m_status.setText(u"Done."_s);
                       m_output.setPlainText(lines.join(u'\n'));
                       finished(true);
                   })
            .onFailed(this, [this](const Crochet::Failure &failure) {
                m_pending.reset();
                m_status.setText(u"Failed: %1: %2"_s.arg(failure.typeName(), failure.message()));
                finished(false);
            });
    }

    void cancel()
    {
        // Never blocks: the result becomes CancelledError (onFailed shows it)
        // and the coroutine is destroyed where it is suspended.
        if (m_pending)
            m_pending->cancel();
    }

    //! --auto: prints the outcome and quits once the fetch is over.
    void quitWhenFinished() { m_quitWhenFinished = true; }

private:
    void finished(bool succeeded)
    {
        if (!m_quitWhenFinished)
            return;
        qInfo().noquote()
            << QStringList{m_status.text(), m_output.toPlainText(), m_heartbeat.text()}.join(u'\n');
        QCoreApplication::exit(succeeded ? 0 : 2);
    }

    QList<QUrl> m_urls;
    std::optional<Crochet::EventualResult<QStringList>> m_pending;
    QLabel m_status{u"Press Fetch."_s};
    QPlainTextEdit m_output;
    QLabel m_heartbeat;
    QTimer m_ticker;
    QElapsedTimer m_sinceTick;
    qint64 m_longestPause = 0;
    bool m_quitWhenFinished = false;
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Fetches pages through the Crochet reactor from a "
                                     u"Qt Widgets window."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"urls"_s, u"The pages to fetch (default: a local server's)."_s,
                                 u"[URL...]"_s);
    const QCommandLineOption autoOption(u"auto"_s, u"Fetch at once, print the result, exit."_s);
    parser.addOption(autoOption);
    parser.process(app);

    // The reactor gets a thread of its own; the GUI thread stays free.
    Crochet::setup();

    QHttpServer server;
    QList<QUrl> urls;
    for (const QString &argument : parser.positionalArguments())
        urls << QUrl::fromUserInput(argument);
    if (urls.isEmpty()) {
        // Each page is answered after 300 ms, by a timer: a slow server that
        // keeps this (GUI) thread free too.
        server.route(u"/page/<arg>"_s, [](int number, HttpServerCompat::Responder responder) {
            auto sender = std::make_shared<QHttpServerResponder>(std::move(responder));
            QTimer::singleShot(300ms, [sender, number] {
                sender->write(u"page %1\n"_s.arg(number).toUtf8().repeated(50), "text/plain");
            });
        });
        const quint16 port = HttpServerCompat::listen(server, QHostAddress::LocalHost);
        if (port == 0) {
            qCritical("could not start the local server");
            return 1;
        }
        for (int page = 1; page <= 3; ++page)
            urls << QUrl(u"http://localhost:%1/page/%2"_s.arg(port).arg(page));
    }

    FetchWindow window(urls);
    window.resize(640, 320);
    window.show();
    if (parser.isSet(autoOption)) {
        window.quitWhenFinished();
        QTimer::singleShot(0, &window, &FetchWindow::fetch);
    }
    return app.exec();
}
