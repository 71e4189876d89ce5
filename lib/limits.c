/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * limits.c - this process's limits: affinity, cgroup cpuset, Mems_allowed, isolated CPUs.
 *
 * Terminology:
 *  affinity      the CPUs the calling thread may run on: sched_getaffinity(2) on the live
 *                machine, Cpus_allowed_list of proc/self/status in a captured tree.
 *  mems allowed  Mems_allowed_list of proc/self/status: the nodes the cpuset lets it allocate on.
 *  cgroup        the process's cpuset cgroup, v1 or v2 (lib/limits-cgroup.c finds it).
 *  clamped set   a set read from a file and cut to the topology's size: kernels print masks and
 *                lists up to nr_cpu_ids or MAX_NUMNODES, wider than the machine.
 *
 * Nothing here fails for a missing or unreadable file: the limit is then unknown (NULL) and the
 * allowed sets are made of what is known (all CPUs or nodes when nothing is).  Only -ENOMEM is
 * an error.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct np_limits {
	struct np_cpuset *allowed_cpus;
	struct np_cpuset *allowed_nodes;
	struct np_cpuset *affinity;
	struct np_cpuset *mems_allowed;
	struct np_cpuset *cg_cpus;
	struct np_cpuset *cg_nodes;
	struct np_cpuset *isolated;
	struct np_cpuset *nohz_full;
	int cg_version; /* 0 none, 1 (v1 or the cpuset filesystem), 2 */
	char *cg_path;
};

/* Upper bound of the numbers in a cpulist or mask, to size a set that holds it all. */
static unsigned int needed_bits(const char *str, bool mask)
{
	unsigned long max = 0;

	if (mask)
		return (unsigned int)(strlen(str) * 4 + 32);
	for (const char *p = str; *p;) {
		if (*p >= '0' && *p <= '9') {
			char *end;
			unsigned long v = strtoul(p, &end, 10);

			if (v > max)
				max = v;
			p = end;
		} else {
			p++;
		}
	}
	return max >= (1UL << 24) ? 0 : (unsigned int)max + 1;
}

int np__parse_clamped(const char *str, unsigned int nbits, bool mask, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	unsigned int wide;
	int r;

	r = np_cpuset_new(nbits, &set);
	if (r < 0)
		return r;
	r = mask ? np_cpuset_parse_mask(set, str, NULL) : np_cpuset_parse_list(set, str, NULL);
	if (r == -ERANGE) {
		wide = needed_bits(str, mask);
		r = wide > nbits ? np_cpuset_resize(set, wide) : -EINVAL;
		if (r == 0)
			r = mask ? np_cpuset_parse_mask(set, str, NULL)
				 : np_cpuset_parse_list(set, str, NULL);
		if (r == 0)
			r = np_cpuset_resize(set, nbits);
	}
	if (r < 0) {
		np_cpuset_free(set);
		return r == -ENOMEM ? r : -EINVAL;
	}
	*ret = set;
	return 0;
}

int np__read_clamped(const struct np_sysfs *fs, unsigned int nbits, bool mask,
		     struct np_cpuset **ret, const char *fmt, ...)
{
	char path[PATH_MAX], small[512], *buf = small;
	va_list ap;
	ssize_t n;
	int r;

	va_start(ap, fmt);
	r = np__vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	/* most sets fit on the stack; long lists and masks of huge machines go to the heap */
	n = np__sysfs_read_first(fs, small, sizeof(small), "%s", path);
	if (n == -EFBIG) {
		size_t len;

		r = np__sysfs_read_alloc(fs, &buf, &len, "%s", path);
		if (r < 0)
			return r;
		/* sysfs pads some files with NULs; captures keep them */
		while (len > 0 && (buf[len - 1] == '\0' || strchr("\n\t ", buf[len - 1])))
			buf[--len] = '\0';
	} else if (n < 0) {
		return (int)n;
	}
	/* nohz_full reads "(null)" on kernels booted without it */
	if (strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
	r = np__parse_clamped(buf, nbits, mask, ret);
	if (r < 0 && r != -ENOMEM)
		np__sysfs_bad(fs, -r, np__set_reason(r, mask), "%s", path);
	if (buf != small)
		free(buf);
	return r;
}

/* A cpulist file at @path; -ENOENT and the like when it cannot be read, -EINVAL, -ENOMEM. */
static int read_list(const struct np_sysfs *fs, const char *path, unsigned int nbits,
		     struct np_cpuset **ret)
{
	return np__read_clamped(fs, nbits, false, ret, "%s", path);
}

/* read_list() where only -ENOMEM matters: anything else leaves *@ret NULL (unknown). */
static int read_optional(const struct np_sysfs *fs, const char *path, unsigned int nbits,
			 struct np_cpuset **ret)
{
	int r = read_list(fs, path, nbits, ret);

