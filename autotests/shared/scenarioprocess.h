// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Runs a scenario program (a child process of a test, such as exitscenario)
// with a deadline, and collects what it printed and how it exited, for tests
// of what is process-wide: setup, shutdown, process exit, no application.

#include <QtCore/QByteArray>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

#include <initializer_list>

namespace CrochetTest {

//! How a child process ended, and what it printed.
struct ChildResult
{
    //! False when it did not start, or hung and was killed.
    bool finished = false;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    int exitCode = -1;
    qint64 elapsedMs = 0;
    QByteArray output;
    QByteArray errors;

    //! Its stdout and stderr, labelled, for a failure message.
    QByteArray report() const { return "stdout:\n" + output + "stderr:\n" + errors; }

    /*!
        An empty string when the child finished normally with status 0,
        within \a maxElapsedMs (when not negative), printed \a expectedOutput
        and nothing on stderr; otherwise what went wrong, with its output.
    */
    QByteArray problems(const QByteArray &expectedOutput, qint64 maxElapsedMs = -1) const;
};

/*!
    One run of a scenario program: started by the constructor, with every Qt
    message going to its stderr in plain form, and dying with the test; it
    has \a hangMs from its start to finish. Killed by the destructor if a
    failed test left it running.
*/
class ScenarioProcess
{
public:
    ScenarioProcess(const QString &program, const QStringList &arguments, int hangMs);
    ~ScenarioProcess();
    ScenarioProcess(const ScenarioProcess &) = delete;
    ScenarioProcess &operator=(const ScenarioProcess &) = delete;

    bool isRunning() const { return m_process.state() == QProcess::Running; }

    //! What the child printed on stdout so far.
    QByteArray output();

    //! Waits, until the child's deadline, for its first complete line of output.
    bool waitForFirstLine();

    //! Sends the child the line "go" on its stdin and closes it.
    void answer();

    //! Waits, until the child's deadline, for it to exit; kills it if it does not.
    ChildResult finish();

private:
    QProcess m_process;
    int m_hangMs;
    QDeadlineTimer m_deadline;
    QElapsedTimer m_timer;
    QByteArray m_output;
};

//! Runs \a program with \a arguments until it exits, or for \a hangMs at most.
ChildResult runChild(const QString &program, const QStringList &arguments, int hangMs);

//! The expected output of a child that prints \a texts, one a line.
QByteArray lines(std::initializer_list<QByteArray> texts);

} // namespace CrochetTest
