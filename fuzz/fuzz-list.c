/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-list.c - libFuzzer target for np_cpuset_parse_list().
 *
 * Terminology: see fuzz-common.h.  Invariants: a failure leaves the set untouched and
 * reports an offset inside the string; a success formats (kernel style and with strides)
 * to a string that parses back to the same set and formats to the same string again.
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
	r = np_cpuset_parse_list(set, str, &pos);
	fuzz_check_result(r, set, before, str, pos);
	if (r == 0) {
		fuzz_round_trip(set, 0, np_cpuset_format_list, np_cpuset_parse_list);
		fuzz_round_trip(set, NP_FMT_STRIDES, np_cpuset_format_list, np_cpuset_parse_list);
	}
	np_cpuset_free(before);
	np_cpuset_free(set);
	free(str);
	return 0;
}
