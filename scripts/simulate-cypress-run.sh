#!/usr/bin/env bash
# Simulates one ATVM Cypress run: writes a realistic `cypress run` log (and,
# optionally, one mochawesome report per spec) over a given time, the way a
# real run grows its log. Used by the demo and by end-to-end tests.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: simulate-cypress-run.sh --log FILE [options]

Writes a Cypress 12.17.4 run log over time, four specs of ATVM migration tests.

Options:
  --log FILE          log file to append to (required)
  --pid-file FILE     write this process's PID here first
  --report-dir DIR    also write one mochawesome JSON per finished spec here
  --duration SECONDS  spread the output over about this many seconds (default 10)
  --outcome OUTCOME   passed, failed, crash (output stops mid-spec and the
                      process exits 1) or stall (output stops, the process
                      keeps running until killed) (default passed)
  --help              show this help
USAGE
}

log_file=""
pid_file=""
report_dir=""
duration=10
outcome=passed

while [[ $# -gt 0 ]]; do
    case "$1" in
        --log) log_file="${2:?--log needs a file}"; shift 2 ;;
        --pid-file) pid_file="${2:?--pid-file needs a file}"; shift 2 ;;
        --report-dir) report_dir="${2:?--report-dir needs a folder}"; shift 2 ;;
        --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
        --outcome) outcome="${2:?--outcome needs a value}"; shift 2 ;;
        --help) usage; exit 0 ;;
        *) echo "simulate-cypress-run.sh: unknown option \"$1\". Run with --help." >&2; exit 64 ;;
    esac
done

if [[ -z "$log_file" ]]; then
    echo "simulate-cypress-run.sh: missing --log FILE. Run with --help." >&2
    exit 64
fi
if ! [[ "$duration" =~ ^[0-9]+$ ]]; then
    echo "simulate-cypress-run.sh: invalid --duration \"$duration\"; give whole seconds." >&2
    exit 64
fi
case "$outcome" in
    passed | failed | crash | stall) ;;
    *) echo "simulate-cypress-run.sh: invalid --outcome \"$outcome\"; use passed, failed, crash or stall." >&2; exit 64 ;;
esac

if [[ -n "$pid_file" ]]; then
    echo "$$" >"$pid_file"
fi
if [[ -n "$report_dir" ]]; then
    mkdir -p "$report_dir"
fi

# 12 steps of output; each waits duration/12 seconds (at least 0.1).
step_delay=$(awk -v d="$duration" 'BEGIN { s = d / 12; if (s < 0.1) s = 0.1; printf "%.2f", s }')
pause() { sleep "$step_delay"; }

emit() { printf '%s\n' "$@" >>"$log_file"; }
box_line() { printf '  \xe2\x94\x82 %-94s \xe2\x94\x82\n' "$1" >>"$log_file"; }
rule() { printf '%s\n' "$(printf '%*s' "$1" '' | sed "s/ /$2/g")" >>"$log_file"; }
box_top() { printf '  \xe2\x94\x8c%s\xe2\x94\x90\n' "$(printf '%96s' '' | sed 's/ /\xe2\x94\x80/g')" >>"$log_file"; }
box_bottom() { printf '  \xe2\x94\x94%s\xe2\x94\x98\n' "$(printf '%96s' '' | sed 's/ /\xe2\x94\x80/g')" >>"$log_file"; }

