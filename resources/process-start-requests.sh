#!/usr/bin/env bash
# Process the start requests that atvm-watcher-dashboard writes into a state
# root: <root>/.start-requests/<id>.json. Each request is moved to
# <root>/.start-results/<id>.request.json, validated, passed to
# start-atvm-run-watcher.sh, and its outcome written to
# <root>/.start-results/<id>.result.json, where the dashboard shows it.
# atvm-run-watcher-requests.path runs this script whenever the request folder
# is not empty, so every entry leaves it on every run, whatever its type: a
# request whose id was handled before moves to <id>.<random>.request.json, an
# entry that is not a regular file or is too large is deleted once its
# rejection is recorded, and an entry that cannot be moved is deleted.
#
# Usage: process-start-requests.sh [STATE_ROOT]
#   STATE_ROOT defaults to $ATVM_STATE_ROOT, then /var/lib/atvm-run-watcher.
# Environment: ATVM_START_SCRIPT, the start script to run (default: the
# start-atvm-run-watcher.sh next to this script).
set -euo pipefail

script_name=$(basename "$0")
script_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
state_root=${1:-${ATVM_STATE_ROOT:-/var/lib/atvm-run-watcher}}
start_script=${ATVM_START_SCRIPT:-$script_dir/start-atvm-run-watcher.sh}
requests_dir="$state_root/.start-requests"
results_dir="$state_root/.start-results"
# A request is a few hundred bytes; anything far larger is not one.
max_request_bytes=65536
# Handled requests and their outcomes are kept this many days, then deleted
# (whatever their type, symbolic links themselves and never their targets),
# so that the dashboard's polls over sshfs stay short.
keep_results_days=30

log()
{
    printf '%s: %s\n' "$script_name" "$1" >&2
}

if ! command -v jq >/dev/null 2>&1; then
    log "jq is not installed; install the jq package to process start requests"
    exit 69
fi
if [[ ! -x $start_script ]]; then
    log "start script '$start_script' is missing or not executable; set ATVM_START_SCRIPT or reinstall the package"
    exit 69
fi
if [[ ! -d $requests_dir ]]; then
    log "no request folder '$requests_dir'; nothing to do"
    exit 0
fi
mkdir -p "$results_dir"

# Write the outcome of request ID atomically (a temporary file, then a rename)
# to STEM.result.json; STEM defaults to the id.
write_result()
{
    local id=$1 build_name=$2 outcome=$3 message=$4 exit_status=$5 requested_by=$6
    local stem=${7:-$1}
    local target="$results_dir/$stem.result.json"
    local temporary
    temporary=$(mktemp "$results_dir/.$stem.result.XXXXXX")
    jq -n \
        --arg id "$id" \
        --arg build_name "$build_name" \
        --arg outcome "$outcome" \
        --arg message "$message" \
        --argjson exit_status "$exit_status" \
        --arg requested_by "$requested_by" \
        --arg handled_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        '{id: $id, build_name: $build_name, outcome: $outcome, message: $message,
          exit_status: $exit_status, requested_by: $requested_by, handled_at: $handled_at}' \
        >"$temporary"
    chmod 0644 "$temporary"
    mv -f "$temporary" "$target"
    log "request $id for '$build_name': $outcome: $message"
}

