/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-taskset.c - libFuzzer target for np_cpuset_parse_taskset() (util-linux cpumask_parse).
 *
 * Terminology: see fuzz-common.h.  Invariants: a failure leaves the set untouched; a
 * success formats to hex that parses back to the same set and formats the same again; and
 * commas never change the value ("ff,1" is "ff1").
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nbits;
	char *str = fuzz_split(data, size, &nbits), *s, *again, *nocomma;
	struct np_cpuset *set, *before, *t;
	size_t pos = (size_t)-1, n = 0;
	int r;

	if (!str)
		return 0;
	set = fuzz_set(nbits);
	before = fuzz_set(nbits);
	r = np_cpuset_parse_taskset(set, str, &pos);
	fuzz_check_result(r, set, before, str, pos);
	if (r == 0) {
		check(np_cpuset_format_taskset(set, &s) == 0);
		t = fuzz_set(nbits);
		check(np_cpuset_parse_taskset(t, s, NULL) == 0);
		check(np_cpuset_equal(set, t));
		check(np_cpuset_format_taskset(t, &again) == 0);
		check(strcmp(s, again) == 0);
		/* the same digits without commas give the same set */
		nocomma = strdup(str);
		check(nocomma != NULL);
		for (const char *p = str; *p; p++)
			if (*p != ',')
				nocomma[n++] = *p;
		nocomma[n] = 0;
		check(np_cpuset_parse_taskset(t, nocomma, NULL) == 0);
		check(np_cpuset_equal(set, t));
		free(nocomma);
		free(again);
		free(s);
		np_cpuset_free(t);
	}
	np_cpuset_free(before);
	np_cpuset_free(set);
	free(str);
	return 0;
}
