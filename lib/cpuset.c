/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuset.c - dynamically sized CPU/node bitmaps, and the list, stride and mask syntaxes.
 *
 * Terminology (as util-linux lib/cpuset.c uses it):
 *  cpuset   the bitmap itself: struct np_cpuset, nbits wide, bit n set when CPU (or node) n
 *           is a member.  Its size is fixed at creation and bounds every parser.
 *  cpulist  the human syntax: "0-3,8,10-14:2", numbers, ranges, ranges with a stride.
 *  cpumask  the kernel's hex syntax: "ff,ffffffff", 32-bit words, most significant first.
 *  taskset  util-linux taskset's hex syntax: one hex number, "0x" optional, no commas.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int np_cpuset_new(unsigned int nbits, struct np_cpuset **ret)
{
	struct np_cpuset *set = calloc(1, sizeof(*set));

	if (!set)
		return -ENOMEM;
	set->nbits = nbits;
	set->bits = calloc(NP_WORDS(nbits) ? NP_WORDS(nbits) : 1, sizeof(unsigned long));
	if (!set->bits) {
		free(set);
		return -ENOMEM;
	}
	*ret = set;
	return 0;
}

void np_cpuset_free(struct np_cpuset *set)
{
	if (!set)
		return;
	free(set->bits);
	free(set);
}

int np_cpuset_dup(const struct np_cpuset *set, struct np_cpuset **ret)
{
	struct np_cpuset *n;
	int r = np_cpuset_new(set->nbits, &n);

	if (r < 0)
		return r;
	memcpy(n->bits, set->bits, NP_WORDS(set->nbits) * sizeof(unsigned long));
	*ret = n;
	return 0;
}

static unsigned long word(const struct np_cpuset *s, size_t i)
{
	return i < NP_WORDS(s->nbits) ? s->bits[i] : 0;
}

int np_cpuset_copy(struct np_cpuset *dst, const struct np_cpuset *src)
{
	int last = np_cpuset_last(src);
	size_t i;

	if (last >= 0 && (unsigned int)last >= dst->nbits)
		return -ERANGE;
	for (i = 0; i < NP_WORDS(dst->nbits); i++)
		dst->bits[i] = word(src, i);
	return 0;
}

unsigned int np_cpuset_size(const struct np_cpuset *set)
{
	return set->nbits;
}

/* Clear the bits of the last word that lie at or beyond nbits. */
static void trim(struct np_cpuset *s)
{
	unsigned int rem = s->nbits % NP_BITS_PER_WORD;

	if (rem)
		s->bits[NP_WORDS(s->nbits) - 1] &= (1UL << rem) - 1;
}

int np_cpuset_resize(struct np_cpuset *set, unsigned int nbits)
{
	size_t ow = NP_WORDS(set->nbits), nw = NP_WORDS(nbits);

	if (nw != ow) {
		unsigned long *b = realloc(set->bits, (nw ? nw : 1) * sizeof(unsigned long));

		if (!b)
			return -ENOMEM;
		if (nw > ow)
			memset(b + ow, 0, (nw - ow) * sizeof(unsigned long));
		set->bits = b;
	}
	set->nbits = nbits;
	if (nbits)
		trim(set);
	return 0;
}

void np_cpuset_zero(struct np_cpuset *set)
{
	memset(set->bits, 0, NP_WORDS(set->nbits) * sizeof(unsigned long));
}

void np_cpuset_fill(struct np_cpuset *set)
{
	if (!set->nbits)
		return;
	memset(set->bits, 0xff, NP_WORDS(set->nbits) * sizeof(unsigned long));
	trim(set);
}

int np_cpuset_set(struct np_cpuset *set, unsigned int bit)
{
	if (bit >= set->nbits)
		return -ERANGE;
	set->bits[bit / NP_BITS_PER_WORD] |= 1UL << (bit % NP_BITS_PER_WORD);
	return 0;
}

int np_cpuset_clear(struct np_cpuset *set, unsigned int bit)
{
	if (bit >= set->nbits)
		return -ERANGE;
	set->bits[bit / NP_BITS_PER_WORD] &= ~(1UL << (bit % NP_BITS_PER_WORD));
	return 0;
}

bool np_cpuset_isset(const struct np_cpuset *set, unsigned int bit)
{
	return bit < set->nbits && (set->bits[bit / NP_BITS_PER_WORD] >> (bit % NP_BITS_PER_WORD)) & 1;
}

