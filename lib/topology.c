/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topology.c - np_topo_load(): a machine read from sysfs (or a captured sysroot), and the
 * accessors of struct np_topo.
 *
 * Terminology:
 *  sysroot  the directory /sys and /proc are read below ("/" for this machine).
 *  LLC      a CPU's last-level cache: the highest data or unified cache it has.
 *
 * Loading order: CPUs (lib/topo-cpus.c), caches (lib/topo-caches.c), nodes (lib/topo-nodes.c),
 * the object tree (lib/topo-tree.c, lib/topo-group.c: also the groups of each level), then
 * this process's limits, devices and HMAT, which need the set sizes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int open_cpufs(const char *root, struct np_sysfs **ret)
{
	char *path;
	int r;

	if (asprintf(&path, "%s/sys/devices/system/cpu", strcmp(root, "/") == 0 ? "" : root) < 0)
		return -ENOMEM;
	r = np__sysfs_open(path, ret);
	free(path);
	return r;
}

#define NP__TOPO_FLAGS                                                                             \
	(NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_HMAT | NP_TOPO_NO_LIMITS |            \
	 NP_TOPO_NO_MEMINFO | NP_TOPO_NO_CPU_DETAILS)

/* A skipped part is left as for a sysfs without its files (see NP_TOPO_NO_CACHES). */
static int load_caches(struct np_topo *t, const struct np_sysfs *cpufs, unsigned int flags)
{
	if (!(flags & NP_TOPO_NO_CACHES))
		return np__topo_caches_load(t, cpufs);
	t->cpu_ncaches = calloc(t->ncpus ? t->ncpus : 1, 1);
	return t->cpu_ncaches ? 0 : -ENOMEM;
}

static int load_extras(struct np_topo *t, const struct np_sysfs *fs, unsigned int flags)
{
	int r;

	if (flags & NP_TOPO_NO_LIMITS)
		r = np__limits_unknown(t->online, t->node_online, &t->limits);
	else
		r = np__limits_load(fs, t->ncpus, t->nnodes, t->online, t->node_online,
				    &t->limits);
	if (r == 0 && !(flags & NP_TOPO_NO_DEVICES))
		r = np__devices_load(fs, t->ncpus, &t->devices);
	if (r == 0 && !(flags & NP_TOPO_NO_HMAT))
		r = np__hmat_load(fs, t->ncpus, t->nnodes, t->node_index, &t->hmat);
	return r;
}

int np_topo_load(const char *sysroot, unsigned int flags, struct np_topo **ret)
{
	struct np_sysfs *fs = NULL, *cpufs = NULL;
	struct np_topo *t;
	int r;

	if (flags & ~NP__TOPO_FLAGS)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->flags = flags;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		goto fail;
	t->sysroot = strdup(fs->root);
	if (!t->sysroot) {
		r = -ENOMEM;
		goto fail;
	}
	fs->problems = &t->problems;
	if ((r = open_cpufs(fs->root, &cpufs)) < 0)
		goto fail;
	cpufs->problems = &t->problems;
	cpufs->base = "sys/devices/system/cpu/";
	if ((r = np__topo_cpus_load(t, fs, cpufs)) < 0 ||
	    (r = load_caches(t, cpufs, flags)) < 0 || (r = np__topo_nodes_load(t, fs)) < 0 ||
	    (r = np__topo_tree_build(t)) < 0 ||
	    (r = load_extras(t, fs, flags)) < 0)
		goto fail;
	np__sysfs_free(cpufs);
	np__sysfs_free(fs);
	*ret = t;
	return 0;
fail:
	np__sysfs_free(cpufs);
	np__sysfs_free(fs);
	np_topo_free(t);
	return r;
}

