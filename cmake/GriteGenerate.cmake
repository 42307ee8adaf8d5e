# grite_generate(TARGET <target> IDL <file.idl> [OUTPUT_DIR <dir>])
#
# Runs gritec on <file.idl> at build time (again whenever the .idl or gritec
# changes) and adds the directory holding the generated header to
# <target>'s include path, so its sources can `#include "<name>.h"`.
# <target> may also be an INTERFACE library: then the header is made by the
# custom target <target>_gritec, and whatever links <target> gets the
# include path (this is how grite-ipc's own grite_proto is made).
# <name> is the file name without `.idl`, as gritec names it. The header
# lands in OUTPUT_DIR (default: <current build dir>/grite_gen/<target>).
# Link the runtime yourself: GriteIPC::grite (shared) or GriteIPC::grite_static.
#
#   find_package(GriteIPC 0.1 REQUIRED)
#   add_executable(app main.c)
#   grite_generate(TARGET app IDL proto.idl)      # main.c: #include "proto.h"
#   target_link_libraries(app PRIVATE GriteIPC::grite)
#
# It works the same in two settings:
#   - installed: find_package(GriteIPC) includes this file, and
#     GriteIPC::gritec is the installed compiler (an imported executable);
#   - in grite-ipc's own build (or a project that adds it with
#     add_subdirectory / FetchContent): GriteIPC::gritec is an ALIAS of the
#     `gritec` target, which is then built before anything runs it.
include_guard(GLOBAL)

function(grite_generate)
  cmake_parse_arguments(G "" "TARGET;IDL;OUTPUT_DIR" "" ${ARGN})
  if(G_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "grite_generate: unexpected arguments: ${G_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT G_TARGET OR NOT G_IDL)
    message(FATAL_ERROR "grite_generate: TARGET and IDL are required")
  endif()
  if(NOT TARGET ${G_TARGET})
    message(FATAL_ERROR "grite_generate: '${G_TARGET}' is not a target (add_executable or add_library it first)")
  endif()
  if(NOT TARGET GriteIPC::gritec)
    message(FATAL_ERROR "grite_generate: GriteIPC::gritec is not defined (find_package(GriteIPC) first)")
  endif()
  get_filename_component(idl "${G_IDL}" ABSOLUTE)
  if(NOT EXISTS "${idl}")
    message(FATAL_ERROR "grite_generate: '${G_IDL}' does not exist")
  endif()
  # gritec names the header after the file, without a final ".idl" only
  # ("a.v2.idl" -> "a.v2.h"), so NAME_WE would be wrong.
  get_filename_component(name "${idl}" NAME)
  string(REGEX REPLACE "\\.idl$" "" stem "${name}")
  if(NOT G_OUTPUT_DIR)
    set(G_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/grite_gen/${G_TARGET}")
  endif()
  get_filename_component(out_dir "${G_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(header "${out_dir}/${stem}.h")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
    COMMAND "$<TARGET_FILE:GriteIPC::gritec>" "${idl}" -o "${out_dir}"
    DEPENDS "${idl}" "$<TARGET_FILE:GriteIPC::gritec>"
    COMMENT "gritec: ${name} -> ${stem}.h"
    VERBATIM)
  # An INTERFACE library (a header-only "protocol" target that programs link
  # to get the header) builds nothing itself: a custom target makes the
  # header, and the include path is passed on to whoever links it.
  get_target_property(type ${G_TARGET} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    add_custom_target(${G_TARGET}_gritec DEPENDS "${header}")
    add_dependencies(${G_TARGET} ${G_TARGET}_gritec)
    target_include_directories(${G_TARGET} INTERFACE "${out_dir}")
  else()
    target_sources(${G_TARGET} PRIVATE "${header}")
    target_include_directories(${G_TARGET} PRIVATE "${out_dir}")
  endif()
  # In grite-ipc's own tree gritec is built, not imported: build it before
  # anything that runs it.
  get_target_property(real GriteIPC::gritec ALIASED_TARGET)
  if(real)
    add_dependencies(${G_TARGET} ${real})
  endif()
endfunction()
