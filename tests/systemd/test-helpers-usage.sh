#!/usr/bin/env bash
# Command lines of start-, cancel-atvm-run-watcher.sh and launch-atvm-run.sh,
# without systemd. Usage errors exit 64 and name the value, and a busy
# instance exits 75. Unknown and finished runs are left alone. A launched
# command leaves its log, pid and exit status where the watcher looks.
# fake-systemctl.sh replaces systemctl, and a scratch folder the state root.
#   $1  the systemd/ folder of the source tree
#   $2  a scratch folder
set -euo pipefail

helpers_dir=${1:?missing helpers folder}
work_dir=${2:?missing scratch folder}
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

if ! command -v jq >/dev/null; then
    skip_test "jq not found; install the jq package"
fi

rm -rf "$work_dir"
mkdir -p "$work_dir/state" "$work_dir/automation"
export ATVM_STATE_ROOT="$work_dir/state"
export ATVM_SYSTEMCTL="$atvm_test_dir/fake-systemctl.sh"
export FAKE_SYSTEMCTL_LOG="$work_dir/systemctl.log"
export ATVM_AUTOMATION_ROOT="$work_dir/automation"
start="$helpers_dir/start-atvm-run-watcher.sh"
cancel="$helpers_dir/cancel-atvm-run-watcher.sh"
launch="$helpers_dir/launch-atvm-run.sh"

expect_usage_error()
{
    local description=$1 part=$2
    shift 2
    capture "$@"
    expect_eq "$description: exit status" 64 "$command_status"
    expect_contains "$description: message" "$part" "$command_output"
}

# --help
for script in "$start" "$cancel" "$launch"; do
    capture "$script" --help
    expect_eq "$(basename "$script") --help exit status" 0 "$command_status"
    expect_contains "$(basename "$script") --help text" "--build-name NAME" "$command_output"
done

# Build names, rejected by all three scripts with the value in the message.
long_name=$(printf 'a%.0s' {1..101})
for name in ../x "has space" "" -leading-dash .hidden "a..b" "a/b" "tab	name" "$long_name" "ünicode"; do
    expect_usage_error "start, build name '$name'" "build name" "$start" --build-name "$name"
    expect_usage_error "cancel, build name '$name'" "build name" "$cancel" --build-name "$name"
    expect_usage_error "launch, build name '$name'" "build name" "$launch" --build-name "$name" -- true
    if [[ -n $name ]]; then
        expect_contains "start names '$name'" "'$name'" "$command_output"
    fi
done
for name in a e2e-redhat9.6-ubuntu24.04-w2k25-fc A.b_c-9 "$(printf 'b%.0s' {1..100})"; do
    capture "$start" --build-name "$name"
    expect_eq "start, valid build name '$name'" 0 "$command_status"
done

# Other usage errors.
expect_usage_error "start, unknown option" "unknown option or argument '--verbose'" "$start" --build-name a --verbose
expect_usage_error "start, short option" "unknown option or argument '-h'" "$start" -h
expect_usage_error "start, missing value" "option --template needs a value" "$start" --build-name a --template
expect_usage_error "start, option twice" "option --template is given twice" \
    "$start" --build-name a --template x --template y
expect_usage_error "start, missing build name" "missing build name: give --build-name NAME" "$start" --template x
expect_usage_error "start, control character" "invalid value for --scope-description" \
    "$start" --build-name a --scope-description $'bell\a'
expect_usage_error "start, invalid UTF-8" "not valid UTF-8" \
    "$start" --build-name a --migration-style $'\xff\xfe'
expect_usage_error "cancel, extra argument" "unknown option or argument 'extra'" "$cancel" --build-name a extra
expect_usage_error "launch, no command" "missing command" "$launch" --build-name a
expect_usage_error "launch, metadata without watcher" "option --template needs --with-watcher" \
    "$launch" --build-name a --template x -- true
expect_usage_error "launch, unknown command" "command 'no-such-command-atvm' not found" \
    "$launch" --build-name a -- no-such-command-atvm
