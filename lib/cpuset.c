/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuset.c - dynamically sized CPU/node bitmaps: allocation, bit operations, iteration.  The
 * syntaxes are in cpuset-parse.c, the output forms in cpuset-format.c.
 *
 * Terminology (as util-linux lib/cpuset.c uses it):
 *  cpuset   the bitmap itself: struct np_cpuset, nbits wide, bit n set when CPU (or node) n
 *           is a member.  Its size is fixed at creation and bounds every parser.
 *  word     NP_BITS_PER_WORD bits of the bitmap; bits at or beyond the size are always zero.
 *  inline   the first words live in the same allocation as the header (np_cpuset_new).
 *  size     a set's capacity in bits.  Members are below it; iterators return them as int,
 *           so the size is at most INT_MAX.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* the words allocated with a set, right after its header (np_cpuset_new) */
static unsigned long *inline_bits(struct np_cpuset *set)
{
	return (unsigned long *)(set + 1);
}

int np_cpuset_new(unsigned int nbits, struct np_cpuset **ret)
{
	struct np_cpuset *set;

	if (nbits > INT_MAX)
		return -EOVERFLOW;
	/* header and first words in one block: a topology load makes hundreds of sets */
	set = calloc(1, sizeof(*set) + (NP_WORDS(nbits) ? NP_WORDS(nbits) : 1) * sizeof(unsigned long));
	if (!set)
		return -ENOMEM;
	set->nbits = nbits;
	set->bits = inline_bits(set);
	*ret = set;
	return 0;
}

void np_cpuset_free(struct np_cpuset *set)
{
	if (!set)
		return;
	if (set->bits != inline_bits(set))
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

int np_cpuset_copy(struct np_cpuset *dst, const struct np_cpuset *src)
{
	int last = np_cpuset_last(src);
	size_t i;

	if (last >= 0 && (unsigned int)last >= dst->nbits)
		return -ERANGE;
	for (i = 0; i < NP_WORDS(dst->nbits); i++)
		dst->bits[i] = np__cpuset_word(src, i);
	return 0;
}

unsigned int np_cpuset_size(const struct np_cpuset *set)
{
	return set->nbits;
}

int np_cpuset_resize(struct np_cpuset *set, unsigned int nbits)
{
	size_t ow = NP_WORDS(set->nbits), nw = NP_WORDS(nbits);

	if (nbits > INT_MAX)
		return -EOVERFLOW;
	if (nw > ow || (nw < ow && set->bits != inline_bits(set))) {
		/* the words made with the set stay put when it shrinks; growing leaves them */
		unsigned long *b;

		if (set->bits == inline_bits(set)) {
			b = malloc(nw * sizeof(unsigned long));
			if (b)
				memcpy(b, set->bits, ow * sizeof(unsigned long));
		} else {
			b = realloc(set->bits, (nw ? nw : 1) * sizeof(unsigned long));
		}
		if (!b)
			return -ENOMEM;
		if (nw > ow)
			memset(b + ow, 0, (nw - ow) * sizeof(unsigned long));
		set->bits = b;
	}
	set->nbits = nbits;
	if (nbits)
		np__cpuset_trim(set);
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
	np__cpuset_trim(set);
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
	return bit < set->nbits &&
	       (set->bits[bit / NP_BITS_PER_WORD] >> (bit % NP_BITS_PER_WORD)) & 1;
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
	size_t nw =
	    NP_WORDS(a->nbits) > NP_WORDS(b->nbits) ? NP_WORDS(a->nbits) : NP_WORDS(b->nbits);
	size_t dw = NP_WORDS(dst->nbits), i;
	unsigned int rem = dst->nbits % NP_BITS_PER_WORD;

	/* check first so that a failure leaves dst untouched */
	for (i = 0; i < nw; i++) {
		unsigned long v = apply(op, np__cpuset_word(a, i), np__cpuset_word(b, i));

		if (i >= dw && v)
			return -ERANGE;
		if (i == dw - 1 && rem && (v >> rem))
			return -ERANGE;
	}
	for (i = 0; i < dw; i++)
		dst->bits[i] = apply(op, np__cpuset_word(a, i), np__cpuset_word(b, i));
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
		if (np__cpuset_word(a, i) != np__cpuset_word(b, i))
			return false;
	return true;
}

bool np_cpuset_subset(const struct np_cpuset *a, const struct np_cpuset *b)
{
	for (size_t i = 0; i < NP_WORDS(a->nbits); i++)
		if (a->bits[i] & ~np__cpuset_word(b, i))
			return false;
	return true;
}

bool np_cpuset_intersects(const struct np_cpuset *a, const struct np_cpuset *b)
{
	for (size_t i = 0; i < NP_WORDS(a->nbits); i++)
		if (a->bits[i] & np__cpuset_word(b, i))
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
