/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-synth.c - np__topo_synthetic(): a machine built from a table of ids instead of sysfs,
 * for unit tests and fuzzing, through the same groups and object tree as np_topo_load().
 *
 * Terminology:
 *  row       one online CPU and its ids: package, node, die, cluster, core, L3, L2 (-1: none).
 *  instance  one cache per distinct (level, id); its CPUs are the rows naming it.
 *  extra     a node named by no row: CPU-less (CXL, HBM).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int new_set(unsigned int nbits, struct np_cpuset **ret)
{
	return np_cpuset_new(nbits ? nbits : 1, ret);
}

static int cpus(struct np_topo *t, const struct np__synth_cpu *d, unsigned int n)
{
	int r = np__topo_cpus_new(t);

	if (r < 0)
		return r;
	for (unsigned int i = 0; i < n; i++) {
		struct np_cpu *c;

		if (d[i].cpu >= t->ncpus || np_cpuset_isset(t->online, d[i].cpu))
			return -ERANGE;
		np_cpuset_set(t->possible, d[i].cpu);
		np_cpuset_set(t->present, d[i].cpu);
		np_cpuset_set(t->online, d[i].cpu);
		np_cpuset_set(t->known, d[i].cpu);
		c = &t->cpus[d[i].cpu];
		*c = (struct np_cpu){ .id = d[i].cpu, .online = true, .present = true,
				      .package = d[i].package, .die = d[i].die,
				      .cluster = d[i].cluster, .core = d[i].core, .book = -1,
				      .drawer = -1, .node = d[i].node, .core_index = -1 };
	}
	return 0;
}

/* core_index: dense, by lowest CPU, one per (package, core id); a core of its own for -1 */
static void cores(struct np_topo *t)
{
	int next = 0;

	np_cpuset_foreach(c, t->online) {
		struct np_cpu *cpu = &t->cpus[c];

		for (unsigned int o = 0; cpu->core >= 0 && o < (unsigned int)c; o++) {
			const struct np_cpu *x = &t->cpus[o];

			if (x->online && x->core == cpu->core && x->package == cpu->package) {
				cpu->core_index = x->core_index;
				break;
			}
		}
		if (cpu->core_index < 0)
			cpu->core_index = next++;
	}
}

/* the instance of cache (@level, @id), created on first use; its index or -ENOMEM */
static int cache_of(struct np_topo *t, unsigned int level, int id)
{
	struct np_cache *c;

	for (unsigned int i = 0; i < t->ncaches; i++)
		if (t->caches[i].level == level && t->caches[i].id == id)
			return (int)i;
	c = realloc(t->caches, (t->ncaches + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	t->caches = c;
	c = &t->caches[t->ncaches];
	*c = (struct np_cache){ .level = level, .type = NP_CACHE_UNIFIED, .id = id };
	if (new_set(t->ncpus, (struct np_cpuset **)&c->cpus) < 0)
		return -ENOMEM;
	return (int)t->ncaches++;
}

static int caches(struct np_topo *t, const struct np__synth_cpu *d, unsigned int n)
{
	t->cpu_caches = calloc(t->ncpus, sizeof(*t->cpu_caches));
	t->cpu_ncaches = calloc(t->ncpus, sizeof(*t->cpu_ncaches));
	if (!t->cpu_caches || !t->cpu_ncaches)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		const int ids[] = { d[i].l2, d[i].l3 };

		for (unsigned int k = 0; k < NP_ARRAY_SIZE(ids); k++) {
			int c = ids[k] < 0 ? 0 : cache_of(t, k + 2, ids[k]);

			if (c < 0)
				return c;
			if (ids[k] < 0)
				continue;
			np_cpuset_set((struct np_cpuset *)t->caches[c].cpus, d[i].cpu);
			t->cpu_caches[d[i].cpu][t->cpu_ncaches[d[i].cpu]++] = (unsigned short)c;
		}
	}
	return 0;
}

static int node_ids(const struct np__synth_cpu *d, unsigned int n, const unsigned int *extra,
		    unsigned int nextra, struct np_cpuset *ids)
{
	for (unsigned int i = 0; i < n; i++)
		if (d[i].node >= 0 && np_cpuset_set(ids, (unsigned int)d[i].node) < 0)
			return -ERANGE;
	for (unsigned int i = 0; i < nextra; i++)
		if (np_cpuset_set(ids, extra[i]) < 0)
			return -ERANGE;
	return 0;
}

static int nodes(struct np_topo *t, const struct np__synth_cpu *d, unsigned int n,
		 const unsigned int *extra, unsigned int nextra)
{
	unsigned int k = 0;
	int r;

	if ((r = new_set(1u << 16, &t->node_all)) < 0 ||
	    (r = node_ids(d, n, extra, nextra, t->node_all)) < 0)
		return r;
	t->nnodes = np_cpuset_empty(t->node_all) ? 1
						 : (unsigned int)np_cpuset_last(t->node_all) + 1;
	if ((r = np_cpuset_resize(t->node_all, t->nnodes)) < 0 ||
	    (r = np_cpuset_dup(t->node_all, &t->node_online)) < 0 ||
	    (r = np_cpuset_dup(t->node_all, &t->node_mem)) < 0 ||
	    (r = new_set(t->nnodes, &t->node_cpu)) < 0)
		return r;
	t->node_count = np_cpuset_weight(t->node_all);
	t->nodes = calloc(t->node_count + 1, sizeof(*t->nodes));
	t->node_index = malloc(t->nnodes * sizeof(*t->node_index));
	t->distance = calloc((size_t)t->node_count * t->node_count + 1, sizeof(*t->distance));
	if (!t->nodes || !t->node_index || !t->distance)
		return -ENOMEM;
	for (unsigned int i = 0; i < t->nnodes; i++)
		t->node_index[i] = -1;
	np_cpuset_foreach(id, t->node_all) {
		struct np_cpuset *set;

		if ((r = new_set(t->ncpus, &set)) < 0)
			return r;
		for (unsigned int i = 0; i < n; i++)
			if (d[i].node == id)
				np_cpuset_set(set, d[i].cpu);
		if (!np_cpuset_empty(set))
			np_cpuset_set(t->node_cpu, (unsigned int)id);
		t->nodes[k] = (struct np_node){ .id = (unsigned int)id, .online = true, .cpus = set,
						.mem_total = -1, .mem_free = -1 };
		t->node_index[id] = (int)k++;
	}
	for (unsigned int i = 0; i < t->node_count; i++)
		for (unsigned int j = 0; j < t->node_count; j++)
			t->distance[i * t->node_count + j] = i == j ? 10 : 20;
	return 0;
}

int np__topo_synthetic(unsigned int cpu_size, const struct np__synth_cpu *d, unsigned int n,
		       const unsigned int *extra_nodes, unsigned int nextra, struct np_topo **ret)
{
	struct np_topo *t = calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -ENOMEM;
	t->ncpus = cpu_size ? cpu_size : 1;
	t->sysroot = strdup("(synthetic)");
	r = t->sysroot ? cpus(t, d, n) : -ENOMEM;
	if (r == 0) {
		cores(t);
		r = caches(t, d, n);
	}
	if (r == 0)
		r = nodes(t, d, n, extra_nodes, nextra);
	if (r == 0)
		r = np__topo_tree_build(t);
	if (r < 0) {
		np_topo_free(t);
		return r;
	}
	*ret = t;
	return 0;
}
