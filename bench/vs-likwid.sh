#!/bin/sh
# vs-likwid.sh - numaplace bench memory side by side with likwid-bench and bench/chase-ref.c.
#
#   bench/vs-likwid.sh [-r ROUNDS] [-s SIZE] [-t THREADS] [-n REPS] [-b BUILDDIR]
#
# Each round runs every pair once, alternating which of the two goes first, so drifting
# machine load falls on both; the medians over rounds are compared.  Pairs:
#   read  vs likwid-bench -t load_avx   -w N:SIZE:THREADS
#   copy  vs likwid-bench -t copy_avx   -w N:SIZE:THREADS
#   triad vs likwid-bench -t stream_avx -w N:SIZE:THREADS
#   latency (median ns, 1 GiB chase, CPU 0) vs chase-ref (same size, taskset -c 0)
# likwid-bench times each thread's own iterations and reports all the data over the slowest
# thread's time; numaplace's sustained figure (--json mb_per_s_sustained) counts the same way
# and is what is compared.  Its best repetition and its average (each repetition from a
# barrier to the slowest thread, STREAM's way) are shown beside it.  likwid-bench runs 32 iterations per thread at this size,
# so numaplace runs 32 repetitions (-n) rather than its default 10: the same time under load.  The spread columns are (max - min) / median over the
# rounds of our figure (the repeatability check) and of the reference's (the machine's noise).  Timing only: never part of `make check`.
set -eu
ROUNDS=5 SIZE=1GB THREADS=2 REPS=32 BUILDDIR=${NP_BUILDDIR:-build}
while getopts r:s:t:n:b: o; do
    case $o in
    r) ROUNDS=$OPTARG ;; s) SIZE=$OPTARG ;; t) THREADS=$OPTARG ;; n) REPS=$OPTARG ;;
    b) BUILDDIR=$OPTARG ;;
    *) echo "usage: $0 [-r ROUNDS] [-s SIZE] [-t THREADS] [-n REPS] [-b BUILDDIR]" >&2; exit 2 ;;
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

# SIZE as likwid-bench reads it (kB, MB, GB: powers of 1000) in bytes, for numaplace, whose
# suffixes are all powers of 1024 (1GB there is 2^30)
bytes() {
    case $1 in
    *[kK]B) echo $((${1%??} * 1000)) ;;
    *MB) echo $((${1%??} * 1000000)) ;;
    *GB) echo $((${1%??} * 1000000000)) ;;
    *[0-9]) echo "$1" ;;
    *) echo "$0: size '$1': use a likwid-bench size (kB, MB or GB)" >&2; exit 2 ;;
    esac
}
SIZE_BYTES=$(bytes "$SIZE")

ours_bw() { # kernel -> "best avg sustained"
    "$NP" bench memory --bandwidth-only --kernel "$1" --size "$SIZE_BYTES" --threads "$THREADS" \
        --reps "$REPS" --json --quiet | python3 -c 'import json,sys; c=json.load(sys.stdin)["bandwidth"][0]; print(c["mb_per_s"], c["mb_per_s_avg"], c["mb_per_s_sustained"])'
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

python3 - "$OUT/results" "$SIZE" "$THREADS" "$ROUNDS" "$REPS" <<'PY'
import statistics as st, sys
rows = {}


def spreads(xs, mid):
    """(max - min) / median in %, over all rounds and over all but the highest and lowest"""
    xs = sorted(xs)
    inner = xs[1:-1] if len(xs) >= 5 else xs
    return (xs[-1] - xs[0]) / mid * 100, (inner[-1] - inner[0]) / mid * 100


for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append([float(x) for x in f[1:]])
print(f"numaplace vs references: size {sys.argv[2]}, {sys.argv[3]} threads, {sys.argv[4]} rounds, "
      f"{sys.argv[5]} repetitions, medians over the rounds")
print(f"{'figure':<9} {'ours best':>10} {'ours avg':>10} {'sustained':>10} {'reference':>10} {'diff':>7} {'spread':>13} {'ref spread':>13}")
for name, ref in (("read", "load_avx"), ("copy", "copy_avx"), ("triad", "stream_avx"), ("latency", "chase-ref")):
    if name not in rows:
        continue
    v = rows[name]
    if name == "latency":  # ours: median, min; reference: median, min. Compare medians.
        ours, ours2, theirs = [x[0] for x in v], [x[1] for x in v], [x[2] for x in v]
        m, m2, t = st.median(ours), st.median(ours2), st.median(theirs)
        spread, tspread = "%5.1f%% %5.1f%%" % spreads(ours, m), "%5.1f%% %5.1f%%" % spreads(theirs, t)
        # the best column holds our minimum, the compared column our median
        print(f"{'latency':<9} {m2:>8.1f}ns {'':>10} {m:>8.1f}ns {t:>8.1f}ns {(m / t - 1) * 100:>+6.1f}% {spread:>13} {tspread:>13}   vs {ref} median (ours: min, median)")
        continue
    best, avg, sus, theirs = ([x[i] for x in v] for i in range(4))
    b, a, s, t = st.median(best), st.median(avg), st.median(sus), st.median(theirs)
    spread, tspread = "%5.1f%% %5.1f%%" % spreads(sus, s), "%5.1f%% %5.1f%%" % spreads(theirs, t)
    print(f"{name:<9} {b:>10.0f} {a:>10.0f} {s:>10.0f} {t:>10.0f} {(s / t - 1) * 100:>+6.1f}% {spread:>13} {tspread:>13}   vs {ref} (MB/s)")
print()
print("diff: sustained against the reference (latency: median against median).  spread: (max - min)")
print("/ median over the rounds of ours and of the reference's, then the same without the highest and")
print("the lowest round (from 5 rounds on): the machine's own noise shows in the reference's; the")
print("medians over the rounds are what is compared.")
PY
