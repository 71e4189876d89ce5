/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-mask.c - libFuzzer target for np_cpuset_parse_mask() (the kernel's hex words).
 *
 * Terminology: see fuzz-common.h.  Invariants: a failure leaves the set untouched; a
 * success formats (short and NP_FMT_FULL) to masks that parse back to the same set; and
 * since a kernel mask without commas is also a taskset mask, both parsers agree on it.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nbits;
	char *str = fuzz_split(data, size, &nbits);
	struct np_cpuset *set, *before;
	size_t pos = (size_t)-1;
	int r;

	if (!str)
		return 0;
	set = fuzz_set(nbits);
	before = fuzz_set(nbits);
	r = np_cpuset_parse_mask(set, str, &pos);
	fuzz_check_result(r, set, before, str, pos);
	if (r == 0) {
		fuzz_round_trip(set, 0, np_cpuset_format_mask, np_cpuset_parse_mask);
		fuzz_round_trip(set, NP_FMT_FULL, np_cpuset_format_mask, np_cpuset_parse_mask);
	}
	if (str[0] && strlen(str) <= 8 && strspn(str, "0123456789abcdefABCDEF") == strlen(str)) {
		struct np_cpuset *t = fuzz_set(nbits);

		check(np_cpuset_parse_taskset(t, str, NULL) == r);
		check(r != 0 || np_cpuset_equal(set, t));
		np_cpuset_free(t);
	}
	np_cpuset_free(before);
	np_cpuset_free(set);
	free(str);
	return 0;
}
