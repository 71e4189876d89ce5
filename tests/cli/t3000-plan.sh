#!/bin/sh
# numaplace plan: policies on shared captures (expectations worked out by hand from the OpenMP
# and KMP definitions; see tests/unit/t-plan.c), output syntaxes, --within, errors.
# captures are ~10k small files: on tmpfs they extract in a fraction of a second
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
. "$(dirname "$0")/lib.sh"

em=$(fixture 16em64t-4s2c2t) || skip_all "shared capture 16em64t-4s2c2t not found"
amd=$(fixture 16amd64-8n2c) || skip_all "shared capture 16amd64-8n2c not found"
sparse=$(fixture 48amd64-4pa2n6c-sparse) || skip_all "shared capture 48amd64-4pa2n6c-sparse not found"
ppc=$(fixture 256ppc-8n8s4t) || skip_all "shared capture 256ppc-8n8s4t not found"

# 16 cores, 8 subpartitions of 2: cores 0 2 4 ... = one per node
expect_code 0 "spread 8 on 16amd64-8n2c" plan 8 --policy spread --sysroot "$amd"
is "$out" "worker 0: cpus 0  node 0
worker 1: cpus 2  node 1
worker 2: cpus 4  node 2
worker 3: cpus 6  node 3
worker 4: cpus 8  node 4
worker 5: cpus 10  node 5
worker 6: cpus 12  node 6
worker 7: cpus 14  node 7" "spread 8: one worker per node"
is "$err" "" "and nothing on stderr"

# PUs in topological order 0 8 4 12 | 1 9 5 13 | ...: one thread per core while N <= 8 cores
expect_code 0 "close 4 threads on 16em64t-4s2c2t" plan 4 --policy close --places threads --sysroot "$em"
is "$out" "worker 0: cpus 0  node 0
worker 1: cpus 4  node 0
worker 2: cpus 1  node 0
worker 3: cpus 5  node 0" "close 4: four cores before any SMT sibling"

run plan 4 --policy close --places threads --smt use --sysroot "$em"
is "$out" "worker 0: cpus 0  node 0
worker 1: cpus 8  node 0
worker 2: cpus 4  node 0
worker 3: cpus 12  node 0" "close 4 --smt use: siblings in order"

run plan 4 --policy scatter --places threads --smt use --sysroot "$em"
is "$(echo "$out" | sed 's/  node 0//')" "worker 0: cpus 0
worker 1: cpus 1
worker 2: cpus 2
worker 3: cpus 3" "scatter 4: one per package"

run plan 4 --policy compact --smt use --sysroot "$em"
is "$out" "worker 0: cpus 0,8  node 0  shared
worker 1: cpus 0,8  node 0  shared
worker 2: cpus 4,12  node 0  shared
worker 3: cpus 4,12  node 0  shared" "compact 4 --smt use, granularity core: two per core as KMP, marked shared"
is "$err" "numaplace plan: warning: oversubscribed: workers 0-3 share CPUs with another worker (--exclusive refuses such a plan)" \
    "compact 4 --smt use: the sharing said on stderr"

# oversubscription: 10 workers on 8 cores with --smt avoid wrap round onto cores 0 and 4
run plan 10 --smt avoid --sysroot "$em"
is "$rc:$(printf '%s\n' "$out" | grep -c '  shared$')" "0:4" "plan 10 --smt avoid on 8 cores: 4 workers marked shared"
like "$out" "^worker 0: cpus 0  node 0  shared
worker 1: cpus 0  node 0  shared
" "... workers 0 and 1 share CPU 0"
like "$out" "worker 4: cpus 1  node 0
" "... an unshared worker is not marked"
is "$err" "numaplace plan: warning: oversubscribed: workers 0-3 share CPUs with another worker (--exclusive refuses such a plan)" \
    "... said on stderr"
run plan 10 --smt avoid --json --sysroot "$em"
is "$(printf '%s\n' "$out" | python3 -c 'import json,sys; print([w["worker"] for w in json.load(sys.stdin)["workers"] if w["shared"]])')" \
    "[0, 1, 2, 3]" "--json: \"shared\" true on the shared workers only"
run plan 10 --smt avoid --exclusive --sysroot "$em"
is "$rc:$out:$err" "1::numaplace plan: cannot give 10 workers CPUs of their own: workers 0-3 would share; use fewer workers, other --places or --smt, or drop --exclusive" \
    "--exclusive: an oversubscribed plan exits 1 with one line, prints nothing"
run plan --ranks 0/2 --exclusive --sysroot "$em"
is "$rc:$err" "2:numaplace plan: --exclusive applies to N workers, not to --ranks
Try 'numaplace plan --help' for more information." "--exclusive with --ranks: a usage error, not ignored"
run plan 8 --smt avoid --exclusive --sysroot "$em"
is "$rc:$err:$(printf '%s\n' "$out" | grep -c shared)" "0::0" "--exclusive: a plan that fits prints as before, quietly"

