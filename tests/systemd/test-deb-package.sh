#!/usr/bin/env bash
# The Debian package under a real systemd: build it with CPack, then install,
# upgrade (reinstall), remove and purge it with dpkg inside a namespace whose
# dpkg database, /etc, /var, /opt and unit folder are private.
#   $1  the build folder (every target built)
#   $2  a scratch folder
set -euo pipefail

# Commands run inside the namespace start in its root folder.
build_dir=$(readlink -f "${1:?missing build folder}")
work_dir=$(readlink -m "${2:?missing scratch folder}")
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

require_namespace_support
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps; do
    if ! command -v "$tool" >/dev/null; then
        skip_test "$tool not found; install cmake and dpkg-dev"
    fi
done
if [[ ! -x $build_dir/headless/atvm-run-watcher ]]; then
    skip_test "$build_dir/headless/atvm-run-watcher is not built; build every target first"
fi

rm -rf "$work_dir"
mkdir -p "$work_dir/package"
if ! (cd "$work_dir/package" && cpack -G DEB --config "$build_dir/CPackConfig.cmake" >"$work_dir/cpack.log" 2>&1); then
    # A target that was not built shows up as a file the install cannot find.
    if grep -q "file INSTALL cannot find" "$work_dir/cpack.log"; then
        skip_test "not every target is built, so cpack cannot package them: $(grep -A1 'cannot find' "$work_dir/cpack.log" | head -n 2 | tr -s ' \n' ' ')"
    fi
    fail_test "cpack failed: $(tail -n 20 "$work_dir/cpack.log")"
fi
shopt -s nullglob
packages=("$work_dir"/package/atvm-watcher-service_*.deb)
expect_eq "packages built" 1 "${#packages[@]}"
package=${packages[0]}

expect_eq "conffiles" /etc/atvm-run-watcher.env \
    "$(dpkg-deb --ctrl-tarfile "$package" | tar --extract --to-stdout ./conffiles)"
expect_contains "depends on Qt Core" "libqt6core6" "$(dpkg-deb --field "$package" Depends)"
expect_contains "env file mode in the package" "-rw------- root/root" \
    "$(dpkg-deb --contents "$package" | grep ' ./etc/atvm-run-watcher.env$')"

# The namespace's /etc/atvm-run-watcher.env and /var/lib/atvm-run-watcher
# are mount points, which dpkg and the postrm cannot replace or delete. The
# overlays below them are private too, so the package gets those instead.
: >"$work_dir/unused.env"
trap ns_stop EXIT
ns_start "$work_dir" "$work_dir/unused.env" "$build_dir"
ns_run umount /etc/atvm-run-watcher.env
ns_run rm -f /etc/atvm-run-watcher.env
ns_run umount /var/lib/atvm-run-watcher
ns_run rmdir /var/lib/atvm-run-watcher

# A container may carry a policy-rc.d that forbids every service action,
# which deb-systemd-invoke in the prerm respects. The namespace stands for a
# normal host, so an empty, non-executable file hides it there (only in the
# namespace's own mounts).
if ns_run test -e /usr/sbin/policy-rc.d; then
    ns_run mount --bind /dev/null /usr/sbin/policy-rc.d
fi

ns_run dpkg --install "$package" >"$work_dir/dpkg.log" 2>&1 \
    || fail_test "dpkg --install failed: $(cat "$work_dir/dpkg.log")"
# shellcheck disable=SC2016 # ${Status} is a dpkg-query field, not a variable
expect_eq "package status" "install ok installed" \
    "$(ns_run dpkg-query --show --showformat='${Status}' atvm-watcher-service)"
expect_eq "env file mode" "600 root" "$(ns_run stat --format='%a %U' /etc/atvm-run-watcher.env)"
expect_eq "state root" directory "$(ns_run stat --format=%F /var/lib/atvm-run-watcher)"
expect_eq "unit load state" loaded \
    "$(ns_run systemctl show --property=LoadState --value atvm-run-watcher@deb-check.service)"
expect_eq "unit ExecStart binary" /opt/atvm-watcher-service/bin/atvm-run-watcher \
    "$(ns_run systemctl show --property=ExecStart --value atvm-run-watcher@deb-check.service \
        | sed -n 's/.*path=\([^ ;]*\).*/\1/p')"

# An administrator enables the start request path unit; an upgrade leaves it
# running, a removal stops and disables it.
readonly requests_path=atvm-run-watcher-requests.path
readonly requests_link=/etc/systemd/system/paths.target.wants/$requests_path
path_unit_property()
{
    ns_run systemctl show --property="$1" --value "$requests_path"
}
ns_run systemctl enable --now "$requests_path" >>"$work_dir/dpkg.log" 2>&1
expect_eq "path unit after enable" active "$(path_unit_property ActiveState)"

# An edited env file and a run's state survive an upgrade and a removal.
ns_run sh -c 'printf "MATTERMOST_ATVM_CHANNEL=edited\n" >>/etc/atvm-run-watcher.env'
ns_run mkdir -p /var/lib/atvm-run-watcher/kept-run
ns_run sh -c 'printf "{\"state\": \"COMPLETED\"}\n" >/var/lib/atvm-run-watcher/kept-run/state.json'
ns_run dpkg --install "$package" >>"$work_dir/dpkg.log" 2>&1 \
    || fail_test "dpkg --install over the installed package failed: $(cat "$work_dir/dpkg.log")"
expect_contains "env file after upgrade" "MATTERMOST_ATVM_CHANNEL=edited" \
    "$(ns_run cat /etc/atvm-run-watcher.env)"
expect_eq "path unit after upgrade" active "$(path_unit_property ActiveState)"

ns_run dpkg --remove atvm-watcher-service >>"$work_dir/dpkg.log" 2>&1 \
    || fail_test "dpkg --remove failed: $(cat "$work_dir/dpkg.log")"
if ns_run test -e /opt/atvm-watcher-service/bin/atvm-run-watcher; then
    fail_test "the watcher binary is still there after dpkg --remove"
fi
expect_eq "unit after remove" not-found \
    "$(ns_run systemctl show --property=LoadState --value atvm-run-watcher@deb-check.service)"
expect_eq "path unit after remove" inactive "$(path_unit_property ActiveState)"
if ns_run test -L "$requests_link"; then
    fail_test "dpkg --remove left the path unit enabled: $requests_link"
fi
printf 'ok: remove disabled the path unit\n'
# A link prerm could not remove (made by hand after the removal, say) goes
# with the purge.
ns_run mkdir -p "$(dirname "$requests_link")"
ns_run ln -s "/lib/systemd/system/$requests_path" "$requests_link"
expect_contains "env file after remove" "MATTERMOST_ATVM_CHANNEL=edited" \
    "$(ns_run cat /etc/atvm-run-watcher.env)"
expect_eq "state after remove" '{"state": "COMPLETED"}' \
    "$(ns_run cat /var/lib/atvm-run-watcher/kept-run/state.json)"

ns_run dpkg --purge atvm-watcher-service >>"$work_dir/dpkg.log" 2>&1 \
    || fail_test "dpkg --purge failed: $(cat "$work_dir/dpkg.log")"
for path in /etc/atvm-run-watcher.env /var/lib/atvm-run-watcher/kept-run "$requests_link"; do
    if ns_run test -e "$path" || ns_run test -L "$path"; then
        fail_test "$path is still there after dpkg --purge"
    fi
done
printf 'ok: purge removed the env file, the state and the path unit link\n'

printf '1 passed, 0 failed\n'
