// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "resultstore_p.h"

#include <crochet/errors.h>
#include <crochet/eventualresult.h>

#include <algorithm>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

namespace Crochet::detail {

ResultStore::~ResultStore()
{
    for (auto &[uid, entry] : m_entries)
        entry.state->releaseHandle();
}

ResultStore &ResultStore::global()
{
    // Never destroyed: the reactor logs stashed failures while statics are
    // torn down at exit, and a stashed value may outlive any static order.
    static ResultStore *const store = new ResultStore;
    return *store;
}

quint64 ResultStore::stash(ResultStateBase *state, const std::type_info &type)
{
    state->addHandle();
    std::lock_guard guard(m_mutex);
    const quint64 uid = ++m_lastUid;
    m_entries.emplace(uid, Entry{state, &type});
    return uid;
}

ResultStateBase *ResultStore::take(quint64 uid, const std::type_info &type)
{
    std::lock_guard guard(m_mutex);
    const auto it = m_entries.find(uid);
    if (it == m_entries.end()) {
        throw ResultNotFound(
            QStringLiteral("retrieveResult(%1): no such stashed result (unknown uid, or it was "
                           "already retrieved)")
                .arg(uid));
    }
    if (*it->second.type != type) {
        throw ResultNotFound(QStringLiteral("retrieveResult(%1): the stashed result has another "
                                            "type; it stays stashed")
                                 .arg(uid));
    }
    ResultStateBase *state = it->second.state;
    m_entries.erase(it);
    return state;
}

void ResultStore::logFailures()
{
    // The oldest first, so that the failures logged in full are the first
    // ones stashed.
    std::vector<std::pair<quint64, Ref<ResultStateBase>>> states;
    {
        std::lock_guard guard(m_mutex);
        states.reserve(m_entries.size());
        for (const auto &[uid, entry] : m_entries) {
            entry.state->ref();
            states.emplace_back(uid, Ref<ResultStateBase>::adopt(entry.state));
        }
    }
    std::sort(states.begin(), states.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });

    // A program that stashed thousands of failures would otherwise write a
    // warning with a whole traceback for each: the rest are counted by type.
    constexpr int LoggedInFull = 10;
    int logged = 0;
    qsizetype summed = 0;
    // Keyed by type_index: the type_info objects of one type in two
    // libraries may differ, their names do not.
    std::unordered_map<std::type_index, std::pair<const std::type_info *, qsizetype>> countByType;
    for (const auto &[uid, state] : states) {
        if (logged < LoggedInFull) {
            if (state->logIfUnretrieved("Unhandled error in stashed EventualResult:"))
                ++logged;
        } else if (const std::exception_ptr error = state->claimUnloggedFailure()) {
            // libstdc++'s exception_ptr knows the type of what it holds.
            const std::type_info &type = *error.__cxa_exception_type();
            ++countByType.try_emplace(type, &type, 0).first->second.second;
            ++summed;
        }
    }
    if (summed == 0)
        return;

    std::vector<std::pair<QString, qsizetype>> counts;
    for (const auto &[index, typeAndCount] : countByType)
        counts.emplace_back(typeNameOf(*typeAndCount.first), typeAndCount.second);
    // The most frequent first; equal counts by name, so that the text is stable.
    std::sort(counts.begin(), counts.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    QStringList parts;
    for (const auto &[name, count] : counts)
        parts.append(QStringLiteral("%1 %2").arg(count).arg(name));
    qCWarning(logging()).noquote().nospace()
        << "... and " << summed << " more stashed failures nobody retrieved (only the first "
        << LoggedInFull << " are logged in full): " << parts.join(QStringLiteral(", "));
}

void ResultStore::resetLockAfterFork() noexcept
{
    new (&m_mutex) std::mutex;
}

quint64 stashState(ResultStateBase *state, const std::type_info &type)
{
    return ResultStore::global().stash(state, type);
}

ResultStateBase *takeStashed(quint64 uid, const std::type_info &type)
{
    return ResultStore::global().take(uid, type);
}

} // namespace Crochet::detail
