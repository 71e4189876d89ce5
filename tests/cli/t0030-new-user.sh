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
is "$err" "numaplace run: '$TMP/file' is not a capture: expected a directory made by 'numaplace capture' or that directory packed by 'tar czf FILE.tar.gz -C DIR .'" \
    "... with the words topo gives"
is "$out" "" "... nothing on stdout"
expect_code 1 "run --dry-run --sysroot EMPTY-DIR: exit 1" run --dry-run -m 0 --sysroot "$TMP/empty"
like "$err" "^numaplace run: '$TMP/empty' has no sys/devices/system/cpu" "... saying what the tree lacks"

done_testing
