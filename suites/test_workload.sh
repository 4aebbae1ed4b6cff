#!/bin/sh
# suites/test_workload.sh: `blsvk workload` and the workload manifests (docs/workload-abi.md): the
# built-in Fr NTTs pass against the reference at every size up to 2^6; the same manifest and
# modules from a --kernel-dir pass too, and with one wrong line (the twiddle index) fail; a stage
# that writes past its buffer is caught by the guards (in a batch too); a bad manifest is named with
# its member.
# Usage: test_workload.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-workload-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"

"$BLSVK" workload --help >"$T/help" 2>&1
check "--help" 0 $?
contains "--help names the built-ins" "$T/help" "fr.ntt, fr.intt, fr.ntt_coset, fr.intt_coset) and"
contains "--help names the MSM" "$T/help" "G1 MSM (g1.msm)"
"$BLSVK" workload --log-n 40 >"$T/o" 2>&1
check "--log-n past the two-adicity" 2 $?
contains "--log-n: the reason" "$T/o" "is not a list of sizes 0 to 32"
"$BLSVK" workload --workload fr.fft >"$T/o" 2>&1
check "an unknown workload" 2 $?
contains "an unknown workload: named" "$T/o" "no built-in workload 'fr.fft'"

"$BLSVK" devices >/dev/null 2>&1 || { echo "no Vulkan device: skipped"; finish; exit $?; }

