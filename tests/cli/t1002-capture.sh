#!/bin/sh
# numaplace capture: a capture reads back as the machine it was taken from.
. "$(dirname "$0")/lib.sh"
SYS=$NP_SRCDIR/tests/fixtures/sysroots

expect_code 0 "capture --help exits 0" capture --help
like "$out" "^Usage: numaplace capture" "capture --help prints usage"
expect_code 2 "capture without a directory exits 2" capture
is "$err" "numaplace capture: no directory given
Try 'numaplace capture --help' for more information." "capture without a directory: message"

: >"$TMP/file"
expect_code 1 "capture into a file exits 1" capture --sysroot "$SYS/sparse" "$TMP/file/x"
like "$err" "^numaplace capture: cannot capture into '$TMP/file/x': " "capture into a file: message"

# free memory changes from one read to the next: leave it out of the comparison
strip() { sed -e 's/ ([0-9.]* [KMGT]*i*B free)//' -e '/"mem_free"/d' -e '/"sysroot"/d'; }

if [ -d /sys/devices/system/cpu ]; then
    expect_code 0 "capture of this machine exits 0" capture "$TMP/live"
    like "$out" "^captured [0-9]+ files in $TMP/live$" "capture says how many files"
    "$NP" topo | strip >"$TMP/a"; "$NP" topo --sysroot "$TMP/live" | strip >"$TMP/b"
    is "$(cat "$TMP/b")" "$(cat "$TMP/a")" "topo on the capture equals topo on this machine"
    "$NP" topo --json | strip >"$TMP/a"; "$NP" topo --json --sysroot "$TMP/live" | strip >"$TMP/b"
    is "$(cat "$TMP/b")" "$(cat "$TMP/a")" "topo --json on the capture equals this machine's"
    ok "$([ ! -e "$TMP/live/sys/devices/system/cpu/cpu0/crash_notes" ] && echo 0 || echo 1)" \
        "capture copies only what numaplace reads"
    # the CPU model comes with the capture: topo names it, and lscpu reads the capture too
    cmp -s /proc/cpuinfo "$TMP/live/proc/cpuinfo" || [ "$(wc -l <"$TMP/live/proc/cpuinfo")" -gt 0 ]
    ok $? "capture copies /proc/cpuinfo"
    model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
    if [ -n "$model" ]; then
        like "$("$NP" topo --sysroot "$TMP/live")" "^cpu: $(printf '%s' "$model" | sed 's/[][\\.*^$()+?{}|]/\\&/g')$" \
            "topo on the capture names the CPU model"
    else
        skip 1 "this machine's /proc/cpuinfo has no 'model name'"
    fi
    if command -v lscpu >/dev/null 2>&1 && [ -n "$model" ]; then
        run_cmd lscpu -s "$TMP/live"
        like "$out" "Model name: +$(printf '%s' "$model" | sed 's/[][\\.*^$()+?{}|]/\\&/g')" "lscpu -s reads the capture's model name"
    else
        skip 1 "no lscpu, or no model name here"
    fi
else
    skip 8 "no /sys/devices/system/cpu"
fi

# a packed capture reads as its directory: unpacked into a private directory under TMPDIR,
# removed at exit (no tar, no gzip, no zlib at run time)
for s in nonuma power sparse; do
    tar czf "$TMP/p-$s.tar.gz" -C "$SYS/$s" .
    mkdir -p "$TMP/tmpd-$s"
    "$NP" topo -v --sysroot "$SYS/$s" >"$TMP/a"
    TMPDIR="$TMP/tmpd-$s" "$NP" topo -v --sysroot "$TMP/p-$s.tar.gz" >"$TMP/b" 2>"$TMP/err"
    is "$(cat "$TMP/b")" "$(cat "$TMP/a")" "topo --sysroot $s.tar.gz reads as the directory"
    is "$(ls -A "$TMP/tmpd-$s")" "" "and leaves nothing in TMPDIR"
done
if command -v python3 >/dev/null 2>&1; then
    # the archives of other tools: pax (python's default) with long names and links
    (cd "$SYS/sparse" && python3 -c 'import tarfile, sys; t = tarfile.open(sys.argv[1], "w:gz", format=tarfile.PAX_FORMAT); t.add(".", arcname="."); t.close()' "$TMP/pax.tar.gz")
    "$NP" topo --json --sysroot "$SYS/sparse" | strip >"$TMP/a"
    "$NP" topo --json --sysroot "$TMP/pax.tar.gz" | strip >"$TMP/b"
    is "$(cat "$TMP/b")" "$(cat "$TMP/a")" "a pax archive of a capture reads the same"
    python3 -c 'import tarfile, io, sys