enum op { OP_AND, OP_OR, OP_ANDNOT, OP_XOR };

static unsigned long apply(enum op op, unsigned long a, unsigned long b)
{
	switch (op) {
	case OP_AND:
		return a & b;
	case OP_OR:
		return a | b;
	case OP_ANDNOT:
		return a & ~b;
	case OP_XOR:
		return a ^ b;
	}
	return 0;
}

static int binop(enum op op, struct np_cpuset *dst, const struct np_cpuset *a,
		 const struct np_cpuset *b)
{
	size_t nw = NP_WORDS(a->nbits) > NP_WORDS(b->nbits) ? NP_WORDS(a->nbits) : NP_WORDS(b->nbits);
	size_t dw = NP_WORDS(dst->nbits), i;
	unsigned int rem = dst->nbits % NP_BITS_PER_WORD;

	/* check first so that a failure leaves dst untouched */
	for (i = 0; i < nw; i++) {
		unsigned long v = apply(op, word(a, i), word(b, i));

		if (i >= dw && v)
			return -ERANGE;
		if (i == dw - 1 && rem && (v >> rem))
			return -ERANGE;
	}
	for (i = 0; i < dw; i++)
		dst->bits[i] = apply(op, word(a, i), word(b, i));
	return 0;
}

int np_cpuset_and(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b)
{
	return binop(OP_AND, dst, a, b);
}

int np_cpuset_or(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b)
{
	return binop(OP_OR, dst, a, b);
}

int np_cpuset_andnot(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b)
{
	return binop(OP_ANDNOT, dst, a, b);
}

int np_cpuset_xor(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b)
{
	return binop(OP_XOR, dst, a, b);
}

static size_t maxwords(const struct np_cpuset *a, const struct np_cpuset *b)
{
	return NP_WORDS(a->nbits) > NP_WORDS(b->nbits) ? NP_WORDS(a->nbits) : NP_WORDS(b->nbits);
}

bool np_cpuset_equal(const struct np_cpuset *a, const struct np_cpuset *b)
{
	for (size_t i = 0; i < maxwords(a, b); i++)
		if (word(a, i) != word(b, i))
			return false;
	return true;
}

bool np_cpuset_subset(const struct np_cpuset *a, const struct np_cpuset *b)
{
	for (size_t i = 0; i < NP_WORDS(a->nbits); i++)
		if (a->bits[i] & ~word(b, i))
			return false;
	return true;
}

bool np_cpuset_intersects(const struct np_cpuset *a, const struct np_cpuset *b)
{
	for (size_t i = 0; i < NP_WORDS(a->nbits); i++)
		if (a->bits[i] & word(b, i))
			return true;
	return false;
}

bool np_cpuset_empty(const struct np_cpuset *set)
{
	for (size_t i = 0; i < NP_WORDS(set->nbits); i++)
		if (set->bits[i])
			return false;
	return true;
}

unsigned int np_cpuset_weight(const struct np_cpuset *set)
{
	unsigned int w = 0;

	for (size_t i = 0; i < NP_WORDS(set->nbits); i++)
		w += (unsigned int)__builtin_popcountl(set->bits[i]);
	return w;
}

int np_cpuset_first(const struct np_cpuset *set)
{
	return np_cpuset_next(set, -1);
}

int np_cpuset_next(const struct np_cpuset *set, int prev)
{
	unsigned int bit = prev < 0 ? 0 : (unsigned int)prev + 1;
	size_t i = bit / NP_BITS_PER_WORD;
	unsigned long w;

	if (bit >= set->nbits)
		return -1;
	w = set->bits[i] & (~0UL << (bit % NP_BITS_PER_WORD));
	while (!w) {
		if (++i >= NP_WORDS(set->nbits))
			return -1;
		w = set->bits[i];
	}
	return (int)(i * NP_BITS_PER_WORD + (size_t)__builtin_ctzl(w));
}

int np_cpuset_last(const struct np_cpuset *set)
{
	for (size_t i = NP_WORDS(set->nbits); i-- > 0;)
		if (set->bits[i])
			return (int)(i * NP_BITS_PER_WORD + NP_BITS_PER_WORD - 1 -
				     (size_t)__builtin_clzl(set->bits[i]));
	return -1;
}

