#!/bin/sh
# suites/test_qualify.sh: blsvk qualify and qualify --verify on the default Vulkan device, kept fast
# with the quick suite filtered to two cases and a list of its own: a passing qualification (with a
# tiny bench), its archive's layout and manifest, and --verify; an archive never overwritten; an
# archive tampered with (a byte of a report changed, a file added, a file removed, a path leaving
# its folder, a link, verdict.json edited to pass with the manifest redone to match) refused with
# the file named; a must-pass case that fails (the no-reduce kernel of suites/kernels/), waived with
# a reason, and a waiver without one refused; a glob that names no case; bad options.
# Usage: test_qualify.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
NOREDUCE=$SRC/suites/kernels/no-reduce
T=$(mktemp -d /tmp/blsvk-qualify-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"

if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device (install mesa-vulkan-drivers)"
    exit 77
fi

printf '# two cases\nfr.add.u32.persistent.edge.all\nfr.add.u32.oneshot.edge.all  # and its one-shot twin\n' >"$T/must.txt"
Q="--suite quick --filter fr.add.u32.persistent.edge.all --filter fr.add.u32.oneshot.edge.all --must-pass $T/must.txt"
TINY_BENCH="--fields fr --ops add --limbs u32 --modes resident --sizes 1024 --chain 0 --reps 2 --warmup 0"
# The one archive in a folder.
archive_in() { ls "$1"/blsvk-qualify-*.tar.gz 2>/dev/null | head -1; }
# Unpacks archive $1 into a fresh folder $2; prints the archive's folder name.
unpack() { rm -rf "$2" && mkdir -p "$2" && tar -xzf "$1" -C "$2" && ls "$2"; }

# --- a passing qualification ----------------------------------------------------------------
mkdir "$T/a"
"$BLSVK" qualify $Q --out "$T/a" --bench-options "$TINY_BENCH" >"$T/out" 2>&1
check "passing qualification" 0 $?
contains "passing qualification: verdict" "$T/out" "^verdict: pass"
A=$(archive_in "$T/a")
case "$A" in
*/blsvk-qualify-*-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].tar.gz) ok ;;
*) bad "archive name: '$A'" ;;
esac
equal "nothing but the archive left in --out" "$(ls -A "$T/a" | wc -l)" 1
TOP=$(unpack "$A" "$T/ua")
equal "one top folder, named as the archive" "$TOP.tar.gz" "$(basename "$A")"
for f in MANIFEST.sha256 verdict.json waivers.txt must-pass.txt toolchain.json devices.json bench.json \
    reports/results.json reports/results.jsonl reports/junit.xml reports/summary.md reports/report.html; do
    [ -s "$T/ua/$TOP/$f" ] && ok || bad "no $f in the archive"
done
[ -e "$T/ua/$TOP/baseline.txt" ] && bad "baseline.txt without --baseline" || ok
(cd "$T/ua/$TOP" && sha256sum -c --quiet MANIFEST.sha256) >"$T/sums" 2>&1
check "sha256sum -c reads the manifest" 0 $?
equal "the manifest lists every other file" "$(wc -l <"$T/ua/$TOP/MANIFEST.sha256")" \
    "$(cd "$T/ua/$TOP" && find . -type f ! -name MANIFEST.sha256 | wc -l)"
cmp -s "$T/must.txt" "$T/ua/$TOP/must-pass.txt" && ok || bad "must-pass.txt is not the list given"
V=$T/ua/$TOP/verdict.json
contains "verdict.json format" "$V" '"format": "blsvk-qualify/1"'
contains "verdict.json verdict" "$V" '"verdict": "pass"'
contains "verdict.json counts" "$V" '"passed": 2'
contains "verdict.json bench" "$V" '"wrong": 0'
contains "verdict.json bounds" "$V" '"bounds": true'
contains "toolchain.json" "$T/ua/$TOP/toolchain.json" '"fingerprint": "[0-9a-f]\{16\}"'
contains "devices.json" "$T/ua/$TOP/devices.json" '"uuid"'
contains "waivers.txt" "$T/ua/$TOP/waivers.txt" "^# none"
mkdir "$T/vtmp"
TMPDIR=$T/vtmp "$BLSVK" qualify --verify "$A" >"$T/out" 2>&1
check "verify of a passing archive" 0 $?
contains "verify: manifest" "$T/out" "every one present and unchanged"
contains "verify: verdict" "$T/out" "^verified: the archive checks out; verdict pass"
equal "verify leaves no temporary folder" "$(ls -A "$T/vtmp" | wc -l)" 0

