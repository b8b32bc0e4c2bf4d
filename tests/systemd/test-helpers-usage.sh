#!/usr/bin/env bash
# Command lines of start-, cancel-atvm-run-watcher.sh, launch-atvm-run.sh and
# process-start-requests.sh, without systemd. Usage errors exit 64 and name
# the value, and a busy instance exits 75. Unknown and finished runs are left
# alone. A launched command leaves its log, pid and exit status where the
# watcher looks. fake-systemctl.sh replaces systemctl, and a scratch folder
# the state root.
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
# The build folder, and so this automation root, may itself be below /tmp.
export ATVM_TMP_ROOTS_VISIBLE=1
start="$helpers_dir/start-atvm-run-watcher.sh"
cancel="$helpers_dir/cancel-atvm-run-watcher.sh"
launch="$helpers_dir/launch-atvm-run.sh"
process_requests="$helpers_dir/../resources/process-start-requests.sh"

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
expect_contains "start with a cancel marker: message" "pending cancellation" "$command_output"
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

expect_contains "launch prints the start command with the automation root" \
    "Start one later with: ATVM_AUTOMATION_ROOT=$ATVM_AUTOMATION_ROOT " "$(
        "$launch" --build-name hinted.1 -- true 2>&1
    )"

# Fail unless the launcher left no trace of BUILD: no log, pid or exit file,
# and no run.env.
expect_not_launched()
{
    local description=$1 build=$2
    if compgen -G "$logs/$build.*" >/dev/null; then
        fail_test "$description: the run was launched: $(ls "$logs/$build".*)"
    fi
    if [[ -e $ATVM_STATE_ROOT/$build/run.env ]]; then
        fail_test "$description: run.env was written"
    fi
    printf 'ok: %s: nothing launched\n' "$description"
}

# Launch with a watcher checks the watcher first and launches nothing when it
# cannot start.
FAKE_SYSTEMCTL_ACTIVE_STATE=active capture "$launch" --build-name watched.2 --with-watcher -- true
expect_eq "launch with a busy watcher: exit status" 75 "$command_status"
expect_contains "launch with a busy watcher: message" "so the run was not launched" "$command_output"
expect_not_launched "launch with a busy watcher" watched.2
capture "$launch" --build-name ended.1 --with-watcher -- true
expect_eq "launch with an ended run: exit status" 1 "$command_status"
expect_contains "launch with an ended run: message" "already ended COMPLETED" "$command_output"
expect_not_launched "launch with an ended run" ended.1
capture "$launch" --build-name marked.1 --with-watcher -- true
expect_eq "launch with a cancel marker: exit status" 1 "$command_status"
expect_contains "launch with a cancel marker: message" "pending cancellation" "$command_output"
expect_not_launched "launch with a cancel marker" marked.1
capture "$launch" --build-name watched.3 --with-watcher --scope-description "$(printf 'x%.0s' {1..2001})" -- true
expect_eq "launch with a long value: exit status" 64 "$command_status"
expect_not_launched "launch with a long value" watched.3

# Automation roots below /tmp and /var/tmp are hidden from the watcher by
# PrivateTmp=yes.
for root in /tmp /var/tmp; do
    ATVM_TMP_ROOTS_VISIBLE=0 ATVM_AUTOMATION_ROOT=$root expect_usage_error \
        "launch, automation root $root" "PrivateTmp=yes" "$launch" --build-name tmp.1 -- true
    ATVM_TMP_ROOTS_VISIBLE=0 ATVM_AUTOMATION_ROOT=$root/run expect_usage_error \
        "start, automation root $root/run" \
        "automation root '$root/run' is under /tmp or /var/tmp" "$start" --build-name tmp.1
done
if [[ -e $ATVM_STATE_ROOT/tmp.1 ]]; then
    fail_test "a rejected automation root created the state folder"
fi

# Metadata values: at most 2000 characters, counted as characters.
expect_usage_error "start, value of 2001 characters" \
    "value of --scope-description is too long: 2001 characters, at most 2000 allowed" \
    "$start" --build-name long.1 --scope-description "$(printf 'x%.0s' {1..2001})"
capture "$start" --build-name long.1 --scope-description "$(printf 'é%.0s' {1..2000})"
expect_eq "start, value of 2000 two-byte characters: exit status" 0 "$command_status"