# --- the built-in workloads, both limb widths, every edge input and a random one ------------------
NTTS=fr.ntt,fr.intt,fr.ntt_coset,fr.intt_coset
"$BLSVK" workload --workload $NTTS --log-n 0-6 --quiet --json "$T/b.json" >"$T/b.out" 2>&1
check "built-in NTTs pass" 0 $?
contains "the count: 4 workloads x 2 limbs x 7 sizes x 10 inputs" "$T/b.out" "^560 cases, 0 failed"
contains "results JSON" "$T/b.json" '"format": "blsvk-workload-results/1"'
contains "a case name" "$T/b.json" '"name": "fr.intt_coset.u32.2^6.edge.root_powers"'
# Under the validation layer (with synchronization validation): no message.
if ls /usr/share/vulkan/explicit_layer.d/*validation*.json >/dev/null 2>&1; then
    "$BLSVK" workload --workload $NTTS --limbs u64 --log-n 0-4 --quiet --validate >"$T/v.out" 2>&1
    check "--validate" 0 $?
    contains "--validate: no message" "$T/v.out" "validation layer (synchronization): 0 messages"
fi
# The random inputs are the seed's: two runs give the same inputs, another seed others (the
# transform of different inputs passes as well; what is checked is that the seed is taken).
"$BLSVK" workload --workload fr.ntt --limbs u64 --log-n 3 --set random --seed 7 >"$T/s.out" 2>&1
check "--seed 7" 0 $?
# Another workgroup size moves the split between the shared-memory and the global stages (2^5
# elements a block at 16, 2^9 at 256): both give the reference's transform.
for wg in 16 256; do
    "$BLSVK" workload --workload fr.ntt,fr.intt --limbs u32 --log-n 4-10 --set random --workgroup-size $wg >"$T/wg.out" 2>&1
    check "--workgroup-size $wg" 0 $?
done
# --stages: each stage's time under its case, and in the JSON (the modules in the manifest's order).
"$BLSVK" workload --workload fr.intt --limbs u64 --log-n 8 --set random --workgroup-size 16 --stages \
    --json "$T/st.json" >"$T/st.out" 2>&1
check "--stages" 0 $?
contains "--stages: the passes and the scale, by the manifest's names" "$T/st.out" \
    'stages (us): bitrev [0-9.]*, first [0-9.]*, pass [0-9.]*, scale [0-9.]*$'
contains "--stages: in the JSON" "$T/st.json" '"stages_us": "bitrev [0-9.]*, first'
contains "--stages: each module's pipeline statistics, or why there are none" "$T/st.out" \
    '^ *module bv_ntt_local.u64: '
# A repeated stage's repetitions are told apart by s; a stage name that is not a name is refused.
"$BLSVK" workload --workload fr.ntt --limbs u64 --log-n 12 --set random --workgroup-size 16 --stages >"$T/st2.out" 2>&1
contains "--stages: a repeated stage's repetitions" "$T/st2.out" 'first [0-9.]*, pass.0 [0-9.]*, pass.1 [0-9.]*$'
mkdir -p "$T/nm"
cp "$SRC"/kernels/workloads/bv_ntt_*.comp "$T/nm/"
sed 's/"name": "first"/"name": "fir st"/' "$SRC/kernels/workloads/fr.ntt.json" >"$T/nm/fr.ntt.json"
"$BLSVK" workload --kernel-dir "$T/nm" --workload fr.ntt --log-n 0 >"$T/nm.out" 2>&1
check "a stage name with a space: exit 2" 2 $?
contains "a stage name with a space: said" "$T/nm.out" "stages\[1\].name: 'fir st' is not letters, digits"
# A stage whose shared memory (the manifest's "shared") is past the device's limit: refused before
# any pipeline is made (NVIDIA's driver loses the device on such a dispatch), not-supported with
# the reason (at n = 1 too: the stage dispatches nothing there, but its pipeline is made).
mkdir -p "$T/sh"
cp "$SRC"/kernels/workloads/bv_ntt_*.comp "$T/sh/"
sed 's/"shared": "wg \* 64"/"shared": "wg * 1048576"/' "$SRC/kernels/workloads/fr.ntt.json" >"$T/sh/fr.ntt.json"
"$BLSVK" workload --kernel-dir "$T/sh" --workload fr.ntt --limbs u32 --log-n 0-1 --set random >"$T/sh.out" 2>&1
check "shared memory past the limit: not a failure" 0 $?
contains "shared memory past the limit: the reason" "$T/sh.out" \
    "^not-supported .*fr.ntt.u32.2^1.random .*stage 1 needs [0-9]* bytes of shared memory at workgroup size"
contains "shared memory past the limit: every case" "$T/sh.out" "^2 cases, 0 failed"
"$BLSVK" workload --workgroup-size 96 >"$T/wg.out" 2>&1
check "--workgroup-size 96 (not a power of two)" 2 $?
contains "--workgroup-size 96: said" "$T/wg.out" "power of two"

# --- the G1 MSM: every named edge and a random input (points of known logarithms) at n = 1 and 8
# (two modules, so a CPU driver compiles the Jacobian addition once and the bucket sums' XYZZ one
# once), then one wrong line ---------------------------------------------------------------------
"$BLSVK" workload --workload g1.msm --limbs u64 --log-n 0,3 --quiet >"$T/msm.out" 2>&1
check "the built-in MSM passes" 0 $?
contains "the MSM's count: 2 sizes x 12 inputs" "$T/msm.out" "^24 cases, 0 failed"
mkdir -p "$T/msm"
cp "$SRC"/kernels/workloads/g1.msm.json "$SRC"/kernels/workloads/bv_msm*.comp "$SRC"/kernels/workloads/bv_msm.glsl "$T/msm/"
# One doubling fewer a window in the combine (an off-by-one in Horner's rule): the same point only
# where every window above the lowest sums to the identity.
sed -i 's/if (t % (c + 1u) < c)/if (t % (c + 1u) < c - 1u)/' "$T/msm/bv_msm.comp"
grep -q 'if (t % (c + 1u) < c - 1u)' "$T/msm/bv_msm.comp" && ok || bad "the MSM bug was not planted"
"$BLSVK" workload --kernel-dir "$T/msm" --workload g1.msm --limbs u64 --log-n 3 >"$T/msmbad.out" 2>&1
check "an MSM with a wrong combine fails" 1 $?
contains "the random input fails as another point" "$T/msmbad.out" \
    "^fail .*g1.msm.u64.2^3.random .*the sum is wrong value: got X,Y,Z"
contains "scalars 0 still pass" "$T/msmbad.out" "^pass .*g1.msm.u64.2^3.edge.scalars_zero "
# A g1 manifest without its scalars' buffer is named.
sed 's/"scalars": "scalars",//' "$SRC/kernels/workloads/g1.msm.json" >"$T/msm/g1.msm.json"
"$BLSVK" workload --kernel-dir "$T/msm" --workload g1.msm --log-n 0 >"$T/m.out" 2>&1
check "an MSM manifest without scalars: exit 2" 2 $?
contains "an MSM manifest without scalars: said" "$T/m.out" "a g1 workload (an MSM) names its scalars' buffer"

# --- a user folder: the built-in manifest and modules, then one wrong line -------------------------
mkdir -p "$T/k" "$T/bad"
cp "$SRC"/kernels/workloads/fr.ntt.json "$SRC"/kernels/workloads/bv_ntt_*.comp "$T/k/"
"$BLSVK" workload --kernel-dir "$T/k" --workload fr.ntt --log-n 0-5 --quiet >"$T/k.out" 2>&1
check "the built-in NTT as a user's folder passes" 0 $?
cp "$T"/k/* "$T/bad/"
sed -i 's/BV_WL_LOAD(bv_b1, w, ((j << s0) + low) << (log_n - s0 - t - 1u))/BV_WL_LOAD(bv_b1, w, (j << s0) + low)/' \
    "$T/bad/bv_ntt_local.comp"
grep -q 'BV_WL_LOAD(bv_b1, w, (j << s0) + low)' "$T/bad/bv_ntt_local.comp" && ok || bad "the planted bug was not planted"
"$BLSVK" workload --kernel-dir "$T/bad" --workload fr.ntt --log-n 0-5 >"$T/bad.out" 2>&1
check "a wrong twiddle index fails" 1 $?
# --batch: the same inputs one after another and through a ring of buffer sets, every output
# checked: the built-in passes both ways, the planted bug fails both ways at its first input.
"$BLSVK" workload --kernel-dir "$T/k" --workload fr.ntt --limbs u64 --log-n 5 --batch 5 --ring 2 >"$T/b.out" 2>&1
check "a batch of the built-in NTT passes" 0 $?
contains "the batch one after another" "$T/b.out" "^pass .*fr.ntt.u64.2^5.batch5.ring1 .*us an item"
contains "the batch in a ring of 2" "$T/b.out" "^pass .*fr.ntt.u64.2^5.batch5.ring2 .*us an item"
"$BLSVK" workload --kernel-dir "$T/bad" --workload fr.ntt --limbs u64 --log-n 5 --batch 5 --ring 2 --seed 7 >"$T/bb.out" 2>&1
check "a batch of the wrong NTT fails" 1 $?
contains "the ring's failure names its input" "$T/bb.out" "^fail .*fr.ntt.u64.2^5.batch5.ring2 .*input 0 (seed 7): .* elements differ"
"$BLSVK" workload --workload fr.ntt --ring 4 >"$T/r.out" 2>&1
check "--ring without --batch: exit 2" 2 $?
contains "--ring without --batch: said" "$T/r.out" "--ring needs --batch"
"$BLSVK" workload --workload fr.ntt --batch 1 >"$T/r.out" 2>&1
check "--batch 1: exit 2" 2 $?
contains "the failing case and its first index" "$T/bad.out" \
    "^fail .*fr.ntt.u64.2^3.random .*4 of 8 elements differ from the reference (0 not canonical); first at index 1"
# junit.xml of the same: every case a testcase, the failures as failures, valid against the schema.
"$BLSVK" workload --kernel-dir "$T/bad" --workload fr.ntt --log-n 2-3 --quiet --junit "$T/j.xml" >/dev/null 2>&1
check "--junit with failures" 1 $?
contains "junit: the counts" "$T/j.xml" '<testsuites name="blsvk" tests="40" failures="6" errors="0"'
contains "junit: a failure with its reason" "$T/j.xml" '<failure type="fail" message="4 of 8 elements differ'
contains "junit: grouped by workload and limbs" "$T/j.xml" 'name="fr.ntt.u64.2^3.random" classname="fr.ntt.u64"'
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$SRC/docs/schemas/junit.xsd" "$T/j.xml" >/dev/null 2>&1
    check "junit: valid against docs/schemas/junit.xsd" 0 $?
fi
# Up to n = 4 the early stages use only twiddle 0 and the last one the whole table: the bug
# cannot show, and those cases pass.
contains "n = 4 still passes" "$T/bad.out" "^pass .*fr.ntt.u32.2^2.random "

# A stage that writes one element past its output: the guards catch it (the permutation stage,
# which runs on its own for n = 1).
cp "$T"/k/* "$T/bad/"
sed -i 's/bv_b0.v\[i \* BV_WL_VECS + k\] = bv_b1.v\[j \* BV_WL_VECS + k\];/bv_b0.v[(i + 1u) * BV_WL_VECS + k] = bv_b1.v[j * BV_WL_VECS + k];/' \
    "$T/bad/bv_ntt_bitrev.comp"
"$BLSVK" workload --kernel-dir "$T/bad" --workload fr.ntt --limbs u32 --log-n 0 --set random >"$T/g.out" 2>&1
check "a write past the buffer fails" 1 $?
contains "the guard's message" "$T/g.out" "wrote past buffer 1"
# In a batch only the output and every buffer's guards come back an item: a write past the input
# (whose contents stay on the device) is still caught, in the ring as one after another.
cp "$SRC/kernels/workloads/bv_ntt_bitrev.comp" "$T/bad/"
sed -i 's/^}$/    bv_b1.v[(i + 1u) * BV_WL_VECS] = bv_b0.v[i * BV_WL_VECS];\n}/' "$T/bad/bv_ntt_bitrev.comp"
grep -q 'bv_b1.v\[(i + 1u)' "$T/bad/bv_ntt_bitrev.comp" && ok || bad "the write past the input was not planted"
"$BLSVK" workload --kernel-dir "$T/bad" --workload fr.ntt --limbs u32 --log-n 0 --batch 3 --ring 2 >"$T/gb.out" 2>&1
check "a write past a batch's input fails" 1 $?
contains "the ring's guard message" "$T/gb.out" "^fail .*batch3.ring2 .*item 0: a stage wrote past buffer 0"

# --- workloads as cases of blsvk run: the built-in ones, then a user's folder through --kernel-dir
"$BLSVK" run --filter 'fr.ntt.*' --filter 'fr.intt_coset.*' --report-dir "$T/run" --quiet >"$T/run.out" 2>&1
check "run: the NTT cases pass" 0 $?
RJ=$(ls "$T"/run/*/[0-9]*/results.json | head -1)
contains "run: 24 cases" "$(dirname "$RJ")/summary.md" '^| cases | 24 cases: 24 pass |$'
contains "run: an edge case at n = 16" "$RJ" '"name": "fr.ntt.u64.persistent.edge.16"'
contains "run: a one-shot case" "$RJ" '"name": "fr.intt_coset.u32.oneshot.random.2"'
contains "run: a pipelined batch" "$RJ" '"name": "fr.ntt.u64.pipelined.random.1024"'
contains "run: the workload's modules hashed" "$RJ" '"modules_fingerprint": "[0-9a-f]'
mkdir -p "$T/rk"
cp "$SRC"/kernels/workloads/fr.ntt.json "$SRC"/kernels/workloads/bv_ntt_bitrev.comp "$SRC"/kernels/workloads/bv_ntt_local.comp \
    "$SRC"/kernels/workloads/bv_workload_head.glsl "$T/rk/"
