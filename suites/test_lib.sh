# suites/test_lib.sh: what the shell tests of blsvk share, sourced by them: pass/fail counting and
# checks, and reading a case's status out of a results.json. The sourcing script sets T (its
# temporary folder) before it calls these.
fails=0
passes=0

ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
    if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; head -c 1500 "$2" >&2; fi
}
lacks() { # lacks NAME FILE TEXT
    if grep -q -- "$3" "$2"; then bad "$1: '$3' in $2"; else ok; fi
}
equal() { # equal NAME A B
    if [ "$2" = "$3" ]; then ok; else bad "$1: '$2' != '$3'"; fi
}
# The status of a case in a results.json: the first "status" after its "name" member.
status_of() { # status_of RESULTS_JSON CASE
    awk -v n="\"name\": \"$2\"," 'index($0, n) {f = 1} f && /"status": / {
        sub(/.*"status": "/, ""); sub(/".*/, ""); print; exit }' "$1"
}
# Cases of a status in a results.json (the case records, not their attempts).
count_status() { grep -c "^      \"status\": \"$2\"" "$1"; }
# The summary line and exit status of a shell test.
finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" = 0 ]
}
