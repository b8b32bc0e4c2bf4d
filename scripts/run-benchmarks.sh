#!/usr/bin/env bash
# Builds the benchmarks, runs them and measures the atvm-run-watcher process,
# then prints a summary. Takes about two minutes on 2 cores once built; the figures and
# how to read them are in docs/benchmarks.md.
#
# Everything it writes outside the build folder lives in one folder under
# /tmp that is removed on exit, the large logs included (up to 1 GiB at once).
set -eu
set -o pipefail

usage() {
    cat <<'USAGE'
Usage: run-benchmarks.sh [--build-dir DIR] [--follow-mib N] [--follow-rate MIB_PER_S] [--idle-seconds N]

  --build-dir DIR          CMake build folder, configured RelWithDebInfo
                           (default <repository>/build-benchmarks)
  --follow-mib N           size of the run log the watcher follows (default 200)
  --follow-rate N          MiB per second the simulated run writes (default 10)
  --idle-seconds N         how long to measure the idle watcher (default 60)
  --help                   show this help
USAGE
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$repo/build-benchmarks"
follow_mib=200
follow_rate=10
idle_seconds=60

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build-dir) build_dir="${2:?--build-dir needs a folder}"; shift 2 ;;
        --follow-mib) follow_mib="${2:?--follow-mib needs a size}"; shift 2 ;;
        --follow-rate) follow_rate="${2:?--follow-rate needs MiB per second}"; shift 2 ;;
        --idle-seconds) idle_seconds="${2:?--idle-seconds needs seconds}"; shift 2 ;;
        --help) usage; exit 0 ;;
        *) echo "run-benchmarks.sh: unknown option \"$1\". Run with --help." >&2; exit 64 ;;
    esac
