#!/usr/bin/env bash
# Runs the product's main job on a bundled example: a simulated Cypress run
# writes its log over about ten seconds, a local Mattermost-compatible
# receiver listens on 127.0.0.1, and the real watcher follows the run and
# posts its status. Prints the posted message and the final state file.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${ATVM_BUILD_DIR:-"$source_dir/build"}
outcome=${1:-failed}

"$source_dir/scripts/install-dependencies.sh"
cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target atvm-run-watcher mattermost-webhook-double

work=$(mktemp -d /tmp/atvm-demo.XXXXXX)
receiver_pid=""
run_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    [[ -z "$run_pid" ]] || kill "$run_pid" 2>/dev/null || true
    [[ -z "$receiver_pid" ]] || kill "$receiver_pid" 2>/dev/null || true
}
trap cleanup EXIT

build=e2e-redhat9.6-ubuntu24.04-w2k25-fc
root="$work/cdc-e2e-cyp-12.17.4"
mkdir -p "$root/logs" "$root/cmcReporter/$build" "$root/atvm/inventory" "$work/state"
cp "$source_dir/resources/vm-inventory.example.md" "$root/atvm/inventory/vm-inventory.md"

hook_id=demoh00k5ecret0000000000000
"$build_dir/tests/webhookdouble/mattermost-webhook-double" --port 0 \
    --port-file "$work/receiver.port" --hook-id "$hook_id" --record "$work/received.jsonl" &
receiver_pid=$!
for _ in $(seq 50); do
    [[ -s "$work/receiver.port" ]] && break
    sleep 0.1
done
port=$(cat "$work/receiver.port")
echo "Mattermost-compatible receiver listening on 127.0.0.1:$port"

"$source_dir/scripts/simulate-cypress-run.sh" --log "$root/logs/$build.log" \
    --pid-file "$root/logs/$build.pid" --report-dir "$root/cmcReporter/$build" \
    --duration 10 --outcome "$outcome" &
run_pid=$!
echo "Simulated Cypress run started (PID $run_pid, outcome $outcome); watching it..."

export MATTERMOST_ATVM_WEBHOOK="http://127.0.0.1:$port/hooks/$hook_id"
export MATTERMOST_ATVM_CHANNEL=atvm-e2e
export ATVM_WATCHER_TEMPLATE=cmc-e2e
export ATVM_WATCHER_CONFIG_FAMILY=gold
export ATVM_WATCHER_MIGRATION_STYLE="ATVM end-to-end migration validation"
export ATVM_WATCHER_INTEGRATION_PLUGIN="pure with fc"
export ATVM_WATCHER_SCOPE_DESCRIPTION="mixed Linux and Windows FC E2E validation on the gold datastore set"

status=0
"$build_dir/headless/atvm-run-watcher" --build-name "$build" --automation-root "$root" \
    --state-root "$work/state" --poll-interval 1s || status=$?
echo "atvm-run-watcher exited with status $status"

echo
echo "==== Message received by the Mattermost-compatible receiver ===="
echo "Requests received: $(wc -l <"$work/received.jsonl")"
jq -r '"channel: \(.channel)\n\n\(.text)"' "$work/received.jsonl"
echo
echo "==== Final state: $work/state/$build/state.json ===="
cat "$work/state/$build/state.json"
exit "$status"
