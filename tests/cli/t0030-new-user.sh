#!/bin/sh
# What a newcomer from numactl, hwloc or likwid runs into: wrong input to each verb, and the
# same --sysroot (a directory, a packed capture, a file, nothing) taken alike by every verb.
. "$(dirname "$0")/lib.sh"

SRC=$NP_SRCDIR/tests/fixtures/sysroots-extras/mempolicy-612
[ -d "$SRC" ] || skip_all "no $SRC"
tar czf "$TMP/box.tgz" -C "$SRC" . || skip_all "cannot pack $SRC with tar"
mkdir "$TMP/empty"
: >"$TMP/file"

# run --dry-run read a --sysroot that is no capture with words of its own ("invalid syntax")
expect_code 1 "run --dry-run --sysroot FILE: exit 1" run --dry-run -m 0 --sysroot "$TMP/file"
is "$err" "numaplace run: '$TMP/file' is not a capture (an empty file): expected a directory made by 'numaplace capture' or that directory packed by 'tar czf FILE.tar.gz -C DIR .'" \
    "... with the words topo gives"
is "$out" "" "... nothing on stdout"
expect_code 1 "run --dry-run --sysroot EMPTY-DIR: exit 1" run --dry-run -m 0 --sysroot "$TMP/empty"
like "$err" "^numaplace run: '$TMP/empty' has no sys/devices/system/cpu" "... saying what the tree lacks"

# stat and weights took a directory only: a packed capture failed with "Not a directory"
expect_code 0 "stat --sysroot CAPTURE.tar.gz: exit 0" stat --sysroot "$TMP/box.tgz"
like "$out" "^Per-node numastat info" "... the capture's counters"
expect_code 0 "stat --json --sysroot CAPTURE.tar.gz" stat --json --sysroot "$TMP/box.tgz"
printf '%s\n' "$out" | python3 -m json.tool >/dev/null 2>&1
ok $? "... valid JSON"
expect_code 1 "stat --sysroot FILE: exit 1" stat --sysroot "$TMP/file"
like "$err" "^numaplace stat: '$TMP/file' is not a capture" "... in topo's words"
is "$out" "" "... nothing on stdout"
expect_code 0 "weights --sysroot CAPTURE.tar.gz: exit 0" weights --sysroot "$TMP/box.tgz"
like "$out" "^node  weight" "... the capture's weights"
expect_code 2 "weights set --sysroot CAPTURE.tar.gz: a write that would be lost, exit 2" \
    weights set --sysroot "$TMP/box.tgz" 0=3
is "$err" "numaplace weights set: cannot write the weights into the packed capture '$TMP/box.tgz': unpack it (tar xzf) and give its directory
Try 'numaplace weights set --help' for more information." "... saying what to do"
expect_code 2 "weights --undo --sysroot CAPTURE.tar.gz: exit 2" weights --undo --sysroot "$TMP/box.tgz"

# root that may not read pid 1's numa_maps (a container without CAP_SYS_PTRACE) was told to
# "run as its user or as root"
run where 1
if [ "$(id -u)" = 0 ] && [ "$rc" = 1 ] && printf '%s\n' "$err" | grep -q 'Permission denied'; then
    is "$err" "numaplace where: cannot read the memory map (numa_maps) of pid '1', shown as unknown (root without CAP_SYS_PTRACE, as in a container, may not read another process's memory map): Permission denied" \
        "where 1 as root refused numa_maps: says why, not 'run as root'"
else
    skip 1 "pid 1's numa_maps readable here, or not root"
fi

# migrate with an operand too many said only "expected PID FROM TO"
expect_code 2 "migrate PID 0 0 0: exit 2" migrate $$ 0 0 0
is "$err" "numaplace migrate: unexpected argument '0' (PID FROM TO)
Try 'numaplace migrate --help' for more information." "... naming the extra operand"
is "$out" "" "... nothing on stdout"
expect_code 2 "migrate --pages with an operand too many: exit 2" migrate --pages $$ 0x1000 4096 0 1
like "$err" "unexpected argument '1' \\(--pages: PID ADDR LEN NODE\\)" "... naming it"

done_testing
