# cmake -DCOMPILER=cc -DLANG=c|c++ -DHEADER=path -DINCLUDES=dir -DFLAGS=a|b|c
#       -DWORKDIR=dir -P compile_header.cmake
# Compiles a translation unit that includes only HEADER, so the header must
# stand on its own: no warnings (FLAGS has -Werror), no missing includes.
string(REPLACE "|" ";" flags "${FLAGS}")
get_filename_component(header_dir "${HEADER}" DIRECTORY)
get_filename_component(header_name "${HEADER}" NAME)
file(MAKE_DIRECTORY "${WORKDIR}")
if(LANG STREQUAL "c++")
  set(src "${WORKDIR}/only_header.cpp")
else()
  set(src "${WORKDIR}/only_header.c")
endif()
file(WRITE "${src}" "#include \"${header_name}\"\n#include \"${header_name}\" /* guarded */\nint main(void) { return 0; }\n")
execute_process(
  COMMAND "${COMPILER}" ${flags} -I${header_dir} -I${INCLUDES} -c "${src}" -o "${WORKDIR}/only_header.o"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${COMPILER} failed on ${HEADER}:\n${out}${err}")
endif()
message(STATUS "${COMPILER} compiled ${header_name} cleanly")