# --- never overwritten ----------------------------------------------------------------------
cp "$A" "$T/a.copy"
"$BLSVK" qualify $Q --out "$T/a" --no-bench >"$T/out" 2>&1
rc=$?
if [ "$(ls "$T/a" | wc -l)" = 1 ]; then
    check "an archive already there" 2 $rc
    contains "an archive already there: said" "$T/out" "exists: not overwritten"
    cmp -s "$A" "$T/a.copy" && ok || bad "the archive already there was changed"
else
    echo "note: the UTC date changed during the test; the overwrite check is skipped"
fi

# --- tampered archives ----------------------------------------------------------------------
# A byte of a report changed, a file added, a file removed.
unpack "$A" "$T/t1" >/dev/null
sed -i '1s/,/;/' "$T/t1/$TOP/reports/results.csv"
echo extra >"$T/t1/$TOP/extra.txt"
rm "$T/t1/$TOP/devices.json"
tar -czf "$T/t1.tar.gz" -C "$T/t1" "$TOP"
"$BLSVK" qualify --verify "$T/t1.tar.gz" >"$T/out" 2>&1
check "verify: tampered" 2 $?
contains "verify: changed report named" "$T/out" "changed: reports/results.csv"
contains "verify: extra file named" "$T/out" "extra: extra.txt: in the archive, not in the manifest"
contains "verify: missing file named" "$T/out" "missing: devices.json"
contains "verify: not verified" "$T/out" "^NOT VERIFIED"
# A path that leaves the archive's folder, and a link.
unpack "$A" "$T/t2" >/dev/null
echo x >"$T/t2/evil.txt"
(cd "$T/t2/$TOP" && tar -P -czf "$T/t2.tar.gz" ../evil.txt .) 2>/dev/null
"$BLSVK" qualify --verify "$T/t2.tar.gz" >"$T/out" 2>&1
check "verify: '..' in a path" 2 $?
contains "verify: '..' named" "$T/out" "member '../evil.txt': a '..' component"
unpack "$A" "$T/t3" >/dev/null
ln -s /etc/passwd "$T/t3/$TOP/link"
tar -czf "$T/t3.tar.gz" -C "$T/t3" "$TOP"
"$BLSVK" qualify --verify "$T/t3.tar.gz" >"$T/out" 2>&1
check "verify: a link" 2 $?
contains "verify: link named" "$T/out" "$TOP/link' is a symbolic link"
# An archive whose files are consistent (the manifest made again) but not of one device: the device
# listing lacks the run's device. The verdict derived from the files is fail, and says why.
unpack "$A" "$T/t4" >/dev/null
sed -i 's/"uuid": "[0-9a-f-]*"/"uuid": "00000000-0000-0000-0000-000000000000"/' "$T/t4/$TOP/devices.json"
(cd "$T/t4/$TOP" && find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||' | LC_ALL=C sort |
    while read -r f; do sha256sum "$f"; done >MANIFEST.sha256)
tar -czf "$T/t4.tar.gz" -C "$T/t4" "$TOP"
"$BLSVK" qualify --verify "$T/t4.tar.gz" >"$T/out" 2>&1
rc=$?
[ "$rc" != 0 ] && ok || bad "verify: an archive of two devices verified"
contains "verify: the manifest still holds" "$T/out" "every one present and unchanged"
contains "verify: not one device, named" "$T/out" "not one device: devices.json lists no device with the run's UUID"
# Not an archive, and one cut short.
echo garbage >"$T/t5.tar.gz"
"$BLSVK" qualify --verify "$T/t5.tar.gz" >"$T/out" 2>&1
check "verify: not gzip" 2 $?
contains "verify: not gzip said" "$T/out" "not a gzip file, or damaged"
head -c 2000 "$A" >"$T/t6.tar.gz"
"$BLSVK" qualify --verify "$T/t6.tar.gz" >"$T/out" 2>&1
check "verify: cut short" 2 $?

