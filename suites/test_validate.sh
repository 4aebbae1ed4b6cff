#!/bin/sh
# suites/test_validate.sh: a run under the Khronos validation layer with synchronization
# validation; any message fails its case, so exit 0 means the layer reported nothing.
# Skipped (77) where the layer is not installed. Usage: test_validate.sh BLSVK FILTER...
set -u
BLSVK=$1
shift
T=$(mktemp -d /tmp/blsvk-validate-XXXXXX)
trap 'rm -rf "$T"' EXIT
args=""
for f in "$@"; do args="$args --filter $f"; done
# shellcheck disable=SC2086
"$BLSVK" run --validate --suite quick $args --report-dir "$T" >"$T/out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "validation layer" "$T/out"; then
    echo "skipped: the Khronos validation layer is not installed (apt-get install vulkan-validationlayers)"
    exit 77
fi
if [ $rc = 3 ]; then
    echo "skipped: no Vulkan device"
    exit 77
fi
tail -5 "$T/out"
exit $rc
