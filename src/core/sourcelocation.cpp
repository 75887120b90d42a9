// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// The records behind SourceLocation: one per place, made the first time
// the place is named, never freed (a program names a bounded number of
// places). They are kept in a fixed table of lists that only grow, by a
// compare-and-swap: naming a place takes no lock, so it is safe during
// static initialisation (wrappers made at namespace scope), in a fork()ed
// child, and from many threads at once; a place already named costs a
// short list walk.
//
// A record holds the pointers it was given: two records with equal
// pointers and line name the same place. The same file or function named
// through two different pointers (one string in two shared objects) makes
// two records for one place, which only costs memory.

#include <crochet/sourcelocation.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <new>

namespace Crochet {

namespace detail {

struct SourceLocationRecord
{
    const char *fileName;
    const char *functionName;
    int line;
    const SourceLocationRecord *next;
};

} // namespace detail

namespace {

using Record = detail::SourceLocationRecord;

constexpr int BucketBits = 7;
constexpr std::size_t Buckets = std::size_t(1) << BucketBits;
constinit std::array<std::atomic<const Record *>, Buckets> records{};

std::atomic<const Record *> &bucketOf(const char *fileName, int line)
{
    // Fibonacci hashing of the file's address (the same for every place of
    // one source file) and the line; the top bits are the best mixed.
    const auto key = reinterpret_cast<quintptr>(fileName) ^ quintptr(line);
    return records[(quint64(key) * 0x9E3779B97F4A7C15ull) >> (64 - BucketBits)];
}

} // namespace

SourceLocation SourceLocation::current(const char *fileName, int line,
                                       const char *functionName) noexcept
{
    std::atomic<const Record *> &bucket = bucketOf(fileName, line);
    const Record *head = bucket.load(std::memory_order_acquire);
    Record *made = nullptr;
    for (;;) {
        for (const Record *record = head; record; record = record->next) {
            if (record->line == line && record->fileName == fileName &&
                record->functionName == functionName) {
                delete made; // another thread made it first
                return SourceLocation(record);
            }
        }
        if (!made) {
            made = new (std::nothrow) Record{fileName, functionName, line, nullptr};
            if (!made)
                return SourceLocation();
        }
        made->next = head;
        // On failure head is the new head: search again from there.
        if (bucket.compare_exchange_weak(head, made, std::memory_order_release,
                                         std::memory_order_acquire)) {
            return SourceLocation(made);
        }
    }
}

const char *SourceLocation::fileName() const noexcept
{
    return m_record && m_record->fileName ? m_record->fileName : "";
}

int SourceLocation::line() const noexcept
{
    return m_record ? m_record->line : 0;
}

const char *SourceLocation::functionName() const noexcept
{
    return m_record && m_record->functionName ? m_record->functionName : "";
}

} // namespace Crochet
