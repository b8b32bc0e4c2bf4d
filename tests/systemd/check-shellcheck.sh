#!/usr/bin/env bash
# Run shellcheck over the service helpers, the Debian maintainer scripts and
# these tests.
#   $1  the source folder
set -euo pipefail

source_dir=${1:?missing source folder}
if ! command -v shellcheck >/dev/null; then
    printf 'SKIP: shellcheck not found; install the shellcheck package\n'
    exit 77
fi

cd "$source_dir"
shellcheck --external-sources --source-path=SCRIPTDIR systemd/*.sh tests/systemd/*.sh
shellcheck --shell=sh systemd/debian/postinst systemd/debian/prerm systemd/debian/postrm
printf '1 passed, 0 failed\n'
