/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-tree.c - the object tree (struct np_obj): the machine, its packages, nodes, dies,
 * caches, clusters, cores and PUs, built once at np_topo_load() over the groups of each level.
 *
 * Terminology:
 *  object        one instance of a type (a package, a node, an L3...); its cpuset is the group
 *                of that level (lib/topology.c), shared, not copied.
 *  containment   an object's parent is the smallest object holding all its CPUs.  Objects are
 *                inserted largest first; equal sets go in type order, so the earlier type
 *                becomes the parent.
 *  rank          the order in which types nest when sets are equal: the enum's order, with
 *                nodes and packages swapped when nodes hold packages (np__topo_nodes_outer()).
 *  tree order    depth first, children ordered by rank, then by package or node id, else by
 *                lowest CPU: for the PUs, the order hwloc numbers them in (SMT siblings next to
 *                each other).  Logical indexes are ranks in that order (nodes: by id).
 *  LLC           the last-level cache of a CPU: an L1-L4 object, listed again as NP_OBJ_LLC.
 *
 * Cost: O(objects * depth + CPUs * depth), no sorting callbacks: the weight sort is a counting
 * sort, the children lists are nearly sorted already and use insertion sort.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* struct np__tree - what np__topo_tree_build() allocates; freed by np__topo_tree_free(). */
struct np__tree {
	struct np_obj *objs;  /* every object, in creation order; objs[0] is the machine */
	unsigned int n;
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

static const char *const type_names[NP_OBJ_TYPE_COUNT] = {
	[NP_OBJ_MACHINE] = "machine", [NP_OBJ_DRAWER] = "drawer", [NP_OBJ_BOOK] = "book",
	[NP_OBJ_PACKAGE] = "package", [NP_OBJ_NODE] = "node",	   [NP_OBJ_DIE] = "die",
	[NP_OBJ_L4] = "l4",	      [NP_OBJ_L3] = "l3",	   [NP_OBJ_CLUSTER] = "cluster",
	[NP_OBJ_L2] = "l2",	      [NP_OBJ_L1] = "l1",	   [NP_OBJ_CORE] = "core",
	[NP_OBJ_PU] = "pu",	      [NP_OBJ_LLC] = "llc",
};

static const struct {
	const char *name;
	enum np_obj_type type;
} aliases[] = { { "socket", NP_OBJ_PACKAGE }, { "numa", NP_OBJ_NODE }, { "thread", NP_OBJ_PU } };

const char *np_obj_type_name(enum np_obj_type type)
{
	return (unsigned int)type < NP_OBJ_TYPE_COUNT ? type_names[type] : NULL;
}

int np_obj_type_parse(const char *name, size_t len)
{
	for (int i = 0; i < NP_OBJ_TYPE_COUNT; i++)
		if (strlen(type_names[i]) == len && strncmp(type_names[i], name, len) == 0)
			return i;
	for (size_t i = 0; i < NP_ARRAY_SIZE(aliases); i++)
		if (strlen(aliases[i].name) == len && strncmp(aliases[i].name, name, len) == 0)
			return (int)aliases[i].type;
	return -EINVAL;
}

/* the level whose groups are a type's objects (NP_OBJ_L4 comes from the LLC groups) */
static const enum np_level type_level[NP_OBJ_TYPE_COUNT] = {
	[NP_OBJ_MACHINE] = NP_LEVEL_MACHINE, [NP_OBJ_DRAWER] = NP_LEVEL_DRAWER,
	[NP_OBJ_BOOK] = NP_LEVEL_BOOK,	     [NP_OBJ_PACKAGE] = NP_LEVEL_PACKAGE,
	[NP_OBJ_NODE] = NP_LEVEL_NODE,	     [NP_OBJ_DIE] = NP_LEVEL_DIE,
	[NP_OBJ_L4] = NP_LEVEL_LLC,	     [NP_OBJ_L3] = NP_LEVEL_L3,
	[NP_OBJ_CLUSTER] = NP_LEVEL_CLUSTER, [NP_OBJ_L2] = NP_LEVEL_L2,
	[NP_OBJ_L1] = NP_LEVEL_L1,	     [NP_OBJ_CORE] = NP_LEVEL_CORE,
	[NP_OBJ_PU] = NP_LEVEL_CPU,	     [NP_OBJ_LLC] = NP_LEVEL_LLC,
};

/*
 * Do nodes hold packages?  When every package lies in one node and some node holds more than
 * its package (POWER's one-core "packages", old multi-socket boards with one memory controller),
 * yes; otherwise packages hold nodes (SNC, Magny-Cours) or they are the same.  This is the only
 * place that decides it; the planner's order and the printer follow the tree.  (The planner
 * used to look only at packages next to each other in id order, so boards whose nodes hold
 * packages 0,2 and 1,3 counted packages first; no capture has one.)
 */
static bool decide_nodes_outer(const struct np_topo *t)
{
	const struct np__groups *pk = &t->groups[NP_LEVEL_PACKAGE];
	bool several = false;

	for (unsigned int i = 0; i < pk->count; i++) {
		int first = np_cpuset_first(pk->sets[i]);
		int node = np_topo_cpu_group(t, (unsigned int)first, NP_LEVEL_NODE);

		if (node < 0 || !np_cpuset_subset(pk->sets[i], t->groups[NP_LEVEL_NODE].sets[node]))
			return false;
		if (!np_cpuset_equal(pk->sets[i], t->groups[NP_LEVEL_NODE].sets[node]))
			several = true;
	}
	return several;
}

/* the cache of group @g at a cache level (the group's key is the cache of its first CPU) */
static const struct np_cache *group_cache(const struct np_topo *t, enum np_obj_type type,
					  const struct np_cpuset *g)
{
	unsigned int cpu = (unsigned int)np_cpuset_first(g);
	unsigned int level = type == NP_OBJ_L1 ? 1 : type == NP_OBJ_L2 ? 2 : 3;

	if (type == NP_OBJ_L4)
		return np_topo_cpu_llc(t, cpu);
	for (unsigned int i = 0; i < t->cpu_ncaches[cpu]; i++) {
		const struct np_cache *c = &t->caches[t->cpu_caches[cpu][i]];

		if (c->type != NP_CACHE_INSTRUCTION && c->level == level)
			return c;
	}
	return NULL;
}

static void init_obj(const struct np_topo *t, struct np_obj *o, enum np_obj_type type,
		     const struct np_cpuset *set)
{
	const struct np_cpu *c = &t->cpus[np_cpuset_first(set)];

	o->type = type;
	o->cpuset = set;
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
	case NP_OBJ_L1:
	case NP_OBJ_L2:
	case NP_OBJ_L3:
	case NP_OBJ_L4:
		o->attr.cache = group_cache(t, type, set);
		o->os_index = o->attr.cache ? o->attr.cache->id : -1;
		break;
	default:
		break;
	}
}

