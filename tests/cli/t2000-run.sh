#!/bin/sh
# numaplace run: every option does what numactl's does (checked against the installed numactl
# and against np-probe, which reads the policy back with raw syscalls), the exec exit codes,
# and the cpuset warnings.
. "$(dirname "$0")/lib.sh"

PROBE=$NP_BUILDDIR/tests/helpers/np-probe
[ -x "$PROBE" ] || skip_all "np-probe not built"
ALLOWED=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/self/status)
LAST=$(printf '%s\n' "$ALLOWED" | tr ',-' '\n\n' | sort -n | tail -1)
NODE=$(sed -n 's/^Mems_allowed_list:\t//p' /proc/self/status | sed 's/[-,].*//')

# the policy line np-probe prints under `numaplace run ARGS`
probe_policy() {
    run run "$@" -- "$PROBE" -n 8 -s
    printf '%s\n' "$out" | sed -n 's/^policy //p'
}
probe_allowed() {
    run run "$@" -- "$PROBE" -n 1 -s
    printf '%s\n' "$out" | sed -n 's/^allowed //p'
}

is "$(probe_policy -m "$NODE")" "2 0x0 $NODE" "--membind sets bind"
is "$(probe_policy --membind="$NODE")" "2 0x0 $NODE" "--membind= (long form) sets bind"
is "$(probe_policy -i "$NODE")" "3 0x0 $NODE" "--interleave sets interleave"
is "$(probe_policy -p "$NODE")" "1 0x0 $NODE" "--preferred sets preferred"
is "$(probe_policy -l)" "4 0x0 -" "--localalloc sets local"
is "$(probe_policy --localalloc)" "4 0x0 -" "--localalloc (long form)"
is "$(probe_policy -m all)" "2 0x0 $NODE" "--membind all is the allowed nodes"
is "$(probe_policy -m "$NODE" -b)" "2 0x2000 $NODE" "--balancing adds MPOL_F_NUMA_BALANCING"
is "$(probe_policy -m "$NODE" --static-nodes)" "2 0x8000 $NODE" "--static-nodes adds MPOL_F_STATIC_NODES"
is "$(probe_policy -i 0 --relative-nodes)" "3 0x4000 0" "--relative-nodes adds MPOL_F_RELATIVE_NODES"
is "$(probe_policy -m 5 --relative-nodes)" "2 0x4000 5" "--relative-nodes takes positions, not node numbers"
is "$(probe_policy -m +0)" "2 0x0 $NODE" "a relative node list (+0)"
is "$(probe_policy -N "$NODE" -m same)" "2 0x0 $NODE" "'same' repeats the previous node list"
is "$(probe_policy --nodes "$NODE")" "2 0x0 $NODE" "--nodes binds memory"
is "$(probe_policy)" "0 0x0 -" "no option leaves the default policy"

for opt in -P -w; do
    run run $opt "$NODE" -- "$PROBE" -n 8 -s
    v=$(printf '%s\n' "$out" | sed -n 's/^policy //p')
    case $opt in -P) mode=5 name=preferred-many;; -w) mode=6 name=weighted-interleave;; esac
    if [ "$rc" -eq 0 ]; then
        is "$v" "$mode 0x0 $NODE" "$opt sets $name"
    else
        like "$err" "needs Linux" "$opt: this kernel lacks $name and says so"
    fi
done

