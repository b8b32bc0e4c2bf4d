#!/usr/bin/env bash
# Cancel the watcher of one run: write the cancellation marker cancel.json in
# the run's state folder, then stop atvm-run-watcher@<build name>.service. The
# watcher records CANCELLED on SIGTERM when the marker exists and posts nothing.
# The Cypress run itself is not touched.
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
The watcher then records the run as CANCELLED and posts nothing. The Cypress
run keeps going; stop it yourself if that is what you want.

Options:
  --build-name NAME   the run's build name (also --build-name=NAME)
  --help              show this help and exit

Exit status: 0 cancelled (or marker written for a stopped watcher); 64 invalid
option or value; 1 nothing to cancel (unknown or finished run) or the stop
failed.

Test-only environment overrides: ATVM_STATE_ROOT (state root, default
$atvm_default_state_root) and ATVM_SYSTEMCTL (systemctl program).
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

watcher_running=false
if atvm_unit_is_busy "$unit"; then
    watcher_running=true
fi
state_before=$(recorded_state)

if ! $watcher_running; then
    if [[ ! -d $state_dir ]]; then
        atvm_fail 1 "no run named '$build_name': $state_dir does not exist and $unit is not running; nothing changed"
    fi
    if [[ -z $state_before ]]; then
        atvm_fail 1 "no watched run named '$build_name': $state_file is missing and $unit is not running; nothing changed"
    fi
    if [[ $state_before != WATCHING ]]; then
        atvm_fail 1 "run '$build_name' already finished as $state_before; nothing changed"
    fi
fi

requested_at=$(date --utc +%Y-%m-%dT%H:%M:%SZ)
requested_by="${SUDO_USER:-$(id --user --name)}@$(hostname)"
marker=$(jq --null-input --arg at "$requested_at" --arg by "$requested_by" \
    --arg via "$atvm_script_name" '{requested_at: $at, requested_by: $by, via: $via}')
mkdir -p "$state_dir"
atvm_write_file_atomically "$state_dir/cancel.json" 0644 "$marker"$'\n'
printf 'Wrote the cancellation marker %s.\n' "$state_dir/cancel.json"

if ! $watcher_running; then
    printf 'No watcher runs for this build, so nothing was stopped; state.json stays WATCHING until a watcher reads the marker.\n'
    exit 0
fi

if ! atvm_systemctl stop "$unit"; then
    atvm_fail 1 "failed to stop $unit; see 'systemctl status $unit'"
fi

state_after=$(recorded_state)
if [[ $state_after == CANCELLED ]]; then
    printf 'Stopped %s; run %s is CANCELLED and nothing was posted.\n' "$unit" "$build_name"
    exit 0
fi
atvm_fail 1 "stopped $unit, but state.json records '${state_after:-nothing}' instead of CANCELLED; the run may have finished before the cancellation took effect (see journalctl -u $unit)"
