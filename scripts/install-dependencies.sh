#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, test and demonstrate the
# project. Packages already present are left alone, so a second run is quick.
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libsystemd-dev
    # tests against real components
    systemd dbus util-linux procps psmisc openssh-server openssh-client sshfs fuse3
    shellcheck xvfb xauth imagemagick jq
    # packaging
    dpkg-dev file
)

if [[ $(id -u) -ne 0 ]]; then
    echo "install-dependencies.sh: run as root (it calls apt-get)." >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "All build and test packages are installed."
    exit 0
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
