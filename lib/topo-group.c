/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-group.c - the tree's objects: the online CPUs grouped by what they share, one object per
 * group; and the per-level view of them (np_topo_group(), np_topo_cpu_group()).
 *
 * Terminology:
 *  key     what makes two CPUs members of the same object of a type: e.g. (package, die) for
 *          a die, the cache's index for an L3.
 *  group   the online CPUs of one object; a type's groups are numbered by their lowest CPU,
 *          which is also the order of the type's block of objects.
 *  level   enum np_level, the older name of a type: each level is one type's block (core,
 *          package, l3...), except NP_LEVEL_LLC, the cache objects that are some CPU's last
 *          level, kept as a list of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topo-tree.h"

static const char *const level_names[NP_LEVEL_COUNT] = {
	[NP_LEVEL_CPU] = "cpu",	      [NP_LEVEL_CORE] = "core",	    [NP_LEVEL_CLUSTER] = "cluster",
	[NP_LEVEL_DIE] = "die",	      [NP_LEVEL_PACKAGE] = "package", [NP_LEVEL_BOOK] = "book",
	[NP_LEVEL_DRAWER] = "drawer", [NP_LEVEL_NODE] = "node",	    [NP_LEVEL_MACHINE] = "machine",
	[NP_LEVEL_L1] = "l1",	      [NP_LEVEL_L2] = "l2",	    [NP_LEVEL_L3] = "l3",
	[NP_LEVEL_LLC] = "llc",
};

/* the type whose objects are a level's groups */
static const enum np_obj_type level_type[NP_LEVEL_COUNT] = {
	[NP_LEVEL_CPU] = NP_OBJ_PU,	      [NP_LEVEL_CORE] = NP_OBJ_CORE,
	[NP_LEVEL_CLUSTER] = NP_OBJ_CLUSTER, [NP_LEVEL_DIE] = NP_OBJ_DIE,
	[NP_LEVEL_PACKAGE] = NP_OBJ_PACKAGE, [NP_LEVEL_BOOK] = NP_OBJ_BOOK,
	[NP_LEVEL_DRAWER] = NP_OBJ_DRAWER,   [NP_LEVEL_NODE] = NP_OBJ_NODE,
	[NP_LEVEL_MACHINE] = NP_OBJ_MACHINE, [NP_LEVEL_L1] = NP_OBJ_L1,
	[NP_LEVEL_L2] = NP_OBJ_L2,	      [NP_LEVEL_L3] = NP_OBJ_L3,
	[NP_LEVEL_LLC] = NP_OBJ_LLC,
};

const char *np_topo_level_name(enum np_level level)
{
	return (unsigned int)level < NP_LEVEL_COUNT ? level_names[level] : NULL;
}

struct key {
	long long a, b, c;
};

/* A CPU's list of caches runs from L1 outwards. */
int np__cache_at(const struct np_topo *t, unsigned int cpu, unsigned int level)
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

const struct np_cache *np_topo_cpu_llc(const struct np_topo *topo, unsigned int cpu)
{
	int k = cpu < topo->ncpus ? np__cache_at(topo, cpu, 0) : -1;

	return k < 0 ? NULL : &topo->caches[k];
}

/* the cache an object of cache type @type stands for, seen from @cpu; -1 */
static int type_cache(const struct np_topo *t, unsigned int cpu, enum np_obj_type type)
{
	int v;

	switch (type) {
	case NP_OBJ_L1:
		return np__cache_at(t, cpu, 1);
	case NP_OBJ_L2:
		return np__cache_at(t, cpu, 2);
	case NP_OBJ_L3:
		return np__cache_at(t, cpu, 3);
	case NP_OBJ_L4:
		/* an L4 object is a last-level cache beyond L3; the others are L1-L3 objects */
		v = np__cache_at(t, cpu, 0);
		return v >= 0 && t->caches[v].level > 3 ? v : -1;
	default:
		return -1;
	}
}

