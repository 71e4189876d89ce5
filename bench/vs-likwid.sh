#!/bin/sh
# vs-likwid.sh - numaplace bench memory side by side with likwid-bench and bench/chase-ref.c.
#
#   bench/vs-likwid.sh [-r ROUNDS] [-s SIZE] [-t THREADS] [-b BUILDDIR]
#
# Each round runs every pair once, alternating which of the two goes first, so drifting
# machine load falls on both; the medians over rounds are compared.  Pairs:
#   read  vs likwid-bench -t load_avx   -w N:SIZE:THREADS
#   copy  vs likwid-bench -t copy_avx   -w N:SIZE:THREADS
#   triad vs likwid-bench -t stream_avx -w N:SIZE:THREADS
#   latency (median ns, 1 GiB chase, CPU 0) vs chase-ref (same size, taskset -c 0)
# likwid-bench reports the data volume of all its iterations over their run time, i.e. an
# average; numaplace reports the best repetition and the average: both are shown, the
# difference is taken on the average.  The spread column is (max - min) / median of our figure
# over the rounds: the repeatability check.  Timing only: never part of `make check`.
set -eu
ROUNDS=5 SIZE=1GB THREADS=2 BUILDDIR=${NP_BUILDDIR:-build}
while getopts r:s:t:b: o; do
    case $o in
    r) ROUNDS=$OPTARG ;; s) SIZE=$OPTARG ;; t) THREADS=$OPTARG ;; b) BUILDDIR=$OPTARG ;;
    *) echo "usage: $0 [-r ROUNDS] [-s SIZE] [-t THREADS] [-b BUILDDIR]" >&2; exit 2 ;;
    esac
done
NP=$BUILDDIR/numaplace
REF=$BUILDDIR/chase-ref
SRC=$(cd "$(dirname "$0")" && pwd)
command -v likwid-bench >/dev/null || { echo "$0: likwid-bench not found (apt-get install likwid)" >&2; exit 1; }
[ -x "$NP" ] || { echo "$0: $NP not built (make BUILDDIR=$BUILDDIR)" >&2; exit 1; }
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -o "$REF" "$SRC/chase-ref.c"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/vs-likwid.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

ours_bw() { # kernel -> "best avg"
    "$NP" bench memory --bandwidth-only --kernel "$1" --size "$SIZE" --threads "$THREADS" \
        --json --quiet | python3 -c 'import json,sys; c=json.load(sys.stdin)["bandwidth"][0]; print(c["mb_per_s"], c["mb_per_s_avg"])'
}
likwid_bw() { # likwid kernel -> MB/s
    likwid-bench -t "$1" -w "N:$SIZE:$THREADS" 2>/dev/null | awk '/^MByte\/s:/ { print $2 }'
}
ours_lat() {
    "$NP" bench memory --latency-only --size 1G --json --quiet |
        python3 -c 'import json,sys; c=json.load(sys.stdin)["latency"][0]; print(c["latency_ns_median"], c["latency_ns_min"])'
}
ref_lat() {
    taskset -c 0 "$REF" 1024 10000000 5 | sed 's/.*min_ns=\([0-9.]*\) median_ns=\([0-9.]*\).*/\2 \1/'
}

pair() { # name ours-cmd theirs-cmd round
    if [ $(($4 % 2)) -eq 0 ]; then
        a=$($2); b=$($3)
    else
        b=$($3); a=$($2)
    fi
    echo "$1 $a $b" >>"$OUT/results"
    echo "round $4: $1: numaplace $a | reference $b" >&2
}

r=1
while [ $r -le "$ROUNDS" ]; do
    pair read "ours_bw read" "likwid_bw load_avx" $r
    pair copy "ours_bw copy" "likwid_bw copy_avx" $r
    pair triad "ours_bw triad" "likwid_bw stream_avx" $r
    pair latency ours_lat ref_lat $r
    r=$((r + 1))
done

python3 - "$OUT/results" "$SIZE" "$THREADS" "$ROUNDS" <<'PY'
import statistics as st, sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append([float(x) for x in f[1:]])
print(f"numaplace vs references: size {sys.argv[2]}, {sys.argv[3]} threads, {sys.argv[4]} rounds, medians")
print(f"{'figure':<9} {'ours best':>11} {'ours avg':>11} {'reference':>11} {'avg diff':>9} {'best diff':>9} {'spread':>7}")
for name, ref in (("read", "load_avx"), ("copy", "copy_avx"), ("triad", "stream_avx"), ("latency", "chase-ref")):
    if name not in rows:
        continue
    v = rows[name]
    if name == "latency":  # ours: median, min; reference: median, min. Compare medians.
        ours, ours2, theirs = [x[0] for x in v], [x[1] for x in v], [x[2] for x in v]
        m, m2, t = st.median(ours), st.median(ours2), st.median(theirs)
        spread = (max(ours) - min(ours)) / m * 100
        print(f"{'latency':<9} {m:>9.1f}ns {m2:>9.1f}ns {t:>9.1f}ns {(m / t - 1) * 100:>+8.1f}% {'(min)':>9} {spread:>6.1f}%   vs {ref} median (ours: median, min)")
        continue
    best, avg, theirs = [x[0] for x in v], [x[1] for x in v], [x[2] for x in v]
    b, a, t = st.median(best), st.median(avg), st.median(theirs)
    spread = (max(avg) - min(avg)) / a * 100
    print(f"{name:<9} {b:>11.0f} {a:>11.0f} {t:>11.0f} {(a / t - 1) * 100:>+8.1f}% {(b / t - 1) * 100:>+8.1f}% {spread:>6.1f}%   vs {ref} (MB/s)")
PY