/* An LLC group becomes an L4 object only when its cache is beyond L3 (else it is an L1-L3). */
static bool is_l4(const struct np_topo *t, const struct np_cpuset *g)
{
	const struct np_cache *c = np_topo_cpu_llc(t, (unsigned int)np_cpuset_first(g));

	return c && c->level > 3;
}

/* Every object, machine first, then type by type in rank order; CPU-less nodes last. */
static int create(struct np_topo *t, struct np__tree *tr, const enum np_obj_type *order, int norder)
{
	unsigned int n = 1, nodes_nocpu = t->node_count - t->groups[NP_LEVEL_NODE].count;

	for (int k = 0; k < norder; k++)
		n += t->groups[type_level[order[k]]].count;
	tr->objs = calloc(n + nodes_nocpu, sizeof(*tr->objs));
	if (!tr->objs || np_cpuset_new(t->ncpus, &tr->empty) < 0)
		return -ENOMEM;
	tr->objs[0] =
		(struct np_obj){ .type = NP_OBJ_MACHINE, .os_index = -1, .cpuset = t->online };
	n = 1;
	for (int k = 0; k < norder; k++) {
		const struct np__groups *g = &t->groups[type_level[order[k]]];

		for (unsigned int i = 0; i < g->count; i++) {
			if (order[k] == NP_OBJ_L4 && !is_l4(t, g->sets[i]))
				continue;
			init_obj(t, &tr->objs[n++], order[k], g->sets[i]);
		}
	}
	for (unsigned int i = 0; i < t->node_count; i++) {
		const struct np_node *nd = &t->nodes[i];

		if (np_cpuset_intersects(nd->cpus, t->online))
			continue;
		tr->objs[n++] = (struct np_obj){ .type = NP_OBJ_NODE, .os_index = (int)nd->id,
						 .cpuset = tr->empty, .attr.node = nd };
	}
	tr->n = n;
	return 0;
}

