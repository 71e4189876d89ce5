/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-cpuset-ops.c - unit tests of the CPU/node set operations: and, or, andnot, xor across
 * sizes, comparisons, iteration, single bits, resize, copy and dup.  The parsers and
 * formatters are t-cpuset.c's.
 *
 * Terminology: a set is written as a kernel-style cpulist ("0-3,64-69"); "size" is its width
 * in bits (np_cpuset_size()), which may differ between the operands of one operation.  An
 * operation that fails must leave its destination exactly as it was.
 */
#include <errno.h>
#include <limits.h>

#include "numaplace.h"
#include "tap.h"

static struct np_cpuset *mkset(unsigned int nbits, const char *list)
{
	struct np_cpuset *s;

	if (np_cpuset_new(nbits, &s) < 0)
		bail_out("np_cpuset_new failed");
	if (list && np_cpuset_parse_list(s, list, NULL) < 0)
		bail_out("bad list in a test");
	return s;
}

static void is_set(const struct np_cpuset *s, const char *want, const char *name)
{
	char *got;

	if (np_cpuset_format_list(s, 0, &got) < 0)
		bail_out("np_cpuset_format_list failed");
	is_str(got, want, "%s", name);
	free(got);
}

static void test_ops(void)
{
	struct np_cpuset *a = mkset(70, "0-3,64-69"), *b = mkset(8, "2-5"), *d = mkset(70, NULL);
	struct np_cpuset *small = mkset(8, "7"), *e, *big;

	is_int(np_cpuset_and(d, a, b), 0, "and of sets of different sizes");
	is_set(d, "2-3", "and");
	is_int(np_cpuset_or(d, a, b), 0, "or");
	is_set(d, "0-5,64-69", "or: members of both");
	is_int(np_cpuset_andnot(d, a, b), 0, "andnot");
	is_set(d, "0-1,64-69", "andnot");
	is_int(np_cpuset_xor(d, a, b), 0, "xor");
	is_set(d, "0-1,4-5,64-69", "xor");
	is_int(np_cpuset_or(small, a, b), -ERANGE, "or into a set too small is -ERANGE");
	is_set(small, "7", "and leaves the destination untouched");
	is_int(np_cpuset_and(small, a, b), 0, "and into a small set fits");
	is_set(small, "2-3", "and into a small set");
	is_int(np_cpuset_and(a, a, b), 0, "dst may be an operand");
	is_set(a, "2-3", "dst == a");
	ok(np_cpuset_equal(a, small) && np_cpuset_equal(small, a), "equal across sizes");
	ok(np_cpuset_subset(a, b) && !np_cpuset_subset(b, a), "subset");
	ok(np_cpuset_intersects(a, b), "intersects");
	np_cpuset_zero(a);
	ok(np_cpuset_empty(a) && !np_cpuset_intersects(a, b) && np_cpuset_subset(a, b),
	   "zero, empty");
	is_int(np_cpuset_weight(b), 4, "weight");
	np_cpuset_fill(d);
	is_int(np_cpuset_weight(d), 70, "fill stops at the size (70)");
	is_int(np_cpuset_last(d), 69, "last of a filled set");

	/* iteration */
	struct np_cpuset *it = mkset(200, "3,64,130-131,199");

	is_int(np_cpuset_first(it), 3, "first");
	is_int(np_cpuset_next(it, 3), 64, "next crosses a word");
	is_int(np_cpuset_next(it, -1), 3, "next(-1) is first");
	is_int(np_cpuset_next(it, 131), 199, "next");
	is_int(np_cpuset_next(it, 199), -1, "next past the last is -1");
	is_int(np_cpuset_next(it, 5000), -1, "next beyond the size is -1");
	is_int(np_cpuset_last(it), 199, "last");
	is_int(np_cpuset_nth(it, 0), 3, "nth(0)");
	is_int(np_cpuset_nth(it, 3), 131, "nth(3)");
	is_int(np_cpuset_nth(it, 4), 199, "nth(4)");
	is_int(np_cpuset_nth(it, 5), -1, "nth beyond the weight is -1");
	int n = 0, sum = 0;

	np_cpuset_foreach(i, it)
	{
		n++;
		sum += i;
	}
	ok(n == 5 && sum == 3 + 64 + 130 + 131 + 199, "foreach visits every member once");

	/* single bits and sizes */
	is_int(np_cpuset_set(it, 200), -ERANGE, "set at the size is -ERANGE");
	is_int(np_cpuset_clear(it, 200), -ERANGE, "clear at the size is -ERANGE");
	ok(!np_cpuset_isset(it, 200) && !np_cpuset_isset(it, UINT_MAX),
	   "isset beyond the size is false");
	is_int(np_cpuset_clear(it, 64), 0, "clear");
	ok(!np_cpuset_isset(it, 64), "cleared");
	is_int(np_cpuset_resize(it, 131), 0, "resize down");
	is_int(np_cpuset_size(it), 131, "size after resize");
	is_set(it, "3,130", "resize drops members beyond the size");
	is_int(np_cpuset_resize(it, 4096), 0, "resize up");
	is_set(it, "3,130", "resize up keeps members and adds none");
	is_int(np_cpuset_set(it, 4095), 0, "the new bits are usable");
	is_int(np_cpuset_resize(it, 0), 0, "resize to 0");
	ok(np_cpuset_empty(it) && np_cpuset_first(it) == -1 && np_cpuset_last(it) == -1 &&
	       np_cpuset_nth(it, 0) == -1 && np_cpuset_weight(it) == 0,
	   "a 0-size set is empty");
	is_int(np_cpuset_set(it, 0), -ERANGE, "a 0-size set holds nothing");
	np_cpuset_fill(it);
	ok(np_cpuset_empty(it), "fill of a 0-size set adds nothing");
	is_int(np_cpuset_resize(it, (unsigned int)INT_MAX + 1), -EOVERFLOW,
	       "resize beyond INT_MAX is -EOVERFLOW");
	is_int(np_cpuset_size(it), 0, "and leaves the size");
	e = NULL;
	is_int(np_cpuset_new((unsigned int)INT_MAX + 1, &e), -EOVERFLOW,
	       "new beyond INT_MAX is -EOVERFLOW");
	ok(e == NULL, "and does not write ret");

	/* copy and dup */
	big = mkset(100, "1,99");
	is_int(np_cpuset_copy(b, big), -ERANGE,
	       "copy of a member beyond the destination is -ERANGE");
	is_set(b, "2-5", "and leaves it untouched");
	is_int(np_cpuset_copy(big, b), 0, "copy into a larger set");
	is_set(big, "2-5", "copy replaces the members");
	is_int(np_cpuset_dup(big, &e), 0, "dup");
	ok(np_cpuset_equal(e, big) && np_cpuset_size(e) == 100, "dup: same members and size");
	np_cpuset_free(e);
	np_cpuset_free(NULL);
	ok(1, "free(NULL) is a no-op");

	np_cpuset_free(big);
	np_cpuset_free(it);
	np_cpuset_free(small);
	np_cpuset_free(a);
	np_cpuset_free(b);
	np_cpuset_free(d);
}

int main(void)
{
	test_ops();
	done_testing();
	return exit_status();
}
