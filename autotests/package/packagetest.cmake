# cmake -DBUILD_DIR=<build> -DWORK_DIR=<scratch> -DCONSUMER_SOURCE_DIR=<consumer>
#       -DGENERATOR=<generator> [-DCXX_COMPILER=..] [-DOTHER_CXX_COMPILER=..]
#       [-DBUILD_TYPE=..] [-DCONSUMER_FLAGS=..] [-DEXPECTED_VERSION=..]
#       [-DEXPECTED_SOVERSION=..] [-DWITH_QML=1] [-DEXPECT_QCORO=ON] -P packagetest.cmake
#
# Installs BUILD_DIR into WORK_DIR/prefix, checks the installation's versions
# and files, builds the consumer project with CMAKE_PREFIX_PATH set to that
# prefix, runs it and checks what it prints. With OTHER_CXX_COMPILER (the
# other of GCC and clang), builds and runs the consumer with that compiler
# too: a program compiled by either works with the library compiled by
# either. EXPECT_QCORO: the build has Crochet::QCoro, which the package must
# offer (Crochet_QCoro_FOUND) when QCoro is there, and not when it is not.
# Writes nothing outside WORK_DIR.
cmake_minimum_required(VERSION 3.22)

foreach(variable BUILD_DIR WORK_DIR CONSUMER_SOURCE_DIR GENERATOR)
    if(NOT ${variable})
        message(FATAL_ERROR "packagetest.cmake: ${variable} is not set")
    endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
# DESTDIR would move the installation out of the prefix.
unset(ENV{DESTDIR})

include(${CMAKE_CURRENT_LIST_DIR}/../shared/runstep.cmake)

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

