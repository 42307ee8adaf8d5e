#!/bin/sh
# scripts/demo.sh - set up, build, and run the main job: compile
# idl/grite.idl with gritec and run the example that builds, validates and
# prints a grite message.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh"
"$here/scripts/build.sh" "$here/build"
echo
echo "== gritec compiled idl/grite.idl into build/generated/grite.h =="
"$here/build/gritec/gritec" --version
echo
echo "== examples/hello: build, validate and read a request in place =="
"$here/build/examples/hello"
