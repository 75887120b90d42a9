# Debian packages of the installed components (cpack -G DEB in the build
# directory; autotests/debian installs and uses them):
#   libcrochet-qt6-<soversion>  runtime   the core and network libraries, LICENSE
#   libcrochet-qt6-dev          development  headers, library links, the CMake package
#   qml6-module-crochet         qml       the QML module: libcrochet-qml-qt6, plugin,
#                                         qmldir, qmltypes in Qt's QML directory
# Build with CMAKE_INSTALL_PREFIX=/usr (the packages install there).
set(CPACK_PACKAGE_NAME crochet-qt6)
set(CPACK_PACKAGE_VENDOR "The Crochet for Qt authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
if(NOT CPACK_PACKAGE_CONTACT)
    set(CPACK_PACKAGE_CONTACT "The Crochet for Qt authors")
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

set(CPACK_COMPONENTS_ALL runtime development)
if(CROCHET_BUILD_QML)
    list(APPEND CPACK_COMPONENTS_ALL qml)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
# Dependencies on the libraries the binaries link (libqt6core6, libqt6qml6,
# libc6, ...) come from dpkg-shlibdeps; our own libraries are found in the
# packages being built.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    ${PROJECT_BINARY_DIR}/src ${PROJECT_BINARY_DIR}/src/qml)

set(crochet_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
set(crochet_runtime_package libcrochet-qt6-${CROCHET_SOVERSION})
# Qt's private API (src/*/qtprivate.cpp) ties the runtime library to the
# exact Qt it was built against: Debian's Qt provides qt6-base-abi for that.
set(qt_abi "qt6-base-abi (= ${Qt6Core_VERSION})")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${crochet_runtime_package})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "${qt_abi}")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "Crochet for Qt: blocking access to Qt's event-driven APIs from any thread
 A reactor thread runs Qt's event loop; calls made from any thread run there,
 with a timeout (waitFor) or as an EventualResult (runInReactor). Includes
 Qt Network through the reactor. This package holds the shared libraries.")

set(crochet_dev_depends "${crochet_runtime_package} (= ${crochet_deb_version}), qt6-base-dev (>= 6.4)")
if(CROCHET_BUILD_QML)
    # The CMake package names the QML library (Crochet::Qml).
    string(APPEND crochet_dev_depends ", qml6-module-crochet (= ${crochet_deb_version})")
endif()
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libcrochet-qt6-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${crochet_dev_depends}")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SUGGESTS "qt6-declarative-dev")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "Crochet for Qt: development files
 Headers and the CMake package: find_package(Crochet) and the targets
 Crochet::Crochet, Crochet::Core, Crochet::Network and Crochet::Qml
 (the last needs qt6-declarative-dev).")

set(CPACK_DEBIAN_QML_PACKAGE_NAME qml6-module-crochet)
set(CPACK_DEBIAN_QML_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_QML_PACKAGE_DEPENDS "${crochet_runtime_package} (= ${crochet_deb_version})")
set(CPACK_COMPONENT_QML_DESCRIPTION
    "Crochet for Qt: QML module (import Crochet)
 The QML type EventualResult, made by Crochet::toQml(), and the library
 behind it, with qmldir and type information for qmllint and Qt Creator.")

include(CPack)
