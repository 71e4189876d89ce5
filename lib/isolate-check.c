/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * isolate-check.c - what is isolated and the proof of it: the partitions, the boot-time
 * isolation, the journals, and every thread and IRQ that may still run on given CPUs.
 *
 * Terminology:
 *  thread     proc/P/task/T: its affinity from status (Cpus_allowed_list), its flags from stat
 *             (field 9).  PF_NO_SETAFFINITY (0x04000000) marks kernel threads bound to a CPU
 *             by the kernel (per-CPU kworkers, ksoftirqd, migration): they cannot be moved.
 *  IRQ        as lib/irq.c: its effective affinity (else its affinity) is where it lands.
 *  boot       isolcpus=, nohz_full=, rcu_nocbs= of proc/cmdline and the kernel's own list,
 *             sys/devices/system/cpu/isolated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PF_KTHREAD 0x00200000u
#define PF_NO_SETAFFINITY 0x04000000u

struct hits {
	struct np_isolate_hit *v;
	size_t n;
	int movable;
};

static int add_hit(struct hits *h, const struct np_isolate_hit *hit)
{
	struct np_isolate_hit *nv = realloc(h->v, (h->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	h->v = nv;
	h->v[h->n++] = *hit;
	h->movable += hit->movable;
	return 0;
}

/* comm and flags (field 9) from proc/P/task/T/stat (np__stat_comm(), np__stat_field()) */
static int read_stat(const struct np_sysfs *fs, unsigned int pid, unsigned int tid, char *comm,
		     size_t size, unsigned long *flags)
{
	unsigned long long f;
	const char *name;
	char buf[1024];
	size_t len;

	if (np__sysfs_read(fs, buf, sizeof(buf), "proc/%u/task/%u/stat", pid, tid) < 0)
		return -ENOENT;
	if (np__stat_comm(buf, &name, &len) < 0 || np__stat_field(buf, 9, &f) < 0)
		return -EINVAL;
	snprintf(comm, size, "%.*s", (int)len, name);
	*flags = (unsigned long)f;
	return 0;
}

/* Whether process @pid is in cgroup @skip (its v2 line "0::/skip" or below). */
static bool in_cgroup(const struct np_sysfs *fs, unsigned int pid, const char *skip)
{
	char buf[1024], *p;
	size_t n;

	if (!skip || np__sysfs_read(fs, buf, sizeof(buf), "proc/%u/cgroup", pid) < 0)
		return false;
	p = strstr(buf, "0::/");
	n = strlen(skip);
	return p && strncmp(p + 4, skip, n) == 0 && (p[4 + n] == '\0' || p[4 + n] == '\n' ||
						      p[4 + n] == '/');
}

static int check_thread(const struct np_sysfs *fs, unsigned int pid, unsigned int tid,
			const struct np_cpuset *cpus, struct np_cpuset *allowed, struct hits *h)
{
	struct np_isolate_hit hit = { .id = tid, .pid = (pid_t)pid };
	char buf[4096], *p;
	unsigned long flags;

	if (np__sysfs_read(fs, buf, sizeof(buf), "proc/%u/task/%u/status", pid, tid) < 0 ||
	    !(p = strstr(buf, "Cpus_allowed_list:")))
		return 0; /* gone meanwhile */
	p += strlen("Cpus_allowed_list:");
	p += strspn(p, " \t");
	p[strcspn(p, "\n")] = '\0';
	if (np_cpuset_parse_list(allowed, p, NULL) < 0 || !np_cpuset_intersects(allowed, cpus))
		return 0;
	if (read_stat(fs, pid, tid, hit.name, sizeof(hit.name), &flags) < 0)
		return 0;
	hit.movable = !(flags & PF_NO_SETAFFINITY);
	if (!hit.movable)
		hit.reason = flags & PF_KTHREAD ? "per-CPU kernel thread" : "affinity fixed by the kernel";
	return add_hit(h, &hit);
}

static int check_process(const struct np_sysfs *fs, unsigned int pid, const struct np_cpuset *cpus,
			 struct np_cpuset *allowed, struct hits *h)
{
	unsigned int *tids = NULL, n = 0;
	char dir[64];
	int r;

	snprintf(dir, sizeof(dir), "proc/%u/task", pid);
	if (np__sysfs_dir_ids(fs, dir, "", INT32_MAX, &tids, &n) < 0)
		return 0;
	r = 0;
	for (unsigned int i = 0; i < n && r == 0; i++)
		r = check_thread(fs, pid, tids[i], cpus, allowed, h);
	free(tids);
	return r;
}

static int check_threads(const struct np_sysfs *fs, const struct np_cpuset *cpus,
			 const char *skip, struct hits *h)
{
	struct np_cpuset *allowed;
	unsigned int *pids = NULL, n = 0;
	int r;

	if ((r = np__sysfs_dir_ids(fs, "proc", "", INT32_MAX, &pids, &n)) < 0)
		return r;
	if ((r = np_cpuset_new(NP__MAX_CPUS, &allowed)) < 0)
		goto free_pids;
	for (unsigned int i = 0; i < n && r == 0; i++)
		if (!in_cgroup(fs, pids[i], skip))
			r = check_process(fs, pids[i], cpus, allowed, h);
	np_cpuset_free(allowed);
free_pids:
	free(pids);
	return r;
}

static int check_irqs(const char *sysroot, const struct np_cpuset *cpus, struct hits *h)
{
	struct np_irqs *irqs;
	int r = np_irq_list(sysroot, &irqs);

	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (unsigned int i = 0; i < np_irqs_count(irqs) && r == 0; i++) {
		const struct np_irq *q = np_irqs_get(irqs, i);
		const struct np_cpuset *at = q->effective ? q->effective : q->affinity;
		struct np_isolate_hit hit = { .is_irq = true, .id = q->irq };

		if (!at || !np_cpuset_intersects(at, cpus))
			continue;
		snprintf(hit.name, sizeof(hit.name), "%s", *q->actions ? q->actions : q->chip);
		hit.movable = q->kind == NP_IRQ_MOVABLE || q->kind == NP_IRQ_UNKNOWN;
		/* x86 moves an IRQ at its next interrupt: the affinity is set, the move pending */
		if (hit.movable && q->affinity && !np_cpuset_intersects(q->affinity, cpus)) {
			hit.movable = false;
			hit.reason = "moved; the kernel follows at its next interrupt";
		} else if (!hit.movable)
			hit.reason = q->kind == NP_IRQ_MANAGED ? "managed IRQ" :
				     q->kind == NP_IRQ_PER_CPU ? "per-CPU IRQ" : "the kernel refuses";
		r = add_hit(h, &hit);
	}
	np_irqs_free(irqs);
	return r;
}

int np_isolate_check(const char *sysroot, const struct np_cpuset *cpus, const char *skip_cgroup,
		     struct np_isolate_hit **hits, size_t *nhits)
{
	struct hits h = { 0 };
	struct np_sysfs *fs;
	int r;

	if (!cpus || !hits || !nhits)
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	r = check_threads(fs, cpus, skip_cgroup, &h);
	if (r == 0)
		r = check_irqs(sysroot, cpus, &h);
	np__sysfs_free(fs);
	if (r < 0) {
		free(h.v);
		return r;
	}
	*hits = h.v;
	*nhits = h.n;
	return h.movable;
}

/* ---- status ---- */

/* The value of @key= in the command line @cmd, malloc'd, or NULL. */
static char *cmdline_value(const char *cmd, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = cmd; (p = strstr(p, key)); p += n) {
		if ((p == cmd || p[-1] == ' ') && p[n] == '=')
			return strndup(p + n + 1, strcspn(p + n + 1, " \n"));
	}
	return NULL;
}

static int read_boot(const struct np_sysfs *fs, struct np_isolate_boot *b)
{
	char *cmd = NULL;
	int r;

	memset(b, 0, sizeof(*b));
	if (np__sysfs_read_alloc(fs, &cmd, NULL, "proc/cmdline") == 0) {
		b->isolcpus = cmdline_value(cmd, "isolcpus");
		b->nohz_full = cmdline_value(cmd, "nohz_full");
		b->rcu_nocbs = cmdline_value(cmd, "rcu_nocbs");
		free(cmd);
	}
	if ((r = np_cpuset_new(NP__MAX_CPUS, &b->isolated)) < 0)
		return r;
	if (np__sysfs_read_list(fs, b->isolated, "sys/devices/system/cpu/isolated") < 0) {
		np_cpuset_free(b->isolated);
		b->isolated = NULL;
	}
	return 0;
}

static int add_partition(const struct np_sysfs *fs, const char *e, const char *state,
			 struct np_isolate_partition **v, size_t *n)
{
	struct np_isolate_partition *nv = realloc(*v, (*n + 1) * sizeof(*nv)), *p;
	int r;

	if (!nv)
		return -ENOMEM;
	*v = nv;
	p = &nv[*n];
	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "%s", e);
	snprintf(p->state, sizeof(p->state), "%s", state);
	if ((r = np_cpuset_new(NP__MAX_CPUS, &p->cpus)) < 0)
		return r;
	(*n)++;
	if (np__sysfs_read_list(fs, p->cpus, "sys/fs/cgroup/%s/cpuset.cpus.effective", e) < 0 ||
	    np_cpuset_empty(p->cpus))
		np__sysfs_read_list(fs, p->cpus, "sys/fs/cgroup/%s/cpuset.cpus", e);
	return 0;
}

