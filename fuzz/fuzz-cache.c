/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cache.c - libFuzzer target for the parsers of a CPU cache's attributes: size
 * (np__parse_cache_size), level, type, coherency_line_size and ways_of_associativity
 * (np__parse_cache_attr) and id.
 *
 * Terminology: see fuzz-sysparse.h.  The first byte picks the attribute: 0 size, 1 level,
 * 2 type, 3 line size or ways, 4 id.
 *
 * Invariants: a failure leaves the output untouched.  A size is "<digits>" with at most one
 * K, M or G after it, else -EINVAL; its digits' value N, checked without a shift, decides the
 * rest: beyond an unsigned long long -ERANGE, beyond 2^50 bytes -EDOM, else N << shift bytes,
 * which shifted back is N again (never wrapped).  A level is 1..4, a line size or ways
 * 1..65536, an id 0..INT_MAX, each what np__parse_ll reads or -EDOM out of range.  A type is
 * Data or Instruction exactly for those words, unified for any other text.
 */
#include "fuzz-sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_size(const char *text)
{
	unsigned long long bytes = SENTINEL, n;
	size_t digits = strspn(text, "0123456789");
	const char *suffix = text + digits;
	unsigned int shift = 0;
	int r = np__parse_cache_size(text, &bytes);

	if (*suffix == 'K')
		shift = 10;
	else if (*suffix == 'M')
		shift = 20;
	else if (*suffix == 'G')
		shift = 30;
	if (digits == 0 || suffix[shift ? 1 : 0]) {
		check(r == -EINVAL && bytes == SENTINEL);
		return;
	}
	n = fuzz_digits(text, digits);
	if (n == ULLONG_MAX)
		check(r == -ERANGE || r == -EDOM);
	else if (n > NP__MAX_CACHE_SIZE >> shift)
		check(r == -EDOM);
	else
		check(r == 0);
	if (r < 0) {
		check(bytes == SENTINEL);
		return;
	}
	check(bytes <= NP__MAX_CACHE_SIZE && bytes >> shift == n && bytes % (1ULL << shift) == 0);
}

static void fuzz_level(const char *text)
{
	unsigned int level = SENTINEL;
	int r = np__parse_cache_level(text, &level);

	fuzz_check_ranged(text, r, level, level != SENTINEL, 1, NP__MAX_CACHE_LEVEL);
}

static void fuzz_type(const char *text)
{
	enum np_cache_type t = np__parse_cache_type(text);

	if (strcmp(text, "Data") == 0)
		check(t == NP_CACHE_DATA);
	else if (strcmp(text, "Instruction") == 0)
		check(t == NP_CACHE_INSTRUCTION);
	else
		check(t == NP_CACHE_UNIFIED);
}

static void fuzz_attr(const char *text)
{
	unsigned int v = SENTINEL;
	int r = np__parse_cache_attr(text, &v);

	fuzz_check_ranged(text, r, v, v != SENTINEL, 1, NP__MAX_CACHE_ATTR);
}

static void fuzz_id(const char *text)
{
	int id = SENTINEL;
	int r = np__parse_cache_id(text, &id);

	fuzz_check_ranged(text, r, id, id != SENTINEL, 0, INT_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *) = {
		fuzz_size, fuzz_level, fuzz_type, fuzz_attr, fuzz_id,
	};
	char *text = fuzz_text(data, size, 1);

	if (!text)
		return 0;
	parsers[data[0] % (sizeof(parsers) / sizeof(*parsers))](text);
	free(text);
	return 0;
}
