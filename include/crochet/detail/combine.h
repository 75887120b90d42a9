// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

// Internal header: do not include directly. What whenAll() and whenAny()
// (<crochet/combine.h>) are made of: the operation behind a combined result,
// which knows the inputs, and a completion listener on each input.

#include <crochet/eventualresult.h>

#include <QtCore/QList>

#include <atomic>
#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace Crochet::detail {

/*!
    The operation behind a combined result, owned by its state: a reference
    (not a handle) to each input, so that cancelling the combined result
    cancels every input and its progress reads theirs.

    The inputs' listeners refer to the combination and keep the combined
    state, and with it the combination, alive until each input completes.
    The inputs are fixed before the first listener is added and never
    change: any thread may read them.
*/
class CROCHET_EXPORT Combination : public Operation
{
public:
    Combination(ResultStateBase *combined, std::vector<Ref<ResultStateBase>> inputs) noexcept;
    ~Combination() override;

    //! Cancels every input. Any thread, never blocks.
    void cancel() override;
    //! The mean of the inputs' progress where known (a complete input counts
    //! 1); -1 when none knows its progress.
    double progress() const override;

protected:
    qsizetype inputCount() const noexcept { return qsizetype(m_inputs.size()); }
    //! An input failed: the combined result fails like it (whenAll()), and
    //! the other inputs are cancelled. The input's failure counts as retrieved.
    void passFailureOn(ResultStateBase &input);
    //! An input failed: counts it, and fails the combined result like it when
    //! every input has failed (whenAny()). Counts as retrieved too.
    void countFailure(ResultStateBase &input);
    //! Inside a catch block: fails the combined result with the current
    //! exception (a value's copy threw) and cancels the inputs.
    void failWithCaughtException() noexcept;

    ResultStateBase *const m_combined; // owns this operation, so outlives it

private:
    const std::vector<Ref<ResultStateBase>> m_inputs;
    std::atomic<qsizetype> m_failures{0};
};

//! The Error of whenAny() given an empty list.
CROCHET_EXPORT std::exception_ptr emptyWhenAnyError();

//! A new reference to \a state.
inline Ref<ResultStateBase> referenceTo(ResultStateBase *state) noexcept
{
    state->ref();
    return Ref<ResultStateBase>::adopt(state);
}

//! On one input: tells the combination, which \a Index names the input to.
template <typename Owner, typename Index>
class InputListener final : public CompletionListener
{
public:
    InputListener(Owner *owner, Index index) noexcept
        : m_owner(owner)
        , m_index(index)
        , m_keepAlive(referenceTo(owner->combinedState()))
    {}

    void resultCompleted(ResultStateBase &input) override
    {
        m_owner->inputCompleted(m_index, input);
    }

private:
    Owner *m_owner; // owned by the combined state, which m_keepAlive holds
    Index m_index;
    Ref<ResultStateBase> m_keepAlive;
};

//! What a void input contributes to a tuple: std::monostate. (Also what
//! the list forms are declared with, so that a void list fails on their
//! static_assert alone.)
template <typename T>
using CombinedValue = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

/*!
    Makes the combined state, attaches an \a Owner (made of the state and
    the inputs' references) as its operation, then puts a listener on each
    input: an input already complete calls back at once, in this thread.
*/
template <typename Owner, typename... Input>
EventualResult<typename Owner::Result> combine(std::vector<Ref<ResultStateBase>> inputs,
                                               const Input &...input)
{
    using Result = typename Owner::Result;
    auto *combined = new ResultState<Result>(SourceLocation{});
    auto result = ResultAccess::make(combined);
    combined->deref(); // the handle in result keeps it alive
    auto owner = std::make_unique<Owner>(combined, std::move(inputs));
    Owner *ownerPointer = owner.get();
    combined->attachOperation(std::move(owner));
    ownerPointer->addListeners(input...);
    return result;
}

//! Puts a listener for \a owner on each of \a results, which it knows by index.
template <typename Owner, typename T>
void addListListeners(Owner *owner, const QList<EventualResult<T>> &results)
{
    for (qsizetype i = 0; i < results.size(); ++i)
        ResultAccess::state(results.at(i))
            ->addListener(new InputListener<Owner, qsizetype>(owner, i));
}

//! whenAll() or whenAny() of a list: \a Owner combines \a results.
template <typename Owner, typename T>
EventualResult<typename Owner::Result> combineList(const QList<EventualResult<T>> &results)
{
    std::vector<Ref<ResultStateBase>> inputs;
    inputs.reserve(size_t(results.size()));
    for (const EventualResult<T> &result : results)
        inputs.push_back(referenceTo(ResultAccess::state(result)));
    return combine<Owner>(std::move(inputs), results);
}

template <typename... T>
class AllOfPack;

//! whenAll() of a pack.
template <typename... T>
EventualResult<std::tuple<CombinedValue<T>...>> combinePack(const EventualResult<T> &...results)
{
    std::vector<Ref<ResultStateBase>> inputs;
    inputs.reserve(sizeof...(T));
    (inputs.push_back(referenceTo(ResultAccess::state(results))), ...);
    return combine<AllOfPack<T...>>(std::move(inputs), results...);
}

//! whenAll() of a list: the values in slots, listed once all are there.
template <typename T>
class AllOfList final : public Combination
{
public:
    using Result = QList<T>;