int np_cpuset_nth(const struct np_cpuset *set, unsigned int n)
{
	for (size_t i = 0; i < NP_WORDS(set->nbits); i++) {
		unsigned long w = set->bits[i];
		unsigned int c = (unsigned int)__builtin_popcountl(w);

		if (n >= c) {
			n -= c;
			continue;
		}
		while (n--)
			w &= w - 1;
		return (int)(i * NP_BITS_PER_WORD + (size_t)__builtin_ctzl(w));
	}
	return -1;
}

/* ---- parsers ---------------------------------------------------------------------- */

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal number at *p; -EINVAL when none, -EOVERFLOW past UINT_MAX - 1. */
static int number(const char **p, unsigned int *ret)
{
	const char *s = *p;
	unsigned long long v = 0;

	if (!isdig(*s))
		return -EINVAL;
	while (isdig(*s)) {
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v >= 0xffffffffULL)
			return -EOVERFLOW;
		s++;
	}
	*p = s;
	*ret = (unsigned int)v;
	return 0;
}

static void seterr(size_t *errpos, const char *str, const char *at)
{
	if (errpos)
		*errpos = (size_t)(at - str);
}

/*
 * One cpulist into tmp.  Blanks around tokens are tolerated (sysfs prints none, users type
 * them); an empty string is the empty set.
 */
