#!/bin/sh
# scripts/valgrind.sh [-j N] [-R REGEX] [BUILD_DIR]
#
# Every ctest test under valgrind memcheck, in a build WITHOUT sanitizers
# (default BUILD_DIR: build-valgrind/, configured and built here). Each
# test executable of the build tree runs as
#
#   valgrind --leak-check=full --errors-for-leak-kinds=definite \
#            --error-exitcode=99 --trace-children=yes ... <test>
#
# so the programs the tests start (grite-daemon, grite, gritec) run under
# valgrind too; system programs they run (sh, cc, python3, mount, mkfs)
# do not (--trace-children-skip). Tests whose command is itself a system
# program or a script (cmake -P scripts, python3, sh) run without valgrind, and are listed
# as such. A test passes when it passes and no process of it reported a
# memory error or a definite leak.
#
# Under valgrind, tests run 10-50x slower: ctest's timeouts are multiplied
# by 20 here (and Check's CK_TIMEOUT_MULTIPLIER too), and GRITE_VALGRIND=1
# tells the fault tests to scale their loads down and every test to
# stretch its own deadlines (tests/common/clock.h, docs/FAULTS.md).
#
#   -j N      tests run N at a time (default: the number of CPUs)
#   -R REGEX  only the tests whose name matches (ctest -R)
#
# Logs: BUILD_DIR/valgrind/<test>.out (its output) and
# BUILD_DIR/valgrind/<test>.<pid>.log (one per process valgrind watched).
# Exit status 0 when everything is clean, 1 otherwise.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
regex=""
while [ $# -gt 0 ]; do
    case "$1" in
        -j) jobs=$2; shift 2 ;;
        -R) regex=$2; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        -*) echo "valgrind.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
        *) break ;;
    esac
done
dir=${1:-$here/build-valgrind}

for tool in valgrind python3; do
    command -v $tool >/dev/null || { echo "valgrind.sh: $tool is not installed (scripts/setup.sh)" >&2; exit 1; }
done
cmake -S "$here" -B "$dir" -DGRITE_SANITIZE=OFF -DGRITE_FUZZ=OFF >/dev/null
if grep -q '^GRITE_SANITIZE:BOOL=ON' "$dir/CMakeCache.txt"; then
    echo "valgrind.sh: $dir is a sanitizer build; valgrind needs one without" >&2
    exit 1
fi
cmake --build "$dir" -j "$(nproc)"

exec python3 - "$dir" "$here" "$jobs" "$regex" <<'PYTHON'
import concurrent.futures, glob, json, os, re, subprocess, sys, time

build, source, jobs, regex = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
build, source = os.path.realpath(build), os.path.realpath(source)
FACTOR = 20                       # valgrind slowdown allowed on every timeout
logs = os.path.join(build, "valgrind")
os.makedirs(logs, exist_ok=True)
for old in glob.glob(os.path.join(logs, "*")):
    os.remove(old)

VALGRIND = [
    "valgrind", "--tool=memcheck", "--error-exitcode=99",
    "--leak-check=full", "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite",
    "--num-callers=40", "--trace-children=yes",
    # Only our programs: not the shells, compilers, python and mount tools tests run.
    "--trace-children-skip=/usr/*,/bin/*,/sbin/*,/lib/*,/lib64/*,/opt/*,*/.pyenv/*,*/python3*",
]

def ours(path):
    """One of our programs: an ELF executable of this tree (a script of ours,
    like tests/fuzz/compile-headers.sh, is run by the shell: not watched)."""
    path = os.path.realpath(path)
    if not (path.startswith(build + os.sep) or path.startswith(source + os.sep)):
        return False
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False

listing = json.loads(subprocess.run(["ctest", "--show-only=json-v1"], cwd=build, check=True,
                                    capture_output=True, text=True).stdout)
tests = []
for t in listing["tests"]:
    if not t.get("command") or (regex and not re.search(regex, t["name"])):
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    tests.append((t["name"], t["command"], props))

def run(name, command, props):
    env = dict(os.environ, GRITE_VALGRIND="1")
    for kv in props.get("ENVIRONMENT", []):
        key, _, value = kv.partition("=")
        env[key] = value
    # Check's per-test timeouts: the test's own multiplier (if any), times ours.
    base = env.get("CK_TIMEOUT_MULTIPLIER", "1")
    env["CK_TIMEOUT_MULTIPLIER"] = str(FACTOR * (int(base) if base.isdigit() else 1))
    watched = ours(command[0])
    if watched:
        command = VALGRIND + ["--log-file=%s/%s.%%p.log" % (logs, name)] + command
    timeout = float(props.get("TIMEOUT", 1500)) * FACTOR
    start = time.monotonic()
    with open(os.path.join(logs, name + ".out"), "w") as out:
        try:
            rc = subprocess.run(command, cwd=props.get("WORKING_DIRECTORY", build), env=env,
                                stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    return name, watched, rc, time.monotonic() - start

def dirty_logs(name):
    bad = []
    for log in sorted(glob.glob(os.path.join(logs, name + ".*.log"))):
        text = open(log, errors="replace").read()
        if re.search(r"ERROR SUMMARY: [1-9]", text):
            bad.append(log)
    return bad

began = time.monotonic()
failed, unwatched = [], []
with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
    for name, watched, rc, secs in pool.map(lambda t: run(*t), tests):
        bad = dirty_logs(name)
        ok = rc == 0 and not bad
        note = "" if watched else "  (not under valgrind: %s)" % os.path.basename(
            next(t[1][0] for t in tests if t[0] == name))
        print("%-36s %s %7.1f s%s" % (name, "ok  " if ok else "FAIL", secs, note), flush=True)
        if not watched:
            unwatched.append(name)
        if not ok:
            failed.append(name)
            print("    exit status %s; output: %s" % (rc, os.path.join(logs, name + ".out")))
            # CI keeps only what we print: the output's last lines say which check failed.
            with open(os.path.join(logs, name + ".out"), errors="replace") as out:
                sys.stdout.writelines("      " + l for l in out.readlines()[-40:])
            for log in bad:
                print("    memory errors: %s" % log)
                lines = [l for l in open(log, errors="replace") if not re.match(r"==\d+== ?$", l)]
                sys.stdout.writelines("      " + l for l in lines[:60])

total = time.monotonic() - began
print("\nvalgrind.sh: %d tests in %.0f s (%d at a time), %d without valgrind, %d failed%s"
      % (len(tests), total, jobs, len(unwatched), len(failed),
         ": " + " ".join(failed) if failed else ""))
sys.exit(1 if failed else 0)
PYTHON
