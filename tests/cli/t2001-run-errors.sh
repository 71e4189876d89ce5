#!/bin/sh
# numaplace run with bad inputs: each exits 1 or 2 with one line naming the input (usage errors
# add the Try line), and the command never runs.  Machine facts this box lacks (offline CPUs,
# nodes without memory or CPUs) are checked with --sysroot on captured machines; blocked
# syscalls with a seccomp filter (np-seccomp), as containers install them.
. "$(dirname "$0")/lib.sh"

TRY="Try 'numaplace run --help' for more information."
SECCOMP=$NP_BUILDDIR/tests/helpers/np-seccomp
CPUS=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/self/status)
NODES=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status)

# bad CODE MESSAGE ARGS...: run ARGS then a command that leaves a mark; check the code, the
# message (exact first line), the Try line for code 2, and that the command did not run.
bad() {
    want_rc=$1 want=$2; shift 2
    rm -f "$TMP/ran"
    run run "$@" -- touch "$TMP/ran"
    if [ "$want_rc" -eq 2 ]; then
        want="$want
$TRY"
    fi
    if [ "$rc" -eq "$want_rc" ] && [ "$err" = "$want" ] && [ -z "$out" ] && [ ! -e "$TMP/ran" ]; then
        ok 0 "run $*: exit $want_rc, one line"
    else
        ok 1 "run $*: exit $want_rc, one line"
        diag "exit code: got $rc, expected $want_rc" "stderr: $err" "expected: $want"
        [ -e "$TMP/ran" ] && diag "the command ran"
    fi
}

long_of() {
    case $1 in -m) echo --membind;; -i) echo --interleave;; -w) echo --weighted-interleave;;
               -p) echo --preferred;; -P) echo --preferred-many;; esac
}