/* What makes CPUs share an object of @type; false when @cpu is in none. */
static bool type_key(const struct np_topo *t, unsigned int cpu, enum np_obj_type type,
		     struct key *k)
{
	const struct np_cpu *c = &t->cpus[cpu];

	*k = (struct key){ 0, 0, 0 };
	switch (type) {
	case NP_OBJ_PU:
		k->a = cpu;
		return true;
	case NP_OBJ_CORE:
		k->a = c->core_index;
		return c->core_index >= 0;
	case NP_OBJ_CLUSTER:
		*k = (struct key){ c->package, c->die, c->cluster };
		return c->cluster >= 0;
	case NP_OBJ_DIE:
		*k = (struct key){ c->package, c->die, 0 };
		return c->die >= 0;
	case NP_OBJ_PACKAGE:
		k->a = c->package;
		return c->package >= 0;
	case NP_OBJ_BOOK:
		*k = (struct key){ c->drawer, c->book, 0 };
		return c->book >= 0;
	case NP_OBJ_DRAWER:
		k->a = c->drawer;
		return c->drawer >= 0;
	case NP_OBJ_NODE:
		k->a = c->node;
		return c->node >= 0;
	default:
		k->a = type_cache(t, cpu, type);
		return k->a >= 0;
	}
}

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

/* Number @type's groups by lowest CPU into @gid (one per CPU); returns how many. */
static unsigned int group_type(const struct np_topo *t, enum np_obj_type type, int *gid,
			       struct key *keys, int *map, size_t mapsize)
{
	unsigned int n = 0;

	for (size_t i = 0; i < mapsize; i++)
		map[i] = -1;
	np_cpuset_foreach(c, t->online) {
		struct key k;
		int i;

		if (!type_key(t, (unsigned int)c, type, &k))
			continue;
		i = find_key(keys, n, &k, map, mapsize);
		if (i < 0) {
			keys[n] = k;
			i = (int)n++;
			if (k.b == 0 && k.c == 0 && k.a >= 0 && (size_t)k.a < mapsize)
				map[k.a] = i;
		}
		gid[c] = i;
	}
	return n;
}

int np__grouping_build(const struct np_topo *t, struct np__grouping *g)
{
	size_t n = (size_t)t->ncpus * NP_OBJ_TYPE_COUNT;
	size_t mapsize = t->ncpus > t->ncaches ? t->ncpus : t->ncaches;
	struct key *keys;
	int *map;
	int r = 0;

	if (t->nnodes > mapsize)
		mapsize = t->nnodes;
	g->gid = malloc(n * sizeof(*g->gid));
	keys = malloc(t->ncpus * sizeof(*keys));
	map = malloc(mapsize * sizeof(*map));
	if (!g->gid || !keys || !map) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		g->gid[i] = -1;
	for (int ty = NP_OBJ_DRAWER; ty <= NP_OBJ_PU; ty++)
		g->count[ty] = group_type(t, (enum np_obj_type)ty, &g->gid[(size_t)ty * t->ncpus],
					  keys, map, mapsize);
out:
	free(map);
	free(keys);
	return r;
}

void np__grouping_free(struct np__grouping *g)
{
	free(g->gid);
	g->gid = NULL;
}

static void init_obj(const struct np_topo *t, struct np__tree *tr, struct np_obj *o,
		     enum np_obj_type type)
{
	unsigned int first = (unsigned int)np_cpuset_first(o->cpuset);
	const struct np_cpu *c = &t->cpus[first];
	int k;

	o->type = type;
	o->os_index = -1;
	switch (type) {
	case NP_OBJ_DRAWER:
		o->os_index = c->drawer;
		break;
	case NP_OBJ_BOOK:
		o->os_index = c->book;
		break;
	case NP_OBJ_PACKAGE:
		o->os_index = c->package;
		break;
	case NP_OBJ_DIE:
		o->os_index = c->die;
		break;
	case NP_OBJ_CLUSTER:
		o->os_index = c->cluster;
		break;
	case NP_OBJ_NODE:
		o->os_index = c->node;
		o->attr.node = np_topo_node_by_id(t, (unsigned int)c->node);
		break;
	case NP_OBJ_CORE:
		o->os_index = c->core;
		o->attr.cpu = c;
		break;
	case NP_OBJ_PU:
		o->os_index = (int)c->id;
		o->attr.cpu = c;
		break;
	default:
		k = type_cache(t, first, type);
		o->attr.cache = &t->caches[k];
		o->os_index = o->attr.cache->id;
		tr->cache_obj[k] = (int)(o - tr->objs);
		break;
	}
}

