#!/bin/sh
# numaplace where: threads' CPUs and last CPU, pages per node from numa_maps, --json, --watch.
. "$(dirname "$0")/lib.sh"

ALLOWED=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/self/status)
NODE=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status | sed 's/[-,].*//')
[ -r /proc/self/numa_maps ] || skip_all "this kernel has no /proc/PID/numa_maps"
sleep 300 & VICTIM=$!
trap 'kill $VICTIM 2>/dev/null; rm -rf "$TMP"' EXIT
# until the child has exec'd sleep: before that its memory map is the shell's, changing
n=0; while [ "$(cat /proc/$VICTIM/comm 2>/dev/null)" != sleep ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done

expect_code 0 "where --help" where --help
like "$out" "^Usage: numaplace where" "--help prints usage"

expect_code 0 "where PID" where "$VICTIM"
like "$out" "^pid $VICTIM: 1 thread$" "the thread count"
like "$out" "^  $VICTIM +$ALLOWED +[0-9]+$" "the thread's allowed CPUs and last CPU"
like "$out" "^  NODE +ANON +FILE +HUGE +TOTAL$" "the memory table header"
like "$out" "^  $NODE +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$" "a row for the node holding its pages"
like "$out" "^  total +[0-9]+ +[1-9][0-9]* +[0-9]+ +[1-9][0-9]*$" "totals: sleep maps files"

# the totals agree with numa_maps: every N<node>= count times the page size (read again when
# the map changed between the two reads, as page cache pages get mapped)
sum_maps() {
    awk '{ kb = 4; for (i = 1; i <= NF; i++) if ($i ~ /^kernelpagesize_kB=/) { split($i, a, "="); kb = a[2] }
           for (i = 1; i <= NF; i++) if ($i ~ /^N[0-9]+=/) { split($i, a, "="); t += a[2] * kb } }
         END { print t + 0 }' "/proc/$VICTIM/numa_maps"
}
for try in 1 2 3; do
    want=$(sum_maps)
    got=$("$NP" where "$VICTIM" | awk '$1 == "total" { print $5 }')
    [ "$got" = "$want" ] && break
done
is "$got" "$want" "total KiB equals the sum of numa_maps"

expect_code 0 "where --json" where --json "$VICTIM"
like "$out" "\"pid\": $VICTIM" "--json: pid"
like "$out" "\"cpus\": \"$ALLOWED\"" "--json: thread CPUs"
like "$out" "\"last_cpu\": [0-9]+" "--json: last CPU"
like "$out" "\"node\": $NODE" "--json: node"
like "$out" "\"file_kb\": [1-9]" "--json: file pages"
if command -v python3 >/dev/null; then
    printf '%s\n' "$out" | python3 -c 'import json, sys; json.load(sys.stdin)'
    ok $? "--json is valid JSON"
else
    skip 1 "no python3 to validate JSON"
fi

expect_code 0 "--watch with --count" where --watch 1 --count 2 "$VICTIM"
is "$(printf '%s\n' "$out" | grep -c "^pid $VICTIM:")" 2 "--count 2 gives two reports"
expect_code 0 "-w -n -j" where -w 1 -n 2 -j "$VICTIM"
is "$(printf '%s\n' "$out" | grep -c "^{\"pid\":$VICTIM,.*}\$")" 2 \
    "--watch --json gives one object per report, one per line (JSON Lines)"
is "$(printf '%s\n' "$out" | wc -l)" 2 "... and nothing else"

# anonymous memory shows up as anon: a process that touched 8 MiB
if command -v python3 >/dev/null; then
    python3 -c 'import sys, time; b = b"\x01" * (8 << 20); print(len(b), flush=True); time.sleep(300)' >"$TMP/big" & BIG=$!
    n=0; while [ ! -s "$TMP/big" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
    expect_code 0 "where on a process with 8 MiB of anon memory" where --json "$BIG"
    anon=$(printf '%s\n' "$out" | sed -n '/"total"/,$ s/.*"anon_kb": \([0-9]*\).*/\1/p')
    [ "${anon:-0}" -ge 8192 ]; ok $? "anon KiB ($anon) counts the 8 MiB"
    kill "$BIG"
else
    skip 2 "no python3"
fi

# a kernel thread (PF_KTHREAD, 0x00200000, in stat field 9) has no user memory: it is named as
# one.  kthreadd is PID 2 outside a PID namespace; inside one there may be none to find.
is_kthread() {
    sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ exit !(int($7 / 2097152) % 2) }'
}
KT=
for p in 2 $(ls /proc | grep -E '^[0-9]+$' | sort -n | head -200); do
    is_kthread "$p" && { KT=$p; break; }
