// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Private: the reactor's stack where a failure was caught, kept as return
// addresses and turned into text only when someone reads it.

#include <QtCore/QString>

#include <atomic>
#include <span>

namespace Crochet::detail {

/*!
    The return addresses of a thread's stack, captured when a failure is
    recorded and turned into text only when it is read (Failure::traceback(),
    or when the failure is logged). Capturing walks the unwind tables that
    exceptions use: no symbol lookup, no text. It costs about 2,000
    instructions a frame, so it walks no further than it must: out to the
    reactor's batch of calls (see CaptureBoundary), or MaxFrames.

    One block, allocated at its exact size (a header and the addresses after
    it), immutable once made and shared by reference counting between a
    result state and the Failure copies made from it. Any thread.
    Implemented in capturedstack_linux.cpp (the unwinder, dladdr(), ELF
    symbol tables).
*/
class CapturedStack
{
public:
    //! The most frames kept, when no CaptureBoundary stops the walk sooner.
    //! Past the innermost frames of the event loop, the stack (glib,
    //! QThread, libc) says nothing.
    static constexpr int MaxFrames = 16;

    CapturedStack(const CapturedStack &) = delete;
    CapturedStack &operator=(const CapturedStack &) = delete;

    /*!
        Captures the calling thread's stack from the frame whose return
        address is \a from outward (pass __builtin_return_address(0) to start
        at the caller's caller), up to the innermost CaptureBoundary of the
        thread or MaxFrames. Returns a block holding one reference, or
        nullptr when no stack can be had. Never throws.
    */
    static const CapturedStack *capture(const void *from) noexcept;

    void ref() const noexcept { m_refs.fetch_add(1, std::memory_order_relaxed); }
    //! Drops a reference; the last one frees the block.
    void deref() const noexcept;

    //! The return addresses, innermost first.
    std::span<void *const> frames() const noexcept;
    //! Whether the stack went deeper than the frames kept (MaxFrames reached).
    bool isTruncated() const noexcept { return m_truncated; }

    /*!
        The frames as text, outermost first (the most recent call last), one
        line each: "    #N function (object+0xoffset)". Function names are
        demangled, looked up in the object's symbol table (its .symtab, which
        also names functions that are not exported, when the file has one) or
        its dynamic symbols. Reads files: meant for traceback() and logging,
        not for hot paths.
    */
    QString toText() const;

private:
    CapturedStack(int count, bool truncated) noexcept
        : m_count(quint16(count))
        , m_truncated(truncated)
    {}
    ~CapturedStack() = default;

    mutable std::atomic<int> m_refs{1};
    quint16 m_count;
    bool m_truncated;
    // The m_count addresses follow in the same block.
};

/*!
    While it lives, CapturedStack::capture() in this thread walks the stack
    out to the function whose frame address is \a frame, and no further:
    pass __builtin_frame_address(0), the real stack also under a
    sanitizer's fake stacks. The reactor makes one around each batch of
    calls: a failing call's stack then shows the call, not the event loop
    that delivered it, and costs three frames instead of MaxFrames. Nests
    (a call that runs an event loop of its own: its stack shows the inner
    batch only).
*/
class CaptureBoundary
{
public:
    explicit CaptureBoundary(const void *frame) noexcept;
    ~CaptureBoundary();
    CaptureBoundary(const CaptureBoundary &) = delete;
    CaptureBoundary &operator=(const CaptureBoundary &) = delete;

private:
    const void *m_previous;
};

} // namespace Crochet::detail
