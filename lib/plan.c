/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plan.c - the planner: where N workers should run, by OpenMP's, Intel's and MindSpore's rules,
 * walking the object tree built at load (lib/topo-tree.c).
 *
 * Terminology:
 *  topological order  the PUs in tree order: by package, node (whichever holds the other
 *                     first), last-level cache, core, CPU number; SMT siblings next to each
 *                     other, as hwloc numbers PUs.
 *  hierarchy          the four levels the planner counts in: the outer and inner of package
 *                     and node, the last-level cache, the core (then the PU).
 *  eligible           online, allowed, not isolated (unless asked), within the --within set;
 *                     with smt=avoid, only the first eligible thread of each core.
 *  context            a hardware thread a worker can be counted on (KMP's word); with the
 *                     default smt=last and no more workers than cores, one per core.
 *  place              the CPUs a worker gets: one context (threads) or the eligible CPUs of the
 *                     core, last-level cache, node or package holding it.
 *  partition          OpenMP's place partition: the ordered place list, split by spread into
 *                     subpartitions of consecutive places.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- OpenMP 5 close and spread ----------------------------------------------------------- */

/*
 * OpenMP 5.2 section 10.1.3 (proc_bind), with T threads, P places, the parent on place 0:
 *  close,  T <= P: thread i on place i.
 *  spread, T <= P: the partition is cut into T subpartitions of consecutive places, each
 *                  floor(P/T) or ceil(P/T) long; thread i on the first place of the i-th.
 *  both,   T >  P: each place gets floor(T/P) or ceil(T/P) threads with consecutive numbers.
 * Which subpartitions or places get the larger share is left to the implementation; like
 * libgomp, the first P mod T subpartitions (T mod P places) get the extra one.
 */
void np__omp_assign(bool spread, unsigned int nplaces, unsigned int nthreads, unsigned int *place)
{
	unsigned int P = nplaces, T = nthreads;

	if (T <= P) {
		unsigned int s = P / T, rest = P % T;

		for (unsigned int i = 0; i < T; i++)
			place[i] = spread ? i * s + (i < rest ? i : rest) : i;
		return;
	}
	{
		unsigned int s = T / P, rest = T % P, t = 0;

		for (unsigned int p = 0; p < P; p++)
			for (unsigned int k = 0; k < s + (p < rest); k++)
				place[t++] = p;
	}
}

/* the hierarchy's levels, outermost first, as indexes into struct ctx's up[] */
enum { H_OUTER, H_INNER, H_LLC, H_CORE, H_COUNT };

/*
 * One context: its PU and the objects holding it at each level of the hierarchy.  A missing
 * level (no cache or package known) is NULL, except the core, which is then the PU itself.
 */
struct ctx {
	const struct np_obj *pu;
	const struct np_obj *up[H_COUNT];
};

/* What one planning run works on. */
struct work {
	const struct np_topo *t;
	const struct np__plan_limits *lim;
	const struct np_plan_opts *o;
	unsigned int nworkers;
	struct np_cpuset *elig; /* eligible CPUs (smt=avoid applied) */
	unsigned int nctx;
	struct ctx *ctx;        /* contexts, topological order */
	int level;              /* the place level: H_*, or H_COUNT for threads */
};

void np__plan_limits_of(const struct np_topo *topo, struct np__plan_limits *lim)
{
	lim->allowed = topo->limits ? np_topo_allowed_cpus(topo) : NULL;
	lim->isolated = topo->limits ? np_topo_isolated_cpus(topo) : NULL;
}

/* online & allowed & within, minus isolated unless asked */
static int eligible(struct work *w)
{
	int r = np_cpuset_dup(w->t->online, &w->elig);

	if (r == 0 && w->lim->allowed)
		r = np_cpuset_and(w->elig, w->elig, w->lim->allowed);
	if (r == 0 && w->o->within)
		r = np_cpuset_and(w->elig, w->elig, w->o->within);
	if (r == 0 && w->lim->isolated && !w->o->include_isolated)
		r = np_cpuset_andnot(w->elig, w->elig, w->lim->isolated);
	return r;
}

static void ctx_of(const struct np_topo *t, const struct np_obj *pu, struct ctx *c)
{
	bool nodes_outer = np__topo_nodes_outer(t);
	unsigned int cpu = (unsigned int)pu->os_index;

	c->pu = pu;
	c->up[H_OUTER] = np_obj_ancestor(pu, nodes_outer ? NP_OBJ_NODE : NP_OBJ_PACKAGE);
	c->up[H_INNER] = np_obj_ancestor(pu, nodes_outer ? NP_OBJ_PACKAGE : NP_OBJ_NODE);
	c->up[H_LLC] = np_topo_obj_of_cpu(t, NP_OBJ_LLC, cpu);
	c->up[H_CORE] = np_obj_ancestor(pu, NP_OBJ_CORE);
	if (!c->up[H_CORE])
		c->up[H_CORE] = pu;
}

/* Contexts: eligible CPUs in topological order, one per core when @one_per_core. */
static int contexts(struct work *w, bool one_per_core)
{
	unsigned int npu = np_topo_obj_count(w->t, NP_OBJ_PU);
	const struct np_obj *last_core = NULL;

	w->ctx = calloc(npu + 1, sizeof(*w->ctx));
	if (!w->ctx)
		return -ENOMEM;
	w->nctx = 0;
	for (unsigned int i = 0; i < npu; i++) {
		const struct np_obj *pu = np_topo_obj(w->t, NP_OBJ_PU, i);
		struct ctx *c = &w->ctx[w->nctx];

		if (!np_cpuset_isset(w->elig, (unsigned int)pu->os_index))
			continue;
		ctx_of(w->t, pu, c);
		if (one_per_core && c->up[H_CORE] == last_core)
			continue;
		last_core = c->up[H_CORE];
		w->nctx++;
	}
	return 0;
}

static unsigned int count_cores(const struct work *w)
{
	const struct np_obj *last = NULL;
	unsigned int n = 0;

	for (unsigned int i = 0; i < w->nctx; i++)
		if (w->ctx[i].up[H_CORE] != last) {
			last = w->ctx[i].up[H_CORE];
			n++;
		}
	return n;
}

/* eligibility, smt handling and the context list */
static int prepare(struct work *w)
{
	int r = eligible(w);

	if (r < 0)
		return r;
	if (w->o->smt == NP_SMT_AVOID) {
		r = contexts(w, true);
		if (r < 0)
			return r;
		np_cpuset_zero(w->elig);
		for (unsigned int i = 0; i < w->nctx; i++)
			np_cpuset_set(w->elig, (unsigned int)w->ctx[i].pu->os_index);
		return w->nctx ? 0 : -ENOENT;
	}
	r = contexts(w, false);
	if (r < 0)
		return r;
	if (w->nctx == 0)
		return -ENOENT;
	if (w->o->smt == NP_SMT_LAST && w->nworkers <= count_cores(w)) {
		free(w->ctx);
		return contexts(w, true);
	}
	return 0;
}

static void set_level(struct work *w)
{
	bool nodes_outer = np__topo_nodes_outer(w->t);

	switch (w->o->places) {
	case NP_PLACES_THREADS:
		w->level = H_COUNT;
		break;
	case NP_PLACES_LL_CACHES:
		w->level = H_LLC;
		break;
	case NP_PLACES_NUMA_DOMAINS:
		w->level = nodes_outer ? H_OUTER : H_INNER;
		break;
	case NP_PLACES_SOCKETS:
		w->level = nodes_outer ? H_INNER : H_OUTER;
		break;
	default:
		w->level = H_CORE;
		break;
	}
}

/*
 * The object holding context @c at the place level.  A CPU without a known cache, package or
 * node takes the nearest level above that it has (the machine at worst): it forms one place
 * with the CPUs that share its ignorance.
 */
static const struct np_obj *place_obj(const struct work *w, const struct ctx *c)
{
	for (int l = w->level; l >= 0; l--)
		if (c->up[l])
			return c->up[l];
	return np_topo_root(w->t);
}

/* The place (CPU set) holding context @c: the context alone for threads, else its object. */
static int place_of(const struct work *w, const struct ctx *c, struct np_cpuset *out)
{
	if (w->level == H_COUNT) {
		np_cpuset_zero(out);
		return np_cpuset_set(out, (unsigned int)c->pu->os_index);
	}
	return np_cpuset_and(out, place_obj(w, c)->cpuset, w->elig);
}

static const struct np_obj *place_key(const struct work *w, const struct ctx *c)
{
	return w->level == H_COUNT ? c->pu : place_obj(w, c);
}

/* Place list for close/spread: index of the first context of each place, in order. */
static int place_list(const struct work *w, unsigned int **first, unsigned int *nplaces)
{
	unsigned int n = 0, *f = malloc((w->nctx + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	for (unsigned int i = 0; i < w->nctx; i++) {
		unsigned int j;

		for (j = 0; j < n; j++)
			if (place_key(w, &w->ctx[f[j]]) == place_key(w, &w->ctx[i]))
				break;
		if (j == n)
			f[n++] = i;
	}
	*first = f;
	*nplaces = n;
	return 0;
}

static int plan_omp(const struct work *w, struct np_plan *p)
{
	unsigned int *first, nplaces, *assign;
	int r = place_list(w, &first, &nplaces);

	if (r < 0)
		return r;
	assign = malloc(w->nworkers * sizeof(*assign));
	if (!assign) {
		free(first);
		return -ENOMEM;
	}
	np__omp_assign(w->o->policy == NP_PLAN_SPREAD, nplaces, w->nworkers, assign);
	for (unsigned int i = 0; i < w->nworkers && r == 0; i++)
		r = place_of(w, &w->ctx[first[assign[i]]], p->cpus[i]);
	free(assign);
	free(first);
	return r;
}

/*
 * KMP_AFFINITY compact/scatter.  Each context gets, per level of the hierarchy and for the
 * thread, its index among the objects of that level inside its parent.  compact sorts by
 * these from the outermost level in, scatter from the innermost out; worker i takes context
 * i mod n, bound to the place (granularity) holding it, as libomp does with duplicates.
 */
struct kctx {
	unsigned int key[H_COUNT + 1];
	unsigned int pos;
};

static int cmp_kctx(const struct kctx *x, const struct kctx *y, bool scatter)
{
	for (int k = 0; k <= H_COUNT; k++) {
		int l = scatter ? H_COUNT - k : k;

		if (x->key[l] != y->key[l])
			return x->key[l] < y->key[l] ? -1 : 1;
	}
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int cmp_compact(const void *a, const void *b)
{
	return cmp_kctx(a, b, false);
}

static int cmp_scatter(const void *a, const void *b)
{
	return cmp_kctx(a, b, true);
}

static void relative_keys(const struct work *w, struct kctx *k)
{
	for (unsigned int i = 0; i < w->nctx; i++) {
		int d = 0;

		k[i].pos = i;
		if (i == 0) {
			memset(k[i].key, 0, sizeof(k[i].key));
			continue;
		}
		while (d < H_COUNT && w->ctx[i].up[d] == w->ctx[i - 1].up[d])
			d++;
		for (int l = 0; l <= H_COUNT; l++)
			k[i].key[l] = l < d ? k[i - 1].key[l] : l == d ? k[i - 1].key[l] + 1 : 0;
	}
}

static int plan_kmp(const struct work *w, struct np_plan *p)
{
	struct kctx *k = calloc(w->nctx, sizeof(*k));
	int r = 0;

	if (!k)
		return -ENOMEM;
	relative_keys(w, k);
	qsort(k, w->nctx, sizeof(*k), w->o->policy == NP_PLAN_SCATTER ? cmp_scatter : cmp_compact);
	for (unsigned int i = 0; i < w->nworkers && r == 0; i++)
		r = place_of(w, &w->ctx[k[i % w->nctx].pos], p->cpus[i]);
	free(k);
	return r;
}

/* MindSpore's cache server: worker i on the (i mod n)-th node with eligible CPUs. */
static int plan_per_node(const struct work *w, struct np_plan *p)
{
	unsigned int nn = np_topo_obj_count(w->t, NP_OBJ_NODE), n = 0;
	const struct np_obj **nodes = malloc((nn + 1) * sizeof(*nodes));
	int r = 0;

	if (!nodes)
		return -ENOMEM;
	for (unsigned int i = 0; i < nn; i++)
		if (np_cpuset_intersects(np_topo_obj(w->t, NP_OBJ_NODE, i)->cpuset, w->elig))
			nodes[n++] = np_topo_obj(w->t, NP_OBJ_NODE, i);
	for (unsigned int i = 0; i < w->nworkers && r == 0; i++)
		r = np_cpuset_and(p->cpus[i], nodes[i % n]->cpuset, w->elig);
	free(nodes);
	return r;
}

/* the nodes each worker's CPUs sit on */
static int worker_nodes(const struct np_topo *t, struct np_plan *p)
{
	for (unsigned int i = 0; i < p->n; i++) {
		int r = np_cpuset_new(t->nnodes, &p->nodes[i]);

		if (r < 0)
			return r;
		p->node[i] = -1;
		for (unsigned int j = 0; j < np_topo_obj_count(t, NP_OBJ_NODE); j++) {
			const struct np_obj *n = np_topo_obj(t, NP_OBJ_NODE, j);

			if (np_cpuset_intersects(n->cpuset, p->cpus[i]))
				np_cpuset_set(p->nodes[i], (unsigned int)n->os_index);
		}
		if (np_cpuset_weight(p->nodes[i]) == 1)
			p->node[i] = np_cpuset_first(p->nodes[i]);
	}
	return 0;
}

static struct np_plan *plan_new(unsigned int n, unsigned int cpu_size)
{
	struct np_plan *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->n = n;
	p->cpus = calloc(n, sizeof(*p->cpus));
	p->nodes = calloc(n, sizeof(*p->nodes));
	p->node = calloc(n, sizeof(*p->node));
	p->shared = calloc(n, sizeof(*p->shared));
	if (!p->cpus || !p->nodes || !p->node || !p->shared)
		goto fail;
	for (unsigned int i = 0; i < n; i++)
		if (np_cpuset_new(cpu_size, &p->cpus[i]) < 0)
			goto fail;
	return p;
fail:
	np_plan_free(p);
	return NULL;
}

static bool opts_valid(const struct np_plan_opts *o)
{
	return (unsigned int)o->policy <= NP_PLAN_PER_NODE &&
	       (unsigned int)o->places <= NP_PLACES_SOCKETS && (unsigned int)o->smt <= NP_SMT_AVOID;
}

static int plan_fill(const struct work *w, struct np_plan *p)
{
	int r;

	if (w->o->policy == NP_PLAN_CLOSE || w->o->policy == NP_PLAN_SPREAD)
		r = plan_omp(w, p);
	else if (w->o->policy == NP_PLAN_PER_NODE)
		r = plan_per_node(w, p);
	else
		r = plan_kmp(w, p);
	if (r == 0)
		r = worker_nodes(w->t, p);
	return r == 0 ? np__plan_mark_shared(w->t, p) : r;
}

int np__plan_limited(const struct np_topo *topo, const struct np__plan_limits *lim,
		     unsigned int nworkers, const struct np_plan_opts *opts, struct np_plan **ret)
{
	static const struct np_plan_opts defaults;
	struct work w = { .t = topo, .lim = lim, .o = opts ? opts : &defaults,
			  .nworkers = nworkers };
	struct np_plan *p = NULL;
	int r;

	if (nworkers == 0 || !opts_valid(w.o))
		return -EINVAL;
	set_level(&w);
	r = prepare(&w);
	if (r < 0)
		goto out;
	p = plan_new(nworkers, topo->ncpus);
	if (!p) {
		r = -ENOMEM;
		goto out;
	}
	r = plan_fill(&w, p);
	if (r == 0) {
		p->eligible = w.elig;
		w.elig = NULL;
		*ret = p;
		p = NULL;
	}
out:
	np_plan_free(p);
	np_cpuset_free(w.elig);
	free(w.ctx);
	return r;
}

int np_plan_make(const struct np_topo *topo, unsigned int nworkers, const struct np_plan_opts *opts,
		 struct np_plan **ret)
{
	struct np__plan_limits lim;

	np__plan_limits_of(topo, &lim);
	return np__plan_limited(topo, &lim, nworkers, opts, ret);
}

/* ---- ranks ----------------------------------------------------------------------------- */

/* the places [*lo, *lo + *n) of rank @rank of @size over @nplaces places */
static void rank_places(unsigned int rank, unsigned int size, unsigned int nplaces,
			unsigned int *lo, unsigned int *n)
{
	if (size <= nplaces) {
		/* run r of the spread cut: floor or ceil(P/size) places, the longer runs first */
		unsigned int s = nplaces / size, rest = nplaces % size;

		*lo = rank * s + (rank < rest ? rank : rest);
		*n = s + (rank < rest);
	} else {
		/* close's sharing: the first (size mod P) places take one rank more */
		unsigned int s = size / nplaces, rest = size % nplaces, p = 0, t = 0;

		while (t + s + (p < rest) <= rank)
			t += s + (p++ < rest);
		*lo = p;
		*n = 1;
	}
}

int np__plan_slice_limited(const struct np_topo *topo, const struct np__plan_limits *lim,
			   unsigned int rank, unsigned int size, const struct np_plan_opts *opts,
			   struct np_cpuset **ret)
{
	static const struct np_plan_opts defaults;
	struct work w = { .t = topo, .lim = lim, .o = opts ? opts : &defaults, .nworkers = size };
	unsigned int *first = NULL, nplaces, lo, n;
	struct np_cpuset *out = NULL, *one = NULL;
	int r;

	if (size == 0 || rank >= size || !opts_valid(w.o))
		return -EINVAL;
	set_level(&w);
	r = prepare(&w);
	if (r == 0)
		r = place_list(&w, &first, &nplaces);
	if (r == 0)
		r = np_cpuset_new(topo->ncpus, &out);
	if (r == 0)
		r = np_cpuset_new(topo->ncpus, &one);
	if (r < 0)
		goto out;
	rank_places(rank, size, nplaces, &lo, &n);
	for (unsigned int i = lo; i < lo + n && r == 0; i++) {
		r = place_of(&w, &w.ctx[first[i]], one);
		if (r == 0)
			r = np_cpuset_or(out, out, one);
	}
	if (r == 0) {
		*ret = out;
		out = NULL;
	}
out:
	np_cpuset_free(one);
	np_cpuset_free(out);
	free(first);
	free(w.ctx);
	np_cpuset_free(w.elig);
	return r;
}

int np_plan_slice(const struct np_topo *topo, unsigned int rank, unsigned int size,
		  const struct np_plan_opts *opts, struct np_cpuset **ret)
{
	struct np__plan_limits lim;

	if (size == 0 || rank >= size)
		return -EINVAL;
	np__plan_limits_of(topo, &lim);
	return np__plan_slice_limited(topo, &lim, rank, size, opts, ret);
}