# bad CPU and node sets: the one grammar's messages (cli/sets.c), naming the option
EXPECT="write a list (0-3,8 or 0-15:2), a mask (ff,ffffffff or 0xff), all, !SET, +RANKS or a location (node:1, core:0-3, near:eth0)"
NALLOWED=$("$NP" calc --count -- all)
bad 2 "numaplace run: invalid CPU set '99999' for --physcpubind: no CPU 99999; this machine has CPUs $CPUS" -C 99999
bad 2 "numaplace run: invalid CPU set 'x' for --physcpubind: unexpected 'x'; $EXPECT" -C x
bad 2 "numaplace run: invalid CPU set '1-' for --physcpubind: it ends too soon; $EXPECT" -C 1-
bad 2 "numaplace run: invalid CPU set '0-x' for --physcpubind: unexpected 'x'; $EXPECT" -C 0-x
bad 2 "numaplace run: invalid CPU set '3-1' for --physcpubind: '3-1': a range runs low to high; did you mean 1-3?" -C 3-1
bad 2 "numaplace run: invalid CPU set '0,,1' for --physcpubind: unexpected ','; $EXPECT" -C 0,,1
bad 2 "numaplace run: invalid CPU set '-1' for --physcpubind: unexpected '-1'; $EXPECT" -C -1
bad 2 "numaplace run: invalid CPU set ',' for --physcpubind: unexpected ','; $EXPECT" -C ,
bad 2 "numaplace run: invalid CPU set '99999999999999999999' for --physcpubind: number too large at '99999999999999999999'" -C 99999999999999999999
bad 2 "numaplace run: invalid CPU set '+99' for --physcpubind: rank 99 is past the $NALLOWED CPUs this process may use ($CPUS)" -C +99
bad 2 "numaplace run: invalid CPU set '' for --physcpubind: empty; $EXPECT" -C ''
bad 2 "numaplace run: invalid CPU set '!all' for --physcpubind: it names no online CPU" -C '!all'
bad 2 "numaplace run: invalid CPU set '0xZZ' for --cpus: unexpected 'ZZ'; $EXPECT" --cpus 0xZZ
bad 2 "numaplace run: invalid CPU set '0x100000000000000000000' for --cpus: the mask names CPUs this machine does not have; it has CPUs $CPUS" --cpus 0x100000000000000000000
bad 2 "numaplace run: invalid CPU set '0x0' for --cpus: it names no online CPU" --cpus 0x0
bad 2 "numaplace run: invalid node set '9999' for --membind: no node 9999; this machine has nodes $NODES" -m 9999
bad 2 "numaplace run: invalid node set 'x' for --membind: unexpected 'x'; $EXPECT" -m x
bad 2 "numaplace run: invalid node set '' for --membind: empty; $EXPECT" -m ''
bad 2 "numaplace run: invalid node set '0,,1' for --membind: unexpected ','; $EXPECT" -m 0,,1
bad 2 "numaplace run: invalid node set '9999' for --interleave: no node 9999; this machine has nodes $NODES" -i 9999
bad 2 "numaplace run: invalid node set '9999' for --weighted-interleave: no node 9999; this machine has nodes $NODES" -w 9999
bad 2 "numaplace run: invalid node set '9999' for --preferred: no node 9999; this machine has nodes $NODES" -p 9999
bad 2 "numaplace run: invalid node set '' for --preferred: empty; $EXPECT" -p ''
bad 2 "numaplace run: invalid node set '9999' for --preferred-many: no node 9999; this machine has nodes $NODES" -P 9999
bad 2 "numaplace run: invalid node set '9999' for --cpunodebind: no node 9999; this machine has nodes $NODES" -N 9999
bad 2 "numaplace run: invalid node set 'y' for --cpunodebind: unexpected 'y'; $EXPECT" -N y
bad 2 "numaplace run: invalid node set '9999' for --nodes: no node 9999; this machine has nodes $NODES" --nodes 9999
# conflicts and option errors
bad 2 "numaplace run: conflicting memory policies '--membind' and '--interleave': give one" -m 0 -i 0
bad 2 "numaplace run: conflicting memory policies '--localalloc' and '--preferred': give one" -l -p 0
bad 2 "numaplace run: conflicting memory policies '--membind' and '--membind': give one" -m 0 -m 0
bad 2 "numaplace run: conflicting memory policies '--preferred-many' and '--weighted-interleave': give one" -P 0 -w 0
bad 2 "numaplace run: conflicting memory policies '--nodes' and '--membind': give one" --nodes 0 -m 0
bad 2 "numaplace run: conflicting CPU bindings '--cpunodebind' and '--physcpubind': give one" -N 0 -C 0
bad 2 "numaplace run: conflicting CPU bindings '--physcpubind' and '--cpus': give one" -C 0 --cpus 0
bad 2 "numaplace run: conflicting CPU bindings '--physcpubind' and '--cpunodebind': give one" -C 0 -N 0
bad 2 "numaplace run: --cpunodebind given twice" -N 0 -N 0
bad 2 "numaplace run: conflicting CPU bindings '--cpunodebind' and '--nodes': give one" -N 0 --nodes 0
bad 2 "numaplace run: --balancing needs --membind (or --preferred-many)" -b
bad 2 "numaplace run: --balancing needs --membind (or --preferred-many)" -b -i 0
bad 2 "numaplace run: conflicting options '--static-nodes' and '--relative-nodes': give one" --static-nodes --relative-nodes -m 0
bad 2 "numaplace run: --static-nodes and --relative-nodes need a memory policy with nodes" --static-nodes -l
bad 2 "numaplace run: invalid --membind '+1' at '+1': invalid syntax" --relative-nodes -m +1
bad 2 "numaplace run: invalid --interleave '999' at '999': out of range" --relative-nodes -i 999
bad 2 "numaplace run: invalid --membind 'same': no earlier node list to repeat" -m same
bad 2 "numaplace run: invalid --cpunodebind 'same': no earlier node list to repeat" -N same
bad 2 "numaplace run: unknown option '--frobnicate'" --frobnicate
bad 2 "numaplace run: unknown option '-x'" -x
bad 2 "numaplace run: unknown option '--membind-all'" --membind-all 0
bad 2 "numaplace run: --json needs --dry-run (a command's output is its own)" --json -m 0

