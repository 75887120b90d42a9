# Checks the layering of the libraries (run by the build, see src/CMakeLists.txt):
# - no file of the core (src/core, and the core's headers in include/) includes
#   a header of Qt Network, Qt QML/Quick, Qt Gui/Widgets (the core links Qt
#   Core only), QCoro, or of Crochet's network, QML or QCoro layer;
# - the network and QML layers include nothing of src/core but its services
#   header, coreservices_p.h;
# - every header in include/crochet is installed by one of the libraries.
# Usage: cmake -DSOURCE_DIR=<tree> -DCORE_HEADERS=<list> -DLIBRARY_HEADERS=<list> -P CrochetLayers.cmake

cmake_policy(SET CMP0057 NEW) # IN_LIST

set(forbidden_in_core
    "#include[ \t]*[<\"](QtNetwork|QtQml|QtQuick|QtGui|QtWidgets)/"
    "#include[ \t]*[<\"]QNetwork[A-Za-z]*>"
    "#include[ \t]*[<\"](QCoro|qcoro)"
    "#include[ \t]*[<\"]crochet/(network|qml|qmlvalueconverter|qcoro|crochet)\\.h"
    "#include[ \t]*[<\"]crochet/detail/qml"
    "#include[ \t]*\"\\.\\./(network|qml)/")

file(GLOB core_sources ${SOURCE_DIR}/src/core/*)
set(core_files ${core_sources})
foreach(header IN LISTS CORE_HEADERS)
    list(APPEND core_files ${SOURCE_DIR}/include/${header})
endforeach()

set(problems "")
foreach(file IN LISTS core_files)
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS includes)
        foreach(pattern IN LISTS forbidden_in_core)
            if(line MATCHES "${pattern}")
                string(APPEND problems "\n  ${file}: ${line} (the core uses Qt Core only and no higher layer)")
            endif()
        endforeach()
    endforeach()
endforeach()

file(GLOB layer_sources ${SOURCE_DIR}/src/network/* ${SOURCE_DIR}/src/qml/*)
foreach(file IN LISTS layer_sources)
    if(IS_DIRECTORY ${file})
        continue()
    endif()
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"\\.\\./core/")
    foreach(line IN LISTS includes)
        if(NOT line MATCHES "\"\\.\\./core/coreservices_p\\.h\"")
            string(APPEND problems "\n  ${file}: ${line} (use src/core/coreservices_p.h)")
        endif()
    endforeach()
endforeach()

file(GLOB_RECURSE all_headers RELATIVE ${SOURCE_DIR}/include ${SOURCE_DIR}/include/crochet/*)
foreach(header IN LISTS all_headers)
    if(NOT header IN_LIST CORE_HEADERS AND NOT header IN_LIST LIBRARY_HEADERS)
        string(APPEND problems "\n  include/${header}: installed by no library (list it in src/CMakeLists.txt)")
    endif()
endforeach()

if(problems)
    message(FATAL_ERROR "Crochet's layering is broken:${problems}")
endif()
