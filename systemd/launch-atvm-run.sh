#!/usr/bin/env bash
# Launch an approved Cypress end-to-end run, detached from the terminal, with
# its output in <automation root>/logs/<build>.log, its process id in
# <build>.pid and, once it ends, its exit status in <build>.exit: the paths the
# watcher follows by default. With --with-watcher the watcher starts too.
set -euo pipefail

atvm_script_name=$(basename "$0")
script_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=atvm-service-lib.sh
source "$script_dir/atvm-service-lib.sh"

print_usage()
{
    cat <<EOF
Usage: $atvm_script_name --build-name NAME [--with-watcher [metadata options]] -- COMMAND [ARGUMENT...]

Runs COMMAND in the automation root in a new session (setsid, SIGHUP ignored,
standard input from /dev/null), so that it survives the end of the terminal.
  output       <automation root>/logs/NAME.log
  process id   <automation root>/logs/NAME.pid
  exit status  <automation root>/logs/NAME.exit, written when COMMAND ends
Files of an earlier run of NAME are renamed with a UTC time suffix first.

Without --with-watcher ("approve") no watcher starts; start one later with
start-atvm-run-watcher.sh --build-name NAME, and it finds the same log and pid
file. With --with-watcher ("approve with watcher") this script starts it
through start-atvm-run-watcher.sh, passing the metadata options on; it
first checks that the watcher can start (start-atvm-run-watcher.sh
--check-only) and launches nothing if it cannot.

Options:
  --build-name NAME            the run's build name (required)
  --with-watcher               also start atvm-run-watcher@NAME.service
  --template TEXT, --config-family TEXT, --migration-style TEXT,
  --integration-plugin TEXT, --scope-description TEXT
                               run metadata for the watcher; only with
                               --with-watcher (see start-atvm-run-watcher.sh)
  --help                       show this help and exit

Environment: ATVM_AUTOMATION_ROOT, the automation root (default
$atvm_default_automation_root); the watcher receives the same value. It must
not be below /tmp or /var/tmp, which the watcher's unit hides (PrivateTmp=yes).

Exit status: 0 launched (and watcher started); 64 invalid option or value;
1 the launch failed, or (with --with-watcher) the run already ended or has a
pending cancellation, so nothing was launched; 75 (with --with-watcher) the
watcher is already active or being started, so nothing was launched; 2 the
run was launched but the watcher did not start.
EOF
}

build_name=""
with_watcher=false
start_options=()
declare -A seen_options=()

