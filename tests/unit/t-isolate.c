/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-isolate.c - IRQs (lib/irq.c), isolation (lib/isolate.c, lib/isolate-check.c) and their
 * journal (lib/journal.c) on the hand-made sysroot tests/fixtures/sysroots-extras/isolate-4cpu,
 * copied to a scratch folder wherever a test writes.  Undo is checked byte for byte with diff.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numaplace.h"
#include "extras.h"

/* A scratch copy of isolate-4cpu in @dir (a mkdtemp template), and a second for comparing. */
static int scratch(char *dir, char *orig)
{
	char root[4096], cmd[16384];

	sysroot_path("isolate-4cpu", root, sizeof(root));
	if (!mkdtemp(dir) || !mkdtemp(orig))
		return -errno;
	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s' && cp -a '%s/.' '%s'", root, dir, root, orig);
	return system(cmd) == 0 ? 0 : -EIO;
}

/* Whether @dir is byte for byte @orig again, the journals' folder aside. */
static bool same_tree(const char *dir, const char *orig)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), "diff -r -x numaplace '%s' '%s' >&2", orig, dir);
	return system(cmd) == 0;
}

static struct np_cpuset *cpus(const char *l)
{
	struct np_cpuset *s;

	if (np_cpuset_new(64, &s) < 0 || np_cpuset_parse_list(s, l, NULL) < 0)
		bail_out("cannot make a set");
	return s;
}

static void test_irq_list(void)
{
	char root[4096];
	struct np_irqs *irqs = NULL;
	const struct np_irq *q;
	struct np_cpuset *set = cpus("");
	int node = 7;

	sysroot_path("isolate-4cpu", root, sizeof(root));
	is_int(np_irq_list(root, &irqs), 0, "irq list");
	is_int((int)np_irqs_count(irqs), 6, "irq list: the numbered lines (not NMI, LOC) and IRQ 5");
	q = np_irqs_find(irqs, 25);
	ok(q != NULL, "irq 25 is found");
	if (q) {
		is_str(q->actions, "virtio0-input.0", "irq 25: its handler");
		is_str(q->chip, "PCI-MSIX-0000:00:03.0", "irq 25: its chip");
		is_str(q->device ? q->device : "(null)", "0000:00:03.0", "irq 25: the PCI device");
		is_int(q->node, 1, "irq 25: node");
		is_str(list(q->affinity), "2", "irq 25: affinity");
		is_str(np_irq_kind_name(q->kind), "managed", "irq 25: managed (debugfs)");
		ok(q->ncounts == 4 && q->counts[2] == 1200, "irq 25: 1200 on CPU 2");
	}
	q = np_irqs_find(irqs, 1);
	ok(q && q->kind == NP_IRQ_MOVABLE && strcmp(list(q->effective), "2") == 0,
	   "irq 1: movable, effective on CPU 2");
	ok(np_irqs_find(irqs, 2) == NULL && np_irqs_get(irqs, 6) == NULL, "no IRQ 2, no seventh IRQ");
	q = np_irqs_find(irqs, 5);
	ok(q && !*q->actions && !q->counts && q->kind == NP_IRQ_UNKNOWN && !q->effective &&
	   strcmp(list(q->affinity), "0-3") == 0,
	   "irq 5, without a handler: from proc/irq alone, kind unknown, affinity 0-3");
	is_int(np_irq_device_irqs(root, irqs, "eth0", set, &node), 3, "eth0: three MSI vectors");
	is_str(list(set), "24-26", "eth0: IRQs 24-26");
	is_int(node, 1, "eth0: on node 1");
	is_int(np_irq_device_irqs(root, irqs, "virtio0-input", set, &node), 2,
	       "by handler name: two IRQs");
	is_int(np_irq_device_irqs(root, irqs, "nope0", set, &node), -ENOENT, "no such device");
	is_int(np_irq_device_irqs(root, irqs, "../x", set, NULL), -ENOENT, "no path as a device");
	np_irqs_free(irqs);
	np_irqs_free(NULL);
	ok(1, "np_irqs_free(NULL) is a no-op");
	is_int(np_irq_list("/nonexistent-np", &irqs), -ENOENT, "irq list: no sysroot");
	np_cpuset_free(set);
}

