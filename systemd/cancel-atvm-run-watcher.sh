#!/usr/bin/env bash
# Cancel the watcher of one run: write the cancellation marker cancel.json in
# the run's state folder, then stop atvm-run-watcher@<build name>.service. The
# watcher records CANCELLED on SIGTERM when the marker exists and posts nothing.
# When no watcher runs (stopped, failed, or waiting to restart after a crash),
# the instance is started, or its restart awaited, because a watcher that
# finds the marker at start records CANCELLED at once. The Cypress run itself
# is not touched.
set -euo pipefail

atvm_script_name=$(basename "$0")
script_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=atvm-service-lib.sh
source "$script_dir/atvm-service-lib.sh"

print_usage()
{
    cat <<EOF
Usage: $atvm_script_name --build-name NAME

Writes <state root>/NAME/cancel.json and stops atvm-run-watcher@NAME.service.
The watcher then records the run as CANCELLED and posts nothing. When no
watcher runs for a run still WATCHING (stopped, failed, or waiting to restart
after a crash), this script starts the instance, or waits for its restart,
and the watcher records CANCELLED as soon as it finds the marker. The Cypress
run keeps going; stop it yourself if that is what you want.

Options:
  --build-name NAME   the run's build name (also --build-name=NAME)
  --help              show this help and exit

Exit status: 0 the run is CANCELLED; 64 invalid option or value; 1 nothing to
cancel (unknown run, or a run that already ended, CANCELLED included), or the
watcher did not record CANCELLED in time (the marker stays; see journalctl).

Environment overrides: ATVM_CANCEL_TIMEOUT, seconds to wait for a watcher
that is not running to record CANCELLED (default 60). For the helpers' own
tests only: ATVM_STATE_ROOT (state root, default $atvm_default_state_root)
and ATVM_SYSTEMCTL (systemctl program).
EOF
}

build_name=""
build_name_given=false
while (($# > 0)); do
    case $1 in
    --help)
        print_usage
        exit 0
        ;;
    --build-name | --build-name=*)
        if $build_name_given; then
            atvm_usage_error "option --build-name is given twice; give it once"
        fi
        build_name_given=true
        if [[ $1 == *=* ]]; then
            build_name=${1#*=}
        elif (($# < 2)); then
            atvm_usage_error "option --build-name needs a value"
        else
            build_name=$2
            shift
        fi
        shift
        ;;
    *)
        atvm_usage_error "unknown option or argument '$1'"
        ;;
    esac
done

atvm_check_build_name "$build_name"

if ! command -v jq >/dev/null; then
    atvm_fail 1 "jq not found; install the jq package"
fi

unit=$(atvm_unit_name "$build_name")
state_dir="$(atvm_state_root)/$build_name"
state_file="$state_dir/state.json"

# Print the run's recorded state, or nothing when state.json is missing or
# unreadable.
recorded_state()
{
    if [[ -r $state_file ]]; then
        jq --raw-output '.state // empty' "$state_file" 2>/dev/null || true
    fi
}

cancel_timeout=${ATVM_CANCEL_TIMEOUT:-60}
if [[ ! $cancel_timeout =~ ^[0-9]+$ ]]; then
    atvm_usage_error "invalid ATVM_CANCEL_TIMEOUT '$cancel_timeout'; give a whole number of seconds"
fi

# A unit waiting to restart after a crash counts as "activating", but no
# watcher runs in it to see the marker until systemd restarts it.
watcher_running=false
watcher_restarting=false
if atvm_unit_is_busy "$unit"; then
    if atvm_unit_is_restarting "$unit"; then
        watcher_restarting=true
    else
        watcher_running=true
    fi
fi
state_before=$(recorded_state)

if ! $watcher_running && ! $watcher_restarting; then
    if [[ ! -d $state_dir ]]; then
        atvm_fail 1 "no run named '$build_name': $state_dir does not exist and $unit is not running; nothing changed"
    fi
    if [[ -z $state_before ]]; then
        atvm_fail 1 "no watched run named '$build_name': $state_file is missing and $unit is not running; nothing changed"
    fi
fi
if ! $watcher_running && [[ -n $state_before && $state_before != WATCHING ]]; then
    atvm_fail 1 "run '$build_name' already finished as $state_before; nothing changed"
fi

# A marker left by an earlier cancel that no watcher read yet is kept: it
# records who cancelled first.
if [[ -e $state_dir/cancel.json ]]; then
    printf 'Kept the existing cancellation marker %s.\n' "$state_dir/cancel.json"
else
    requested_at=$(date --utc +%Y-%m-%dT%H:%M:%SZ)
    requested_by="${SUDO_USER:-$(id --user --name)}@$(hostname)"
    marker=$(jq --null-input --arg at "$requested_at" --arg by "$requested_by" \
        --arg via "$atvm_script_name" '{requested_at: $at, requested_by: $by, via: $via}')
    mkdir -p "$state_dir"
    atvm_write_file_atomically "$state_dir/cancel.json" 0644 "$marker"$'\n'
    printf 'Wrote the cancellation marker %s.\n' "$state_dir/cancel.json"
fi

if $watcher_running; then
    if ! atvm_systemctl stop "$unit"; then
        atvm_fail 1 "failed to stop $unit; see 'systemctl status $unit'"
    fi
    state_after=$(recorded_state)
    if [[ $state_after == CANCELLED ]]; then
        printf 'Stopped %s; run %s is CANCELLED and nothing was posted.\n' "$unit" "$build_name"
        exit 0
    fi
    atvm_fail 1 "stopped $unit, but state.json records '${state_after:-nothing}' instead of CANCELLED; the run may have finished before the cancellation took effect (see journalctl -u $unit)"
fi

if $watcher_restarting; then
    printf '%s waits to restart after a crash; the restarted watcher reads the marker.\n' "$unit"
else
    atvm_reset_failed_unit "$unit"
    # --no-block: the outcome is read from state.json below, whatever systemd
    # makes of a watcher that ends right after its start.
    if ! atvm_systemctl start --no-block "$unit"; then
        atvm_fail 1 "failed to start $unit to record the cancellation; the marker stays, and the next start of the watcher records CANCELLED (see 'systemctl status $unit')"
    fi
    printf 'No watcher ran for this build; started %s so that it reads the marker.\n' "$unit"
fi

deadline=$((SECONDS + cancel_timeout))
state_after=$(recorded_state)
while [[ $state_after == WATCHING || -z $state_after ]] && ((SECONDS < deadline)); do
    sleep 0.5
    state_after=$(recorded_state)
done
if [[ $state_after == CANCELLED ]]; then
    printf 'Run %s is CANCELLED and nothing was posted.\n' "$build_name"
    exit 0
fi
if [[ $state_after == WATCHING || -z $state_after ]]; then
    atvm_fail 1 "$unit did not record CANCELLED within $cancel_timeout seconds; the marker stays, and the watcher records CANCELLED when it next starts (see 'systemctl status $unit' and 'journalctl -u $unit')"
fi
atvm_fail 1 "state.json records '$state_after' instead of CANCELLED; the run ended before the cancellation took effect (see journalctl -u $unit)"
