// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The C++ in the documentation builds and runs as written.
//
// At configure time (and again whenever one of them changes) CMake writes
// every ```cpp block of README.md and doc/*.md to a source file of its own,
// <build>/autotests/docsnippets/snippets/<document>-<heading>[-<n>].cpp:
// the document's name and the heading above the block up to its first ':'
// or '(', in lower case (readme-blocking-calls, qml-values); -2, -3 … for
// further blocks under one heading. See extractsnippets.cmake. Each block
// is one of two kinds, and the reader can tell which:
//
// - A program: it has an `int main(`. It is built exactly as written,
//   against Crochet::Crochet (and Crochet::Qml for doc/qml.md), with our
//   warnings as errors, and run here as a child process with a deadline:
//   expectations() says with which arguments and what it must print. A
//   program that needs a server takes its URL as its first argument (the
//   test passes one of a local server on 127.0.0.1 and an ephemeral port),
//   so that a reader can paste it and run it too. Each run must exit with 0
//   and print exactly what its expectation says: Qt messages are matched as
//   "<type>: <message>" lines (QT_MESSAGE_PATTERN), so a warning fails the
//   run unless the document says the program prints it and the expectation
//   lists it; standard output is compared as it is.
//
// - A fragment: its first line is a comment that starts with `// fragment`
//   and tells the reader what it assumes, e.g.
//       // fragment: in a function, once Crochet::setup() has run
//   It is compiled, not run (the build fails if it does not compile),
//   after fragmentcontext/<document>.h (or default.h), which gives it the
//   includes and the names it takes from the text around it. A fragment
//   that declares what only a namespace may hold (a line starting with
//   #include, template, class, struct or namespace) is compiled at
//   namespace scope; any other is the body of a member function of a
//   FragmentContext subclass, so it may use `this` and the context's
//   members. Unused variables are no error in fragments.
//
// A block that is neither fails everyBlockIsAProgramOrAFragment(), and so
// does a program with no expectation here. Other code blocks (```qml,
// ```cmake, ```sh) are not checked.

#include "pythonhttpserver.h"
#include "snippetlist.h"
#include "testhttpserver.h"

#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <functional>
#include <memory>

namespace {

//! A program is killed after this; all of them have shorter timeouts of
//! their own.
constexpr int ProgramDeadlineMs = 30000;

//! One run of a program, and what it must print.
struct Run
{
    QString tag;
    QStringList arguments;
    //! A regular expression that all of the standard error must match: the
    //! Qt messages, one "<type>: <message>" line each.
    QString messages;
    //! All of the standard output.
    QString output = {};
};

//! Where the programs' servers are.
struct Servers
{
    std::function<QUrl(const QString &)> test;   // TestHttpServer::url(path)
    std::function<QUrl(const QString &)> python; // PythonHttpServer::url(file name)
};

const QByteArray PythonFileContents = "Served by python3 -m http.server.\n";

//! "info: " lines, matched literally.
QString infoLines(const QStringList &lines)
{
    QString pattern;
    for (const QString &line : lines)
        pattern += QStringLiteral("info: ") + QRegularExpression::escape(line) + u'\n';
    return pattern;
}

/*!
    What each program must do, by snippet name. A program the docs gain
    needs an entry here; one they lose must leave it
    (everyExpectationHasAProgram()).
*/
QHash<QString, QList<Run>> expectations(const Servers &servers)
{
    QHash<QString, QList<Run>> runs;

    // The first example: looks up localhost, prints each address.
    const QString anyAddresses = QStringLiteral("(info: QHostAddress\\(\"[0-9a-fA-F.:]+\"\\)\n)*");
    runs[QStringLiteral("readme-crochet-for-qt")] = {
        {QStringLiteral("localhost"),
         {},
         anyAddresses + infoLines({QStringLiteral("QHostAddress(\"127.0.0.1\")")}) + anyAddresses},
    };

    // "Asynchronous calls": runInReactor + wait(), prints status and size.
    const QUrl bytes = servers.test(QStringLiteral("/bytes/1000"));
    const QUrl file = servers.python(QStringLiteral("hello.txt"));
    const QString fileSize = QString::number(PythonFileContents.size());
    runs[QStringLiteral("readme-asynchronous-calls")] = {
        {QStringLiteral("test server"),
         {bytes.toString()},
         infoLines({QStringLiteral("200 1000")})},
        {QStringLiteral("python3 http.server"),
         {file.toString()},
         infoLines({QStringLiteral("200 ") + fileSize})},
    };

    // "Qt Network from any thread": waitFor + a reply, prints status, final
    // URL and size.
    const QUrl redirect = servers.test(QStringLiteral("/redirect/1"));
    const QUrl redirected = servers.test(QStringLiteral("/redirect/0"));
    runs[QStringLiteral("readme-qt-network-from-any-thread")] = {
        {QStringLiteral("test server, redirected"),
         {redirect.toString()},
         infoLines({QStringLiteral("200 QUrl(\"%1\") 10").arg(redirected.toString())})},
        {QStringLiteral("python3 http.server"),
         {file.toString()},
         infoLines({QStringLiteral("200 QUrl(\"%1\") %2").arg(file.toString(), fileSize)})},
    };
    return runs;
}

QString where(const Snippet &snippet)
{
    return QStringLiteral("%1:%2 (%3)")
        .arg(QString::fromUtf8(snippet.document))
        .arg(snippet.line)
        .arg(QString::fromUtf8(snippet.name));
}

//! The programs' environment: Qt messages with their type, on standard
//! error, with Qt's default logging rules; no proxy for 127.0.0.1.
QProcessEnvironment programEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY",
                             "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "QT_LOGGING_RULES"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("QT_MESSAGE_PATTERN"), QStringLiteral("%{type}: %{message}"));
    environment.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    return environment;
}

} // namespace

