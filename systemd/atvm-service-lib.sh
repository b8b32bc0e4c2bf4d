# shellcheck shell=bash
# Functions shared by the run helpers (start-, cancel-atvm-run-watcher.sh and
# launch-atvm-run.sh). Sourced, never run; the caller sets -euo pipefail and
# defines atvm_script_name.
#
# Environment overrides, for the helpers' own tests only:
#   ATVM_STATE_ROOT  state root instead of /var/lib/atvm-run-watcher; the unit
#                    still reads run.env below /var/lib/atvm-run-watcher.
#   ATVM_SYSTEMCTL   path of the systemctl program to call.

# The scripts that source this file define atvm_script_name and use the
# variables set here.
# shellcheck disable=SC2034,SC2154

# Bracket ranges such as [A-Z] match ASCII letters only, whatever the locale.
shopt -s globasciiranges

readonly atvm_unit_template="atvm-run-watcher@.service"
readonly atvm_default_state_root="/var/lib/atvm-run-watcher"
readonly atvm_default_automation_root="/root/cdc-e2e-cyp-12.17.4"

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
