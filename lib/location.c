/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * location.c - location expressions: CPUs named by topology ("package:0.core:0-3", "near:eth0"),
 * parsed into a small AST and evaluated against the topology's object tree.
 *
 * Terminology:
 *  term      one operand: a plain cpulist range ("0-3", "8", "0-15:2", OS numbers), "all", a
 *            path, "near:DEVICE", or a parenthesised expression.
 *  path      steps separated by '.': "package:0.core:0-3".  A step is TYPE:SELECTOR.
 *  type      an object type by np_obj_type_parse(): package|socket, node|numa, l3, l2, llc,
 *            die, cluster, core, pu|thread (and machine, drawer, book, l4, l1).
 *  selector  N, N-M, N-M:S (every S-th), all, even, odd: logical indexes.  The first step counts
 *            the machine's objects of its type; a later step counts the objects of its type
 *            inside what the previous steps selected (hwloc-calc's hierarchical syntax).
 *  operator  ',' union, '~' remove, '&' intersect; all of one precedence, applied left to
 *            right ("a,b~c" is "(a,b)~c"), like hwloc-calc's modifiers.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH 64
#define MAX_STEPS 8

enum node_kind { K_RANGE, K_ALL, K_PATH, K_NEAR, K_UNION, K_REMOVE, K_INTERSECT };
enum sel_kind { SEL_RANGE, SEL_ALL, SEL_EVEN, SEL_ODD };

struct step {
	enum np_obj_type type;
	enum sel_kind sel;
	unsigned int lo, hi, stride;
};

struct np_location {
	enum node_kind kind;
	size_t pos; /* offset of the term in the parsed text, for error positions */
	struct np_location *l, *r; /* operators */
	unsigned int lo, hi, stride; /* K_RANGE */
	unsigned int nsteps;         /* K_PATH */
	struct step steps[MAX_STEPS];
	char *device; /* K_NEAR */
};

struct parser {
	const char *str;
	const char *p;
	int depth;
	const char *err; /* where the error is */
};

static int fail(struct parser *ps, const char *at, int r)
{
	ps->err = at;
	return r;
}

static void blanks(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int number(struct parser *ps, unsigned int *ret)
{
	const char *s = ps->p;
	unsigned long long v = 0;

	if (!isdig(*s))
		return fail(ps, s, -EINVAL);
	while (isdig(*s)) {
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > INT_MAX)
			return fail(ps, ps->p, -EOVERFLOW);
		s++;
	}
	ps->p = s;
	*ret = (unsigned int)v;
	return 0;
}

/* N, N-M or N-M:S */
static int range(struct parser *ps, unsigned int *lo, unsigned int *hi, unsigned int *stride)
{
	const char *start = ps->p;
	int r = number(ps, lo);

	if (r < 0)
		return r;
	*hi = *lo;
	*stride = 1;
	if (*ps->p != '-')
		return 0;
	ps->p++;
	r = number(ps, hi);
	if (r < 0)
		return r;
	if (*hi < *lo)
		return fail(ps, start, -EINVAL);
	if (*ps->p != ':')
		return 0;
	ps->p++;
	r = number(ps, stride);
	if (r < 0)
		return r;
	if (*stride == 0)
		return fail(ps, ps->p - 1, -EINVAL);
	return 0;
}

static bool word_is(const char *p, const char *w)
{
	size_t n = strlen(w);

	return strncmp(p, w, n) == 0;
}

static int selector(struct parser *ps, struct step *st)
{
	static const struct {
		const char *w;
		enum sel_kind k;
	} words[] = { { "all", SEL_ALL }, { "even", SEL_EVEN }, { "odd", SEL_ODD } };

	for (size_t i = 0; i < NP_ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i].w);

		if (word_is(ps->p, words[i].w) && !isdig(ps->p[n]) &&
		    (ps->p[n] < 'a' || ps->p[n] > 'z')) {
			st->sel = words[i].k;
			ps->p += n;
			return 0;
		}
	}
	st->sel = SEL_RANGE;
	return range(ps, &st->lo, &st->hi, &st->stride);
}

