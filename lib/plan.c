/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plan.c - the planner: where N workers should run, by OpenMP's, Intel's and MindSpore's rules,
 * and the machine model (struct np__mach) it and the location expressions read.
 *
 * Terminology:
 *  topological order  the online CPUs sorted by package, node, last-level cache, core, CPU
 *                     number: SMT siblings next to each other, as hwloc numbers PUs.
 *  logical index      an object's rank in that order (node: its rank by id).
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

/* ---- the machine model ----------------------------------------------------------------- */

void np__mach_free(struct np__mach *m)
{
	if (!m)
		return;
	for (int l = 0; l < NP__LVL_COUNT; l++) {
		for (unsigned int i = 0; m->obj[l] && i < m->nobj[l]; i++)
			np_cpuset_free(m->obj[l][i]);
		free(m->obj[l]);
	}
	free(m->node_id);
	free(m->cpus);
	np_cpuset_free(m->online);
	np_cpuset_free(m->allowed);
	np_cpuset_free(m->isolated);
	free(m);
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct np__mach_cpu *x = a, *y = b;

	for (int l = 0; l < NP__LVL_HIER; l++)
		if (x->skey[l] != y->skey[l])
			return x->skey[l] < y->skey[l] ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* Unknown ids of the hierarchy become one object per enclosing object (per CPU for a core). */
static void normalise(struct np__mach_cpu *c)
{
	const long long synth = 1LL << 40;

	if (c->raw[NP__LVL_PACKAGE] < 0)
		c->raw[NP__LVL_PACKAGE] = 0;
	if (c->raw[NP__LVL_NODE] < 0)
		c->raw[NP__LVL_NODE] = 0;
	if (c->raw[NP__LVL_LLC] < 0)
		c->raw[NP__LVL_LLC] =
			synth + (c->raw[NP__LVL_PACKAGE] << 16) + c->raw[NP__LVL_NODE];
	if (c->raw[NP__LVL_CORE] < 0)
		c->raw[NP__LVL_CORE] = synth + c->cpu;
	c->raw[NP__LVL_PU] = c->cpu;
}

/* The node objects: every node id the CPUs name and @extra (CPU-less nodes), sorted, unique. */
static int collect_nodes(struct np__mach *m, const unsigned int *extra, unsigned int nextra)
{
	unsigned int n = 0, *ids = malloc((m->ncpus + nextra + 1) * sizeof(*ids));

	if (!ids)
		return -ENOMEM;
	for (unsigned int i = 0; i < m->ncpus; i++)
		ids[n++] = (unsigned int)m->cpus[i].raw[NP__LVL_NODE];
	for (unsigned int i = 0; i < nextra; i++)
		ids[n++] = extra[i];
	qsort(ids, n, sizeof(*ids), cmp_uint);
	m->nobj[NP__LVL_NODE] = 0;
	for (unsigned int i = 0; i < n; i++)
		if (i == 0 || ids[i] != ids[i - 1])
			ids[m->nobj[NP__LVL_NODE]++] = ids[i];
	m->node_id = ids;
	m->node_size = m->nobj[NP__LVL_NODE] ? ids[m->nobj[NP__LVL_NODE] - 1] + 1 : 1;
	for (unsigned int i = 0; i < m->ncpus; i++)
		for (unsigned int j = 0; j < m->nobj[NP__LVL_NODE]; j++)
			if (ids[j] == (unsigned int)m->cpus[i].raw[NP__LVL_NODE])
				m->cpus[i].lid[NP__LVL_NODE] = (int)j;
	return 0;
}

/*
 * Logical indexes of one level by first appearance in topological order; a CPU with no object
 * at a flat level (raw -1: no L2 known) gets -1.  The previous CPU's object is tried first:
 * objects are contiguous in that order nearly always, which keeps this linear in practice.
 */
static int number_level(struct np__mach *m, int l)
{
	long long *keys = malloc((m->ncpus + 1) * sizeof(*keys));
	unsigned int n = 0;

	if (!keys)
		return -ENOMEM;
	for (unsigned int i = 0; i < m->ncpus; i++) {
		long long k = m->cpus[i].raw[l];
		unsigned int j;

		m->cpus[i].lid[l] = -1;
		if (k < 0)
			continue;
		if (n && keys[n - 1] == k) {
			m->cpus[i].lid[l] = (int)n - 1;
			continue;
		}
		for (j = 0; j < n && keys[j] != k; j++)
			;
		if (j == n)
			keys[n++] = k;
		m->cpus[i].lid[l] = (int)j;
	}
	m->nobj[l] = n;
	free(keys);
	return 0;
}

static int fill_objects(struct np__mach *m)
{
	int r;

	for (int l = 0; l < NP__LVL_COUNT; l++) {
		m->obj[l] = calloc(m->nobj[l] + 1, sizeof(*m->obj[l]));
		if (!m->obj[l])
			return -ENOMEM;
		for (unsigned int i = 0; i < m->nobj[l]; i++) {
			r = np_cpuset_new(m->cpu_size, &m->obj[l][i]);
			if (r < 0)
				return r;
		}
		for (unsigned int i = 0; i < m->ncpus; i++)
			if (m->cpus[i].lid[l] >= 0)
				np_cpuset_set(m->obj[l][m->cpus[i].lid[l]], m->cpus[i].cpu);
	}
	return 0;
}

static void sort_cpus(struct np__mach *m)
{
	for (unsigned int i = 0; i < m->ncpus; i++)
		for (int l = 0; l < NP__LVL_HIER; l++)
			m->cpus[i].skey[l] = m->cpus[i].raw[m->hier[l]];
	qsort(m->cpus, m->ncpus, sizeof(*m->cpus), cmp_cpu);
}

/*
 * Is the node the outer level?  When every package sits in one node and some node holds
 * several packages (POWER's one-core "packages", old multi-socket boards with one memory
 * controller), nodes contain packages and count first; otherwise packages do (SNC, Magny-Cours).
 * Expects the CPUs sorted package first.
 */
static bool nodes_outer(const struct np__mach *m)
{
	bool several = false;

	for (unsigned int i = 1; i < m->ncpus; i++) {
		const struct np__mach_cpu *a = &m->cpus[i - 1], *b = &m->cpus[i];

		if (a->raw[NP__LVL_PACKAGE] == b->raw[NP__LVL_PACKAGE] &&
		    a->raw[NP__LVL_NODE] != b->raw[NP__LVL_NODE])
			return false;
		if (a->raw[NP__LVL_PACKAGE] != b->raw[NP__LVL_PACKAGE] &&
		    a->raw[NP__LVL_NODE] == b->raw[NP__LVL_NODE])
			several = true;
	}
	return several;
}

int np__mach_build(unsigned int cpu_size, const struct np__mach_desc *desc, unsigned int n,
		   const unsigned int *extra_nodes, unsigned int nextra, struct np__mach **ret)
{
	struct np__mach *m = calloc(1, sizeof(*m));
	int r = -ENOMEM;

	if (!m)
		return -ENOMEM;
	m->cpu_size = cpu_size;
	m->ncpus = n;
	m->cpus = calloc(n + 1, sizeof(*m->cpus));
	if (!m->cpus || np_cpuset_new(cpu_size, &m->online) < 0)
		goto fail;
	for (unsigned int i = 0; i < n; i++) {
		r = -ERANGE;
		if (desc[i].cpu >= cpu_size || np_cpuset_isset(m->online, desc[i].cpu))
			goto fail;
		np_cpuset_set(m->online, desc[i].cpu);
		m->cpus[i].cpu = desc[i].cpu;
		memcpy(m->cpus[i].raw, desc[i].raw, sizeof(desc[i].raw));
		normalise(&m->cpus[i]);
	}
	for (int l = 0; l < NP__LVL_HIER; l++)
		m->hier[l] = l;
	sort_cpus(m);
	if (nodes_outer(m)) {
		m->hier[0] = NP__LVL_NODE;
		m->hier[1] = NP__LVL_PACKAGE;
		sort_cpus(m);
	}
	r = collect_nodes(m, extra_nodes, nextra);
	for (int l = 0; l < NP__LVL_COUNT && r == 0; l++)
		if (l != NP__LVL_NODE)
			r = number_level(m, l);
	if (r == 0)
		r = fill_objects(m);
	if (r < 0)
		goto fail;
	*ret = m;
	return 0;
fail:
	np__mach_free(m);
	return r;
}

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

/* ---- plans ------------------------------------------------------------------------------- */

struct np_plan {
	unsigned int n;
	struct np_cpuset **cpus;
	struct np_cpuset **nodes;
	int *node;
	struct np_cpuset *eligible;
};

void np_plan_free(struct np_plan *plan)
{
	if (!plan)
		return;
	for (unsigned int i = 0; i < plan->n; i++) {
		if (plan->cpus)
			np_cpuset_free(plan->cpus[i]);
		if (plan->nodes)
			np_cpuset_free(plan->nodes[i]);
	}
	free(plan->cpus);
	free(plan->nodes);
	free(plan->node);
	np_cpuset_free(plan->eligible);
	free(plan);
}

unsigned int np_plan_count(const struct np_plan *plan)
{
	return plan->n;
}

const struct np_cpuset *np_plan_cpus(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n ? plan->cpus[i] : NULL;
}

const struct np_cpuset *np_plan_nodes(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n ? plan->nodes[i] : NULL;
}

int np_plan_node(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n ? plan->node[i] : -1;
}

const struct np_cpuset *np_plan_eligible(const struct np_plan *plan)
{
	return plan->eligible;
}

/* What one planning run works on. */
struct work {
	const struct np__mach *m;
	const struct np_plan_opts *o;
	unsigned int nworkers;
	struct np_cpuset *elig;       /* eligible CPUs (smt=avoid applied) */
	unsigned int nctx;
	const struct np__mach_cpu **ctx; /* contexts, topological order */
	int level;                    /* the place level */
};

static const int place_level[] = {
	[NP_PLACES_CORES] = NP__LVL_CORE,         [NP_PLACES_THREADS] = NP__LVL_PU,
	[NP_PLACES_LL_CACHES] = NP__LVL_LLC,      [NP_PLACES_NUMA_DOMAINS] = NP__LVL_NODE,
	[NP_PLACES_SOCKETS] = NP__LVL_PACKAGE,
};

/* online & allowed & within, minus isolated unless asked */
static int eligible(struct work *w)
{
	const struct np__mach *m = w->m;
	int r = np_cpuset_dup(m->online, &w->elig);

	if (r == 0 && m->allowed)
		r = np_cpuset_and(w->elig, w->elig, m->allowed);
	if (r == 0 && w->o->within)
		r = np_cpuset_and(w->elig, w->elig, w->o->within);
	if (r == 0 && m->isolated && !w->o->include_isolated)
		r = np_cpuset_andnot(w->elig, w->elig, m->isolated);
	return r;
}

/* Contexts: eligible CPUs in topological order, one per core when @one_per_core. */
static int contexts(struct work *w, bool one_per_core)
{
	const struct np__mach *m = w->m;
	int last_core = -1;

	w->ctx = calloc(m->ncpus + 1, sizeof(*w->ctx));
	if (!w->ctx)
		return -ENOMEM;
	w->nctx = 0;
	for (unsigned int i = 0; i < m->ncpus; i++) {
		const struct np__mach_cpu *c = &m->cpus[i];

		if (!np_cpuset_isset(w->elig, c->cpu))
			continue;
		if (one_per_core && c->lid[NP__LVL_CORE] == last_core)
			continue;
		last_core = c->lid[NP__LVL_CORE];
		w->ctx[w->nctx++] = c;
	}
	return 0;
}

static unsigned int count_cores(const struct work *w)
{
	unsigned int n = 0;
	int last = -1;

	for (unsigned int i = 0; i < w->nctx; i++)
		if (w->ctx[i]->lid[NP__LVL_CORE] != last) {
			last = w->ctx[i]->lid[NP__LVL_CORE];
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
			np_cpuset_set(w->elig, w->ctx[i]->cpu);
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

/* The place (CPU set) holding context @c: the context alone for threads, else its object. */
static int place_of(const struct work *w, const struct np__mach_cpu *c, struct np_cpuset *out)
{
	if (w->level == NP__LVL_PU) {
		np_cpuset_zero(out);
		return np_cpuset_set(out, c->cpu);
	}
	return np_cpuset_and(out, w->m->obj[w->level][c->lid[w->level]], w->elig);
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
			if (w->ctx[f[j]]->lid[w->level] == w->ctx[i]->lid[w->level])
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
		r = place_of(w, w->ctx[first[assign[i]]], p->cpus[i]);
	free(assign);
	free(first);
	return r;
}

/*
 * KMP_AFFINITY compact/scatter.  Each context gets, per level (package, node, cache, core,
 * thread), its index among the objects of that level inside its parent.  compact sorts by
 * these from the outermost level in, scatter from the innermost out; worker i takes context
 * i mod n, bound to the place (granularity) holding it, as libomp does with duplicates.
 */
struct kctx {
	unsigned int key[NP__LVL_HIER + 1];
	unsigned int pos;
};

static int cmp_kctx(const struct kctx *x, const struct kctx *y, bool scatter)
{
	for (int k = 0; k <= NP__LVL_HIER; k++) {
		int l = scatter ? NP__LVL_HIER - k : k;

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
		while (d < NP__LVL_HIER &&
		       w->ctx[i]->lid[w->m->hier[d]] == w->ctx[i - 1]->lid[w->m->hier[d]])
			d++;
		for (int l = 0; l <= NP__LVL_HIER; l++)
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
		r = place_of(w, w->ctx[k[i % w->nctx].pos], p->cpus[i]);
	free(k);
	return r;
}

/* MindSpore's cache server: worker i on the (i mod n)-th node with eligible CPUs. */
static int plan_per_node(const struct work *w, struct np_plan *p)
{
	const struct np__mach *m = w->m;
	unsigned int n = 0, *nodes = malloc((m->nobj[NP__LVL_NODE] + 1) * sizeof(*nodes));
	int r = 0;

	if (!nodes)
		return -ENOMEM;
	for (unsigned int i = 0; i < m->nobj[NP__LVL_NODE]; i++)
		if (np_cpuset_intersects(m->obj[NP__LVL_NODE][i], w->elig))
			nodes[n++] = i;
	for (unsigned int i = 0; i < w->nworkers && r == 0; i++)
		r = np_cpuset_and(p->cpus[i], m->obj[NP__LVL_NODE][nodes[i % n]], w->elig);
	free(nodes);
	return r;
}

/* the nodes each worker's CPUs sit on */
static int worker_nodes(const struct np__mach *m, struct np_plan *p)
{
	for (unsigned int i = 0; i < p->n; i++) {
		int r = np_cpuset_new(m->node_size, &p->nodes[i]);

		if (r < 0)
			return r;
		p->node[i] = -1;
		for (unsigned int j = 0; j < m->nobj[NP__LVL_NODE]; j++)
			if (np_cpuset_intersects(m->obj[NP__LVL_NODE][j], p->cpus[i]))
				np_cpuset_set(p->nodes[i], m->node_id[j]);
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
	if (!p->cpus || !p->nodes || !p->node)
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

int np__plan_mach(const struct np__mach *m, unsigned int nworkers, const struct np_plan_opts *opts,
		  struct np_plan **ret)
{
	static const struct np_plan_opts defaults;
	struct work w = { .m = m, .o = opts ? opts : &defaults, .nworkers = nworkers };
	struct np_plan *p = NULL;
	int r;

	if (nworkers == 0 || !opts_valid(w.o))
		return -EINVAL;
	w.level = place_level[w.o->places];
	r = prepare(&w);
	if (r < 0)
		goto out;
	p = plan_new(nworkers, m->cpu_size);
	if (!p) {
		r = -ENOMEM;
		goto out;
	}
	if (w.o->policy == NP_PLAN_CLOSE || w.o->policy == NP_PLAN_SPREAD)
		r = plan_omp(&w, p);
	else if (w.o->policy == NP_PLAN_PER_NODE)
		r = plan_per_node(&w, p);
	else
		r = plan_kmp(&w, p);
	if (r == 0)
		r = worker_nodes(m, p);
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
	struct np__mach *m;
	int r;

	if (nworkers == 0 || (opts && !opts_valid(opts)))
		return -EINVAL;
	r = np__mach_from_topo(topo, &m);
	if (r < 0)
		return r;
	r = np__plan_mach(m, nworkers, opts, ret);
	np__mach_free(m);
	return r;
}

/* ---- ranks ----------------------------------------------------------------------------- */

int np__plan_slice_mach(const struct np__mach *m, unsigned int rank, unsigned int size,
			const struct np_plan_opts *opts, struct np_cpuset **ret)
{
	static const struct np_plan_opts defaults;
	struct work w = { .m = m, .o = opts ? opts : &defaults, .nworkers = size };
	unsigned int *first = NULL, nplaces, lo, n;
	struct np_cpuset *out = NULL, *one = NULL;
	int r;

	if (size == 0 || rank >= size || !opts_valid(w.o))
		return -EINVAL;
	w.level = place_level[w.o->places];
	r = prepare(&w);
	if (r == 0)
		r = place_list(&w, &first, &nplaces);
	if (r == 0)
		r = np_cpuset_new(m->cpu_size, &out);
	if (r == 0)
		r = np_cpuset_new(m->cpu_size, &one);
	if (r < 0)
		goto out;
	if (size <= nplaces) {
		/* run r of the spread cut: floor or ceil(P/size) places, the longer runs first */
		unsigned int s = nplaces / size, rest = nplaces % size;

		lo = rank * s + (rank < rest ? rank : rest);
		n = s + (rank < rest);
	} else {
		/* close's sharing: the first (size mod P) places take one rank more */
		unsigned int s = size / nplaces, rest = size % nplaces, p = 0, t = 0;

		while (t + s + (p < rest) <= rank)
			t += s + (p++ < rest);
		lo = p;
		n = 1;
	}
	for (unsigned int i = lo; i < lo + n && r == 0; i++) {
		r = place_of(&w, w.ctx[first[i]], one);
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
	struct np__mach *m;
	int r;

	if (size == 0 || rank >= size)
		return -EINVAL;
	r = np__mach_from_topo(topo, &m);
	if (r < 0)
		return r;
	r = np__plan_slice_mach(m, rank, size, opts, ret);
	np__mach_free(m);
	return r;
}

static int env_uint(const char *name, unsigned int *ret)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s)
		return -ENOENT;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 1u << 24)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

/*
 * SLURM_STEP_TASKS_PER_NODE is "2(x3),1": a count per node of the step, runs compressed as
 * count(xrepeat); SLURM_NODEID picks this node's entry.
 */
static int slurm_tasks_here(unsigned int *ret)
{
	const char *s = getenv("SLURM_STEP_TASKS_PER_NODE");
	unsigned int node, seen = 0;
	int r;

	if (env_uint("SLURM_NTASKS_PER_NODE", ret) == 0)
		return 0;
	if (!s)
		return -ENOENT;
	r = env_uint("SLURM_NODEID", &node);
	if (r == -ENOENT)
		node = 0;
	else if (r < 0)
		return r;
	while (*s) {
		char *end;
		unsigned long count = strtoul(s, &end, 10), rep = 1;

		if (end == s)
			return -EINVAL;
		s = end;
		if (strncmp(s, "(x", 2) == 0) {
			rep = strtoul(s + 2, &end, 10);
			if (end == s + 2 || *end != ')')
				return -EINVAL;
			s = end + 1;
		}
		if (node < seen + rep) {
			*ret = (unsigned int)count;
			return 0;
		}
		seen += (unsigned int)rep;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return -EINVAL;
}

int np_local_rank(unsigned int *rank, unsigned int *size)
{
	static const struct {
		const char *rank, *size;
	} vars[] = {
		{ "OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_SIZE" },
		{ "MPI_LOCALRANKID", "MPI_LOCALNRANKS" },
		{ "PMI_LOCAL_RANK", "PMI_LOCAL_SIZE" },
		{ "PALS_LOCAL_RANKID", "PALS_LOCAL_SIZE" },
		{ "SLURM_LOCALID", NULL },
		{ "LOCAL_RANK", "LOCAL_WORLD_SIZE" },
	};

	for (size_t i = 0; i < NP_ARRAY_SIZE(vars); i++) {
		unsigned int rk, sz;
		int r = env_uint(vars[i].rank, &rk);

		if (r == -ENOENT)
			continue;
		if (r == 0)
			r = vars[i].size ? env_uint(vars[i].size, &sz) : slurm_tasks_here(&sz);
		if (r == -ENOENT || (r == 0 && rk >= sz))
			r = -EINVAL;
		if (r < 0)
			return r;
		*rank = rk;
		*size = sz;
		return 0;
	}
	return -ENOENT;
}

/* ---- output syntaxes ----------------------------------------------------------------------- */

/* "{0,8}" (OMP_PLACES), or "0,8" */
static void sb_cpus(struct np__sbuf *b, const struct np_cpuset *s, bool braces)
{
	bool first = true;

	if (braces)
		np__sbuf_add(b, "{");
	np_cpuset_foreach(c, s) {
		if (!first)
			np__sbuf_add(b, ",");
		np__sbuf_add(b, "%u", (unsigned int)c);
		first = false;
	}
	if (braces)
		np__sbuf_add(b, "}");
}

static void fmt_slurm(const struct np_plan *p, struct np__sbuf *b)
{
	bool single = true;

	for (unsigned int i = 0; i < p->n; i++)
		single = single && np_cpuset_weight(p->cpus[i]) == 1;
	np__sbuf_add(b, "%s", single ? "--cpu-bind=map_cpu:" : "--cpu-bind=mask_cpu:");
	for (unsigned int i = 0; i < p->n; i++) {
		char *hex;

		if (i)
			np__sbuf_add(b, ",");
		if (single) {
			np__sbuf_add(b, "%u", (unsigned int)np_cpuset_first(p->cpus[i]));
			continue;
		}
		if (np_cpuset_format_taskset(p->cpus[i], &hex) < 0) {
			b->oom = true;
			return;
		}
		np__sbuf_add(b, "0x%s", hex);
		free(hex);
	}
}

/* one worker in @fmt (not slurm) */
static void fmt_worker(const struct np_plan *p, unsigned int i, enum np_plan_format fmt,
		       struct np__sbuf *b)
{
	const struct np_cpuset *s = p->cpus[i];
	switch (fmt) {
	case NP_PLAN_FMT_GOMP:
		np__sbuf_add(b, "%u", (unsigned int)np_cpuset_first(s));
		break;
	case NP_PLAN_FMT_KMP:
		/* KMP's proclist takes a bare CPU or a {set} */
		sb_cpus(b, s, np_cpuset_weight(s) > 1);
		break;
	default:
		sb_cpus(b, s, fmt == NP_PLAN_FMT_OMP);
		break;
	}
}

int np_plan_format(const struct np_plan *p, enum np_plan_format fmt, char **ret)
{
	static const char *const sep[] = {
		[NP_PLAN_FMT_OMP] = ",",       [NP_PLAN_FMT_GOMP] = " ",  [NP_PLAN_FMT_KMP] = ",",
		[NP_PLAN_FMT_TASKSET] = "\n", [NP_PLAN_FMT_SLURM] = ",", [NP_PLAN_FMT_PRELOAD] = ";",
	};
	struct np__sbuf b = { 0 };

	if ((unsigned int)fmt >= NP_ARRAY_SIZE(sep))
		return -EINVAL;
	if (fmt == NP_PLAN_FMT_PRELOAD)
		return np__planenv_encode_places(p->n, (const struct np_cpuset *const *)p->cpus,
						 p->node, ret);
	if (fmt == NP_PLAN_FMT_SLURM) {
		fmt_slurm(p, &b);
	} else {
		if (fmt == NP_PLAN_FMT_KMP)
			np__sbuf_add(&b, "granularity=fine,explicit,proclist=[");
		for (unsigned int i = 0; i < p->n; i++) {
			if (i)
				np__sbuf_add(&b, "%s", sep[fmt]);
			fmt_worker(p, i, fmt, &b);
		}
		if (fmt == NP_PLAN_FMT_KMP)
			np__sbuf_add(&b, "]");
	}
	return np__sbuf_finish(&b, ret);
}

/* ---- names ----------------------------------------------------------------------------------- */

static const char *const policy_names[] = {
	[NP_PLAN_SPREAD] = "spread",   [NP_PLAN_CLOSE] = "close",       [NP_PLAN_COMPACT] = "compact",
	[NP_PLAN_SCATTER] = "scatter", [NP_PLAN_PER_NODE] = "per-node",
};
static const char *const places_names[] = {
	[NP_PLACES_CORES] = "cores",         [NP_PLACES_THREADS] = "threads",
	[NP_PLACES_LL_CACHES] = "ll_caches", [NP_PLACES_NUMA_DOMAINS] = "numa_domains",
	[NP_PLACES_SOCKETS] = "sockets",
};
static const char *const smt_names[] = {
	[NP_SMT_LAST] = "last", [NP_SMT_USE] = "use", [NP_SMT_AVOID] = "avoid"
};
static const char *const format_names[] = {
	[NP_PLAN_FMT_OMP] = "omp",         [NP_PLAN_FMT_GOMP] = "gomp",
	[NP_PLAN_FMT_KMP] = "kmp",         [NP_PLAN_FMT_TASKSET] = "taskset",
	[NP_PLAN_FMT_SLURM] = "slurm",     [NP_PLAN_FMT_PRELOAD] = "preload",
};

static int lookup(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -EINVAL;
}

const char *np_plan_policy_name(enum np_plan_policy policy)
{
	return (unsigned int)policy < NP_ARRAY_SIZE(policy_names) ? policy_names[policy] : NULL;
}

int np_plan_policy_parse(const char *name)
{
	return lookup(policy_names, NP_ARRAY_SIZE(policy_names), name);
}

const char *np_plan_places_name(enum np_plan_places places)
{
	return (unsigned int)places < NP_ARRAY_SIZE(places_names) ? places_names[places] : NULL;
}

int np_plan_places_parse(const char *name)
{
	return lookup(places_names, NP_ARRAY_SIZE(places_names), name);
}

int np_plan_smt_parse(const char *name)
{
	return lookup(smt_names, NP_ARRAY_SIZE(smt_names), name);
}

int np_plan_format_parse(const char *name)
{
	return lookup(format_names, NP_ARRAY_SIZE(format_names), name);
}

/* ---- from a topology --------------------------------------------------------------------- */

static long long group_or(const struct np_topo *t, unsigned int cpu, enum np_level level)
{
	return np_topo_cpu_group(t, cpu, level);
}

int np__mach_from_topo(const struct np_topo *topo, struct np__mach **ret)
{
	const struct np_cpuset *online = np_topo_online_cpus(topo);
	unsigned int n = 0, nn = np_topo_node_count(topo), *extra = NULL;
	struct np__mach_desc *d = calloc(np_cpuset_weight(online) + 1, sizeof(*d));
	const struct np_cpuset *s;
	struct np__mach *m = NULL;
	int r = -ENOMEM;

	extra = calloc(nn + 1, sizeof(*extra));
	if (!d || !extra)
		goto out;
	np_cpuset_foreach(c, online) {
		const struct np_cpu *cpu = np_topo_cpu(topo, (unsigned int)c);

		d[n].cpu = (unsigned int)c;
		d[n].raw[NP__LVL_PACKAGE] = cpu ? cpu->package : -1;
		d[n].raw[NP__LVL_NODE] = cpu ? cpu->node : -1;
		d[n].raw[NP__LVL_LLC] = group_or(topo, (unsigned int)c, NP_LEVEL_LLC);
		d[n].raw[NP__LVL_CORE] = group_or(topo, (unsigned int)c, NP_LEVEL_CORE);
		d[n].raw[NP__LVL_L3] = group_or(topo, (unsigned int)c, NP_LEVEL_L3);
		d[n].raw[NP__LVL_L2] = group_or(topo, (unsigned int)c, NP_LEVEL_L2);
		d[n].raw[NP__LVL_DIE] = group_or(topo, (unsigned int)c, NP_LEVEL_DIE);
		d[n].raw[NP__LVL_CLUSTER] = group_or(topo, (unsigned int)c, NP_LEVEL_CLUSTER);
		n++;
	}
	for (unsigned int i = 0; i < nn; i++)
		extra[i] = np_topo_node(topo, i)->id;
	r = np__mach_build(np_topo_cpu_size(topo), d, n, extra, nn, &m);
	if (r < 0)
		goto out;
	m->topo = topo;
	s = np_topo_allowed_cpus(topo);
	if (s && (r = np_cpuset_dup(s, &m->allowed)) < 0)
		goto out;
	s = np_topo_isolated_cpus(topo);
	if (s && (r = np_cpuset_dup(s, &m->isolated)) < 0)
		goto out;
	*ret = m;
	m = NULL;
out:
	np__mach_free(m);
	free(extra);
	free(d);
	return r;
}
