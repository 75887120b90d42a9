// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "scenarioprocess.h"

#include "childprocess.h"

namespace CrochetTest {

QByteArray ChildResult::problems(const QByteArray &expectedOutput, qint64 maxElapsedMs) const
{
    if (!finished)
        return "the child did not start, or hung and was killed after " +
               QByteArray::number(elapsedMs) + " ms\n" + report();
    if (exitStatus != QProcess::NormalExit)
        return "the child crashed\n" + report();
    if (output != expectedOutput)
        return "unexpected stdout; expected:\n" + expectedOutput + report();
    if (!errors.isEmpty())
        return "the child printed on stderr\n" + report();
    if (exitCode != 0)
        return "exit status " + QByteArray::number(exitCode) + '\n' + report();
    if (maxElapsedMs >= 0 && elapsedMs > maxElapsedMs)
        return "the child took " + QByteArray::number(elapsedMs) + " ms, more than " +
               QByteArray::number(maxElapsedMs) + '\n' + report();
    return {};
}

ScenarioProcess::ScenarioProcess(const QString &program, const QStringList &arguments, int hangMs)
    : m_hangMs(hangMs)
    , m_deadline(hangMs)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Every Qt warning must reach stderr (not journald), unfiltered.
    environment.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    environment.remove(QStringLiteral("QT_LOGGING_RULES"));
    environment.remove(QStringLiteral("QT_MESSAGE_PATTERN"));
    environment.remove(QStringLiteral("QT_FATAL_WARNINGS"));
    m_process.setProcessEnvironment(environment);
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    dieWithParent(m_process);
    m_timer.start();
    m_process.start();
}

ScenarioProcess::~ScenarioProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(m_hangMs);
    }
}

QByteArray ScenarioProcess::output()
{
    m_output += m_process.readAllStandardOutput();
    return m_output;
}

bool ScenarioProcess::waitForFirstLine()
{
    while (!output().contains('\n')) {
        if (m_process.state() == QProcess::NotRunning || m_deadline.hasExpired())
            return false;
        m_process.waitForReadyRead(int(qMax<qint64>(1, m_deadline.remainingTime())));
    }
    return true;
}

void ScenarioProcess::answer()
{
    m_process.write("go\n");
    m_process.closeWriteChannel();
}

ChildResult ScenarioProcess::finish()
{
    ChildResult result;
    if (m_process.state() != QProcess::NotRunning) {
        result.finished =
            m_process.waitForFinished(int(qMax<qint64>(1, m_deadline.remainingTime())));
    } else {
        result.finished = m_process.error() != QProcess::FailedToStart;
    }
    result.elapsedMs = m_timer.elapsed();
    if (!result.finished) {
        m_process.kill();
        m_process.waitForFinished(m_hangMs);
    }
    result.exitStatus = m_process.exitStatus();
    result.exitCode = m_process.exitCode();
    result.output = output();
    result.errors = m_process.readAllStandardError();
    if (m_process.error() == QProcess::FailedToStart)
        result.errors +=
            "(the test) could not start the child: " + m_process.errorString().toUtf8() + '\n';
    return result;
}

ChildResult runChild(const QString &program, const QStringList &arguments, int hangMs)
{
    ScenarioProcess child(program, arguments, hangMs);
    return child.finish();
}

QByteArray lines(std::initializer_list<QByteArray> texts)
{
    QByteArray joined;
    for (const QByteArray &text : texts)
        joined += text + '\n';
    return joined;
}

} // namespace CrochetTest
