// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the process-wide store behind stash() / retrieveResult().

#include <crochet/detail/resultstate.h>

#include <mutex>
#include <typeinfo>
#include <unordered_map>

namespace Crochet::detail {

/*!
    Keeps stashed results by uid. Each entry holds a handle, so a stashed
    result lives (and its failure counts as unretrieved) until taken back.
    Thread-safe.
*/
class ResultStore
{
public:
    ~ResultStore();
    static ResultStore &global();

    quint64 stash(ResultStateBase *state, const std::type_info &type);
    //! Throws ResultNotFound; a wrong type leaves the entry in place.
    ResultStateBase *take(quint64 uid, const std::type_info &type);
    //! At shutdown: logs the stashed failures nobody retrieved, the first
    //! ten stashed one warning each, then one warning counting the rest by type.
    void logFailures();
    //! In a fork()ed child: the lock may have been held by a vanished thread.
    void resetLockAfterFork() noexcept;

private:
    struct Entry
    {
        ResultStateBase *state;
        const std::type_info *type;
    };
    std::mutex m_mutex;
    std::unordered_map<quint64, Entry> m_entries;
    quint64 m_lastUid = 0;
};

} // namespace Crochet::detail
