#!/bin/sh
# numaplace stat: per-node counters and meminfo against Debian's numastat on this machine,
# per-process tables against numastat -p, names, --json, --watch, --sysroot on captures, and
# the bad inputs (unknown PID or name, a process that exits during --watch, unreadable files).
. "$(dirname "$0")/lib.sh"

[ -r /sys/devices/system/node/node0/numastat ] || skip_all "this kernel has no NUMA counters"
sleep 300 & VICTIM=$!
trap 'kill $VICTIM ${NAMED:-} 2>/dev/null; rm -rf "$TMP"' EXIT
n=0; while [ "$(cat /proc/$VICTIM/comm 2>/dev/null)" != sleep ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
NUMASTAT=$(command -v numastat || true)

expect_code 0 "stat --help" stat --help
like "$out" "^Usage: numaplace stat" "--help prints usage"

# rows "NAME V1 V2..." of the table under the header line @1 of stdin, up to a blank line
table() {
    awk -v head="$1" 'head == "" || index($0, head) == 1 { on = 1; if (head != "") next }
        on && /^$/ { exit }
        on && NF >= 2 && $1 !~ /^-/ && $1 != "Node" && $1 !~ /^node/ && $1 != "Token" { print }'
}
# compare tables $1 and $7 (numastat's, run before and after ours; $7 may be left out) with $2 (ours) row by row,
# node columns only (numastat's first NF-1, or all when it has no Total column: $3 =
# "nototal"); rows in $4 must be equal, the others lie between numastat's two values, give or
# take $5 + $6 % (counters and page cache move while the commands run; bracketing our run
# keeps a busy machine's moves out of the comparison)
compare() {
    awk -v exact="$4" -v tol="$5" -v pct="$6" -v nototal="$3" '
        FNR == 1 { f++ }
        f == 1 { ours[$1] = $0; next }
        f == 2 { after[$1] = $0; next }
        { n = nototal == "nototal" ? NF : NF - 1
          if (!($1 in ours)) { print "missing row " $1; bad++; next }
          split(ours[$1], o)
          if ($1 in after) split(after[$1], a); else split($0, a)
          for (i = 2; i <= n; i++) {
              lo = $i < a[i] ? $i : a[i]; hi = $i > a[i] ? $i : a[i]
              d = o[i] < lo ? lo - o[i] : (o[i] > hi ? o[i] - hi : 0)
              big = hi < 0 ? -hi : hi; if ((lo < 0 ? -lo : lo) > big) big = lo < 0 ? -lo : lo
              lim = index(" " exact " ", " " $1 " ") ? 0 : tol + big * pct / 100
              if (d > lim + 0.005) { print $1 " column " i ": numastat " $i " then " a[i] ", numaplace " o[i]; bad++ }
          }
          rows++ }
        END { if (!rows) { print "no rows"; bad++ } exit bad > 0 }' "$2" "${7:-$1}" "$1"
}

if [ -n "$NUMASTAT" ]; then
    "$NUMASTAT" 2>/dev/null | table "" >"$TMP/ns-counters-1"
    "$NUMASTAT" -m 2>/dev/null | table "Per-node system memory usage (in MBs):" >"$TMP/ns-meminfo-1"
fi
expect_code 0 "stat (system-wide)" stat
printf '%s\n' "$out" | table "Per-node numastat info (pages):" >"$TMP/counters"
printf '%s\n' "$out" | table "Per-node system memory usage (in MBs):" >"$TMP/meminfo"
like "$(cat "$TMP/counters")" "^numa_hit +[0-9]+" "the counters table has numa_hit"
like "$(cat "$TMP/meminfo")" "^MemUsed +[0-9]+\.[0-9]{2}" "the meminfo table has MemUsed (MiB)"
like "$out" "^numa_pages_migrated +[0-9]+$|^numa_hit +[0-9]+$" "the vmstat NUMA rows"
if [ -n "$NUMASTAT" ]; then
    "$NUMASTAT" 2>/dev/null | table "" >"$TMP/ns-counters-2"
    "$NUMASTAT" -m 2>/dev/null | table "Per-node system memory usage (in MBs):" >"$TMP/ns-meminfo-2"
    msg=$(compare "$TMP/ns-counters-1" "$TMP/counters" nototal "" 25600 1 "$TMP/ns-counters-2")
    ok $? "counters equal numastat's (pages; between its runs before and after, within 25600 + 1%)" || diag "$msg"
    msg=$(compare "$TMP/ns-meminfo-1" "$TMP/meminfo" total \
        "MemTotal HugePages_Total HugePages_Surp Bounce NFS_Unstable WritebackTmp" 64 2 "$TMP/ns-meminfo-2")
    ok $? "meminfo equals numastat -m's (MemTotal, HugePages exact; moving rows between its runs, within 64 MiB)" || diag "$msg"
else
    skip 2 "no numastat (Debian's numactl package) to compare with"
fi

# a process: numastat -p's table, exactly (sleep's memory does not move)
expect_code 0 "stat -p PID" stat -p "$VICTIM"
like "$out" "^Per-node process memory usage \(in MBs\) for PID $VICTIM \(sleep\)$" "the process's title"
like "$out" "^Private +[0-9]+\.[0-9]{2} " "the private row"
like "$out" "^Threads +1 .* 1$" "one thread, counted on one node"
like "$out" "^Remote +[0-9.]+%$" "the remote share"
if grep -q '^numa_faults node=' "/proc/$VICTIM/sched" 2>/dev/null; then
    like "$out" "^NUMA faults( +[0-9]+)+$" "NUMA faults per node, as /proc/PID/sched has them"
else
    skip 1 "this kernel reports no NUMA faults in /proc/PID/sched"
fi
if [ -n "$NUMASTAT" ]; then
    "$NUMASTAT" -p "$VICTIM" 2>/dev/null | table "Per-node process" >"$TMP/ns-proc"
    printf '%s\n' "$out" | table "Per-node process" | grep -v "^Threads\|^NUMA\|^Pages\|^Remote" >"$TMP/proc"
    msg=$(compare "$TMP/ns-proc" "$TMP/proc" total "Huge Heap Stack" 0.02 0)
    ok $? "the memory split equals numastat -p's" || diag "$msg"
else
    skip 1 "no numastat to compare with"
fi

# names: matched against command lines as numastat -p does; several processes at once
cp "$(command -v sleep)" "$TMP/np-stat-named"
"$TMP/np-stat-named" 300 & NAMED=$!
n=0; while [ "$(cat /proc/$NAMED/comm 2>/dev/null)" != np-stat-named ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
expect_code 0 "stat NAME" stat np-stat-named
like "$out" "for PID $NAMED \(np-stat-named\)$" "a name finds the process whose command line holds it"
is "$(printf '%s\n' "$out" | grep -c "^Per-node process")" 1 "and only it"
expect_code 0 "stat -p PID -p NAME" stat -p "$VICTIM" -p np-stat-named
is "$(printf '%s\n' "$out" | grep -c "^Per-node process")" 2 "two processes, two tables"

expect_code 0 "stat --json -p" stat --json -p "$VICTIM"
like "$out" "\"pid\": $VICTIM" "--json: pid"
like "$out" "\"private_kb\": [1-9]" "--json: private memory"
like "$out" "\"remote_ratio\": " "--json: remote ratio"
expect_code 0 "stat --json" stat --json
like "$out" "\"numa_hit\": [0-9]" "--json: counters"
like "$out" "\"MemFree\": [0-9]" "--json: meminfo"
if command -v python3 >/dev/null; then
    printf '%s\n' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["nodes"][0]["counters"]'
    ok $? "--json is valid JSON with each node's counters"
else
    skip 1 "no python3 to validate JSON"
fi

expect_code 0 "stat --watch --count 2" stat --watch 0.2 --count 2
like "$out" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$" "--watch prints timestamps"
like "$out" "^Per-node numastat rates \(pages/s\):$" "the second report gives rates"
like "$out" "^numa_hit +[0-9]+\.[0-9]{2} " "numa_hit per second"
expect_code 0 "stat -w -n -j" stat -w 0.2 -n 2 -j
is "$(printf '%s\n' "$out" | wc -l)" 2 "--json --watch: JSON Lines, one line per report"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^\{"time":"[^"]*","interval_s":0\.2,.*"rates":\{' \
    "--json --watch: the second report is compact and has rates"
if command -v python3 >/dev/null; then
    printf '%s\n' "$out" | python3 -c 'import json, sys
d = [json.loads(l) for l in sys.stdin]
assert len(d) == 2 and "rates" not in d[0]["nodes"][0] and d[1]["nodes"][0]["rates"]'
    ok $? "--json --watch: each line is a JSON document"
else
    skip 1 "no python3 to validate JSON"
fi
expect_code 0 "stat -w -n -j -p" stat -w 0.2 -n 2 -j -p "$VICTIM"
is "$(printf '%s\n' "$out" | grep -c "^{\"time\":.*\"pid\":$VICTIM,")" 2 \
    "--json --watch -p: one line per report, each naming the process"
expect_code 0 "stat -j alone" stat -j
like "$(printf '%s\n' "$out" | sed -n 1,2p | tr '\n' '|')" '^\{\|  "time": "' \
    "--json without --watch stays indented"
expect_code 2 "--count without --watch" stat --count 2
like "$err" "--count needs --watch" "says so"

# bad input: the rest is still printed, exit 1
true & DEAD=$!; wait $DEAD
expect_code 1 "an unknown PID" stat "$DEAD" "$VICTIM"
like "$err" "^numaplace stat: no process with pid '$DEAD'$" "says which"
like "$out" "for PID $VICTIM \(sleep\)$" "and still reports the other"
expect_code 1 "an unknown name" stat no-such-process-np-stat
like "$err" "^numaplace stat: no process matches 'no-such-process-np-stat'$" "says which"
# the process is killed once the first report is out, not on a timer: a loaded machine may
# start numaplace late, and a process gone before the first report is another case
sleep 100 & SHORT=$!
# until the child has exec'd sleep, its name is the shell's
i=0; while [ "$(cat /proc/$SHORT/comm 2>/dev/null)" != sleep ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
"$NP" stat -w 0.4 -n 6 "$SHORT" "$VICTIM" >"$TMP/w.out" 2>"$TMP/w.err" & WATCH=$!
i=0; while ! grep -q "for PID $VICTIM " "$TMP/w.out" 2>/dev/null && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
kill "$SHORT"; wait "$SHORT" 2>/dev/null
wait "$WATCH"; rc=$?; out=$(cat "$TMP/w.out"); err=$(cat "$TMP/w.err")
is "$rc" 1 "a process that exits during --watch: exit 1"
like "$err" "^numaplace stat: process $SHORT \(sleep\) has exited$" "says which, once"
is "$(printf '%s\n' "$out" | grep -c "for PID $VICTIM ")" 6 "the other is reported every time"

# captures: the system-wide part reads --sysroot
FX=$(fixture 16amd64-8n2c)
expect_code 0 "--sysroot on a capture" stat --sysroot "$FX"
like "$out" "^numa_hit +([0-9]+ +){1}310901369 " "node 1's numa_hit as the capture's file says"
like "$out" "^MemTotal +([0-9.]+ +){1}8192\.00 " "node 1's MemTotal in MiB"
expect_code 1 "--sysroot without nodes" stat --sysroot "$TMP"
like "$err" "^numaplace stat: no NUMA nodes in '$TMP' \\(no sys/devices/system/node/node\\*\\)$" "says what is missing where"
# an unreadable numa_maps in a capture: the message, the other process still reported
mkdir -p "$FX/proc/77" "$FX/proc/78"
printf 'sleep\n' >"$FX/proc/77/comm"; printf 'sleep\n' >"$FX/proc/78/comm"
mkdir "$FX/proc/77/numa_maps"
printf '400000 default file=/bin/sleep mapped=8 N1=8 kernelpagesize_kB=4\n' >"$FX/proc/78/numa_maps"
mkdir -p "$FX/proc/78/task/78"; printf '%s\n' '78 (sleep) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0 0 0 0 0 0 0' >"$FX/proc/78/task/78/stat"
expect_code 1 "an unreadable /proc/PID file" stat --sysroot "$FX" 77 78
like "$err" "^numaplace stat: cannot read the memory map \(numa_maps\) of pid '77': " "says which file of which process"
like "$out" "for PID 78 \(sleep\)$" "the other process is still reported"
like "$out" "^Private +0\.00 +0\.03 " "its 8 pages on node 1"
like "$out" "^Threads +0 +1 " "its thread on CPU 2, node 1"

done_testing