# no command, missing arguments
expect_code 2 "run without a command exits 2" run -m 0
is "$err" "numaplace run: no command given: numaplace run [OPTIONS] -- CMD [ARGS...]
$TRY" "... and says what is missing"
expect_code 2 "run with nothing exits 2" run
expect_code 2 "run -- with nothing after exits 2" run --
like "$err" "no command given" "... and says what is missing"
expect_code 2 "-m without its argument exits 2" run -m
is "$err" "numaplace run: option '-m' needs an argument
$TRY" "... naming the option"
expect_code 2 "--membind without its argument exits 2" run --membind
is "$err" "numaplace run: option '--membind' needs an argument
$TRY" "... naming the option"

# machine facts, on captured machines (--sysroot implies --dry-run: nothing is applied)
fx_bad() {
    fx=$1 want_rc=$2 want=$3; shift 3
    dir=$(fixture "$fx") || { skip 1 "fixture $fx missing"; return; }
    run run --sysroot "$dir" "$@"
    [ "$want_rc" -eq 2 ] && want="$want
$TRY"
    if [ "$rc" -eq "$want_rc" ] && [ "$err" = "$want" ] && [ -z "$out" ]; then
        ok 0 "$fx: run $*: exit $want_rc"
    else
        ok 1 "$fx: run $*: exit $want_rc"
        diag "exit code: got $rc, expected $want_rc" "stderr: $err" "expected: $want" "stdout: $out"
    fi
}
if [ -d "$SHARED/fixtures/topology" ]; then
    fx_bad 16amd64-8n2c-cpusets 1 "numaplace run: invalid --physcpubind '4': CPU 4 is offline; online CPUs are 0-3,5-15" -C 4
    fx_bad 16amd64-8n2c-cpusets 1 "numaplace run: invalid --physcpubind '3,4': CPU 4 is offline; online CPUs are 0-3,5-15" -C 3,4
    fx_bad nvidiagpunumanodes 1 "numaplace run: invalid --physcpubind '20': CPU 20 is offline; online CPUs are 0-15,88-103" -C 20
    fx_bad nvidiagpunumanodes 2 "numaplace run: invalid CPU set '200' for --physcpubind: no CPU 200; this machine has CPUs 0-175" -C 200
    fx_bad nvidiagpunumanodes 1 "numaplace run: invalid --cpunodebind '250': node 250 has no CPUs; nodes with CPUs are 0,8" -N 250
    fx_bad fakeheteromemtiers 1 "numaplace run: invalid --cpunodebind '4': node 4 has no CPUs; nodes with CPUs are 0-2" -N 4
    fx_bad fakeheteromemtiers 1 "numaplace run: invalid --cpunodebind '0,6': node 6 has no CPUs; nodes with CPUs are 0-2" -N 0,6
    fx_bad fakeheteromemtiers 2 "numaplace run: invalid node set '3' for --membind: no node 3; this machine has nodes 0-2,4,6,8-9" -m 3
    dir=$(fixture fakeheteromemtiers)
    run run --sysroot "$dir" -N 0-2 -m 4
    is "$out" "cpus: 0-5
policy: bind:4" "a CPU-less memory node is fine for --membind (dry run)"
else
    skip 9 "no shared fixtures"
fi

# a node without memory: a captured machine with node 2's memory taken away
dir=$(fixture fakeheteromemtiers)
if [ -n "$dir" ] && [ -f "$dir/sys/devices/system/node/node2/meminfo" ]; then
    sed -i 's/MemTotal: *[0-9]*/MemTotal: 0/; s/MemFree: *[0-9]*/MemFree: 0/' "$dir/sys/devices/system/node/node2/meminfo"
    echo 0-1,4,6,8-9 >"$dir/sys/devices/system/node/has_memory"
    echo 0-1,4,6,8-9 >"$dir/sys/devices/system/node/has_normal_memory"
    for opt in -m -i -w -p -P; do
        run run --sysroot "$dir" $opt 2
        is "$rc:$err" "1:numaplace run: invalid $(long_of $opt) '2': node 2 has no memory; pick one of 0-1,4,6,8-9, or use --cpunodebind 2 --localalloc for memory nearest its CPUs" \
            "a memoryless node for $opt: exit 1, says what to do"
    done
    run run --sysroot "$dir" -m 1-2
    is "$rc" 1 "a range holding a memoryless node: exit 1"
    run run --sysroot "$dir" -N 2 -l
    is "$rc:$out" "0:cpus: 4-5
