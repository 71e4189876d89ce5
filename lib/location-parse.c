/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * location-parse.c - location expressions as text: parsed into a small AST (struct np_location,
 * lib/internal.h) and written back in canonical form; lib/location.c evaluates the AST.
 *
 * Terminology:
 *  term      one operand: a plain cpulist range ("0-3", "8", "0-15:2", OS numbers), "all", a
 *            path, "near:DEVICE", or a parenthesised expression.
 *  path      steps separated by '.': "package:0.core:0-3".  A step is TYPE:SELECTOR.
 *  type      an object type by np_obj_type_parse(): package|socket, node|numa, l3, l2, llc,
 *            die, cluster, core, pu|thread (and machine, drawer, book, l4, l1).
 *  selector  N, N-M, N-M:S (every S-th), all, even, odd: logical indexes.
 *  operator  ',' union, '~' remove, '&' intersect; all of one precedence, applied left to
 *            right ("a,b~c" is "(a,b)~c"), like hwloc-calc's modifiers.
 *  spine     the chain of operators down the left operands: "a,b~c&d" is three operators, each
 *            the left operand of the next; walked in a loop, never by recursion.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* parentheses nest at most this deep, which bounds every recursion over the AST */
#define MAX_DEPTH 64

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

static int selector(struct parser *ps, struct np__loc_step *st)
{
	static const struct {
		const char *w;
		enum np__loc_sel k;
	} words[] = { { "all", NP__SEL_ALL }, { "even", NP__SEL_EVEN }, { "odd", NP__SEL_ODD } };

	for (size_t i = 0; i < NP_ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i].w);

		if (word_is(ps->p, words[i].w) && !isdig(ps->p[n]) &&
		    (ps->p[n] < 'a' || ps->p[n] > 'z')) {
			st->sel = words[i].k;
			ps->p += n;
			return 0;
		}
	}
	st->sel = NP__SEL_RANGE;
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
		struct np__loc_step *st;
		int r;

		if (n->nsteps == NP__LOC_MAX_STEPS)
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
		n->kind = NP__LOC_RANGE;
		r = range(ps, &n->lo, &n->hi, &n->stride);
	} else if (word_is(ps->p, "near:")) {
		n->kind = NP__LOC_NEAR;
		r = near(ps, n);
	} else if (word_is(ps->p, "all") && !(ps->p[3] >= 'a' && ps->p[3] <= 'z') &&
		   ps->p[3] != ':') {
		n->kind = NP__LOC_ALL;
		ps->p += 3;
		r = 0;
	} else {
		n->kind = NP__LOC_PATH;
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
		enum np__loc_kind k;

		blanks(ps);
		if (*ps->p == ',')
			k = NP__LOC_UNION;
		else if (*ps->p == '~')
			k = NP__LOC_REMOVE;
		else if (*ps->p == '&')
			k = NP__LOC_INTERSECT;
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

/* operators on the left spine of @n, @n included; 0 for a term */
size_t np__location_spine(const struct np_location *n)
{
	size_t len = 0;

	for (; n->kind >= NP__LOC_UNION; n = n->l)
		len++;
	return len;
}

static void format_ops(struct np__sbuf *b, const struct np_location *n);

static void format(struct np__sbuf *b, const struct np_location *n)
{
	static const char *const sel_words[] = { [NP__SEL_ALL] = "all", [NP__SEL_EVEN] = "even",
						 [NP__SEL_ODD] = "odd" };

	switch (n->kind) {
	case NP__LOC_RANGE:
		put_range(b, n->lo, n->hi, n->stride);
		break;
	case NP__LOC_ALL:
		np__sbuf_add(b, "all");
		break;
	case NP__LOC_NEAR:
		np__sbuf_add(b, "near:%s", n->device);
		break;
	case NP__LOC_PATH:
		for (unsigned int i = 0; i < n->nsteps; i++) {
			const struct np__loc_step *st = &n->steps[i];

			if (i)
				np__sbuf_add(b, ".");
			np__sbuf_add(b, "%s:", np_obj_type_name(st->type));
			if (st->sel == NP__SEL_RANGE)
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
	static const char *const op_text[] = { [NP__LOC_UNION] = ",", [NP__LOC_REMOVE] = "~",
					       [NP__LOC_INTERSECT] = "&" };
	const struct np_location **spine;
	size_t len = np__location_spine(n);

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

		np__sbuf_add(b, "%s", op_text[op->kind]);
		if (op->r->kind >= NP__LOC_UNION)
			np__sbuf_add(b, "(");
		format(b, op->r);
		if (op->r->kind >= NP__LOC_UNION)
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