# --- a must-pass case that fails --------------------------------------------------------------
mkdir "$T/b"
"$BLSVK" qualify $Q --kernel-dir "$NOREDUCE" --out "$T/b" --no-bench --quiet >"$T/out" 2>&1
check "failing must-pass case" 1 $?
contains "failing: verdict" "$T/out" "^verdict: fail"
contains "failing: case named" "$T/out" "failed: fr.add.u32.persistent.edge.all: fail: "
B=$(archive_in "$T/b")
TOPB=$(unpack "$B" "$T/ub")
contains "failing: verdict.json" "$T/ub/$TOPB/verdict.json" '"verdict": "fail"'
contains "failing: verdict.json lists the case" "$T/ub/$TOPB/verdict.json" '"case": "fr.add.u32.oneshot.edge.all", "status": "fail", "reason"'
[ -e "$T/ub/$TOPB/bench.json" ] && bad "bench.json with --no-bench" || ok
contains "failing: no bench in verdict.json" "$T/ub/$TOPB/verdict.json" '"bench": null'
"$BLSVK" qualify --verify "$B" >"$T/out" 2>&1
check "verify of a failing archive" 1 $?
contains "verify of a failing archive: said" "$T/out" "^verified: the archive checks out; verdict fail"
# verdict.json edited to say pass, its manifest line redone to match.
(cd "$T/ub/$TOPB" &&
    sed -i 's/^  "verdict": "fail"/  "verdict": "pass"/' verdict.json &&
    grep -v ' verdict.json$' MANIFEST.sha256 >m && sha256sum verdict.json >>m && mv m MANIFEST.sha256)
tar -czf "$T/t4.tar.gz" -C "$T/ub" "$TOPB"
"$BLSVK" qualify --verify "$T/t4.tar.gz" >"$T/out" 2>&1
check "verify: verdict.json edited" 2 $?
contains "verify: verdict.json edited: manifest fine" "$T/out" "every one present and unchanged"
contains "verify: verdict.json edited: said" "$T/out" 'verdict.json: verdict says "pass"; the files give "fail"'

# --- waivers ----------------------------------------------------------------------------------
printf 'fr.add.u32.*  # the no-reduce kernel never subtracts r: known, bug 1\n' >"$T/waive.txt"
mkdir "$T/c"
"$BLSVK" qualify $Q --kernel-dir "$NOREDUCE" --baseline "$T/waive.txt" --out "$T/c" --no-bench --quiet >"$T/out" 2>&1
check "waived must-pass cases" 0 $?
contains "waived: listed" "$T/out" "waived: fr.add.u32.persistent.edge.all (fail): baseline.txt line 1 (fr.add.u32.\*): the no-reduce kernel"
C=$(archive_in "$T/c")
TOPC=$(unpack "$C" "$T/uc")
cmp -s "$T/waive.txt" "$T/uc/$TOPC/baseline.txt" && ok || bad "baseline.txt is not the --baseline given"
contains "waived: waivers.txt" "$T/uc/$TOPC/waivers.txt" "^fr.add.u32.oneshot.edge.all  # fail; baseline.txt line 1 (fr.add.u32.\*): the no-reduce"
contains "waived: verdict.json" "$T/uc/$TOPC/verdict.json" '"waived": 2'
"$BLSVK" qualify --verify "$C" >"$T/out" 2>&1
check "verify of a waived archive" 0 $?
# A waiver without its reason: refused, and nothing written.
printf 'fr.add.u32.*\n' >"$T/noreason.txt"
mkdir "$T/d"
"$BLSVK" qualify $Q --kernel-dir "$NOREDUCE" --baseline "$T/noreason.txt" --out "$T/d" --no-bench >"$T/out" 2>&1
check "a waiver without a reason" 2 $?
contains "a waiver without a reason: said" "$T/out" "noreason.txt: line 1: 'fr.add.u32.\*' has no reason"
equal "a waiver without a reason: nothing written" "$(ls -A "$T/d" | wc -l)" 0
# ... and in an archive: baseline.txt edited to drop the reason (manifest redone): no verdict.
(cd "$T/uc/$TOPC" && printf 'fr.add.u32.*\n' >baseline.txt &&
    grep -v ' baseline.txt$' MANIFEST.sha256 >m && sha256sum baseline.txt >>m && mv m MANIFEST.sha256)
