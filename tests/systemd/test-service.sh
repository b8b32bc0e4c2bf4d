#!/usr/bin/env bash
# End-to-end tests of the installed service under a real systemd: one
# scenario per call, each in its own namespace (see lib.sh), with simulated
# Cypress runs and the Mattermost webhook double on 127.0.0.1.
#   $1  scenario: posted, cancel, killed, post-rejected, start-refusals or
#       start-request
#   $2  the build folder (installed with cmake --install inside the namespace)
#   $3  the source folder
#   $4  the mattermost-webhook-double program
#   $5  a scratch folder
set -euo pipefail

scenario=${1:?missing scenario}
# Commands run inside the namespace start in its root folder, so every path
# is made absolute.
build_dir=$(readlink -f "${2:?missing build folder}")
source_dir=$(readlink -f "${3:?missing source folder}")
webhook_double=${4:+$(readlink -f "$4")}
work_dir=$(readlink -m "${5:?missing scratch folder}")
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

require_namespace_support
watcher_binary="$build_dir/headless/atvm-run-watcher"
simulator="$source_dir/scripts/simulate-cypress-run.sh"
if [[ ! -x $watcher_binary ]]; then
    skip_test "$watcher_binary is not built; build the atvm-run-watcher target first"
fi
if [[ -z $webhook_double || ! -x $webhook_double ]]; then
    skip_test "the mattermost-webhook-double program is not built"
fi
if [[ ! -x $simulator ]]; then
    skip_test "$simulator not found"
fi

readonly prefix=/opt/atvm-watcher-service
readonly helpers="$prefix/libexec"
readonly automation_root=/root/cdc-e2e-cyp-12.17.4
readonly state_root=/var/lib/atvm-run-watcher
readonly hook_id=atvmtesthook