# A failed unit (for example after the start limit was hit) is reset first.
: >"$FAKE_SYSTEMCTL_LOG"
FAKE_SYSTEMCTL_ACTIVE_STATE=failed FAKE_SYSTEMCTL_RESULT=start-limit-hit capture "$start" --build-name failed.1
expect_eq "start of a failed unit: exit status" 0 "$command_status"
expect_eq "start of a failed unit: calls" \
    $'reset-failed atvm-run-watcher@failed.1.service\nstart atvm-run-watcher@failed.1.service' \
    "$(grep -v '^show' "$FAKE_SYSTEMCTL_LOG")"
expect_contains "start of a failed unit: message" \
    "was failed (result start-limit-hit); ran 'systemctl reset-failed atvm-run-watcher@failed.1.service'" \
    "$command_output"

# A resume (state WATCHING, run.env present) keeps the metadata and the
# automation root that were not given again, exactly.
# shellcheck disable=SC2016 # a literal $ and backquotes
tricky='quote " dollar $HOME back\slash `id`'$'\nsecond line\n\n'
ATVM_AUTOMATION_ROOT="$work_dir/automation root" capture "$start" --build-name resumed.1 \
    --template cmc-e2e --scope-description "$tricky" --integration-plugin "trailing\\"
expect_eq "first start of resumed.1: exit status" 0 "$command_status"
printf '{"format_version": 1, "state": "WATCHING"}\n' >"$ATVM_STATE_ROOT/resumed.1/state.json"
first_run_env=$(<"$ATVM_STATE_ROOT/resumed.1/run.env")
(
    unset ATVM_AUTOMATION_ROOT
    capture "$start" --build-name resumed.1
    expect_eq "resume: exit status" 0 "$command_status"
    expect_contains "resume: message" \
        "kept from the existing run.env: --template --config-family --migration-style --integration-plugin --scope-description ATVM_AUTOMATION_ROOT=$work_dir/automation root" \
        "$command_output"
)
expect_eq "resume: run.env unchanged" "$first_run_env" "$(<"$ATVM_STATE_ROOT/resumed.1/run.env")"
capture "$start" --build-name resumed.1 --template other
expect_eq "resume with a new template: exit status" 0 "$command_status"
run_env=$(<"$ATVM_STATE_ROOT/resumed.1/run.env")
expect_contains "resume: given option replaces" 'ATVM_WATCHER_TEMPLATE="other"' "$run_env"
expect_contains "resume: other values kept" 'ATVM_WATCHER_INTEGRATION_PLUGIN="trailing\\"' "$run_env"

# Two starts of one build at the same time: one starts, the other exits 75
# while the first holds the build's start lock.
: >"$FAKE_SYSTEMCTL_LOG"
FAKE_SYSTEMCTL_ON_START='sleep 2' "$start" --build-name concurrent.1 >"$work_dir/first-start.log" 2>&1 &
first_start=$!
wait_until 10 "the first start to call systemctl start" grep -q '^start' "$FAKE_SYSTEMCTL_LOG"
capture "$start" --build-name concurrent.1
first_status=0
wait "$first_start" || first_status=$?
expect_eq "first concurrent start: exit status" 0 "$first_status"
expect_eq "second concurrent start: exit status" 75 "$command_status"
expect_contains "second concurrent start: message" "another start of build concurrent.1 is in progress" \
    "$command_output"
expect_eq "concurrent starts: systemctl start calls" 1 "$(grep -c '^start' "$FAKE_SYSTEMCTL_LOG")"

# Cancel of a watched run whose watcher does not run starts the instance, and
# the watcher records CANCELLED when it finds the marker.
write_state()
{
    mkdir -p "$ATVM_STATE_ROOT/$1"
    printf '{"format_version": 1, "state": "%s"}\n' "$2" >"$ATVM_STATE_ROOT/$1/state.json"
}
# The fake start records CANCELLED for the build of the unit it gets.
# shellcheck disable=SC2016 # expanded by the fake's shell
on_start_cancel='build=${1#atvm-run-watcher@}; build=${build%.service}; printf "{\"state\": \"CANCELLED\"}\n" >"$ATVM_STATE_ROOT/$build/state.json"'
for unit_state in inactive failed; do
    build=stopped-$unit_state.1
    write_state "$build" WATCHING
    : >"$FAKE_SYSTEMCTL_LOG"
    FAKE_SYSTEMCTL_ACTIVE_STATE=$unit_state FAKE_SYSTEMCTL_ON_START=$on_start_cancel \
        capture "$cancel" --build-name "$build"
    expect_eq "cancel of a $unit_state watcher: exit status" 0 "$command_status"
    expect_contains "cancel of a $unit_state watcher: message" "Run $build is CANCELLED" "$command_output"
    expect_contains "cancel of a $unit_state watcher: start call" \
        "start --no-block atvm-run-watcher@$build.service" "$(<"$FAKE_SYSTEMCTL_LOG")"
    if [[ ! -f $ATVM_STATE_ROOT/$build/cancel.json ]]; then
        fail_test "cancel of a $unit_state watcher wrote no marker"
    fi