	return r == -ENOMEM ? r : 0;
}

static int read_status(const struct np_sysfs *fs, bool want_cpus, unsigned int ncpus,
		       unsigned int nnodes, struct np_limits *l)
{
	char *text;
	int r;

	if (np__sysfs_read_alloc(fs, &text, NULL, "proc/self/status") < 0)
		return 0;
	r = np__status_set(text, "Mems_allowed_list", nnodes, true, &l->mems_allowed);
	if (r < 0 && r != -ENOENT && r != -ENOMEM)
		np__sysfs_bad(fs, -r, "a Mems_allowed_list that does not parse", "proc/self/status");
	if (want_cpus && r != -ENOMEM) {
		r = np__status_set(text, "Cpus_allowed_list", ncpus, true, &l->affinity);
		if (r < 0 && r != -ENOENT && r != -ENOMEM)
			np__sysfs_bad(fs, -r, "a Cpus_allowed_list that does not parse",
				      "proc/self/status");
	}
	free(text);
	return r == -ENOMEM ? r : 0;
}

/*
 * The calling thread's affinity.  The kernel refuses (EINVAL) a buffer smaller than
 * nr_cpu_ids bits, which can exceed the CPUs sysfs shows: grow until it fits.
 */
static int read_affinity(unsigned int ncpus, struct np_cpuset **ret)
{
	unsigned int n = ncpus > 64 ? ncpus : 64;
	struct np_cpuset *set;
	cpu_set_t *mask;
	size_t size;
	int r;

	for (;;) {
		mask = CPU_ALLOC(n);
		if (!mask)
			return -ENOMEM;
		size = CPU_ALLOC_SIZE(n);
		if (sched_getaffinity(0, size, mask) == 0)
			break;
		r = -errno;
		CPU_FREE(mask);
		if (r != -EINVAL || n >= (1U << 22))
			return r;
		n *= 2;
	}
	r = np_cpuset_new(ncpus, &set);
	if (r == 0) {
		for (unsigned int cpu = 0; cpu < ncpus && cpu < n; cpu++)
			if (CPU_ISSET_S(cpu, size, mask))
				np_cpuset_set(set, cpu);
		*ret = set;
	}
	CPU_FREE(mask);
	return r;
}


/* @acc = @acc & @set, where NULL is "unknown" (no constraint); *@acc is created on first use. */
static int narrow(struct np_cpuset **acc, const struct np_cpuset *set)
{
	if (!set)
		return 0;
	if (!*acc)
		return np_cpuset_dup(set, acc);
	return np_cpuset_and(*acc, *acc, set);
}

/*
 * The online nodes: node/online, else the nodeN directories; a machine without
 * sys/devices/system/node has one implicit node 0.  The online CPUs come from cpu/online only:
 * kernels without it need a read per CPU, which the topology does anyway and hands over through
 * np__limits_restrict().  *@ret stays NULL when nothing tells.
 */
static int read_online(const struct np_sysfs *fs, bool cpus, unsigned int nbits,
		       struct np_cpuset **ret)
{
	struct np_cpuset *set;
	struct dirent *de;
	unsigned long id;
	char *end;
	DIR *d;
	int r;

	r = read_list(fs, cpus ? "sys/devices/system/cpu/online" : "sys/devices/system/node/online",
		      nbits, ret);
	if (r != -ENOENT || cpus)
		return r == -ENOMEM ? r : 0;
	r = np_cpuset_new(nbits, &set);
	if (r < 0)
		return r;
	if (np__sysfs_opendir(fs, &d, "sys/devices/system/node") < 0) {
		if (nbits > 0)
			np_cpuset_set(set, 0);
		goto done;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "node", 4) != 0 || de->d_name[4] < '0' ||
		    de->d_name[4] > '9')
			continue;
		id = strtoul(de->d_name + 4, &end, 10);
		if (!*end && id < nbits)
			np_cpuset_set(set, (unsigned int)id);
	}
	closedir(d);
done:
	if (np_cpuset_empty(set))
		np_cpuset_free(set);
	else
		*ret = set;
	return 0;
}

/* The allowed sets; @online_cpus / @online_nodes are read here when NULL. */
static int combine(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		   const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
		   struct np_limits *l)
{
	struct np_cpuset *own_cpus = NULL, *own_nodes = NULL;
	int r = 0;

