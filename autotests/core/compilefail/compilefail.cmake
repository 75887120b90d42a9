# cmake -DCOMPILER=<c++> -DFLAGS=<response file> -DSOURCE=<snippet> -P compilefail.cmake
#
# Compiles SOURCE (syntax only) and passes when the compiler refuses it with
# every message its "// expect: " lines give, in at most two errors: one
# static_assert that says what to do, not screens of template errors.
cmake_minimum_required(VERSION 3.22)

file(STRINGS ${SOURCE} expectations REGEX "^// expect: ")
if(NOT expectations)
    message(FATAL_ERROR "${SOURCE} has no '// expect: ' line")
endif()
execute_process(COMMAND ${COMPILER} @${FLAGS} -fsyntax-only ${SOURCE}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
string(APPEND errors "${output}")
if(status EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled; it must not")
endif()
foreach(line IN LISTS expectations)
    string(REGEX REPLACE "^// expect: " "" expected "${line}")
    string(FIND "${errors}" "${expected}" position)
    if(position EQUAL -1)
        message(FATAL_ERROR "the compiler did not say \"${expected}\":\n${errors}")
    endif()
endforeach()
string(REGEX MATCHALL "error: " error_lines "${errors}")
list(LENGTH error_lines error_count)
if(error_count GREATER 2)
    message(FATAL_ERROR "${error_count} errors, more than the one that says what to do:\n${errors}")
endif()
string(REGEX MATCH "error: [^\n]*" first_error "${errors}")
message(STATUS "refused as expected (${error_count} error(s)): ${first_error}")