void np_topo_free(struct np_topo *t)
{
	if (!t)
		return;
	np__limits_free(t->limits);
	np__devices_free(t->devices);
	np__hmat_free(t->hmat);
	np__topo_tree_free(t);
	np__topo_nodes_free(t);
	np__problems_release(&t->problems);
	for (unsigned int i = 0; i < t->ncaches; i++)
		np_cpuset_free((struct np_cpuset *)t->caches[i].cpus);
	free(t->caches);
	free(t->cpu_caches);
	free(t->cpu_ncaches);
	free(t->cpus);
	np_cpuset_free(t->possible);
	np_cpuset_free(t->present);
	np_cpuset_free(t->online);
	np_cpuset_free(t->known);
	free(t->sysroot);
	free(t);
}

const char *np_topo_sysroot(const struct np_topo *topo)
{
	return topo->sysroot;
}

unsigned int np_topo_cpu_size(const struct np_topo *topo)
{
	return topo->ncpus;
}

unsigned int np_topo_node_size(const struct np_topo *topo)
{
	return topo->nnodes;
}

const struct np_cpuset *np_topo_possible_cpus(const struct np_topo *topo)
{
	return topo->possible;
}

const struct np_cpuset *np_topo_present_cpus(const struct np_topo *topo)
{
	return topo->present;
}

const struct np_cpuset *np_topo_online_cpus(const struct np_topo *topo)
{
	return topo->online;
}

const struct np_cpuset *np_topo_nodes(const struct np_topo *topo)
{
	return topo->node_all;
}

const struct np_cpuset *np_topo_online_nodes(const struct np_topo *topo)
{
	return topo->node_online;
}

const struct np_cpuset *np_topo_memory_nodes(const struct np_topo *topo)
{
	return topo->node_mem;
}

const struct np_cpuset *np_topo_cpu_nodes(const struct np_topo *topo)
{
	return topo->node_cpu;
}

const struct np_cpu *np_topo_cpu(const struct np_topo *topo, unsigned int cpu)
{
	if (!np_cpuset_isset(topo->possible, cpu))
		return NULL;
	return &topo->cpus[cpu];
}

unsigned int np_topo_cache_count(const struct np_topo *topo)
{
	return topo->ncaches;
}

const struct np_cache *np_topo_cache(const struct np_topo *topo, unsigned int i)
{
	return i < topo->ncaches ? &topo->caches[i] : NULL;
}

unsigned int np_topo_cpu_cache_count(const struct np_topo *topo, unsigned int cpu)
{
	return cpu < topo->ncpus ? topo->cpu_ncaches[cpu] : 0;
}

const struct np_cache *np_topo_cpu_cache(const struct np_topo *topo, unsigned int cpu,
					 unsigned int i)
{
	if (cpu >= topo->ncpus || i >= topo->cpu_ncaches[cpu])
		return NULL;
	return &topo->caches[topo->cpu_caches[cpu][i]];
}

unsigned int np_topo_node_count(const struct np_topo *topo)
{
	return topo->node_count;
}

const struct np_node *np_topo_node(const struct np_topo *topo, unsigned int i)
{
	return i < topo->node_count ? &topo->nodes[i] : NULL;
}

const struct np_node *np_topo_node_by_id(const struct np_topo *topo, unsigned int id)
{
	if (id >= topo->nnodes || topo->node_index[id] < 0)
		return NULL;
	return &topo->nodes[topo->node_index[id]];
}

int np_topo_nodes_of_cpus(const struct np_topo *topo, const struct np_cpuset *cpus,
			  struct np_cpuset **ret)
{
	struct np_cpuset *set;
	int e = np_cpuset_new(topo->nnodes, &set);

	if (e < 0)
		return e;
	for (unsigned int i = 0; i < topo->node_count; i++)
		if (np_cpuset_intersects(topo->nodes[i].cpus, cpus))
			np_cpuset_set(set, topo->nodes[i].id);
	*ret = set;
	return 0;
}

int np_topo_distance(const struct np_topo *topo, unsigned int from, unsigned int to)
{
	if (from >= topo->nnodes || to >= topo->nnodes || topo->node_index[from] < 0 ||
	    topo->node_index[to] < 0)
		return -1;
	return topo->distance[(unsigned int)topo->node_index[from] * topo->node_count +
			      (unsigned int)topo->node_index[to]];
}
