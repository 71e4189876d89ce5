/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-location.c - libFuzzer target for location expressions: any input either fails to parse
 * cleanly or parses to an expression whose canonical text parses back to the same text, and
 * evaluates on a small machine (2 packages, 2 nodes, 4 cores, SMT2) without fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct np_topo *machine(void)
{
	static struct np_topo *t;
	struct np__synth_cpu d[16];

	if (t)
		return t;
	for (unsigned int c = 0; c < 16; c++)
		d[c] = (struct np__synth_cpu){ .cpu = c, .package = (int)c % 2, .node = (int)c % 2,
					       .die = -1, .cluster = -1, .core = (int)c % 8,
					       .l3 = (int)c % 2, .l2 = (int)c % 8 };
	if (np__topo_synthetic(16, d, 16, NULL, 0, &t) < 0)
		abort();
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *str = malloc(size + 1), *a = NULL, *b = NULL;
	struct np_location *loc = NULL, *again = NULL;
	struct np_cpuset *set = NULL;
	size_t pos = SIZE_MAX;
	int r;

	if (!str)
		return 0;
	memcpy(str, data, size);
	str[size] = 0;
	r = np_location_parse(str, &loc, &pos);
	if (r < 0) {
		/* the error offset must lie inside the text (or at its end) */
		if (pos > strlen(str))
			abort();
		goto out;
	}
	if (np_location_format(loc, &a) < 0 || np_location_parse(a, &again, NULL) < 0 ||
	    np_location_format(again, &b) < 0 || strcmp(a, b) != 0)
		abort();
	pos = SIZE_MAX;
	r = np_location_eval(loc, machine(), &set, &pos);
	if (r < 0 && pos > strlen(str))
		abort();
	if (r == 0 && np_cpuset_last(set) >= 16)
		abort();
out:
	np_cpuset_free(set);
	np_location_free(loc);
	np_location_free(again);
	free(a);
	free(b);
	free(str);
	return 0;
}
