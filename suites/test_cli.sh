#!/bin/sh
# suites/test_cli.sh: end-to-end tests of the blsvk command on the default Vulkan device:
# exit statuses, a deliberately wrong kernel caught with a replay file that reproduces it,
# an in-place aliasing bug caught only by the in-place cases, and an invalid SPIR-V module
# rejected with the validator's message. Usage: test_cli.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
# Pipeline caches and the settings bench measures per device go here, not into the user's.
export XDG_CACHE_HOME="$T/cache"
fails=0
passes=0

check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
    if [ "$2" = "$3" ]; then
        passes=$((passes + 1))
    else
        echo "FAIL: $1: exit status $3, expected $2" >&2
        fails=$((fails + 1))
    fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then
        passes=$((passes + 1))
    else
        echo "FAIL: $1: '$3' not in $2:" >&2
        head -c 2000 "$2" >&2
        fails=$((fails + 1))
    fi
}

if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device (install mesa-vulkan-drivers)"
    exit 77
fi

# Usage errors are exit 2 with a message; --help is exit 0.
"$BLSVK" run --help >"$T/help" 2>&1; check "run --help" 0 $?
contains "run --help" "$T/help" "--kernel-dir"
"$BLSVK" run --no-such-option >"$T/err" 2>&1; check "unknown option" 2 $?
contains "unknown option" "$T/err" "no-such-option"
"$BLSVK" run --suite nope >"$T/err" 2>&1; check "unknown suite" 2 $?
contains "unknown suite" "$T/err" "unknown suite 'nope'"
"$BLSVK" run --device 4000000 --filter 'fr.add.u32.persistent.random.1' --report-dir "$T/r0" >"$T/err" 2>&1
check "bad device index" 2 $?
contains "bad device index" "$T/err" "out of range"
"$BLSVK" run --filter 'nothing-matches' --report-dir "$T/r0" >"$T/err" 2>&1; check "empty filter" 2 $?
"$BLSVK" frobnicate >"$T/err" 2>&1; check "unknown verb" 2 $?

# The built-in kernel passes and writes results.json.
"$BLSVK" run --filter 'fr.add.u32.persistent.*' --report-dir "$T/r1" --quiet >"$T/out" 2>&1
check "built-in fr.add" 0 $?
R1=$(ls -d "$T"/r1/*/[0-9]*/)
contains "results.json written" "$R1/results.json" '"format": "blsvk-results/1"'
contains "every case in the log" "$R1/results.jsonl" '"event":"result"'
# The device record carries the fma probe's verdict (a device with doubles rounds its fma once or
# twice, never a third way), and summary.md says it.
contains "fma probe in results.json" "$R1/results.json" '"verdict": "\(fused\|not fused\|not supported\)"'
contains "fma probe in summary.md" "$R1/summary.md" '^| double fma | \(fused\|not fused\|not supported\) '
"$BLSVK" devices --probe >"$T/probe" 2>&1; check "devices --probe" 0 $?
contains "devices --probe" "$T/probe" 'double fma: \(fused\|not fused\|not supported\)'
"$BLSVK" devices --probe --json >"$T/probe.json" 2>&1; check "devices --probe --json" 0 $?
contains "devices --probe --json" "$T/probe.json" '"fma_f64": {'

# A kernel that never reduces fails, with a replay file that reproduces the failure.
"$BLSVK" run --kernel-dir "$SRC/suites/kernels/no-reduce" --filter 'fr.add.u32.persistent.*' \
    --report-dir "$T/r2" >"$T/out" 2>&1
check "no-reduce kernel fails" 1 $?
contains "no-reduce reason" "$T/out" "differ from the reference"
REPLAY=$(ls "$T"/r2/*/[0-9]*/replays/fr.add.u32.persistent.random.4099.json 2>/dev/null | head -1)
if [ -n "$REPLAY" ]; then
    passes=$((passes + 1))
    "$BLSVK" eval --in "$REPLAY" --out "$T/e1.json" --kernel-dir "$SRC/suites/kernels/no-reduce" >/dev/null 2>&1
    check "replay reproduces the failure" 1 $?
    contains "replay results" "$T/e1.json" '"status": "fail"'
    "$BLSVK" eval --in "$REPLAY" --out "$T/e2.json" >/dev/null 2>&1
    check "replay passes on the built-in kernel" 0 $?
