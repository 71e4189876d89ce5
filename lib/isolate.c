/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * isolate.c - CPUs isolated at run time: an isolated cgroup v2 cpuset partition, the movable
 * IRQs moved off, the unbound workqueues kept away; all of it journalled and undoable.
 *
 * Terminology:
 *  partition  a cgroup whose cpuset.cpus.partition is "root" or "isolated" (Linux 5.11, 6.1):
 *             its CPUs are exclusive to it; "isolated" also takes them out of the scheduler's
 *             load balancing.  The kernel may refuse ("isolated invalid (reason)") and says why
 *             in the same file.
 *  cgroup     sys/fs/cgroup under the sysroot; a partition made here is numaplace-NAME.
 *  unbound workqueue mask
 *             sys/devices/virtual/workqueue/cpumask (hex): where unbound kworkers may run.
 *             Since 6.7 an isolated partition removes its CPUs itself; before, it is done here.
 *  journal    lib/journal.c: each value recorded before it is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define CGROOT "sys/fs/cgroup"
#define WQ_MASK "sys/devices/virtual/workqueue/cpumask"
#define CPU_ONLINE "sys/devices/system/cpu/online"

void np_isolate_result_release(struct np_isolate_result *res)
{
	if (!res)
		return;
	free(res->cgroup);
	np_cpuset_free(res->kept);
	np_cpuset_free(res->moved);
	res->cgroup = NULL;
	res->kept = res->moved = NULL;
}

static int new_set(struct np_cpuset **s)
{
	return np_cpuset_new(NP__MAX_CPUS, s);
}

/* cgroup v2 with the cpuset controller for the root's children; -ENOTSUP or -ENOPKG. */
static int check_cgroup(const struct np_sysfs *fs, struct np_isolate_result *res)
{
	char ctl[512];

	if (!np__sysfs_exists(fs, CGROOT "/cgroup.controllers")) {
		snprintf(res->reason, sizeof(res->reason), "%s",
			 np__sysfs_exists(fs, CGROOT "/cpuset") ? "only cgroup v1 is mounted" :
			 "no cgroup v2 at /sys/fs/cgroup");
		return -ENOTSUP;
	}
	if (np__sysfs_read(fs, ctl, sizeof(ctl), CGROOT "/cgroup.subtree_control") < 0)
		ctl[0] = '\0';
	/* the words of cgroup.controllers, as lib/limits-cgroup.c reads them (fuzz-cgroup) */
	if (np__has_word(ctl, "cpuset", ' '))
		return 0;
	snprintf(res->reason, sizeof(res->reason),
		 "the cpuset controller is not enabled (echo +cpuset > /sys/fs/cgroup/"
		 "cgroup.subtree_control)");
	return -ENOPKG;
}

/* A partition's CPUs: the effective ones, else those asked for. */
static int read_cpus(const struct np_sysfs *fs, const char *dir, struct np_cpuset *cpus)
{
	if (np__sysfs_read_list(fs, cpus, CGROOT "/%s/cpuset.cpus.effective", dir) == 0 &&
	    !np_cpuset_empty(cpus))
		return 0;
	return np__sysfs_read_list(fs, cpus, CGROOT "/%s/cpuset.cpus", dir);
}

static bool is_partition(const char *state)
{
	return strncmp(state, "root", 4) == 0 || strncmp(state, "isolated", 8) == 0;
}

/* Another partition holding a CPU of @cpus: -EBUSY naming it. */
static int check_others(const struct np_sysfs *fs, const struct np_cpuset *cpus,
			struct np_isolate_result *res)
{
	struct np_cpuset *theirs;
	struct np__dir d;
	const char *e;
	char state[128];
	int r;

	if ((r = new_set(&theirs)) < 0)
		return r;
	if (np__dir_open(fs, &d, CGROOT) < 0) {
		np_cpuset_free(theirs);
		return 0;
	}
	while (r == 0 && (e = np__dir_next(&d))) {
		if (e[0] == '.' ||
		    np__sysfs_read(fs, state, sizeof(state), CGROOT "/%s/cpuset.cpus.partition", e) < 0 ||
		    !is_partition(state) || read_cpus(fs, e, theirs) < 0)
			continue;
		if (np_cpuset_intersects(theirs, cpus)) {
			snprintf(res->reason, sizeof(res->reason), "partition %s (%s) holds some of them",
				 e, state);
			r = -EBUSY;
		}
	}
	np__dir_close(&d);
	np_cpuset_free(theirs);
	return r;
}

/* @cpus online and not all of them: -ENXIO or -ERANGE. */
static int check_online(const struct np_sysfs *fs, const struct np_cpuset *cpus,
			struct np_cpuset *online, struct np_isolate_result *res)
{
	struct np_cpuset *off;
	char *list = NULL;
	int r;

