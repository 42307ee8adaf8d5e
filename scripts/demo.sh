#!/bin/sh
# scripts/demo.sh [BUILD_DIR] - set up, build (in BUILD_DIR, default
# build/), and run the main job: the grite CLI
# talking to a grite-daemon it starts on demand, in a throwaway data
# directory. Prints each command and what it answers, like a terminal
# session, and leaves nothing behind: the daemon is stopped and the data
# directory removed on exit, also when a step fails or on Ctrl-C.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}

"$here/scripts/setup.sh"
# The build's own output goes to a log, shown only if it fails.
build_log=$(mktemp "${TMPDIR:-/tmp}/grite-demo-build.XXXXXX")
echo "demo: building in $build (log: $build_log) ..."
if ! "$here/scripts/build.sh" "$build" >"$build_log" 2>&1; then
    tail -n 60 "$build_log" >&2
    echo "demo: the build failed; the whole log is $build_log" >&2
    exit 1
fi
rm -f "$build_log"
echo "demo: built"

grite_bin="$build/cli/grite"
[ -x "$grite_bin" ] || { echo "demo: $grite_bin was not built" >&2; exit 1; }

# A fresh data directory; no settings from the caller's environment.
data=$(mktemp -d "${TMPDIR:-/tmp}/grite-demo.XXXXXX")
export GRITE_DATA_DIR="$data"
unset GRITE_DAEMON GRITE_ACTOR GRITE_TIMEOUT_MS GRITE_DAEMON_TIMEOUT_MS 2>/dev/null || true
PATH="$build/cli:$PATH"   # grite, and the grite-daemon link next to it
export PATH

cleanup() {
    status=$?
    trap - EXIT INT TERM
    if [ -f "$data/daemon.lock" ]; then
        # Politely first; then make sure, so nothing outlives the demo.
        grite daemon stop >/dev/null 2>&1 || true
        if [ -f "$data/daemon.lock" ]; then
            pid=$(sed -n 's/^pid=//p' "$data/daemon.lock")
            [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf "$data"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Show an argument the way a shell user would type it.
quote() {
    case $1 in
        '' | *[!A-Za-z0-9_./:=@%+,-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
        *) printf '%s' "$1" ;;
    esac
}

# $ grite ARGS, then what it prints (and its exit status if not 0).
say() {
    printf '\n$ grite'
    for a in "$@"; do printf ' '; quote "$a"; done
    printf '\n'
}
run() {
    say "$@"
    status=0
    grite "$@" || status=$?
    [ "$status" -eq 0 ] || echo "[exit status $status]"
    return 0
}
# Like run, but keep stdout in $output as well (to pick up an id).
run_keep() {
    say "$@"
    output=$(grite "$@")
    printf '%s\n' "$output"
}

echo
echo "== grite: issues served by a warm daemon =="
echo "data dir: $data (GRITE_DATA_DIR)"

run --version
run daemon status            # none yet: exit status 3, nothing is started
run_keep issue create --title "Daemon loses its lock after suspend" \
    --body "After a resume the heartbeat is late and another daemon takes over." \
    --label bug --label p1   # starts the daemon on demand
first=$(printf '%s\n' "$output" | sed -n 's/^Created issue //p')
run issue create --title "Document where the socket lives" --label docs
run issue list
run issue show "$(printf '%.8s' "$first")"   # a short id works too
run issue comment "$first" --body "Reproduced: suspend for 40 s, lease is 30 s."
run issue close "$first"
run issue list --state open
run lock acquire release-train --ttl 30s
run lock release release-train
run doctor
run daemon status
run --json issue list --limit 1
run daemon stop

echo
echo "== done: the daemon is stopped; $data is removed on exit =="