static void test_irq_set_undo(void)
{
	char dir[] = "/tmp/np-t-isolate.XXXXXX", orig[] = "/tmp/np-t-isolate-o.XXXXXX";
	struct np_cpuset *set = cpus("0-1"), *empty = cpus("");
	struct np_irqs *irqs;
	char **names = NULL;

	if (scratch(dir, orig) < 0) {
		skip(9, "no scratch copy of the sysroot");
		return;
	}
	is_int(np_isolate_undo(dir, "irq"), -ENOENT, "undo: nothing recorded yet");
	is_int(np_irq_set(dir, 24, empty, NULL), -EINVAL, "set: an empty set");
	is_int(np_irq_set(dir, 99, set, NULL), -ENOENT, "set: no such IRQ");
	is_int(np_irq_set(dir, 24, set, NULL), 0, "set irq 24 to 0-1");
	is_int(np_irq_set(dir, 1, set, NULL), 0, "set irq 1 to 0-1 (same journal)");
	np_irq_list(dir, &irqs);
	is_str(list(np_irqs_find(irqs, 24)->affinity), "0-1", "irq 24 reads back 0-1");
	np_irqs_free(irqs);
	is_int(np_isolate_names(dir, &names), 1, "one journal");
	is_str(names && names[0] ? names[0] : "(null)", "irq", "it is irq's");
	np_isolate_names_free(names);
	is_int(np_isolate_undo(dir, "irq"), 0, "undo");
	ok(same_tree(dir, orig), "undo: every file as it was");
	np_cpuset_free(set);
	np_cpuset_free(empty);
	remove_dir(dir);
	remove_dir(orig);
}

static void test_create_undo(void)
{
	char dir[] = "/tmp/np-t-isolate.XXXXXX", orig[] = "/tmp/np-t-isolate-o.XXXXXX";
	struct np_cpuset *set = cpus("2-3"), *got = cpus("");
	struct np_isolate_result res;
	struct np_isolate_hit *hits = NULL;
	char buf[64], path[4200];
	size_t n = 0, i;
	FILE *f;

	if (scratch(dir, orig) < 0) {
		skip(14, "no scratch copy of the sysroot");
		return;
	}
	is_int(np_isolate_check(dir, set, NULL, &hits, &n), 5,
	       "check before: systemd, kthreadd, irqs 1, 5 and 24 can move");
	is_int((int)n, 8, "check before: and ksoftirqd/2, irqs 25-26 cannot");
	free(hits);
	is_int(np_isolate_create(dir, "rt", set, &res), 0, "create rt on 2-3");
	is_str(list(res.moved), "1,5,24", "moved: the timer, IRQ 5 and virtio0-config");
	is_str(list(res.kept), "25-26", "kept: the managed queue IRQs");
	ok(res.workqueue, "the unbound workqueue mask was narrowed");
	is_str(res.cgroup, "sys/fs/cgroup/numaplace-rt", "the partition's folder");
	np_isolate_result_release(&res);
	snprintf(path, sizeof(path), "%s/sys/devices/virtual/workqueue/cpumask", dir);
	f = fopen(path, "r");
	ok(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "3\n") == 0, "workqueue mask now 3");
	if (f)
		fclose(f);
	is_int(np_isolate_cgroup(dir, "rt", got, NULL), 0, "the partition's CPUs");
	is_str(list(got), "2-3", "they are 2-3");
	hits = NULL;
	is_int(np_isolate_check(dir, set, NULL, &hits, &n), 2,
	       "check after: only systemd and kthreadd (a sysroot has no kernel to move them)");
	for (i = 0; i < n && !(hits[i].is_irq && hits[i].id == 24); i++)
		;
	ok(i < n && !hits[i].movable && strstr(hits[i].reason, "next interrupt"),
	   "check after: irq 24, moved, still lands on 3 until its next interrupt");
	free(hits);
	is_int(np_isolate_create(dir, "rt", set, &res), -EEXIST, "create rt again: in use");
	np_isolate_result_release(&res);
	is_int(np_isolate_create(dir, "rt2", set, &res), -EBUSY, "another on 2-3: held by rt");
	ok(strstr(res.reason, "numaplace-rt") != NULL, "the reason names it: %s", res.reason);
	np_isolate_result_release(&res);
	is_int(np_isolate_undo(dir, "rt"), 0, "undo rt");
	ok(same_tree(dir, orig), "undo: every file as it was");
	is_int(np_isolate_undo(dir, "rt"), -ENOENT, "undo twice: unknown");
	np_cpuset_free(set);
	np_cpuset_free(got);
	remove_dir(dir);
	remove_dir(orig);
}

/* create refused for @why; the tree is left as it was */
static void refused(const char *dir, const char *orig, const char *l, int want, const char *why)
{
	struct np_cpuset *set = cpus(l);
	struct np_isolate_result res;

	is_int(np_isolate_create(dir, "x", set, &res), want, "refused: %s", why);
	ok(res.reason[0] || want == -EINVAL, "%s: a reason (%s)", why, res.reason);
	ok(same_tree(dir, orig), "%s: nothing changed", why);
	np_isolate_result_release(&res);
	np_cpuset_free(set);
}