	if ((r = np__sysfs_read_list(fs, online, CPU_ONLINE)) < 0)
		return r;
	if (np_cpuset_subset(online, cpus)) {
		snprintf(res->reason, sizeof(res->reason),
			 "every online CPU would be isolated; leave at least one for the rest");
		return -ERANGE;
	}
	if (np_cpuset_subset(cpus, online))
		return 0;
	if ((r = new_set(&off)) < 0)
		return r;
	np_cpuset_andnot(off, cpus, online);
	np_cpuset_format_list(off, 0, &list);
	snprintf(res->reason, sizeof(res->reason), "CPU %s is offline", list ? list : "?");
	free(list);
	np_cpuset_free(off);
	return -ENXIO;
}

/* mkdir, cpus, partition = isolated, then read back what the kernel made of it. */
static int make_partition(struct np__journal *j, const char *dir, const struct np_cpuset *cpus,
			  struct np_isolate_result *res)
{
	char path[320], *list = NULL, *val = NULL, state[128];
	int r;

	if (np__sysfs_exists(j->fs, "%s", dir))
		return -EEXIST;
	if ((r = np__journal_mkdir(j, dir)) < 0)
		return r;
	if (j->fs->live && !np__sysfs_exists(j->fs, "%s/cpuset.cpus.partition", dir)) {
		snprintf(res->reason, sizeof(res->reason), "this kernel has no cpuset partitions");
		return -ENOTSUP;
	}
	if ((r = np_cpuset_format_list(cpus, 0, &list)) < 0)
		return r;
	r = asprintf(&val, "%s\n", list) < 0 ? -ENOMEM : 0;
	free(list);
	snprintf(path, sizeof(path), "%s/cpuset.cpus", dir);
	if (r == 0)
		r = np__journal_write(j, path, val);
	free(val);
	snprintf(path, sizeof(path), "%s/cpuset.cpus.partition", dir);
	if (r == 0)
		r = np__journal_write(j, path, "isolated\n");
	if (r < 0)
		return r;
	if ((r = (int)np__sysfs_read(j->fs, state, sizeof(state), "%s", path)) < 0)
		return r;
	if (strcmp(state, "isolated") != 0) {
		snprintf(res->reason, sizeof(res->reason), "the kernel made the partition '%s'", state);
		return -EREMOTEIO;
	}
	return 0;
}

/* Every IRQ that may reach @cpus moved to the rest of its affinity (else to @rest). */
static int move_irqs(struct np__journal *j, const char *sysroot, const struct np_cpuset *cpus,
		     const struct np_cpuset *rest, struct np_isolate_result *res)
{
	struct np_cpuset *to;
	struct np_irqs *irqs;
	int r;

	if ((r = np_irq_list(sysroot, &irqs)) < 0)
		return r == -ENOENT ? 0 : r;
	if ((r = new_set(&to)) < 0)
		goto free_irqs;
	for (unsigned int i = 0; i < np_irqs_count(irqs) && r == 0; i++) {
		const struct np_irq *q = np_irqs_get(irqs, i);
		const struct np_cpuset *now = q->affinity ? q->affinity : q->effective;

		if (!now || !np_cpuset_intersects(now, cpus))
			continue;
		if (q->kind == NP_IRQ_MANAGED || q->kind == NP_IRQ_PER_CPU || !q->affinity) {
			r = np_cpuset_set(res->kept, q->irq);
			continue;
		}
		np_cpuset_andnot(to, q->affinity, cpus);
		if (np_cpuset_empty(to))
			np_cpuset_copy(to, rest);
		r = np__irq_write(j, q->irq, to);
		/* the kernel's refusals: EIO (managed, per-CPU, no set_affinity), and what an
		 * interrupt controller may answer (EPERM, EINVAL, ENOSPC: no vector left there) */
		if (r == -EIO || r == -EPERM || r == -EINVAL || r == -ENOSPC)
			r = np_cpuset_set(res->kept, q->irq);
		else if (r == 0)
			r = np_cpuset_set(res->moved, q->irq);
	}
	np_cpuset_free(to);
free_irqs:
	np_irqs_free(irqs);
	return r;
}

/* The unbound workqueue mask without @cpus, where the partition left them in. */
static int narrow_workqueues(struct np__journal *j, const struct np_cpuset *cpus,
			     struct np_isolate_result *res)
{
	struct np_cpuset *mask;
	char *hex = NULL, *val = NULL;
	int r;

	if (!np__sysfs_exists(j->fs, WQ_MASK))
		return 0;
	if ((r = new_set(&mask)) < 0)
		return r;
	r = np__sysfs_read_mask(j->fs, mask, WQ_MASK);
	if (r == 0 && np_cpuset_intersects(mask, cpus)) {
		np_cpuset_andnot(mask, mask, cpus);
		r = np_cpuset_format_mask(mask, 0, &hex);
		if (r == 0)
			r = asprintf(&val, "%s\n", hex) < 0 ? -ENOMEM : 0;
		if (r == 0)
			r = np__journal_write(j, WQ_MASK, val);
		res->workqueue = r == 0;
	}
	free(hex);
	free(val);
	np_cpuset_free(mask);
	return r;
}