/* @type's block of objects: group i of @g is object first + i */
static void create_type(const struct np_topo *t, struct np__tree *tr, const int *gid,
			enum np_obj_type type, unsigned int count)
{
	unsigned int first = tr->n, words = NP_WORDS(t->ncpus);

	tr->first[type] = first;
	tr->ngroups[type] = count;
	for (unsigned int i = 0; i < count; i++) {
		tr->sets[first - 1 + i] = (struct np_cpuset){
			.nbits = t->ncpus, .bits = tr->set_bits + (size_t)(first - 1 + i) * words
		};
		tr->objs[first + i].cpuset = &tr->sets[first - 1 + i];
	}
	np_cpuset_foreach(c, t->online)
		if (gid[c] >= 0)
			np_cpuset_set(&tr->sets[first - 1 + (unsigned int)gid[c]], (unsigned int)c);
	for (unsigned int i = 0; i < count; i++)
		init_obj(t, tr, &tr->objs[first + i], type);
	tr->n += count;
}

/* NP_LEVEL_LLC: the cache objects that are some online CPU's last level, by lowest CPU */
static int llc_groups(const struct np_topo *t, struct np__tree *tr)
{
	unsigned int n = 0;

	tr->llc_groups = malloc((t->ncaches + 1) * sizeof(*tr->llc_groups));
	if (!tr->llc_groups)
		return -ENOMEM;
	np_cpuset_foreach(c, t->online) {
		int v = np__cache_at(t, (unsigned int)c, 0);

		if (v < 0 || tr->cache_obj[v] < 0 || tr->cache_llc[v] >= 0)
			continue;
		tr->cache_llc[v] = (int)n;
		tr->llc_groups[n++] = &tr->objs[tr->cache_obj[v]];
	}
	tr->nllc_groups = n;
	return 0;
}

static int alloc_objects(const struct np_topo *t, struct np__tree *tr, unsigned int n)
{
	tr->objs = calloc(n, sizeof(*tr->objs));
	tr->sets = calloc(n, sizeof(*tr->sets));
	tr->set_bits = calloc((size_t)n * NP_WORDS(t->ncpus), sizeof(unsigned long));
	tr->cache_obj = malloc((t->ncaches + 1) * sizeof(*tr->cache_obj));
	tr->cache_llc = malloc((t->ncaches + 1) * sizeof(*tr->cache_llc));
	if (!tr->objs || !tr->sets || !tr->set_bits || !tr->cache_obj || !tr->cache_llc ||
	    np_cpuset_new(t->ncpus, &tr->empty) < 0)
		return -ENOMEM;
	for (unsigned int i = 0; i < t->ncaches; i++)
		tr->cache_obj[i] = tr->cache_llc[i] = -1;
	return 0;
}

int np__tree_objects(const struct np_topo *t, struct np__tree *tr, const struct np__grouping *g,
		     const enum np_obj_type *order, int norder)
{
	unsigned int n = 1, nodes_nocpu = t->node_count - g->count[NP_OBJ_NODE];

	for (int k = 0; k < norder; k++)
		n += g->count[order[k]];
	if (alloc_objects(t, tr, n + nodes_nocpu) < 0)
		return -ENOMEM;
	tr->objs[0] =
		(struct np_obj){ .type = NP_OBJ_MACHINE, .os_index = -1, .cpuset = t->online };
	tr->ngroups[NP_OBJ_MACHINE] = np_cpuset_empty(t->online) ? 0 : 1;
	tr->n = 1;
	for (int k = 0; k < norder; k++)
		create_type(t, tr, &g->gid[(size_t)order[k] * t->ncpus], order[k],
			    g->count[order[k]]);
	for (unsigned int i = 0; i < t->node_count; i++) {
		const struct np_node *nd = &t->nodes[i];

		if (np_cpuset_intersects(nd->cpus, t->online))
			continue;
		tr->objs[tr->n++] = (struct np_obj){ .type = NP_OBJ_NODE,
						     .os_index = (int)nd->id,
						     .cpuset = tr->empty,
						     .attr.node = nd };
	}
	return llc_groups(t, tr);
}

