# check_manpage.cmake: the install_manpage test (see CMakeLists.txt).
# docs/man/gritec.1 must be warning-free roff, name every option that
# `gritec --help` lists, and carry gritec's version.
cmake_minimum_required(VERSION 3.20)

file(READ "${MANPAGE}" page)
execute_process(COMMAND "${GRITEC}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gritec --help failed (${rc})")
endif()

# Option lines of the help text start with spaces and a dash: "  -o, --output DIR ...".
string(REGEX MATCHALL "\n +-[^\n]*" option_lines "${help}")
set(n_options 0)
foreach(line IN LISTS option_lines)
  string(REGEX MATCHALL "--?[a-z][a-z-]*" options "${line}")
  foreach(opt IN LISTS options)
    string(REPLACE "-" "\\-" roff "${opt}")
    string(FIND "${page}" "${roff}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "gritec --help lists ${opt}, docs/man/gritec.1 does not (as ${roff})")
    endif()
    math(EXPR n_options "${n_options} + 1")
  endforeach()
endforeach()
if(n_options LESS 5)
  message(FATAL_ERROR "found only ${n_options} options in gritec --help:\n${help}")
endif()

execute_process(COMMAND "${GRITEC}" --version OUTPUT_VARIABLE version)
string(REGEX REPLACE "^gritec ([^\n]*)\n$" "\\1" version "${version}")
string(FIND "${page}" "\"grite-ipc ${version}\"" at)
if(at EQUAL -1)
  message(FATAL_ERROR "docs/man/gritec.1 does not say it is for grite-ipc ${version}")
endif()

if(GROFF)
  execute_process(COMMAND "${GROFF}" -man -ww -z "${MANPAGE}"
                  RESULT_VARIABLE rc ERROR_VARIABLE warnings)
  if(NOT rc EQUAL 0 OR NOT warnings STREQUAL "")
    message(FATAL_ERROR "groff finds problems in docs/man/gritec.1:\n${warnings}")
  endif()
endif()
