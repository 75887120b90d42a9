// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file qcoro.h
    `co_await` on an EventualResult in a QCoro::Task (CMake target
    Crochet::QCoro, there when the build found QCoro 0.8 or newer):

    \code
    QCoro::Task<> Window::refresh()   // runs on the GUI thread
    {
        try {
            const QStringList lines = co_await fetchAll(urls); // a runInReactor() function
            output->setPlainText(lines.join('\n'));            // back on the GUI thread
        } catch (const Crochet::Error &error) {
            status->setText(error.message());
        }
    }
    \endcode

    The coroutine suspends without blocking its thread and resumes on that
    same thread, from its event loop, with the value, or the failure
    re-thrown there (it counts as retrieved). It works on any thread that
    runs a Qt event loop (the GUI thread, a QThread's exec(); the reactor
    thread under noSetup()); on a thread with none, the `co_await` throws
    Crochet::Error. A result already there gives its value without
    suspending.

    A coroutine frame destroyed while suspended (on its own thread) is never
    resumed, whenever the result comes. (QCoro 0.8 keeps the frame of a
    destroyed QCoro::Task alive until the coroutine ends: it is resumed when
    the result comes, as if the Task still existed.) Awaiting never cancels
    the result, a shared handle: call cancel() for that.
*/

#include <crochet/detail/resultawaiter.h>
#include <crochet/eventualresult.h>

#include <QCoroTask>

namespace QCoro::detail {

//! What QCoro::Task's `co_await` makes of an EventualResult (QCoro's own
//! extension point, as for its Qt types).
template <typename T>
struct awaiter_type<Crochet::EventualResult<T>>
{
    using type = Crochet::detail::ResultAwaiter<T>;
};

} // namespace QCoro::detail
