/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuset-format.c - CPU/node sets as text: the kernel's list, util-linux's strided list, the
 * kernel's mask and taskset's hex; and the growing string (sbuf) the formatters write into.
 *
 * Terminology:
 *  run      consecutive members printed as a-b.
 *  stride   a constant step between members, printed as a-b:s (util-linux 2.42 lscpu).
 *  word32   32 bits of a set, the unit of the kernel's mask, most significant first.
 *  sbuf     struct np__sbuf: a string that grows as text is added, failing once for all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void np__sbuf_add(struct np__sbuf *b, const char *fmt, ...)
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

int np__sbuf_finish(struct np__sbuf *b, char **ret)
{
	if (!b->oom && !b->s)
		np__sbuf_add(b, "%s", "");
	if (b->oom) {
		free(b->s);
		return -ENOMEM;
	}
	*ret = b->s;
	return 0;
}

/* The kernel's %*pbl: runs of consecutive members as a-b, others alone ("0-1", "0-3,8"). */
static void list_kernel(const struct np_cpuset *set, struct np__sbuf *b)
{
	const char *sep = "";

	for (int a = np_cpuset_first(set), z, n; a >= 0; a = n) {
		for (z = a; (n = np_cpuset_next(set, z)) == z + 1; z = n)
			;
		if (z > a)
			np__sbuf_add(b, "%s%d-%d", sep, a, z);
		else
			np__sbuf_add(b, "%s%d", sep, a);
		sep = ",";
	}
}

/*
 * util-linux 2.42's cpulist_create(): from the lowest member a, follow the step s to the
 * next member as far as it stays constant, up to b.  Three or more members print as a-b
 * (s = 1) or a-b:s; when only two share the step, a prints alone and b starts the next
 * run, so a pair prints "0,1" and {0,1,3} "0,1,3".
 */
static void list_strides(const struct np_cpuset *set, struct np__sbuf *b)
{
	const char *sep = "";

	for (int a = np_cpuset_first(set), n; a >= 0; a = n, sep = ",") {
		int z, s;

		n = np_cpuset_next(set, a);
		if (n < 0) {
			np__sbuf_add(b, "%s%d", sep, a);
			break;
		}
		s = n - a;
		for (z = n; (n = np_cpuset_next(set, z)) >= 0 && n - z == s; z = n)
			;
		if (z - a == s) {
			np__sbuf_add(b, "%s%d", sep, a);
			n = z;
		} else if (s == 1) {
			np__sbuf_add(b, "%s%d-%d", sep, a, z);
		} else {
			np__sbuf_add(b, "%s%d-%d:%d", sep, a, z, s);
		}
	}
}

int np_cpuset_format_list(const struct np_cpuset *set, unsigned int flags, char **ret)
{
	struct np__sbuf b = {0};

	if (flags & NP_FMT_STRIDES)
		list_strides(set, &b);
	else
		list_kernel(set, &b);
	return np__sbuf_finish(&b, ret);
}

/* Bits 32*w .. 32*w+31 of @set. */
static unsigned int word32(const struct np_cpuset *set, size_t w)
{
	size_t bit = w * 32;

	return (unsigned int)(np__cpuset_word(set, bit / NP_BITS_PER_WORD) >> (bit % NP_BITS_PER_WORD)) &
	       0xffffffffu;
}

/*
 * @words 32-bit words, most significant first, the first with @width hex digits (0 = as
 * few as it needs), the others with 8; @sep between them.
 */
static int format_words(const struct np_cpuset *set, size_t words, int width, const char *sep,
			char **ret)
{
	struct np__sbuf b = {0};

	for (size_t w = words; w-- > 0;)
		if (w == words - 1)
			np__sbuf_add(&b, "%0*x", width, word32(set, w));
		else
			np__sbuf_add(&b, "%s%08x", sep, word32(set, w));
	return np__sbuf_finish(&b, ret);
}

int np_cpuset_format_mask(const struct np_cpuset *set, unsigned int flags, char **ret)
{
	int last = np_cpuset_last(set);

	if ((flags & NP_FMT_FULL) && set->nbits) {
		/* the kernel's %*pb: the top word holds only the bits below the size */
		unsigned int top = set->nbits % 32 ? set->nbits % 32 : 32;

		return format_words(set, ((size_t)set->nbits + 31) / 32, (int)(top + 3) / 4, ",",
				    ret);
	}
	return format_words(set, last < 0 ? 1 : (size_t)last / 32 + 1, 0, ",", ret);
}

int np_cpuset_format_taskset(const struct np_cpuset *set, char **ret)
{
	int last = np_cpuset_last(set);

	return format_words(set, last < 0 ? 1 : (size_t)last / 32 + 1, 0, "", ret);
}