/* a type name followed by ':', or -EINVAL */
static int type_prefix(struct parser *ps, enum np_obj_type *type)
{
	size_t n = strcspn(ps->p, ":,~&() \t");
	int ty = ps->p[n] == ':' ? np_obj_type_parse(ps->p, n) : -EINVAL;

	if (ty < 0)
		return fail(ps, ps->p, -EINVAL);
	*type = (enum np_obj_type)ty;
	ps->p += n + 1;
	return 0;
}

static int path(struct parser *ps, struct np_location *n)
{
	for (;;) {
		struct step *st;
		int r;

		if (n->nsteps == MAX_STEPS)
			return fail(ps, ps->p, -EINVAL);
		st = &n->steps[n->nsteps];
		r = type_prefix(ps, &st->type);
		if (r < 0)
			return r;
		r = selector(ps, st);
		if (r < 0)
			return r;
		n->nsteps++;
		if (*ps->p != '.')
			return 0;
		ps->p++;
	}
}

/* near:NAME, NAME running to the next operator, parenthesis or blank */
static int near(struct parser *ps, struct np_location *n)
{
	const char *s = ps->p + strlen("near:");
	size_t len = strcspn(s, ",~&() \t");

	if (len == 0)
		return fail(ps, s, -EINVAL);
	n->device = strndup(s, len);
	if (!n->device)
		return -ENOMEM;
	ps->p = s + len;
	return 0;
}

static int expr(struct parser *ps, struct np_location **ret);

