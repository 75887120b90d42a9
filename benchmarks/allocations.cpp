// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
//
// A counting global operator new/delete. Replacing it here replaces it for
// the whole process, Qt and Crochet included; the memory and failures
// families turn the counting on around their measurements (HeapMeter).

#include "bench.h"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

// Off except while a measurement runs: the other families then pay one
// relaxed load of a never-written flag per allocation.
std::atomic<bool> counting{false};
std::atomic<long long> countedBytes{0};
std::atomic<long long> countedAllocations{0};

void *countedAllocate(std::size_t size, std::size_t alignment)
{
    void *block =
        alignment > alignof(std::max_align_t)
            ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
            : std::malloc(size ? size : 1);
    if (!block)
        throw std::bad_alloc();
    if (counting.load(std::memory_order_relaxed)) {
        countedBytes.fetch_add(static_cast<long long>(malloc_usable_size(block)),
                               std::memory_order_relaxed);
        countedAllocations.fetch_add(1, std::memory_order_relaxed);
    }
    return block;
}

void countedFree(void *block) noexcept
{
    if (!block)
        return;
    if (counting.load(std::memory_order_relaxed))
        countedBytes.fetch_sub(static_cast<long long>(malloc_usable_size(block)),
                               std::memory_order_relaxed);
    std::free(block);
}

} // namespace

void *operator new(std::size_t size)
{
    return countedAllocate(size, 0);
}

void *operator new[](std::size_t size)
{
    return countedAllocate(size, 0);
}

void *operator new(std::size_t size, std::align_val_t alignment)
{
    return countedAllocate(size, std::size_t(alignment));
}

void *operator new[](std::size_t size, std::align_val_t alignment)
{
    return countedAllocate(size, std::size_t(alignment));
}

void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    try {
        return countedAllocate(size, 0);
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
}

void *operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
    try {
        return countedAllocate(size, 0);
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
}

void operator delete(void *block) noexcept
{
    countedFree(block);
}

void operator delete[](void *block) noexcept
{
    countedFree(block);
}

void operator delete(void *block, std::size_t) noexcept
{
    countedFree(block);
}

void operator delete[](void *block, std::size_t) noexcept
{
    countedFree(block);
}

void operator delete(void *block, std::align_val_t) noexcept
{
    countedFree(block);
}

void operator delete[](void *block, std::align_val_t) noexcept
{
    countedFree(block);
}

void operator delete(void *block, std::size_t, std::align_val_t) noexcept
{
    countedFree(block);
}

void operator delete[](void *block, std::size_t, std::align_val_t) noexcept
{
    countedFree(block);
}

namespace Bench {

void startCountingAllocations()
{
    countedBytes.store(0);
    countedAllocations.store(0);
    counting.store(true);
}

AllocationCount stopCountingAllocations()
{
    counting.store(false);
    return {countedBytes.load(), countedAllocations.load()};
}

namespace {

long long heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return static_cast<long long>(info.uordblks + info.hblkhd);
}

} // namespace

void HeapMeter::start()
{
    startCountingAllocations();
    m_heapBefore = heapInUse();
}

Footprint HeapMeter::stop(std::size_t handleBytes)
{
    const long long heapAfter = heapInUse();
    const AllocationCount count = stopCountingAllocations();
    Footprint footprint;
    footprint.heapBytes = double(heapAfter - m_heapBefore) / m_objects + double(handleBytes);
    footprint.newBytes = double(count.bytes) / m_objects + double(handleBytes);
    footprint.newAllocations = double(count.allocations) / m_objects;
    return footprint;
}

} // namespace Bench
