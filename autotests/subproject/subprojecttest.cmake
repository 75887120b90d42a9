# cmake -DMODE=add_subdirectory|fetchcontent -DCROCHET_SOURCE_DIR=<checkout>
#       -DCONSUMER_DIR=<project> -DCONSUMER_SOURCE_DIR=<sources> -DWORK_DIR=<scratch>
#       -DGENERATOR=<generator> [-DCXX_COMPILER=..] -P subprojecttest.cmake
#
# Configures and builds a project that includes Crochet (add_subdirectory()
# or FetchContent, from the local checkout; no download), runs its programs,
# and checks that Crochet built only its libraries and left the project's
# cache alone. Writes nothing outside WORK_DIR.
cmake_minimum_required(VERSION 3.22)

foreach(variable MODE CROCHET_SOURCE_DIR CONSUMER_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR)
    if(NOT ${variable})
        message(FATAL_ERROR "subprojecttest.cmake: ${variable} is not set")
    endif()
endforeach()

set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})

include(${CMAKE_CURRENT_LIST_DIR}/../shared/runstep.cmake)

# No CMAKE_BUILD_TYPE: Crochet must not set one in the project's cache.
set(configure_arguments -S ${CONSUMER_DIR} -B ${build} -G ${GENERATOR}
    -DCONSUMER_SOURCE_DIR=${CONSUMER_SOURCE_DIR})
if(CXX_COMPILER)
    list(APPEND configure_arguments -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(MODE STREQUAL "add_subdirectory")
    list(APPEND configure_arguments -DCROCHET_SOURCE_DIR=${CROCHET_SOURCE_DIR})
    set(crochet_build ${build}/crochet)
elseif(MODE STREQUAL "fetchcontent")
    # FetchContent's own way to use a local checkout instead of the
    # repository: the declared address is never contacted.
    list(APPEND configure_arguments -DFETCHCONTENT_SOURCE_DIR_CROCHET=${CROCHET_SOURCE_DIR}
         -DFETCHCONTENT_FULLY_DISCONNECTED=ON
         -DCROCHET_GIT_REPOSITORY=https://invalid.invalid/crochet.git -DCROCHET_GIT_TAG=main)
    set(crochet_build ${build}/_deps/crochet-build)
else()
    message(FATAL_ERROR "MODE must be add_subdirectory or fetchcontent")
endif()
run("configuring the project" ${CMAKE_COMMAND} ${configure_arguments})

# The project's cache: no build type forced into it, Crochet's extras off.
file(STRINGS ${build}/CMakeCache.txt build_type REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type MATCHES "^CMAKE_BUILD_TYPE:[A-Z]*=$")
    message(FATAL_ERROR "Crochet changed the project's cache: ${build_type}")
endif()
foreach(option CROCHET_BUILD_TESTS CROCHET_BUILD_EXAMPLES CROCHET_BUILD_BENCHMARKS CROCHET_BUILD_DOCS)
    file(STRINGS ${build}/CMakeCache.txt value REGEX "^${option}:")
    if(NOT value STREQUAL "${option}:BOOL=OFF")
        message(FATAL_ERROR "as a subproject, ${option} should default to OFF: ${value}")
    endif()
endforeach()
# Only the libraries: no folder of tests, examples, benchmarks or docs.
foreach(folder autotests examples benchmarks doc)
    if(EXISTS ${crochet_build}/${folder})
        message(FATAL_ERROR "as a subproject, Crochet added its ${folder} (${crochet_build}/${folder})")
    endif()
endforeach()

# The programs and what they link (not the QML module, to save time).
run("building the project" ${CMAKE_COMMAND} --build ${build} --target app core-app --parallel 2)

run("running app" ${build}/app)
expect_start("app" "add(20, 22) in the reactor: 42\n")
if(MODE STREQUAL "add_subdirectory")
    # BUILD_SHARED_LIBS=OFF: static libraries, linked into the program.
    foreach(library core network)
        if(NOT EXISTS ${crochet_build}/src/libcrochet-${library}-qt6.a)
            message(FATAL_ERROR "no static libcrochet-${library}-qt6.a in ${crochet_build}/src")
        endif()
    endforeach()
    string(FIND "${output}" "library: ${build}/app\n" position)
else()
    string(FIND "${output}" "library: ${crochet_build}/src/libcrochet-core-qt6.so" position)
endif()
if(position EQUAL -1)
    message(FATAL_ERROR "app did not use the library it should have:\n${output}")
endif()
run("running core-app" ${build}/core-app)
if(NOT output STREQUAL "core alone: 42\nnetwork libraries loaded: 0\n")
    message(FATAL_ERROR "core-app printed:\n${output}")
endif()
message(STATUS "Crochet works as a subproject (${MODE})")
