#!/usr/bin/env bash
# Stand-in for systemctl in the helpers' tests without systemd: returns
# "show" values from FAKE_SYSTEMCTL_ACTIVE_STATE (default inactive),
# FAKE_SYSTEMCTL_SUB_STATE (default dead), FAKE_SYSTEMCTL_RESULT (default
# success) and FAKE_SYSTEMCTL_LOAD_STATE (default loaded), and records every
# call, one per line, in FAKE_SYSTEMCTL_LOG. "start" and "stop" exit with
# FAKE_SYSTEMCTL_START_STATUS (default 0); "start" first runs the shell
# command FAKE_SYSTEMCTL_ON_START, if set, with the unit name as $1.
set -euo pipefail

printf '%s\n' "$*" >>"${FAKE_SYSTEMCTL_LOG:?set FAKE_SYSTEMCTL_LOG}"
case $1 in
show)
    case $2 in
    --property=ActiveState) printf '%s\n' "${FAKE_SYSTEMCTL_ACTIVE_STATE:-inactive}" ;;
    --property=SubState) printf '%s\n' "${FAKE_SYSTEMCTL_SUB_STATE:-dead}" ;;
    --property=Result) printf '%s\n' "${FAKE_SYSTEMCTL_RESULT:-success}" ;;
    --property=LoadState) printf '%s\n' "${FAKE_SYSTEMCTL_LOAD_STATE:-loaded}" ;;
    *) printf 'fake-systemctl: unexpected property %s\n' "$2" >&2; exit 1 ;;
    esac
    ;;
start)
    if [[ -n ${FAKE_SYSTEMCTL_ON_START-} ]]; then
        bash -c "$FAKE_SYSTEMCTL_ON_START" fake-systemctl "${@: -1}"
    fi
    exit "${FAKE_SYSTEMCTL_START_STATUS:-0}"
    ;;
stop)
    exit "${FAKE_SYSTEMCTL_START_STATUS:-0}"
    ;;
reset-failed)
    exit 0
    ;;
*)
    printf 'fake-systemctl: unexpected command %s\n' "$1" >&2
    exit 1
    ;;
esac
