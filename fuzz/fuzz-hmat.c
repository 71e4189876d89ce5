/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-hmat.c - libFuzzer target for the parsers of HMAT values: an access class's latency
 * or bandwidth and a memory-side cache's size (np__parse_hmat_num), its line_size and its
 * indexing or write_policy (np__parse_hmat_enum).
 *
 * Terminology: see fuzz-sysparse.h.  The first byte picks the parser: 0 number, 1 line size,
 * 2 indexing or write policy.
 *
 * Invariants: each agrees with np__parse_ll on the same text; a negative number is -EDOM, a
 * line size beyond an unsigned int -EDOM (never wrapped), and an enum of any non-negative
 * number is 0, 1 or 2 (2 for anything above).  A failure leaves the output untouched.
 */
#include "fuzz-sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_num(const char *text)
{
	unsigned long long v = SENTINEL;
	int r = np__parse_hmat_num(text, &v);

	check(v <= LLONG_MAX);
	fuzz_check_ranged(text, r, (long long)v, v != SENTINEL, 0, LLONG_MAX);
}

static void fuzz_line(const char *text)
{
	unsigned int v = SENTINEL;
	int r = np__parse_hmat_line_size(text, &v);

	fuzz_check_ranged(text, r, v, v != SENTINEL, 0, UINT_MAX);
}

static void fuzz_enum(const char *text)
{
	unsigned int v = SENTINEL;
	long long n;
	int r = np__parse_hmat_enum(text, &v);
	int rl = np__parse_ll(text, &n);

	if (rl < 0)
		check(r == rl && v == SENTINEL);
	else if (n < 0)
		check(r == -EDOM && v == SENTINEL);
	else
		check(r == 0 && v == (n > 2 ? 2 : (unsigned int)n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *) = { fuzz_num, fuzz_line, fuzz_enum };
	char *text = fuzz_text(data, size, 1);

	if (!text)
		return 0;
	parsers[data[0] % (sizeof(parsers) / sizeof(*parsers))](text);
	free(text);
	return 0;
}
