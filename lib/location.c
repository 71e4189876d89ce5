/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * location.c - location expressions evaluated: the AST lib/location-parse.c builds ("package:0.
 * core:0-3", "near:eth0") turned into CPUs by walking the topology's object tree.
 *
 * Terminology:
 *  step      one TYPE:SELECTOR of a path.  The first step counts the machine's objects of its
 *            type; a later step counts the objects of its type inside what the previous steps
 *            selected (hwloc-calc's hierarchical syntax).
 *  selector  N, N-M, N-M:S (every S-th), all, even, odd: logical indexes among those objects.
 *  operator  ',' union, '~' remove, '&' intersect, applied left to right.
 *  spine     the chain of operators down the left operands (np__location_spine()).
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

static bool selected(const struct np__loc_step *st, unsigned int idx)
{
	switch (st->sel) {
	case NP__SEL_ALL:
		return true;
	case NP__SEL_EVEN:
		return idx % 2 == 0;
	case NP__SEL_ODD:
		return idx % 2 == 1;
	default:
		return idx >= st->lo && idx <= st->hi && (idx - st->lo) % st->stride == 0;
	}
}

/*
 * One step: objects of the step's type, counted among those meeting @cur (every object for
 * the first step, so that "node:2" is node 2 even when it has no CPU), and the union of the
 * selected ones, clipped to @cur.
 */
static int eval_step(const struct np_topo *t, const struct np__loc_step *st, bool first,
		     const struct np_cpuset *cur, struct np_cpuset *out)
{
	unsigned int idx = 0;
	int r;

	np_cpuset_zero(out);
	for (unsigned int i = 0; i < np_topo_obj_count(t, st->type); i++) {
		const struct np_cpuset *o = np_topo_obj(t, st->type, i)->cpuset;

		if (!first && !np_cpuset_intersects(o, cur))
			continue;
		if (selected(st, idx)) {
			r = np_cpuset_or(out, out, o);
			if (r < 0)
				return r;
		}
		idx++;
	}
	/* a single index or a range end past the objects there are is an error, not empty */
	if (st->sel == NP__SEL_RANGE && st->hi >= idx)
		return -ERANGE;
	return np_cpuset_and(out, out, cur);
}

static int eval_path(const struct np_topo *t, const struct np_location *n, struct np_cpuset *out)
{
	struct np_cpuset *cur;
	int r = np_cpuset_dup(np_topo_online_cpus(t), &cur);

	if (r < 0)
		return r;
	for (unsigned int i = 0; i < n->nsteps && r == 0; i++) {
		r = eval_step(t, &n->steps[i], i == 0, cur, out);
		if (r == 0)
			r = np_cpuset_copy(cur, out);
	}
	if (r == 0)
		r = np_cpuset_copy(out, cur);
	np_cpuset_free(cur);
	return r;
}

static int eval_near(const struct np_topo *t, const struct np_location *n, struct np_cpuset *out)
{
	const struct np_device *dev = t->devices ? np_topo_device_find(t, n->device) : NULL;
	const struct np_cpuset *local, *online = np_topo_online_cpus(t);
	int node;

	if (!dev)
		return -ENODEV;
	local = np_device_local_cpus(dev);
	if (local && np_cpuset_intersects(local, online))
		return np_cpuset_and(out, local, online);
	node = np_device_node(dev);
	for (unsigned int i = 0; node >= 0 && i < np_topo_obj_count(t, NP_OBJ_NODE); i++) {
		const struct np_obj *o = np_topo_obj(t, NP_OBJ_NODE, i);

		if (o->os_index == node && !np_cpuset_empty(o->cpuset))
			return np_cpuset_copy(out, o->cpuset);
	}
	/* locality unknown: every CPU is as near as any other (hwloc says the same) */
	return np_cpuset_copy(out, online);
}

static int eval_ops(const struct np_topo *t, const struct np_location *n, struct np_cpuset *out,
		    const struct np_location **at);

static int eval(const struct np_topo *t, const struct np_location *n, struct np_cpuset *out,
		const struct np_location **at)
{
	*at = n;
	switch (n->kind) {
	case NP__LOC_RANGE:
		if (n->hi >= np_topo_cpu_size(t))
			return -ERANGE;
		np_cpuset_zero(out);
		for (unsigned long long c = n->lo; c <= n->hi; c += n->stride)
			np_cpuset_set(out, (unsigned int)c);
		return 0;
	case NP__LOC_ALL:
		return np_cpuset_copy(out, np_topo_online_cpus(t));
	case NP__LOC_PATH:
		return eval_path(t, n, out);
	case NP__LOC_NEAR:
		return eval_near(t, n, out);
	default:
		break;
	}
	return eval_ops(t, n, out, at);
}

/*
 * An operator chain: the leftmost operand, then each operator up the left spine, in a loop
 * (see np_location_free); recursion is left to right operands, as deep as the parentheses.
 */
static int eval_ops(const struct np_topo *t, const struct np_location *n, struct np_cpuset *out,
		    const struct np_location **at)
{
	const struct np_location **spine;
	size_t len = np__location_spine(n);
	struct np_cpuset *rhs = NULL;
	int r = -ENOMEM;

	spine = calloc(len, sizeof(*spine));
	if (!spine)
		return -ENOMEM;
	for (size_t i = len; i-- > 0; n = n->l)
		spine[i] = n;
	r = np_cpuset_new(np_topo_cpu_size(t), &rhs);
	if (r == 0)
		r = eval(t, spine[0]->l, out, at);
	for (size_t i = 0; i < len && r == 0; i++) {
		const struct np_location *op = spine[i];

		r = eval(t, op->r, rhs, at);
		if (r < 0)
			break;
		*at = op;
		if (op->kind == NP__LOC_UNION)
			r = np_cpuset_or(out, out, rhs);
		else if (op->kind == NP__LOC_REMOVE)
			r = np_cpuset_andnot(out, out, rhs);
		else
			r = np_cpuset_and(out, out, rhs);
	}
	np_cpuset_free(rhs);
	free(spine);
	return r;
}

int np_location_eval(const struct np_location *loc, const struct np_topo *topo,
		     struct np_cpuset **ret, size_t *errpos)
{
	const struct np_location *at = loc;
	struct np_cpuset *out;
	int r = np_cpuset_new(np_topo_cpu_size(topo), &out);

	if (r < 0)
		return r;
	r = eval(topo, loc, out, &at);
	if (r < 0) {
		if (errpos)
			*errpos = at->pos;
		np_cpuset_free(out);
		return r;
	}
	*ret = out;
	return 0;
}

int np_location_resolve(const struct np_topo *topo, const char *str, struct np_cpuset **ret,
			size_t *errpos)
{
	struct np_location *loc;
	int r = np_location_parse(str, &loc, errpos);

	if (r < 0)
		return r;
	r = np_location_eval(loc, topo, ret, errpos);
	np_location_free(loc);
	return r;
}