static int create_steps(struct np__journal *j, const char *sysroot, const struct np_cpuset *cpus,
			const struct np_cpuset *online, struct np_isolate_result *res)
{
	struct np_cpuset *rest;
	int r;

	if ((r = make_partition(j, res->cgroup, cpus, res)) < 0)
		return r;
	if ((r = new_set(&rest)) < 0)
		return r;
	np_cpuset_andnot(rest, online, cpus);
	r = move_irqs(j, sysroot, cpus, rest, res);
	np_cpuset_free(rest);
	return r < 0 ? r : narrow_workqueues(j, cpus, res);
}

static int checks(const struct np_sysfs *fs, const struct np_cpuset *cpus,
		  struct np_cpuset *online, struct np_isolate_result *res)
{
	int r = check_cgroup(fs, res);

	if (r == 0)
		r = check_online(fs, cpus, online, res);
	if (r == 0)
		r = check_others(fs, cpus, res);
	return r;
}

int np_isolate_create(const char *sysroot, const char *name, const struct np_cpuset *cpus,
		      struct np_isolate_result *res)
{
	struct np_cpuset *online = NULL;
	struct np__journal j;
	struct np_sysfs *fs;
	int r;

	if (!res || !cpus || np_cpuset_empty(cpus) || !np__journal_name_ok(name))
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	if ((r = new_set(&online)) < 0 || (r = new_set(&res->kept)) < 0 ||
	    (r = new_set(&res->moved)) < 0 ||
	    (r = asprintf(&res->cgroup, CGROOT "/numaplace-%s", name) < 0 ? -ENOMEM : 0) < 0)
		goto free_fs;
	if (np__journal_exists(fs, name) || np__sysfs_exists(fs, "%s", res->cgroup)) {
		snprintf(res->reason, sizeof(res->reason), "'%s' is in use (numaplace isolate --undo %s)",
			 name, name);
		r = -EEXIST;
		goto free_fs;
	}
	if ((r = checks(fs, cpus, online, res)) < 0)
		goto free_fs;
	if ((r = np__journal_open(fs, name, false, &j)) < 0)
		goto free_fs;
	r = create_steps(&j, sysroot, cpus, online, res);
	if (r < 0 && !res->reason[0] && j.failed[0])
		snprintf(res->reason, sizeof(res->reason), "writing /%s: %s", j.failed, strerror(-r));
	if (r < 0)
		np__journal_rollback(&j);
	else
		np__journal_release(&j);
free_fs:
	np_cpuset_free(online);
	np__sysfs_free(fs);
	return r;
}

int np_isolate_undo(const char *sysroot, const char *name)
{
	struct np_sysfs *fs;
	int r;

	if (!np__journal_name_ok(name))
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	r = np__journal_undo(fs, name);
	np__sysfs_free(fs);
	return r;
}

int np_isolate_cgroup(const char *sysroot, const char *name, struct np_cpuset *cpus, char **dir)
{
	struct np_sysfs *fs;
	char *d = NULL;
	int r;

	if (!cpus || !np__journal_name_ok(name))
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	if (asprintf(&d, CGROOT "/numaplace-%s", name) < 0) {
		r = -ENOMEM;
		goto free_fs;
	}
	if (!np__sysfs_exists(fs, "%s", d))
		r = -ENOENT;
	else
		r = np__sysfs_read_list(fs, cpus, "%s/cpuset.cpus", d);
	if (r == 0 && dir) {
		*dir = d;
		d = NULL;
	}
	free(d);
free_fs:
	np__sysfs_free(fs);
	return r;
}

int np_isolate_enter(const char *sysroot, const char *name, pid_t pid)
{
	struct np_sysfs *fs;
	char path[128], val[32];
	int fd, r = 0, len;

	if (!np__journal_name_ok(name))
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	snprintf(path, sizeof(path), CGROOT "/numaplace-%s", name);
	if (!np__sysfs_exists(fs, "%s", path)) {
		r = -ENOENT;
		goto free_fs;
	}
	snprintf(path, sizeof(path), CGROOT "/numaplace-%s/cgroup.procs", name);
	/* a sysroot copy has no kernel to make the file; the live one always has it */
	fd = openat(fs->rootfd, path, O_WRONLY | O_CLOEXEC | (fs->live ? 0 : O_CREAT | O_APPEND), 0644);
	if (fd < 0) {
		r = -errno;
		goto free_fs;
	}
	len = snprintf(val, sizeof(val), "%d\n", pid ? (int)pid : (int)getpid());
	if (write(fd, val, (size_t)len) != len)
		r = -errno;
	close(fd);
free_fs:
	np__sysfs_free(fs);
	return r;
}