is_valid_build_name()
{
    local name=$1
    [[ ${#name} -ge 1 && ${#name} -le 100 ]] || return 1
    [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || return 1
    [[ $name != *..* ]]
}

# Set the variable VARIABLE to string field NAME of the request FILE exactly
# as written (empty when absent). A command substitution drops trailing
# newlines, so jq appends a sentinel character that is stripped here. Fails
# for a value that is not a string or contains a NUL character, which bash
# cannot hold.
read_request_field()
{
    local name=$1 file=$2 variable=$3 value
    value=$(jq --join-output --arg name "$name" \
        '(.[$name] // "") as $value
         | if ($value | type) != "string" then error("not a string")
           elif ($value | explode | any(. == 0)) then error("contains NUL")
           else $value + "." end' "$file" 2>/dev/null) || return 1
    printf -v "$variable" '%s' "${value%.}"
}

# Move PATH to the results folder as STEM.request.json without replacing
# anything there; when that name is taken, as STEM.<random>.request.json.
# Sets taken to the new path; returns 1 when the entry could not be moved.
take_request()
{
    local path=$1 stem=$2 target attempt
    target="$results_dir/$stem.request.json"
    for attempt in 1 2 3 4 5; do
        # --no-clobber leaves PATH in place when the target exists; -T never
        # moves PATH into a folder of that name.
        if mv --no-clobber -T -- "$path" "$target" 2>/dev/null \
            && [[ ! -e $path && ! -L $path ]]; then
            taken=$target
            return 0
        fi
        target="$results_dir/$stem.$(date -u +%Y%m%dT%H%M%SZ).$$.$RANDOM$attempt.request.json"
    done
    return 1
}

# Delete a rejected entry at once, whatever its type; rm removes a symbolic
# link itself, never its target.
discard()
{
    if ! rm -rf -- "$1"; then
        log "failed to delete '$1'; delete it by hand"
    fi
}

process_request()
{
    local path=$1
    local name id taken
    name=$(basename "$path")
    if [[ $name =~ ^([A-Za-z0-9-]{1,64})\.json$ ]]; then
        id=${BASH_REMATCH[1]}
    else
        id="invalid-$(date -u +%Y%m%dT%H%M%SZ)-$$-$RANDOM"
    fi

    # Take the request out of the watched folder first, so that it is
    # handled once even when it is invalid.
    if ! take_request "$path" "$id"; then
        local failed_id
        failed_id="unmovable-$(date -u +%Y%m%dT%H%M%SZ)-$$-$RANDOM"
        write_result "$failed_id" "" rejected "Request entry '$name' could not be moved out of $requests_dir, so it was deleted." 64 ""
        discard "$path"
        return
    fi

    if [[ -L $taken || ! -f $taken ]]; then
        write_result "$id" "" rejected "Request '$name' is not a regular file; it was deleted." 64 ""
        discard "$taken"
        return
    fi
    if [[ $id == invalid-* ]]; then
        write_result "$id" "" rejected "Invalid request file name '$name'; the dashboard writes <id>.json with letters, digits and '-'." 64 ""
        return
    fi
    if [[ $taken != "$results_dir/$id.request.json" ]]; then
        local stem=${taken##*/}
        stem=${stem%.request.json}
        write_result "$id" "" rejected "Request id '$id' was already handled (see $id.result.json), so this copy was not run; the dashboard writes a new id for every request." 64 "" "$stem"
        return
    fi
    if (($(stat -c %s "$taken") > max_request_bytes)); then
        write_result "$id" "" rejected "Request '$name' is larger than $max_request_bytes bytes; it was deleted." 64 ""
        discard "$taken"
        return
    fi
    if ! jq -e 'type == "object"' "$taken" >/dev/null 2>&1; then
        write_result "$id" "" rejected "Request '$name' is not a JSON object." 64 ""
        return
    fi

    local build_name template config_family migration_style integration_plugin scope_description requested_by
    if ! read_request_field build_name "$taken" build_name \
        || ! read_request_field template "$taken" template \
        || ! read_request_field config_family "$taken" config_family \
        || ! read_request_field migration_style "$taken" migration_style \
        || ! read_request_field integration_plugin "$taken" integration_plugin \
        || ! read_request_field scope_description "$taken" scope_description \
        || ! read_request_field requested_by "$taken" requested_by; then
        write_result "$id" "" rejected "Request '$name' has a field that is not a string or contains a NUL character." 64 ""
        return
    fi

    if ! is_valid_build_name "$build_name"; then
        write_result "$id" "$build_name" rejected "Invalid build name '$build_name': use 1 to 100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit, without '..'." 64 "$requested_by"
        return
    fi

    local arguments=(--build-name "$build_name")
    [[ -n $template ]] && arguments+=(--template "$template")
    [[ -n $config_family ]] && arguments+=(--config-family "$config_family")
    [[ -n $migration_style ]] && arguments+=(--migration-style "$migration_style")
    [[ -n $integration_plugin ]] && arguments+=(--integration-plugin "$integration_plugin")
    [[ -n $scope_description ]] && arguments+=(--scope-description "$scope_description")

    local output status=0
    output=$(ATVM_STATE_ROOT="$state_root" "$start_script" "${arguments[@]}" 2>&1) || status=$?
    case $status in
    0) write_result "$id" "$build_name" started "$output" 0 "$requested_by" ;;
    64) write_result "$id" "$build_name" rejected "$output" 64 "$requested_by" ;;
    *) write_result "$id" "$build_name" failed "$output" "$status" "$requested_by" ;;
    esac
}

shopt -s nullglob dotglob
for path in "$requests_dir"/*; do
    process_request "$path"
done

# find never follows symbolic links here (-P is its default), and rm -rf
# deletes a link itself.
find "$results_dir" -mindepth 1 -maxdepth 1 -mtime "+$keep_results_days" -exec rm -rf -- {} +