/*
 * Hang every object with CPUs under the smallest object holding it: largest first (a counting
 * sort by weight, stable, so that equal sets keep the rank order), each found from the
 * deepest object placed so far on its first CPU, walking up.
 */
static int insert_all(struct np_topo *t, struct np__tree *tr)
{
	unsigned int w1 = t->ncpus + 1, *start = calloc(w1 + 1, sizeof(*start));
	unsigned int *weight = malloc(tr->n * sizeof(*weight));
	unsigned int *sorted = malloc(tr->n * sizeof(*sorted));
	struct np_obj **deep = malloc(t->ncpus * sizeof(*deep));
	int r = -ENOMEM;

	if (!start || !weight || !sorted || !deep)
		goto out;
	for (unsigned int i = 1; i < tr->n; i++) {
		weight[i] = np_cpuset_weight(tr->objs[i].cpuset);
		start[t->ncpus - weight[i] + 1]++;
	}
	for (unsigned int w = 1; w <= w1; w++)
		start[w] += start[w - 1];
	for (unsigned int i = 1; i < tr->n; i++)
		sorted[start[t->ncpus - weight[i]]++] = i;
	for (unsigned int c = 0; c < t->ncpus; c++)
		deep[c] = &tr->objs[0];
	for (unsigned int k = 0; k < tr->n - 1; k++) {
		struct np_obj *o = &tr->objs[sorted[k]], *p;

		if (weight[sorted[k]] == 0) {
			o->parent = &tr->objs[0];
			continue;
		}
		p = deep[np_cpuset_first(o->cpuset)];
		while (p->parent && !np_cpuset_subset(o->cpuset, p->cpuset))
			p = (struct np_obj *)p->parent;
		o->parent = p;
		np_cpuset_foreach(c, o->cpuset)
			deep[c] = o;
	}
	r = 0;
out:
	free(deep);
	free(sorted);
	free(weight);
	free(start);
	return r;
}

/* the children's order: rank, then package or node id, else lowest CPU */
static bool before(const struct np__tree *tr, const struct np_obj *a, const struct np_obj *b)
{
	long ka, kb;

	if (a->type != b->type)
		return tr->rank[a->type] < tr->rank[b->type];
	if (a->type == NP_OBJ_PACKAGE || a->type == NP_OBJ_NODE) {
		ka = a->os_index;
		kb = b->os_index;
	} else {
		ka = np_cpuset_first(a->cpuset);
		kb = np_cpuset_first(b->cpuset);
	}
	return ka < kb;
}

static int link_children(struct np__tree *tr)
{
	unsigned int *base = calloc(tr->n, sizeof(*base)), *used = calloc(tr->n, sizeof(*used));
	unsigned int off = 0;

	tr->children = calloc(tr->n, sizeof(*tr->children));
	if (!base || !used || !tr->children) {
		free(used);
		free(base);
		return -ENOMEM;
	}
	for (unsigned int i = 1; i < tr->n; i++)
		((struct np_obj *)tr->objs[i].parent)->arity++;
	for (unsigned int i = 0; i < tr->n; i++) {
		tr->objs[i].children = (const struct np_obj *const *)&tr->children[off];
		base[i] = off;
		off += tr->objs[i].arity;
	}
	for (unsigned int i = 1; i < tr->n; i++) {
		size_t p = (size_t)(tr->objs[i].parent - tr->objs);
		struct np_obj **kids = &tr->children[base[p]];
		unsigned int j = used[p]++;

		/* insertion sort: groups come in lowest-CPU order, so this rarely moves anything */
		while (j > 0 && before(tr, &tr->objs[i], kids[j - 1])) {
			kids[j] = kids[j - 1];
			j--;
		}
		kids[j] = &tr->objs[i];
	}
	free(used);
	free(base);
	return 0;
}