is "$(probe_allowed -C "$LAST")" "$LAST" "--physcpubind binds to one CPU"
is "$(probe_allowed --physcpubind="$LAST")" "$LAST" "--physcpubind= (long form)"
is "$(probe_allowed -C all)" "$ALLOWED" "--physcpubind all"
is "$(probe_allowed -N "$NODE")" "$ALLOWED" "--cpunodebind binds to the node's CPUs"
is "$(probe_allowed --cpus "$LAST")" "$LAST" "--cpus takes a list"
mask=$(printf '0x%x' $((1 << LAST)))
is "$(probe_allowed --cpus "$mask")" "$LAST" "--cpus takes a mask ($mask)"
is "$(probe_allowed --nodes "$NODE")" "$ALLOWED" "--nodes binds CPUs too"
is "$(probe_allowed -a -C "$LAST")" "$LAST" "--all with --physcpubind"
is "$(probe_allowed -C "+0")" "$(printf '%s\n' "$ALLOWED" | sed 's/[-,].*//')" "a relative CPU list (+0)"
if [ "$LAST" -gt 0 ]; then
    is "$(probe_allowed -C "!$LAST")" "$(printf '%s\n' "$ALLOWED" | sed 's/[-,].*//')$( [ "$LAST" -gt 1 ] && echo "-$((LAST - 1))")" \
        "an inverted CPU list (!$LAST)"
else
    skip 1 "one CPU: nothing to invert"
fi

if [ "$LAST" -gt 0 ] && command -v taskset >/dev/null 2>&1; then
    run_cmd taskset -c 0 "$NP" run -C "$LAST" -- "$PROBE" -n 1 -s
    is "$rc:$(printf '%s\n' "$out" | sed -n 's/^allowed //p')" "0:$LAST" \
        "a CPU outside this process's affinity but inside its cpuset is accepted"
    is "$err" "" "... without a warning"
else
    skip 2 "needs 2 CPUs and taskset"
fi

# the command runs with its arguments, stdin, and its own exit code
run run -- sh -c 'echo "$0 $1"; exit 3' a b
is "$rc" 3 "the command's exit code is run's"
is "$out" "a b" "the command gets its arguments"
run run -m "$NODE" sh -c 'exit 0'
is "$rc" 0 "'--' is optional before the command"
is "$(echo hi | "$NP" run -l -- cat)" "hi" "stdin reaches the command"
run run -- "$TMP/nosuch"
is "$rc" 127 "a command that does not exist exits 127"
is "$err" "numaplace run: cannot run '$TMP/nosuch': No such file or directory" "... and says so"
printf 'x' >"$TMP/noexec"; chmod 644 "$TMP/noexec"
run run -- "$TMP/noexec"
is "$rc" 126 "a command that cannot be executed exits 126"
like "$err" "^numaplace run: cannot run '.*noexec': Permission denied$" "... and says so"

expect_code 0 "run --help exits 0" run --help
like "$out" "--cpunodebind" "run --help lists the options"

# ---- the same options through numactl and numaplace run ----
if ! command -v numactl >/dev/null 2>&1; then
    skip 40 "numactl is not installed"
else
    diff_case() {
        run_cmd numactl "$@" grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status
        want=$out
        run run "$@" -- grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status
        is "$out" "$want" "numactl $*: same /proc/self/status"
        run_cmd numactl "$@" numactl --show
        want=$out
        run run "$@" -- numactl --show
        is "$out" "$want" "numactl $*: same numactl --show"
    }
    for args in "-m $NODE" "-i $NODE" "-p $NODE" "-P $NODE" "-l" "-N $NODE" "-C $LAST" "-C 0" \
                "-C all" "-m all" "-i all" "-N all" "-C +0" "-b -m $NODE" "-N $NODE -m $NODE" \
                "-C $LAST -i $NODE" "-a -C $LAST" "-a -m $NODE" "-m $NODE -N same" "-C 0-$LAST -l"; do
        # shellcheck disable=SC2086
        diff_case $args
    done
fi

# ---- page placement through np-probe, both ways ----
if command -v numactl >/dev/null 2>&1; then
    for args in "-m $NODE" "-i $NODE" "-p $NODE" "-l"; do
        # shellcheck disable=SC2086
        run_cmd numactl $args "$PROBE" -n 32 -s
        want=$(printf '%s\n' "$out" | grep -E '^(policy|nodes|allowed) ')
        # shellcheck disable=SC2086
        run run $args -- "$PROBE" -n 32 -s
        is "$(printf '%s\n' "$out" | grep -E '^(policy|nodes|allowed) ')" "$want" \
            "numactl $args: same policy and page placement (np-probe)"
    done
