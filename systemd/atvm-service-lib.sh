# shellcheck shell=bash
# Functions shared by the run helpers (start-, cancel-atvm-run-watcher.sh and
# launch-atvm-run.sh). Sourced, never run; the caller sets -euo pipefail and
# defines atvm_script_name.
#
# Environment overrides, for the helpers' own tests only:
#   ATVM_STATE_ROOT  state root instead of /var/lib/atvm-run-watcher; the unit
#                    still reads run.env below /var/lib/atvm-run-watcher.
#   ATVM_SYSTEMCTL   path of the systemctl program to call.
#   ATVM_TMP_ROOTS_VISIBLE=1
#                    accept an automation root below /tmp, for tests whose
#                    checkout lives there and whose systemctl starts no unit.

# The scripts that source this file define atvm_script_name and use the
# variables set here.
# shellcheck disable=SC2034,SC2154

# Bracket ranges such as [A-Z] match ASCII letters only, whatever the locale.
shopt -s globasciiranges

readonly atvm_unit_template="atvm-run-watcher@.service"
readonly atvm_default_state_root="/var/lib/atvm-run-watcher"
readonly atvm_default_automation_root="/root/cdc-e2e-cyp-12.17.4"
# Maximum length of a metadata value, in characters. systemd passes each
# value to the watcher as one environment variable, and Linux rejects a
# variable over 128 KiB at exec (MAX_ARG_STRLEN), so the unit fails with
# status 203/EXEC and restarts. A status message needs far less.
readonly atvm_max_metadata_length=2000
# Filled by atvm_read_env_file.
declare -A atvm_env_values=()

# Print "SCRIPT: MESSAGE" on stderr and exit 64 (EX_USAGE).
atvm_usage_error()
{
    printf '%s: %s\n' "$atvm_script_name" "$1" >&2
    printf "Run '%s --help' for the options.\n" "$atvm_script_name" >&2
    exit 64
}

# Print "SCRIPT: MESSAGE" on stderr and exit with the given status.
atvm_fail()
{
    local status=$1
    printf '%s: %s\n' "$atvm_script_name" "$2" >&2
    exit "$status"
}

