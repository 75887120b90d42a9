# Included by the -P test scripts (package, subproject).
# run(<step> <command...>): runs the command; stops the script with <step>,
# the status and what it printed if it fails; else leaves its standard
# output in ${output}.
function(run step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                    ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${step} failed (${status}):\n${output}\n${errors}")
    endif()
    set(output "${output}" PARENT_SCOPE)
endfunction()

# expect_start(<program> <expected>): stops the script unless ${output}, what
# <program> printed, begins with <expected>.
function(expect_start program expected)
    string(FIND "${output}" "${expected}" position)
    if(NOT position EQUAL 0)
        message(FATAL_ERROR "${program} printed:\n${output}\nexpected it to start with:\n${expected}")
    endif()
endfunction()
