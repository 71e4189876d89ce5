#!/bin/sh
# numaplace run --plan / --ranks: the threads of an unmodified program (plan-threads) land on
# the places `numaplace plan` prints for the same options, via the preload library; ranks under
# a real launcher (Debian's openmpi-bin) get disjoint slices; bad inputs exit 1 or 2 with one line
# and run nothing.
. "$(dirname "$0")/lib.sh"

TRY="Try 'numaplace run --help' for more information."
PRELOAD=$NP_BUILDDIR/libnumaplace-preload.so
THREADS=$NP_BUILDDIR/tests/helpers/plan-threads
PROBE=$NP_BUILDDIR/tests/helpers/np-probe
NODE=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status | sed 's/[-,].*//')
[ -f "$PRELOAD" ] || skip_all "libnumaplace-preload.so not built"
[ -x "$THREADS" ] && [ -x "$PROBE" ] || skip_all "test helpers not built"
# a sanitizer runtime must be the first preloaded object, which --plan cannot promise
ldd "$PRELOAD" 2>/dev/null | grep -Eq 'lib(a|ub)san' &&
    skip_all "the preload library is built with sanitizers"
# keep a launcher's variables from the surroundings out of --ranks auto
unset OMPI_COMM_WORLD_LOCAL_RANK MPI_LOCALRANKID PMI_LOCAL_RANK PALS_LOCAL_RANKID SLURM_LOCALID \
    LOCAL_RANK NUMAPLACE_PLAN_SKIP

expect_code 0 "--help" run --help
like "$out" "--plan N" "--help describes --plan"
like "$out" "--ranks auto[|]R/N" "--help describes --ranks"
like "$out" "--skip MASK" "--help describes --skip"

# what plan-threads should print: "thread k: <worker k mod N's CPUs>" for the main thread (k=0)
# and T created threads, from `numaplace plan N OPTIONS`
want_threads() {
    n=$1 t=$2; shift 2
    "$NP" plan "$n" "$@" 2>/dev/null | sed -n 's/^worker \([0-9]*\): cpus \([^ ]*\) .*/\1 \2/p' |
        awk -v t="$t" '
        function expand(l,   parts, i, ab, c, out) {   # "0-2,8" -> "0,1,2,8" as plan-threads prints
            out = ""
            for (i = 1; i <= split(l, parts, ","); i++) {
                if (split(parts[i], ab, "-") == 1) ab[2] = ab[1]
                for (c = ab[1] + 0; c <= ab[2] + 0; c++) out = out (out == "" ? "" : ",") c
            }
            return out
        }
        { c[$1] = expand($2); n++ }
        END { for (k = 0; k <= t; k++) print "thread " k ": " c[k % n] }'
}

for policy in close spread compact scatter per-node; do
    run run --plan 5 --policy $policy --places threads -- "$THREADS" 4
    is "$out" "$(want_threads 5 4 --policy $policy --places threads)" \
        "--plan 5 --policy $policy: the main thread and 4 created threads on their planned CPUs"
done
run run --plan 2 --policy close --places threads -- "$THREADS" 4
is "$out" "$(want_threads 2 4 --policy close --places threads)" \
    "--plan 2 with 5 threads: workers wrap round"
is "$rc" 0 "--plan: the command's exit status"
run run --plan 3 --policy close -- "$THREADS" 2
is "$out" "$(want_threads 3 2 --policy close)" "--plan 3 over cores (the default places)"
run_cmd "$THREADS" 4
if [ "$out" != "$(want_threads 5 4 --policy close --places threads)" ]; then
    ok 0 "without --plan the threads run elsewhere"
else
    skip 1 "the plan equals this process's own affinity"
fi

# --skip: a skipped thread keeps its creator's CPUs (the main thread's: worker 0) and takes no worker
w=$(want_threads 5 4 --policy close --places threads | sed 's/^thread [0-9]*: //')
set -- $w
run run --plan 5 --policy close --places threads --skip 0x2 -- "$THREADS" 4
is "$out" "thread 0: $1
thread 1: $2
thread 2: $1
thread 3: $3
thread 4: $4" "--skip 0x2: the second created thread is left alone"
run run --plan 5 --policy close --places threads --skip 5 -- "$THREADS" 4
is "$out" "thread 0: $1
thread 1: $1
thread 2: $2
thread 3: $1
thread 4: $3" "--skip 5 (no 0x): the first and third created threads are left alone"

