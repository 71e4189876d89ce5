#!/bin/sh
# numaplace show: this process's policy, allowed CPUs and nodes, cgroup limits and CPU, as set
# by numaplace run and by numactl; --json; errors.
. "$(dirname "$0")/lib.sh"

ALLOWED=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/self/status)
MEMS=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status)
LAST=$(printf '%s\n' "$ALLOWED" | tr ',-' '\n\n' | sort -n | tail -1)
NODE=$(printf '%s\n' "$MEMS" | sed 's/[-,].*//')
SECCOMP=$NP_BUILDDIR/tests/helpers/np-seccomp

field() { printf '%s\n' "$out" | sed -n "s/^$1: *//p"; }

expect_code 0 "show exits 0" show
is "$(field policy)" "default" "policy: default when nothing is set"
is "$(field 'policy nodes')" "none" "policy nodes: none"
is "$(field 'policy flags')" "none" "policy flags: none"
is "$(field 'allowed CPUs')" "$ALLOWED" "allowed CPUs: Cpus_allowed_list"
is "$(field 'allowed nodes')" "$MEMS" "allowed nodes: Mems_allowed_list"
like "$(field 'running on CPU')" "^[0-9]+$" "running on CPU: a number"
like "$(field 'running on node')" "^[0-9]+$" "running on node: a number"
like "$out" "cgroup CPUs: " "cgroup CPUs line"
like "$out" "cgroup nodes: " "cgroup nodes line"
is "$err" "" "nothing on stderr"
printf '%s\n' "$out" | grep -qv "interleave next"; ok $? "no interleave line without interleave"

show_under() { run run "$@" -- "$NP" show; }
show_under -m "$NODE"
is "$(field policy):$(field 'policy nodes')" "bind:$NODE" "under run -m: bind to node $NODE"
show_under -i "$NODE"
is "$(field policy):$(field 'policy nodes'):$(field 'interleave next')" "interleave:$NODE:$NODE" \
    "under run -i: interleave, next node $NODE"
show_under -p "$NODE"
is "$(field policy):$(field 'policy nodes')" "preferred:$NODE" "under run -p: preferred"
show_under -l
is "$(field policy)" "local" "under run -l: local"
show_under -P "$NODE"
if [ "$rc" -eq 0 ]; then is "$(field policy)" "preferred-many" "under run -P: preferred-many"; else skip 1 "no preferred-many here"; fi
show_under -w "$NODE"
if [ "$rc" -eq 0 ]; then
    is "$(field policy):$(field 'interleave next')" "weighted-interleave:$NODE" "under run -w: weighted-interleave"
else
    skip 1 "no weighted interleave here"
fi
show_under -m "$NODE" -b
is "$(field 'policy flags')" "balancing" "under run -b -m: the balancing flag"
show_under -m "$NODE" --static-nodes
is "$(field 'policy flags')" "static" "under --static-nodes: the static flag"
show_under -C "$LAST"
is "$(field 'allowed CPUs'):$(field 'running on CPU')" "$LAST:$LAST" "under run -C $LAST: allowed and running on $LAST"

if command -v numactl >/dev/null 2>&1; then
    run_cmd numactl -i "$NODE" "$NP" show
    is "$(field policy)" "interleave" "under numactl -i: interleave"
    run_cmd numactl -C "$LAST" -m "$NODE" "$NP" show
    is "$(field policy):$(field 'allowed CPUs')" "bind:$LAST" "under numactl -C -m: bind and the CPU"
else
    skip 2 "numactl is not installed"
fi

# JSON
run run -m "$NODE" -C "$LAST" -- "$NP" show --json
is "$rc" 0 "show --json exits 0"
if command -v python3 >/dev/null 2>&1; then
    printf '%s\n' "$out" >"$TMP/show.json"
    got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = d["policy"]
print(p["mode"], p["nodes"], ",".join(p["flags"]), p["interleave_next"], d["allowed_cpus"],
      d["allowed_nodes"], d["cpu"], type(d["node"]).__name__, sorted(d["cgroup"]))
' "$TMP/show.json" 2>&1)
    is "$got" "bind $NODE  None $LAST $MEMS $LAST int ['cpus', 'nodes']" "show --json: policy, sets, CPU, cgroup keys"
else
    skip 1 "no python3 to read JSON"
fi
expect_code 0 "show -j exits 0" show -j
like "$out" '"allowed_cpus": "' "show -j prints JSON"

# errors
expect_code 2 "show with an unknown option exits 2" show --frob
is "$err" "numaplace show: unknown option '--frob'
Try 'numaplace show --help' for more information." "... naming it"
expect_code 2 "show with an argument exits 2" show extra
is "$err" "numaplace show: unexpected argument 'extra'
Try 'numaplace show --help' for more information." "... naming it"
expect_code 0 "show --help exits 0" show --help
like "$out" "^Usage: numaplace show" "show --help prints usage"
if [ -x "$SECCOMP" ] && "$SECCOMP" mbind true 2>/dev/null; then
    "$SECCOMP" get_mempolicy "$NP" show >"$TMP/out" 2>"$TMP/err"; rc=$?
    is "$rc" 1 "show with get_mempolicy blocked exits 1"
    is "$(cat "$TMP/err")" "numaplace show: cannot read the memory policy (get_mempolicy): Operation not permitted" "... saying so"
else
    skip 2 "cannot install a seccomp filter here"
fi
if [ -w /dev/full ]; then
    "$NP" show >/dev/full 2>"$TMP/err"; rc=$?
    is "$rc" 1 "show to a full disk exits 1"
else
    skip 1 "no /dev/full"
fi

CG=/sys/fs/cgroup/cpuset
if [ -w "$CG" ] && mkdir "$CG/np-t2100-$$" 2>/dev/null; then
    echo 0 >"$CG/np-t2100-$$/cpuset.cpus" && echo "$NODE" >"$CG/np-t2100-$$/cpuset.mems"
    sh -c 'echo $$ >"$0/tasks" && exec "$@"' "$CG/np-t2100-$$" "$NP" show >"$TMP/out" 2>&1
    out=$(cat "$TMP/out")
    is "$(field 'cgroup CPUs'):$(field 'allowed CPUs')" "0:0" "in a cpuset cgroup: its CPUs are shown"
    rmdir "$CG/np-t2100-$$" 2>/dev/null || { sleep 1; rmdir "$CG/np-t2100-$$"; }
else
    skip 1 "cannot make a cpuset cgroup here"
fi
done_testing
