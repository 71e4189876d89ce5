/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topology.c - np_topo_load(): a machine read from sysfs (or a captured sysroot), and the
 * accessors of struct np_topo.
 *
 * Terminology:
 *  level   a kind of group of CPUs: core, cluster, die, package, book, drawer, node, machine,
 *          and the caches L1, L2, L3 and the last level (enum np_level).
 *  group   the online CPUs sharing one instance of a level, computed once at load time so that
 *          every question ("which CPUs share cpu 5's L3") is an array lookup.
 *  key     what makes two CPUs members of the same group: e.g. (package, die) for a die.
 *
 * Loading order: CPUs (lib/topo-cpus.c), caches (lib/topo-caches.c), nodes (lib/topo-nodes.c),
 * groups, then this process's limits, devices and HMAT, which need the set sizes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const level_names[NP_LEVEL_COUNT] = {
	[NP_LEVEL_CPU] = "cpu",	      [NP_LEVEL_CORE] = "core",	    [NP_LEVEL_CLUSTER] = "cluster",
	[NP_LEVEL_DIE] = "die",	      [NP_LEVEL_PACKAGE] = "package", [NP_LEVEL_BOOK] = "book",
	[NP_LEVEL_DRAWER] = "drawer", [NP_LEVEL_NODE] = "node",	    [NP_LEVEL_MACHINE] = "machine",
	[NP_LEVEL_L1] = "l1",	      [NP_LEVEL_L2] = "l2",	    [NP_LEVEL_L3] = "l3",
	[NP_LEVEL_LLC] = "llc",
};

const char *np_topo_level_name(enum np_level level)
{
	return (unsigned int)level < NP_LEVEL_COUNT ? level_names[level] : NULL;
}

struct key {
	long long a, b, c;
};

/*
 * The data or unified cache of @cpu at @level (0: the highest it has), as an index into
 * t->caches, or -1.  A CPU's list runs from L1 outwards.
 */
static int cache_at(const struct np_topo *t, unsigned int cpu, unsigned int level)
{
	int found = -1;

	for (unsigned int i = 0; i < t->cpu_ncaches[cpu]; i++) {
		const struct np_cache *c = &t->caches[t->cpu_caches[cpu][i]];

		if (c->type == NP_CACHE_INSTRUCTION)
			continue;
		if (level == 0 || c->level == level)
			found = t->cpu_caches[cpu][i];
		if (level && found >= 0)
			break;
	}
	return found;
}

/* What makes CPUs share @level; false when @cpu has no instance of it. */
static bool level_key(const struct np_topo *t, unsigned int cpu, enum np_level level,
		      struct key *k)
{
	const struct np_cpu *c = &t->cpus[cpu];
	int v;

	*k = (struct key){ 0, 0, 0 };
	switch (level) {
	case NP_LEVEL_CPU:
		k->a = cpu;
		return true;
	case NP_LEVEL_CORE:
		k->a = c->core_index;
		return c->core_index >= 0;
	case NP_LEVEL_CLUSTER:
		*k = (struct key){ c->package, c->die, c->cluster };
		return c->cluster >= 0;
	case NP_LEVEL_DIE:
		*k = (struct key){ c->package, c->die, 0 };
		return c->die >= 0;
	case NP_LEVEL_PACKAGE:
		k->a = c->package;
		return c->package >= 0;
	case NP_LEVEL_BOOK:
		*k = (struct key){ c->drawer, c->book, 0 };
		return c->book >= 0;
	case NP_LEVEL_DRAWER:
		k->a = c->drawer;
		return c->drawer >= 0;
	case NP_LEVEL_NODE:
		k->a = c->node;
		return c->node >= 0;
	case NP_LEVEL_MACHINE:
		return true;
	case NP_LEVEL_L1:
	case NP_LEVEL_L2:
	case NP_LEVEL_L3:
		v = cache_at(t, cpu, (unsigned int)(level - NP_LEVEL_L1 + 1));
		k->a = v;
		return v >= 0;
	case NP_LEVEL_LLC:
		v = cache_at(t, cpu, 0);
		k->a = v;
		return v >= 0;
	default:
		return false;
	}
}

/* Group the online CPUs of one level; groups come out ordered by their lowest CPU. */
/*
 * The group of key @k among the @n found so far, or -1.  Keys that are one small number (a
 * CPU, a core, a node, a cache) are looked up in @map; the others (packages, dies, clusters:
 * a few groups each) by a scan.
 */
static int find_key(const struct key *keys, unsigned int n, const struct key *k, const int *map,
		    size_t mapsize)
{
	if (k->b == 0 && k->c == 0 && k->a >= 0 && (size_t)k->a < mapsize)
		return map[k->a];
	for (unsigned int i = n; i-- > 0;)
		if (memcmp(&keys[i], k, sizeof(*k)) == 0)
			return (int)i;
	return -1;
}