# Check NAME against the build name rule that the watcher and the dashboard
# also apply: 1 to 100 characters from
# A-Z a-z 0-9 . _ -, starting with a letter or digit, and no "..".
# Exits 64 with a message naming the value when it does not match.
atvm_check_build_name()
{
    local name=$1
    local rule="use 1 to 100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit, without '..'"

    if [[ -z $name ]]; then
        atvm_usage_error "missing build name: give --build-name NAME; $rule"
    fi
    if ((${#name} > 100)); then
        atvm_usage_error "invalid build name '$name': it has ${#name} characters; $rule"
    fi
    if [[ $name != [A-Za-z0-9]* || $name == *[!A-Za-z0-9._-]* ]]; then
        atvm_usage_error "invalid build name '$name'; $rule"
    fi
    if [[ $name == *..* ]]; then
        atvm_usage_error "invalid build name '$name': it contains '..'; $rule"
    fi
}

atvm_unit_name()
{
    printf 'atvm-run-watcher@%s.service\n' "$1"
}

atvm_state_root()
{
    printf '%s\n' "${ATVM_STATE_ROOT:-$atvm_default_state_root}"
}

# Check that an automation root is visible to the watcher: the unit has
# PrivateTmp=yes, so the watcher gets an empty /tmp and /var/tmp of its own.
# Exits 64 with the reason otherwise.
atvm_check_automation_root()
{
    local root=$1 resolved
    if [[ ${ATVM_TMP_ROOTS_VISIBLE-} == 1 ]]; then
        return 0
    fi
    resolved=$(readlink --canonicalize-missing -- "$root")
    case $resolved/ in
    /tmp/* | /var/tmp/*)
        atvm_usage_error "automation root '$root' is under /tmp or /var/tmp, which the watcher cannot see (its unit has PrivateTmp=yes); move the run to another folder, e.g. below /root or /srv"
        ;;
    esac
}

# Check a metadata VALUE given for OPTION: at most atvm_max_metadata_length
# characters, and representable in run.env. Exits 64 naming the option.
atvm_check_metadata_value()
{
    local option=$1 value=$2
    # Count characters, not bytes, whatever the caller's locale.
    local LC_ALL=C.UTF-8
    if ((${#value} > atvm_max_metadata_length)); then
        atvm_usage_error "value of $option is too long: ${#value} characters, at most $atvm_max_metadata_length allowed; shorten it"
    fi
    if ! atvm_quote_env_value "$value"; then
        atvm_usage_error "invalid value for $option: $atvm_quote_error; remove it from the value"
    fi
}

# Run systemctl, or the program named by ATVM_SYSTEMCTL.
atvm_systemctl()
{
    "${ATVM_SYSTEMCTL:-systemctl}" "$@"
}

# Print the unit's ActiveState (active, activating, inactive, failed, ...).
atvm_unit_active_state()
{
    atvm_systemctl show --property=ActiveState --value "$1"
}

# Print the unit's SubState (running, dead, failed, auto-restart, ...).
atvm_unit_sub_state()
{
    atvm_systemctl show --property=SubState --value "$1"
}

# True while systemd waits to restart the unit after a crash (RestartSec=).
atvm_unit_is_restarting()
{
    [[ $(atvm_unit_sub_state "$1") == auto-restart ]]
}

# Clear a failed unit's state before a start. After repeated crashes systemd
# refuses to start the unit until "systemctl reset-failed", which also resets
# the start counter. systemd 252 then logs "Start request repeated too
# quickly." but keeps the last crash's result (such as exit-code), and
# "systemctl start" reports only that "the control process exited with error
# code".
atvm_reset_failed_unit()
{
    local unit=$1
    if [[ $(atvm_unit_active_state "$unit") != failed ]]; then
        return 0
    fi
    local result
    result=$(atvm_systemctl show --property=Result --value "$unit" || true)
    if ! atvm_systemctl reset-failed "$unit"; then
        atvm_fail 1 "failed to run 'systemctl reset-failed $unit'; run it yourself, then start again"
    fi
    printf "%s was failed (result %s); ran 'systemctl reset-failed %s', which also clears systemd's start limit, so that it starts again.\n" \
        "$unit" "${result:-unknown}" "$unit"
}

# True when the instance runs or is about to run or stop.
atvm_unit_is_busy()
{
    case $(atvm_unit_active_state "$1") in
    active | activating | reloading | deactivating) return 0 ;;
    *) return 1 ;;
    esac
}

# Set atvm_quoted_value to VALUE as a double-quoted systemd EnvironmentFile=
# value.
# Inside double quotes systemd keeps every character verbatim, newlines
# included, except that a backslash before one of " \ ` $ stands for that
# character (systemd.exec(5), EnvironmentFile=). Returns 1 with a reason in
# atvm_quote_error when the value cannot be represented: invalid UTF-8, or a
# control character other than tab and newline.
atvm_quote_env_value()
{
    local value=$1
    local without_tabs_and_newlines=${value//[$'\t\n']/}
    atvm_quote_error=""
    atvm_quoted_value=""

    if ! printf '%s' "$value" | iconv --from-code=UTF-8 --to-code=UTF-8 >/dev/null 2>&1; then
        atvm_quote_error="it is not valid UTF-8"
        return 1
    fi
    if [[ $without_tabs_and_newlines == *[[:cntrl:]]* ]]; then
        atvm_quote_error="it contains a control character other than tab and newline"
        return 1
    fi

    value=${value//\\/\\\\}
    value=${value//\"/\\\"}
    value=${value//\`/\\\`}
    value=${value//\$/\\\$}
    atvm_quoted_value="\"$value\""
}

# Read a run.env that atvm_quote_env_value wrote into the associative array
# atvm_env_values (NAME -> value), undoing the quoting exactly. Comment and
# empty lines are skipped. Returns 1 on a line it cannot parse.
atvm_read_env_file()
{
    local rest name value chunk line
    atvm_env_values=()
    rest=$(<"$1")$'\n'
    while [[ -n $rest ]]; do
        line=${rest%%$'\n'*}
        if [[ -z $line || $line == '#'* ]]; then
            rest=${rest#"$line"$'\n'}
            continue
        fi
        if [[ ! $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=\" ]]; then
            return 1
        fi
        name=${BASH_REMATCH[1]}
        rest=${rest#"$name=\""}
        value=""
        while true; do
            # Everything up to the next backslash or double quote is literal.
            chunk=${rest%%[\\\"]*}
            value+=$chunk
            rest=${rest#"$chunk"}
            if [[ -z $rest ]]; then
                return 1
            fi
            if [[ $rest == '"'* ]]; then
                rest=${rest#'"'}
                break
            fi
            # A backslash escapes " \ ` and $ (systemd.exec(5)); before any
            # other character it stays.
            if [[ ${rest:1:1} == [\\\"\`\$] ]]; then
                value+=${rest:1:1}
                rest=${rest:2}
            else
                value+=\\
                rest=${rest:1}
            fi
        done
        if [[ $rest != $'\n'* ]]; then
            return 1
        fi
        rest=${rest#$'\n'}
        atvm_env_values[$name]=$value
    done
}

# Write CONTENT to FILE atomically with MODE: a temporary file in the same
# folder, then a rename, so a reader sees the old or the new file, never a mix.
atvm_write_file_atomically()
{
    local file=$1 mode=$2 content=$3
    local temporary

    temporary=$(mktemp "$file.XXXXXX")
    if ! printf '%s' "$content" >"$temporary" || ! chmod "$mode" "$temporary" \
        || ! mv -f "$temporary" "$file"; then
        rm -f "$temporary"
        atvm_fail 1 "failed to write '$file'"
    fi
}
