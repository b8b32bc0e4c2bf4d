#!/usr/bin/env bash
# run.env round trip: start-atvm-run-watcher.sh writes metadata with spaces,
# quotes, $, backslashes, tabs and newlines, and a real systemd loading the
# file as EnvironmentFile= must hand the watcher exactly the same values.
#   $1  the systemd/ folder of the source tree
#   $2  a scratch folder
set -euo pipefail

# Commands run inside the namespace start in its root folder.
helpers_dir=$(readlink -f "${1:?missing helpers folder}")
work_dir=$(readlink -m "${2:?missing scratch folder}")
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
require_namespace_support

rm -rf "$work_dir"
mkdir -p "$work_dir"
: >"$work_dir/atvm-run-watcher.env"
trap ns_stop EXIT
ns_start "$work_dir" "$work_dir/atvm-run-watcher.env"

build=env-roundtrip.1
# Literal $, backquotes and a trailing backslash are the point here.
# shellcheck disable=SC2016,SC1003
declare -A expected=(
    [ATVM_WATCHER_TEMPLATE]="cmc-e2e"
    [ATVM_WATCHER_CONFIG_FAMILY]="gold \"double\" 'single' it's"
    [ATVM_WATCHER_MIGRATION_STYLE]='costs $HOME, ${PATH}, $(id) and `id` and 100%'
    [ATVM_WATCHER_INTEGRATION_PLUGIN]='back\slash \\ \" \n \$ trailing\'
    [ATVM_WATCHER_SCOPE_DESCRIPTION]=$'  leading spaces\nsecond line\twith a tab\n\nafter an empty line  \n'
)

# The start script writes run.env inside the namespace; the stand-in
# systemctl keeps it from starting a watcher.
ns_run env ATVM_SYSTEMCTL="$atvm_test_dir/fake-systemctl.sh" \
    FAKE_SYSTEMCTL_LOG="$work_dir/systemctl.log" \
    "$helpers_dir/start-atvm-run-watcher.sh" --build-name "$build" \
    --template "${expected[ATVM_WATCHER_TEMPLATE]}" \
    --config-family "${expected[ATVM_WATCHER_CONFIG_FAMILY]}" \
    --migration-style="${expected[ATVM_WATCHER_MIGRATION_STYLE]}" \
    --integration-plugin "${expected[ATVM_WATCHER_INTEGRATION_PLUGIN]}" \
    --scope-description "${expected[ATVM_WATCHER_SCOPE_DESCRIPTION]}"
expect_eq "systemctl calls" "start atvm-run-watcher@$build.service" \
    "$(grep -v '^show' "$work_dir/systemctl.log")"

# A transient service loads the file with systemd's own parser and prints
# the environment it got, NUL-separated.
ns_run systemd-run --quiet --wait --pipe --collect \
    --property=EnvironmentFile="/var/lib/atvm-run-watcher/$build/run.env" \
    /usr/bin/env -0 >"$work_dir/environment"

declare -A actual=()
while IFS= read -r -d '' assignment; do
    actual[${assignment%%=*}]=${assignment#*=}
done <"$work_dir/environment"

for name in "${!expected[@]}"; do
    if [[ -z ${actual[$name]+set} ]]; then
        fail_test "$name is missing from the environment systemd loaded"
    fi
    if [[ ${actual[$name]} != "${expected[$name]}" ]]; then
        fail_test "$name: expected $(printf '%q' "${expected[$name]}"), systemd loaded $(printf '%q' "${actual[$name]}")"
    fi
    printf 'ok: %s survives EnvironmentFile= parsing\n' "$name"
done

# A value systemd cannot carry is rejected before anything is written.
capture ns_run env ATVM_SYSTEMCTL="$atvm_test_dir/fake-systemctl.sh" \
    FAKE_SYSTEMCTL_LOG="$work_dir/systemctl.log" \
    "$helpers_dir/start-atvm-run-watcher.sh" --build-name rejected-value \
    --template $'carriage\rreturn'
expect_eq "exit status for a carriage return" 64 "$command_status"
expect_contains "message names the option" "invalid value for --template" "$command_output"
if ns_run test -e /var/lib/atvm-run-watcher/rejected-value/run.env; then
    fail_test "run.env was written for a rejected value"
fi

printf '1 passed, 0 failed\n'
