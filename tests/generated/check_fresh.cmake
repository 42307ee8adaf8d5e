# cmake -DCOMMITTED=<generated/grite.h> -DFRESH=<build>/generated/grite.h -P check_fresh.cmake
# Fails when the committed header is not what the freshly built gritec makes.
if(NOT EXISTS "${FRESH}")
  message(FATAL_ERROR "${FRESH} was not generated: build the project first")
endif()
if(NOT EXISTS "${COMMITTED}")
  message(FATAL_ERROR "${COMMITTED} is missing: run  gritec idl/grite.idl -o generated")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${COMMITTED}" "${FRESH}"
                RESULT_VARIABLE differs)
if(differs)
  message(FATAL_ERROR "generated/grite.h is stale (differs from ${FRESH}).\n"
          "Regenerate it:  <build>/gritec/gritec idl/grite.idl -o generated")
endif()