run plan 3 --policy per-node --sysroot "$sparse"
is "$out" "worker 0: cpus 0-5  node 0
worker 1: cpus 6-11  node 1
worker 2: cpus 12-17  node 2" "per-node on sparse node ids"
run plan 2 -p per-node --within node:3,node:7 --sysroot "$sparse"
is "$out" "worker 0: cpus 18-23  node 33
worker 1: cpus 42-47  node 73" "node:N counts nodes by increasing id"

run plan 8 --policy scatter --places threads --smt use --sysroot "$ppc"
is "$(echo "$out" | awk '{print $4}' | tr '\n' ' ')" "0 32 64 96 128 160 192 224 " \
    "scatter 8 on 256ppc: one per node (nodes hold packages)"

# output syntaxes
run plan 3 --policy close --sysroot "$em" --format omp
is "$out" "{0,8},{4,12},{1,9}" "--format omp"
run plan 4 --policy close --places threads --sysroot "$em" -f gomp
is "$out" "0 4 1 5" "--format gomp"
run plan 2 --policy close --sysroot "$em" -f kmp
is "$out" "granularity=fine,explicit,proclist=[{0,8},{4,12}]" "--format kmp"
run plan 2 --policy close --sysroot "$em" -f taskset
is "$out" "0,8
4,12" "--format taskset"
run plan 3 --policy close --places threads --sysroot "$em" -f slurm
is "$out" "--cpu-bind=map_cpu:0,4,1" "--format slurm, one CPU each"
run plan 2 --policy close --sysroot "$em" -f slurm
is "$out" "--cpu-bind=mask_cpu:0x101,0x1010" "--format slurm, masks"

expect_code 0 "--json" plan 2 --sysroot "$amd" --json
if command -v python3 >/dev/null; then
    got=$(printf '%s\n' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["policy"], d["places"], d["eligible"], [(w["worker"], w["cpus"], w["node"]) for w in d["workers"]])')
    is "$got" "spread cores 0-15 [(0, '0', 0), (1, '8', 4)]" "--json: valid JSON with the workers"
else
    skip 1 "no python3"
fi

# --within
run plan 2 --policy close --within 'package:1' --sysroot "$em"
is "$out" "worker 0: cpus 1,9  node 0
worker 1: cpus 5,13  node 0" "--within package:1"
run plan 2 --policy close --places threads --within 'all~pu:odd' --sysroot "$em"
is "$out" "worker 0: cpus 0  node 0
worker 1: cpus 4  node 0" "--within all~pu:odd"

# errors
expect_code 2 "no N" plan --sysroot "$em"
like "$err" "missing the number of workers" "no N: says so"
expect_code 2 "N = 0" plan 0
like "$err" "^numaplace plan: invalid number of workers '0'" "N = 0: says so"
expect_code 2 "unknown policy" plan 2 --policy closest
is "$(echo "$err" | head -1)" "numaplace plan: invalid --policy 'closest': expected one of spread, close, compact, scatter, per-node; did you mean 'close'?" "unknown policy: lists the choices and the nearest"
expect_code 2 "bad location" plan 2 --within 'core:99' --sysroot "$em"
is "$(echo "$err" | head -1)" "numaplace plan: invalid CPU set 'core:99' for --within: no core 99; this machine has cores 0-7" "core:99: out of range"
expect_code 2 "location syntax" plan 2 --within 'package:0.bogus:1' --sysroot "$em"
like "$err" "invalid CPU set 'package:0.bogus:1' for --within: unexpected 'bogus:1'" "syntax error: points at the token"
expect_code 2 "unknown device" plan 2 --within 'near:nosuch0' --sysroot "$em"
like "$err" "no device 'nosuch0' on this machine" "unknown device: says so"
expect_code 2 "--json with --format" plan 2 --json -f omp --sysroot "$em"
expect_code 1 "missing sysroot" plan 2 --sysroot "$TMP/nowhere"
like "$err" "^numaplace plan: cannot read the topology of '$TMP/nowhere'" "missing sysroot: says which"
is "$out" "" "nothing on stdout after an error"
expect_code 0 "--help" plan --help
like "$out" "^Usage: numaplace plan N" "--help prints usage"

# this machine
expect_code 0 "live plan" plan 2 --places threads
like "$out" "^worker 1: cpus [0-9]+  node [0-9]+" "live plan: two workers"

# the preload library: each created thread gets the next worker's place (main thread: worker 0)
run plan 5 --policy close --places threads --sysroot "$em" -f preload
is "$out" "0@0;4@0;1@0;5@0;2@0" "--format preload"
preload=$NP_BUILDDIR/libnumaplace-preload.so
threads=$NP_BUILDDIR/tests/helpers/plan-threads
if [ -f "$preload" ] && { ldd "$preload" 2>/dev/null | grep -Eq 'lib(a|ub)san'; }; then
    skip 4 "the preload library is built with sanitizers (their runtime must come first)"