else
    echo "FAIL: no replay file written" >&2
    fails=$((fails + 1))
fi

# A kernel that re-reads its inputs after writing passes with separate buffers and fails
# exactly the in-place cases.
"$BLSVK" run --kernel-dir "$SRC/suites/kernels/reread-after-write" --filter 'fr.add.u32.persistent.*' \
    --filter '-*.inplace.*' --report-dir "$T/r3" --quiet >"$T/out" 2>&1
check "aliasing bug invisible without aliasing" 0 $?
"$BLSVK" run --kernel-dir "$SRC/suites/kernels/reread-after-write" --filter 'fr.add.u32.persistent.inplace.*' \
    --report-dir "$T/r4" --quiet >"$T/out" 2>&1
check "aliasing bug caught in place" 1 $?

# An invalid module fails its cases with the validator's message; the run goes on.
"$BLSVK" run --kernel-dir "$SRC/suites/kernels/invalid-spirv" --report-dir "$T/r5" >"$T/out" 2>&1
check "invalid SPIR-V fails" 1 $?
contains "validator message" "$T/out" "kernel rejected"
contains "validator message names the problem" "$T/out" "OpCapability"

# A bad vector file is exit 2 with the file named.
printf '{"format":"blsvk-vectors/1","field":"fp","op":"mul","cases":[{"name":"x","inputs":["0x1"]}]}' >"$T/bad.json"
"$BLSVK" eval --in "$T/bad.json" --out "$T/e3.json" >"$T/err" 2>&1; check "bad vector file" 2 $?
contains "bad vector file named" "$T/err" "bad.json"

# --memory auto (the default): a small case on host-visible memory, a large one on device memory,
# each named in results.json; the run records "auto"; given outright, every case takes it.
"$BLSVK" run --filter 'fr.neg.u64.persistent.edge.all' --filter 'fr.mul.u64.persistent.random.[14]*' \
    --filter 'fr.mul.u64.pipelined.chunk1.37' --report-dir "$T/mem" --quiet >/dev/null 2>&1
check "--memory auto run" 0 $?
MJ=$(ls "$T"/mem/*/[0-9]*/results.json | head -1)
python3 - "$MJ" >"$T/mem.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("run", r["memory"])
for c in r["cases"]:
    print(c["name"], c.get("memory", "-"))
PY
contains "auto: the run says auto" "$T/mem.txt" '^run auto$'
contains "auto: 69 negations on host memory" "$T/mem.txt" '^fr.neg.u64.persistent.edge.all host$'
contains "auto: one product on host memory" "$T/mem.txt" '^fr.mul.u64.persistent.random.1 host$'
contains "auto: 4099 products (past 384 KiB) on device memory" "$T/mem.txt" '^fr.mul.u64.persistent.random.4099 device$'
contains "auto: pipelined records none" "$T/mem.txt" '^fr.mul.u64.pipelined.chunk1.37 -$'
"$BLSVK" run --filter 'fr.neg.u64.persistent.edge.all' --memory device --report-dir "$T/mem2" --quiet >/dev/null 2>&1
grep -q '"memory": "device"' "$(ls "$T"/mem2/*/[0-9]*/results.json | head -1)"
check "--memory device: the edge set on device memory" 0 $?
"$BLSVK" run --filter 'fr.mul.u64.persistent.random.4099' --memory-crossover 1M --report-dir "$T/mem4" --quiet \
    >/dev/null 2>&1
grep -q '"memory": "host"' "$(ls "$T"/mem4/*/[0-9]*/results.json | head -1)"
check "--memory-crossover 1M: 4099 products on host memory" 0 $?
"$BLSVK" run --memory-crossover 12Q --report-dir "$T/mem5" >"$T/err" 2>&1
check "--memory-crossover 12Q" 2 $?
contains "--memory-crossover 12Q: said" "$T/err" "takes bytes"
# The crossover bench measures is recorded for the device and driver, and run takes it from there
# (results.json and summary.md say which: default, option, measured); a settings file that is not
# one is not used, and the reports say so (unreadable).
grep -q '"memory_crossover_from": "default"' "$MJ"
check "auto: the default crossover, said so" 0 $?
grep -q '"memory_crossover_from": "option"' "$(ls "$T"/mem4/*/[0-9]*/results.json | head -1)"
check "--memory-crossover: said so" 0 $?
"$BLSVK" bench --fields fr --ops mul --limbs u64 --modes roundtrip --roundtrip-sizes 64,128 --reps 2 --warmup 0 \
    >"$T/xo.out" 2>&1