# the environment the command gets: the plan as `plan -f preload` prints it, LD_PRELOAD kept
run run --plan 3 --policy spread -- sh -c 'printf "%s\n" "$NUMAPLACE_PLAN" "$NUMAPLACE_PLAN_MEM"'
is "$out" "$("$NP" plan 3 --policy spread -f preload)
local" "NUMAPLACE_PLAN is numaplace plan -f preload's, NUMAPLACE_PLAN_MEM local"
run_cmd env LD_PRELOAD="$NP_BUILDDIR/libnumaplace.so" "$NP" run --plan 1 -- sh -c 'echo "$LD_PRELOAD"'
is "$out" "$PRELOAD:$NP_BUILDDIR/libnumaplace.so" "an existing LD_PRELOAD is kept, after the library"
run_cmd env NUMAPLACE_PLAN_SKIP=3 "$NP" run --plan 1 -- sh -c 'echo "${NUMAPLACE_PLAN_SKIP-unset}"'
is "$out" "unset" "without --skip, a NUMAPLACE_PLAN_SKIP from outside is dropped"

# memory: each thread's policy (np-probe reads the main thread's: worker 0)
probe_policy() {
    run run "$@" -- "$PROBE" -n 1 -s
    printf '%s\n' "$out" | sed -n 's/^policy //p'
}
is "$(probe_policy --plan 2)" "4 0x0 -" "--plan: memory local by default"
is "$(probe_policy --plan 2 --plan-mem node)" "1 0x0 $NODE" "--plan-mem node: the worker's node preferred"
is "$(probe_policy --plan 2 --plan-mem none)" "0 0x0 -" "--plan-mem none: the policy left alone"
is "$(probe_policy --plan 2 -m "$NODE")" "2 0x0 $NODE" "--plan with --membind: run's policy, kept in the threads"

# blocked syscalls are reported before exec, as for run's own policies, not left to the library
SECCOMP=$NP_BUILDDIR/tests/helpers/np-seccomp
if [ -x "$SECCOMP" ] && "$SECCOMP" mbind true 2>/dev/null; then
    rm -f "$TMP/ran"
    run_cmd "$SECCOMP" set_mempolicy,mbind "$NP" run --plan 2 -- touch "$TMP/ran"
    like "$rc:$err" "^1:numaplace run: cannot set the memory policy \(set_mempolicy\): Operation not permitted; " \
        "seccomp on set_mempolicy: run --plan exits 1 with one line"
    [ ! -e "$TMP/ran" ]; ok $? "... and the command did not run"
    run_cmd "$SECCOMP" set_mempolicy,mbind "$NP" run --plan 2 --plan-mem none -- true
    is "$rc:$err" "0:" "--plan-mem none does not need the memory syscalls"
    run_cmd "$SECCOMP" sched_setaffinity "$NP" run --plan 2 --plan-mem none -- touch "$TMP/ran"
    like "$rc:$err" "^1:numaplace run: cannot bind to CPUs [0-9,-]+: Operation not permitted$" \
        "seccomp on sched_setaffinity: run --plan exits 1 with one line"
    [ ! -e "$TMP/ran" ]; ok $? "... and the command did not run"
else
    skip 5 "cannot install a seccomp filter here"
fi

# --ranks R/N: the slice `plan --ranks R/N` prints, memory bound to its nodes
for r in 0/2 1/2; do
    run run --ranks $r -- "$PROBE" -n 1 -s
    is "$(printf '%s\n' "$out" | sed -n 's/^allowed //p')" "$("$NP" plan --ranks $r -f taskset)" \
        "--ranks $r: bound to the slice's CPUs"