    AllOfList(ResultState<Result> *combined, std::vector<Ref<ResultStateBase>> inputs)
        : Combination(combined, std::move(inputs))
        , m_values(size_t(inputCount()))
        , m_remaining(inputCount())
    {}

    ResultState<Result> *combinedState() const noexcept
    {
        return static_cast<ResultState<Result> *>(m_combined);
    }

    void addListeners(const QList<EventualResult<T>> &results)
    {
        addListListeners(this, results);
        if (results.isEmpty())
            combinedState()->succeed(Result());
    }

    void inputCompleted(qsizetype index, ResultStateBase &base)
    {
        auto &input = static_cast<ResultState<T> &>(base);
        if (input.outcome() == ResultStateBase::Outcome::Failed)
            return passFailureOn(input);
        // Complete (failed, cancelled): it takes no more values, so that a
        // move-only one stays in its input.
        if (m_combined->isDone())
            return;
        try {
            m_values[size_t(index)].emplace(input.value());
            // Each slot is written by one listener; the last to count down
            // sees them all (acquire-release on the count).
            if (m_remaining.fetch_sub(1, std::memory_order_acq_rel) != 1)
                return;
            combinedState()->succeed(takeValues());
        } catch (...) {
            failWithCaughtException();
        }
    }

private:
    //! The values, moved into a list. Built from a range: QList's other ways
    //! of growing may copy (detach), which a move-only T cannot.
    Result takeValues()
    {
        std::vector<T> values;
        values.reserve(m_values.size());
        for (std::optional<T> &value : m_values)
            values.push_back(std::move(*value));
        std::vector<std::optional<T>>().swap(m_values);
        return Result(std::make_move_iterator(values.begin()),
                      std::make_move_iterator(values.end()));
    }

    std::vector<std::optional<T>> m_values;
    std::atomic<qsizetype> m_remaining;
};

//! whenAll() of a pack: the values in a tuple of slots, void ones as std::monostate.
template <typename... T>
class AllOfPack final : public Combination
{
public:
    using Result = std::tuple<CombinedValue<T>...>;

    AllOfPack(ResultState<Result> *combined, std::vector<Ref<ResultStateBase>> inputs)
        : Combination(combined, std::move(inputs))
    {}

    ResultState<Result> *combinedState() const noexcept
    {
        return static_cast<ResultState<Result> *>(m_combined);
    }

    void addListeners(const EventualResult<T> &...results)
    {
        [&]<std::size_t... I>(std::index_sequence<I...>)
        {
            (ResultAccess::state(results)->addListener(
                 new InputListener<AllOfPack, std::integral_constant<std::size_t, I>>(this, {})),
             ...);
        }
        (std::index_sequence_for<T...>());
        if constexpr (sizeof...(T) == 0)
            combinedState()->succeed(Result());
    }

    template <std::size_t I>
    void inputCompleted(std::integral_constant<std::size_t, I>, ResultStateBase &base)
    {
        using Input = std::tuple_element_t<I, std::tuple<T...>>;
        auto &input = static_cast<ResultState<Input> &>(base);
        if (input.outcome() == ResultStateBase::Outcome::Failed)
            return passFailureOn(input);
        if (m_combined->isDone())
            return;
        try {
            if constexpr (std::is_void_v<Input>)
                std::get<I>(m_values).emplace();
            else
                std::get<I>(m_values).emplace(input.value());
            if (m_remaining.fetch_sub(1, std::memory_order_acq_rel) != 1)
                return;
            combinedState()->succeed(takeValues(std::index_sequence_for<T...>()));
        } catch (...) {
            failWithCaughtException();
        }
    }

private:
    template <std::size_t... I>
    Result takeValues(std::index_sequence<I...>)
    {
        return Result(std::move(*std::get<I>(m_values))...);
    }

    std::tuple<std::optional<CombinedValue<T>>...> m_values;
    std::atomic<std::size_t> m_remaining{sizeof...(T)};
};

//! whenAny() of a list: the first success wins; the last failure, if all fail.
template <typename T>
class AnyOfList final : public Combination
{
public:
    using Result = std::pair<qsizetype, T>;

    AnyOfList(ResultState<Result> *combined, std::vector<Ref<ResultStateBase>> inputs)
        : Combination(combined, std::move(inputs))
    {}

    ResultState<Result> *combinedState() const noexcept
    {
        return static_cast<ResultState<Result> *>(m_combined);
    }

    void addListeners(const QList<EventualResult<T>> &results)
    {
        addListListeners(this, results);
        if (results.isEmpty())
            m_combined->fail(emptyWhenAnyError());
    }

    void inputCompleted(qsizetype index, ResultStateBase &base)
    {
        auto &input = static_cast<ResultState<T> &>(base);
        if (input.outcome() == ResultStateBase::Outcome::Failed)
            return countFailure(input);
        // Only the first success reads its value: a move-only value of a
        // later one stays in its input.
        if (m_won.exchange(true, std::memory_order_acq_rel) || m_combined->isDone())
            return;
        try {
            if (combinedState()->succeed(Result(index, input.value())))
                cancel();
        } catch (...) {
            failWithCaughtException();
        }
    }

private:
    std::atomic<bool> m_won{false};
};

} // namespace Crochet::detail
