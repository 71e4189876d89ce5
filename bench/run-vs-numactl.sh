#!/bin/sh
# run-vs-numactl.sh - `numaplace run -N 0 -m 0 -- /bin/true` against `numactl -N 0 -m 0
# /bin/true` on this machine: wall time in alternating pairs (bench/pairs.py: medians of
# PAIRS pairs, whole process each) and the system calls of each (strace -f -c, /bin/true's
# included).  Timing only: never part of `make check`.
#
#   bench/run-vs-numactl.sh [-b BUILDDIR] [-n PAIRS] [-N NODE]
#
# The target: numaplace at most 0.9x numactl's median.  Both exec /bin/true, so the ratio is
# of everything before the exec plus the exec itself; `taskset -c N bench/run-vs-numactl.sh`
# keeps every run on one CPU on a VM whose host steals time in bursts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BUILDDIR=${NP_BUILDDIR:-$here/../build} PAIRS=200 NODE=0
while getopts b:n:N: o; do
    case $o in
    b) BUILDDIR=$OPTARG ;;
    n) PAIRS=$OPTARG ;;
    N) NODE=$OPTARG ;;
    *) echo "usage: $0 [-b BUILDDIR] [-n PAIRS] [-N NODE]" >&2; exit 2 ;;
    esac
done
[ "$PAIRS" -ge 40 ] || { echo "$0: at least 40 pairs (-n)" >&2; exit 2; }
NP=$BUILDDIR/numaplace
for tool in numactl python3; do
    command -v $tool >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done
[ -x "$NP" ] || { echo "$0: no $NP (make BUILDDIR=... first)" >&2; exit 1; }
TRUE=$(command -v true)
[ -x /bin/true ] && TRUE=/bin/true

echo "numaplace $("$NP" --version | cut -d' ' -f2), $(command -v numactl)," \
    "$(nproc) CPUs here, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$PAIRS alternating pairs; whole process each, $TRUE included"
python3 "$here/pairs.py" -n "$PAIRS" --label "numaplace run -N $NODE -m $NODE -- true" \
    --label "numactl -N $NODE -m $NODE true" \
    "$NP" run -N "$NODE" -m "$NODE" -- "$TRUE" ::: numactl -N "$NODE" -m "$NODE" "$TRUE"
echo "  target: A/B <= 0.9"

if command -v strace >/dev/null; then
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/np-bench.XXXXXX")
    trap 'rm -rf "$TMP"' EXIT
    # strace -c's last line: "100.00 secs usecs calls errors total"; errors may be blank
    count() {
        strace -f -c -o "$TMP/c" "$@" >/dev/null 2>&1 || true
        awk '$NF == "total" { e = NF == 6 ? $5 : 0; print $4, e }' "$TMP/c"
    }
    set -- $(count "$NP" run -N "$NODE" -m "$NODE" -- "$TRUE")
    np_calls=$1 np_err=$2
    set -- $(count numactl -N "$NODE" -m "$NODE" "$TRUE")
    nc_calls=$1 nc_err=$2
    set -- $(count "$TRUE")
    printf '\nsystem calls (strace -f -c), %s alone: %s\n' "$TRUE" "$1"
    printf '  %-44s %5s calls, %4s failed\n' "numaplace run -N $NODE -m $NODE -- true" \
        "$np_calls" "$np_err" "numactl -N $NODE -m $NODE true" "$nc_calls" "$nc_err"
fi