done
is "$(probe_policy --ranks 1/2)" "2 0x0 $NODE" "--ranks: memory bound to the slice's nodes"
is "$(probe_policy --ranks 1/2 --plan-mem local)" "4 0x0 -" "--ranks --plan-mem local"
is "$(probe_policy --ranks 1/2 -i all)" "3 0x0 $NODE" "--ranks with --interleave: run's policy"
slice=$("$NP" plan --ranks 1/2 -f taskset)
run run --ranks 1/2 --plan 2 -- "$THREADS" 2
is "$out" "$(want_threads 2 2 --within "$slice")" "--ranks 1/2 --plan 2: the threads' places inside the slice"
run run --ranks 1/2 --plan 2 --policy close --dry-run
like "$out" "^cpus: $slice" "--dry-run --ranks --plan: the slice"
like "$out" "rank: 1 of 2" "--dry-run: the rank"
like "$out" "plan: $("$NP" plan 2 --policy close --within "$slice" -f preload)" "--dry-run: the plan"
like "$out" "preload: $PRELOAD" "--dry-run: the library next to the binary"
run run --plan 2 --skip 0x3 --dry-run --json
like "$out" '"skip": "0x3"' "--dry-run --json: the skip mask"
w0=$("$NP" plan 3 --policy close 2>/dev/null | sed -n 's/^worker 0: cpus \([^ ]*\) .*/\1/p')
run run --plan 3 --policy close --dry-run
like "$out" "^cpus: $w0\$" "--dry-run --plan: run itself takes worker 0's place ($w0)"

# the real launcher: the exact command of the issue, then without Open MPI's own binding (two
# ranks on two CPUs are bound to a core each by default), checked against plan --ranks R/2
if command -v mpirun >/dev/null && [ "$(nproc)" -ge 2 ]; then
    disjoint() {
        sed -n 's/.*Cpus_allowed_list:[[:space:]]*//p' | python3 -c '
import sys
def cpus(s):
    out = set()
    for part in s.split(","):
        a, _, b = part.partition("-")
        out |= set(range(int(a), int(b or a) + 1))
    return out
sets = [cpus(l.strip()) for l in sys.stdin if l.strip()]
sys.exit(0 if len(sets) == 2 and all(sets) and not (sets[0] & sets[1]) else 1)'
    }
    run_cmd timeout 120 mpirun --allow-run-as-root --oversubscribe -np 2 \
        "$NP" run --ranks auto -- sh -c 'grep Cpus_allowed_list /proc/self/status'
    is "$rc" 0 "mpirun -np 2 numaplace run --ranks auto: both ranks ran"
    printf '%s\n' "$out" | disjoint
    ok $? "mpirun -np 2 numaplace run --ranks auto: disjoint CPU sets ($(echo $out))"
    run_cmd timeout 120 mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 \
        "$NP" run --ranks auto -- sh -c 'echo "$OMPI_COMM_WORLD_LOCAL_RANK $(grep Cpus_allowed_list /proc/self/status)"'
    printf '%s\n' "$out" | disjoint
    ok $? "mpirun --bind-to none: still disjoint CPU sets ($(echo $out))"
    got=$(printf '%s\n' "$out" | sed 's/Cpus_allowed_list:[[:space:]]*//' | sort)
    is "$got" "0 $("$NP" plan --ranks 0/2 -f taskset)
1 $("$NP" plan --ranks 1/2 -f taskset)" "mpirun --bind-to none: local rank r gets plan --ranks r/2"
else
    echo "# mpirun missing: apt-get install -y openmpi-bin" >&2
    skip 4 "no mpirun (apt-get install -y openmpi-bin), or fewer than 2 CPUs"
fi

# bad inputs: exit code, exactly one line (and the Try line for usage errors), nothing ran
bad() {
    want_rc=$1 want=$2; shift 2
    rm -f "$TMP/ran"
    run run "$@" -- touch "$TMP/ran"
    [ "$want_rc" -eq 2 ] && want="$want
$TRY"
    if [ "$rc" -eq "$want_rc" ] && [ "$err" = "$want" ] && [ -z "$out" ] && [ ! -e "$TMP/ran" ]; then
        ok 0 "run $*: exit $want_rc, one line"
    else
        ok 1 "run $*: exit $want_rc, one line"
        diag "exit code: got $rc, expected $want_rc" "stderr: $err" "expected: $want"
        [ -e "$TMP/ran" ] && diag "the command ran"
    fi
}
bad 2 "numaplace run: invalid --plan '0': expected a number from 1 to 1048576" --plan 0
bad 2 "numaplace run: invalid --plan '-1': expected a number from 1 to 1048576" --plan -1
bad 2 "numaplace run: invalid --plan '4x': expected a number from 1 to 1048576" --plan 4x
bad 2 "numaplace run: invalid --policy 'wide': expected one of spread, close, compact, scatter, per-node" \
    --plan 2 --policy wide
