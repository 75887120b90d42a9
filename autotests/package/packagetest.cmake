# cmake -DBUILD_DIR=<build> -DWORK_DIR=<scratch> -DCONSUMER_SOURCE_DIR=<consumer>
#       -DGENERATOR=<generator> [-DCXX_COMPILER=..] [-DBUILD_TYPE=..] [-DCONSUMER_FLAGS=..]
#       [-DEXPECT_QCORO=ON] -P packagetest.cmake
#
# Installs BUILD_DIR into WORK_DIR/prefix, builds the consumer project with
# CMAKE_PREFIX_PATH set to that prefix, runs it and checks what it prints.
# EXPECT_QCORO: the build has Crochet::QCoro, which the package must offer
# (Crochet_QCoro_FOUND) when QCoro is there, and not when it is not.
# Writes nothing outside WORK_DIR.
cmake_minimum_required(VERSION 3.22)

foreach(variable BUILD_DIR WORK_DIR CONSUMER_SOURCE_DIR GENERATOR)
    if(NOT ${variable})
        message(FATAL_ERROR "packagetest.cmake: ${variable} is not set")
    endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${WORK_DIR})
# DESTDIR would move the installation out of the prefix.
unset(ENV{DESTDIR})

function(run step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output
                    ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${step} failed (${status}):\n${output}\n${errors}")
    endif()
    set(output "${output}" PARENT_SCOPE)
endfunction()

run("cmake --install (build the whole project first)"
    ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
if(NOT EXISTS ${prefix}/include/crochet/crochet.h)
    message(FATAL_ERROR "the installation has no include/crochet/crochet.h")
endif()

set(configure_arguments
    -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix}
    # Find only what is in the prefix (and the system's Qt), and record nothing
    # in the user's package registry.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON)
if(CXX_COMPILER)
    list(APPEND configure_arguments -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(BUILD_TYPE)
    list(APPEND configure_arguments -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
if(CONSUMER_FLAGS)
    list(APPEND configure_arguments "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
else()
    # The normal build: a ThreadSanitizer program must link and run against it too.
    list(APPEND configure_arguments -DCONSUMER_TSAN_APP=ON)
endif()
run("configuring the consumer" ${CMAKE_COMMAND} ${configure_arguments})
set(configure_output "${output}")

file(STRINGS ${consumer_build}/CMakeCache.txt crochet_dir REGEX "^Crochet_DIR:")
string(REGEX REPLACE "^Crochet_DIR:[A-Z]+=" "" crochet_dir "${crochet_dir}")
file(REAL_PATH "${crochet_dir}" crochet_dir)
file(REAL_PATH "${prefix}" real_prefix)
string(FIND "${crochet_dir}" "${real_prefix}/" position)
if(NOT position EQUAL 0)
    message(FATAL_ERROR "find_package(Crochet) found ${crochet_dir}, not the package in ${prefix}")
endif()

run("building the consumer" ${CMAKE_COMMAND} --build ${consumer_build})
run("running the consumer" ${consumer_build}/app)

set(expected "add(20, 22) in the reactor: 42\n")
string(FIND "${output}" "${expected}" position)
if(NOT position EQUAL 0)
    message(FATAL_ERROR "the consumer printed:\n${output}\nexpected it to start with:\n${expected}")
endif()
# The consumer also says which Crochet library it loaded: the installed one.
string(FIND "${output}" "library: ${real_prefix}/" position)
if(position EQUAL -1)
    message(FATAL_ERROR "the consumer did not load the installed library:\n${output}")
endif()
run("running the core-only consumer" ${consumer_build}/core-app)
set(expected "core alone: 42\nnetwork libraries loaded: 0\n")
if(NOT output STREQUAL expected)
    message(FATAL_ERROR "the core-only consumer printed:\n${output}\nexpected:\n${expected}")
endif()
if(NOT CONSUMER_FLAGS)
    # It must link and run. What it would report means nothing: ThreadSanitizer
    # cannot see the synchronisation inside a library built without it.
    run("running the ThreadSanitizer consumer" ${CMAKE_COMMAND} -E env TSAN_OPTIONS=report_bugs=0
        ${consumer_build}/tsan-app)
    if(NOT output STREQUAL expected)
        message(FATAL_ERROR "the ThreadSanitizer consumer printed:\n${output}\nexpected:\n${expected}")
    endif()
endif()

# Crochet::QCoro: offered when the build has it and QCoro is found; without
# QCoro the rest of the package is still found.
if(EXPECT_QCORO)
    if(NOT configure_output MATCHES "Crochet_QCoro_FOUND: TRUE")
        message(FATAL_ERROR "the package did not offer Crochet::QCoro:\n${configure_output}")
    endif()
    run("running the QCoro consumer" ${consumer_build}/qcoro-app)
    set(expected "qcoro: 42, on the main thread: yes\n")
    if(NOT output STREQUAL expected)
        message(FATAL_ERROR "the QCoro consumer printed:\n${output}\nexpected:\n${expected}")
    endif()
    set(without_qcoro_arguments)
    foreach(argument IN LISTS configure_arguments)
        if(argument STREQUAL consumer_build)
            set(argument ${WORK_DIR}/consumer-without-qcoro)
        endif()
        list(APPEND without_qcoro_arguments ${argument})
    endforeach()
    run("configuring the consumer without QCoro" ${CMAKE_COMMAND} ${without_qcoro_arguments}
        -DCMAKE_DISABLE_FIND_PACKAGE_QCoro6=ON)
    if(NOT output MATCHES "Crochet_QCoro_FOUND: FALSE")
        message(FATAL_ERROR "without QCoro, Crochet_QCoro_FOUND was not FALSE:\n${output}")
    endif()
elseif(NOT configure_output MATCHES "Crochet_QCoro_FOUND: FALSE")
    message(FATAL_ERROR "the package offers Crochet::QCoro, which was not built:\n${configure_output}")
endif()
message(STATUS "the installed package works, also Crochet::Core alone (and Crochet::QCoro when built)")
