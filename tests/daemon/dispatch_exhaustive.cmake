# dispatch_exhaustive.cmake - proves that daemon/dispatch.c cannot be built
# when idl/grite.idl gains an IpcCommand that has no handler.
#
#   cmake -DGRITEC=... -DCC=... -DIDL=idl/grite.idl -DDISPATCH=daemon/dispatch.c
#         -DDAEMON_DIR=daemon -DRUNTIME_INCLUDE=runtime/include
#         -DFLAGS="-Wall|-Werror|..." -DWORK_DIR=... -P dispatch_exhaustive.cmake
#
# 1. control: a header generated from the real IDL; dispatch.c must compile.
# 2. a copy of the IDL with one more IpcCommand variant (IssueLabel),
#    inserted by this script so the copy can never drift from the real
#    file; dispatch.c must NOT compile, and every error must be the switch
#    naming GRITE_IPC_COMMAND_ISSUE_LABEL (not, say, a missing file).
foreach(var GRITEC CC IDL DISPATCH DAEMON_DIR RUNTIME_INCLUDE WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "dispatch_exhaustive.cmake: -D${var}=... is required")
  endif()
endforeach()
string(REPLACE "|" ";" flags "${FLAGS}")

set(extra_variant "    /// Add a label to an issue (only in the dispatch_exhaustive test's IDL).\n    IssueLabel { issue_id: string, label: string },\n")
set(extra_enum GRITE_IPC_COMMAND_ISSUE_LABEL)

# Generate <dir>/gen/grite.h from <idl>.
function(generate idl dir)
  file(REMOVE_RECURSE ${dir}/gen)
  file(MAKE_DIRECTORY ${dir}/gen)
  execute_process(COMMAND ${GRITEC} ${idl} -o ${dir}/gen
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT EXISTS ${dir}/gen/grite.h)
    message(FATAL_ERROR "gritec ${idl} failed (${rc}):\n${out}")
  endif()
endfunction()

# Compile dispatch.c against <dir>/gen/grite.h; sets rc and out in the caller.
function(compile_dispatch dir)
  execute_process(
    COMMAND ${CC} -std=c11 -D_GNU_SOURCE ${flags} -fsyntax-only
      -I${dir}/gen -I${DAEMON_DIR} -I${RUNTIME_INCLUDE} ${DISPATCH}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(rc ${result} PARENT_SCOPE)
  set(out "${output}" PARENT_SCOPE)
endfunction()

# ---- 1. control ------------------------------------------------------------
generate(${IDL} ${WORK_DIR}/real)
compile_dispatch(${WORK_DIR}/real)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "control: dispatch.c does not compile against the real IDL's header:\n${out}")
endif()
message(STATUS "control: dispatch.c compiles against the header of ${IDL}")

# ---- 2. one command more ---------------------------------------------------
file(READ ${IDL} idl_text)
string(FIND "${idl_text}" "union IpcCommand {" start)
if(start LESS 0)
  message(FATAL_ERROR "${IDL} has no 'union IpcCommand {': update dispatch_exhaustive.cmake")
endif()
string(SUBSTRING "${idl_text}" ${start} -1 union_text)
string(FIND "${union_text}" "\n}" close)
if(close LESS 0)
  message(FATAL_ERROR "cannot find the end of union IpcCommand in ${IDL}")
endif()
math(EXPR insert_at "${start} + ${close} + 1")
string(SUBSTRING "${idl_text}" 0 ${insert_at} head)
string(SUBSTRING "${idl_text}" ${insert_at} -1 tail)
file(MAKE_DIRECTORY ${WORK_DIR}/extra)
file(WRITE ${WORK_DIR}/extra/grite.idl "${head}${extra_variant}${tail}")
generate(${WORK_DIR}/extra/grite.idl ${WORK_DIR}/extra)

file(READ ${WORK_DIR}/extra/gen/grite.h header)
string(FIND "${header}" "${extra_enum}" found)
if(found LESS 0)
  message(FATAL_ERROR "the extended header lacks ${extra_enum}: the variant was not added")
endif()

compile_dispatch(${WORK_DIR}/extra)
if(rc EQUAL 0)
  message(FATAL_ERROR "dispatch.c compiled although IpcCommand has a variant it does not handle "
                      "(${extra_enum}): does its switch have a default case?")
endif()
string(REGEX MATCHALL "[^\n]*error:[^\n]*" errors "${out}")
list(LENGTH errors n_errors)
if(n_errors EQUAL 0)
  message(FATAL_ERROR "the compile failed without an error line:\n${out}")
endif()
foreach(line IN LISTS errors)
  if(NOT line MATCHES "${extra_enum}" OR NOT line MATCHES "not handled in switch")
    message(FATAL_ERROR "the compile failed for another reason than the unhandled command:\n${out}")
  endif()
endforeach()
message(STATUS "as expected, the compiler refuses dispatch.c:\n${out}")
