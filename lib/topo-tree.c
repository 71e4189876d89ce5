/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-tree.c - the object tree (struct np_obj): the machine, its packages, nodes, dies,
 * caches, clusters, cores and PUs, built once at np_topo_load(): containment and order here, the
 * objects themselves in lib/topo-group.c.
 *
 * Terminology:
 *  object        one instance of a type (a package, a node, an L3...); its cpuset is the group
 *                of online CPUs sharing it (lib/topo-group.c).
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

#include "topo-tree.h"

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

/*
 * Do nodes hold packages?  When every package lies in one node and some node holds more than
 * its package (POWER's one-core "packages", old multi-socket boards with one memory controller),
 * yes; otherwise packages hold nodes (SNC, Magny-Cours) or they are the same.  This is the only
 * place that decides it; the planner's order and the printer follow the tree.  (The planner
 * used to look only at packages next to each other in id order, so boards whose nodes hold
 * packages 0,2 and 1,3 counted packages first; no capture has one.)
 */
static int decide_nodes_outer(const struct np_topo *t, const struct np__grouping *g,
			      bool *ret)
{
	const int *pk = &g->gid[(size_t)NP_OBJ_PACKAGE * t->ncpus];
	const int *nd = &g->gid[(size_t)NP_OBJ_NODE * t->ncpus];
	unsigned int npk = g->count[NP_OBJ_PACKAGE];
	unsigned int *size = calloc(npk + g->count[NP_OBJ_NODE] + 1, sizeof(*size));
	int *node = malloc((npk + 1) * sizeof(*node));
	bool inside = true, several = false;

	if (!size || !node) {
		free(node);
		free(size);
		return -ENOMEM;
	}
	for (unsigned int p = 0; p < npk; p++)
		node[p] = -2;
	np_cpuset_foreach(c, t->online) {
		if (nd[c] >= 0)
			size[npk + (unsigned int)nd[c]]++;
		if (pk[c] < 0)
			continue;
		size[pk[c]]++;
		if (node[pk[c]] == -2)
			node[pk[c]] = nd[c];
		if (nd[c] < 0 || node[pk[c]] != nd[c])
			inside = false;
	}
	for (unsigned int p = 0; inside && p < npk; p++)
		if (size[p] != size[npk + (unsigned int)node[p]])
			several = true;
	*ret = inside && several;
	free(node);
	free(size);
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

/* the types in rank order, outermost first; returns how many */
static int rank_types(struct np__tree *tr, enum np_obj_type *order)
{
	static const enum np_obj_type inner[] = { NP_OBJ_DIE, NP_OBJ_L4, NP_OBJ_L3, NP_OBJ_CLUSTER,
						  NP_OBJ_L2, NP_OBJ_L1, NP_OBJ_CORE, NP_OBJ_PU };
	int n = 0;

	order[n++] = NP_OBJ_DRAWER;
	order[n++] = NP_OBJ_BOOK;
	order[n++] = tr->nodes_outer ? NP_OBJ_NODE : NP_OBJ_PACKAGE;
	order[n++] = tr->nodes_outer ? NP_OBJ_PACKAGE : NP_OBJ_NODE;
	for (size_t i = 0; i < NP_ARRAY_SIZE(inner); i++)
		order[n++] = inner[i];
	for (int i = 0; i < n; i++)
		tr->rank[order[i]] = (unsigned char)(i + 1);
	return n;
}

int np__topo_tree_build(struct np_topo *t)
{
	enum np_obj_type order[NP_OBJ_TYPE_COUNT];
	struct np__tree *tr = calloc(1, sizeof(*tr));
	struct np__grouping g = { 0 };
	int r;

	if (!tr)
		return -ENOMEM;
	t->tree = tr;
	r = np__grouping_build(t, &g);
	if (r == 0)
		r = decide_nodes_outer(t, &g, &tr->nodes_outer);
	if (r == 0)
		r = np__tree_objects(t, tr, &g, order, rank_types(tr, order));
	np__grouping_free(&g);
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
	free(tr->sets);
	free(tr->set_bits);
	free(tr->cache_obj);
	free(tr->cache_llc);
	free(tr->llc_groups);
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