static int parse_list(struct np_cpuset *tmp, const char *str, size_t *errpos)
{
	const char *p = str;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	for (;;) {
		const char *tok = p;
		unsigned int a, b, stride = 1;
		int r = number(&p, &a);

		if (r < 0)
			goto fail;
		b = a;
		if (*p == '-') {
			p++;
			r = number(&p, &b);
			if (r < 0)
				goto fail;
			if (b < a) {
				r = -EINVAL;
				goto fail;
			}
			if (*p == ':') {
				p++;
				r = number(&p, &stride);
				if (r < 0)
					goto fail;
				if (stride == 0) {
					r = -EINVAL;
					goto fail;
				}
			}
		}
		if (b >= tmp->nbits) {
			p = tok;
			r = -ERANGE;
			goto fail;
		}
		for (unsigned long long i = a; i <= b; i += stride)
			np_cpuset_set(tmp, (unsigned int)i);
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		if (*p != ',') {
			r = -EINVAL;
			goto fail;
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		continue;
fail:
		seterr(errpos, str, r == -EINVAL ? p : tok);
		return r;
	}
}

/* Run a parser into a scratch set of the same size, then commit: failures leave set alone. */
static int commit(struct np_cpuset *set, const char *str, size_t *errpos,
		  int (*fn)(struct np_cpuset *, const char *, size_t *))
{
	struct np_cpuset *tmp;
	int r = np_cpuset_new(set->nbits, &tmp);

	if (r < 0)
		return r;
	r = fn(tmp, str, errpos);
	if (r == 0)
		memcpy(set->bits, tmp->bits, NP_WORDS(set->nbits) * sizeof(unsigned long));
	np_cpuset_free(tmp);
	return r;
}

int np_cpuset_parse_list(struct np_cpuset *set, const char *str, size_t *errpos)
{
	return commit(set, str, errpos, parse_list);
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

/*
 * Hex digits from the end of [start, end) into tmp, bit 0 being the last digit's low bit,
 * beginning at bit offset base.  Set bits beyond the size are -ERANGE.
 */
static int hex_digits(struct np_cpuset *tmp, const char *start, const char *end,
		      unsigned long long base, const char **bad)
{
	unsigned long long bit = base;

	for (const char *q = end; q-- > start; bit += 4) {
		int v = hexval(*q);

		if (v < 0) {
			*bad = q;
			return -EINVAL;
		}
		for (int k = 0; k < 4; k++) {
			if (!(v & (1 << k)))
				continue;
			if (bit + (unsigned int)k >= tmp->nbits) {
				*bad = q;
				return -ERANGE;
			}
			np_cpuset_set(tmp, (unsigned int)(bit + (unsigned int)k));
		}
	}
	return 0;
}

/* The kernel's mask: comma-separated groups of up to 8 hex digits, last group = bits 0-31. */
static int parse_mask(struct np_cpuset *tmp, const char *str, size_t *errpos)
{
	const char *end = str + strlen(str), *bad = str;
	unsigned long long base = 0;
	int r;

	while (end > str && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (end == str) {
		seterr(errpos, str, str);
		return -EINVAL;
	}
	while (end > str) {
		const char *start = end;

		while (start > str && start[-1] != ',')
			start--;
		if (start == end || end - start > 8) {
			seterr(errpos, str, start);
			return -EINVAL;
		}
		r = hex_digits(tmp, start, end, base, &bad);
		if (r < 0) {
			seterr(errpos, str, bad);
			return r;
		}
		base += 32;
		end = start > str ? start - 1 : start;
		if (start > str && end == str) {
			seterr(errpos, str, str);
			return -EINVAL;
		}
	}
	return 0;
}

int np_cpuset_parse_mask(struct np_cpuset *set, const char *str, size_t *errpos)
{
	return commit(set, str, errpos, parse_mask);
}

/* util-linux cpumask_parse: optional 0x/0X, then hex digits only; nothing else, not empty. */
static int parse_taskset(struct np_cpuset *tmp, const char *str, size_t *errpos)
{
	const char *p = str, *bad = str, *end;
	int r;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	end = p + strlen(p);
	if (end == p) {
		seterr(errpos, str, p);
		return -EINVAL;
	}
	r = hex_digits(tmp, p, end, 0, &bad);
	if (r < 0)
		seterr(errpos, str, bad);
	return r;
}

int np_cpuset_parse_taskset(struct np_cpuset *set, const char *str, size_t *errpos)
{
	return commit(set, str, errpos, parse_taskset);
}

/* ---- formatters ------------------------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) NP_PRINTF(2, 3);

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 64;

		while (cap <= b->len + (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static int sb_finish(struct sbuf *b, char **ret)
{
	if (!b->oom && !b->s)
		sb_add(b, "%s", "");
	if (b->oom) {
		free(b->s);
		return -ENOMEM;
	}
	*ret = b->s;
	return 0;
}

/*
 * With NP_FMT_STRIDES, a run of three or more members with one constant step > 1 is written
 * a-b:s, as lscpu 2.42 prints "0-62:2"; runs of step 1 stay a-b.  Greedy from the lowest member.
 */
int np_cpuset_format_list(const struct np_cpuset *set, unsigned int flags, char **ret)
{
	struct sbuf b = { 0 };
	int i = np_cpuset_first(set);
	const char *sep = "";

	while (i >= 0) {
		int j = i, n = np_cpuset_next(set, i), step = n - i, cnt = 1;

		if (n >= 0 && (step == 1 || (flags & NP_FMT_STRIDES))) {
			while (n >= 0 && n - j == step) {
				j = n;
				cnt++;
				n = np_cpuset_next(set, j);
			}
		}
		if (cnt >= 3 && step > 1)
			sb_add(&b, "%s%d-%d:%d", sep, i, j, step);
		else if (cnt >= 2 && step == 1)
			sb_add(&b, "%s%d-%d", sep, i, j);
		else if (cnt == 2)
			sb_add(&b, "%s%d,%d", sep, i, j);
		else
			sb_add(&b, "%s%d", sep, i);
		sep = ",";
		i = np_cpuset_next(set, j);
	}
	return sb_finish(&b, ret);
}

static unsigned int nibble(const struct np_cpuset *set, unsigned int i)
{
	unsigned int v = 0;

	for (unsigned int k = 0; k < 4; k++)
		if (np_cpuset_isset(set, i * 4 + k))
			v |= 1u << k;
	return v;
}

int np_cpuset_format_mask(const struct np_cpuset *set, unsigned int flags, char **ret)
{
	struct sbuf b = { 0 };
	int last = np_cpuset_last(set);
	int words = last < 0 ? 1 : last / 32 + 1;

	(void)flags;
	for (int w = words - 1; w >= 0; w--) {
		unsigned int v = 0;

		for (unsigned int k = 0; k < 8; k++)
			v |= nibble(set, (unsigned int)w * 8 + k) << (4 * k);
		sb_add(&b, w == words - 1 ? "%x" : ",%08x", v);
	}
	return sb_finish(&b, ret);
}

int np_cpuset_format_taskset(const struct np_cpuset *set, char **ret)
{
	struct sbuf b = { 0 };
	int last = np_cpuset_last(set);
	int digits = last < 0 ? 1 : last / 4 + 1;

	for (int d = digits - 1; d >= 0; d--)
		sb_add(&b, "%x", nibble(set, (unsigned int)d));
	return sb_finish(&b, ret);
}
