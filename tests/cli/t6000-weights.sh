#!/bin/sh
# numaplace weights: show, set, auto and --undo on a copy of the hand-made sysroot
# tests/fixtures/sysroots-extras/mempolicy-612 (Linux 6.12's files: weights, HMAT, tiers);
# the errors; topo's tiers, demotion and balancing.  Writes on the live machine are the QEMU
# tier's (tests/vm/guest/tests.sh, section 3b).
. "$(dirname "$0")/lib.sh"

SRC=$NP_SRCDIR/tests/fixtures/sysroots-extras/mempolicy-612
S=$TMP/wi
cp -a "$SRC" "$S" || skip_all "cannot copy $SRC"
NOWI=$NP_SRCDIR/tests/fixtures/sysroots-extras/limits-none

expect_code 0 "weights: exit 0" weights --sysroot "$S"
is "$out" "node  weight
0     1
1     1
2     1
3     1  (no memory)" "weights: every node's weight, the memoryless one marked"
expect_code 0 "weights show is weights" weights show --sysroot "$S"
is "$out" "$(cat "$TMP/out")" "weights show: same output"
expect_code 0 "weights --json" weights --json --sysroot "$S"
is "$(printf '%s\n' "$out" | tr -d ' \n')" '{"weights":[{"node":0,"weight":1,"memory":true},{"node":1,"weight":1,"memory":true},{"node":2,"weight":1,"memory":true},{"node":3,"weight":1,"memory":false}]}' "weights --json: node, weight, memory"

expect_code 0 "weights set 0=3 1=1" weights set --sysroot "$S" 0=3 1=1
is "$out" "node 0: weight 1 -> 3
node 1: weight 1 (unchanged)" "weights set: says what it changed"
is "$(cat "$S/sys/kernel/mm/mempolicy/weighted_interleave/node0")" 3 "weights set: node0's file holds 3"
expect_code 0 "weights set node:2=7 (any node syntax)" weights set --sysroot "$S" node:2=7
is "$(cat "$S/sys/kernel/mm/mempolicy/weighted_interleave/node2")" 7 "weights set node:2=7: written"
expect_code 0 "weights --undo" weights --undo --sysroot "$S"
is "$(cat "$S/sys/kernel/mm/mempolicy/weighted_interleave/node2") $(cat "$S/sys/kernel/mm/mempolicy/weighted_interleave/node0")" "1 3" \
    "weights --undo: back to before the last change"
like "$out" "^node 2: weight 1 \(restored\)" "weights --undo: says what it restored"
expect_code 1 "weights --undo twice: nothing to undo" weights --undo --sysroot "$S"
like "$err" "^numaplace weights: nothing to undo" "... said so"
expect_code 0 "weights set --json" weights set --json --sysroot "$S" 0=1
is "$(printf '%s\n' "$out" | tr -d ' \n')" '{"weights":[{"node":0,"from":3,"to":1}]}' "weights set --json: from and to"

expect_code 0 "weights auto --dry-run (HMAT)" weights auto --dry-run --sysroot "$S"
is "$out" "node 0: 30000 MB/s (hmat) -> weight 3
node 1: 30000 MB/s (hmat) -> weight 3
node 2: 10000 MB/s (hmat) -> weight 1" "weights auto: HMAT's read bandwidth, 3:3:1"
is "$(cat "$S/sys/kernel/mm/mempolicy/weighted_interleave/node0")" 1 "weights auto --dry-run: wrote nothing"
expect_code 0 "weights auto --json --dry-run" weights auto --json --dry-run --sysroot "$S"
like "$(printf '%s\n' "$out" | tr -d ' \n')" '^\{"source":"hmat","weights":\[\{"node":0,"bandwidth":30000,"weight":3\}' "weights auto --json: source, bandwidth, weight"
expect_code 0 "weights auto" weights auto --sysroot "$S"
is "$(cat "$S"/sys/kernel/mm/mempolicy/weighted_interleave/node[0-2] | tr '\n' ' ')" "3 3 1 " "weights auto: written"
expect_code 0 "weights --undo --json after auto" weights --undo --json --sysroot "$S"
is "$(printf '%s\n' "$out" | tr -d ' \n')" '{"restored":[{"node":0,"weight":1},{"node":1,"weight":1},{"node":2,"weight":1},{"node":3,"weight":1}]}' "weights --undo --json: what it restored"

