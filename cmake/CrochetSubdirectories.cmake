# crochet_add_subdirectories()
# add_subdirectory() for every folder of the current source directory that
# has a CMakeLists.txt, so that a new test or example folder needs no edit
# here. Used by autotests/ and examples/; not installed.
include_guard(GLOBAL)

function(crochet_add_subdirectories)
    file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} *)
    foreach(child IN LISTS children)
        if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child}
           AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
            add_subdirectory(${child})
        endif()
    endforeach()
endfunction()
