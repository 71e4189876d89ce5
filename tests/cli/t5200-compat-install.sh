#!/bin/sh
# make install COMPAT=1 installs numactl and taskset as symlinks to numaplace, and they work;
# without COMPAT they are not installed; uninstall removes only our own links.
. "$(dirname "$0")/lib.sh"

root=$TMP/root
np_make install DESTDIR="$root" prefix=/usr >"$TMP/log" 2>&1
ok $? "make install" || sed 's/^/# /' "$TMP/log" >&2
test ! -e "$root/usr/bin/numactl" && test ! -e "$root/usr/bin/taskset"
ok $? "without COMPAT=1 no numactl or taskset is installed"
test -f "$root/usr/share/bash-completion/completions/numaplace"
ok $? "the bash completion is installed"

np_make install DESTDIR="$root" prefix=/usr COMPAT=1 >"$TMP/log" 2>&1
ok $? "make install COMPAT=1" || sed 's/^/# /' "$TMP/log" >&2
is "$(readlink "$root/usr/bin/numactl")" numaplace "numactl is a symlink to numaplace"
is "$(readlink "$root/usr/bin/taskset")" numaplace "taskset is a symlink to numaplace"

run_cmd "$root/usr/bin/taskset" -cp $$
like "$out" "^pid $$'s current affinity list: " "the installed taskset link behaves as taskset"
run_cmd "$root/usr/bin/numactl" --show
like "$out" "^policy: " "the installed numactl link behaves as numactl"
NUMAPLACE_NUMACTL_VERSION= run_cmd "$root/usr/bin/numactl" --version
is "$out" "2.0.19" "numactl --version through the link"

# a numactl that is not ours survives uninstall
np_make uninstall DESTDIR="$root" prefix=/usr >"$TMP/log" 2>&1
ok $? "make uninstall"
test ! -e "$root/usr/bin/numactl" && test ! -e "$root/usr/bin/taskset" && test ! -e "$root/usr/bin/numaplace"
ok $? "uninstall removes the links"
mkdir -p "$root/usr/bin" && echo other >"$root/usr/bin/numactl"
np_make uninstall DESTDIR="$root" prefix=/usr >"$TMP/log" 2>&1
is "$(cat "$root/usr/bin/numactl")" other "uninstall leaves another numactl alone"
done_testing
