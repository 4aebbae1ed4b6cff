#!/bin/sh
# suites/test_report_html.sh: report.html opened in a real headless Chromium: the page of a
# failing run and of a merge must render their verdict and charts, run their script to its end,
# and log nothing to the console (no script error, and no blocked attempt to load anything: the
# page's Content-Security-Policy forbids the network, so a violation would be logged). Negative
# controls first prove that this Chromium does log such errors. Screenshots are kept in
# ARTIFACT_DIR. Skips (77) when Chromium or a Vulkan device is missing.
# Usage: test_report_html.sh BLSVK SOURCE_DIR ARTIFACT_DIR
set -u
BLSVK=$1
SRC=$2
ART=$3
T=$(mktemp -d /tmp/blsvk-html-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi
}

CHROMIUM=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
if [ -z "$CHROMIUM" ]; then
    echo "skipped: no Chromium (Debian: apt-get install chromium; cmake/bootstrap.sh installs it)"
    exit 77
fi
if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device (install mesa-vulkan-drivers)"
    exit 77
fi
mkdir -p "$ART"

# browse PAGE NAME [extra chromium arguments]: the DOM after scripts ran in $T/NAME.dom, the
# browser's log (console messages included) in $T/NAME.log. A fresh profile each time, and
# nothing that would reach out of the machine.
browse() {
    b_page=$1
    b_name=$2
    shift 2
    rm -rf "$T/profile"
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/profile" --enable-logging=stderr --v=0 "$@" "file://$b_page" \
        >"$T/$b_name.dom" 2>"$T/$b_name.log"
}
console_of() { grep ':CONSOLE' "$T/$1.log"; }

# Negative controls: a script error and a blocked load must both show in the log, or this
# test could not see them in the report either.
cat >"$T/control.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
</head><body><img src="http://example.invalid/x.png" alt=""><script>no_such_function();</script></body></html>
EOF
browse "$T/control.html" control --dump-dom
if console_of control | grep -q 'Uncaught ReferenceError'; then ok; else
    bad "Chromium did not log the control page's script error: console errors would go unseen"
    cat "$T/control.log" >&2
fi
if console_of control | grep -q 'Content Security Policy'; then ok; else
    bad "Chromium did not log the control page's blocked image: network use would go unseen"
fi

# A failing run, so that the page has failures and diffs as well as charts: the built-in
# kernels, but fr.add.u32 replaced by a wrong one (the runner's test hook for first attempts,
# and no retries); with the device's bounds measured, so that the copy bound is drawn.
BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR="$SRC/suites/kernels/no-reduce" "$BLSVK" run --filter 'f*.add.*' \
    --filter 'f*.mul.*' --bounds --report-dir "$T/run" --quiet >/dev/null 2>&1
R=$(ls -d "$T"/run/*/[0-9]*/ | head -1)
"$BLSVK" run --filter 'f*.add.*' --filter 'f*.mul.*' --report-dir "$T/run2" --quiet >/dev/null 2>&1
"$BLSVK" report merge "$T/run" "$T/run2" --out "$T/merged" --quiet >/dev/null 2>&1

for page in "$R/report.html:run:FAIL" "$T/merged/report.html:merged:FAIL"; do
    file=${page%%:*}
    rest=${page#*:}
    name=${rest%%:*}
    verdict=${rest#*:}
    [ -s "$file" ] && ok || { bad "$name: no report.html"; continue; }
    browse "$file" "$name" --dump-dom
    contains "$name: the script ran to its end" "$T/$name.dom" 'data-ready="yes"'
    contains "$name: verdict rendered" "$T/$name.dom" "id=\"verdict\" class=\"badge\">$verdict<"
    charts=$(grep -o '<svg class="chart"' "$T/$name.dom" | wc -l)
    [ "$charts" -ge 2 ] && ok || bad "$name: $charts charts rendered"
    contains "$name: the sweep drawn" "$T/$name.dom" '<polyline'
    contains "$name: result matrix" "$T/$name.dom" 'class="matrix"'
    if console_of "$name" >"$T/$name.console"; then
        bad "$name: the page logged to the console:"
        cat "$T/$name.console" >&2
    else
        ok
    fi
    rm -f "$ART/$name-report.png"
    browse "$file" "$name-shot" --screenshot="$ART/$name-report.png" --window-size=1280,2400 --hide-scrollbars
    size=$(wc -c <"$ART/$name-report.png" 2>/dev/null || echo 0)
    [ "$size" -gt 20000 ] && ok || bad "$name: screenshot missing or blank ($size bytes)"
    echo "screenshot: $ART/$name-report.png"
done
contains "run page: failure diff" "$T/run.dom" '<mark>'
contains "run page: replay command" "$T/run.dom" 'blsvk eval --in'
contains "run page: copy bound drawn" "$T/run.dom" 'class="bound"'
contains "merged page: device-by-case matrix" "$T/merged.dom" 'id="device-matrix"'

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
