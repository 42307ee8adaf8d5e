#!/bin/sh
# scripts/setup.sh - install what grite-ipc needs on Debian 12, with
# apt-get, and only what is missing. Safe to run again.
set -eu

PKGS="build-essential cmake pkg-config re2c lemon check clang llvm libclang-rt-14-dev
      zlib1g-dev libcjson-dev libmicrohttpd-dev libcurl4-openssl-dev gnuplot-nox python3 valgrind"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "setup: all dependencies present"
