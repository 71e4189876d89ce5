#!/bin/sh
# topo-vs-hwloc.sh - `numaplace topo --json` against hwloc's lstopo on the same captures, side
# by side in one hyperfine run per capture (whole process each), and the heap numaplace uses
# for a 256-CPU / 64-node machine (valgrind).  Timing only: never part of `make check`.
#
#   bench/topo-vs-hwloc.sh [-b BUILDDIR] [-r RUNS] [CAPTURE ...]
#
# Captures are names under ../shared/fixtures/topology (default: 16amd64-8n2c
# 128arm-2pa2n8cluster4co 256ppc-8n8s4t).  The targets: numaplace at least 10x faster on the
# two big ones, 4x on the small one.  hyperfine alternates nothing, so run it on a quiet
# machine; both the mean and the min are shown (the min is what a quiet machine gives).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILDDIR=${NP_BUILDDIR:-$here/../build} RUNS=200
while getopts b:r: o; do
    case $o in
    b) BUILDDIR=$OPTARG ;;
    r) RUNS=$OPTARG ;;
    *) echo "usage: $0 [-b BUILDDIR] [-r RUNS] [CAPTURE ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 16amd64-8n2c 128arm-2pa2n8cluster4co 256ppc-8n8s4t
NP=$BUILDDIR/numaplace SHARED=${SHARED:-$here/../../shared}
for tool in hyperfine lstopo-no-graphics python3; do
    command -v $tool >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done
[ -x "$NP" ] || { echo "$0: no $NP (make BUILDDIR=... first)" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/np-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "numaplace $("$NP" --version | cut -d' ' -f2), $(lstopo-no-graphics --version), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %12s %12s %12s %12s %8s %8s %7s\n' capture "np mean ms" "np min ms" "hwloc mean" "hwloc min" "x mean" "x min" target
for fx in "$@"; do
    mkdir -p "$TMP/$fx"
    tar xzf "$SHARED/fixtures/topology/$fx/fsroot.tar.gz" -C "$TMP/$fx"
    case $fx in 16amd64-8n2c) target=4 ;; *) target=10 ;; esac
    HWLOC_COMPONENTS=linux,stop hyperfine -N -w 20 -r "$RUNS" --style none \
        --export-json "$TMP/$fx.json" \
        "$NP topo --sysroot $TMP/$fx --json" \
        "lstopo-no-graphics -i $TMP/$fx --if fsroot --whole-system" >/dev/null
    python3 - "$TMP/$fx.json" "$fx" "$target" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
np_, hw = r[0], r[1]
print("%-26s %12.2f %12.2f %12.2f %12.2f %8.1f %8.1f %6sx" % (sys.argv[2], np_["mean"] * 1e3,
      np_["min"] * 1e3, hw["mean"] * 1e3, hw["min"] * 1e3, hw["mean"] / np_["mean"],
      hw["min"] / np_["min"], sys.argv[3]))
PY
done

if command -v valgrind >/dev/null; then
    "$here/mk-sysroot.sh" "$TMP/big" 256 64 2
    printf '\nheap of `numaplace topo --json` (whole process), valgrind:\n'
    for root in "$TMP/big" "$TMP/256ppc-8n8s4t"; do
        [ -d "$root" ] || continue
        printf '  %-22s ' "$(basename "$root" | sed 's/^big$/synthetic 256cpu-64n/')"
        valgrind "$NP" topo --sysroot "$root" --json 2>&1 >/dev/null | sed -n 's/.*total heap usage: //p'
    done
fi
