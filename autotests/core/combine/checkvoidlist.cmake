# Builds each of TARGETS in BUILD_DIR and fails unless every build fails with
# the static_assert of whenAll()/whenAny() for a list of void results.
foreach(target IN LISTS TARGETS)
    execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${target}
                    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(status EQUAL 0)
        message(FATAL_ERROR "${target} compiled: a list of void results must not")
    endif()
    # GCC: "static assertion failed: <message>"; clang: "static_assert failed due to
    # requirement ... \"<message>\"".
    if(NOT output MATCHES "static.assert.*Crochet::when(All|Any)\\(QList<EventualResult<void>>\\) is not allowed")
        message(FATAL_ERROR "${target} failed without the static_assert's message:\n${output}")
    endif()
    message(STATUS "${target}: refused, as it should be")
endforeach()