bad 2 "numaplace run: invalid --places 'dies': expected one of cores, threads, ll_caches, numa_domains, sockets" \
    --plan 2 --places dies
bad 2 "numaplace run: invalid --smt 'maybe': expected one of last, use, avoid" --plan 2 --smt maybe
bad 2 "numaplace run: invalid --plan-mem 'far': expected one of local, node, none" --plan 2 --plan-mem far
bad 2 "numaplace run: invalid --skip '0xg': expected a hexadecimal number, such as 0x1f" \
    --plan 2 --skip 0xg
bad 2 "numaplace run: invalid --skip '0x10000000000000000': too large" \
    --plan 2 --skip 0x10000000000000000
bad 2 "numaplace run: invalid --ranks '2/2': expected auto or R/N with R < N" --ranks 2/2
bad 2 "numaplace run: invalid --ranks '0/0': expected auto or R/N with R < N" --ranks 0/0
bad 2 "numaplace run: invalid --ranks '1': expected auto or R/N with R < N" --ranks 1
bad 2 "numaplace run: invalid --ranks '1/2x': expected auto or R/N with R < N" --ranks 1/2x
bad 2 "numaplace run: invalid --ranks '0/99999999999': expected auto or R/N with R < N" --ranks 0/99999999999
bad 2 "numaplace run: invalid --within 'core:4096': out of range" --plan 2 --within core:4096
bad 2 "numaplace run: invalid --within 'socket:': invalid syntax" --plan 2 --within socket:
bad 2 "numaplace run: --policy needs --plan or --ranks" --policy close
bad 2 "numaplace run: --skip needs --plan (it picks threads to leave out of the plan)" --ranks 0/2 --skip 1
bad 2 "numaplace run: conflicting CPU bindings '--plan' and '--physcpubind': give one" --plan 2 -C 0
bad 2 "numaplace run: conflicting CPU bindings '--ranks' and '--cpunodebind': give one" --ranks 0/2 -N 0
bad 2 "numaplace run: conflicting memory policies '--membind' and '--plan-mem local': give one" \
    --plan 2 -m 0 --plan-mem local
bad 1 "numaplace run: invalid --ranks 'auto': no launcher variable found (OMPI_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID, PMI_LOCAL_RANK, PALS_LOCAL_RANKID, SLURM_LOCALID, LOCAL_RANK); use --ranks R/N" \
    --ranks auto
export OMPI_COMM_WORLD_LOCAL_RANK=2 OMPI_COMM_WORLD_LOCAL_SIZE=2
bad 1 "numaplace run: invalid --ranks 'auto': the launcher's local rank and size do not give a rank below the size (OMPI_COMM_WORLD_LOCAL_RANK=2)" \
    --ranks auto
unset OMPI_COMM_WORLD_LOCAL_RANK OMPI_COMM_WORLD_LOCAL_SIZE

# a binary with no preload library beside it, and none installed where it looks next
mkdir -p "$TMP/lonely" && cp "$NP" "$TMP/lonely/numaplace"
if "$TMP/lonely/numaplace" --version >/dev/null 2>&1; then
    rm -f "$TMP/ran"
    "$TMP/lonely/numaplace" run --plan 2 -- touch "$TMP/ran" >"$TMP/out" 2>"$TMP/err"
    rc=$? err=$(cat "$TMP/err")
    pkglib=$(printf '%s\n' "$err" | sed -n "s/.* nor in '\\(.*\\)' (build it.*/\\1/p")
    if [ -n "$pkglib" ] && [ -e "$pkglib/libnumaplace-preload.so" ]; then
        skip 1 "a preload library is installed in $pkglib"
    else
        is "$rc:$err:$(test -e "$TMP/ran" && echo ran)" "1:numaplace run: cannot find the preload library \
'libnumaplace-preload.so': neither in '$TMP/lonely' nor in '$pkglib' (build it with make, or \
reinstall):" "run --plan without the preload library: exit 1, one line, nothing ran"
    fi