# Builds the consumer in WORK_DIR/<name> with <compiler> (empty: CMake's
# choice), runs it and checks what it prints; with <tsan_app> ON, also the
# ThreadSanitizer program.
function(check_consumer name compiler tsan_app)
    set(consumer_build ${WORK_DIR}/${name})
    set(configure_arguments
        -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} -G ${GENERATOR}
        -DCMAKE_PREFIX_PATH=${prefix}
        # Find only what is in the prefix (and the system's Qt), and record
        # nothing in the user's package registry.
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
        -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON
        -DCONSUMER_TSAN_APP=${tsan_app})
    if(compiler)
        list(APPEND configure_arguments -DCMAKE_CXX_COMPILER=${compiler})
    endif()
    if(BUILD_TYPE)
        list(APPEND configure_arguments -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
    endif()
    if(CONSUMER_FLAGS)
        list(APPEND configure_arguments "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}")
    endif()
    if(WITH_QML AND name STREQUAL "consumer")
        list(APPEND configure_arguments -DCONSUMER_QML=ON)
    endif()
    run("configuring the consumer (${name})" ${CMAKE_COMMAND} ${configure_arguments})
    set(configure_output_${name} "${output}" PARENT_SCOPE)

    file(STRINGS ${consumer_build}/CMakeCache.txt crochet_dir REGEX "^Crochet_DIR:")
    string(REGEX REPLACE "^Crochet_DIR:[A-Z]+=" "" crochet_dir "${crochet_dir}")
    file(REAL_PATH "${crochet_dir}" crochet_dir)
    file(REAL_PATH "${prefix}" real_prefix)
    string(FIND "${crochet_dir}" "${real_prefix}/" position)
    if(NOT position EQUAL 0)
        message(FATAL_ERROR "find_package(Crochet) found ${crochet_dir}, not the package in ${prefix}")
    endif()

    run("building the consumer (${name})" ${CMAKE_COMMAND} --build ${consumer_build})
    run("running the consumer (${name})" ${consumer_build}/app)

    expect_start("the consumer (${name})" "add(20, 22) in the reactor: 42\n")
    # The wrap site the program's compiler recorded, as the library's reads it.
    if(NOT output MATCHES "\nfailure wrapped at [^\n]*main\\.cpp:[0-9]+, in main\n")
        message(FATAL_ERROR "the consumer (${name}) did not name its wrap site:\n${output}")
    endif()
    # The consumer also says which Crochet library it loaded: the installed one.
    string(FIND "${output}" "library: ${real_prefix}/" position)
    if(position EQUAL -1)
        message(FATAL_ERROR "the consumer (${name}) did not load the installed library:\n${output}")
    endif()
    run("running the core-only consumer (${name})" ${consumer_build}/core-app)
    set(expected "core alone: 42\nnetwork libraries loaded: 0\n")
    if(NOT output STREQUAL expected)
        message(FATAL_ERROR "the core-only consumer (${name}) printed:\n${output}\nexpected:\n${expected}")
    endif()
    if(tsan_app)
        # It must link and run. What it would report means nothing:
        # ThreadSanitizer cannot see the synchronisation inside a library
        # built without it.
        run("running the ThreadSanitizer consumer" ${CMAKE_COMMAND} -E env TSAN_OPTIONS=report_bugs=0
            ${consumer_build}/tsan-app)
        if(NOT output STREQUAL expected)
            message(FATAL_ERROR "the ThreadSanitizer consumer printed:\n${output}\nexpected:\n${expected}")
        endif()
    endif()
endfunction()

# The normal build: a ThreadSanitizer program must link and run against it too.
if(CONSUMER_FLAGS)
    check_consumer(consumer "${CXX_COMPILER}" OFF)
else()
    check_consumer(consumer "${CXX_COMPILER}" ON)
endif()
if(OTHER_CXX_COMPILER)
    check_consumer(consumer-other-compiler "${OTHER_CXX_COMPILER}" OFF)
    message(STATUS "the installed package works, also Crochet::Core alone, also with ${OTHER_CXX_COMPILER}")
else()
    message(STATUS "the installed package works, also Crochet::Core alone")
endif()
if(WITH_QML)
    # The module where Qt's layout puts it under the prefix, with what tools
    # read; loaded by an engine given the path find_package(Crochet) names.
    file(READ ${WORK_DIR}/consumer/qml-import-path.txt import_path)
    foreach(file qmldir plugins.qmltypes)
        if(NOT EXISTS ${import_path}/Crochet/${file})
            message(FATAL_ERROR "no ${file} in ${import_path}/Crochet")
        endif()
    endforeach()
    run("running the QML consumer" ${WORK_DIR}/consumer/qml-app ${import_path})
    if(NOT output STREQUAL "QML: import Crochet works\n")
        message(FATAL_ERROR "the QML consumer printed:\n${output}")
    endif()
endif()

# Crochet::QCoro: offered when the build has it and QCoro is found; without
# QCoro the rest of the package is still found.
if(EXPECT_QCORO)
    if(NOT configure_output_consumer MATCHES "Crochet_QCoro_FOUND: TRUE")
        message(FATAL_ERROR "the package did not offer Crochet::QCoro:\n${configure_output_consumer}")
    endif()
    run("running the QCoro consumer" ${WORK_DIR}/consumer/qcoro-app)
    set(expected "qcoro: 42, on the main thread: yes\n")
    if(NOT output STREQUAL expected)
        message(FATAL_ERROR "the QCoro consumer printed:\n${output}\nexpected:\n${expected}")
    endif()
    run("configuring the consumer without QCoro" ${CMAKE_COMMAND}
        -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/consumer-without-qcoro -G ${GENERATOR}
        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
        -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON -DCMAKE_DISABLE_FIND_PACKAGE_QCoro6=ON)
    if(NOT output MATCHES "Crochet_QCoro_FOUND: FALSE")
        message(FATAL_ERROR "without QCoro, Crochet_QCoro_FOUND was not FALSE:\n${output}")
    endif()
elseif(NOT configure_output_consumer MATCHES "Crochet_QCoro_FOUND: FALSE")
    message(FATAL_ERROR "the package offers Crochet::QCoro, which was not built:\n${configure_output_consumer}")
endif()
