#!/usr/bin/env bash
# Render the dashboard window with the sample state root of the tests
# (tests/testfiles/dashboard) under Xvfb and save it as a PNG. The sample's
# times are shifted so that its newest update is a few seconds old now, and a
# second, unmounted root shows how an unreachable controller looks.
#
# Usage: render-dashboard-screenshot.sh [BUILD_DIR] [OUTPUT_PNG]
#   BUILD_DIR   build folder with gui/atvm-watcher-dashboard (default: build)
#   OUTPUT_PNG  default: docs/images/dashboard.png
# Needs Xvfb, ImageMagick's import and jq.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-$repo/build}
output=${2:-$repo/docs/images/dashboard.png}
binary="$build_dir/gui/atvm-watcher-dashboard"
sample="$repo/tests/testfiles/dashboard"
# The sample states were written as if it were this time.
sample_now="2026-12-04T15:00:00Z"
width=1500
height=980

for tool in Xvfb import jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "render-dashboard-screenshot.sh: $tool is missing; run scripts/install-dependencies.sh" >&2
        exit 69
    fi
done
if [[ ! -x $binary ]]; then
    echo "render-dashboard-screenshot.sh: no dashboard binary at $binary; build the atvm-watcher-dashboard target first" >&2
    exit 66
fi

scratch=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup()
{
    if [[ -n $app_pid ]]; then
        kill "$app_pid" 2>/dev/null || true
    fi
    if [[ -n $xvfb_pid ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

# Shift every ISO time in a JSON file by the same number of seconds.
delta=$(($(date -u +%s) - $(date -u -d "$sample_now" +%s)))
shift_times()
{
    jq --argjson delta "$delta" '
        walk(if type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")
             then (fromdateiso8601 + $delta | todateiso8601) else . end)' "$1" >"$2"
}

root="$scratch/ctl-lab1"
cp -r "$sample/sample-root" "$root"
while IFS= read -r -d '' file; do
    shift_times "$file" "$file.shifted"
    mv "$file.shifted" "$file"
done < <(find "$root" -name '*.json' -print0)

export HOME="$scratch/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -p "$XDG_DATA_HOME/atvm/atvm-watcher-dashboard" "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"
shift_times "$sample/run-history.json" "$XDG_DATA_HOME/atvm/atvm-watcher-dashboard/run-history.json"

# -displayfd picks a free display number and writes it once the server is ready.
exec {display_fd}<> <(:)
Xvfb -displayfd "$display_fd" -screen 0 "${width}x${height}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
read -r -t 15 -u "$display_fd" display_number
export DISPLAY=":$display_number"
export QT_QPA_PLATFORM=xcb

"$binary" -geometry "${width}x${height}+0+0" \
    --root "$root=ctl-lab1" \
    --root "$scratch/not-mounted/ctl-lab2=ctl-lab2" \
    --select e2e-redhat9.6-ubuntu24.04-w2k25-fc &
app_pid=$!

# Let the first read finish, then break one state file the way a torn write
# over sshfs does: the row keeps its last good data, marked stale.
sleep 3
printf '{"format_version": 1, "build_name": "e2e-debian12-w2' >"$root/e2e-debian12-w2k22-fc/state.json"
sleep 3

mkdir -p "$(dirname "$output")"
import -window root "$output"
echo "Wrote $output"