	if (!online_cpus) {
		r = read_online(fs, true, ncpus, &own_cpus);
		online_cpus = own_cpus;
	}
	if (r == 0 && !online_nodes) {
		r = read_online(fs, false, nnodes, &own_nodes);
		online_nodes = own_nodes;
	}
	if (r == 0)
		r = narrow(&l->allowed_cpus, online_cpus);
	if (r == 0)
		r = narrow(&l->allowed_cpus, l->affinity);
	if (r == 0)
		r = narrow(&l->allowed_cpus, l->cg_cpus);
	if (r == 0)
		r = narrow(&l->allowed_nodes, online_nodes);
	if (r == 0)
		r = narrow(&l->allowed_nodes, l->mems_allowed);
	if (r == 0)
		r = narrow(&l->allowed_nodes, l->cg_nodes);
	/* nothing known: every CPU (node) the topology has */
	if (r == 0 && !l->allowed_cpus && np_cpuset_new(ncpus, &l->allowed_cpus) == 0)
		np_cpuset_fill(l->allowed_cpus);
	if (r == 0 && !l->allowed_nodes && np_cpuset_new(nnodes, &l->allowed_nodes) == 0)
		np_cpuset_fill(l->allowed_nodes);
	if (r == 0 && (!l->allowed_cpus || !l->allowed_nodes))
		r = -ENOMEM;
	np_cpuset_free(own_cpus);
	np_cpuset_free(own_nodes);
	return r;
}

int np__limits_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		    const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
		    struct np_limits **ret)
{
	struct np_limits *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	r = fs->live ? read_affinity(ncpus, &l->affinity) : 0;
	/* a thread's affinity can fail only for odd reasons (seccomp): then use the status file */
	if (r < 0 && r != -ENOMEM)
		r = 0;
	if (r == 0)
		r = read_status(fs, !l->affinity, ncpus, nnodes, l);
	if (r == 0)
		r = np__cgroup_cpuset(fs, ncpus, nnodes, &l->cg_version, &l->cg_path, &l->cg_cpus,
				      &l->cg_nodes);
	if (r == 0)
		r = read_optional(fs, "sys/devices/system/cpu/isolated", ncpus, &l->isolated);
	if (r == 0)
		r = read_optional(fs, "sys/devices/system/cpu/nohz_full", ncpus, &l->nohz_full);
	if (r == 0)
		r = combine(fs, ncpus, nnodes, online_cpus, online_nodes, l);
	if (r < 0) {
		np__limits_free(l);
		return r;
	}
	*ret = l;
	return 0;
}

int np__limits_unknown(const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
			struct np_limits **ret)
{
	struct np_limits *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	r = np_cpuset_dup(online_cpus, &l->allowed_cpus);
	if (r == 0)
		r = np_cpuset_dup(online_nodes, &l->allowed_nodes);
	if (r < 0) {
		np__limits_free(l);
		return r;
	}
	*ret = l;
	return 0;
}

void np__limits_free(struct np_limits *l)
{
	if (!l)
		return;
	np_cpuset_free(l->allowed_cpus);
	np_cpuset_free(l->allowed_nodes);
	np_cpuset_free(l->affinity);
	np_cpuset_free(l->mems_allowed);
	np_cpuset_free(l->cg_cpus);
	np_cpuset_free(l->cg_nodes);
	np_cpuset_free(l->isolated);
	np_cpuset_free(l->nohz_full);
	free(l->cg_path);
	free(l);
}

static const struct np_limits *limits(const struct np_topo *topo)
{
	return topo ? topo->limits : NULL;
}

#define LIMIT_SET(fn, field)                                                                       \
	const struct np_cpuset *fn(const struct np_topo *topo)                                     \
	{                                                                                          \
		const struct np_limits *l = limits(topo);                                          \
		return l ? l->field : NULL;                                                        \
	}

LIMIT_SET(np_topo_allowed_cpus, allowed_cpus)
LIMIT_SET(np_topo_allowed_nodes, allowed_nodes)
LIMIT_SET(np_topo_affinity_cpus, affinity)
LIMIT_SET(np_topo_mems_allowed, mems_allowed)
LIMIT_SET(np_topo_cgroup_cpus, cg_cpus)
LIMIT_SET(np_topo_cgroup_nodes, cg_nodes)
LIMIT_SET(np_topo_isolated_cpus, isolated)
LIMIT_SET(np_topo_nohz_full_cpus, nohz_full)

int np_topo_cgroup_version(const struct np_topo *topo)
{
	const struct np_limits *l = limits(topo);

	return l ? l->cg_version : 0;
}

const char *np_topo_cgroup_path(const struct np_topo *topo)
{
	const struct np_limits *l = limits(topo);

	return l ? l->cg_path : NULL;
}
