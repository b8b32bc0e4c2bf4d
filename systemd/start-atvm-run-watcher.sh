#!/usr/bin/env bash
# Start the watcher of one Cypress end-to-end run as the systemd instance
# atvm-run-watcher@<build name>.service, after writing the run's metadata to
# <state root>/<build name>/run.env. See docs/operating-model.md.
set -euo pipefail

atvm_script_name=$(basename "$0")
script_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=atvm-service-lib.sh
source "$script_dir/atvm-service-lib.sh"

print_usage()
{
    cat <<EOF
Usage: $atvm_script_name --build-name NAME [--check-only] [metadata options]

Writes the run's metadata to <state root>/NAME/run.env and starts the watcher
instance atvm-run-watcher@NAME.service, which follows the run and posts its
outcome to Mattermost once. Every option also takes the form --option=VALUE.

Options:
  --build-name NAME            the run's build name (required): 1 to 100
                               characters from A-Z a-z 0-9 . _ -, starting with
                               a letter or digit, without '..'
  --template TEXT              test template, e.g. cmc-e2e
  --config-family TEXT         configuration family, e.g. gold
  --migration-style TEXT       migration style shown in the status message
  --integration-plugin TEXT    integration plugin, e.g. "pure with fc"
  --scope-description TEXT     one sentence on what the run covers
  --check-only                 run every check, change nothing, and exit with
                               the status a start would have
  --help                       show this help and exit

Metadata values may contain spaces, quotes, \$, backslashes and newlines, up
to $atvm_max_metadata_length characters each. The metadata options are optional. When the
build already has a run.env (a watcher that was stopped, or one that failed
to start), an omitted option keeps its value from that file, and so does
ATVM_AUTOMATION_ROOT; otherwise an omitted option is written as an empty value.

Environment: ATVM_AUTOMATION_ROOT, the automation root the watcher follows
(default $atvm_default_automation_root); not below /tmp or /var/tmp, which
the unit's PrivateTmp=yes hides from the watcher.

A failed instance (for example after systemd's start limit was hit) is reset
with 'systemctl reset-failed' before the start.

Exit status: 0 started (or, with --check-only, it would start); 64 invalid
option or value; 75 the instance is already active or another start of the
build is in progress; 1 the run already ended, has a pending cancellation,
or the instance failed to start (see journalctl -u INSTANCE).

Test-only environment overrides: ATVM_STATE_ROOT (state root, default
$atvm_default_state_root) and ATVM_SYSTEMCTL (systemctl program).
EOF
}

build_name=""
check_only=false
declare -A metadata=()
declare -A seen_options=()

# Option name -> environment variable in run.env.
declare -A metadata_variables=(
    [--template]=ATVM_WATCHER_TEMPLATE
    [--config-family]=ATVM_WATCHER_CONFIG_FAMILY
    [--migration-style]=ATVM_WATCHER_MIGRATION_STYLE
    [--integration-plugin]=ATVM_WATCHER_INTEGRATION_PLUGIN
    [--scope-description]=ATVM_WATCHER_SCOPE_DESCRIPTION
)
metadata_order=(--template --config-family --migration-style --integration-plugin --scope-description)

while (($# > 0)); do
    option=$1
    value=""
    has_inline_value=false
    if [[ $option == --*=* ]]; then
        value=${option#*=}
        option=${option%%=*}
        has_inline_value=true
    fi

    case $option in
    --help)
        print_usage
        exit 0
        ;;
    --check-only)
        check_only=true
        shift
        ;;
    --build-name | --template | --config-family | --migration-style | --integration-plugin | --scope-description)
        if [[ -n ${seen_options[$option]+set} ]]; then
            atvm_usage_error "option $option is given twice; give it once"
        fi
        seen_options[$option]=1
        if ! $has_inline_value; then
            if (($# < 2)); then
                atvm_usage_error "option $option needs a value"
            fi
            value=$2
            shift
        fi
        shift
        if [[ $option == --build-name ]]; then
            build_name=$value
        else
            metadata[$option]=$value
        fi
        ;;
    *)
        atvm_usage_error "unknown option or argument '$1'"
        ;;
    esac
done

atvm_check_build_name "$build_name"
for option in "${!metadata[@]}"; do
    atvm_check_metadata_value "$option" "${metadata[$option]}"
done
# launch-atvm-run.sh passes a non-default automation root this way, so the
# watcher follows the same log and pid file as the launched run.
if [[ -n ${ATVM_AUTOMATION_ROOT-} ]]; then
    atvm_check_automation_root "$ATVM_AUTOMATION_ROOT"
    if ! atvm_quote_env_value "$ATVM_AUTOMATION_ROOT"; then
        atvm_usage_error "invalid ATVM_AUTOMATION_ROOT: $atvm_quote_error"
    fi
fi

unit=$(atvm_unit_name "$build_name")
load_state=$(atvm_systemctl show --property=LoadState --value "$unit")
if [[ $load_state != loaded ]]; then
    atvm_fail 1 "systemd cannot load $unit (LoadState=$load_state); install the package so that $atvm_unit_template is in systemd's unit path, then run 'systemctl daemon-reload'"
fi

state_dir="$(atvm_state_root)/$build_name"
run_env_file="$state_dir/run.env"

# One start of a build at a time: the checks below and the start must not
# interleave with another start of the same build. The lock is released when
# this script exits. A check-only run changes nothing, so it takes no lock.
if ! $check_only; then
    mkdir -p "$state_dir"
    lock_file="$state_dir/.start.lock"
    exec {lock_fd}>>"$lock_file"
    if ! flock --nonblock "$lock_fd"; then
        atvm_fail 75 "another start of build $build_name is in progress (it holds $lock_file); wait for it to finish, then check 'systemctl status $unit'"
    fi
fi

if atvm_unit_is_busy "$unit"; then
    if atvm_unit_is_restarting "$unit"; then
        atvm_fail 75 "$unit is waiting to restart after a crash and resumes the run by itself; follow it with 'journalctl -u $unit -f'"
    fi
    atvm_fail 75 "$unit is already $(atvm_unit_active_state "$unit"); one watcher per build. Stop it with cancel-atvm-run-watcher.sh --build-name $build_name, or pick another build name"
fi

# A finished run is never watched or posted again, and a leftover marker
# would cancel the new watcher at once, so both are reported here instead.
recorded_state=""
if [[ -f $state_dir/state.json ]]; then
    recorded_state=$(jq -r '.state // empty' "$state_dir/state.json" 2>/dev/null || true)
    if [[ -n $recorded_state && $recorded_state != WATCHING ]]; then
        atvm_fail 1 "build $build_name already ended $recorded_state (see $state_dir/state.json); use a new build name, or move $state_dir aside to watch a new run under this name"
    fi
fi
if [[ -e $state_dir/cancel.json ]]; then
    atvm_fail 1 "build $build_name has a pending cancellation ($state_dir/cancel.json) but no watcher recorded it yet; run cancel-atvm-run-watcher.sh --build-name $build_name to finish it (the watcher starts, records CANCELLED and posts nothing), or remove the marker to watch the run again"
fi

# A build that already has a run.env is a resume (a stopped watcher, or one
# that failed to start): options not given keep their earlier values, so the
# watcher follows the same paths and posts the same metadata.
declare -A previous=()
kept=()
if [[ -f $run_env_file ]]; then
    if ! atvm_read_env_file "$run_env_file"; then
        atvm_fail 1 "cannot parse the existing $run_env_file; fix or delete it, then start again with every metadata option"
    fi
    for name in "${!atvm_env_values[@]}"; do
        previous[$name]=${atvm_env_values[$name]}
    done
fi

run_env=""
for option in "${metadata_order[@]}"; do
    variable=${metadata_variables[$option]}
    value=${metadata[$option]-}
    if [[ -z ${metadata[$option]+set} && -n ${previous[$variable]+set} ]]; then
        value=${previous[$variable]}
        kept+=("$option")
    fi
    atvm_check_metadata_value "$option" "$value"
    run_env+="$variable=$atvm_quoted_value"$'\n'
done

automation_root=${ATVM_AUTOMATION_ROOT-}
if [[ -z $automation_root && -n ${previous[ATVM_AUTOMATION_ROOT]-} ]]; then
    automation_root=${previous[ATVM_AUTOMATION_ROOT]}
    atvm_check_automation_root "$automation_root"
    kept+=("ATVM_AUTOMATION_ROOT=$automation_root")
fi
if [[ -n $automation_root ]]; then
    if ! atvm_quote_env_value "$automation_root"; then
        atvm_usage_error "invalid ATVM_AUTOMATION_ROOT: $atvm_quote_error"
    fi
    run_env+="ATVM_AUTOMATION_ROOT=$atvm_quoted_value"$'\n'
fi

if $check_only; then
    if [[ $(atvm_unit_active_state "$unit") == failed ]]; then
        printf "%s is failed; a start runs 'systemctl reset-failed %s' first.\n" "$unit" "$unit"
    fi
    printf 'Checks passed: %s can start for build %s; nothing changed.\n' "$unit" "$build_name"
    exit 0
fi

if ((${#kept[@]} > 0)); then
    printf 'Resuming build %s; kept from the existing run.env: %s\n' "$build_name" "${kept[*]}"
fi
atvm_write_file_atomically "$run_env_file" 0644 \
    "# Written by $atvm_script_name; read by $unit as an EnvironmentFile."$'\n'"$run_env"

atvm_reset_failed_unit "$unit"
if ! atvm_systemctl start "$unit"; then
    atvm_fail 1 "failed to start $unit; see 'systemctl status $unit' and 'journalctl -u $unit'"
fi

printf 'instance: %s\n' "$unit"
printf 'state folder: %s\n' "$state_dir"
printf 'follow it with: journalctl -u %s -f\n' "$unit"