static int read_partitions(const struct np_sysfs *fs, struct np_isolate_partition **v, size_t *n)
{
	struct np__dir d;
	const char *e;
	char state[128];
	int r = 0;

	if (np__dir_open(fs, &d, "sys/fs/cgroup") < 0)
		return 0;
	while (r == 0 && (e = np__dir_next(&d)))
		if (e[0] != '.' &&
		    np__sysfs_read(fs, state, sizeof(state), "sys/fs/cgroup/%s/cpuset.cpus.partition",
				   e) >= 0 &&
		    strcmp(state, "member") != 0)
			r = add_partition(fs, e, state, v, n);
	np__dir_close(&d);
	return r;
}

void np_isolate_status_release(struct np_isolate_partition *parts, size_t nparts,
			       struct np_isolate_boot *boot)
{
	for (size_t i = 0; parts && i < nparts; i++)
		np_cpuset_free(parts[i].cpus);
	free(parts);
	if (boot) {
		free(boot->isolcpus);
		free(boot->nohz_full);
		free(boot->rcu_nocbs);
		np_cpuset_free(boot->isolated);
		memset(boot, 0, sizeof(*boot));
	}
}

int np_isolate_status(const char *sysroot, struct np_isolate_partition **parts, size_t *nparts,
		      struct np_isolate_boot *boot)
{
	struct np_isolate_partition *v = NULL;
	struct np_isolate_boot b;
	struct np_sysfs *fs;
	size_t n = 0;
	int r;

