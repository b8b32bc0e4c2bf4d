#!/usr/bin/env bash
# Check the configured unit with systemd-analyze: "verify" must report
# nothing, and the offline "security" exposure must stay at or below 3.0
# (systemd rates up to 3.9 as "OK"). ExecStart= is pointed at the build's
# binary, because verify checks that the program exists.
#   $1  the configured atvm-run-watcher@.service
#   $2  the built atvm-run-watcher
#   $3  a scratch folder
set -euo pipefail

unit_file=${1:?missing unit file}
watcher_binary=${2:?missing watcher binary}
work_dir=${3:?missing scratch folder}
if ! command -v systemd-analyze >/dev/null; then
    printf 'SKIP: systemd-analyze not found\n'
    exit 77
fi

rm -rf "$work_dir"
mkdir -p "$work_dir"
instance="$work_dir/atvm-run-watcher@verify-1.service"
exec_start=$(grep '^ExecStart=' "$unit_file")
installed_binary=${exec_start#ExecStart=}
installed_binary=${installed_binary%% *}
sed "s|^ExecStart=$installed_binary |ExecStart=$watcher_binary |" "$unit_file" >"$instance"
if ! grep -q "^ExecStart=$watcher_binary --build-name %i$" "$instance"; then
    printf 'FAIL: unexpected ExecStart= line in %s: %s\n' "$unit_file" "$exec_start" >&2
    exit 1
fi

verify_output=$(systemd-analyze verify "$instance" 2>&1) || {
    printf 'FAIL: systemd-analyze verify failed:\n%s\n' "$verify_output" >&2
    exit 1
}
if [[ -n $verify_output ]]; then
    printf 'FAIL: systemd-analyze verify reported:\n%s\n' "$verify_output" >&2
    exit 1
fi
printf 'ok: systemd-analyze verify reports nothing\n'

security_output=$(systemd-analyze security --offline=yes --no-pager "$instance" 2>&1)
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$security_output")
if [[ -z $exposure ]]; then
    printf 'FAIL: no exposure level in:\n%s\n' "$security_output" >&2
    exit 1
fi
if ! awk -v level="$exposure" 'BEGIN { exit !(level <= 3.0) }'; then
    printf 'FAIL: exposure level %s is above 3.0:\n%s\n' "$exposure" "$security_output" >&2
    exit 1
fi
printf 'ok: exposure level %s\n' "$exposure"
printf '1 passed, 0 failed\n'
