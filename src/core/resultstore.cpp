// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include "resultstore_p.h"

#include <crochet/errors.h>
#include <crochet/eventualresult.h>

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
    std::vector<Ref<ResultStateBase>> states;
    {
        std::lock_guard guard(m_mutex);
        for (const auto &[uid, entry] : m_entries) {
            entry.state->ref();
            states.push_back(Ref<ResultStateBase>::adopt(entry.state));
        }
    }
    for (const auto &state : states)
        state->logIfUnretrieved("Unhandled error in stashed EventualResult:");
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