done
expect_contains "cancel of a failed watcher resets it" "reset-failed atvm-run-watcher@stopped-failed.1.service" \
    "$(<"$FAKE_SYSTEMCTL_LOG")"

# A unit waiting to restart is not started again; the cancel waits for the
# restarted watcher.
write_state restarting.1 WATCHING
: >"$FAKE_SYSTEMCTL_LOG"
(sleep 1 && printf '{"state": "CANCELLED"}\n' >"$ATVM_STATE_ROOT/restarting.1/state.json") &
FAKE_SYSTEMCTL_ACTIVE_STATE=activating FAKE_SYSTEMCTL_SUB_STATE=auto-restart \
    capture "$cancel" --build-name restarting.1
wait
expect_eq "cancel while restarting: exit status" 0 "$command_status"
expect_contains "cancel while restarting: message" "waits to restart after a crash" "$command_output"
if grep -q '^start\|^stop' "$FAKE_SYSTEMCTL_LOG"; then
    fail_test "cancel while restarting started or stopped the unit: $(<"$FAKE_SYSTEMCTL_LOG")"
fi

# A watcher that never records CANCELLED: the cancel times out and keeps the
# marker, the start script then points at the cancel script, and a second
# cancel keeps the first marker.
write_state stuck.1 WATCHING
ATVM_CANCEL_TIMEOUT=1 capture "$cancel" --build-name stuck.1
expect_eq "cancel without CANCELLED: exit status" 1 "$command_status"
expect_contains "cancel without CANCELLED: message" "did not record CANCELLED within 1 seconds" "$command_output"
marker_before=$(stat --format=%Y.%i "$ATVM_STATE_ROOT/stuck.1/cancel.json")
capture "$start" --build-name stuck.1
expect_eq "start with a pending cancellation: exit status" 1 "$command_status"
expect_contains "start with a pending cancellation: message" \
    "run cancel-atvm-run-watcher.sh --build-name stuck.1 to finish it" "$command_output"
FAKE_SYSTEMCTL_ON_START=$on_start_cancel capture "$cancel" --build-name stuck.1
expect_eq "second cancel of a pending cancellation: exit status" 0 "$command_status"
expect_contains "second cancel keeps the marker" "Kept the existing cancellation marker" "$command_output"
expect_eq "marker of stuck.1 untouched" "$marker_before" \
    "$(stat --format=%Y.%i "$ATVM_STATE_ROOT/stuck.1/cancel.json")"

# A second cancel of a CANCELLED run exits 1 and changes nothing.
: >"$FAKE_SYSTEMCTL_LOG"
capture "$cancel" --build-name stuck.1
expect_eq "cancel of a CANCELLED run: exit status" 1 "$command_status"
expect_contains "cancel of a CANCELLED run: message" "already finished as CANCELLED; nothing changed" \
    "$command_output"
expect_eq "cancel of a CANCELLED run: calls" "" "$(grep -v '^show' "$FAKE_SYSTEMCTL_LOG")"
expect_eq "marker of stuck.1 still untouched" "$marker_before" \
    "$(stat --format=%Y.%i "$ATVM_STATE_ROOT/stuck.1/cancel.json")"

