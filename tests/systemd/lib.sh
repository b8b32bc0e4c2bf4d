# shellcheck shell=bash
# Test helpers for the service package, sourced by the tests in this folder:
# results, bounded waits, and a real systemd as PID 1 in a private PID and
# mount namespace (see ns-boot.sh for what the namespace hides).

atvm_test_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")

# Exit code CTest reads as "skipped" (SKIP_RETURN_CODE).
readonly atvm_skip_status=77

skip_test()
{
    printf 'SKIP: %s\n' "$1"
    exit "$atvm_skip_status"
}

fail_test()
{
    printf 'FAIL: %s\n' "$1" >&2
    exit 1
}

# Compare an actual value with the expected one.
expect_eq()
{
    local description=$1 expected=$2 actual=$3
    if [[ $actual != "$expected" ]]; then
        fail_test "$description: expected '$expected', got '$actual'"
    fi
    printf 'ok: %s = %s\n' "$description" "$actual"
}

# Fail unless TEXT contains PART.
expect_contains()
{
    local description=$1 part=$2 text=$3
    if [[ $text != *"$part"* ]]; then
        fail_test "$description: expected text containing '$part', got '$text'"
    fi
    printf 'ok: %s\n' "$description"
}

# Run a command, capture its output in command_output and its exit status in
# command_status, never failing the test by itself.
capture()
{
    # shellcheck disable=SC2034 # read by the tests
    command_status=0
    # shellcheck disable=SC2034
    command_output=$("$@" 2>&1) || command_status=$?
}

# Poll COMMAND until it succeeds or SECONDS pass; fail the test with
# DESCRIPTION on timeout.
wait_until()
{
    local seconds=$1 description=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        if ((SECONDS >= deadline)); then
            fail_test "timed out after ${seconds}s waiting for: $description"
        fi
        sleep 0.2
    done
}

# Skip unless this machine can run a systemd in a namespace.
require_namespace_support()
{
    if ((EUID != 0)); then
        skip_test "needs root to create PID and mount namespaces"
    fi
    local tool
    for tool in unshare nsenter setsid; do
        if ! command -v "$tool" >/dev/null; then
            skip_test "$tool not found (util-linux)"
        fi
    done
    if [[ ! -x /lib/systemd/systemd ]]; then
        skip_test "/lib/systemd/systemd not found"
    fi
    if ! grep -qw overlay /proc/filesystems; then
        skip_test "the kernel has no overlay file system"
    fi
}

ns_unshare_pid=""
ns_pid=""

# Run a command inside the namespace, as root in its PID and mount namespace.
ns_run()
{
    nsenter --target "$ns_pid" --mount --pid -- "$@"
}

ns_system_is_up()
{
    local state
    state=$(ns_run systemctl is-system-running 2>/dev/null) || true
    [[ $state == running || $state == degraded ]]
}

# Boot systemd in a new namespace. WORK_DIR receives the private tmpfs mount
# point, the boot log and ENV_FILE's bind mount source. WORK_DIR, the source
# tree and every further folder given stay visible inside the namespace.
ns_start()
{
    local work_dir=$1 env_file=$2
    shift 2
    mkdir -p "$work_dir/private"
    local source_tree
    source_tree=$(readlink -f "$atvm_test_dir/../..")

    setsid unshare --pid --fork --kill-child --mount --mount-proc \
        "$atvm_test_dir/ns-boot.sh" "$work_dir/private" "$env_file" \
        "$source_tree" "$@" "$work_dir" \
        >"$work_dir/boot.log" 2>&1 </dev/null &
    ns_unshare_pid=$!

    local deadline=$((SECONDS + 20))
    until ns_pid=$(pgrep --parent "$ns_unshare_pid"); do
        if ((SECONDS >= deadline)) || ! kill -0 "$ns_unshare_pid" 2>/dev/null; then
            fail_test "the namespace did not start; boot log: $(cat "$work_dir/boot.log")"
        fi
        sleep 0.1
    done
    wait_until 60 "systemd in the namespace to reach running" ns_system_is_up
    printf 'systemd runs as PID %s on the host\n' "$ns_pid"
}

# Shut the namespace's systemd down and wait for the namespace to end; kill
# its unshare process if it does not end in time. Safe to call twice.
ns_stop()
{
    if [[ -z $ns_unshare_pid ]]; then
        return 0
    fi
    if [[ -n $ns_pid ]]; then
        ns_run systemctl exit >/dev/null 2>&1 || true
    fi
    local deadline=$((SECONDS + 30))
    while kill -0 "$ns_unshare_pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$ns_unshare_pid" 2>/dev/null; then
        printf 'warning: systemd did not exit in 30s; killing namespace %s\n' "$ns_unshare_pid" >&2
        kill -KILL "$ns_unshare_pid" 2>/dev/null || true
    fi
    wait "$ns_unshare_pid" 2>/dev/null || true
    ns_unshare_pid=""
    ns_pid=""
}

# Print a unit property inside the namespace.
ns_unit_property()
{
    ns_run systemctl show --property="$2" --value "$1"
}
