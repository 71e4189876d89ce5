#!/bin/sh
# numaplace isolate: the listing, create, --check and --undo on a copy of the hand-made sysroot
# tests/fixtures/sysroots-extras/isolate-4cpu (CPUs 0-3, cgroup v2 with cpuset, a virtio NIC
# with managed IRQs); each refusal leaves the tree byte for byte as it was, and --undo too.
# The live machine's partitions are the QEMU tier's.
. "$(dirname "$0")/lib.sh"

SRC=$NP_SRCDIR/tests/fixtures/sysroots-extras/isolate-4cpu
S=$TMP/iso
O=$TMP/orig
cp -a "$SRC" "$S" && cp -a "$SRC" "$O" || skip_all "cannot copy $SRC"
same() { diff -r "$O" "$S" >&2; }

expect_code 0 "isolate alone: the listing" isolate --sysroot "$S"
is "$out" "partitions:
  none
isolcpus=
nohz_full=
rcu_nocbs=2-3
isolated (kernel): none
undoable: none" "isolate: partitions, the command line, the kernel's list, what can be undone"
expect_code 0 "isolate --json" isolate --json --sysroot "$S"
is "$(printf '%s\n' "$out" | tr -d ' \n')" '{"partitions":[],"boot":{"isolcpus":null,"nohz_full":null,"rcu_nocbs":"2-3","isolated":""},"undoable":[]}' "isolate --json"

expect_code 1 "isolate --check node:1: movable threads and IRQs remain" isolate --check node:1 --sysroot "$S"
like "$out" "^thread +20  ksoftirqd/2 +per-CPU kernel thread$" "--check: a per-CPU kernel thread, with its reason"
like "$out" "^irq +25  virtio0-input.0 +managed IRQ$" "--check: a managed IRQ, with its reason"
like "$out" "^irq +24  virtio0-config +movable$" "--check: a movable IRQ"
like "$out" "^5 movable, 3 that cannot move$" "--check: the count"
expect_code 1 "isolate --check 0 --json" isolate --check 0 --json --sysroot "$S"
like "$(printf '%s\n' "$out" | tr -d ' \n')" '"kind":"irq","irq":9,"name":"acpi","movable":true,"reason":null' "--check --json: kind, id, name, movable, reason"

expect_code 0 "isolate node:1 --name rt" isolate node:1 --name rt --sysroot "$S"
is "$out" "isolated: 2-3
partition: /sys/fs/cgroup/numaplace-rt
irqs moved: 1,5,24
irqs left (managed or per-CPU): 25-26
unbound workqueues: moved off
undo: numaplace isolate --undo rt" "isolate: what it did"
is "$(cat "$S/sys/fs/cgroup/numaplace-rt/cpuset.cpus.partition")" isolated "the partition is isolated"
is "$(cat "$S/proc/irq/24/smp_affinity_list") $(cat "$S/proc/irq/1/smp_affinity_list")" "0-1 0-1" "IRQs 24 and 1 moved to 0-1"
is "$(cat "$S/sys/devices/virtual/workqueue/cpumask")" 3 "the workqueue mask without 2-3"
expect_code 0 "isolate lists it" isolate --sysroot "$S"
like "$out" "^  numaplace-rt: 2-3 \(isolated\)$" "... the partition"
like "$out" "^undoable: rt$" "... and its name"
expect_code 0 "run --isolated rt --dry-run: the partition's CPUs" run --isolated rt --sysroot "$S" -- true
is "$out" "cpus: 2-3
policy: unchanged" "run --isolated: bound to 2-3"
expect_code 1 "run --isolated nope" run --isolated nope --sysroot "$S" -- true
is "$err" "numaplace run: no isolated partition 'nope' (numaplace isolate CPUS --name nope makes one)" "... says so"
expect_code 1 "isolate node:1 --name rt again" isolate node:1 --name rt --sysroot "$S"
like "$err" "^numaplace isolate: cannot isolate 'node:1': 'rt' is in use" "... in use"
expect_code 1 "isolate 3 --name other: held by rt" isolate 3 --name other --sysroot "$S"
like "$err" "partition numaplace-rt \(isolated\) holds some of them" "... names the partition"
expect_code 0 "isolate --undo rt" isolate --undo rt --sysroot "$S"
is "$out" "rt: every value restored" "--undo: says so"
same
ok $? "--undo: every file as it was"
expect_code 1 "isolate --undo rt again" isolate --undo rt --sysroot "$S"
is "$err" "numaplace isolate: nothing to undo for 'rt': no such name, or its state was lost (run/numaplace/isolate/rt); see 'numaplace isolate'" "--undo unknown: says so"

expect_code 1 "bench affinity --isolated nope: no such partition" bench affinity --isolated np-no-such-partition -n 100000 --quiet
is "$err" "numaplace bench affinity: no isolated partition 'np-no-such-partition' (numaplace isolate CPUS --name np-no-such-partition makes one)" "... says so"
expect_code 2 "bench affinity --svg without --isolated" bench affinity --svg "$TMP/x.svg"

# refusals: each leaves the tree as it was
expect_code 1 "isolate 0-3: every CPU" isolate 0-3 --sysroot "$S"
like "$err" "every online CPU would be isolated" "... says so"
like "$err" "nothing was changed" "... and that nothing changed"
same
ok $? "every CPU: nothing changed"
expect_code 2 "isolate 4: no such CPU" isolate 4 --sysroot "$S"
expect_code 2 "isolate 2 --name ../x: a bad name" isolate 2 --name ../x --sysroot "$S"
like "$err" "invalid --name '../x'" "... says so"
expect_code 2 "isolate --undo rt --check 2" isolate --undo rt --check 2 --sysroot "$S"
expect_code 2 "isolate 2 3: one CPUS" isolate 2 3 --sysroot "$S"
echo "0-2" >"$S/sys/devices/system/cpu/online"; cp "$S/sys/devices/system/cpu/online" "$O/sys/devices/system/cpu/online"
expect_code 1 "isolate 3: CPU 3 offline" isolate 3 --sysroot "$S"
like "$err" "CPU 3 is offline" "... says which"
echo "0-3" >"$S/sys/devices/system/cpu/online"; cp "$S/sys/devices/system/cpu/online" "$O/sys/devices/system/cpu/online"
for d in "$S" "$O"; do echo "cpu memory" >"$d/sys/fs/cgroup/cgroup.subtree_control"; done
expect_code 1 "isolate 3: cpuset not enabled" isolate 3 --sysroot "$S"
like "$err" "the cpuset controller is not enabled" "... says so"
for d in "$S" "$O"; do rm "$d/sys/fs/cgroup/cgroup.controllers"; mkdir "$d/sys/fs/cgroup/cpuset"; done
expect_code 1 "isolate 3: cgroup v1 only" isolate 3 --sysroot "$S"
like "$err" "only cgroup v1 is mounted" "... says so"
same
ok $? "refusals: nothing changed"
if [ "$(id -u)" != 0 ]; then
	expect_code 1 "isolate 0 on the live machine, not root" isolate 0
	like "$err" "needs root" "... says so"
else
	skip 2 "running as root: the live machine is not touched here"
fi

done_testing