else
    skip 4 "numactl is not installed"
fi

# ---- a cgroup cpuset that excludes a CPU: warn, do not fail ----
CG=/sys/fs/cgroup/cpuset
if [ "$LAST" -gt 0 ] && [ -w "$CG" ] && mkdir "$CG/np-t2000-$$" 2>/dev/null; then
    echo 0 >"$CG/np-t2000-$$/cpuset.cpus" && echo "$NODE" >"$CG/np-t2000-$$/cpuset.mems"
    incg() { sh -c 'echo $$ >"$0/tasks" && exec "$@"' "$CG/np-t2000-$$" "$@"; }
    incg "$NP" run -C "0,$LAST" -- "$PROBE" -n 1 -s >"$TMP/out" 2>"$TMP/err"; rc=$?
    is "$rc" 0 "a CPU outside the cgroup's cpuset: still runs"
    is "$(cat "$TMP/err")" "numaplace run: warning: --physcpubind '0,$LAST': CPUs $LAST are outside this process's cpuset (0); the command will not run there" \
        "... with a warning naming the CPUs"
    is "$(sed -n 's/^allowed //p' "$TMP/out")" "0" "... and binds to the rest"
    incg "$NP" run -a -C "0-$LAST" -- true 2>"$TMP/err"; rc=$?
    is "$rc" 0 "--all with CPUs outside the cpuset: still runs"
    like "$(cat "$TMP/err")" "warning: --physcpubind '0-$LAST': CPUs [0-9,-]+ are outside" "... with a warning"
    incg "$NP" run -a -N "$NODE" -- true 2>"$TMP/err"; rc=$?
    is "$rc" 0 "--all --cpunodebind reaching beyond the cpuset: still runs"
    like "$(cat "$TMP/err")" "^numaplace run: warning: --cpunodebind '$NODE': CPUs [0-9,-]+ are outside this process's cpuset \(0\)" \
        "... with a warning"
    incg "$NP" run -C "$LAST" -- true 2>"$TMP/err"; rc=$?
    is "$rc" 1 "only CPUs outside the cpuset: fails"
    is "$(cat "$TMP/err")" "numaplace run: invalid --physcpubind '$LAST': none of these CPUs is in this process's cpuset (0)" \
        "... saying why"
    rmdir "$CG/np-t2000-$$" 2>/dev/null || { sleep 1; rmdir "$CG/np-t2000-$$"; }
else
    skip 9 "cannot make a cpuset cgroup here (needs root, cgroup v1 cpuset and 2 CPUs)"
fi

# CPUs and nodes in the one set grammar (masks, locations), resolved on captured machines
if dir=$(fixture 64amd64-4s2n4ca2co 2>/dev/null); then
    run run --sysroot "$dir" --cpus ff,ffffffff
    is "$rc:$out" "0:cpus: 0-39
policy: unchanged" "--cpus takes a sysfs mask (ff,ffffffff)"
    run run --sysroot "$dir" --cpus node:1 -m package:1
    is "$rc:$out" "0:cpus: 8-15
policy: bind:2-3" "--cpus and --membind take locations (node:1, package:1)"
else
    skip 2 "fixture 64amd64-4s2n4ca2co missing"
fi
# --all: "all" is every online CPU; those outside the cgroup cpuset are dropped with a warning
if dir=$(fixture 16amd64-8n2c-cpusets 2>/dev/null); then
    run run --sysroot "$dir" -a -C all
    is "$rc:$out" "0:cpus: 0-3,5-6,12-15
policy: unchanged" "-a -C all: the online CPUs within the cpuset"
    is "$err" "numaplace run: warning: --physcpubind 'all': CPUs 7-11 are outside this process's cpuset (0-3,5-6,12-15); the command will not run there" \
        "... naming those left out"
else
    skip 2 "fixture 16amd64-8n2c-cpusets missing"
fi

done_testing
