#!/bin/sh
# numaplace migrate: migrate_pages between node lists, move_pages of a range, the summary,
# progress, --json, and bad inputs.  On one node the pages can only stay where they are; moving
# between nodes for real is proven in the QEMU tier.
. "$(dirname "$0")/lib.sh"

NODE=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status | sed 's/[-,].*//')
NODES=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | sed 's/.*node//' | sort -n | tail -1)
MISSING=$(( ${NODES:-0} + 1 ))
sleep 300 & VICTIM=$!
trap 'kill $VICTIM 2>/dev/null; rm -rf "$TMP"' EXIT
# until the child has exec'd sleep: before that its memory map is the shell's, changing
n=0; while [ "$(cat /proc/$VICTIM/comm 2>/dev/null)" != sleep ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
STACK=$(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) .*\[stack\]$/\1 \2/p' "/proc/$VICTIM/maps")
set -- $STACK
ADDR=0x$1 LEN=$(( 0x$2 - 0x$1 ))

expect_code 0 "migrate --help" migrate --help
like "$out" "^Usage: numaplace migrate" "--help prints usage"

# the pages on node N, summed from numa_maps as migrate counts them
pages_on_node() { grep -o " N$2=[0-9]*" "/proc/$1/numa_maps" | sed 's/.*=//' | awk '{ s += $1 } END { print s + 0 }'; }
expect_code 0 "migrate PID FROM TO" migrate "$VICTIM" "$NODE" "$NODE"
want=$(pages_on_node "$VICTIM" "$NODE")
like "$out" "^pid $VICTIM: [1-9][0-9]* pages: 0 moved, [1-9][0-9]* already there, 0 not present, 0 failed$" \
    "migrate_pages summary: FROM = TO, every page already there"
is "$(printf '%s\n' "$out" | sed 's/^pid [0-9]*: \([0-9]*\) pages: 0 moved, \([0-9]*\) already there.*/\1 \2/')" "$want $want" \
    "... counted as numa_maps counts the pages on node $NODE ($want)"

expect_code 0 "--json" migrate --json "$VICTIM" "$NODE" "$NODE"
like "$out" "\"mode\": \"migrate_pages\"" "--json: mode"
like "$out" "\"failed\": 0" "--json: failed"

expect_code 0 "--pages over the stack" migrate --pages "$VICTIM" "$ADDR" "$LEN" "$NODE"
pages=$(( LEN / $(getconf PAGESIZE) ))
like "$out" "^pid $VICTIM: $pages pages: 0 moved, [1-9][0-9]* already there, [0-9]+ not present, 0 failed$" \
    "move_pages summary: the touched stack pages are already on node $NODE"
is "$err" "" "no progress when stderr is not a terminal"

expect_code 0 "--pages --progress" migrate -p -P "$VICTIM" "$ADDR" "$LEN" "$NODE"
like "$err" "^numaplace migrate: pid $VICTIM: $pages of $pages pages \(100%\)$" "--progress reports on stderr"

expect_code 0 "--pages --json with a k length" migrate --pages --json "$VICTIM" "$ADDR" 8k "$NODE"
like "$out" "\"mode\": \"move_pages\"" "--json: move_pages"
like "$out" "\"pages\": 2" "8k is two pages"

expect_code 0 "--move-all" migrate --pages --move-all "$VICTIM" "$ADDR" 4096 "$NODE"
like "$out" "1 pages:" "--move-all moves shared pages too (none here)"

# the one set grammar: all, a location
expect_code 0 "migrate PID all NODE" migrate "$VICTIM" all "$NODE"
expect_code 0 "migrate PID node:N node:N" migrate "$VICTIM" "node:$NODE" "node:$NODE"

# bad inputs
expect_code 1 "unknown pid" migrate 999999 "$NODE" "$NODE"
is "$err" "numaplace migrate: no process with pid '999999'" "unknown pid: one clear line"
expect_code 1 "unknown pid, --pages" migrate --pages 999999 "$ADDR" 4096 "$NODE"
is "$err" "numaplace migrate: no process with pid '999999'" "unknown pid (--pages): one clear line"
expect_code 2 "bad pid" migrate x "$NODE" "$NODE"
like "$err" "invalid pid 'x'" "bad pid named"
expect_code 2 "missing arguments" migrate "$VICTIM" "$NODE"
like "$err" "expected PID FROM TO" "missing TO"
expect_code 2 "--pages missing arguments" migrate --pages "$VICTIM" "$ADDR"
like "$err" "expected PID ADDR LEN NODE" "missing LEN and NODE"
expect_code 2 "bad FROM" migrate "$VICTIM" 0-x "$NODE"
like "$err" "invalid node set '0-x' for FROM: unexpected 'x'" "bad node set named"
expect_code 2 "node that does not exist" migrate "$VICTIM" "$NODE" "$MISSING"
like "$err" "invalid node set '$MISSING' for TO: no node $MISSING" "missing node named"
expect_code 2 "empty node list" migrate "$VICTIM" "" "$NODE"
like "$err" "invalid node set '' for FROM: empty" "empty set refused"
expect_code 2 "bad address" migrate --pages "$VICTIM" 0xzz 4096 "$NODE"
like "$err" "invalid address '0xzz'" "bad address named"
expect_code 2 "bad length" migrate --pages "$VICTIM" "$ADDR" 4q "$NODE"
like "$err" "invalid LEN '4q': expected a size" "bad length named"
expect_code 2 "zero length" migrate --pages "$VICTIM" "$ADDR" 0 "$NODE"
like "$err" "invalid LEN '0': expected a size above 0" "zero length refused"
expect_code 1 "unmapped range" migrate --pages "$VICTIM" 0x1000 4096 "$NODE"
like "$err" "address range '0x1000' \(4096 bytes\) is not mapped in pid '$VICTIM'" "unmapped range named"
expect_code 2 "--move-all without --pages" migrate --move-all "$VICTIM" "$NODE" "$NODE"
like "$err" "--move-all goes with --pages" "misplaced option named"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" --version >/dev/null 2>&1; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" migrate "$VICTIM" "$NODE" "$NODE" >"$TMP/out" 2>"$TMP/err"
    is "$?" 1 "another user's process: exit 1"
    is "$(cat "$TMP/err")" "numaplace migrate: cannot move the memory of pid '$VICTIM' (another user's: needs CAP_SYS_NICE; or migrate_pages/move_pages are blocked): Operation not permitted" \
        "another user's process: the CAP_SYS_NICE hint, as --pages gives"
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" migrate --pages "$VICTIM" "$ADDR" 4096 "$NODE" >"$TMP/out" 2>"$TMP/err"
    is "$?" 1 "another user's process (--pages): exit 1"
    like "$(cat "$TMP/err")" "^numaplace migrate: cannot move the memory of pid '$VICTIM'.*Operation not permitted" \
        "another user's process (--pages): permission denied, named"
else
    skip 4 "not root, or nobody cannot run $NP"
fi

# pages that cannot move are counted as failed (exit 1), not hidden: a non-root process cannot
# move the pages it shares with others (libc's) without CAP_SYS_NICE; needs two nodes
other=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | sed 's/.*node//' | grep -vx "$NODE" | head -1)
if [ -n "$other" ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" --version >/dev/null 2>&1; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c 'exec "$1" migrate $$ "$2" "$3"' sh "$NP" "$NODE" "$other" >"$TMP/out" 2>"$TMP/err"
    is "$?" 1 "shared pages left behind: exit 1"
    like "$(cat "$TMP/out")" "^pid [0-9]+: [0-9]+ pages: [0-9]+ moved, 0 already there, 0 not present, [1-9][0-9]* failed$" \
        "... counted as failed"
else
    skip 2 "one node, or not root: cannot leave shared pages behind"
fi
done_testing
