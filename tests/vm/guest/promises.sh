# promises.sh - sourced by tests.sh in the guest (busybox sh), issue 12's "every promise
# holds" on real nodes: migrate's counts, and `numaplace run --plan N` on OpenMP programs,
# libgomp (gcc) and libomp (LLVM), dynamically linked (their libraries are in the initramfs,
# see mkinitramfs.sh), so the preload library reaches them.  N is the guest's
# CPU count with one CPU per place, so the workers cover every CPU node: each OpenMP thread k
# must run on worker k's CPU and its first-touched page must be on local(worker k's node).
# Uses tests.sh's TAP helpers, $NP, $PROBE, $T, $NPAGES, have(), v(), wait_for(), M0, ML and
# LOCAL_N.

section "8. migrate's counts"
if [ $HAVE_RUN = 1 ] && have migrate --help && [ "$M0" != "$ML" ]; then
	"$NP" run --preferred=$M0 -- "$PROBE" --hold -n $NPAGES >$T/cnt.out 2>&1 &
	wait_for $T/cnt.out '^end$' 1
	pid=$(pidof guest-probe)
	sum=$("$NP" migrate "$pid" $M0 $M0 2>&1)
	echo "$sum" | grep -Eq "^pid $pid: ([0-9]+) pages: 0 moved, \1 already there, 0 not present, 0 failed$" &&
		[ "$(echo "$sum" | sed 's/.*: \([0-9]*\) pages.*/\1/')" -ge $NPAGES ]
	ok $? "migrate $pid $M0 $M0: every page counted as already there (>= $NPAGES)" || diag "$sum"
	sum=$("$NP" migrate "$pid" $M0 $ML 2>&1)
	echo "$sum" | grep -Eq "^pid $pid: ([0-9]+) pages: \1 moved, 0 already there, 0 not present, 0 failed$" &&
		[ "$(echo "$sum" | sed 's/.*: \([0-9]*\) pages.*/\1/')" -ge $NPAGES ]
	ok $? "migrate $pid $M0 $ML: every page counted as moved (>= $NPAGES)" || diag "$sum"
	kill -TERM "$pid"
	wait
else
	skip 2 "numaplace migrate or run is missing, or one memory node"
fi

section "9. run --plan with OpenMP"
# libomp registers itself in /dev/shm, which the initramfs does not mount
grep -q ' /dev/shm ' /proc/mounts || { mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm; }
ncpu=$(grep -c '^processor' /proc/cpuinfo)
for rt in gomp llvm; do
	prog=/np/bin/omp-$rt
	if ! have run --help || [ ! -x "$prog" ] || [ ! -f /np/bin/libnumaplace-preload.so ]; then
		skip 2 "omp-$rt or the preload library is not in the initramfs (no compiler for it on the host)"
		continue
	fi
	"$NP" plan "$ncpu" --places threads 2>/dev/null |
		sed -n 's/^worker \([0-9]*\): cpus \([0-9]*\)  node \([0-9]*\).*/\1 \2 \3/p' >$T/omp.plan
	want=$(while read -r k c n; do echo "thread $k/$ncpu: cpus $c node $(v LOCAL "$n")"; done <$T/omp.plan)
	"$NP" run --plan "$ncpu" --places threads -- "$prog" >$T/omp.out 2>$T/omp.err
	ok $? "run --plan $ncpu -- omp-$rt: exit 0" || diag "$(cat $T/omp.err)"
	is "$(cat $T/omp.out)" "$want" "omp-$rt: $ncpu OpenMP threads, each on its worker's CPU, its first page on that CPU's local node"
done
