// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. Makes hand-offs through Qt's
// event queues visible to ThreadSanitizer.
//
// Debian's Qt is not instrumented: TSan cannot see the futex-based QMutex
// that guards Qt's posted-event queues, so an object handed to another
// thread with postEvent() or a queued invokeMethod() looks unsynchronised.
// Under TSan, the sender posts while holding a hand-off mutex (HandoffPost)
// and the receiver takes that mutex once (handoffReceived()) before touching
// what it got. The receiver cannot run before the post, so it acquires the
// mutex after the sender released it: a real happens-before edge that TSan
// models, covering everything written before and during the post. The
// mutex is recursive because Qt destroys moved-from copies of a posted call
// inside the post. Without TSan all of this compiles to nothing.

#include <crochet/global.h>

#if defined(__SANITIZE_THREAD__)
#define CROCHET_HAS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CROCHET_HAS_TSAN 1
#endif
#endif

#include <mutex>

namespace Crochet::detail {

//! The hand-off mutex. Always in the library, whatever its own build: a
//! program built with ThreadSanitizer may use a library built without.
CROCHET_EXPORT std::recursive_mutex &handoffMutex();

#if defined(CROCHET_HAS_TSAN)

//! Hold while posting to another thread through Qt.
class HandoffPost
{
public:
    HandoffPost() { handoffMutex().lock(); }
    ~HandoffPost() { handoffMutex().unlock(); }
    HandoffPost(const HandoffPost &) = delete;
    HandoffPost &operator=(const HandoffPost &) = delete;
};

//! Call first thing when receiving what HandoffPost posted.
inline void handoffReceived()
{
    std::lock_guard guard(handoffMutex());
}

//! A member that calls handoffReceived() when destroyed: for posted calls
//! that Qt may destroy without running.
struct HandoffReceiver
{
    ~HandoffReceiver() { handoffReceived(); }
};
#else
class HandoffPost
{
public:
    HandoffPost() = default;
    HandoffPost(const HandoffPost &) = delete;
    HandoffPost &operator=(const HandoffPost &) = delete;
};

inline void handoffReceived() {}

struct HandoffReceiver
{};
#endif

} // namespace Crochet::detail