t = tarfile.open(sys.argv[1], "w:gz")
i = tarfile.TarInfo("../escape"); d = b"x"; i.size = 1; t.addfile(i, io.BytesIO(d)); t.close()' "$TMP/evil.tar.gz"
    python3 -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read()); d[len(d) // 2] ^= 0x55; open(sys.argv[2], "wb").write(d)' \
        "$TMP/p-sparse.tar.gz" "$TMP/bad.tar.gz"
    expect_code 1 "a damaged archive exits 1 (CRC-32 or the stream itself)" topo --sysroot "$TMP/bad.tar.gz"
    expect_code 1 "an archive with a path outside it exits 1" topo --sysroot "$TMP/evil.tar.gz"
    test ! -e "$TMP/escape"
    ok $? "and writes nothing outside its directory"
else
    skip 5 "no python3"
fi
if [ -f "$SHARED/fixtures/topology/nvidiagpunumanodes/fsroot.tar.gz" ]; then
    "$NP" capture --sysroot "$SHARED/fixtures/topology/nvidiagpunumanodes/fsroot.tar.gz" "$TMP/c-gpu" >/dev/null
    test -f "$TMP/c-gpu/proc/driver/nvidia/gpus/0004:05:00.0/numa_status"
    ok $? "capture keeps NVIDIA's numa_status (a GPU's memory node), from a packed sysroot"
    fx16=$SHARED/fixtures/topology/16amd64-8n2c/fsroot.tar.gz
    expect_code 0 "run --dry-run reads a packed capture too" run --dry-run -N 1 -m 1 --sysroot "$fx16"
    is "$out" "cpus: 2-3
policy: bind:1" "and places on its node 1"
else
    skip 3 "no shared fixtures in $SHARED"
fi
printf 'not a capture\n' >"$TMP/junk"
expect_code 1 "a file that is no .tar.gz exits 1" topo --sysroot "$TMP/junk"
is "$err" "numaplace topo: '$TMP/junk' is not a capture: expected a directory made by 'numaplace capture' or that directory packed by 'tar czf FILE.tar.gz -C DIR .'" \
    "and says what a capture is"
mkdir -p "$TMP/empty"
expect_code 1 "a directory without sys/ exits 1" topo --sysroot "$TMP/empty"
is "$err" "numaplace topo: '$TMP/empty' has no sys/devices/system/cpu: expected a tree made by 'numaplace capture' or a copy of / with sys/ and proc/" \
    "and says what layout is expected"

# a bad archive: each says which file and what is wrong, exits 1, and leaves no directory
# behind in TMPDIR (cli/sysroot-tgz.c, cli/tar.c, cli/inflate.c)
want="expected a directory made by 'numaplace capture' or that directory packed by 'tar czf FILE.tar.gz -C DIR .'"
saved_tmpdir=$TMPDIR
mkdir -p "$TMP/tmpd-bad"
export TMPDIR="$TMP/tmpd-bad"
bad() { # FILE WORDS: topo --sysroot FILE exits 1 with exactly WORDS, nothing left behind
    expect_code 1 "$(basename "$1") exits 1" topo --sysroot "$1"
    is "$err" "numaplace topo: $2" "$(basename "$1"): says what is wrong with it"
    is "$(ls -A "$TMP/tmpd-bad")" "" "$(basename "$1"): leaves nothing in TMPDIR"
}
: >"$TMP/empty.tar.gz"
bad "$TMP/empty.tar.gz" "'$TMP/empty.tar.gz' is not a capture (an empty file): $want"
tar czf "$TMP/whole.tar.gz" -C "$SYS/sparse" .
head -c "$(($(wc -c <"$TMP/whole.tar.gz") / 2))" "$TMP/whole.tar.gz" >"$TMP/half.tar.gz"
bad "$TMP/half.tar.gz" "cannot unpack '$TMP/half.tar.gz': the file ends before its gzip stream does (truncated)"
printf 'not a tar\n' | gzip >"$TMP/notar.tar.gz"
bad "$TMP/notar.tar.gz" "cannot unpack '$TMP/notar.tar.gz': it holds no tar archive ($want)"
mkdir -p "$TMP/nosys/proc"
tar czf "$TMP/nosys.tar.gz" -C "$TMP/nosys" .
bad "$TMP/nosys.tar.gz" "'$TMP/nosys.tar.gz' holds no sys/devices/system/cpu: $want"
# 80 MiB of zeros in 80 KiB: past 256:1 and the 64 MiB floor, a decompression bomb
head -c 83886080 /dev/zero | gzip -9 >"$TMP/bomb.tar.gz"
bad "$TMP/bomb.tar.gz" "cannot unpack '$TMP/bomb.tar.gz': it inflates past 256 times its size (a limit of at least 64 MiB, at most 1024 MiB); refused as a decompression bomb"
if command -v python3 >/dev/null 2>&1; then
    mk() { # FILE then python lines adding to the tarfile t
        python3 -c "import tarfile, io, sys
t = tarfile.open(sys.argv[1], 'w:gz')
def add(name, kind=tarfile.REGTYPE, link='', data=b'x'):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = link
    i.size = len(data) if kind == tarfile.REGTYPE else 0
    t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
$2
t.close()" "$1"
    }
    mk "$TMP/dotdot.tar.gz" "add('sys/../../x')"
    bad "$TMP/dotdot.tar.gz" "cannot unpack '$TMP/dotdot.tar.gz': 'sys/../../x' is a path outside its directory"
    test ! -e "$TMP/x"
    ok $? "and writes nothing outside its directory"
    mk "$TMP/abslink.tar.gz" "add('etc', tarfile.SYMTYPE, '/etc'); add('etc/passwd')"
    bad "$TMP/abslink.tar.gz" "cannot unpack '$TMP/abslink.tar.gz': 'etc' is a link that points outside its directory"
    # links to / made an archive of two links read as this machine, silently
    mk "$TMP/live.tar.gz" "add('sys', tarfile.SYMTYPE, '/sys'); add('proc', tarfile.SYMTYPE, '/proc')"
    bad "$TMP/live.tar.gz" "cannot unpack '$TMP/live.tar.gz': 'sys' is a link that points outside its directory"
    mk "$TMP/uplink.tar.gz" "add('sys/up', tarfile.SYMTYPE, '../../tmp')"
    bad "$TMP/uplink.tar.gz" "cannot unpack '$TMP/uplink.tar.gz': 'sys/up' is a link that points outside its directory"
    mk "$TMP/through.tar.gz" "add('sys', tarfile.DIRTYPE); add('sys/a', tarfile.SYMTYPE, '.'); add('sys/a/b')"
    bad "$TMP/through.tar.gz" "cannot unpack '$TMP/through.tar.gz': 'sys/a/b' lies below a symbolic link or a file, which unpacking does not write through"
    # a long name (a pax header) is named whole
    long="sys/$(printf 'd/%.0s' $(seq 60))f"
    mk "$TMP/twice.tar.gz" "add('$long'); add('$long')"
    bad "$TMP/twice.tar.gz" "cannot unpack '$TMP/twice.tar.gz': '$long' is in it twice"
    # a link inside (../ no higher than its own directory) still unpacks
    mk "$TMP/inlink.tar.gz" "add('sys/devices/system/cpu/online', data=b'0\\n'); add('sys/devices/system/cpu/possible', data=b'0\\n'); add('sys/devices/system/cpu/cpu0/node0', tarfile.SYMTYPE, '../../node/node0')"
    expect_code 0 "a link that stays inside unpacks" topo --sysroot "$TMP/inlink.tar.gz"
else
    skip 20 "no python3"
fi
export TMPDIR="$saved_tmpdir"

for s in nonuma power sparse; do
    "$NP" capture --sysroot "$SYS/$s" "$TMP/c-$s" >/dev/null
    "$NP" topo --json --sysroot "$SYS/$s" | strip >"$TMP/a"
    "$NP" topo --json --sysroot "$TMP/c-$s" | strip >"$TMP/b"
    is "$(cat "$TMP/b")" "$(cat "$TMP/a")" "capture of the $s sysroot reads back the same"
done

if [ -f "$SHARED/fixtures/topology/32amd64-4s2n4c-cgroup2/fsroot.tar.gz" ]; then
    cg=$(fixture 32amd64-4s2n4c-cgroup2)
    "$NP" capture --sysroot "$cg" "$TMP/c-cg" >/dev/null
    "$NP" topo --json --sysroot "$cg" | strip >"$TMP/a"
    "$NP" topo --json --sysroot "$TMP/c-cg" | strip >"$TMP/b"
    is "$(cat "$TMP/b")" "$(cat "$TMP/a")" "capture keeps the cgroup cpuset of a capture"
else
    skip 1 "no shared fixtures"
fi

expect_code 1 "a missing --sysroot" capture --sysroot "$TMP/nowhere" "$TMP/c-none"
is "$err" "numaplace capture: cannot read the topology of '$TMP/nowhere': No such file or directory" \
    "... is named, not the directory written"
expect_code 0 "capture -j" capture -j "$TMP/c-j"
like "$out" '"files": [1-9]' "-j is --json"
done_testing