check "bench measures the crossover" 0 $?
contains "bench: recorded" "$T/xo.out" "recorded for this device and driver in $T/cache/blsvk/.*settings.json"
SET=$(ls "$T"/cache/blsvk/*.settings.json | head -1)
python3 - "$SET" "$T/xo.out" >"$T/xo.txt" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))
m = re.findall(r"--memory-crossover (\d+)|device memory won at every size", open(sys.argv[2]).read())
print("format", s["format"], "recorded", s["memory_crossover"], "printed", m[0] if m[0] else 1)
PY
contains "the file holds what bench printed" "$T/xo.txt" "^format blsvk-device-settings/1 recorded \([0-9]*\) printed \1$"
"$BLSVK" run --filter 'fr.neg.u64.persistent.edge.all' --report-dir "$T/mem6" --quiet >/dev/null 2>&1
J6=$(ls "$T"/mem6/*/[0-9]*/results.json | head -1)
grep -q '"memory_crossover_from": "measured"' "$J6" && grep -q "\"memory_crossover\": $(sed -n 's/.*"memory_crossover": \([0-9]*\).*/\1/p' "$SET")," "$J6"
check "run takes the measured crossover" 0 $?
contains "summary.md names it" "$(dirname "$J6")/summary.md" "measured on this device by blsvk bench"
printf 'not json' >"$SET"
"$BLSVK" run --filter 'fr.neg.u64.persistent.edge.all' --report-dir "$T/mem7" --quiet >/dev/null 2>&1
J7=$(ls "$T"/mem7/*/[0-9]*/results.json | head -1)
grep -q '"memory_crossover_from": "unreadable"' "$J7" && grep -q '"memory_crossover": 393216,' "$J7"
check "a broken settings file: the default, said so" 0 $?
contains "summary.md says the file could not be read" "$(dirname "$J7")/summary.md" "settings file could not be read"
# bench's workload entries: each checked, an NTT's with the copy bound over its passes, and a
# pipelined batch beside each with its ratio to the same batch one after another, in the JSON.
"$BLSVK" bench --fields fr --ops add --limbs u64 --modes resident --sizes 1024 --chain 0 --reps 2 --warmup 0 \
    --workloads fr.ntt,fr.intt --workload-sizes 2^4,2^6 --out "$T/wl.json" >"$T/wl.out" 2>&1
check "bench --workloads" 0 $?
python3 - "$T/wl.json" >"$T/wl.txt" <<'PY'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["entries"] if x["kind"] == "workload"]
e = [x for x in a if x["mode"] == "persistent"]
p = [x for x in a if x["mode"] == "pipelined"]
print("entries", len(e), "verified", all(x["verified"] for x in e),
      "bounded", all(x["bound_per_s"] > 0 for x in e), "names", sorted({x["name"] for x in e}))
print("pipelined", len(p), "verified", all(x["verified"] for x in p), "batch", all(x["jobs"] == 8 for x in p),
      "ratio", all("x of the same batch one after another" in x["note"] for x in p))
PY
contains "bench --workloads: four entries, checked, bounded" "$T/wl.txt" \
    "^entries 4 verified True bounded True names \['fr.intt.u64', 'fr.ntt.u64'\]$"
contains "bench --workloads: a pipelined batch beside each" "$T/wl.txt" \
    "^pipelined 4 verified True batch True ratio True$"
"$BLSVK" bench --workloads fr.fft >"$T/err" 2>&1
check "bench --workloads fr.fft" 2 $?
contains "bench --workloads fr.fft: said" "$T/err" "unknown workload 'fr.fft'"
"$BLSVK" run --memory sideways --report-dir "$T/mem3" >"$T/err" 2>&1
check "--memory sideways" 2 $?
contains "--memory sideways: said" "$T/err" "device, host or auto"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
