# cmake -DBUILD_DIR=<build> -DWORK_DIR=<scratch> -DCONSUMER_SOURCE_DIR=<consumer>
#       -DGENERATOR=<generator> [-DCXX_COMPILER=..] [-DBUILD_TYPE=..] [-DCONSUMER_FLAGS=..]
#       [-DEXPECTED_VERSION=..] [-DEXPECTED_SOVERSION=..] [-DWITH_QML=1] -P packagetest.cmake
#
# Installs BUILD_DIR into WORK_DIR/prefix, checks the installation's versions
# and files, builds the consumer project with CMAKE_PREFIX_PATH set to that
# prefix, runs it and checks what it prints. Writes nothing outside WORK_DIR.
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
foreach(file include/crochet/crochet.h include/crochet/version.h share/doc/Crochet/LICENSE)
    if(NOT EXISTS ${prefix}/${file})
        message(FATAL_ERROR "the installation has no ${file}")
    endif()
endforeach()
# One version: the package's version file, the libraries' SONAME.
file(GLOB version_file ${prefix}/lib*/cmake/Crochet/CrochetConfigVersion.cmake
     ${prefix}/lib/*/cmake/Crochet/CrochetConfigVersion.cmake)
file(STRINGS "${version_file}" package_version REGEX "^set\\(PACKAGE_VERSION ")
if(EXPECTED_VERSION AND NOT package_version STREQUAL "set(PACKAGE_VERSION \"${EXPECTED_VERSION}\")")
    message(FATAL_ERROR "CrochetConfigVersion.cmake says ${package_version}, not ${EXPECTED_VERSION}")
endif()
if(EXPECTED_SOVERSION)
    foreach(library core network)
        file(GLOB soname ${prefix}/lib*/libcrochet-${library}-qt6.so.${EXPECTED_SOVERSION}
             ${prefix}/lib/*/libcrochet-${library}-qt6.so.${EXPECTED_SOVERSION})
        if(NOT soname)
            message(FATAL_ERROR "no libcrochet-${library}-qt6.so.${EXPECTED_SOVERSION} installed")
        endif()
    endforeach()
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
if(WITH_QML)
    list(APPEND configure_arguments -DCONSUMER_QML=ON)
endif()
if(CONSUMER_FLAGS)
    list(APPEND configure_arguments "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
else()
    # The normal build: a ThreadSanitizer program must link and run against it too.
    list(APPEND configure_arguments -DCONSUMER_TSAN_APP=ON)
endif()
run("configuring the consumer" ${CMAKE_COMMAND} ${configure_arguments})

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
if(WITH_QML)
    # The module where Qt's layout puts it under the prefix, with what tools
    # read; loaded by an engine given the path find_package(Crochet) names.
    file(READ ${consumer_build}/qml-import-path.txt import_path)
    foreach(file qmldir plugins.qmltypes)
        if(NOT EXISTS ${import_path}/Crochet/${file})
            message(FATAL_ERROR "no ${file} in ${import_path}/Crochet")
        endif()
    endforeach()
    run("running the QML consumer" ${consumer_build}/qml-app ${import_path})
    if(NOT output STREQUAL "QML: import Crochet works\n")
        message(FATAL_ERROR "the QML consumer printed:\n${output}")
    endif()
endif()
message(STATUS "the installed package works, also Crochet::Core alone")
