/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-numactl.c - libFuzzer target for np_cpuset_parse_numactl().
 *
 * Terminology: see fuzz-common.h; "allowed" is made from the size bytes too (a 16-bit
 * pattern repeated), or NULL (everything) when the pattern is 0xffff.  Invariants: a failure
 * leaves the set untouched; a success is a subset of allowed; "!" + s is allowed minus s;
 * with everything allowed, "+" + s (ranks) is s.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse_prefixed(const char *prefix, const char *str, unsigned int nbits,
			  const struct np_cpuset *allowed, struct np_cpuset **ret)
{
	size_t n = strlen(prefix) + strlen(str) + 1;
	char *s = malloc(n);
	int r;

	check(s != NULL);
	strcpy(s, prefix);
	strcat(s, str);
	*ret = fuzz_set(nbits);
	r = np_cpuset_parse_numactl(*ret, s, allowed, NULL);
	free(s);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nbits, pattern;
	char *str = fuzz_split(data, size, &nbits);
	struct np_cpuset *set, *before, *allowed = NULL, *t, *want;
	size_t pos = (size_t)-1;
	int r;

	if (!str)
		return 0;
	pattern = (unsigned int)data[0] << 8 | data[1];
	if (pattern != 0xffff) {
		check(np_cpuset_new(nbits + 16, &allowed) == 0);
		for (unsigned int i = 0; i < nbits + 16; i++)
			if (pattern >> (i % 16) & 1)
				np_cpuset_set(allowed, i);
	}
	set = fuzz_set(nbits);
	before = fuzz_set(nbits);
	r = np_cpuset_parse_numactl(set, str, allowed, &pos);
	fuzz_check_result(r, set, before, str, pos);
	if (r == 0 && allowed)
		check(np_cpuset_subset(set, allowed));
	if (r == 0 && str[0] && str[0] != '!' && str[0] != ' ' && str[0] != '\t' &&
	    strspn(str, " \t\n") != strlen(str)) {
		check(parse_prefixed("!", str, nbits, allowed, &t) == 0);
		/* allowed cut to the set's size, minus the members of s */
		check(np_cpuset_new(nbits, &want) == 0);
		np_cpuset_fill(want);
		if (allowed)
			check(np_cpuset_and(want, want, allowed) == 0);
		check(np_cpuset_andnot(want, want, set) == 0);
		check(np_cpuset_equal(want, t));
		np_cpuset_free(want);
		np_cpuset_free(t);
	}
	if (!allowed && str[0] >= '0' && str[0] <= '9') {
		int r2 = parse_prefixed("+", str, nbits, NULL, &t);

		check(r2 == r);
		check(r != 0 || np_cpuset_equal(set, t));
		np_cpuset_free(t);
	}
	np_cpuset_free(before);
	np_cpuset_free(set);
	np_cpuset_free(allowed);
	free(str);
	return 0;
}