	if (!parts || !nparts || !boot)
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	r = read_boot(fs, &b);
	if (r == 0)
		r = read_partitions(fs, &v, &n);
	np__sysfs_free(fs);
	if (r < 0) {
		np_isolate_status_release(v, n, &b);
		return r;
	}
	*parts = v;
	*nparts = n;
	*boot = b;
	return 0;
}

/* ---- journals ---- */

void np_isolate_names_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

int np_isolate_names(const char *sysroot, char ***ret)
{
	struct np_sysfs *fs;
	struct np__dir d;
	const char *e;
	char **v = NULL;
	int r, n = 0;

	if (!ret)
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	v = calloc(1, sizeof(*v));
	r = v ? 0 : -ENOMEM;
	if (r == 0 && np__dir_open(fs, &d, "run/numaplace/isolate") == 0) {
		while (r == 0 && (e = np__dir_next(&d))) {
			char **nv;

			if (!np__journal_name_ok(e) || strstr(e, ".tmp"))
				continue;
			nv = realloc(v, (size_t)(n + 2) * sizeof(*v));
			if (!nv || !(nv[n] = strdup(e))) {
				v = nv ? nv : v;
				r = -ENOMEM;
				break;
			}
			v = nv;
			v[++n] = NULL;
		}
		np__dir_close(&d);
	}
	np__sysfs_free(fs);
	if (r < 0) {
		np_isolate_names_free(v);
		return r;
	}
	*ret = v;
	return n;
}