# errors
expect_code 2 "weights set 3=2: node 3 has no memory" weights set --sysroot "$S" 3=2
is "$err" "numaplace weights set: node 3 has no memory; weights matter only for nodes with memory (0-2)
Try 'numaplace weights set --help' for more information." "... the message names the nodes with memory"
expect_code 2 "weights set 0=0" weights set --sysroot "$S" 0=0
like "$err" "invalid weight '0': a weight is 1-255" "... a weight is 1-255"
expect_code 2 "weights set 0=256" weights set --sysroot "$S" 0=256
expect_code 2 "weights set 0" weights set --sysroot "$S" 0
expect_code 2 "weights set 9=1: no such node" weights set --sysroot "$S" 9=1
expect_code 2 "weights set without pairs" weights set --sysroot "$S"
expect_code 2 "weights sets: unknown sub-command" weights sets
like "$err" "did you mean 'set'" "... with a suggestion"
expect_code 2 "weights auto --from disk" weights auto --from disk --sysroot "$S"
is "$(cat "$S"/sys/kernel/mm/mempolicy/weighted_interleave/node[0-3] | tr '\n' ' ')" "1 1 1 1 " "no failed command wrote anything"
expect_code 1 "weights on a kernel without weighted interleave" weights --sysroot "$NOWI"
is "$err" "numaplace weights: this kernel has no weighted interleave (sys/kernel/mm/mempolicy/weighted_interleave appeared in Linux 6.9)" "... said so"
expect_code 1 "weights auto --from hmat without HMAT" weights auto --from hmat --dry-run --sysroot "$NOWI"
if [ "$(id -u)" != 0 ]; then
    expect_code 1 "weights set as a user: refused" weights set 0=2
    like "$err" "needs root" "... needs root"
else
    skip 2 "running as root: the not-root refusal is not reachable"
fi

# topo: tiers, demotion, balancing, the HMAT table
expect_code 0 "topo on the sysroot" topo --sysroot "$S"
like "$out" "memory tiers: 4: nodes 0-1; 22: nodes 2" "topo: the tiers and their nodes"
like "$out" "demotion: enabled; NUMA balancing: 2 \(memory tiering\)" "topo: demotion and balancing mode"
like "$out" "2 +1 cpu +1 +30 ns +35 ns +10000 MB/s +8000 MB/s" "topo: node 2's access class 1"
expect_code 0 "topo --json on the sysroot" topo --json --sysroot "$S"
like "$(printf '%s\n' "$out" | tr -d ' \n')" '"memory_tiers":\[\{"id":4,"nodes":"0-1"\},\{"id":22,"nodes":"2"\}\],"demotion_enabled":true,"numa_balancing":2' \
    "topo --json: memory_tiers, demotion_enabled, numa_balancing"
expect_code 0 "topo --json without tiers" topo --json --sysroot "$NOWI"
like "$(printf '%s\n' "$out" | tr -d ' \n')" '"memory_tiers":\[\],"demotion_enabled":null,"numa_balancing":null' "topo --json: none known"

# the capture of the 6.12 guest (make vm-fixtures): topo reads its HMAT, tiers, demotion and
# balancing as its expected.json says
FX=$NP_SRCDIR/tests/fixtures/vm-hmat-6.12
if ! command -v python3 >/dev/null 2>&1; then
    skip 2 "no python3 to read $FX/expected.json"
else
    mkdir -p "$TMP/fx612" && tar xzf "$FX/fsroot.tar.gz" -C "$TMP/fx612"
    expect_code 0 "topo --json on the 6.12 guest's capture" topo --json --sysroot "$TMP/fx612"
    printf '%s\n' "$out" >"$TMP/fx612.json"
    python3 - "$FX/expected.json" "$TMP/fx612.json" >"$TMP/fx612.diff" 2>&1 <<'PY'
import json, sys
exp, got = (json.load(open(p)) for p in sys.argv[1:3])
bad = [k for k in ("memory_tiers", "demotion_enabled", "numa_balancing") if exp.get(k) != got.get(k)]
gn = {n["id"]: n for n in got["nodes"]}
for n in exp["nodes"]:
    if "access" in n and [{k: a.get(k) for k in n["access"][0]} for a in gn[n["id"]].get("access", [])] != n["access"]:
        bad.append("node %d access" % n["id"])
print(" ".join(bad))
sys.exit(1 if bad else 0)
PY
    ok $? "the 6.12 capture: HMAT access classes, tiers, demotion, balancing as expected.json says" ||
        diag "differs: $(cat "$TMP/fx612.diff")"
fi

done_testing