"$BLSVK" run --kernel-dir "$T/rk" --report-dir "$T/run2" --quiet >"$T/run2.out" 2>&1
check "run --kernel-dir: a user's NTT manifest and modules pass" 0 $?
contains "run --kernel-dir: only the folder's workload" "$(ls "$T"/run2/*/[0-9]*/summary.md | head -1)" \
    '^| cases | 12 cases: 12 pass |$'
sed -i 's/BV_WL_LOAD(bv_b1, w, ((j << s0) + low) << (log_n - s0 - t - 1u))/BV_WL_LOAD(bv_b1, w, (j << s0) + low)/' \
    "$T/rk/bv_ntt_local.comp"
"$BLSVK" run --kernel-dir "$T/rk" --report-dir "$T/run3" >"$T/run3.out" 2>&1
check "run --kernel-dir: the planted twiddle bug fails" 1 $?
contains "run --kernel-dir: the edge input that fails is named" "$T/run3.out" \
    "fail fr.ntt.u64.persistent.edge.16: 2 of 9 inputs fail; one_at_n-1: 12 of 16 elements differ"
contains "run --kernel-dir: the pipelined batch's first failing input is named" "$T/run3.out" \
    "fail fr.ntt.u64.pipelined.random.1024: 8 of 8 inputs fail; input 0 (seed 1): 1020 of 1024 elements differ"
