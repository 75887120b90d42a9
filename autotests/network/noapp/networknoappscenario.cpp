// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The child process of tst_networknoapp: a plain main() that never creates a
// QCoreApplication (nor any other application object), sets Crochet up as a
// user would and runs one network scenario, named by its first argument,
// against the servers the test started. It prints what it saw to stdout for
// the test to compare; anything Qt or Crochet prints goes to stderr, which
// must stay empty. A failure is printed to stdout and exits with status 1.

#include "scenariotable.h"

#include <crochet/crochet.h>

#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QMetaEnum>
#include <QtCore/QStringList>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxyFactory>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;

namespace {

// How long one network call may take: far more than it needs on 127.0.0.1,
// and less than the test gives the whole child, so that a hang is reported
// from here, with what the child saw.
constexpr auto CallTimeout = 15s;
// Longer than this between two events that should follow at once is a bug.
constexpr qint64 PromptMs = 2000;

void print(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

QString codeName(QNetworkReply::NetworkError code)
{
    return QString::fromLatin1(
        QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(int(code)));
}

//! What the current exception is, in one line: its type and its message.
QString describeCurrentException()
{
    try {
        throw;
    } catch (const Crochet::NetworkError &error) {
        return QStringLiteral("NetworkError %1: %2").arg(codeName(error.code()), error.message());
    } catch (const Crochet::TimeoutError &error) {
        return QStringLiteral("TimeoutError: ") + error.message();
    } catch (const Crochet::ReactorStopped &error) {
        return QStringLiteral("ReactorStopped: ") + error.message();
    } catch (const Crochet::Error &error) {
        return QStringLiteral("Crochet::Error: ") + error.message();
    } catch (const std::exception &error) {
        return QStringLiteral("std::exception: ") + QString::fromLocal8Bit(error.what());
    } catch (...) {
        return QStringLiteral("an exception of an unknown type");
    }
}

//! "ok" when \a call returned; otherwise the type of what it threw
//! (with the code of a NetworkError) and no message.
template <typename Call>
QString outcomeOf(Call call)
{
    try {
        call();
        return QStringLiteral("ok");
    } catch (const Crochet::NetworkError &error) {
        return QStringLiteral("NetworkError ") + codeName(error.code());
    } catch (const Crochet::TimeoutError &) {
        return QStringLiteral("TimeoutError");
    } catch (const Crochet::ReactorStopped &) {
        return QStringLiteral("ReactorStopped");
    } catch (...) {
        return describeCurrentException();
    }
}

// Reactor thread: a plain GET through the reactor's manager.
QNetworkReply *get(const QUrl &url)
{
    return Crochet::networkAccessManager()->get(QNetworkRequest(url));
}

// Reactor thread: a GET that trusts the certificate authorities in the PEM
// file \a caPath besides the system's. The file is read here, not in main():
// Qt Network used in a thread of a process with no application object prints
// Qt's own warnings (QTlsBackend's plugin loader connects to the missing
// application), and Crochet answers for the reactor thread only.
QNetworkReply *getTrusting(const QUrl &url, const QString &caPath)
{
    const QList<QSslCertificate> authorities = QSslCertificate::fromPath(caPath);
    if (authorities.isEmpty())
        throw std::runtime_error("no certificate in " + caPath.toStdString());
    QNetworkRequest request(url);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.addCaCertificates(authorities);
    request.setSslConfiguration(configuration);
    return Crochet::networkAccessManager()->get(request);
}

const auto fetch = Crochet::waitFor(CallTimeout, &get);
const auto fetchTrusting = Crochet::waitFor(CallTimeout, &getTrusting);
const auto lookup = Crochet::waitFor(CallTimeout, &Crochet::lookupHost);

//! Three lines the test compares with what its server sent.
void printResponse(const Crochet::NetworkResponse &response)
{
    print(QStringLiteral("status: %1").arg(response.statusCode));
    print(QStringLiteral("size: %1").arg(response.body.size()));
    print(QStringLiteral("sha256: %1")
              .arg(QString::fromLatin1(
                  QCryptographicHash::hash(response.body, QCryptographicHash::Sha256).toHex())));
}

//! "promptly", or how late it was.
QString howSoon(qint64 elapsedMs)
{
    return elapsedMs < PromptMs ? QStringLiteral("promptly")
                                : QStringLiteral("after %1 ms").arg(elapsedMs);
}

// 1. A GET whose body the test checks byte for byte (by its SHA-256).
int getBytes(const QStringList &arguments)
{
    printResponse(fetch(QUrl(arguments.value(0))));
    Crochet::shutdown();
    return 0;
}

// 2. HTTPS with a certificate authority of the test's: the exact body with
// it, refused without it. Reading the CA is the first use of Qt's TLS in the
// process, in the reactor, before the reactor's network access manager.
int getOverTls(const QStringList &arguments)
{
    const QUrl url(arguments.value(0));
    printResponse(fetchTrusting(url, arguments.value(1)));
    // Qt keeps the connection object of a host and port, with the TLS
    // configuration it was made with, for later requests there: without
    // this, the next request would be checked with the CA again.
    Crochet::waitFor(CallTimeout,
                     [] { Crochet::networkAccessManager()->clearConnectionCache(); })();
    print(QStringLiteral("without the CA: %1").arg(outcomeOf([&] { fetch(url); })));
    Crochet::shutdown();
    return 0;
}

// 3. A name that resolves to a loopback address, and one that cannot resolve.
int lookupHosts(const QStringList &)
{
    const QList<QHostAddress> addresses = lookup(QStringLiteral("localhost"));
    const bool loopback = addresses.contains(QHostAddress(QHostAddress::LocalHost)) ||
                          addresses.contains(QHostAddress(QHostAddress::LocalHostIPv6));
    QStringList found;
    for (const QHostAddress &address : addresses)
        found += address.toString();
    print(QStringLiteral("localhost: %1")
              .arg(loopback ? QStringLiteral("a loopback address") : found.join(u", ")));
    print(QStringLiteral("nonexistent.invalid: %1").arg(outcomeOf([] {
        lookup(QStringLiteral("nonexistent.invalid"));
    })));
    Crochet::shutdown();
    return 0;
}

// 4. waitFor() runs out of time on a server that never answers: TimeoutError,
// and the reply is aborted. The child then stays alive until the test, having
// seen the server's side of the connection close, writes a line to its stdin:
// otherwise the process exit, not the abort, could be what closed it.
int timeoutAbortsReply(const QStringList &arguments)
{
    const auto fetchBriefly = Crochet::waitFor(300ms, &get);
    QElapsedTimer timer;
    timer.start();
    const QString outcome = outcomeOf([&] { fetchBriefly(QUrl(arguments.value(0))); });
    print(QStringLiteral("waitFor(300ms): %1, %2").arg(outcome, howSoon(timer.elapsed())));
    char line[16];
    if (!std::fgets(line, sizeof line, stdin))
        print(QStringLiteral("stdin closed before the test answered"));
    Crochet::shutdown();
    return 0;
}

// 5. shutdown() while a download is half done: a thread blocked in wait()
// wakes with ReactorStopped, and the process exits promptly.
int shutdownMidDownload(const QStringList &arguments)
{
    using Clock = std::chrono::steady_clock;
    const auto result = Crochet::runInReactor(&get)(QUrl(arguments.value(0)));
    QString outcome;
    Clock::time_point wokeAt;
    std::thread waiter([&] {
        outcome = outcomeOf([&] { result.wait(std::chrono::hours(1)); });
        wokeAt = Clock::now();
    });

    // Polling is the only way to see progress from a plain thread; the
    // deadline bounds it when the download never starts.
    const QDeadlineTimer deadline(CallTimeout);
    while (result.progress() <= 0 && !result.isReady() && !deadline.hasExpired())
        std::this_thread::sleep_for(10ms);
    const double progress = result.progress();
    const bool ready = result.isReady();
    print(QStringLiteral("downloading when shut down: %1")
              .arg(progress > 0 && progress < 1 && !ready
                       ? QStringLiteral("yes")
                       : QStringLiteral("no (progress %1, ready %2)")
                             .arg(progress)
                             .arg(ready ? "yes" : "no")));

    const auto shutdownAt = Clock::now();
    Crochet::shutdown();
    waiter.join();
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(wokeAt - shutdownAt);
    print(QStringLiteral("the waiting wait(): %1, %2")
              .arg(outcome,
                   latency < 0ms ? QStringLiteral("before shutdown") : howSoon(latency.count())));
    return 0;
}

// 6. A GET, then main() returns without shutdown(): the process must still
// exit with status 0, promptly and silently.
int exitWithoutShutdown(const QStringList &arguments)
{
    printResponse(fetch(QUrl(arguments.value(0))));
    return 0;
}

// Set by scenario 7: its manager's requests are stranded in a Qt thread that
// never runs, and Qt's objects for them are never freed. That is the point of
// the scenario, so LeakSanitizer, when present, does not check at its exit.
bool leaksByDesign = false;

} // namespace

extern "C" int __lsan_is_turned_off()
{
    return leaksByDesign ? 1 : 0;
}

namespace {

// 7. A QNetworkAccessManager of the user's own: its HTTP thread (Qt's) cannot
// run without an application object, so the call fails at once with a
// SetupError that names the fix, instead of waiting out its timeout.
int ownManager(const QStringList &arguments)
{
    leaksByDesign = true;
    const auto fetchWithOwnManager = Crochet::waitFor(CallTimeout, [](const QUrl &url) {
        static auto *manager = new QNetworkAccessManager(Crochet::networkAccessManager());
        return manager->get(QNetworkRequest(url));
    });
    QElapsedTimer timer;
    timer.start();
    QString outcome;
    try {
        fetchWithOwnManager(QUrl(arguments.value(0)));
        outcome = QStringLiteral("ok");
    } catch (const Crochet::SetupError &error) {
        const bool namesTheFix = error.message().contains(u"Crochet::networkAccessManager()") &&
                                 error.message().contains(u"QCoreApplication");
        outcome = QStringLiteral("SetupError, %1the fix named")
                      .arg(namesTheFix ? QString() : QStringLiteral("without "));
    } catch (...) {
        outcome = describeCurrentException();
    }
    print(QStringLiteral("own manager: %1, %2").arg(outcome, howSoon(timer.elapsed())));
    print(QStringLiteral("reactor's manager: %1").arg(outcomeOf([&] {
        fetch(QUrl(arguments.value(0)));
    })));
    Crochet::shutdown();
    return 0;
}

// 8. main() returns right after setup(), while the reactor thread may still
// be preparing Qt Network (its statics, its plugins): the process must exit
// with status 0, promptly and silently.
int exitRightAfterSetup(const QStringList &)
{
    return 0;
}

const CrochetTest::Scenario<int(const QStringList &arguments)> scenarios[] = {
    {"get-bytes", &getBytes},
    {"get-over-tls", &getOverTls},
    {"lookup-hosts", &lookupHosts},
    {"timeout-aborts-reply", &timeoutAbortsReply},
    {"shutdown-mid-download", &shutdownMidDownload},
    {"exit-without-shutdown", &exitWithoutShutdown},
    {"own-manager", &ownManager},
    {"exit-right-after-setup", &exitRightAfterSetup},
};

} // namespace

int main(int argc, char **argv)
{
    const auto *scenario = CrochetTest::scenarioNamed(scenarios, argc, argv);
    if (!scenario)
        return 2;
    QStringList arguments;
    for (int i = 2; i < argc; ++i)
        arguments += QString::fromLocal8Bit(argv[i]);
    // Everything the scenarios reach is on 127.0.0.1: no system proxy.
    QNetworkProxyFactory::setUseSystemConfiguration(false);
    Crochet::setup();
    try {
        return scenario->run(arguments);
    } catch (...) {
        print(QStringLiteral("failed: ") + describeCurrentException());
        return 1;
    }
}