else
    skip 1 "cannot run a copy of the binary from $TMP"
fi

# OpenMP: the runtime sizes its team from the mask it starts with (worker 0's place), so run
# says OMP_NUM_THREADS=N; LLVM's libomp must also keep its hands off the preload's pins
OMP_SRC=$NP_SRCDIR/tests/helpers/omp/omp-threads.c
want_omp() {
    n=$1; shift
    "$NP" plan "$n" "$@" 2>/dev/null | sed -n 's/^worker \([0-9]*\): cpus \([^ ]*\) .*/\1 \2/p' |
        while read -r k c; do echo "thread $k/$n: cpus $c"; done
}
unset OMP_NUM_THREADS OMP_PROC_BIND OMP_PLACES GOMP_CPU_AFFINITY KMP_AFFINITY
for rt in gcc:-fopenmp clang:-fopenmp=libomp; do
    cc=${rt%%:*} flag=${rt#*:}
    if command -v "$cc" >/dev/null && "$cc" $flag -O1 -o "$TMP/omp-$cc" "$OMP_SRC" 2>/dev/null; then
        run run --plan 2 --policy close --places threads -- "$TMP/omp-$cc"
        is "$(printf '%s\n' "$out" | sed 's/ node .*//')" \
            "$(want_omp 2 --policy close --places threads)" \
            "OpenMP ($cc $flag): --plan 2 gives 2 threads, each on its planned CPU"
        run_cmd env OMP_NUM_THREADS=1 "$NP" run --plan 2 -- "$TMP/omp-$cc"
        like "$out" "^thread 0/1: " "OpenMP ($cc): the user's OMP_NUM_THREADS is kept"
    else
        skip 2 "cannot build an OpenMP program with $cc $flag"
    fi
done
run run --plan 2 -- sh -c 'echo "$OMP_NUM_THREADS $KMP_AFFINITY"'
is "$out" "2 disabled" "--plan 2 sets OMP_NUM_THREADS=2 and KMP_AFFINITY=disabled"
run_cmd env OMP_PROC_BIND=true "$NP" run --plan 2 -- true
is "$rc:$err" "0:numaplace run: warning: OMP_PROC_BIND=true is set: an OpenMP runtime binds its threads by it, over the plan" \
    "--plan with OMP_PROC_BIND set: a warning, the command runs"

# a static program never loads the preload library: refused, not run unpinned
printf 'int main(void) { return 0; }\n' >"$TMP/static.c"
if cc -static -o "$TMP/static" "$TMP/static.c" 2>/dev/null; then
    run run --plan 2 -- "$TMP/static"
    is "$rc:$err" "1:numaplace run: cannot plan the threads of '$TMP/static': it is statically linked, so the preload library cannot reach them; link it dynamically, or bind it with --cpus" \
        "--plan on a static program: exit 1, one line"
    run run -C 0 -- "$TMP/static"
    is "$rc" 0 "... without --plan the static program runs"
else
    skip 2 "cannot link a static program here"
fi

# oversubscription: more workers than CPUs is said on stderr; --exclusive refuses it
ncpu=$(nproc)
n=$((ncpu + 1))
run run --plan $n --places threads -- true
like "$rc:$err" "^0:numaplace run: warning: oversubscribed: workers [0-9,-]+ share CPUs with another worker \(--exclusive refuses such a plan\)$" \
    "run --plan $n on $ncpu CPUs: a warning, the command runs"
rm -f "$TMP/ran"
run run --plan $n --places threads --exclusive -- touch "$TMP/ran"
like "$rc:$err" "^1:numaplace run: cannot give $n workers CPUs of their own: workers [0-9,-]+ would share; use fewer workers, other --places or --smt, or drop --exclusive$" \
    "run --plan $n --exclusive: exit 1, one line"
[ ! -e "$TMP/ran" ]; ok $? "... and the command did not run"
run run --plan $ncpu --places threads --exclusive -- true
is "$rc:$err" "0:" "run --plan $ncpu --exclusive on $ncpu CPUs: runs quietly"
bad 2 "numaplace run: --exclusive needs --plan or --ranks" --exclusive
bad 2 "numaplace run: --exclusive needs --plan (it refuses a plan whose workers share CPUs)" --ranks 0/2 --exclusive

done_testing