tar -czf "$T/t7.tar.gz" -C "$T/uc" "$TOPC"
"$BLSVK" qualify --verify "$T/t7.tar.gz" >"$T/out" 2>&1
check "verify: a waiver without a reason" 2 $?
contains "verify: a waiver without a reason: said" "$T/out" "baseline.txt: line 1: 'fr.add.u32.\*' has no reason"

# --- a glob that names no case of the run ------------------------------------------------------
printf 'fr.add.u32.persistent.edge.all\nfp.mul.*.edge.all\n' >"$T/must2.txt"
mkdir "$T/e"
"$BLSVK" qualify --suite quick --filter fr.add.u32.persistent.edge.all --must-pass "$T/must2.txt" --out "$T/e" \
    --no-bench --quiet >"$T/out" 2>&1
check "a glob that names no case" 1 $?
contains "a glob that names no case: warned" "$T/out" "warning: must-pass line 2: 'fp.mul.\*.edge.all' names no case"
contains "a glob that names no case: listed" "$T/out" "missing: must-pass.txt line 2: 'fp.mul.\*.edge.all' names no case of the run"
"$BLSVK" qualify --verify "$(archive_in "$T/e")" --quiet >"$T/out" 2>&1
check "verify of an archive with a missing glob" 1 $?

# --- options ---------------------------------------------------------------------------------
usage() { # usage NAME EXPECTED_TEXT ARGS...
    name=$1 text=$2
    shift 2
    "$BLSVK" qualify "$@" >"$T/out" 2>&1
    check "$name" 2 $?
    contains "$name: said" "$T/out" "$text"
}
usage "unknown option" "unknown option '--bogus'" --bogus
usage "abbreviated option" "unknown option '--ou'" --ou "$T"
usage "--out twice" "--out given twice" --out "$T" --out "$T"
usage "bad suite" "--suite takes quick, full, curve, not 'nope'" --suite nope
usage "no such must-pass list" "--must-pass: $T/nowhere" --must-pass "$T/nowhere" --out "$T/d"
usage "no such --out" "--out $T/nowhere" --out "$T/nowhere"
usage "--verify with other options" "--verify takes no other option than --quiet" --verify "$A" --suite full
usage "--verify of nothing" "--verify $T/nowhere.tar.gz" --verify "$T/nowhere.tar.gz"
usage "--verify without a value" "--verify needs a value" --verify
usage "no case" "no case matches the filters" --suite quick --filter 'zzz.*' --out "$T/d"
usage "stray argument" "unexpected argument 'stray'" stray
usage "--no-bench with --bench-options" "--bench-options with --no-bench" --no-bench --bench-options "--reps 2"
printf '# nothing\n' >"$T/empty.txt"
usage "empty must-pass list" "lists no case" --must-pass "$T/empty.txt" --out "$T/d"
equal "refusals leave nothing in --out" "$(ls -A "$T/d" | wc -l)" 0
"$BLSVK" qualify --help >"$T/out" 2>&1
check "--help" 0 $?
contains "--help: exit statuses" "$T/out" "^--verify: 0 the archive checks out"
"$BLSVK" qualify --show-must-pass >"$T/out" 2>&1
check "--show-must-pass" 0 $?
cmp -s "$T/out" "$SRC/suites/must-pass.txt" && ok || bad "--show-must-pass is not suites/must-pass.txt"
"$BLSVK" list --suite full --caselist "$SRC/suites/must-pass.txt" >/dev/null 2>&1
check "every line of suites/must-pass.txt names a case of the full suite" 0 $?
"$BLSVK" list --suite quick --caselist "$SRC/suites/must-pass.txt" >/dev/null 2>&1
check "every line of suites/must-pass.txt names a case of the quick suite" 0 $?

finish