/* depth first: depths, sibling ranks, the per-type lists in tree order, the PUs by CPU */
static void walk(struct np__tree *tr, struct np_obj *o, unsigned int depth, unsigned int *fill)
{
	o->depth = depth;
	tr->list[o->type][fill[o->type]++] = o;
	if (o->type == NP_OBJ_PU)
		tr->pu[o->os_index] = o;
	for (unsigned int i = 0; i < o->arity; i++) {
		struct np_obj *k = (struct np_obj *)o->children[i];

		k->sibling_rank = i;
		walk(tr, k, depth + 1, fill);
	}
}

/*
 * A PU's last-level cache object; for a CPU with no cache known (old kernels, some VMs and
 * arm32 boards), the innermost of its package and node, the CPUs it shares memory with.
 */
static const struct np_obj *llc_of(const struct np_topo *t, const struct np_obj *pu)
{
	const struct np_cache *llc = np_topo_cpu_llc(t, (unsigned int)pu->os_index);
	const struct np_obj *o;

	for (o = pu->parent; llc && o; o = o->parent)
		if (o->type >= NP_OBJ_L4 && o->type <= NP_OBJ_L1 && o->type != NP_OBJ_CLUSTER &&
		    o->attr.cache == llc)
			return o;
	for (o = pu->parent; o->parent; o = o->parent)
		if (o->type == NP_OBJ_PACKAGE || o->type == NP_OBJ_NODE)
			return o;
	return o;
}

/* The LLC list: each CPU's last-level cache object, in order of first appearance. */
static int list_llcs(const struct np_topo *t, struct np__tree *tr)
{
	bool *seen = calloc(tr->n, sizeof(*seen));
	unsigned int n = 0;

	if (!seen)
		return -ENOMEM;
	for (unsigned int i = 0; i < tr->count[NP_OBJ_PU]; i++) {
		const struct np_obj *o = llc_of(t, tr->list[NP_OBJ_PU][i]);

		if (!seen[o - tr->objs])
			tr->list[NP_OBJ_LLC][n++] = (struct np_obj *)o;
		seen[o - tr->objs] = true;
	}
	tr->count[NP_OBJ_LLC] = n;
	free(seen);
	return 0;
}

/* Nodes are numbered by id (t->nodes is in id order), not by tree order. */
static void number_nodes(const struct np_topo *t, struct np__tree *tr)
{
	struct np_obj **l = tr->list[NP_OBJ_NODE];
	unsigned int n = tr->count[NP_OBJ_NODE];

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i; j < n; j++)
			if (l[j]->os_index == (int)t->nodes[i].id) {
				struct np_obj *x = l[i];

				l[i] = l[j];
				l[j] = x;
				break;
			}
}

static void number_all(struct np__tree *tr)
{
	for (int ty = 0; ty < NP_OBJ_TYPE_COUNT; ty++) {
		if (ty == NP_OBJ_LLC)
			continue;
		for (unsigned int i = 0; i < tr->count[ty]; i++) {
			struct np_obj *o = tr->list[ty][i];

			o->logical_index = i;
			o->prev_cousin = i ? tr->list[ty][i - 1] : NULL;
			o->next_cousin = i + 1 < tr->count[ty] ? tr->list[ty][i + 1] : NULL;
		}
	}
}

static int lists(const struct np_topo *t, struct np__tree *tr)
{
	unsigned int fill[NP_OBJ_TYPE_COUNT] = { 0 }, off = 0;

	/* an LLC for each PU at most */
	tr->lists = calloc(tr->n + t->ncpus + 1, sizeof(*tr->lists));
	tr->pu = calloc(t->ncpus, sizeof(*tr->pu));
	if (!tr->lists || !tr->pu)
		return -ENOMEM;
	for (unsigned int i = 0; i < tr->n; i++)
		tr->count[tr->objs[i].type]++;
	for (int ty = 0; ty < NP_OBJ_TYPE_COUNT; ty++) {
		tr->list[ty] = &tr->lists[off];
		off += ty == NP_OBJ_LLC ? t->ncpus : tr->count[ty];
	}
	walk(tr, &tr->objs[0], 0, fill);
	number_nodes(t, tr);
	number_all(tr);
	return list_llcs(t, tr);
}

