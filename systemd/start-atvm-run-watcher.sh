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
Usage: $atvm_script_name --build-name NAME [metadata options]

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
  --help                       show this help and exit

Metadata values may contain spaces, quotes, \$, backslashes and newlines. The
metadata options are optional; an omitted one is written as an empty value.

Exit status: 0 started; 64 invalid option or value; 75 the instance is
already active; 1 the instance failed to start (see journalctl -u INSTANCE).

Test-only environment overrides: ATVM_STATE_ROOT (state root, default
$atvm_default_state_root) and ATVM_SYSTEMCTL (systemctl program).
EOF
}

build_name=""
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

run_env=""
for option in "${metadata_order[@]}"; do
    if ! atvm_quote_env_value "${metadata[$option]-}"; then
        atvm_usage_error "invalid value for $option: $atvm_quote_error; remove it from the value"
    fi
    run_env+="${metadata_variables[$option]}=$atvm_quoted_value"$'\n'
done

# launch-atvm-run.sh passes a non-default automation root this way, so the
# watcher follows the same log and pid file as the launched run.
if [[ -n ${ATVM_AUTOMATION_ROOT-} ]]; then
    if ! atvm_quote_env_value "$ATVM_AUTOMATION_ROOT"; then
        atvm_usage_error "invalid ATVM_AUTOMATION_ROOT: $atvm_quote_error"
    fi
    run_env+="ATVM_AUTOMATION_ROOT=$atvm_quoted_value"$'\n'
fi

unit=$(atvm_unit_name "$build_name")
load_state=$(atvm_systemctl show --property=LoadState --value "$unit")
if [[ $load_state != loaded ]]; then
    atvm_fail 1 "systemd cannot load $unit (LoadState=$load_state); install the package so that $atvm_unit_template is in systemd's unit path, then run 'systemctl daemon-reload'"
fi
if atvm_unit_is_busy "$unit"; then
    atvm_fail 75 "$unit is already $(atvm_unit_active_state "$unit"); one watcher per build. Stop it with cancel-atvm-run-watcher.sh --build-name $build_name, or pick another build name"
fi

state_dir="$(atvm_state_root)/$build_name"
# A finished run is never watched or posted again, and a leftover marker
# would cancel the new watcher at once, so both are reported here instead.
if [[ -f $state_dir/state.json ]]; then
    recorded_state=$(jq -r '.state // empty' "$state_dir/state.json" 2>/dev/null || true)
    if [[ -n $recorded_state && $recorded_state != WATCHING ]]; then
        atvm_fail 1 "build $build_name already ended $recorded_state (see $state_dir/state.json); use a new build name, or move $state_dir aside to watch a new run under this name"
    fi
fi
if [[ -e $state_dir/cancel.json ]]; then
    atvm_fail 1 "build $build_name has a cancellation marker, $state_dir/cancel.json; remove it first if this run should be watched again"
fi
mkdir -p "$state_dir"
atvm_write_file_atomically "$state_dir/run.env" 0644 \
    "# Written by $atvm_script_name; read by $unit as an EnvironmentFile."$'\n'"$run_env"

if ! atvm_systemctl start "$unit"; then
    atvm_fail 1 "failed to start $unit; see 'systemctl status $unit' and 'journalctl -u $unit'"
fi

printf 'instance: %s\n' "$unit"
printf 'state folder: %s\n' "$state_dir"
printf 'follow it with: journalctl -u %s -f\n' "$unit"
