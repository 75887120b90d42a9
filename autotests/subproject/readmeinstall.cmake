# cmake -DSOURCE_DIR=<checkout> -DWORK_DIR=<scratch> -P readmeinstall.cmake
#
# The README's install command builds only what it installs: runs its
# configure step (the first command of the ```sh block that has
# "cmake --install") on a scratch build directory and checks that no
# tests, examples or benchmarks are part of that build. Builds nothing.
cmake_minimum_required(VERSION 3.22)

file(READ ${SOURCE_DIR}/README.md readme)
string(REGEX MATCH "```sh\n[^`]*cmake --install[^`]*```" block "${readme}")
if(NOT block)
    message(FATAL_ERROR "README.md has no ```sh block with the install command (cmake --install)")
endif()
string(REGEX MATCH "cmake -S [^&\n]*" configure "${block}")
if(NOT configure MATCHES "^cmake -S \\. -B build ")
    message(FATAL_ERROR "the README's install command should start with 'cmake -S . -B build': ${configure}")
endif()
string(REGEX REPLACE "^cmake -S \\. -B build " "" options "${configure}")
separate_arguments(options UNIX_COMMAND "${options}")

file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} ${options}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "the README's configure step failed:\n${output}\n${errors}")
endif()
foreach(folder autotests examples benchmarks)
    if(EXISTS ${WORK_DIR}/${folder})
        message(FATAL_ERROR "the README's install command also builds the ${folder}: ${configure}")
    endif()
endforeach()
message(STATUS "the README's install command builds the libraries only: ${configure}")