policy: local" "--cpunodebind of a memoryless node with --localalloc is fine"
else
    skip 7 "fixture fakeheteromemtiers missing"
fi

# isolated CPUs: a warning, not a failure (a captured machine with isolcpus=2-3 written in)
dir=$(fixture 16amd64-8n2c)
if [ -n "$dir" ] && [ -d "$dir/sys/devices/system/cpu" ]; then
    echo 2-3 >"$dir/sys/devices/system/cpu/isolated"
    run run --sysroot "$dir" -C 1-3
    is "$rc:$out" "0:cpus: 1-3
policy: unchanged" "binding to isolated CPUs still works"
    is "$err" "numaplace run: warning: CPUs 2-3 are isolated (isolcpus=): the scheduler will not balance the command's threads across them" \
        "... with a warning naming them"
    run run --sysroot "$dir" -C 0-1
    is "$rc:$err" "0:" "no warning for CPUs that are not isolated"
else
    skip 3 "fixture 16amd64-8n2c missing"
fi

# blocked syscalls: the clear error, not a silent run without the policy (numactl PR #232)
if [ -x "$SECCOMP" ] && "$SECCOMP" mbind true 2>/dev/null; then
    for errno in EPERM ENOSYS; do
        rm -f "$TMP/ran"
        "$SECCOMP" -e $errno set_mempolicy,mbind "$NP" run -m 0 -- touch "$TMP/ran" >"$TMP/out" 2>"$TMP/err"; rc=$?
        is "$rc" 1 "seccomp $errno on set_mempolicy/mbind: run -m 0 exits 1"
        is "$(wc -l <"$TMP/err" | tr -d ' ')" 1 "... with one line"
        like "$(cat "$TMP/err")" "^numaplace run: cannot set the memory policy \(set_mempolicy\): " "... saying which syscall"
        [ ! -e "$TMP/ran" ]; ok $? "... and the command did not run"
    done
    like "$(cat "$TMP/err")" "no NUMA support, or a seccomp filter" "ENOSYS: names both causes"
    "$SECCOMP" set_mempolicy,mbind "$NP" run -m 0 -- true 2>"$TMP/err"
    like "$(cat "$TMP/err")" "Operation not permitted; a seccomp filter or container profile blocks the NUMA syscalls" \
        "EPERM: names the seccomp filter"
    rm -f "$TMP/ran"
    "$SECCOMP" sched_setaffinity "$NP" run -C 0 -m 0 -- touch "$TMP/ran" 2>"$TMP/err"; rc=$?
    is "$rc" 1 "seccomp on sched_setaffinity: run -C 0 exits 1"
    is "$(cat "$TMP/err")" "numaplace run: cannot bind to CPUs 0: Operation not permitted" "... saying so"
    [ ! -e "$TMP/ran" ]; ok $? "... and the command did not run"
    "$SECCOMP" set_mempolicy,mbind "$NP" run -C 0 -- true; ok $? "a CPU binding alone does not need the memory syscalls"
    # the filter stays on the command too, so read the policy back from numa_maps
    run_cmd "$SECCOMP" get_mempolicy "$NP" run -m 0 -- sh -c 'head -1 /proc/$$/numa_maps'
    is "$rc:$(printf '%s\n' "$out" | cut -d' ' -f2)" "0:bind:0" \
        "with only get_mempolicy blocked, run -m 0 still applies the policy"
else
    skip 16 "cannot install a seccomp filter here"
fi
done_testing