done
for value in "$follow_mib" "$follow_rate" "$idle_seconds"; do
    if ! [[ "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "run-benchmarks.sh: invalid number \"$value\"; give a positive whole number." >&2
        exit 64
    fi
done

work=$(mktemp -d /tmp/atvm-bench.XXXXXX)
started_pids=()
cleanup() {
    local pid
    for pid in "${started_pids[@]}"; do
        # /usr/bin/time does not pass signals on, so its child is stopped by parent PID.
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

section() { printf '\n== %s\n' "$1"; }

# --- build ---------------------------------------------------------------
section "Building bench_hotpaths, atvm-bench-logwriter and atvm-run-watcher in $build_dir"
cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j2 --target bench_hotpaths atvm-bench-logwriter atvm-run-watcher
bench="$build_dir/tests/benchmarks/bench_hotpaths"
writer="$build_dir/tests/benchmarks/atvm-bench-logwriter"
watcher="$build_dir/headless/atvm-run-watcher"

# --- hot paths -----------------------------------------------------------
section "Hot paths (wall time)"
TMPDIR="$work" "$bench" -o "$work/walltime.txt,txt" >/dev/null || {
    cat "$work/walltime.txt" >&2
    exit 1
}

callgrind_done=no
if command -v valgrind >/dev/null; then
    section "LogFollower wake-up (instructions, under callgrind)"
    TMPDIR="$work" "$bench" -callgrind followerWakeUp -o "$work/callgrind.txt,txt" >/dev/null
    callgrind_done=yes
fi

# Prints "row: value unit" for each RESULT of a Qt Test text log.
print_results() {
    awk '/^RESULT : / { sub(/^RESULT : BenchHotPaths::/, ""); name = $0; next }
         name != "" { sub(/^ +/, ""); printf "  %-60s %s\n", name, $0; name = "" }' "$1"
}
# Prints the last "MiB/s" note of each benchmark function.
print_rates() {
    grep 'MiB/s' "$1" | awk -F'BenchHotPaths::' '{ split($2, p, "\\("); last[p[1]] = $2 }
        END { for (f in last) printf "  %s\n", last[f] }'
}

# --- watcher process -----------------------------------------------------
# Prints one field of /proc/PID/status in kB, for example VmHWM.
status_kib() { awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"; }
# Prints the CPU time of a process in nanoseconds (first field of schedstat).
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }
wait_for_file() {
    local file=$1 tries=100
    while [[ ! -s "$file" ]] && ((tries-- > 0)); do sleep 0.1; done
    [[ -s "$file" ]]
}

make_root() {
    local root=$1
    mkdir -p "$root/automation/logs" "$root/automation/cmcReporter" "$root/state"
}

# Runs one watcher under /usr/bin/time until it exits. $1 names the case, and
# $2 is "before" when the simulated run writes the whole log before the watcher
# starts, or "after" when it starts writing after the watcher.
follow_log() {
    local name=$1 order=$2 root="$work/$1" build="bench-$1"
    make_root "$root"
    local log="$root/automation/logs/$build.log" pid_file="$root/automation/logs/$build.pid"

    if [[ "$order" == before ]]; then
        "$writer" --log "$log" --pid-file "$pid_file" --size-mib "$follow_mib" --rate 0
    fi
    /usr/bin/time -v -o "$work/$name-time.txt" \
        "$watcher" --build-name "$build" --automation-root "$root/automation" \
        --state-root "$root/state" --dry-run >"$work/$name-stdout.txt" 2>"$work/$name-stderr.txt" &
    local time_pid=$!
    started_pids+=("$time_pid")
    if [[ "$order" == after ]]; then
        "$writer" --log "$log" --pid-file "$pid_file" --size-mib "$follow_mib" --rate "$follow_rate" &
        started_pids+=("$!")
    fi

    local status=0
    wait "$time_pid" || status=$?
    local state
    state=$(grep -o '"state": *"[A-Z]*"' "$root/state/$build/state.json" | head -n 1 || true)
    {
        printf '  %-28s exit %s, %s, log %s bytes\n' "$name" "$status" "${state:-no state}" \
            "$(stat -c %s "$log")"
        awk -F': ' '/Maximum resident set size/ { printf "    peak RSS           %d MiB\n", $2 / 1024 }
        /User time/ { user = $2 } /System time/ { sys = $2 }
        /Elapsed \(wall clock\)/ { wall = $2 }
        END { printf "    CPU time           %.2f s (user %.2f s, system %.2f s)\n", user + sys, user, sys
              printf "    wall time          %s\n", wall }' "$work/$name-time.txt"
    } | tee -a "$work/follow-summary.txt"
    rm -f "$log"
}

section "Watcher following a ${follow_mib} MiB log (--dry-run)"
follow_log follow-growing after
follow_log follow-complete before

section "Watcher idle for ${idle_seconds} s (run alive, log unchanged, 5 s poll interval)"
idle_root="$work/idle"
make_root "$idle_root"
idle_build="bench-idle"
idle_log="$idle_root/automation/logs/$idle_build.log"
idle_pid_file="$idle_root/automation/logs/$idle_build.pid"
"$writer" --log "$idle_log" --pid-file "$idle_pid_file" --size-mib 1 --unfinished \
    --hold $((idle_seconds + 60)) &
started_pids+=("$!")
wait_for_file "$idle_pid_file"
"$watcher" --build-name "$idle_build" --automation-root "$idle_root/automation" \
    --state-root "$idle_root/state" --dry-run >/dev/null 2>"$work/idle-stderr.txt" &
watcher_pid=$!
started_pids+=("$watcher_pid")
# Let it read the log and settle before measuring.
sleep 10
cpu_before=$(cpu_ns "$watcher_pid")
switches_before=$(status_kib "$watcher_pid" voluntary_ctxt_switches)
sleep "$idle_seconds"
cpu_after=$(cpu_ns "$watcher_pid")
switches_after=$(status_kib "$watcher_pid" voluntary_ctxt_switches)
rss=$(status_kib "$watcher_pid" VmRSS)
kill -TERM "$watcher_pid"
wait "$watcher_pid" || true

# --- summary -------------------------------------------------------------
section "Summary"
echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "Hot paths, wall time (Qt Test walltime, adaptive iteration count):"
print_results "$work/walltime.txt"
print_rates "$work/walltime.txt"
if [[ "$callgrind_done" == yes ]]; then
    echo "LogFollower wake-up, instructions (one wake-up under callgrind):"
    print_results "$work/callgrind.txt"
fi
echo "Watcher following a ${follow_mib} MiB log (growing at ${follow_rate} MiB/s, or complete before the start):"
cat "$work/follow-summary.txt"
echo "Idle watcher over ${idle_seconds} s:"
awk -v ns=$((cpu_after - cpu_before)) -v seconds="$idle_seconds" \
    -v wakeups=$((switches_after - switches_before)) -v rss="$rss" 'BEGIN {
        printf "    CPU time           %.1f ms (%.4f %% of one core)\n", ns / 1e6, ns / 1e7 / seconds
        printf "    voluntary context switches %d\n", wakeups
        printf "    RSS                %.1f MiB\n", rss / 1024 }'
