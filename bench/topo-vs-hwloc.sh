#!/bin/sh
# topo-vs-hwloc.sh - `numaplace topo --json` against hwloc's lstopo on the same captures, side
# by side in one hyperfine run per capture (whole process each), and the heap numaplace uses
# for a 256-CPU / 64-node machine (valgrind).  Timing only: never part of `make check`.
#
#   bench/topo-vs-hwloc.sh [-b BUILDDIR] [-r RUNS] [-k BLOCKS] [CAPTURE ...]
#
# Captures are names under ../shared/fixtures/topology (default: 16amd64-8n2c
# 128arm-2pa2n8cluster4co 256ppc-8n8s4t).  The targets: numaplace at least 10x faster on the
# two big ones, 4x on the small one.  Without hyperfine (HYPERFINE= forces that), bench/pairs.py
# times the two in alternating pairs.  hyperfine runs all of one command's runs before the
# other's, so the runs are split into blocks (-k) that alternate; mean, median and min of
# all runs are shown (the median shrugs off bursts of load, the min is what a quiet machine
# gives).  On a VM whose host steals time in bursts, `taskset -c N bench/topo-vs-hwloc.sh`
# keeps every run of both tools on one CPU, so that neither pays for moving between CPUs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILDDIR=${NP_BUILDDIR:-$here/../build} RUNS=200 BLOCKS=10
while getopts b:r:k: o; do
    case $o in
    b) BUILDDIR=$OPTARG ;;
    r) RUNS=$OPTARG ;;
    k) BLOCKS=$OPTARG ;;
    *) echo "usage: $0 [-b BUILDDIR] [-r RUNS] [-k BLOCKS] [CAPTURE ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 16amd64-8n2c 128arm-2pa2n8cluster4co 256ppc-8n8s4t
NP=$BUILDDIR/numaplace SHARED=${SHARED:-$here/../../shared}
# `make check` installs neither hyperfine nor hwloc: lstopo is installed here when root with
# apt-get (as tests/vm/lib.sh installs QEMU), and bench/pairs.py times the runs without hyperfine
if ! command -v lstopo-no-graphics >/dev/null && [ "$(id -u)" = 0 ] &&
    command -v apt-get >/dev/null; then
    echo "# installing hwloc: apt-get install -y --no-install-recommends hwloc" >&2
    apt-get install -y --no-install-recommends hwloc >&2 ||
        { apt-get update >&2 && apt-get install -y --no-install-recommends hwloc >&2; } || true
fi
for tool in lstopo-no-graphics python3; do
    command -v $tool >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done
HYPERFINE=${HYPERFINE-$(command -v hyperfine || true)}
[ -x "$NP" ] || { echo "$0: no $NP (make BUILDDIR=... first)" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/np-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "numaplace $("$NP" --version | cut -d' ' -f2), $(lstopo-no-graphics --version), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$HYPERFINE" ]; then
    echo "$RUNS runs of each, in $BLOCKS alternating blocks (hyperfine); whole process each"
else
    echo "$RUNS alternating pairs (bench/pairs.py: no hyperfine here); whole process each"
fi
printf '%-26s %10s %10s %10s %10s %10s %10s %7s %7s %7s %7s\n' capture "np mean" "np median" "np min" \
    "hw mean" "hw median" "hw min" "x mean" "x med" "x min" target
for fx in "$@"; do
    mkdir -p "$TMP/$fx"
    tar xzf "$SHARED/fixtures/topology/$fx/fsroot.tar.gz" -C "$TMP/$fx"
    case $fx in 16amd64-8n2c) target=4 ;; *) target=10 ;; esac
    if [ -z "$HYPERFINE" ]; then
        # no hyperfine: the same commands in alternating pairs, RUNS of each
        python3 "$here/pairs.py" -n "$RUNS" --env HWLOC_COMPONENTS=linux,stop \
            --json "$TMP/$fx.pairs.json" "$NP" topo --sysroot "$TMP/$fx" --json ::: \
            lstopo-no-graphics -i "$TMP/$fx" --if fsroot --whole-system >/dev/null
    else
        # hyperfine runs one command's runs, then the other's: in blocks, drifting load falls on
        # both
        b=1
        while [ $b -le "$BLOCKS" ]; do
            HWLOC_COMPONENTS=linux,stop "$HYPERFINE" -N -w 5 -r $((RUNS / BLOCKS)) --style none \
                --export-json "$TMP/$fx.$b.json" \
                "$NP topo --sysroot $TMP/$fx --json" \
                "lstopo-no-graphics -i $TMP/$fx --if fsroot --whole-system" >/dev/null 2>&1
            b=$((b + 1))
        done
    fi
    python3 - "$TMP" "$fx" "$target" "$BLOCKS" <<'PY'
import json, os, statistics as st, sys
tmp, fx, target, blocks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
np_, hw = [], []
pairs = "%s/%s.pairs.json" % (tmp, fx)
if os.path.exists(pairs):
    np_, hw = json.load(open(pairs))["times"]
else:
    for b in range(1, blocks + 1):
        r = json.load(open("%s/%s.%d.json" % (tmp, fx, b)))["results"]
        np_ += r[0]["times"]
        hw += r[1]["times"]
f = [st.mean(np_), st.median(np_), min(np_), st.mean(hw), st.median(hw), min(hw)]
print("%-26s %8.2fms %8.2fms %8.2fms %8.2fms %8.2fms %8.2fms %7.1f %7.1f %7.1f %6sx" % (
    fx, *(x * 1e3 for x in f), f[3] / f[0], f[4] / f[1], f[5] / f[2], target))
PY
done

if command -v valgrind >/dev/null; then
    # valgrind counts malloc only where libc is a shared library: the default numaplace links
    # libc statically, so the heap is measured on a STATIC=0 build of the same sources
    VG=$NP
    if ! ldd "$NP" 2>/dev/null | grep -q "libc\.so"; then
        VG=$TMP/dyn/numaplace
        make -s -C "$here/.." BUILDDIR="$TMP/dyn" STATIC=0 "$VG" >/dev/null
    fi
    "$here/mk-sysroot.sh" "$TMP/big" 256 64 2
    printf '\nheap of `numaplace topo --json` (whole process), valgrind:\n'
    for root in "$TMP/big" "$TMP/256ppc-8n8s4t"; do
        [ -d "$root" ] || continue
        printf '  %-22s ' "$(basename "$root" | sed 's/^big$/synthetic 256cpu-64n/')"
        valgrind "$VG" topo --sysroot "$root" --json 2>&1 >/dev/null | sed -n 's/.*total heap usage: //p'
    done
fi
