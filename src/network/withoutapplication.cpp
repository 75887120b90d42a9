// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// Qt Network keeps a few application-wide objects (the host lookup
// manager, the network backends and their plugin loader) in
// Q_APPLICATION_STATICs, which connect to QCoreApplication::destroyed when
// they are created so that they die with the application. With no
// application object that connect() fails, harmlessly, but prints
// "QObject::connect(QObject, Unknown): invalid nullptr parameter" (and
// "(QObject, QThreadPool)" for the host lookup manager's pool) on the
// category qt.core.qobject.connect: three to five lines on stderr in the
// middle of a program that did nothing wrong. Each object is created once,
// so creating them all at one known moment, in the reactor thread, with
// exactly those messages of exactly that thread held back, keeps stderr
// clean without hiding anything else. Every other message, from this
// thread or another, goes to the handler that was installed before.
//
// The reactor thread has this done first, before any call: a wrapped function
// may use any of Qt Network's classes first (QSslConfiguration loads the
// TLS backends), and the objects take only a few milliseconds to create.
//
// Host lookups made later print nothing either: lookupHost() calls
// QHostInfo::fromName(), and Qt's sockets connect their lookups by slot
// name; Qt only connects to the application object for lookups connected
// to a functor.

#include "withoutapplication_p.h"

#include "../core/coreservices_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtNetwork/QHostInfo>
#include <QtNetwork/QNetworkAccessManager>

#include <atomic>
#include <cstring>
#include <thread>

namespace Crochet::detail {

namespace {

std::atomic<QtMessageHandler> previousHandler{nullptr};
std::atomic<Qt::HANDLE> preparingThread{nullptr};

bool isApplicationStaticWarning(const QMessageLogContext &context, const QString &message)
{
    return context.category && std::strcmp(context.category, "qt.core.qobject.connect") == 0 &&
           message.endsWith(QLatin1String("invalid nullptr parameter")) &&
           (message.startsWith(QLatin1String("QObject::connect(QObject, Unknown)")) ||
            message.startsWith(QLatin1String("QObject::connect(QObject, QThreadPool)")));
}

void holdBackApplicationStaticWarnings(QtMsgType type, const QMessageLogContext &context,
                                       const QString &message)
{
    if (QThread::currentThreadId() == preparingThread.load(std::memory_order_acquire) &&
        isApplicationStaticWarning(context, message)) {
        return;
    }
    // Installed a moment before the previous handler is stored: a message
    // from another thread in between waits for it.
    QtMessageHandler previous;
    while (!(previous = previousHandler.load(std::memory_order_acquire)))
        std::this_thread::yield();
    previous(type, context, message);
}

// Registered at load time: the reactor thread runs it before any call.
[[maybe_unused]] const bool registered =
    (setReactorThreadStartHook(&prepareNetworkWithoutApplication), true);

//! Creates the statics, holding back their warnings; \a withTls: also the
//! backends' plugin loaders, which initialise OpenSSL.
void createApplicationStatics(bool withTls)
{
    preparingThread.store(QThread::currentThreadId(), std::memory_order_release);
    previousHandler.store(qInstallMessageHandler(&holdBackApplicationStaticWarnings),
                          std::memory_order_release);
    QHostInfo::abortHostLookup(-1); // the host lookup manager
    {
        QNetworkAccessManager probe; // the backends
        if (withTls)
            (void)probe.supportedSchemes(); // their plugin loader, and the TLS backends'
    }
    // With TLS this initialised OpenSSL, which registered its exit-time
    // clean-up just now. The reactor thread registers its own exit handler
    // after this hook (Reactor::setup()), so the reactor stops, and its
    // threads release their OpenSSL state, before that clean-up runs.
    // Put the previous handler back, unless someone replaced ours meanwhile.
    const QtMessageHandler ours = qInstallMessageHandler(previousHandler.load());
    if (ours != &holdBackApplicationStaticWarnings)
        qInstallMessageHandler(ours);
    preparingThread.store(nullptr, std::memory_order_release);
}

} // namespace

void prepareNetworkWithoutApplication()
{
    static std::atomic<bool> prepared{false};
    if (QCoreApplication::instance() || prepared.exchange(true))
        return;
    if (!isMainThreadKnown()) {
        // setup() ran in a worker before anything else touched Qt, and
        // main() may be creating its application object right now: a new
        // thread touching Qt here would become Qt's main thread meanwhile
        // (and the application would warn that it was not created in it).
        // The reactor thread never can; it leaves OpenSSL alone (see below),
        // so the TLS backends' loader may still print its one line later.
        createApplicationStatics(false);
        return;
    }
    // In a thread of its own, joined at once. Creating the TLS backends
    // initialises OpenSSL, which leaves an error-queue record behind in the
    // initialising thread that only that thread's exit frees
    // (OPENSSL_thread_stop() does not know it). A joined thread has freed
    // it before we go on; the reactor thread would free it only after
    // QThread::wait() returned, racing the process's exit (LeakSanitizer).
    std::thread([] { createApplicationStatics(true); }).join();
}

} // namespace Crochet::detail