double_pid=""
cleanup()
{
    ns_stop
    if [[ -n $double_pid ]]; then
        kill "$double_pid" 2>/dev/null || true
        wait "$double_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

rm -rf "$work_dir"
mkdir -p "$work_dir"

# Start the webhook double on the host's loopback, which the namespace
# shares. It responds to every request in MODE.
start_webhook_double()
{
    local mode=$1
    "$webhook_double" --port 0 --port-file "$work_dir/double.port" --hook-id "$hook_id" \
        --mode "$mode" --record "$work_dir/posts.jsonl" >"$work_dir/double.log" 2>&1 &
    double_pid=$!
    wait_until 20 "the webhook double to write its port" test -s "$work_dir/double.port"
    local port
    port=$(<"$work_dir/double.port")

    # Short intervals keep the scenarios fast; the values are the watcher's
    # documented environment forms.
    cat >"$work_dir/atvm-run-watcher.env" <<EOF
MATTERMOST_ATVM_WEBHOOK=http://127.0.0.1:$port/hooks/$hook_id
MATTERMOST_ATVM_CHANNEL=atvm-e2e-runs
ATVM_POLL_INTERVAL=1s
ATVM_STARTUP_GRACE=1m
ATVM_POST_DEADLINE=1m
EOF
    chmod 0600 "$work_dir/atvm-run-watcher.env"
}

post_count()
{
    if [[ -f $work_dir/posts.jsonl ]]; then
        grep -c . "$work_dir/posts.jsonl" || true
    else
        printf '0\n'
    fi
}

install_package()
{
    # The service package is the watcher and systemd/; the dashboard need not
    # be built for these tests.
    # An existing env file keeps its content, but a loosened mode is reset.
    ns_run chmod 0644 /etc/atvm-run-watcher.env
    local folder
    for folder in headless systemd; do
        ns_run cmake --install "$build_dir/$folder" >>"$work_dir/install.log"
    done
    expect_eq "installed watcher" "$prefix/bin/atvm-run-watcher" \
        "$(ns_run find "$prefix/bin" -name atvm-run-watcher -perm -u+x)"
    expect_eq "env file mode after install" 600 "$(ns_run stat --format=%a /etc/atvm-run-watcher.env)"
    expect_contains "env file content after install" "MATTERMOST_ATVM_CHANNEL=atvm-e2e-runs" \
        "$(ns_run cat /etc/atvm-run-watcher.env)"
    ns_run systemctl daemon-reload
    expect_eq "unit load state" loaded "$(ns_unit_property atvm-run-watcher@probe.service LoadState)"
    ns_run mkdir -p "$automation_root"
}

# Launch a simulated run of BUILD lasting SECONDS with OUTCOME; further
# arguments go to launch-atvm-run.sh before "--".
launch_run()
{
    local build=$1 seconds=$2 outcome=$3
    shift 3
    ns_run "$helpers/launch-atvm-run.sh" --build-name "$build" "$@" -- \
        "$simulator" --log "$automation_root/logs/$build.log" --duration "$seconds" --outcome "$outcome"
}

state_field()
{
    ns_run jq --raw-output "$2" "$state_root/$1/state.json" 2>/dev/null
}

unit_state_is()
{
    [[ $(ns_unit_property "atvm-run-watcher@$1.service" ActiveState) == "$2" ]]
}

run_state_is()
{
    [[ $(state_field "$1" .state) == "$2" ]]
}

unit_restarted()
{
    (($(ns_unit_property "atvm-run-watcher@$1.service" NRestarts) >= 1))
}

unit_is_finished()
{
    local state
    state=$(ns_unit_property "atvm-run-watcher@$1.service" ActiveState)
    [[ $state == inactive || $state == failed ]]
}

# Keep the watcher instance of BUILD loaded after it ends. systemd unloads an
# inactive unit that no other unit refers to, and a reloaded unit shows default values
# (NRestarts=0, Result=success) instead of what happened. A running transient
# unit ordered after the instance refers to it.
hold_unit()
{
    ns_run systemd-run --quiet --unit="atvm-test-hold-$1" \
        --property=After="atvm-run-watcher@$1.service" sleep infinity
}

show_journal()
{
    printf -- '--- journal of %s\n' "$1"
    ns_run journalctl --no-pager --unit "atvm-run-watcher@$1.service" | tail -n 40 || true
}

# Approve first, start the watcher later: it finds the launcher's log and
# pid file, finds that the run passed and posts COMPLETED once.
scenario_posted()
{
    local build=e2e-redhat9.6-ubuntu24.04-w2k25-fc
    hold_unit "$build"
    launch_run "$build" 6 passed
    local run_pid
    run_pid=$(ns_run cat "$automation_root/logs/$build.pid")

    ns_run "$helpers/start-atvm-run-watcher.sh" --build-name "$build" --template cmc-e2e \
        --config-family gold --migration-style "ATVM end-to-end migration validation" \
        --integration-plugin "pure with fc" \
        --scope-description "mixed Linux and Windows FC E2E validation on the gold datastore set"
    expect_eq "pid the watcher follows" "$run_pid" "$(state_field "$build" .process.pid)"
    expect_eq "log the watcher follows" "$automation_root/logs/$build.log" \
        "$(state_field "$build" .paths.run_log)"

    wait_until 120 "the watcher of $build to finish" unit_is_finished "$build"
    show_journal "$build"
    local unit="atvm-run-watcher@$build.service"
    expect_eq "ActiveState" inactive "$(ns_unit_property "$unit" ActiveState)"
    expect_eq "Result" success "$(ns_unit_property "$unit" Result)"
    expect_eq "ExecMainStatus" 0 "$(ns_unit_property "$unit" ExecMainStatus)"
    expect_eq "NRestarts" 0 "$(ns_unit_property "$unit" NRestarts)"
    expect_eq "run state" COMPLETED "$(state_field "$build" .state)"
    expect_eq "posted" true "$(state_field "$build" .posted)"
    expect_eq "metadata template" cmc-e2e "$(state_field "$build" .metadata.template)"
    expect_eq "posts received" 1 "$(post_count)"
    expect_eq "run exit status file" 0 "$(ns_run cat "$automation_root/logs/$build.exit")"
}

# Approve with watcher, then cancel: CANCELLED, nothing posted; a second
# cancel and a cancel of an unknown build change nothing.
scenario_cancel()
{
    local build=cancel-me.1
    hold_unit "$build"
    launch_run "$build" 120 passed --with-watcher --template cmc-e2e
    wait_until 60 "state.json of $build to say WATCHING" run_state_is "$build" WATCHING

    capture ns_run "$helpers/cancel-atvm-run-watcher.sh" --build-name "$build"
    printf '%s\n' "$command_output"
    expect_eq "cancel exit status" 0 "$command_status"
    show_journal "$build"
    local unit="atvm-run-watcher@$build.service"
    expect_eq "ActiveState" inactive "$(ns_unit_property "$unit" ActiveState)"
    expect_eq "ExecMainStatus" 0 "$(ns_unit_property "$unit" ExecMainStatus)"
    expect_eq "run state" CANCELLED "$(state_field "$build" .state)"
    expect_eq "posted" false "$(state_field "$build" .posted)"
    expect_eq "cancel marker via" cancel-atvm-run-watcher.sh \
        "$(ns_run jq --raw-output .via "$state_root/$build/cancel.json")"
    expect_eq "posts received" 0 "$(post_count)"

    local marker_before
    marker_before=$(ns_run stat --format=%Y.%i "$state_root/$build/cancel.json")
    capture ns_run "$helpers/cancel-atvm-run-watcher.sh" --build-name "$build"
    expect_eq "second cancel exit status" 1 "$command_status"
    expect_contains "second cancel message" "already finished as CANCELLED; nothing changed" "$command_output"
    expect_eq "marker untouched" "$marker_before" \
        "$(ns_run stat --format=%Y.%i "$state_root/$build/cancel.json")"

    capture ns_run "$helpers/cancel-atvm-run-watcher.sh" --build-name never-started
    expect_eq "unknown cancel exit status" 1 "$command_status"
    expect_contains "unknown cancel message" "no run named 'never-started'" "$command_output"
    if ns_run test -e "$state_root/never-started"; then
        fail_test "cancelling an unknown build created its state folder"
    fi

    scenario_resume_then_cancel
}

watcher_pid_is_main_pid()
{
    local main_pid
    main_pid=$(ns_unit_property "atvm-run-watcher@$1.service" MainPID)
    [[ $main_pid != 0 && $(state_field "$1" .watcher_pid) == "$main_pid" ]]
}

# A stopped watcher started again with only its build name keeps the
# metadata and the custom automation root of run.env. A cancel while no
# watcher runs starts the instance, whose watcher records CANCELLED.
scenario_resume_then_cancel()
{
    local build=resumed-then-cancelled.2 root=/root/custom-root
    local unit="atvm-run-watcher@$build.service"
    hold_unit "$build"
    ns_run mkdir -p "$root"
    capture ns_run env ATVM_AUTOMATION_ROOT="$root" "$helpers/launch-atvm-run.sh" --build-name "$build" \
        --with-watcher --template cmc-e2e -- \
        "$simulator" --log "$root/logs/$build.log" --duration 120 --outcome passed
    expect_eq "launch with a custom root: exit status" 0 "$command_status"
    wait_until 60 "state.json of $build to say WATCHING" run_state_is "$build" WATCHING
    ns_run systemctl stop "$unit"
    expect_eq "run state after a stop" WATCHING "$(state_field "$build" .state)"

    capture ns_run "$helpers/start-atvm-run-watcher.sh" --build-name "$build"
    printf '%s\n' "$command_output"
    expect_eq "resume exit status" 0 "$command_status"
    expect_contains "resume message" "ATVM_AUTOMATION_ROOT=$root" "$command_output"
    wait_until 60 "the resumed watcher to write state.json" watcher_pid_is_main_pid "$build"
    expect_eq "log the resumed watcher follows" "$root/logs/$build.log" "$(state_field "$build" .paths.run_log)"
    expect_eq "metadata after the resume" cmc-e2e "$(state_field "$build" .metadata.template)"

    ns_run systemctl stop "$unit"
    capture ns_run "$helpers/cancel-atvm-run-watcher.sh" --build-name "$build"
    printf '%s\n' "$command_output"
    show_journal "$build"
    expect_eq "cancel of a stopped watcher: exit status" 0 "$command_status"
    expect_contains "cancel of a stopped watcher: message" "started $unit so that it reads the marker" \
        "$command_output"
    expect_eq "run state after the cancel" CANCELLED "$(state_field "$build" .state)"
    expect_eq "posted after the cancel" false "$(state_field "$build" .posted)"
    expect_eq "posts received after the cancel" 0 "$(post_count)"
}

# SIGKILL the watcher mid-run: systemd restarts it, the restarted watcher
# resumes, and the failed run is posted exactly once.
scenario_killed()
{
    local build=killed-watcher.2
    hold_unit "$build"
    local unit="atvm-run-watcher@$build.service"
    launch_run "$build" 30 failed --with-watcher
    wait_until 60 "state.json of $build to say WATCHING" run_state_is "$build" WATCHING
    local first_pid
    first_pid=$(ns_unit_property "$unit" MainPID)

    ns_run systemctl kill --kill-who=main --signal=SIGKILL "$unit"
    wait_until 60 "systemd to restart $unit" unit_restarted "$build"
    wait_until 60 "$unit to be active again" unit_state_is "$build" active
    local second_pid
    second_pid=$(ns_unit_property "$unit" MainPID)
    if [[ $second_pid == "$first_pid" ]]; then
        fail_test "MainPID stayed $first_pid after SIGKILL"
    fi

    wait_until 120 "the watcher of $build to finish" unit_is_finished "$build"
    show_journal "$build"
    expect_eq "ActiveState" inactive "$(ns_unit_property "$unit" ActiveState)"
    expect_eq "NRestarts" 1 "$(ns_unit_property "$unit" NRestarts)"
    expect_eq "run state" FAILED "$(state_field "$build" .state)"
    expect_eq "posted" true "$(state_field "$build" .posted)"
    expect_eq "posts received" 1 "$(post_count)"
}

# Mattermost rejects the hook for good: the watcher exits 69, the unit ends
# failed and systemd does not restart it.
scenario_post_rejected()
{
    local build=rejected-post.3
    hold_unit "$build"
    local unit="atvm-run-watcher@$build.service"
    launch_run "$build" 4 passed --with-watcher
    wait_until 120 "the watcher of $build to finish" unit_is_finished "$build"
    show_journal "$build"
    expect_eq "ActiveState" failed "$(ns_unit_property "$unit" ActiveState)"
    expect_eq "ExecMainStatus" 69 "$(ns_unit_property "$unit" ExecMainStatus)"
    expect_eq "NRestarts" 0 "$(ns_unit_property "$unit" NRestarts)"
    expect_eq "posted" false "$(state_field "$build" .posted)"
    local posts
    posts=$(post_count)
    if ((posts < 1)); then
        fail_test "the watcher never tried to post (posts received: $posts)"
    fi
    printf 'ok: %s post attempt(s) reached the double\n' "$posts"
}

# The start script rejects a second start of an active instance and invalid
# build names, and starts nothing in either case.
scenario_start_refusals()
{
    local build=refusals.4
    hold_unit "$build"
    local unit="atvm-run-watcher@$build.service"
    launch_run "$build" 120 passed --with-watcher
    wait_until 60 "$unit to be active" unit_state_is "$build" active
    local main_pid
    main_pid=$(ns_unit_property "$unit" MainPID)

    capture ns_run "$helpers/start-atvm-run-watcher.sh" --build-name "$build"
    expect_eq "second start exit status" 75 "$command_status"
    expect_contains "second start message" "$unit is already active" "$command_output"
    expect_eq "MainPID after the second start" "$main_pid" "$(ns_unit_property "$unit" MainPID)"

    local name
    for name in ../x "has space" ""; do
        capture ns_run "$helpers/start-atvm-run-watcher.sh" --build-name "$name"
        expect_eq "exit status for build name '$name'" 64 "$command_status"
        expect_contains "message for build name '$name'" "build name" "$command_output"
    done
    expect_eq "watcher instances" 1 \
        "$(ns_run systemctl list-units --all --no-legend --plain 'atvm-run-watcher@*' | grep -c .)"
    expect_eq "state folders" "$build" "$(ns_run ls "$state_root")"

    scenario_start_limit
}

# systemd 252 keeps the last crash's result (exit-code) when the start limit
# stops a restart, so the journal line is the evidence.
unit_hit_start_limit()
{
    ns_run journalctl --no-pager --unit "atvm-run-watcher@$1.service" \
        | grep -q 'Start request repeated too quickly'
}

# After systemd's start limit was hit, systemctl start alone is refused; the
# start script resets the failed unit and starts it.
scenario_start_limit()
{
    local build=start-limit.6
    local unit="atvm-run-watcher@$build.service"
    local drop_in="/etc/systemd/system/$unit.d"
    hold_unit "$build"
    # A watcher that fails at once, restarted quickly, hits the limit of five
    # starts within seconds.
    ns_run mkdir -p "$drop_in"
    printf '[Service]\nExecStart=\nExecStart=/bin/false\nRestartSec=100ms\n' \
        | ns_run tee "$drop_in/crash.conf" >/dev/null
    ns_run systemctl daemon-reload
    ns_run systemctl start --no-block "$unit"
    wait_until 60 "$unit to hit the start limit" unit_hit_start_limit "$build"
    expect_eq "ActiveState after the start limit" failed "$(ns_unit_property "$unit" ActiveState)"
    capture ns_run systemctl start "$unit"
    if ((command_status == 0)); then
        fail_test "systemctl start of $unit worked after the start limit was hit"
    fi
    printf 'ok: systemctl start alone is refused: %s\n' "$command_output"
    ns_run rm -r "$drop_in"
    ns_run systemctl daemon-reload

    capture ns_run "$helpers/start-atvm-run-watcher.sh" --build-name "$build"
    printf '%s\n' "$command_output"
    expect_eq "start after the start limit: exit status" 0 "$command_status"
    expect_contains "start after the start limit: message" \
        "was failed (result exit-code); ran 'systemctl reset-failed $unit'" "$command_output"
    expect_eq "ActiveState after the start" active "$(ns_unit_property "$unit" ActiveState)"
}

# The dashboard's Start on a root that is only a mounted folder: a request
# file dropped into the state root makes the path unit start the watcher,
# and the outcome is written where the dashboard reads it.
scenario_start_request()
{
    local build=requested.5 id=20261204T120000Z-a1b2c3
    hold_unit "$build"
    ns_run systemctl enable --now atvm-run-watcher-requests.path
    expect_eq "path unit" active "$(ns_unit_property atvm-run-watcher-requests.path ActiveState)"
    launch_run "$build" 6 failed

    local request
    request=$(jq --null-input --arg id "$id" --arg build "$build" \
        '{id: $id, build_name: $build, template: "cmc-e2e", config_family: "gold",
          migration_style: "ATVM end-to-end migration validation",
          integration_plugin: "pure with fc", scope_description: "requested from the dashboard",
          requested_by: "operator@laptop", requested_at: "2026-12-04T12:00:00Z"}')
    ns_run mkdir -p "$state_root/.start-staging"
    printf '%s\n' "$request" | ns_run tee "$state_root/.start-staging/$id.json" >/dev/null
    ns_run mv "$state_root/.start-staging/$id.json" "$state_root/.start-requests/$id.json"

    local result="$state_root/.start-results/$id.result.json"
    wait_until 60 "the start request outcome" ns_run test -s "$result"
    expect_eq "request outcome" started "$(ns_run jq --raw-output .outcome "$result")"
    wait_until 120 "the watcher of $build to finish" unit_is_finished "$build"
    show_journal "$build"
    expect_eq "run state" FAILED "$(state_field "$build" .state)"
    expect_eq "metadata from the request" "requested from the dashboard" \
        "$(state_field "$build" .metadata.scope_description)"
    expect_eq "posts received" 1 "$(post_count)"
    expect_eq "request folder emptied" "" "$(ns_run ls "$state_root/.start-requests")"

    # A folder in the request folder cannot stay there: it would retrigger the
    # path unit until systemd's start limit stops it.
    ns_run mkdir "$state_root/.start-requests/folder-1.json"
    wait_until 60 "the folder request outcome" ns_run test -s "$state_root/.start-results/folder-1.result.json"
    expect_eq "folder request outcome" rejected \
        "$(ns_run jq --raw-output .outcome "$state_root/.start-results/folder-1.result.json")"
    expect_eq "request folder after the folder request" "" "$(ns_run ls -A "$state_root/.start-requests")"
    expect_eq "path unit after the folder request" active \
        "$(ns_unit_property atvm-run-watcher-requests.path ActiveState)"

    # A request with a bad build name is rejected and starts nothing.
    printf '{"id": "bad-1", "build_name": "../x"}\n' | ns_run tee "$state_root/.start-staging/bad-1.json" >/dev/null
    ns_run mv "$state_root/.start-staging/bad-1.json" "$state_root/.start-requests/bad-1.json"
    wait_until 60 "the rejected request outcome" ns_run test -s "$state_root/.start-results/bad-1.result.json"
    expect_eq "bad request outcome" rejected \
        "$(ns_run jq --raw-output .outcome "$state_root/.start-results/bad-1.result.json")"
    expect_eq "state folders" "$build" "$(ns_run ls "$state_root")"
}

case $scenario in
posted | cancel | killed | start-refusals | start-request) start_webhook_double ok ;;
post-rejected) start_webhook_double unknown_hook ;;
*) fail_test "unknown scenario '$scenario'; use posted, cancel, killed, post-rejected, start-refusals or start-request" ;;
esac

ns_start "$work_dir" "$work_dir/atvm-run-watcher.env" "$build_dir"
install_package

case $scenario in
posted) scenario_posted ;;
cancel) scenario_cancel ;;
killed) scenario_killed ;;
post-rejected) scenario_post_rejected ;;
start-refusals) scenario_start_refusals ;;
start-request) scenario_start_request ;;
esac

printf '1 passed, 0 failed\n'
