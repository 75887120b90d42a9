// Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#pragma once

/*! \file sourcelocation.h
    Crochet::SourceLocation: a place in the source code (file, line,
    function), where a function was wrapped. */

#include <crochet/global.h>

#include <version>
#ifdef __cpp_lib_source_location
#include <source_location>
#endif

namespace Crochet {

namespace detail {
struct SourceLocationRecord;
} // namespace detail

/*!
    A place in the source code: file name, line and function name. It takes
    the place of std::source_location in Crochet's interfaces because
    libstdc++ 12's std::source_location needs a builtin that clang 14 lacks;
    this one is made by builtins that GCC and clang both have, so that the
    library and the programs that use it may each be compiled by either:
    its layout is the same whichever compiles it.

    One pointer, to a record kept for the life of the process and shared by
    every SourceLocation of the same place (the first current() for a place
    makes it), so that each EventualResult keeps its wrap site in 8 bytes,
    as with std::source_location. Immutable; cheap to copy; any thread.

    functionName() is the plain name of the enclosing function ("fetchPage";
    "operator()" inside a lambda), not the signature GCC's
    std::source_location gives; it is empty at namespace scope, where
    wrappers are usually made.

    \library `#include <crochet/sourcelocation.h>` (or `<crochet/crochet.h>`),
    CMake target `Crochet::Core`.
    \threads Any thread, every member.
*/
class CROCHET_EXPORT SourceLocation
{
public:
    //! No place: empty names, line 0. \nothrow
    constexpr SourceLocation() noexcept = default;
#ifdef __cpp_lib_source_location
    //! The place \a location names (with the function name it has).
    SourceLocation(const std::source_location &location) noexcept
        : SourceLocation(
              current(location.file_name(), int(location.line()), location.function_name()))
    {}
#endif

    /*! The place where it is called: as a default argument, where the
        function that has that default is called. Given arguments, the place
        they name; \a fileName and \a functionName must then outlive every
        SourceLocation (string literals do). Without memory for a new
        record, no place. \nothrow */
    static SourceLocation current(const char *fileName = __builtin_FILE(),
                                  int line = __builtin_LINE(),
                                  const char *functionName = __builtin_FUNCTION()) noexcept;

    //! The file name as the compiler saw it; empty for no place. \nothrow
    const char *fileName() const noexcept;
    //! The line, counted from 1; 0 for no place. \nothrow
    int line() const noexcept;
    //! The enclosing function's name; empty at namespace scope or for no place.
    //! \nothrow
    const char *functionName() const noexcept;

private:
    explicit constexpr SourceLocation(const detail::SourceLocationRecord *record) noexcept
        : m_record(record)
    {}

    const detail::SourceLocationRecord *m_record = nullptr;
};

} // namespace Crochet
