#!/bin/sh
# numaplace bench: options, exit codes, the shape of --json and a well-formed --svg, at tiny
# sizes so that the whole file runs in a few seconds.  Figures are never checked (bench/ is
# where timing is judged), only their presence and sign.
. "$(dirname "$0")/lib.sh"

TINY="--size 1M --loads 2000 --trials 3 --reps 2 --quiet"
# the nodes with CPUs (rows) and with memory (columns), as sysfs says; one implicit node
# when the kernel shows no NUMA
rows=0 cols=0
for n in /sys/devices/system/node/node[0-9]*; do
    [ -d "$n" ] || continue
    [ -n "$(cat "$n/cpulist" 2>/dev/null)" ] && rows=$((rows + 1))
    grep -q 'MemTotal: *[1-9]' "$n/meminfo" 2>/dev/null && cols=$((cols + 1))
done
[ "$rows" -eq 0 ] && rows=1 && cols=1
ncpus=$(python3 -c 'import os; print(len(os.sched_getaffinity(0)))')
first_cpu=$(python3 -c 'import os; print(min(os.sched_getaffinity(0)))')
first_node=0
for n in /sys/devices/system/node/node[0-9]*; do
    [ -d "$n/cpu$first_cpu" ] && first_node=${n##*node}
done

# json_checks EXPR NAME [EXPR NAME...]: one test per pair, each a python expression over d, the
# parsed stdout (one python run for all: its start-up is the slow part of this file)
json_checks() {
    printf '%s\n' "$out" >"$TMP/json"
    python3 - "$TMP/json" "$@" >"$TMP/checks" <<'PY'
import json, sys
args = sys.argv[2:]
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    d = None
for expr, name in zip(args[::2], args[1::2]):
    try:
        good = d is not None and bool(eval(expr))
    except Exception:
        good = False
    print(0 if good else 1, name)
PY
    while read -r status name; do ok "$status" "$name"; done <"$TMP/checks"
}
svg_check() { # file, python expression over root (the parsed tree's root) and text (all text)
    python3 - "$1" "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# --- the verb and its sub-commands
expect_code 0 "bench --help exits 0" bench --help
like "$out" "memory.*c2c|c2c" "bench --help lists the sub-commands"
expect_code 2 "bench without a sub-command exits 2" bench
like "$err" "^numaplace bench: no sub-command given" "and says so"
expect_code 2 "an unknown sub-command exits 2" bench frobnicate
is "$err" "numaplace bench: unknown sub-command 'frobnicate' (memory, c2c, affinity, local-remote)
Try 'numaplace bench --help' for more information." "and names it and the sub-commands there are"
for s in memory c2c affinity local-remote; do
    expect_code 0 "bench $s --help exits 0" bench $s --help
    like "$out" "^Usage: numaplace bench $s" "bench $s --help prints its usage"
done
run --help
like "$out" "bench +measure" "numaplace --help lists bench"
expect_code 2 "a misspelt sub-command exits 2" bench memroy
like "$err" "unknown sub-command 'memroy'; did you mean 'memory'\?" "and the nearest is suggested"
expect_code 2 "a misspelt option exits 2" bench c2c --rondtrips 5
like "$err" "^numaplace bench c2c: unknown option '--rondtrips'; did you mean '--roundtrips'\?" \
    "and the sub-command and the nearest option are named"
expect_code 2 "bench measures this machine: --sysroot is refused" bench memory --sysroot /
# completion comes from the same tables: a sub-command's own options are offered
if command -v bash >/dev/null; then
    got=$(bash -c '. "$1"; COMP_WORDS=(numaplace bench local-remote --si); COMP_CWORD=3
                   COMPREPLY=(); _numaplace; echo "${COMPREPLY[*]}"' _ "$NP_SRCDIR/completion/numaplace")
    is "$got" "--side" "completion: bench local-remote's options"
else
    skip 1 "bash is not installed"
fi

# --- bench memory: bad options exit 2 with a message
expect_code 2 "memory: a bad size exits 2" bench memory --size 12Q
is "$err" "numaplace bench memory: invalid --size '12Q': expected a size in bytes, optionally with a k, m, g, t or p suffix (such as 64m)
Try 'numaplace bench memory --help' for more information." "memory: a bad size is named"
expect_code 2 "memory: a size below a page exits 2" bench memory --size 100
like "$err" "invalid --size '100': expected at least 4 KiB" "memory: and the least size is said"
expect_code 2 "memory: an unknown kernel exits 2" bench memory --kernel read,frob
like "$err" "invalid --kernel 'read,frob'" "memory: the bad kernel list is named"
expect_code 2 "memory: --threads 0 exits 2" bench memory --threads 0
expect_code 2 "memory: --trials abc exits 2" bench memory --trials abc
expect_code 2 "memory: --random-block not whole lines exits 2" bench memory --random-block 100
expect_code 2 "memory: an unknown option exits 2" bench memory --frobnicate
expect_code 2 "memory: a stray argument exits 2" bench memory extra
like "$err" "unexpected argument 'extra'" "memory: the stray argument is named"
is "$out" "" "memory: nothing on stdout after a usage error"

# --- bench memory --json: one cell per (cpu node, mem node), plainly named figures
expect_code 0 "memory --quick --json at a tiny size exits 0" bench memory --quick --json $TINY
json_checks \
    "len(d['latency']) == $rows * $cols" \
    "memory json: $rows x $cols latency cells" \
    "len(d['bandwidth']) == 3 * $rows * $cols" \
    "memory json: three kernels per cell" \
    "sorted(c['kernel'] for c in d['bandwidth'][:3]) == ['copy', 'read', 'triad']" \
    "memory json: kernels named read, copy, triad" \
    "all(c['mb_per_s'] > 0 and c['mb_per_s_avg'] > 0 and c['mb_per_s_sustained'] > 0 and c['threads'] >= 1 for c in d['bandwidth'] if c['available'])" \
    "memory json: mb_per_s and threads in every available cell" \
    "all(0 < c['latency_ns_min'] <= c['latency_ns_median'] and c['page_size'] >= 4096 for c in d['latency'] if c['available'])" \
    "memory json: latency_ns_min <= latency_ns_median, page_size, in every available cell" \
    "all(set(c) >= {'cpu_node', 'mem_node', 'distance', 'latency_ratio', 'distance_ratio'} for c in d['latency'])" \
    "memory json: cells name their nodes, the distance and both ratios" \
    "d['mb_bytes'] == 10**6 and d['write_allocate_counted'] is False and d['quick'] is True and d['size_bytes'] == 1048576" \
    "memory json: MB = 10^6, write-allocate not counted, quick, size"
like "$err" "below 4x the last-level caches" "memory: a buffer below 4x the LLC is warned about"
# --quick chooses its own buffer: 64 MiB, raised to 4x the LLC, but never past 128 MiB (a VM
# reporting a 260 MiB L3 once made it 1 GiB and the run 21 s); no timing is checked
expect_code 0 "memory --quick picks its own size" \
    bench memory --quick --json --latency-only --loads 1000 --trials 1 --quiet
json_checks "64 * 2**20 <= d['size_bytes'] <= 128 * 2**20" \
    "memory --quick: the buffer is 64-128 MiB whatever the LLC"

# sizes read as everywhere in numaplace: 1MB is 1 MiB, 64K is 64 KiB
expect_code 0 "memory --latency-only --hugepages --random-block 64K -j" \
    bench memory --latency-only --hugepages --random-block 64K -j $TINY --size 1MB
json_checks "d['bandwidth'] == [] and d['hugepages'] is True and d['random_block_bytes'] == 65536" \
    "memory json: latency only, THP asked for, block size reported" \
    "d['size_bytes'] == 1048576" "memory json: --size 1MB is 2^20 bytes"

expect_code 0 "memory text output" bench memory --kernel triad $TINY
like "$out" "^Idle latency, ns" "memory text: latency table"
like "$out" "Latency ratio vs SLIT" "memory text: SLIT ratio table"
like "$out" "write-allocate traffic not counted" "memory text: says how bytes are counted"
like "$out" "^  node 0 " "memory text: a row per node"
run bench memory --bandwidth-only --kernel read --size 1M --reps 2
like "$err" "numaplace bench memory: read bandwidth, cpu node [0-9]+ -> memory node" \
    "memory: progress on stderr without --quiet"

expect_code 0 "memory --svg writes a file" bench memory --svg "$TMP/mem.svg" $TINY
svg_check "$TMP/mem.svg" "root.tag == '{http://www.w3.org/2000/svg}svg' and 'node 0' in text and 'Idle latency' in text and 'triad bandwidth' in text and 'lower is better' in text"
ok $? "memory svg: well-formed XML with labels, titles and a legend"
expect_code 1 "memory --svg into a missing directory exits 1" bench memory --svg "$TMP/no/such.svg" $TINY
like "$err" "cannot write '$TMP/no/such.svg'" "and names the file"

expect_code 1 "memory: a size no node has free exits 1" bench memory --size 1000T --quiet
like "$err" "no memory node has 1000 TiB|no memory node has [0-9]+ GiB free" "and says to use a smaller --size"
is "$out" "" "and prints no table"

# --- bench c2c
if [ "$ncpus" -ge 2 ]; then
    expect_code 0 "c2c -j exits 0" bench c2c --roundtrips 200 --trials 1 --quiet -j
    json_checks \
        "len(d['pairs']) == $ncpus * ($ncpus - 1) // 2 and all(p['latency_ns'] > 0 for p in d['pairs'])" \
        "c2c json: one positive latency per pair of CPUs" \
        "sum(g['pairs'] for g in d['groups']) == len(d['pairs']) and all(g['group'] in ('smt-siblings','same-l3','cross-l3','cross-socket','unknown') for g in d['groups'])" \
        "c2c json: groups cover every pair"
    set -- $(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0))[:2])')
    expect_code 0 "c2c --cpus two CPUs with --svg" bench c2c --cpus "$1,$2" --quick --quiet --svg "$TMP/c2c.svg"
    like "$out" "By group:" "c2c text: the group summary"
    svg_check "$TMP/c2c.svg" "root.tag == '{http://www.w3.org/2000/svg}svg' and 'cpu $1' in text and 'cpu $2' in text"
    ok $? "c2c svg: well-formed with CPU labels"
else
    skip 6 "one CPU allowed: c2c needs two"
fi
expect_code 2 "c2c --cpus with one CPU exits 2" bench c2c --cpus 0 --quiet
like "$err" "needs at least two CPUs" "and says why"
expect_code 2 "c2c --cpus beyond the machine exits 2" bench c2c --cpus 0,100000 --quiet
expect_code 2 "c2c --cpus bad syntax exits 2" bench c2c --cpus 0-x
like "$err" "invalid CPU set '0-x' for --cpus" "and names the expression"
expect_code 2 "c2c --cpus naming a core the machine lacks exits 2" bench c2c --cpus core:99999
expect_code 2 "c2c --roundtrips 0 exits 2" bench c2c --roundtrips 0

# --- bench affinity
expect_code 0 "affinity -j exits 0" bench affinity --iterations 100000 --trials 2 --quiet -j
json_checks "[(m['pinned'], m['noise']) for m in d['modes']] == [(False, False), (True, False)] and all(m['seconds_min'] > 0 and m['involuntary_switches'] >= 0 for m in d['modes'])" \
    "affinity json: unpinned and pinned, with times and switches"
expect_code 0 "affinity --noise" bench affinity --iterations 100000 --trials 2 --noise --quiet
like "$out" "pinned \+ noise" "affinity text: the noise rows"
expect_code 2 "affinity --cpu beyond the machine exits 2" bench affinity --cpu 100000 --iterations 10
expect_code 2 "affinity --iterations 0 exits 2" bench affinity --iterations 0
if [ "$ncpus" -ge 2 ]; then
    expect_code 2 "affinity --cpu naming several CPUs exits 2" bench affinity --cpu all
    like "$err" "invalid --cpu 'all': it names [0-9]+ CPUs; name one" "and says to name one"
else
    skip 2 "one CPU allowed: 'all' is one CPU"
fi

# --- bench local-remote
expect_code 0 "local-remote --json exits 0" bench local-remote -n 200 --trials 1 --json
json_checks "d['local_seconds'] > 0 and d['n'] == 200" \
    "local-remote json: the local time"
if [ "$cols" -le 1 ]; then
    json_checks "d['remote_node'] is None and d['ratio'] is None and d['remote_unavailable']" \
    "local-remote json: one memory node: remote unavailable, no ratio"
    run bench local-remote -n 200 --trials 1
    like "$out" "remote: unavailable" "local-remote text: says the remote figure is unavailable"
else
    json_checks "d['ratio'] > 0 and d['remote_node'] is not None" \
    "local-remote json: a ratio"
    skip 1 "several memory nodes: remote is available"
fi
expect_code 2 "local-remote -n 0 exits 2" bench local-remote -n 0
# the matrix side is --side: --size means bytes (bench memory), never a side
expect_code 0 "local-remote --side is -n" bench local-remote --side 100 --trials 1 -j
json_checks "d['n'] == 100" "local-remote json: --side sets the side"
expect_code 2 "local-remote --size is not an option" bench local-remote --size 100
expect_code 2 "local-remote --remote naming the local node exits 2" bench local-remote --cpu "$first_cpu" --remote "$first_node" -n 10
like "$err" "invalid --remote '$first_node': that is the CPU's own node" "and says why"
done_testing