class tst_DocSnippets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(std::size(snippets) > 0);
        QVERIFY(m_testServer.isListening());
        QVERIFY(m_directory.isValid());
        QFile file(m_directory.filePath(QStringLiteral("hello.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(PythonFileContents), PythonFileContents.size());
        file.close();
        m_pythonServer = std::make_unique<CrochetTest::PythonHttpServer>(m_directory.path());
        QVERIFY2(m_pythonServer->start(), qPrintable(m_pythonServer->errorString()));
    }

    void cleanupTestCase() { m_pythonServer.reset(); }

    void everyBlockIsAProgramOrAFragment()
    {
        QStringList unmarked;
        for (const Snippet &snippet : snippets) {
            if (snippet.kind == Kind::unmarked)
                unmarked += where(snippet);
        }
        QVERIFY2(unmarked.isEmpty(),
                 qPrintable(QStringLiteral("neither `int main(` nor a first line "
                                           "`// fragment…`: %1")
                                .arg(unmarked.join(QStringLiteral(", ")))));
    }

    void everyExpectationHasAProgram()
    {
        QStringList programs;
        for (const Snippet &snippet : snippets) {
            if (snippet.kind == Kind::program)
                programs += QString::fromUtf8(snippet.name);
        }
        const auto runs = expectations(servers());
        for (auto it = runs.cbegin(); it != runs.cend(); ++it)
            QVERIFY2(programs.contains(it.key()),
                     qPrintable(it.key() + QStringLiteral(" is no program of the docs")));
    }

    void programs_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("where");
        QTest::addColumn<bool>("expected");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("messages");
        QTest::addColumn<QString>("output");
        const auto runs = expectations(servers());
        bool any = false;
        for (const Snippet &snippet : snippets) {
            if (snippet.kind != Kind::program)
                continue;
            any = true;
            const QString name = QString::fromUtf8(snippet.name);
            const QString program = QString::fromUtf8(snippet.program);
            if (!runs.contains(name)) {
                QTest::addRow("%s", snippet.name) << program << where(snippet) << false
                                                  << QStringList() << QString() << QString();
                continue;
            }
            for (const Run &run : runs.value(name)) {
                QTest::addRow("%s: %s", snippet.name, qPrintable(run.tag))
                    << program << where(snippet) << true << run.arguments << run.messages
                    << run.output;
            }
        }
        if (!any)
            QSKIP("the docs have no programs");
    }

    void programs()
    {
        QFETCH(QString, program);
        QFETCH(QString, where);
        QFETCH(bool, expected);
        QFETCH(QStringList, arguments);
        QFETCH(QString, messages);
        QFETCH(QString, output);
        if (!expected)
            QFAIL(qPrintable(where + QStringLiteral(": a program with no expectation in "
                                                    "tst_docsnippets.cpp")));

        QProcess process;
        process.setProcessEnvironment(programEnvironment());
        process.start(program, arguments);
        if (!process.waitForFinished(ProgramDeadlineMs)) {
            const QString state =
                process.state() == QProcess::NotRunning
                    ? process.errorString()
                    : QStringLiteral("did not finish in %1 s").arg(ProgramDeadlineMs / 1000);
            process.kill();
            process.waitForFinished(ProgramDeadlineMs);
            QFAIL(qPrintable(QStringLiteral("%1 %2: %3; its standard error:\n%4")
                                 .arg(where, arguments.join(u' '), state,
                                      QString::fromLocal8Bit(process.readAllStandardError()))));
        }
        const QString errors = QString::fromLocal8Bit(process.readAllStandardError());
        const QString printed = QString::fromLocal8Bit(process.readAllStandardOutput());
        const QString context = QStringLiteral("%1 %2\n--- standard error:\n%3--- standard "
                                               "output:\n%4---")
                                    .arg(where, arguments.join(u' '), errors, printed);
        QVERIFY2(process.exitStatus() == QProcess::NormalExit,
                 qPrintable(QStringLiteral("crashed: ") + context));
        QVERIFY2(process.exitCode() == 0,
                 qPrintable(QStringLiteral("exit status %1: ").arg(process.exitCode()) + context));
        const QRegularExpression pattern(QRegularExpression::anchoredPattern(messages));
        QVERIFY2(pattern.isValid(), qPrintable(pattern.errorString()));
        QVERIFY2(pattern.match(errors).hasMatch(),
                 qPrintable(QStringLiteral("standard error does not match /%1/: ").arg(messages) +
                            context));
        QVERIFY2(
            printed == output,
            qPrintable(QStringLiteral("standard output is not \"%1\": ").arg(output) + context));
    }

private:
    Servers servers() const
    {
        return {[this](const QString &path) { return m_testServer.url(path); },
                [this](const QString &file) { return m_pythonServer->url(file); }};
    }

    CrochetTest::TestHttpServer m_testServer;
    QTemporaryDir m_directory;
    std::unique_ptr<CrochetTest::PythonHttpServer> m_pythonServer;
};

QTEST_GUILESS_MAIN(tst_DocSnippets)
#include "tst_docsnippets.moc"
