#!/usr/bin/env bash
# PID 1 of a test namespace, started by lib.sh inside
# "unshare --pid --fork --mount --mount-proc". It hides every path the tests
# write behind a private tmpfs or overlay, so nothing reaches the host, then
# becomes systemd.
#   $1  an empty folder for the namespace's private tmpfs
#   $2  the file to bind-mount over /etc/atvm-run-watcher.env
#   $3… folders that stay visible at their own paths (the source and build
#       trees), even when they live under a folder hidden below
set -euo pipefail

private=${1:?missing private folder}
env_file=${2:?missing env file}
shift 2

mount --make-rprivate /
mount -t tmpfs -o mode=0700 atvm-test "$private"

# Overlays keep the host's content visible and send every write to the tmpfs.
# /usr/lib/systemd/system is where the package installs its unit.
overlay()
{
    local target=$1 name=$2
    mkdir -p "$private/$name/upper" "$private/$name/work"
    mount -t overlay overlay \
        -o "lowerdir=$target,upperdir=$private/$name/upper,workdir=$private/$name/work" "$target"
}
overlay /etc etc
overlay /var var
overlay /usr/lib/systemd/system units

# Before /tmp and /root disappear under a tmpfs, in case the file is there.
touch /etc/atvm-run-watcher.env
mount --bind "$env_file" /etc/atvm-run-watcher.env

# A checkout may live under /tmp or /root (CI clones anywhere), so the kept
# folders are parked in the private /var overlay and mounted back below.
keep=/var/lib/atvm-test-keep
index=0
for path in "$@"; do
    mkdir -p "$keep/$index"
    mount --rbind "$path" "$keep/$index"
    index=$((index + 1))
done

# Empty tmpfs: /etc/systemd/system also hides the host's enabled services, so
# this systemd starts none of them; /root contains the automation root.
for folder in /run /tmp /opt /root /etc/systemd/system; do
    mount -t tmpfs -o mode=0755 atvm-test "$folder"
done
mkdir -p /var/lib/atvm-run-watcher
mount -t tmpfs -o mode=0755 atvm-test /var/lib/atvm-run-watcher

index=0
for path in "$@"; do
    mkdir -p "$path"
    mount --rbind "$keep/$index" "$path"
    index=$((index + 1))
done

exec /lib/systemd/systemd --system
