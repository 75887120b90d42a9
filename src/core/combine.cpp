// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#include <crochet/detail/combine.h>
#include <crochet/errors.h>

namespace Crochet::detail {

Combination::Combination(ResultStateBase *combined,
                         std::vector<Ref<ResultStateBase>> inputs) noexcept
    : m_combined(combined)
    , m_inputs(std::move(inputs))
{}

Combination::~Combination() = default;

void Combination::cancel()
{
    // An input's listener runs in here, at once, and finds the combined
    // result complete: nothing recurses beyond one input.
    for (const Ref<ResultStateBase> &input : m_inputs)
        input->cancel();
}

double Combination::progress() const
{
    double sum = 0;
    qsizetype known = 0;
    for (const Ref<ResultStateBase> &input : m_inputs) {
        const double progress = input->progress();
        if (progress >= 0) {
            sum += progress;
            ++known;
        }
    }
    return known > 0 ? sum / double(known) : -1.0;
}

void Combination::passFailureOn(ResultStateBase &input)
{
    // Consumed (gatherResults' consumeErrors): passed on, or dropped when
    // the combined result is already complete.
    input.markRetrieved();
    if (m_combined->failLike(input))
        cancel();
}

void Combination::countFailure(ResultStateBase &input)
{
    input.markRetrieved();
    // Only the last of all the inputs to fail reaches the count.
    if (m_failures.fetch_add(1, std::memory_order_acq_rel) + 1 == inputCount())
        m_combined->failLike(input);
}

void Combination::failWithCaughtException() noexcept
{
    if (m_combined->fail(std::current_exception()))
        cancel();
}

std::exception_ptr emptyWhenAnyError()
{
    return std::make_exception_ptr(
        Error(QStringLiteral("Crochet::whenAny() was given an empty list: no result can succeed")));
}

} // namespace Crochet::detail