/* group @i of @level's object, or NULL */
static const struct np_obj *group_obj(const struct np_topo *topo, enum np_level level,
				      unsigned int i)
{
	const struct np__tree *tr = topo->tree;

	if (i >= np_topo_group_count(topo, level))
		return NULL;
	if (level == NP_LEVEL_LLC)
		return tr->llc_groups[i];
	return &tr->objs[tr->first[level_type[level]] + i];
}

unsigned int np_topo_group_count(const struct np_topo *topo, enum np_level level)
{
	if ((unsigned int)level >= NP_LEVEL_COUNT)
		return 0;
	if (level == NP_LEVEL_LLC)
		return topo->tree->nllc_groups;
	return topo->tree->ngroups[level_type[level]];
}

const struct np_cpuset *np_topo_group(const struct np_topo *topo, enum np_level level,
				      unsigned int i)
{
	const struct np_obj *o = group_obj(topo, level, i);

	return o ? o->cpuset : NULL;
}

/* a cache level's group of @cpu, from its cache (no walk) */
static int cache_group(const struct np_topo *topo, unsigned int cpu, enum np_level level)
{
	const struct np__tree *tr = topo->tree;
	enum np_obj_type type = level_type[level];
	int k;

	if (level == NP_LEVEL_LLC) {
		k = np__cache_at(topo, cpu, 0);
		return k < 0 ? -1 : tr->cache_llc[k];
	}
	k = type_cache(topo, cpu, type);
	if (k < 0 || tr->cache_obj[k] < 0)
		return -1;
	return tr->cache_obj[k] - (int)tr->first[type];
}

/*
 * The object of @type above @pu.  Objects of a type are disjoint, so an ancestor of that type
 * is the one; only where sets overlap without nesting (a node across two packages) can it lie
 * beside the PU's branch, and then the type's block is searched.
 */
static const struct np_obj *type_obj(const struct np__tree *tr, const struct np_obj *pu,
				     enum np_obj_type type)
{
	const struct np_obj *o = np_obj_ancestor(pu, type);
	unsigned int cpu = (unsigned int)pu->os_index;

	for (unsigned int i = 0; !o && i < tr->ngroups[type]; i++)
		if (np_cpuset_isset(tr->objs[tr->first[type] + i].cpuset, cpu))
			o = &tr->objs[tr->first[type] + i];
	return o;
}

int np_topo_cpu_group(const struct np_topo *topo, unsigned int cpu, enum np_level level)
{
	const struct np__tree *tr = topo->tree;
	const struct np_obj *pu, *o;
	enum np_obj_type type;

	if ((unsigned int)level >= NP_LEVEL_COUNT || cpu >= topo->ncpus || !tr->pu[cpu])
		return -1;
	pu = tr->pu[cpu];
	type = level_type[level];
	if (level == NP_LEVEL_MACHINE)
		return 0;
	if (level >= NP_LEVEL_L1)
		return cache_group(topo, cpu, level);
	o = type == NP_OBJ_PU ? pu : type_obj(tr, pu, type);
	return o ? (int)(o - tr->objs) - (int)tr->first[type] : -1;
}

const struct np_cpuset *np_topo_cpu_siblings(const struct np_topo *topo, unsigned int cpu,
					     enum np_level level)
{
	int i = np_topo_cpu_group(topo, cpu, level);

	return i < 0 ? NULL : np_topo_group(topo, level, (unsigned int)i);
}