while (($# > 0)); do
    option=$1
    case $option in
    --help)
        print_usage
        exit 0
        ;;
    --)
        shift
        break
        ;;
    --with-watcher)
        with_watcher=true
        shift
        ;;
    --build-name | --build-name=* | --template | --template=* | --config-family | --config-family=* \
        | --migration-style | --migration-style=* | --integration-plugin | --integration-plugin=* \
        | --scope-description | --scope-description=*)
        name=${option%%=*}
        if [[ -n ${seen_options[$name]+set} ]]; then
            atvm_usage_error "option $name is given twice; give it once"
        fi
        seen_options[$name]=1
        if [[ $option == *=* ]]; then
            value=${option#*=}
        elif (($# < 2)); then
            atvm_usage_error "option $name needs a value"
        else
            value=$2
            shift
        fi
        shift
        if [[ $name == --build-name ]]; then
            build_name=$value
        else
            start_options+=("$name" "$value")
        fi
        ;;
    *)
        atvm_usage_error "unknown option '$option'; put the run's command after '--'"
        ;;
    esac
done

atvm_check_build_name "$build_name"
if (($# == 0)); then
    atvm_usage_error "missing command; give the run's command after '--', e.g. -- npx cypress run"
fi
if ! $with_watcher && ((${#start_options[@]} > 0)); then
    atvm_usage_error "option ${start_options[0]} needs --with-watcher; without a watcher, give the metadata to start-atvm-run-watcher.sh when you start it"
fi

automation_root=${ATVM_AUTOMATION_ROOT:-$atvm_default_automation_root}
if [[ ! -d $automation_root ]]; then
    atvm_usage_error "automation root '$automation_root' not found; create it or set ATVM_AUTOMATION_ROOT"
fi
atvm_check_automation_root "$automation_root"
if [[ $automation_root != /* ]]; then
    automation_root="$PWD/$automation_root"
fi

# The command that starts this run's watcher, for the hints below; it names
# the automation root when that is not the default.
start_command=""
if [[ $automation_root != "$atvm_default_automation_root" ]]; then
    start_command="ATVM_AUTOMATION_ROOT=$(printf '%q' "$automation_root") "
fi
start_command+="$(printf '%q' "$script_dir/start-atvm-run-watcher.sh") --build-name $build_name"

cd "$automation_root"
if ! command -v "$1" >/dev/null; then
    atvm_usage_error "command '$1' not found in PATH or in $automation_root"
fi

logs_dir="$automation_root/logs"
run_log="$logs_dir/$build_name.log"
pid_file="$logs_dir/$build_name.pid"
exit_file="$logs_dir/$build_name.exit"

if [[ -s $pid_file ]]; then
    old_pid=$(<"$pid_file")
    if [[ $old_pid =~ ^[0-9]+$ && ! -e $exit_file ]] && kill -0 "$old_pid" 2>/dev/null; then
        atvm_fail 1 "a run of '$build_name' is still going (process $old_pid from $pid_file); wait for it to end or pick another build name"
    fi
fi

# Everything that would keep the watcher from starting (invalid metadata, a
# run that already ended, a cancellation marker, an active instance) is
# found before the run starts, so a refusal leaves nothing changed.
if $with_watcher; then
    check_status=0
    ATVM_AUTOMATION_ROOT=$automation_root "$script_dir/start-atvm-run-watcher.sh" --check-only \
        --build-name "$build_name" "${start_options[@]}" >/dev/null || check_status=$?
    if ((check_status != 0)); then
        atvm_fail "$check_status" "the watcher of '$build_name' cannot start (see above), so the run was not launched; nothing changed"
    fi
fi

# Keep an earlier run's files instead of appending to them: the watcher
# follows one log from its start.
mkdir -p "$logs_dir"
suffix=$(date --utc +%Y%m%dT%H%M%SZ)
for file in "$run_log" "$pid_file" "$exit_file"; do
    if [[ -e $file ]]; then
        mv -f "$file" "$file.$suffix"
    fi
done

# The supervisor shell is a fixed script; the run's command reaches it as
# arguments and runs as "$@", never through eval. It waits for the command so
# that it can record the exit status.
# shellcheck disable=SC2016
supervisor='
trap "" HUP
run_log=$1 pid_file=$2 exit_file=$3
shift 3
"$@" </dev/null >>"$run_log" 2>&1 &
child=$!
printf "%s\n" "$child" >"$pid_file.tmp" && mv -f "$pid_file.tmp" "$pid_file"
status=0
wait "$child" || status=$?
printf "%s\n" "$status" >"$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"
'
: >"$run_log"
setsid --fork bash -c "$supervisor" atvm-run-supervisor "$run_log" "$pid_file" "$exit_file" "$@" \
    </dev/null >/dev/null 2>&1

# The supervisor writes the pid file right after it forks the command.
for _ in $(seq 1 100); do
    if [[ -s $pid_file ]]; then
        break
    fi
    sleep 0.05
done
if [[ ! -s $pid_file ]]; then
    atvm_fail 1 "the run did not start: $pid_file is still missing after 5 seconds"
fi

printf 'run: %s\n' "$build_name"
printf 'process id: %s\n' "$(<"$pid_file")"
printf 'log: %s\n' "$run_log"
printf 'exit status file: %s\n' "$exit_file"

if ! $with_watcher; then
    printf 'No watcher started. Start one later with: %s\n' "$start_command"
    exit 0
fi

watcher_status=0
ATVM_AUTOMATION_ROOT=$automation_root "$script_dir/start-atvm-run-watcher.sh" \
    --build-name "$build_name" "${start_options[@]}" || watcher_status=$?
if ((watcher_status != 0)); then
    atvm_fail 2 "the run goes on (process $(<"$pid_file")), but the watcher did not start (exit status $watcher_status); fix the error above and run: $start_command"
fi