elif [ -f "$preload" ] && [ -x "$threads" ]; then
    run plan 5 --places threads -f preload
    plan=$out
    want=$(printf '%s\n' "$plan" | tr ';' '\n' | sed 's/@.*//' | awk '{print "thread " NR-1 ": " $0}')
    run_cmd env LD_PRELOAD="$preload" NUMAPLACE_PLAN="$plan" "$threads" 4
    is "$out" "$want" "preload: the main thread and 4 created threads each on their planned CPUs"
    run_cmd "$threads" 4
    if [ "$out" != "$want" ]; then
        ok 0 "without the preload library the threads run elsewhere"
    else
        skip 1 "the plan equals this process's own affinity"
    fi
    if [ "$(nproc)" -ge 2 ]; then
        run_cmd env LD_PRELOAD="$preload" NUMAPLACE_PLAN="1@0;0@0" NUMAPLACE_PLAN_SKIP=2 "$threads" 4
        is "$out" "thread 0: 1
thread 1: 0
thread 2: 1
thread 3: 1
thread 4: 0" "preload: a skipped thread keeps its creator's CPUs and takes no place"
    else
        skip 1 "needs 2 CPUs"
    fi
    run_cmd env LD_PRELOAD="$preload" NUMAPLACE_PLAN="garbage" "$threads" 1
    is "$rc" 0 "preload: a bad plan leaves the program running"
else
    skip 4 "preload library or helper not built"
fi

# --ranks: explicit, then from a real launcher (Debian's openmpi-bin)
run plan --ranks 1/3 --sysroot "$em"
is "$out" "rank 1 of 3: cpus 2,5-6,10,13-14  node 0" "--ranks 1/3: the second run of 3 cores"
expect_code 2 "--ranks 3/2" plan --ranks 3/2
is "$err" "numaplace plan: invalid --ranks '3/2': expected auto or R/N with R < N
Try 'numaplace plan --help' for more information." "... with the message run gives"
run plan -j 2 --sysroot "$em"
like "$out" '"workers"' "-j is --json"
expect_code 2 "--ranks with N" plan 4 --ranks auto
if env -u OMPI_COMM_WORLD_LOCAL_RANK -u MPI_LOCALRANKID -u PMI_LOCAL_RANK -u PALS_LOCAL_RANKID \
        -u SLURM_LOCALID -u LOCAL_RANK "$NP" plan --ranks auto >/dev/null 2>"$TMP/err"; then
    skip 1 "a launcher's variables are set around this test"
else
    like "$(cat "$TMP/err")" "no launcher variable found" "--ranks auto outside a launcher says so"
    # the variables the message names (cli_launcher_vars, checked against the library by
    # t-args) are the ones numaplace(1) documents
    vars=$(sed -n 's/.*found (\([^)]*\)).*/\1/p' "$TMP/err" | tr -d ',')
    missing=
    for v in $vars; do grep -q "$v" "$NP_SRCDIR/man/numaplace.1" || missing="$missing $v"; done
    is "$(echo $vars | wc -w):$missing" "6:" "every launcher variable is in numaplace(1)"
fi
if command -v mpirun >/dev/null && [ "$(nproc)" -ge 2 ]; then
    run_cmd timeout 120 mpirun --allow-run-as-root --oversubscribe -np 2 \
        sh -c 'taskset -c "$("$0" plan --ranks auto -f taskset)" grep Cpus_allowed_list /proc/self/status' "$NP"
    is "$rc" 0 "mpirun -np 2: both ranks ran"
    lists=$(printf '%s\n' "$out" | sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' | sort)
    if printf '%s\n' "$lists" | python3 -c '
import sys
def cpus(s):
    out = set()
    for part in s.split(","):
        a, _, b = part.partition("-")
        out |= set(range(int(a), int(b or a) + 1))
    return out
sets = [cpus(l.strip()) for l in sys.stdin if l.strip()]
sys.exit(0 if len(sets) == 2 and all(sets) and not (sets[0] & sets[1]) else 1)'; then
        ok 0 "mpirun -np 2 numaplace plan --ranks auto: disjoint CPU sets ($(echo $lists))"
    else
        ok 1 "mpirun -np 2: disjoint CPU sets"
        diag "got: $out"
    fi
else
    skip 2 "no mpirun, or fewer than 2 CPUs"
fi

# examples/worker_pool: each worker applies np_pool_plan()'s policy and reports its affinity,
# which must be the per-node plan's CPUs for it
pool=$NP_BUILDDIR/examples/worker_pool
if [ -x "$pool" ]; then
    run_cmd "$pool" 3
    is "$rc" 0 "worker_pool 3 runs"
    run plan 3 --policy per-node
    want=$(printf '%s\n' "$out" | sed 's/  shared$//; s/^\(worker [0-9]*: cpus [^ ]*\)  node \([0-9]*\)$/\1  node \2  memory on node \2/')
    run_cmd "$pool" 3
    is "$out" "$want" "worker_pool: every worker on its planned CPUs, memory on its node"
else
    skip 2 "examples/worker_pool not built"
fi
done_testing