specs=(
    "atvm/01-source-inventory.cy.js"
    "atvm/02-linux-guest-migration.cy.js"
    "atvm/03-windows-guest-migration.cy.js"
    "atvm/04-post-migration-checks.cy.js"
)
total_specs=${#specs[@]}

write_report() {
    local index=$1 spec=$2 passes=$3 failures=$4 failed_title=$5
    [[ -n "$report_dir" ]] || return 0
    local name tests state
    name=$(printf 'mochawesome_%03d.json' "$index")
    tests=$((passes + failures))
    local test_objects="" i
    for ((i = 1; i <= passes; i++)); do
        test_objects+="{\"title\":\"step $i\",\"fullTitle\":\"$spec step $i\",\"state\":\"passed\",\"pass\":true,\"fail\":false,\"pending\":false,\"skipped\":false,\"err\":{}},"
    done
    if ((failures > 0)); then
        state="{\"title\":\"$failed_title\",\"fullTitle\":\"$failed_title\",\"state\":\"failed\",\"pass\":false,\"fail\":true,\"pending\":false,\"skipped\":false,\"err\":{\"message\":\"AssertionError: Timed out retrying after 60000ms: expected 'Migrating' to equal 'Completed'\"}},"
        test_objects+="$state"
    fi
    test_objects=${test_objects%,}
    # Written aside and renamed, as a reporter that finishes a file would leave it.
    cat >"$report_dir/.$name.tmp" <<JSON
{"stats":{"suites":1,"tests":$tests,"passes":$passes,"pending":0,"failures":$failures,"skipped":0,"testsRegistered":$tests},
 "results":[{"uuid":"r$index","title":"","fullFile":"cypress/e2e/$spec","file":"cypress/e2e/$spec","tests":[],
   "suites":[{"uuid":"s$index","title":"$spec","tests":[$test_objects],"suites":[],"beforeHooks":[],"afterHooks":[]}],
   "beforeHooks":[],"afterHooks":[],"root":true}]}
JSON
    mv "$report_dir/.$name.tmp" "$report_dir/$name"
}

emit ""
rule 100 "="
emit "" "  (Run Starting)" ""
box_top
box_line "Cypress:        12.17.4"
box_line "Browser:        Electron 106 (headless)"
box_line "Node Version:   v18.20.4 (/usr/bin/node)"
box_line "Specs:          4 found (01-source-inventory.cy.js, 02-linux-guest-migration.cy.js, 03-"
box_line "                windows-guest-migration.cy.js, 04-post-migration-checks.cy.js)"
box_line "Searched:       cypress/e2e/atvm/**/*.cy.js"
box_bottom
emit ""
pause

summary_rows=()
total_tests=0 total_passing=0 total_failing=0 failed_specs=0

for index in "${!specs[@]}"; do
    spec=${specs[$index]}
    number=$((index + 1))
    emit ""
    printf '%s\n' "$(printf '%100s' '' | sed 's/ /\xe2\x94\x80/g')" >>"$log_file"
    emit "$(printf '%100s' '')"
    emit "$(printf '  Running:  %-78s(%d of %d)' "$spec" "$number" "$total_specs")" ""
    emit "" "  ${spec##*/}"
    pause

    if [[ "$outcome" == crash && $number -eq 3 ]]; then
        emit "    ✓ opens the migration wizard (2113ms)"
        exit 1
    fi
    if [[ "$outcome" == stall && $number -eq 3 ]]; then
        while true; do sleep 1; done
    fi

    passes=3 failures=0 failed_title=""
    emit "    ✓ opens the migration wizard (2113ms)"
    emit "    ✓ selects the source guest (4580ms)"
    if [[ "$outcome" == failed && $number -eq 3 ]]; then
        failures=1
        failed_title="cuts over the guest and powers it on"
        emit "    1) $failed_title"
        passes=2
    else
        emit "    ✓ cuts over the guest and powers it on (61204ms)"
    fi
    pause
    emit "" "" "  $passes passing (1m)"
    if ((failures > 0)); then
        emit "  1 failing" "" "  1) ${spec##*/}" "       $failed_title:"
        emit "     AssertionError: Timed out retrying after 60000ms: expected 'Migrating' to equal 'Completed'"
        emit "      at Context.eval (webpack://cdc-e2e/./cypress/e2e/$spec:88:41)" ""
    fi
    emit "" "  (Results)" ""
    box_top
    tests=$((passes + failures))
    box_line "Tests:        $tests"
    box_line "Passing:      $passes"
    box_line "Failing:      $failures"
    box_line "Pending:      0"
    box_line "Skipped:      0"
    box_line "Screenshots:  $failures"
    box_line "Video:        false"
    box_line "Duration:     1 minute, 8 seconds"
    box_line "Spec Ran:     ${spec##*/}"
    box_bottom
    write_report "$number" "${spec##*/}" "$passes" "$failures" "$failed_title"
    total_tests=$((total_tests + tests))
    total_passing=$((total_passing + passes))
    total_failing=$((total_failing + failures))
    symbol="✔" failing_cell="-"
    if ((failures > 0)); then
        symbol="✖" failing_cell=$failures failed_specs=$((failed_specs + 1))
    fi
    summary_rows+=("$(printf '  \xe2\x94\x82 %s  %-37s%11s%9s%9s%9s%9s%9s \xe2\x94\x82' \
        "$symbol" "${spec##*/}" "01:08" "$tests" "$passes" "$failing_cell" "-" "-")")
    pause
done

emit "" ""
rule 100 "="
emit "" "  (Run Finished)" "" ""
emit "       Spec                                              Tests  Passing  Failing  Pending  Skipped  "
box_top
for row in "${summary_rows[@]}"; do
    emit "$row"
done
box_bottom
if ((failed_specs > 0)); then
    percent=$(((failed_specs * 100 + total_specs / 2) / total_specs))
    emit "$(printf '    ✖  %-42s%s%9s%9s%9s%9s%9s  ' "$failed_specs of $total_specs failed ($percent%)" "04:32" \
        "$total_tests" "$total_passing" "$total_failing" "-" "-")"
else
    emit "$(printf '    ✔  %-42s%s%9s%9s%9s%9s%9s  ' "All specs passed!" "04:32" \
        "$total_tests" "$total_passing" "-" "-" "-")"
fi
emit ""
[[ $total_failing -eq 0 ]] || exit "$total_failing"