static int term(struct parser *ps, struct np_location **ret)
{
	struct np_location *n;
	int r;

	blanks(ps);
	if (*ps->p == '(') {
		if (++ps->depth > MAX_DEPTH)
			return fail(ps, ps->p, -EINVAL);
		ps->p++;
		r = expr(ps, ret);
		if (r < 0)
			return r;
		blanks(ps);
		if (*ps->p != ')') {
			np_location_free(*ret);
			return fail(ps, ps->p, -EINVAL);
		}
		ps->p++;
		ps->depth--;
		return 0;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->pos = (size_t)(ps->p - ps->str);
	if (isdig(*ps->p)) {
		n->kind = K_RANGE;
		r = range(ps, &n->lo, &n->hi, &n->stride);
	} else if (word_is(ps->p, "near:")) {
		n->kind = K_NEAR;
		r = near(ps, n);
	} else if (word_is(ps->p, "all") && !(ps->p[3] >= 'a' && ps->p[3] <= 'z') &&
		   ps->p[3] != ':') {
		n->kind = K_ALL;
		ps->p += 3;
		r = 0;
	} else {
		n->kind = K_PATH;
		r = path(ps, n);
	}
	if (r < 0) {
		np_location_free(n);
		return r;
	}
	*ret = n;
	return 0;
}

static int expr(struct parser *ps, struct np_location **ret)
{
	struct np_location *left, *right, *op;
	int r = term(ps, &left);

	if (r < 0)
		return r;
	for (;;) {
		enum node_kind k;

		blanks(ps);
		if (*ps->p == ',')
			k = K_UNION;
		else if (*ps->p == '~')
			k = K_REMOVE;
		else if (*ps->p == '&')
			k = K_INTERSECT;
		else
			break;
		ps->p++;
		r = term(ps, &right);
		if (r < 0)
			goto fail_left;
		op = calloc(1, sizeof(*op));
		if (!op) {
			np_location_free(right);
			r = -ENOMEM;
			goto fail_left;
		}
		op->kind = k;
		op->pos = left->pos;
		op->l = left;
		op->r = right;
		left = op;
	}
	*ret = left;
	return 0;
fail_left:
	np_location_free(left);
	return r;
}

int np_location_parse(const char *str, struct np_location **ret, size_t *errpos)
{
	struct parser ps = { .str = str, .p = str };
	struct np_location *loc;
	int r;

	r = expr(&ps, &loc);
	if (r == 0) {
		blanks(&ps);
		if (*ps.p) {
			np_location_free(loc);
			r = fail(&ps, ps.p, -EINVAL);
		}
	}
	if (r < 0) {
		if (errpos && ps.err)
			*errpos = (size_t)(ps.err - str);
		else if (errpos)
			*errpos = (size_t)(ps.p - str);
		return r;
	}
	*ret = loc;
	return 0;
}

void np_location_free(struct np_location *loc)
{
	/*
	 * "0,0,...,0" is a left-leaning chain as long as the text: walk it in a loop.  Only a
	 * right operand nests, and only through parentheses, which the parser caps at MAX_DEPTH.
	 */
	while (loc) {
		struct np_location *next = loc->l;

		np_location_free(loc->r);
		free(loc->device);
		free(loc);
		loc = next;
	}
}

/* ---- canonical text --------------------------------------------------------------------- */

static void put_range(struct np__sbuf *b, unsigned int lo, unsigned int hi, unsigned int stride)
{
	if (lo == hi)
		np__sbuf_add(b, "%u", lo);
	else if (stride == 1)
		np__sbuf_add(b, "%u-%u", lo, hi);
	else
		np__sbuf_add(b, "%u-%u:%u", lo, hi, stride);
}

/* operators on the left spine of @n, @n included */
static size_t spine_len(const struct np_location *n)
{
	size_t len = 0;

	for (; n->kind >= K_UNION; n = n->l)
		len++;
	return len;
}

static void format_ops(struct np__sbuf *b, const struct np_location *n);

static void format(struct np__sbuf *b, const struct np_location *n)
{
	static const char *const sel_words[] = { [SEL_ALL] = "all", [SEL_EVEN] = "even",
						 [SEL_ODD] = "odd" };

	switch (n->kind) {
	case K_RANGE:
		put_range(b, n->lo, n->hi, n->stride);
		break;
	case K_ALL:
		np__sbuf_add(b, "all");
		break;
	case K_NEAR:
		np__sbuf_add(b, "near:%s", n->device);
		break;
	case K_PATH:
		for (unsigned int i = 0; i < n->nsteps; i++) {
			const struct step *st = &n->steps[i];

			if (i)
				np__sbuf_add(b, ".");
			np__sbuf_add(b, "%s:", np_obj_type_name(st->type));
			if (st->sel == SEL_RANGE)
				put_range(b, st->lo, st->hi, st->stride);
			else
				np__sbuf_add(b, "%s", sel_words[st->sel]);
		}
		break;
	default:
		format_ops(b, n);
		break;
	}
}

/*
 * An operator chain, left to right, without recursing down its left spine (see
 * np_location_free): only a right operand that is itself an operator needs parentheses.
 */
static void format_ops(struct np__sbuf *b, const struct np_location *n)
{
	const struct np_location **spine;
	size_t len = spine_len(n);

	spine = calloc(len, sizeof(*spine));
	if (!spine) {
		b->oom = true;
		return;
	}
	for (size_t i = len; i-- > 0; n = n->l)
		spine[i] = n;
	format(b, spine[0]->l);
	for (size_t i = 0; i < len; i++) {
		const struct np_location *op = spine[i];

		np__sbuf_add(b, "%s", op->kind == K_UNION ? "," : op->kind == K_REMOVE ? "~" : "&");
		if (op->r->kind >= K_UNION)
			np__sbuf_add(b, "(");
		format(b, op->r);
		if (op->r->kind >= K_UNION)
			np__sbuf_add(b, ")");
	}
	free(spine);
}

int np_location_format(const struct np_location *loc, char **ret)
{
	struct np__sbuf b = { 0 };

	format(&b, loc);
	return np__sbuf_finish(&b, ret);
}

/* ---- evaluation ------------------------------------------------------------------------- */

static bool selected(const struct step *st, unsigned int idx)
{
	switch (st->sel) {
	case SEL_ALL:
		return true;
	case SEL_EVEN:
		return idx % 2 == 0;
	case SEL_ODD:
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
static int eval_step(const struct np_topo *t, const struct step *st, bool first,
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
	if (st->sel == SEL_RANGE && st->hi >= idx)
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
	case K_RANGE:
		if (n->hi >= np_topo_cpu_size(t))
			return -ERANGE;
		np_cpuset_zero(out);
		for (unsigned long long c = n->lo; c <= n->hi; c += n->stride)
			np_cpuset_set(out, (unsigned int)c);
		return 0;
	case K_ALL:
		return np_cpuset_copy(out, np_topo_online_cpus(t));
	case K_PATH:
		return eval_path(t, n, out);
	case K_NEAR:
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
	size_t len = spine_len(n);
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
		if (op->kind == K_UNION)
			r = np_cpuset_or(out, out, rhs);
		else if (op->kind == K_REMOVE)
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