/* Each object's nodes: walking up from every PU and every CPU-less node. */
static int nodesets(const struct np_topo *t, struct np__tree *tr)
{
	size_t words = NP_WORDS(t->nnodes);

	tr->nodesets = calloc(tr->n, sizeof(*tr->nodesets));
	tr->nodeset_bits = calloc(tr->n * words + 1, sizeof(unsigned long));
	if (!tr->nodesets || !tr->nodeset_bits)
		return -ENOMEM;
	for (unsigned int i = 0; i < tr->n; i++) {
		tr->nodesets[i] = (struct np_cpuset){ .nbits = t->nnodes,
						      .bits = tr->nodeset_bits + i * words };
		tr->objs[i].nodeset = &tr->nodesets[i];
	}
	for (unsigned int i = 0; i < tr->n; i++) {
		const struct np_obj *o = &tr->objs[i];
		int node = o->type == NP_OBJ_PU	    ? o->attr.cpu->node
			   : o->type == NP_OBJ_NODE && o->cpuset == tr->empty ? o->os_index
									     : -1;

		for (; node >= 0 && o; o = o->parent)
			np_cpuset_set(&tr->nodesets[o - tr->objs], (unsigned int)node);
	}
	return 0;
}

int np__topo_tree_build(struct np_topo *t)
{
	static const enum np_obj_type inner[] = { NP_OBJ_DIE, NP_OBJ_L4, NP_OBJ_L3, NP_OBJ_CLUSTER,
						  NP_OBJ_L2, NP_OBJ_L1, NP_OBJ_CORE, NP_OBJ_PU };
	enum np_obj_type order[NP_OBJ_TYPE_COUNT];
	struct np__tree *tr = calloc(1, sizeof(*tr));
	int n = 0, r;

	if (!tr)
		return -ENOMEM;
	t->tree = tr;
	tr->nodes_outer = decide_nodes_outer(t);
	order[n++] = NP_OBJ_DRAWER;
	order[n++] = NP_OBJ_BOOK;
	order[n++] = tr->nodes_outer ? NP_OBJ_NODE : NP_OBJ_PACKAGE;
	order[n++] = tr->nodes_outer ? NP_OBJ_PACKAGE : NP_OBJ_NODE;
	for (size_t i = 0; i < NP_ARRAY_SIZE(inner); i++)
		order[n++] = inner[i];
	for (int i = 0; i < n; i++)
		tr->rank[order[i]] = (unsigned char)(i + 1);
	r = create(t, tr, order, n);
	if (r == 0)
		r = insert_all(t, tr);
	if (r == 0)
		r = link_children(tr);
	if (r == 0)
		r = lists(t, tr);
	if (r == 0)
		r = nodesets(t, tr);
	return r;
}

void np__topo_tree_free(struct np_topo *t)
{
	struct np__tree *tr = t->tree;

	if (!tr)
		return;
	free(tr->objs);
	free(tr->children);
	free(tr->lists);
	free(tr->pu);
	free(tr->nodesets);
	free(tr->nodeset_bits);
	np_cpuset_free(tr->empty);
	free(tr);
	t->tree = NULL;
}

bool np__topo_nodes_outer(const struct np_topo *t)
{
	return t->tree->nodes_outer;
}

const struct np_obj *np_topo_root(const struct np_topo *topo)
{
	return &topo->tree->objs[0];
}

unsigned int np_topo_obj_count(const struct np_topo *topo, enum np_obj_type type)
{
	return (unsigned int)type < NP_OBJ_TYPE_COUNT ? topo->tree->count[type] : 0;
}

const struct np_obj *np_topo_obj(const struct np_topo *topo, enum np_obj_type type,
				 unsigned int i)
{
	if ((unsigned int)type >= NP_OBJ_TYPE_COUNT || i >= topo->tree->count[type])
		return NULL;
	return topo->tree->list[type][i];
}

const struct np_obj *np_obj_ancestor(const struct np_obj *obj, enum np_obj_type type)
{
	for (obj = obj->parent; obj; obj = obj->parent)
		if (obj->type == type)
			return obj;
	return NULL;
}

const struct np_obj *np_topo_obj_of_cpu(const struct np_topo *topo, enum np_obj_type type,
					unsigned int cpu)
{
	const struct np_obj *pu = cpu < topo->ncpus ? topo->tree->pu[cpu] : NULL;

	if (!pu || type == NP_OBJ_PU)
		return pu;
	return type == NP_OBJ_LLC ? llc_of(topo, pu) : np_obj_ancestor(pu, type);
}