cp "$SRC"/kernels/workloads/bv_ntt_butterfly.comp "$T/rk/"
"$BLSVK" run --kernel-dir "$T/rk" --report-dir "$T/run4" >"$T/run4.out" 2>&1
check "run --kernel-dir: a module no manifest uses" 2 $?
contains "run --kernel-dir: the stray file named" "$T/run4.out" "bv_ntt_butterfly.comp: not a kernel file name"
printf '{}' >"$T/rk/fr.fft.json"
rm "$T/rk/bv_ntt_butterfly.comp"
"$BLSVK" run --kernel-dir "$T/rk" --report-dir "$T/run5" >"$T/run5.out" 2>&1
check "run --kernel-dir: a manifest with another name" 2 $?
contains "run --kernel-dir: its name said" "$T/run5.out" "fr.fft.json: not a workload manifest's name"

# --- bad manifests: the file, the member and what is wrong --------------------------------------
m() { # m NAME EXPECTED_TEXT: runs the manifest in $T/m/fr.ntt.json
    "$BLSVK" workload --kernel-dir "$T/m" --workload fr.ntt --log-n 2 >"$T/m.out" 2>&1
    check "$1: exit 2" 2 $?
    contains "$1: the message" "$T/m.out" "$2"
}
mkdir -p "$T/m"
cp "$T"/k/*.comp "$T/m/"
printf '{"format": "blsvk-workload/1",' >"$T/m/fr.ntt.json"
m "truncated JSON" "$T/m/fr.ntt.json"
sed 's/"bind": \["work", "twiddles", "data"\]/"bind": ["work", "nope", "data"]/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "an unknown buffer" "stages\[1\].bind\[1\]: no buffer 'nope'"
sed 's/"items": "n \/ 2"/"items": "n \/ (s - s)"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "a division by zero" "stages\[1\].items'*.*a division by zero"
sed '0,/"shared": "wg \* 64"/s//"shared": "wg * nope"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "an unknown name in shared" "stages\[1\].shared"
sed 's/"field": "fr",/"field": "fr", "vars": {"n": "2"},/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "a var named n" "vars: 'n' is not a name of its own"
sed 's/"field": "fr",/"field": "fr", "vars": {"half": "n \/ 2", "q": "half \/ (n - n)"},/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "a var divided by zero" "vars.q.*a division by zero"
sed 's/"table": "twiddles"/"table": "twiddles", "element_bytes": "3"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "an element of 3 bytes" "buffers\[2\].element_bytes.*3 bytes, not a multiple of 4"
sed 's/"table": "twiddles"/"table": "twiddle"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "an unknown table" "buffers\[2\].table.*no table 'twiddle'"
sed 's/"workload": "fr.ntt"/"workload": "fr.intt"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "a name that is not the file's" "workload: 'fr.intt', not the file's name 'fr.ntt'"
sed 's/"module": "bv_ntt_bitrev"/"module": "bv_ntt_missing"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "a module that is not there" "bv_ntt_missing.comp"
sed 's/"format": "blsvk-workload\/1"/"format": "blsvk-workload\/9"/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "another format" "format: 'blsvk-workload/9', not blsvk-workload/1"
sed 's/"name": "first",/"name": "first", "specialize": "log_n +",/' "$T/k/fr.ntt.json" >"$T/m/fr.ntt.json"
m "a specialization that is not an expression" "stages\[1\].specialize"

# --- "specialize": the stage's pipeline gets the value as constant 1 (on a GPU; on a CPU device
# only with the test hook). The "first" stage's module does nothing unless the constant is 5 or
# left at its default; the later passes share the module unspecialized, so they need a pipeline
# of their own. --------------------------------------------------------------------------------
mkdir -p "$T/sp"
cp "$T"/k/* "$T/sp/"
sed -i '/^void main()$/{s/^/layout(constant_id = 1) const uint BV_TEST_SPEC = 0xffffffffu;\n/;n;s/^{$/{\n    if (BV_TEST_SPEC != 0xffffffffu \&\& BV_TEST_SPEC != 5u)\n        return;/}' \
    "$T/sp/bv_ntt_local.comp"
grep -q 'BV_TEST_SPEC != 5u' "$T/sp/bv_ntt_local.comp" && ok || bad "the specialization check was not planted"
sed -i 's/"name": "first",/"name": "first", "specialize": "log_n + 2",/' "$T/sp/fr.ntt.json"
BLSVK_SPECIALIZE=1 "$BLSVK" workload --kernel-dir "$T/sp" --workload fr.ntt --limbs u64 --log-n 3,9 --stages >"$T/sp.out" 2>&1
check "specialized with 5 (log_n = 3), and 11 (log_n = 9: the first stage skipped)" 1 $?
contains "n = 8 passes" "$T/sp.out" "^pass .*fr.ntt.u64.2^3.random "
contains "n = 512 fails" "$T/sp.out" "^fail .*fr.ntt.u64.2^9.random "
"$BLSVK" workload --kernel-dir "$T/sp" --workload fr.ntt --limbs u64 --log-n 9 --quiet >"$T/sp2.out" 2>&1
check "not specialized on a CPU device without the hook: passes" 0 $?
finish
