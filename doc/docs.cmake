# cmake -DDOXYGEN=<doxygen> -DPYTHON=<python3> -DDOXYFILE=<Doxyfile> -DCHECKER=<checkapi.py>
#       -DOUTPUT_DIR=<folder> -P docs.cmake
# Runs Doxygen with the Doxyfile, writing to OUTPUT_DIR (html/, xml/), then
# checks the XML with checkapi.py. Fails on any Doxygen warning.
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE ${OUTPUT_DIR}/html ${OUTPUT_DIR}/xml)
file(MAKE_DIRECTORY ${OUTPUT_DIR})
file(READ ${DOXYFILE} settings)
file(WRITE ${OUTPUT_DIR}/Doxyfile.run "${settings}\nOUTPUT_DIRECTORY = ${OUTPUT_DIR}\n")
execute_process(COMMAND ${DOXYGEN} ${OUTPUT_DIR}/Doxyfile.run RESULT_VARIABLE status
                ERROR_VARIABLE warnings)
if(warnings OR NOT status EQUAL 0)
    message(FATAL_ERROR "Doxygen warned (warnings are errors):\n${warnings}")
endif()
execute_process(COMMAND ${PYTHON} ${CHECKER} ${OUTPUT_DIR}/xml RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "checkapi.py: the API reference is incomplete (above)")
endif()
message(STATUS "API reference: ${OUTPUT_DIR}/html/index.html")