static void test_refusals(void)
{
	char dir[] = "/tmp/np-t-isolate.XXXXXX", orig[] = "/tmp/np-t-isolate-o.XXXXXX";
	char cmd[16384];
	struct np_isolate_result res;

	if (scratch(dir, orig) < 0) {
		skip(18, "no scratch copy of the sysroot");
		return;
	}
	refused(dir, orig, "0-3", -ERANGE, "every CPU");
	refused(dir, orig, "3-5", -ENXIO, "an offline CPU");
	is_int(np_isolate_create(dir, "../x", NULL, &res), -EINVAL, "a NULL set");
	/* a partition the kernel would have made elsewhere */
	snprintf(cmd, sizeof(cmd),
		 "for d in '%s' '%s'; do p=$d/sys/fs/cgroup/other; mkdir -p $p; echo isolated >$p/cpuset.cpus.partition;"
		 " echo 3 >$p/cpuset.cpus.effective; done", dir, orig);
	ok(system(cmd) == 0, "another partition on CPU 3");
	refused(dir, orig, "2-3", -EBUSY, "a CPU of another partition");
	snprintf(cmd, sizeof(cmd), "for d in '%s' '%s'; do echo 'cpu memory' >$d/sys/fs/cgroup/cgroup.subtree_control; done",
		 dir, orig);
	ok(system(cmd) == 0, "cpuset not enabled");
	refused(dir, orig, "2", -ENOPKG, "the cpuset controller not enabled");
	snprintf(cmd, sizeof(cmd), "for d in '%s' '%s'; do rm $d/sys/fs/cgroup/cgroup.controllers; done", dir, orig);
	ok(system(cmd) == 0, "no cgroup2");
	refused(dir, orig, "2", -ENOTSUP, "no cgroup v2");
	remove_dir(dir);
	remove_dir(orig);
}

static void test_status(void)
{
	char root[4096];
	struct np_isolate_partition *parts = NULL;
	struct np_isolate_boot boot;
	size_t n = 9;

	sysroot_path("isolate-4cpu", root, sizeof(root));
	is_int(np_isolate_status(root, &parts, &n, &boot), 0, "status");
	is_int((int)n, 0, "no partition (system.slice is a member)");
	is_str(boot.rcu_nocbs ? boot.rcu_nocbs : "(null)", "2-3", "rcu_nocbs from the command line");
	ok(boot.isolcpus == NULL && boot.nohz_full == NULL, "no isolcpus, no nohz_full");
	is_str(list(boot.isolated), "", "the kernel's isolated list is empty");
	np_isolate_status_release(parts, n, &boot);
	is_int(np_isolate_status(root, NULL, &n, &boot), -EINVAL, "status: NULL parts");
}

/* --check's cgroup to skip: a process whose v2 line ("0::/...") is in it, at a line's start. */
static void test_skip_cgroup(void)
{
	char dir[] = "/tmp/np-t-isolate.XXXXXX", orig[] = "/tmp/np-t-isolate-o.XXXXXX";
	char path[4200];
	struct np_cpuset *set = cpus("2-3");
	struct np_isolate_hit *hits = NULL;
	size_t n = 0;
	FILE *f;

	if (scratch(dir, orig) < 0) {
		skip(2, "no scratch copy of the sysroot");
		return;
	}
	snprintf(path, sizeof(path), "%s/proc/1/cgroup", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("1:name=systemd:/x\n0::/numaplace-rt/sub\n", f);
		fclose(f);
	}
	is_int(np_isolate_check(dir, set, "numaplace-rt", &hits, &n), 4,
	       "skip numaplace-rt: systemd, below it, is no hit");
	free(hits);
	f = fopen(path, "w");
	if (f) {
		/* the old strstr("0::/") found the v2 line inside a v1 line "10::/..." */
		fputs("10::/numaplace-rt\n0::/system.slice\n", f);
		fclose(f);
	}
	hits = NULL;
	is_int(np_isolate_check(dir, set, "numaplace-rt", &hits, &n), 5,
	       "'10::/numaplace-rt' is not the v2 line: systemd still a hit");
	free(hits);
	np_cpuset_free(set);
	remove_dir(dir);
	remove_dir(orig);
}

int main(void)
{
	extras_init();
	test_irq_list();
	test_irq_set_undo();
	test_create_undo();
	test_skip_cgroup();
	test_refusals();
	test_status();
	done_testing();
	return exit_status();
}