ATVM_AUTOMATION_ROOT="$work_dir/missing" expect_usage_error "launch, missing automation root" \
    "automation root '$work_dir/missing' not found" "$launch" --build-name a -- true

# A start writes run.env and calls "systemctl start" for the instance.
: >"$FAKE_SYSTEMCTL_LOG"
capture "$start" --build-name started.1 --template cmc-e2e
expect_eq "start exit status" 0 "$command_status"
expect_contains "start prints the instance" "instance: atvm-run-watcher@started.1.service" "$command_output"
expect_contains "start prints the state folder" "state folder: $ATVM_STATE_ROOT/started.1" "$command_output"
expect_eq "start calls" "start atvm-run-watcher@started.1.service" "$(grep -v '^show' "$FAKE_SYSTEMCTL_LOG")"
expect_contains "run.env template line" 'ATVM_WATCHER_TEMPLATE="cmc-e2e"' "$(<"$ATVM_STATE_ROOT/started.1/run.env")"

# A busy instance is not started again.
for state in active activating deactivating; do
    : >"$FAKE_SYSTEMCTL_LOG"
    FAKE_SYSTEMCTL_ACTIVE_STATE=$state capture "$start" --build-name started.1
    expect_eq "start while $state: exit status" 75 "$command_status"
    expect_contains "start while $state: message" "is already $state" "$command_output"
    if grep -q '^start' "$FAKE_SYSTEMCTL_LOG"; then
        fail_test "start while $state called systemctl start"
    fi
done

# A template systemd cannot load is reported, not started.
FAKE_SYSTEMCTL_LOAD_STATE=not-found capture "$start" --build-name started.2
expect_eq "start without the unit: exit status" 1 "$command_status"
expect_contains "start without the unit: message" "LoadState=not-found" "$command_output"

# A finished run and a leftover cancellation marker are reported, not started.
mkdir -p "$ATVM_STATE_ROOT/ended.1" "$ATVM_STATE_ROOT/marked.1"
printf '{\n    "state": "COMPLETED"\n}\n' >"$ATVM_STATE_ROOT/ended.1/state.json"
printf '{"requested_by": "test"}\n' >"$ATVM_STATE_ROOT/marked.1/cancel.json"
: >"$FAKE_SYSTEMCTL_LOG"
capture "$start" --build-name ended.1
expect_eq "start of an ended run: exit status" 1 "$command_status"
expect_contains "start of an ended run: message" "already ended COMPLETED" "$command_output"
capture "$start" --build-name marked.1
expect_eq "start with a cancel marker: exit status" 1 "$command_status"
expect_contains "start with a cancel marker: message" "cancellation marker" "$command_output"
if grep -q '^start' "$FAKE_SYSTEMCTL_LOG"; then
    fail_test "start called systemctl start for an ended or cancelled run"
fi

# Cancel: an unknown run and a finished run are left alone.
capture "$cancel" --build-name unknown.1
expect_eq "cancel unknown: exit status" 1 "$command_status"
expect_contains "cancel unknown: message" "no run named 'unknown.1'" "$command_output"
if [[ -e $ATVM_STATE_ROOT/unknown.1 ]]; then
    fail_test "cancel of an unknown run created its state folder"
fi
mkdir -p "$ATVM_STATE_ROOT/finished.1"
printf '{"format_version": 1, "state": "COMPLETED"}\n' >"$ATVM_STATE_ROOT/finished.1/state.json"
: >"$FAKE_SYSTEMCTL_LOG"
capture "$cancel" --build-name finished.1
expect_eq "cancel finished: exit status" 1 "$command_status"
expect_contains "cancel finished: message" "already finished as COMPLETED; nothing changed" "$command_output"
if [[ -e $ATVM_STATE_ROOT/finished.1/cancel.json ]] || grep -q '^stop' "$FAKE_SYSTEMCTL_LOG"; then
    fail_test "cancel of a finished run wrote a marker or stopped the instance"
fi

