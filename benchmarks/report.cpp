// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "bench.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonValue>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace Bench {

double Samples::median() const
{
    if (values.empty())
        return std::nan("");
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const size_t middle = sorted.size() / 2;
    return sorted.size() % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

double Samples::min() const
{
    return values.empty() ? std::nan("") : *std::min_element(values.begin(), values.end());
}

double Samples::max() const
{
    return values.empty() ? std::nan("") : *std::max_element(values.begin(), values.end());
}

QString Samples::text(int precision) const
{
    return QStringLiteral("%1 [%2..%3]")
        .arg(number(median(), precision), number(min(), precision), number(max(), precision));
}

double percentile(std::vector<double> &values, double p)
{
    if (values.empty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const double rank = p / 100.0 * double(values.size() - 1);
    const auto below = size_t(std::floor(rank));
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (rank - double(below)) * (values[above] - values[below]);
}

QString number(double value, int precision)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', precision);
}

void printHeading(const QString &title)
{
    std::printf("\n== %s\n", qPrintable(title));
    std::fflush(stdout);
}

void printNote(const QString &text)
{
    std::printf("   %s\n", qPrintable(text));
    std::fflush(stdout);
}

void Table::print() const
{
    std::vector<qsizetype> widths;
    for (const QStringList &row : m_rows) {
        widths.resize(std::max<size_t>(widths.size(), size_t(row.size())));
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    for (size_t r = 0; r < m_rows.size(); ++r) {
        QString line = QStringLiteral("  ");
        for (qsizetype i = 0; i < m_rows[r].size(); ++i) {
            // The first column is a label: left-aligned; figures right-aligned.
            line += i == 0 ? m_rows[r][i].leftJustified(widths[i])
                           : m_rows[r][i].rightJustified(widths[i] + 2);
        }
        std::printf("%s\n", qPrintable(line));
        if (r == 0) {
            qsizetype total = 0;
            for (qsizetype width : widths)
                total += width + 2;
            std::printf("  %s\n", qPrintable(QString(total, QLatin1Char('-'))));
        }
    }
    std::fflush(stdout);
}

void Report::set(const QString &path, double value)
{
    const QStringList keys = path.split(QLatin1Char('.'));
    // QJsonObject has value semantics: rebuild the chain of objects from
    // the leaf up.
    std::vector<QJsonObject> chain{m_root};
    for (qsizetype i = 0; i + 1 < keys.size(); ++i)
        chain.push_back(chain.back().value(keys[i]).toObject());
    QJsonValue leaf = std::isnan(value) ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
    for (qsizetype i = keys.size() - 1; i >= 0; --i) {
        chain[size_t(i)].insert(keys[i], leaf);
        leaf = chain[size_t(i)];
    }
    m_root = leaf.toObject();
}

void Report::setNull(const QString &path)
{
    set(path, std::nan(""));
}

void Report::addTarget(const QString &name, const QString &measurement, double measured,
                       double limit, bool atLeast)
{
    m_targets.push_back({name, measurement, measured, limit, atLeast});
}

void Report::printTargets() const
{
    printHeading(QStringLiteral("Targets (issues 5 and 11)"));
    Table table({QStringLiteral("target"), QStringLiteral("measured"), QStringLiteral("limit"),
                 QStringLiteral("met")});
    for (const Target &target : m_targets) {
        const bool measured = !std::isnan(target.measured);
        const bool met =
            target.atLeast ? target.measured >= target.limit : target.measured <= target.limit;
        table.addRow({target.name + QStringLiteral(": ") + target.measurement,
                      number(target.measured, 2),
                      (target.atLeast ? QStringLiteral(">= ") : QStringLiteral("<= ")) +
                          number(target.limit, 2),
                      !measured ? QStringLiteral("n/a")
                      : met     ? QStringLiteral("yes")
                                : QStringLiteral("NO")});
    }
    table.print();
}

bool Report::writeJson(const QString &fileName) const
{
    QFile file(fileName);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(QJsonDocument(m_root).toJson(QJsonDocument::Indented)) > 0;
}

} // namespace Bench
