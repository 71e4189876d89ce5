/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/tree.h - the machine as one tree of objects (lib/topo-tree.c): machine, packages,
 * nodes, dies, caches, clusters, cores and PUs.  numaplace/topo.h includes it.
 *
 * Terminology:
 *  object         one node of the tree (struct np_obj): a type, its CPUs and nodes, its place.
 *  os index       the kernel's number of an object (package id, node id, CPU number).
 *  logical index  its rank among the objects of its type in tree order, as hwloc numbers them.
 *  cousins        the objects of one type, in logical order, whatever their parents.
 *  PU             a processing unit: one online CPU (hardware thread).
 */
#ifndef NUMAPLACE_TREE_H
#define NUMAPLACE_TREE_H

#include <stddef.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>

#ifdef __cplusplus
extern "C" {
#endif

/* declared in numaplace/topo.h; the tree only points at them */
struct np_topo;
struct np_cpu;
struct np_cache;
struct np_node;

/* === the object tree (lib/topo-tree.c) === */
/*
 * The machine as one tree of objects, built once by np_topo_load(), in the manner of hwloc's
 * hwloc_obj: the machine at the root, then packages and NUMA nodes (whichever holds the other
 * outermost), dies, caches, clusters, cores and PUs (online CPUs; offline CPUs are not objects).
 * An object's parent is the smallest object holding all its CPUs; when two objects hold the
 * same CPUs, the one of the earlier type in enum np_obj_type is the parent, except that nodes
 * go above packages on machines where every package lies in one node and some node holds
 * several (POWER's one-core "packages", old boards with one memory controller).  A CPU-less
 * node (CXL, HBM, GPU memory) is a child of the machine with an empty cpuset.
 */
enum np_obj_type {
	NP_OBJ_MACHINE,
	NP_OBJ_DRAWER,  /* s390 */
	NP_OBJ_BOOK,    /* s390 */
	NP_OBJ_PACKAGE,
	NP_OBJ_NODE,    /* a NUMA node */
	NP_OBJ_DIE,
	NP_OBJ_L4,      /* a cache beyond L3 that is some CPU's last level */
	NP_OBJ_L3,      /* caches: data or unified, never instruction */
	NP_OBJ_CLUSTER,
	NP_OBJ_L2,
	NP_OBJ_L1,
	NP_OBJ_CORE,
	NP_OBJ_PU,      /* one online CPU */
	NP_OBJ_LLC,     /* not a type of its own: each CPU's last-level cache object (for a CPU
			 * with no cache known, the innermost of its package and node), listed
			 * in order of first appearance for np_topo_obj_count() / np_topo_obj();
			 * no object has this type */
	NP_OBJ_TYPE_COUNT
};

/*
 * struct np_obj - one object of the tree.  Read-only, owned by the topology, valid until
 * np_topo_free(); fields may be appended in later versions, so never copy one by value.
 */
struct np_obj {
	enum np_obj_type type;
	int os_index;               /* the kernel's number: package, node, die, cluster, cache or
				     * CPU id; core_id for cores where the kernel gives one; -1 none */
	unsigned int logical_index; /* rank among the objects of its type in tree order (nodes:
				     * by id, as the kernel and numactl number them) */
	unsigned int depth;         /* distance from the root (0) */
	const struct np_obj *parent;  /* NULL for the root */
	const struct np_obj *const *children; /* arity of them, ordered by package or node id, else
					       * by lowest CPU */
	unsigned int arity;
	unsigned int sibling_rank;    /* index in the parent's children */
	const struct np_obj *next_cousin, *prev_cousin; /* same type, logical order; NULL at ends */
	const struct np_cpuset *cpuset;  /* its online CPUs, np_topo_cpu_size() bits */
	const struct np_cpuset *nodeset; /* the nodes of those CPUs (a node: itself),
					  * np_topo_node_size() bits */
	union {
		const struct np_cpu *cpu;     /* PU; core: its first CPU */
		const struct np_cache *cache; /* L1-L4 */
		const struct np_node *node;   /* NODE */
	} attr;                               /* NULL for the other types */
};

/**
 * np_topo_root() - the machine object, the root of the tree.
 * @topo: a loaded topology.
 *
 * Return: the root, owned by @topo; never NULL.
 */
NP_API const struct np_obj *np_topo_root(const struct np_topo *topo);
/**
 * np_topo_obj_count() - how many objects of @type the tree has.
 * @type: a type; NP_OBJ_LLC counts the last-level caches.
 *
 * Return: the count; 0 for a type the machine lacks or a value outside enum np_obj_type.
 */
NP_API unsigned int np_topo_obj_count(const struct np_topo *topo, enum np_obj_type type);
/**
 * np_topo_obj() - the object of @type with logical index @i.
 *
 * Return: the object, owned by @topo; NULL when @i >= np_topo_obj_count() or @type is bad.
 */
NP_API const struct np_obj *np_topo_obj(const struct np_topo *topo, enum np_obj_type type,
					unsigned int i);
/**
 * np_topo_obj_of_cpu() - the object of @type holding online CPU @cpu.
 * @type: a type; NP_OBJ_LLC: the CPU's last-level cache (or the fallback of enum np_obj_type).
 *
 * Return: the object, owned by @topo; NULL when @cpu is offline or beyond the CPU set size,
 * or no object of @type holds it.
 */
NP_API const struct np_obj *np_topo_obj_of_cpu(const struct np_topo *topo, enum np_obj_type type,
					       unsigned int cpu);
/**
 * np_obj_ancestor() - the nearest object of @type above @obj (not @obj itself).
 *
 * Return: the ancestor, owned by the same topology; NULL when there is none.
 */
NP_API const struct np_obj *np_obj_ancestor(const struct np_obj *obj, enum np_obj_type type);
/**
 * np_obj_type_name() - a type's name: "machine", "drawer", "book", "package", "node", "die",
 * "l4", "l3", "cluster", "l2", "l1", "core", "pu", "llc".
 *
 * Return: a static string; NULL for a value outside enum np_obj_type.
 */
NP_API const char *np_obj_type_name(enum np_obj_type type);
/**
 * np_obj_type_parse() - a type from its name: those of np_obj_type_name() and the aliases
 * "socket" (package), "numa" (node) and "thread" (pu).
 * @name: the name; @len: its length (the name need not be NUL-terminated there).
 *
 * Return: the type (>= 0); -EINVAL for an unknown name.
 */
NP_API int np_obj_type_parse(const char *name, size_t len);
/* === end object tree === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_TREE_H */
