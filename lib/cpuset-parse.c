/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuset-parse.c - the list, stride, mask, taskset and numactl syntaxes of CPU/node sets.
 *
 * Terminology (as util-linux lib/cpuset.c uses it):
 *  cpulist  the human syntax: "0-3,8,10-14:2", numbers, ranges, ranges with a stride.
 *  cpumask  the kernel's hex syntax: "ff,ffffffff", 32-bit words, most significant first.
 *  taskset  util-linux taskset's hex syntax: one hex number, "0x" optional.
 *  numactl  numactl's node and CPU strings: a cpulist with "all", "!" (complement) and "+"
 *           (numbers are ranks among the allowed members).
 *  allowed  the members a numactl string may name: the process's CPUs or nodes.
 *  size     a set's capacity in bits; every parser takes it as its upper bound.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Every parser works in two passes over the string: the first checks the syntax alone
 * (-EINVAL, -EOVERFLOW), the second checks the numbers against the set (-ERANGE) and fills a
 * scratch set.  So a string with several faults always reports the leftmost syntax fault
 * before any range fault, whatever their order, and the caller's set is written only when
 * both passes succeeded.
 */

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

static bool isblank_(char c)
{
	return c == ' ' || c == '\t';
}

/* Blanks and the newline sysfs ends every file with. */
static bool isspace_(char c)
{
	return isblank_(c) || c == '\n';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The highest set bit of a hex digit's value (1..15), 0-based. */
static unsigned int hibit4(int v)
{
	return v >= 8 ? 3 : v >= 4 ? 2 : v >= 2 ? 1 : 0;
}

/*
 * A number at *p, moving *p past it.  Decimal; with @cbase also C's prefixes as strtoul(s,
 * NULL, 0) reads them ("0x1f" hex, "017" octal), because numactl parses its numbers that way.
 * No sign, no blanks.  Return: 0, -EINVAL when no digit is there, -EOVERFLOW past UINT_MAX.
 */
static int number(const char **p, bool cbase, unsigned int *ret)
{
	const char *s = *p;
	unsigned long long v = 0;
	int base = 10, d;

	if (!isdig(*s))
		return -EINVAL;
	if (cbase && s[0] == '0') {
		if ((s[1] == 'x' || s[1] == 'X') && hexval(s[2]) >= 0) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	for (; (d = hexval(*s)) >= 0 && d < base; s++) {
		v = v * (unsigned int)base + (unsigned int)d;
		if (v > UINT_MAX)
			return -EOVERFLOW;
	}
	*p = s;
	*ret = (unsigned int)v;
	return 0;
}

/* One item of a list: a, a-b or a-b:s, with the offsets of a and b for error reports. */
struct item {
	unsigned int a, b, s;
	size_t apos, bpos;
};

/* Called per item in the second pass; returns 0 or -ERANGE with *pos set. */
typedef int (*item_fn)(void *ctx, const struct item *it, size_t *pos);

/* a, a-b or a-b:s at *p. */
static int item(const char *str, const char **p, bool cbase, struct item *it, size_t *pos)
{
	const char *s = *p, *at;
	int r;

	it->s = 1;
	it->apos = it->bpos = (size_t)(s - str);
	at = s;
	r = number(&s, cbase, &it->a);
	if (r < 0)
		goto fail;
	it->b = it->a;
	if (*s == '-') {
		at = ++s;
		it->bpos = (size_t)(s - str);
		r = number(&s, cbase, &it->b);
		if (r < 0)
			goto fail;
		if (*s == ':') {
			at = ++s;
			r = number(&s, cbase, &it->s);
			if (r == 0 && it->s == 0)
				r = -EINVAL;
			if (r < 0)
				goto fail;
		}
		if (it->b < it->a) {
			at = str + it->apos;
			r = -EINVAL;
			goto fail;
		}
	}
	*p = s;
	return 0;
fail:
	*pos = (size_t)(at - str);
	return r;
}

/*
 * Walk a comma-separated list of items in @str from @start.  Blanks around items are
 * tolerated (sysfs prints none, people type them) and so is a trailing newline.  With @fn
 * NULL this only checks the syntax.  An empty list (nothing but blanks) is accepted when
 * @empty_ok.  On failure *pos is the byte offset of the fault in @str.
 */
static int walk_list(const char *str, const char *start, bool cbase, bool empty_ok, item_fn fn,
		     void *ctx, size_t *pos)
{
	const char *p = start;
	int r;

	while (isspace_(*p))
		p++;
	if (!*p) {
		if (empty_ok)
			return 0;
		*pos = (size_t)(p - str);
		return -EINVAL;
	}
	p = start;
	for (;;) {
		struct item it;

		while (isblank_(*p))
			p++;
		r = item(str, &p, cbase, &it, pos);
		if (r < 0)
			return r;
		if (fn) {
			r = fn(ctx, &it, pos);
			if (r < 0)
				return r;
		}
		while (isblank_(*p))
			p++;
		if (*p == ',') {
			p++;
			continue;
		}
		while (isspace_(*p))
			p++;
		if (*p) {
			*pos = (size_t)(p - str);
			return -EINVAL;
		}
		return 0;
	}
}

/* Add a, a+s, ... b to @set; the caller has checked b < size (<= INT_MAX). */
static void set_range(struct np_cpuset *set, unsigned int a, unsigned int b, unsigned int s)
{
	if (s == 1) {
		for (; a <= b && a % NP_BITS_PER_WORD; a++)
			np_cpuset_set(set, a);
		for (; a <= b && b - a + 1 >= NP_BITS_PER_WORD; a += (unsigned int)NP_BITS_PER_WORD)
			set->bits[a / NP_BITS_PER_WORD] = ~0UL;
	}
	for (unsigned long long i = a; i <= b; i += s)
		np_cpuset_set(set, (unsigned int)i);
}

static int list_item(void *ctx, const struct item *it, size_t *pos)
{
	struct np_cpuset *tmp = ctx;

	if (it->a >= tmp->nbits || it->b >= tmp->nbits) {
		*pos = it->a >= tmp->nbits ? it->apos : it->bpos;
		return -ERANGE;
	}
	set_range(tmp, it->a, it->b, it->s);
	return 0;
}

/* Commit @tmp into @set, or report the error position; frees @tmp. */
static int finish(struct np_cpuset *set, struct np_cpuset *tmp, int r, size_t pos, size_t *errpos)
{
	if (r == 0)
		memcpy(set->bits, tmp->bits, NP_WORDS(set->nbits) * sizeof(unsigned long));
	else if (errpos && r != -ENOMEM)
		*errpos = pos;
	np_cpuset_free(tmp);
	return r;
}

/*
 * @parse(NULL, ...) checks the syntax alone, so that nothing is allocated for a bad string;
 * then @parse fills a scratch set, which finish() commits to @set.
 */
static int parse_into(struct np_cpuset *set, const char *str, size_t *errpos,
		      int (*parse)(struct np_cpuset *tmp, const char *str, size_t *pos))
{
	struct np_cpuset *tmp = NULL;
	size_t pos = 0;
	int r = parse(NULL, str, &pos);

	if (r == 0)
		r = np_cpuset_new(set->nbits, &tmp);
	if (r == 0)
		r = parse(tmp, str, &pos);
	return finish(set, tmp, r, pos, errpos);
}

static int parse_list(struct np_cpuset *tmp, const char *str, size_t *pos)
{
	return walk_list(str, str, false, true, tmp ? list_item : NULL, tmp, pos);
}

int np_cpuset_parse_list(struct np_cpuset *set, const char *str, size_t *errpos)
{
	return parse_into(set, str, errpos, parse_list);
}

/*
 * Bits from hex digit @v found at @q, @off bits from bit 0: -ERANGE (with *pos) when one lies
 * beyond the set, else set them in @tmp.
 */
static int hex_digit(struct np_cpuset *tmp, const char *str, const char *q, int v,
		     unsigned long long off, size_t *pos)
{
	if (!v)
		return 0;
	if (off + hibit4(v) >= tmp->nbits) {
		*pos = (size_t)(q - str);
		return -ERANGE;
	}
	for (unsigned int k = 0; k < 4; k++)
		if (v & (1 << k))
			np_cpuset_set(tmp, (unsigned int)off + k);
	return 0;
}

/*
 * The kernel's mask, syntax pass: groups of 1 to 8 hex digits separated by single commas
 * between [p, end).  A group of more than 8 digits cannot be a 32-bit word (-EOVERFLOW);
 * an empty group (",1", "ff,,1", "1,") is -EINVAL.  Returns the number of groups.
 */
static long mask_syntax(const char *str, const char *p, const char *end, size_t *pos)
{
	long groups = 0;

	for (;;) {
		const char *g = p;

		while (p < end && hexval(*p) >= 0)
			p++;
		if (p == g || p - g > 8) {
			*pos = (size_t)(g - str);
			return p == g ? -EINVAL : -EOVERFLOW;
		}
		groups++;
		if (p == end)
			return groups;
		if (*p != ',') {
			*pos = (size_t)(p - str);
			return -EINVAL;
		}
		p++;
	}
}

static int parse_mask(struct np_cpuset *tmp, const char *str, size_t *pos)
{
	const char *p = str, *end = str + strlen(str);
	unsigned long long group;
	long groups;
	int r;

	while (isblank_(*p))
		p++;
	while (end > p && isspace_(end[-1]))
		end--;
	groups = mask_syntax(str, p, end, pos);
	if (groups < 0 || !tmp)
		return groups < 0 ? (int)groups : 0;
	for (group = (unsigned long long)groups; group-- > 0; p++) {
		const char *g = p;

		while (p < end && *p != ',')
			p++;
		for (const char *q = g; q < p; q++) {
			r = hex_digit(tmp, str, q, hexval(*q),
				      group * 32 + 4ULL * (size_t)(p - q - 1), pos);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int np_cpuset_parse_mask(struct np_cpuset *set, const char *str, size_t *errpos)
{
	return parse_into(set, str, errpos, parse_mask);
}

/*
 * util-linux cpumask_parse(), as taskset applies it: an optional lowercase "0x", then hex
 * digits read from the right, 4 bits each.  A comma is skipped when a digit stands left of
 * it, so "ff,1" is 0xff1 (not two words), "1," is 1, and ",1", "1,,2", "0x," are rejected.
 * Nothing else is allowed: no blanks, no "0X".  An empty digit string ("" or "0x") is the
 * empty set.  A set bit beyond the set is -ERANGE (util-linux drops it).
 */
static int parse_taskset(struct np_cpuset *tmp, const char *str, size_t *pos)
{
	const char *p = str;
	unsigned long long digits = 0;

	if (p[0] == '0' && p[1] == 'x')
		p += 2;
	for (const char *q = p; *q; q++) {
		if (hexval(*q) >= 0)
			digits++;
		else if (*q != ',' || q == p || q[-1] == ',') {
			*pos = (size_t)(q - str);
			return -EINVAL;
		}
	}
	if (!tmp)
		return 0;
	for (const char *q = p; *q; q++) {
		int v = hexval(*q), r;

		if (v < 0)
			continue;
		r = hex_digit(tmp, str, q, v, 4 * --digits, pos);
		if (r < 0)
			return r;
	}
	return 0;
}

int np_cpuset_parse_taskset(struct np_cpuset *set, const char *str, size_t *errpos)
{
	return parse_into(set, str, errpos, parse_taskset);
}

/* numactl strings: the parsed members go to out; al is the allowed set cut to out's size. */
struct numactl {
	struct np_cpuset *out;
	const struct np_cpuset *al;
	unsigned int weight; /* of al */
	bool relative;
};

/*
 * One numactl item.  Absolute: numbers beyond the set are -ERANGE, and the item adds the
 * allowed members among a, a+s, ... b; none at all is -ERANGE (this is the one rule for
 * numactl issue #259).  Relative ("+"): the numbers are ranks among the allowed members.
 */
static int numactl_item(void *ctx, const struct item *it, size_t *pos)
{
	struct numactl *n = ctx;
	unsigned int lim = n->relative ? n->weight : n->out->nbits, added = 0;
	int m;

	if (it->a >= lim || it->b >= lim) {
		*pos = it->a >= lim ? it->apos : it->bpos;
		return -ERANGE;
	}
	if (n->relative) {
		m = np_cpuset_nth(n->al, it->a);
		for (unsigned int rank = it->a;; rank += it->s) {
			np_cpuset_set(n->out, (unsigned int)m);
			if (it->b - rank < it->s)
				return 0;
			for (unsigned int k = 0; k < it->s; k++)
				m = np_cpuset_next(n->al, m);
		}
	}
	for (m = np_cpuset_next(n->al, (int)it->a - 1); m >= 0 && (unsigned int)m <= it->b;
	     m = np_cpuset_next(n->al, m)) {
		if (((unsigned int)m - it->a) % it->s == 0) {
			np_cpuset_set(n->out, (unsigned int)m);
			added++;
		}
	}
	if (!added) {
		*pos = it->apos;
		return -ERANGE;
	}
	return 0;
}

/* "all" as the whole rest of the string, blanks around it allowed. */
static bool is_all(const char *p)
{
	while (isblank_(*p))
		p++;
	if (strncmp(p, "all", 3))
		return false;
	for (p += 3; isspace_(*p); p++)
		;
	return !*p;
}

static int parse_numactl(struct numactl *n, const char *str, size_t *pos)
{
	const char *p = str;
	bool invert = false;
	int r;

	while (isblank_(*p))
		p++;
	if (*p == '!') {
		invert = true;
		p++;
	}
	if (*p == '+') {
		n->relative = true;
		p++;
	}
	if (is_all(p)) {
		if (n->out)
			np_cpuset_copy(n->out, n->al);
	} else {
		r = walk_list(str, p, true, !invert && !n->relative, n->out ? numactl_item : NULL,
			      n, pos);
		if (r < 0)
			return r;
	}
	if (invert && n->out)
		np_cpuset_andnot(n->out, n->al, n->out);
	return 0;
}

int np_cpuset_parse_numactl(struct np_cpuset *set, const char *str, const struct np_cpuset *allowed,
			    size_t *errpos)
{
	struct numactl n = {0};
	struct np_cpuset *al = NULL, *tmp = NULL;
	size_t pos = 0;
	int r = parse_numactl(&n, str, &pos);

	if (r == 0)
		r = np_cpuset_new(set->nbits, &al);
	if (r == 0)
		r = np_cpuset_new(set->nbits, &tmp);
	if (r == 0) {
		/* members of allowed beyond the set could not be stored: they do not count */
		for (size_t i = 0; i < NP_WORDS(al->nbits); i++)
			al->bits[i] = allowed ? np__cpuset_word(allowed, i) : ~0UL;
		if (al->nbits)
			np__cpuset_trim(al);
		n = (struct numactl){.out = tmp, .al = al, .weight = np_cpuset_weight(al)};
		r = parse_numactl(&n, str, &pos);
	}
	np_cpuset_free(al);
	return finish(set, tmp, r, pos, errpos);
}