# Cancel of an active watcher writes the marker and stops the instance; the
# fake stop leaves state.json as it was, which the script reports.
mkdir -p "$ATVM_STATE_ROOT/running.1"
printf '{"format_version": 1, "state": "WATCHING"}\n' >"$ATVM_STATE_ROOT/running.1/state.json"
: >"$FAKE_SYSTEMCTL_LOG"
FAKE_SYSTEMCTL_ACTIVE_STATE=active capture "$cancel" --build-name running.1
expect_eq "cancel running: stop call" "stop atvm-run-watcher@running.1.service" \
    "$(grep -v '^show' "$FAKE_SYSTEMCTL_LOG")"
expect_eq "cancel running: marker via" cancel-atvm-run-watcher.sh \
    "$(jq --raw-output .via "$ATVM_STATE_ROOT/running.1/cancel.json")"
expect_contains "cancel running: marker requested_by" "@" \
    "$(jq --raw-output .requested_by "$ATVM_STATE_ROOT/running.1/cancel.json")"
expect_eq "cancel running without CANCELLED: exit status" 1 "$command_status"
expect_contains "cancel running without CANCELLED: message" "instead of CANCELLED" "$command_output"

# Launch without a watcher: the command runs detached in the automation root
# with its output, pid and exit status where the watcher looks.
: >"$FAKE_SYSTEMCTL_LOG"
# shellcheck disable=SC2016 # the command and $HOME reach bash unexpanded
capture "$launch" --build-name launched.1 -- bash -c 'pwd; echo "args: $*"; exit 3' run "two words" '$HOME'
expect_eq "launch exit status" 0 "$command_status"
logs="$ATVM_AUTOMATION_ROOT/logs"
wait_until 20 "the exit status file of launched.1" test -s "$logs/launched.1.exit"
expect_eq "launched command's exit status" 3 "$(<"$logs/launched.1.exit")"
expect_eq "launched command's output" "$ATVM_AUTOMATION_ROOT"$'\nargs: two words $HOME' "$(<"$logs/launched.1.log")"
expect_contains "launch prints the pid" "process id: $(<"$logs/launched.1.pid")" "$command_output"
if [[ -s $FAKE_SYSTEMCTL_LOG ]]; then
    fail_test "launch without --with-watcher called systemctl: $(<"$FAKE_SYSTEMCTL_LOG")"
fi

# A second launch keeps the first run's files under a time suffix.
capture "$launch" --build-name launched.1 -- true
expect_eq "relaunch exit status" 0 "$command_status"
shopt -s nullglob
kept=("$logs"/launched.1.log.*)
expect_eq "kept logs of the earlier run" 1 "${#kept[@]}"

# Launch refuses while the build's run is still going.
capture "$launch" --build-name sleeper.1 -- sleep 30
expect_eq "launch sleeper exit status" 0 "$command_status"
sleeper_pid=$(<"$logs/sleeper.1.pid")
capture "$launch" --build-name sleeper.1 -- true
kill "$sleeper_pid"
expect_eq "launch while running: exit status" 1 "$command_status"
expect_contains "launch while running: message" "still going (process $sleeper_pid" "$command_output"

# Launch with a watcher passes the metadata and the automation root on.
: >"$FAKE_SYSTEMCTL_LOG"
capture "$launch" --build-name watched.1 --with-watcher --config-family gold -- true
expect_eq "launch with watcher: exit status" 0 "$command_status"
expect_contains "launch with watcher: starts the instance" "start atvm-run-watcher@watched.1.service" \
    "$(<"$FAKE_SYSTEMCTL_LOG")"
run_env=$(<"$ATVM_STATE_ROOT/watched.1/run.env")
expect_contains "run.env config family" 'ATVM_WATCHER_CONFIG_FAMILY="gold"' "$run_env"
expect_contains "run.env automation root" "ATVM_AUTOMATION_ROOT=\"$ATVM_AUTOMATION_ROOT\"" "$run_env"

FAKE_SYSTEMCTL_ACTIVE_STATE=active capture "$launch" --build-name watched.2 --with-watcher -- true
expect_eq "launch with a busy watcher: exit status" 2 "$command_status"
expect_contains "launch with a busy watcher: message" "the run goes on" "$command_output"

printf '1 passed, 0 failed\n'