# Start requests: every entry leaves the request folder in one run, whatever
# its type, and only a valid request starts a watcher.
requests="$ATVM_STATE_ROOT/.start-requests"
results="$ATVM_STATE_ROOT/.start-results"
mkdir -p "$requests" "$results" "$work_dir/outside"
printf 'keep me\n' >"$work_dir/outside/target.json"
mkdir "$requests/folder-1.json"
touch "$requests/folder-1.json/inside"
ln -s "$work_dir/outside/target.json" "$requests/link-1.json"
mkfifo "$requests/fifo-1.json"
head -c 70000 /dev/zero | tr '\0' ' ' >"$requests/large-1.json"
printf '{"build_name": "nl-name\\n\\n"}\n' >"$requests/newline-1.json"
printf '{"build_name": "requested.1", "scope_description": "two lines\\nend\\n"}\n' >"$requests/valid-1.json"
printf '{"build_name": "requested.2"}\n' >"$requests/taken-1.json"
printf 'earlier request\n' >"$results/taken-1.request.json"
printf '{"id": "taken-1", "outcome": "started"}\n' >"$results/taken-1.result.json"
: >"$FAKE_SYSTEMCTL_LOG"
ATVM_START_SCRIPT=$start capture "$process_requests" "$ATVM_STATE_ROOT"
expect_eq "request handler exit status" 0 "$command_status"
expect_eq "request folder after one run" "" "$(ls -A "$requests")"

result_field()
{
    jq --raw-output "$2" "$results/$1.result.json"
}
for id in folder-1 link-1 fifo-1 large-1; do
    expect_eq "request $id: outcome" rejected "$(result_field "$id" .outcome)"
    expect_contains "request $id: message" "it was deleted" "$(result_field "$id" .message)"
    if compgen -G "$results/$id.*request.json" >/dev/null; then
        fail_test "request $id was kept in $results instead of deleted"
    fi
done
expect_eq "symbolic link target untouched" "keep me" "$(<"$work_dir/outside/target.json")"
expect_eq "request newline-1: outcome" rejected "$(result_field newline-1 .outcome)"
expect_contains "request newline-1: message" "Invalid build name" "$(result_field newline-1 .message)"
if [[ -e $ATVM_STATE_ROOT/nl-name ]]; then
    fail_test "a build name with trailing newlines created the state folder nl-name"
fi
expect_eq "request valid-1: outcome" started "$(result_field valid-1 .outcome)"
expect_contains "request valid-1 keeps trailing newlines" \
    'ATVM_WATCHER_SCOPE_DESCRIPTION="two lines'$'\n''end'$'\n''"' "$(<"$ATVM_STATE_ROOT/requested.1/run.env")"
expect_eq "earlier request taken-1 kept" "earlier request" "$(<"$results/taken-1.request.json")"
expect_eq "earlier outcome of taken-1 kept" started "$(result_field taken-1 .outcome)"
duplicates=("$results"/taken-1.*.request.json)
expect_eq "second request taken-1 kept under a unique name" 1 "${#duplicates[@]}"
duplicate_stem=$(basename "${duplicates[0]}" .request.json)
expect_eq "second request taken-1: outcome" rejected "$(result_field "$duplicate_stem" .outcome)"
expect_contains "second request taken-1: message" "was already handled" \
    "$(result_field "$duplicate_stem" .message)"
expect_eq "request handler: systemctl start calls" "start atvm-run-watcher@requested.1.service" \
    "$(grep '^start' "$FAKE_SYSTEMCTL_LOG")"

# Cleanup deletes entries of every type older than 30 days, symbolic links
# themselves and never their targets, and keeps newer ones.
mkdir "$results/old-folder"
touch "$results/old-folder/inside"
ln -s "$work_dir/outside/target.json" "$results/old-link.request.json"
mkfifo "$results/old-fifo.request.json"
printf '{}\n' >"$results/old-file.result.json"
for entry in old-folder old-link.request.json old-fifo.request.json old-file.result.json; do
    touch --no-dereference --date='40 days ago' "$results/$entry"
done
ATVM_START_SCRIPT=$start capture "$process_requests" "$ATVM_STATE_ROOT"
expect_eq "request handler cleanup: exit status" 0 "$command_status"
for entry in old-folder old-link.request.json old-fifo.request.json old-file.result.json; do
    if [[ -e $results/$entry || -L $results/$entry ]]; then
        fail_test "cleanup kept $entry, which is older than 30 days"
    fi
done
expect_eq "cleanup leaves the link target" "keep me" "$(<"$work_dir/outside/target.json")"
expect_eq "cleanup keeps newer outcomes" started "$(result_field valid-1 .outcome)"

printf '1 passed, 0 failed\n'
