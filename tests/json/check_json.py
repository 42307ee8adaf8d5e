#!/usr/bin/env python3
"""check_json.py WRITE_CASES OUTDIR

Runs WRITE_CASES (tests/json/write_cases.c) to write every JSON case into
OUTDIR, then proves with Python's own JSON parser that each output is
valid JSON (strict UTF-8, no NaN/Infinity, no duplicate keys), that the
compact and pretty forms hold the same value, that Python's serializer
writes exactly our text for the "exact" cases (same escaping, key order,
separators and indentation), and that the key values survive parsing
exactly: 64-bit integers, escaped strings, hex bytes, floats.
"""
import json
import math
import os
import struct
import subprocess
import sys

FAILURES = []


def fail(msg):
    FAILURES.append(msg)


def strict_load(raw, name):
    text = raw.decode("utf-8")  # strict: invalid UTF-8 raises

    def no_constants(token):
        raise ValueError(f"{name}: non-standard JSON constant {token}")

    def unique_keys(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{name}: duplicate key in {keys}")
        return dict(pairs)

    return text, json.loads(text, parse_constant=no_constants, object_pairs_hook=unique_keys)


def f32(x):
    """x rounded to the nearest float32, as a Python float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def same_float(a, b):
    return type(a) in (int, float) and float(a) == b and math.copysign(1, float(a)) == math.copysign(1, b)


U64_MAX = 2**64 - 1

# name -> (description, check(value) -> bool)
KEY_VALUES = {
    "request_LockAcquire": [
        ("ttl_ms is u64 max", lambda v: v["command"]["LockAcquire"]["ttl_ms"] == U64_MAX),
    ],
    "request_IssueList": [
        ("absent limit is null", lambda v: v["command"]["IssueList"]["filter"]["limit"] is None),
        ("offset is 10", lambda v: v["command"]["IssueList"]["filter"]["offset"] == 10),
    ],
    "request_escapes": [
        ("title decodes to the original text",
         lambda v: v["command"]["IssueCreate"]["title"]
         == 'q"b\\s/n\nt\tr\rb\bf\f\x01\x1f\x00\x7f-\u00e9\u65e5\U0001F600'),
        ("non-ASCII label", lambda v: v["command"]["IssueCreate"]["labels"][1] == "\u00e9t\u00e9"),
    ],
    "reply_IssueListResult": [
        ("2^53 + 1 is exact", lambda v: v["response"]["IssueListResult"]["issues"][1]["updated_ts"]
         == 2**53 + 1),
    ],
    "reply_DaemonStatusResult": [
        ("requests_served is u64 max",
         lambda v: v["response"]["DaemonStatusResult"]["requests_served"] == U64_MAX),
        ("fingerprint is exact",
         lambda v: v["response"]["DaemonStatusResult"]["schema_fingerprint"] == 0xFEDCBA9876543210),
    ],
    "reply_SyncResult": [
        ("u32 max", lambda v: v["response"]["SyncResult"]["comments_merged"] == 2**32 - 1),
    ],
    "notification_LockChanged_held": [
        ("expires_ts is u64 max", lambda v: v["LockChanged"]["expires_ts"] == U64_MAX),
    ],
    "notification_SnapshotCreated": [
        ("hash hex decodes to the bytes",
         lambda v: bytes.fromhex(v["SnapshotCreated"]["content_hash"])
         == bytes((i * 8 + i // 4) & 255 for i in range(32))),
    ],
    "notification_unknown": [("unknown tag", lambda v: v == {"unknown": 99})],
    "types_numbers_limits": [
        ("u64 max", lambda v: v["a_u64"] == U64_MAX),
        ("i64 min", lambda v: v["a_i64"] == -(2**63)),
        ("doubles read back exactly", lambda v: all(
            same_float(a, b) for a, b in zip(v["doubles"], [
                0.0, 0.0, 1.0, 1.5, 1e300, 5e-324, sys.float_info.min,
                1.0 / 3.0, 123456789012345678.0, -2.5e-10]))
         and len(v["doubles"]) == 10),
        ("singles round to the same float32", lambda v: [f32(x) for x in v["singles"]]
         == [f32(0.1), f32(16777216.0), f32(3.4028234663852886e38), f32(1.4e-45), f32(-3.25)]),
        ("f32 0.1", lambda v: f32(v["a_f32"]) == f32(0.1)),
        ("f64 0.1", lambda v: v["a_f64"] == 0.1),
    ],
    "types_numbers_positive_limits": [
        ("i64 max", lambda v: v["a_i64"] == 2**63 - 1),
    ],
    "types_numbers_not_finite": [
        ("NaN and Inf are null", lambda v: v["a_f32"] is None and v["a_f64"] is None
         and v["doubles"] == [None, None, 0.5] and v["singles"] == [None]),
    ],
    "types_seqs_full": [
        ("bytes as hex", lambda v: bytes.fromhex(v["blob"]) == b"\x00\xff\x10"),
        ("unknown open enum value is a number", lambda v: v["levels"] == ["Low", "High", 777]),
    ],
}


def check_case(outdir, name, mode):
    try:
        with open(os.path.join(outdir, name + ".json"), "rb") as f:
            compact_text, compact = strict_load(f.read(), name)
        with open(os.path.join(outdir, name + ".pretty.json"), "rb") as f:
            pretty_text, pretty = strict_load(f.read(), name + " (pretty)")
    except (OSError, ValueError) as e:
        fail(f"{name}: {e}")
        return
    if compact != pretty:
        fail(f"{name}: compact and pretty JSON differ in value")
    if mode == "exact":
        again = json.dumps(compact, ensure_ascii=False, separators=(",", ":"))
        if again != compact_text:
            fail(f"{name}: Python writes\n  {again}\nwe wrote\n  {compact_text}")
        again = json.dumps(compact, ensure_ascii=False, indent=2)
        if again != pretty_text:
            fail(f"{name}: Python's indent=2 differs from our pretty text")
    for what, check in KEY_VALUES.get(name, []):
        try:
            ok = check(compact)
        except (KeyError, IndexError, TypeError, ValueError) as e:
            ok = False
            what += f" ({type(e).__name__}: {e})"
        if not ok:
            fail(f"{name}: {what}")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    writer, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    subprocess.run([writer, outdir], check=True)
    with open(os.path.join(outdir, "MANIFEST"), encoding="ascii") as f:
        cases = [line.split() for line in f if line.strip()]
    names = {name for name, _ in cases}
    for missing in sorted(set(KEY_VALUES) - names):
        fail(f"{missing}: no such case was written")
    for name, mode in cases:
        check_case(outdir, name, mode)
    for msg in FAILURES:
        print("FAIL", msg, file=sys.stderr)
    print(f"check_json: {len(cases)} cases, {len(FAILURES)} failures")
    return 1 if FAILURES or len(cases) < 40 else 0


if __name__ == "__main__":
    sys.exit(main())
