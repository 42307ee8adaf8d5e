# install_package.cmake: the install_package test (see CMakeLists.txt).
#
# Installs the already built BUILD_DIR into a fresh prefix under WORK_DIR
# (`cmake --install`, nothing is rebuilt), checks what a user finds there,
# then builds the consumer project against it twice - with
# find_package(GriteIPC) + grite_generate(), and with pkg-config + make
# using the installed gritec - and runs every program it built.
# WORK_DIR is removed when everything passed, kept for a look otherwise.
cmake_minimum_required(VERSION 3.20)

foreach(var BUILD_DIR CONSUMER_DIR WORK_DIR GENERATOR C_COMPILER PKG_CONFIG MAKE VERSION)
  if(NOT ${var})
    message(FATAL_ERROR "install_package.cmake: ${var} is not set")
  endif()
endforeach()

# Run a command; stop with everything it said if it fails. Its standard
# output is left in RUN_OUTPUT.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "${what} failed (${rc}):\n  ${cmd}\n${out}\n${err}")
  endif()
  set(RUN_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "the installation lacks ${path}")
  endif()
endfunction()

# A consumer program runs and says it read everything back.
function(run_consumer program)
  run("${program}" "${program}")
  if(NOT RUN_OUTPUT MATCHES "^shapes: a [0-9]+-byte drawing read back\n$")
    message(FATAL_ERROR "${program} said: ${RUN_OUTPUT}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
run("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")

# ---- what a user finds ----------------------------------------------------------
file(GLOB_RECURSE pc_files "${prefix}/*/grite.pc")
list(LENGTH pc_files n_pc)
if(NOT n_pc EQUAL 1)
  message(FATAL_ERROR "expected one grite.pc under ${prefix}, found: ${pc_files}")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
get_filename_component(libdir "${pc_dir}" DIRECTORY)
foreach(f bin/gritec include/grite/archive.h include/grite/client.h include/grite/server.h
          share/man/man1/gritec.1)
  expect_file("${prefix}/${f}")
endforeach()
foreach(f libgrite.a libgrite.so cmake/GriteIPC/GriteIPCConfig.cmake
          cmake/GriteIPC/GriteIPCConfigVersion.cmake cmake/GriteIPC/GriteIPCTargets.cmake
          cmake/GriteIPC/GriteGenerate.cmake)
  expect_file("${libdir}/${f}")
endforeach()
run("installed gritec --version" "${prefix}/bin/gritec" --version)
if(NOT RUN_OUTPUT STREQUAL "gritec ${VERSION}\n")
  message(FATAL_ERROR "installed gritec says: ${RUN_OUTPUT}")
endif()

set(cmake_flags "")
set(make_flags "")
if(SANITIZE)
  # The installed runtime was built with the sanitizers: so must its users be.
  set(san "-fsanitize=address,undefined")
  set(cmake_flags "-DCMAKE_C_FLAGS=${san}" "-DCMAKE_EXE_LINKER_FLAGS=${san}")
  set(make_flags "CFLAGS=-O1 ${san}" "LDFLAGS=${san}")
endif()

# ---- 1. CMake: find_package(GriteIPC) + grite_generate() ---------------------------
set(cmake_build "${WORK_DIR}/cmake")
run("configuring the consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${cmake_build}"
    -G "${GENERATOR}" "-DCMAKE_C_COMPILER=${C_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_BUILD_TYPE=Release ${cmake_flags})
run("building the consumer" "${CMAKE_COMMAND}" --build "${cmake_build}")
run_consumer("${cmake_build}/shapes_shared")
run_consumer("${cmake_build}/shapes_static")

# The shared program really uses the installed libgrite.so, the static one does not.
file(GET_RUNTIME_DEPENDENCIES
  EXECUTABLES "${cmake_build}/shapes_shared"
  RESOLVED_DEPENDENCIES_VAR shared_deps UNRESOLVED_DEPENDENCIES_VAR unresolved)
file(GET_RUNTIME_DEPENDENCIES
  EXECUTABLES "${cmake_build}/shapes_static"
  RESOLVED_DEPENDENCIES_VAR static_deps UNRESOLVED_DEPENDENCIES_VAR unresolved_static)
if(NOT shared_deps MATCHES "${prefix}/[^;]*/libgrite\\.so")
  message(FATAL_ERROR "shapes_shared does not load the installed libgrite.so: ${shared_deps}")
endif()
if(static_deps MATCHES "libgrite\\.so")
  message(FATAL_ERROR "shapes_static loads libgrite.so: ${static_deps}")
endif()

# ---- 2. pkg-config + make, with the installed gritec ---------------------------------
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
run("pkg-config --modversion grite" "${PKG_CONFIG}" --modversion grite)
if(NOT RUN_OUTPUT STREQUAL "${VERSION}\n")
  message(FATAL_ERROR "pkg-config says grite is version ${RUN_OUTPUT}")
endif()
run("pkg-config --variable=gritec grite" "${PKG_CONFIG}" --variable=gritec grite)
string(STRIP "${RUN_OUTPUT}" gritec)
file(REAL_PATH "${gritec}" gritec)
file(REAL_PATH "${prefix}/bin/gritec" installed_gritec)
if(NOT gritec STREQUAL installed_gritec)
  message(FATAL_ERROR "grite.pc points at ${gritec}, not at ${installed_gritec}")
endif()
set(make_out "${WORK_DIR}/pkgconfig")
file(MAKE_DIRECTORY "${make_out}")
run("make with pkg-config" "${MAKE}" -C "${CONSUMER_DIR}" "OUT=${make_out}"
    "PKG_CONFIG=${PKG_CONFIG}" "CC=${C_COMPILER}" ${make_flags})
expect_file("${make_out}/shapes.h")
run_consumer("${make_out}/shapes_pkgconfig")

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "install_package: the installed package works with CMake and with pkg-config")