static int build_level(struct np_topo *t, enum np_level level, struct key *keys, int *map,
		       size_t mapsize)
{
	struct np__groups *g = &t->groups[level];
	unsigned int n = 0;

	for (size_t i = 0; i < mapsize; i++)
		map[i] = -1;
	np_cpuset_foreach(c, t->online) {
		struct key k;
		int i;

		if (!level_key(t, (unsigned int)c, level, &k))
			continue;
		i = find_key(keys, n, &k, map, mapsize);
		if (i < 0) {
			keys[n] = k;
			i = (int)n++;
			if (k.b == 0 && k.c == 0 && k.a >= 0 && (size_t)k.a < mapsize)
				map[k.a] = i;
		}
		t->cpu_group[(size_t)c * NP_LEVEL_COUNT + level] = (int)i;
	}
	/*
	 * One block for the set headers and one for their bits: a 256-CPU machine has a thousand
	 * groups, and a thousand pairs of mallocs would cost more than the whole sysfs walk.
	 */
	g->sets = calloc(n + 1, sizeof(*g->sets));
	g->block = calloc(n + 1, sizeof(*g->block));
	g->bits = calloc((n + 1) * NP_WORDS(t->ncpus), sizeof(unsigned long));
	if (!g->sets || !g->block || !g->bits)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		g->block[i] = (struct np_cpuset){ .nbits = t->ncpus,
						  .bits = g->bits + i * NP_WORDS(t->ncpus) };
		g->sets[i] = &g->block[i];
	}
	g->count = n;
	np_cpuset_foreach(c, t->online) {
		int i = t->cpu_group[(size_t)c * NP_LEVEL_COUNT + level];

		if (i >= 0)
			np_cpuset_set(g->sets[i], (unsigned int)c);
	}
	return 0;
}

int np__topo_groups_build(struct np_topo *t)
{
	size_t n = (size_t)t->ncpus * NP_LEVEL_COUNT;
	size_t mapsize = t->ncpus > t->ncaches ? t->ncpus : t->ncaches;
	struct key *keys;
	int *map;
	int r = 0;

	if (t->nnodes > mapsize)
		mapsize = t->nnodes;
	t->cpu_group = malloc(n * sizeof(*t->cpu_group));
	keys = malloc(t->ncpus * sizeof(*keys));
	map = malloc(mapsize * sizeof(*map));
	if (!t->cpu_group || !keys || !map) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		t->cpu_group[i] = -1;
	for (int l = 0; l < NP_LEVEL_COUNT && r == 0; l++)
		r = build_level(t, (enum np_level)l, keys, map, mapsize);
out:
	free(map);
	free(keys);
	return r;
}

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
	 NP_TOPO_NO_MEMINFO)

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
	if ((r = open_cpufs(fs->root, &cpufs)) < 0 || (r = np__topo_cpus_load(t, fs, cpufs)) < 0 ||
	    (r = load_caches(t, cpufs, flags)) < 0 || (r = np__topo_nodes_load(t, fs)) < 0 ||
	    (r = np__topo_groups_build(t)) < 0 || (r = np__topo_tree_build(t)) < 0 ||
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
	for (int l = 0; l < NP_LEVEL_COUNT; l++) {
		free(t->groups[l].sets);
		free(t->groups[l].block);
		free(t->groups[l].bits);
	}
	free(t->cpu_group);
	np__topo_nodes_free(t);
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

unsigned int np_topo_group_count(const struct np_topo *topo, enum np_level level)
{
	return (unsigned int)level < NP_LEVEL_COUNT ? topo->groups[level].count : 0;
}

const struct np_cpuset *np_topo_group(const struct np_topo *topo, enum np_level level,
				      unsigned int i)
{
	if ((unsigned int)level >= NP_LEVEL_COUNT || i >= topo->groups[level].count)
		return NULL;
	return topo->groups[level].sets[i];
}

int np_topo_cpu_group(const struct np_topo *topo, unsigned int cpu, enum np_level level)
{
	if ((unsigned int)level >= NP_LEVEL_COUNT || cpu >= topo->ncpus)
		return -1;
	return topo->cpu_group[(size_t)cpu * NP_LEVEL_COUNT + level];
}

const struct np_cpuset *np_topo_cpu_siblings(const struct np_topo *topo, unsigned int cpu,
					     enum np_level level)
{
	int i = np_topo_cpu_group(topo, cpu, level);

	return i < 0 ? NULL : topo->groups[level].sets[i];
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

const struct np_cache *np_topo_cpu_llc(const struct np_topo *topo, unsigned int cpu)
{
	int k = cpu < topo->ncpus ? cache_at(topo, cpu, 0) : -1;

	return k < 0 ? NULL : &topo->caches[k];
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

int np_topo_distance(const struct np_topo *topo, unsigned int from, unsigned int to)
{
	if (from >= topo->nnodes || to >= topo->nnodes || topo->node_index[from] < 0 ||
	    topo->node_index[to] < 0)
		return -1;
	return topo->distance[(unsigned int)topo->node_index[from] * topo->node_count +
			      (unsigned int)topo->node_index[to]];
}