done
if [ -n "$KT" ]; then
    expect_code 0 "where on kernel thread $KT ($(cat /proc/$KT/comm 2>/dev/null))" where "$KT"
    like "$out" "^pid $KT: [0-9]+ threads?, a kernel thread$" "the first line says it is a kernel thread"
    like "$out" "^memory: none \(a kernel thread has no user memory: its numa_maps is empty\)$" \
        "... and why it has no memory, instead of a table of zeros"
    is "$err" "" "... with nothing on stderr"
    expect_code 0 "where --json on a kernel thread" where --json "$KT"
    like "$out" '"kernel_thread": true' "--json: kernel_thread is true"
    like "$out" '"nodes": \[\]' "--json: no nodes"
else
    skip 6 "no kernel thread visible in /proc (a PID namespace)"
fi
run where --json "$VICTIM"
like "$out" '"kernel_thread": false' "--json: a user process is not a kernel thread"

# bad inputs
expect_code 1 "unknown pid" where 999999
is "$err" "numaplace where: no process with pid '999999'" "unknown pid: one clear line"
expect_code 2 "bad pid" where 12x
like "$err" "invalid pid '12x'" "bad pid named"
expect_code 2 "no pid" where
like "$err" "no pid given" "missing pid"
expect_code 2 "two pids" where 1 2
like "$err" "one pid expected, got '2'" "extra pid named"
expect_code 2 "bad --watch" where --watch 0 "$VICTIM"
like "$err" "invalid --watch '0'" "bad interval named"
expect_code 2 "bad --watch unit" where --watch 1x "$VICTIM"
like "$err" "invalid --watch '1x': expected seconds, or a number with a unit" "... the duration grammar"
expect_code 0 "--watch in milliseconds" where --watch 10ms --count 2 "$VICTIM"
expect_code 2 "bad --count" where --watch 1 --count x "$VICTIM"
like "$err" "invalid --count 'x'" "bad count named"
expect_code 2 "--count without --watch" where --count 2 "$VICTIM"
like "$err" "--count needs --watch" "--count alone refused"
expect_code 2 "unknown option" where --frobnicate "$VICTIM"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" --version >/dev/null 2>&1; then
    AS_NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
    $AS_NOBODY "$NP" where "$VICTIM" >"$TMP/out" 2>"$TMP/err"
    is "$?" 1 "another user's process: exit 1"
    is "$(cat "$TMP/err")" "numaplace where: cannot read the memory map (numa_maps) of pid '$VICTIM', shown as unknown (another user's process: run as its user or as root): Permission denied" \
        "another user's process: what cannot be read is said, once"
    like "$(cat "$TMP/out")" "^pid $VICTIM: 1 thread
  TID  .*
  $VICTIM  *$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/$VICTIM/status)  *[0-9-]+
memory: unknown \(numa_maps is not readable by this user\)\$" \
        "... what can be read is shown: the threads' CPUs, memory unknown"
    $AS_NOBODY "$NP" where --json "$VICTIM" >"$TMP/out" 2>/dev/null
    like "$(cat "$TMP/out")" '"nodes": null' "--json: the nodes are null when unknown"
    # the same user's process: everything is shown
    $AS_NOBODY sleep 300 & NOBODY=$!
    n=0; while [ "$(stat -c %U /proc/$NOBODY 2>/dev/null)" != nobody ] || [ "$(cat /proc/$NOBODY/comm)" != sleep ]; do
        [ $n -lt 100 ] || break; sleep 0.05; n=$((n + 1)); done
    $AS_NOBODY "$NP" where "$NOBODY" >"$TMP/out" 2>"$TMP/err"
    is "$?:$(cat "$TMP/err")" "0:" "nobody reading nobody's process: exit 0, nothing on stderr"
    like "$(cat "$TMP/out")" "^memory \(KiB\):" "... and its memory is shown"
    kill "$NOBODY"
else
    skip 6 "not root, or nobody cannot run $NP"
fi
done_testing
