/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-tree.h - the object tree's body, shared by lib/topo-tree.c (containment, order,
 * accessors) and lib/topo-group.c (the objects themselves, and the per-level view of them).
 * Private to those two files.
 */
#ifndef NP_TOPO_TREE_H
#define NP_TOPO_TREE_H

#include "internal.h"

/* struct np__tree - what np__topo_tree_build() allocates; freed by np__topo_tree_free(). */
struct np__tree {
	struct np_obj *objs;  /* every object; objs[0] is the machine, then one block per type */
	unsigned int n;
	unsigned int first[NP_OBJ_TYPE_COUNT]; /* a type's block in objs: lowest-CPU order */
	unsigned int ngroups[NP_OBJ_TYPE_COUNT]; /* its objects with CPUs (CPU-less nodes: last) */
	struct np_cpuset *sets;              /* the objects' cpusets, one block ... */
	unsigned long *set_bits;             /* ... and their bits */
	int *cache_obj;                      /* t->ncaches: the object of a cache, -1 */
	int *cache_llc;                      /* t->ncaches: a cache's index among the LLC groups */
	struct np_obj **llc_groups;          /* NP_LEVEL_LLC: the LLC objects by lowest CPU */
	unsigned int nllc_groups;
	struct np_obj **children;            /* the children lists, one block */
	struct np_obj **list[NP_OBJ_TYPE_COUNT]; /* per type, logical order */
	unsigned int count[NP_OBJ_TYPE_COUNT];
	struct np_obj **lists;               /* the block list[] points into */
	struct np_obj **pu;                  /* t->ncpus entries; NULL: offline */
	struct np_cpuset *nodesets;
	unsigned long *nodeset_bits;
	struct np_cpuset *empty;             /* the cpuset of CPU-less nodes */
	unsigned char rank[NP_OBJ_TYPE_COUNT];
	bool nodes_outer;
};

/*
 * struct np__grouping - the online CPUs grouped by type before the objects exist:
 * gid[type * ncpus + cpu] is the index of @cpu's group among the type's (by lowest CPU), -1
 * where it has none.  Freed by np__grouping_free().
 */
struct np__grouping {
	int *gid;
	unsigned int count[NP_OBJ_TYPE_COUNT];
};

/* group every type's online CPUs (lib/topo-group.c); 0 or -ENOMEM */
NP_HIDDEN int np__grouping_build(const struct np_topo *t, struct np__grouping *g);
NP_HIDDEN void np__grouping_free(struct np__grouping *g);
/*
 * the objects, machine first, then type by type in @order (which sets the stable order of
 * equal sets), CPU-less nodes last; the level view (np_topo_group()) with them.  0 or -ENOMEM
 */
NP_HIDDEN int np__tree_objects(const struct np_topo *t, struct np__tree *tr,
			       const struct np__grouping *g, const enum np_obj_type *order,
			       int norder);
/* the data or unified cache of @cpu at @level (0: its last level), an index into t->caches, -1 */
NP_HIDDEN int np__cache_at(const struct np_topo *t, unsigned int cpu, unsigned int level);

#endif
