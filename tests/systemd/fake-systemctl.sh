#!/usr/bin/env bash
# Stand-in for systemctl in the helpers' tests without systemd: answers
# "show" from FAKE_SYSTEMCTL_ACTIVE_STATE (default inactive) and
# FAKE_SYSTEMCTL_LOAD_STATE (default loaded), and records every call, one per
# line, in FAKE_SYSTEMCTL_LOG.
set -euo pipefail

printf '%s\n' "$*" >>"${FAKE_SYSTEMCTL_LOG:?set FAKE_SYSTEMCTL_LOG}"
case $1 in
show)
    case $2 in
    --property=ActiveState) printf '%s\n' "${FAKE_SYSTEMCTL_ACTIVE_STATE:-inactive}" ;;
    --property=LoadState) printf '%s\n' "${FAKE_SYSTEMCTL_LOAD_STATE:-loaded}" ;;
    *) printf 'fake-systemctl: unexpected property %s\n' "$2" >&2; exit 1 ;;
    esac
    ;;
start | stop)
    exit "${FAKE_SYSTEMCTL_START_STATUS:-0}"
    ;;
*)
    printf 'fake-systemctl: unexpected command %s\n' "$1" >&2
    exit 1
    ;;
esac
