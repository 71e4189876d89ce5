# isolate.sh - sourced by tests.sh inside the guest (busybox sh): `numaplace isolate` on a real
# kernel.  With CPUs 2-3 of a 4-CPU guest isolated: an unbound CPU hog sampled for seconds never
# runs on 2-3; no IRQ that could move still targets 2-3 and the others are the ones isolate
# listed; --check passes; a command started with `run --isolated` runs on 2-3 only; --undo
# leaves every file it touched byte for byte as it was.  Then the refusals: every CPU, a CPU
# held by the partition, a partition the kernel makes invalid (a sibling holding the CPUs),
# --undo of an unknown name; each leaves nothing behind.
#
# Terminology (beyond tests.sh's):
#   snap   every file isolate may write: each IRQ's smp_affinity_list, the unbound workqueue
#          mask, and the cgroup folders there are

N_ISOLATE=26
CG=/sys/fs/cgroup

# iso_snap FILE: the state isolate may change, into FILE
iso_snap() {
	for f in /proc/irq/*/smp_affinity_list /sys/devices/virtual/workqueue/cpumask; do
		[ -f "$f" ] && printf '== %s\n%s\n' "$f" "$(cat "$f")"
	done >"$1"
	ls $CG >>"$1"
}
# iso_cpus LIST: a cpulist as " 0 1 2 " (for membership by string match)
iso_cpus() {
	echo "$1" | awk -F, '{ s = " "; for (i = 1; i <= NF; i++) { n = split($i, r, "-"); lo = r[1]; hi = n > 1 ? r[2] : r[1]; for (c = lo; c <= hi; c++) s = s c " " } print s }'
}
# iso_sample PID SECONDS: the CPUs PID ran on, sampled every 0.1 s, as " c c c "
iso_sample() {
	local i=0 seen=" "
	while [ $i -lt $(($2 * 10)) ]; do
		c=$(awk '{ print $39 }' /proc/$1/stat 2>/dev/null)
		[ -n "$c" ] && case "$seen" in *" $c "*) ;; *) seen="$seen$c " ;; esac
		usleep 100000
		i=$((i + 1))
	done
	echo "$seen"
}

section "8. isolate"
if ! have isolate --help; then
	skip $N_ISOLATE "numaplace isolate is not implemented yet"
elif [ "$(cat /sys/devices/system/cpu/online)" != "0-3" ]; then
	skip $N_ISOLATE "isolate's checks want a 4-CPU guest (this one: $(cat /sys/devices/system/cpu/online))"
elif [ ! -f $CG/cgroup.controllers ] || ! grep -qw cpuset $CG/cgroup.subtree_control; then
	skip $N_ISOLATE "no cgroup v2 cpuset controller in this guest"
else
	iso_snap $T/iso.before
	"$NP" isolate 2-3 --name t >$T/iso.out 2>$T/iso.err
	r=$?
	ok $r "isolate 2-3 --name t (exit $r)" || diag "$(cat $T/iso.out $T/iso.err)" "$(dmesg | tail -5)"
	diag "$(cat $T/iso.out)"
	is "$(cat $CG/numaplace-t/cpuset.cpus.partition)" isolated "the partition is isolated"
	is "$(cat $CG/numaplace-t/cpuset.cpus.effective)" 2-3 "the partition holds 2-3"
	left=$(iso_cpus "$(sed -n 's/^irqs left (managed or per-CPU): //p' $T/iso.out | sed 's/none//')")
	bad=
	for d in /proc/irq/[0-9]*; do
		a=$(cat $d/smp_affinity_list 2>/dev/null) || continue
		case "$(iso_cpus "$a")" in *" 2 "* | *" 3 "*)
			case "$left" in *" ${d##*/} "*) ;; *) bad="$bad ${d##*/}:$a" ;; esac ;;
		esac
	done
	is "$bad" "" "no IRQ but those isolate listed as managed or per-CPU targets 2-3"
	diag "left on 2-3 (managed or per-CPU):$left"
	sh -c 'while :; do :; done' &
	hog=$!
	seen=$(iso_sample $hog 4)
	case "$seen" in *" 2 "* | *" 3 "*) r=1 ;; *) r=0 ;; esac
	ok $r "an unbound CPU hog sampled for 4 s never ran on 2-3 (ran on:$seen)"
	"$NP" isolate --check 2-3 --name t >$T/iso.check 2>&1
	r=$?
	ok $r "isolate --check 2-3: nothing movable left (exit $r)" || diag "$(cat $T/iso.check)"
	"$NP" isolate --check 2-3 --json --name t >$T/iso.check.json 2>&1
	grep -q '"movable": *0' $T/iso.check.json
	ok $? "isolate --check --json: movable 0"
	"$NP" run --isolated t -- sh -c 'grep Cpus_allowed_list /proc/self/status; cat /proc/self/cgroup' >$T/iso.run 2>&1
	ok $? "run --isolated t" || diag "$(cat $T/iso.run)"
	grep -q "Cpus_allowed_list:.2-3$" $T/iso.run
	ok $? "run --isolated: the command may run on 2-3 only" || diag "$(cat $T/iso.run)"
	grep -q "^0::/numaplace-t$" $T/iso.run
	ok $? "run --isolated: the command is in the partition" || diag "$(cat $T/iso.run)"
	"$NP" run --isolated t -- sh -c 'while :; do :; done' &
	spin=$!
	usleep 300000
	seen=$(iso_sample $spin 2)
	case "$seen" in *" 0 "* | *" 1 "*) r=1 ;; *) r=0 ;; esac
	[ "$seen" = " " ] && r=1
	ok $r "a spinning command under run --isolated ran on 2-3 only (ran on:$seen)"
	"$NP" bench affinity --isolated t -n 20000000 --quiet --json --svg $T/iso.svg >$T/iso.bench 2>&1
	ok $? "bench affinity --isolated t" || diag "$(cat $T/iso.bench)"
	is "$(grep -c '"p99_us"' $T/iso.bench) $(grep -c '<svg' $T/iso.svg 2>/dev/null)" "3 1" \
		"bench affinity --isolated: p50, p99, max for the three modes, and the SVG"
	diag "$(tr -d ' \n' <$T/iso.bench)"
	"$NP" isolate >$T/iso.list 2>&1
	grep -q "^  numaplace-t: 2-3 (isolated)$" $T/iso.list && grep -q "^undoable: t$" $T/iso.list
	ok $? "isolate: lists the partition and its name" || diag "$(cat $T/iso.list)"
	"$NP" isolate 3 --name t2 >$T/iso.busy 2>&1
	r=$?
	ok $([ $r = 1 ] && grep -q "numaplace-t" $T/iso.busy; echo $?) "isolate 3 --name t2: CPU 3 held by t (exit $r)" ||
		diag "$(cat $T/iso.busy)"
	[ -d $CG/numaplace-t2 ]
	ok $((! $?)) "... and nothing of t2 was left"
	kill -KILL $hog $spin 2>/dev/null
	wait $hog $spin 2>/dev/null
	"$NP" isolate --undo t >$T/iso.undo 2>&1
	ok $? "isolate --undo t" || diag "$(cat $T/iso.undo)"
	iso_snap $T/iso.after
	cmp -s $T/iso.before $T/iso.after
	ok $? "isolate --undo: every file as it was" || diag "$(diff $T/iso.before $T/iso.after)"
	"$NP" isolate --undo t >$T/iso.undo2 2>&1
	r=$?
	ok $([ $r = 1 ] && grep -q "nothing to undo for 't'" $T/iso.undo2; echo $?) "isolate --undo t again: unknown (exit $r)"

	# refusals, each leaving the guest as it was
	"$NP" isolate 0-3 --name all >$T/iso.all 2>&1
	r=$?
	ok $([ $r = 1 ] && grep -q "every online CPU" $T/iso.all; echo $?) "isolate 0-3: every CPU refused (exit $r)" ||
		diag "$(cat $T/iso.all)"
	mkdir $CG/np-sibling && echo 2-3 >$CG/np-sibling/cpuset.cpus
	iso_snap $T/iso.before
	"$NP" isolate 2-3 --name bad >$T/iso.bad 2>&1
	r=$?
	ok $([ $r = 1 ]; echo $?) "isolate 2-3 beside a sibling holding 2-3: refused (exit $r)"
	diag "$(cat $T/iso.bad)"
	grep -q "nothing was changed" $T/iso.bad
	ok $? "... says nothing was changed"
	iso_snap $T/iso.after
	cmp -s $T/iso.before $T/iso.after
	ok $? "... and nothing was" || diag "$(diff $T/iso.before $T/iso.after)"
	rmdir $CG/np-sibling
	[ -e /run/numaplace/isolate/bad ]
	ok $((! $?)) "... not even its journal"

	# irq: the list against /proc/irq
	"$NP" irq >$T/irq.out 2>&1
	ok $? "irq: exit 0" || diag "$(cat $T/irq.out)"
	is "$(($(wc -l <$T/irq.out) - 1))" "$(ls -d /proc/irq/[0-9]* | wc -l)" "irq: a line per IRQ of /proc/irq"
fi
