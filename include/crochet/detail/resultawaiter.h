// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly (<crochet/qcoro.h> does). The
// awaiter of an EventualResult in a coroutine of any thread that runs a Qt
// event loop: what another library's coroutine type (QCoro::Task) plugs in.

#include <crochet/detail/contextguard.h>
#include <crochet/detail/coroutineawaiters.h>
#include <crochet/detail/resultstate.h>
#include <crochet/eventualresult.h>

#include <QtCore/QObject>

#include <coroutine>
#include <utility>

namespace Crochet::detail {

/*!
    Throws Error unless the calling thread has a Qt event dispatcher: a
    coroutine suspended there could never be resumed (a std::thread, or the
    main thread before its QCoreApplication exists).
*/
CROCHET_EXPORT void ensureAwaitingThreadHasEventLoop();

//! Posts \a resume to a context object's thread when the result completes,
//! whatever its outcome; never once the context is destroyed.
template <typename Resume>
class ResumeListener final : public CompletionListener
{
public:
    ResumeListener(QObject *context, Resume resume)
        : m_context(context)
        , m_resume(std::move(resume))
    {}
    void resultCompleted(ResultStateBase &) override { m_context.post(std::move(m_resume)); }

private:
    ContextGuard m_context;
    Resume m_resume;
};

/*!
    `co_await result` in a coroutine that runs on a thread with a Qt event
    loop (the GUI thread, a QThread's exec()): suspends without blocking and
    resumes the coroutine on that same thread, from its event loop, once the
    result is there; the `co_await` then gives the value or re-throws the
    failure (which counts as retrieved). A result already there gives its
    value at once, without suspending. Also on the reactor thread under
    noSetup(), where wait() would throw.

    The coroutine is resumed through a QObject of the awaiting thread that
    this awaiter owns: destroyed while suspended (its coroutine frame
    destroyed, on that thread), the awaiter deletes it, and with it the
    posted resumption, so the coroutine is never resumed. The result is not
    cancelled then: it is a shared handle; cancel() it for that.

    Throws Error from the `co_await` if the thread has no Qt event loop.
*/
template <typename T>
class ResultAwaiter
{
public:
    explicit ResultAwaiter(EventualResult<T> result)
        : m_result(std::move(result))
    {}
    ResultAwaiter(ResultAwaiter &&) = default;

    bool await_ready() const noexcept { return m_result.isReady(); }

    void await_suspend(std::coroutine_handle<> coroutine)
    {
        ensureAwaitingThreadHasEventLoop();
        QObject *context = m_context.create();
        // Runs on this thread, in the context's event, and only while this
        // awaiter (which owns the context) exists.
        auto resume = [this, coroutine] {
            m_context.releaseLater();
            coroutine.resume();
        };
        ResultAccess::state(m_result)->addListener(
            new ResumeListener<decltype(resume)>(context, std::move(resume)));
    }

    T await_resume()
    {
        ResultState<T> *state = ResultAccess::state(m_result);
        if (const std::optional<Failure> failure = state->failure())
            failure->raise();
        return state->value();
    }

private:
    EventualResult<T> m_result;
    ResumingObject<QObject> m_context;
};

} // namespace Crochet::detail
