/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-numamaps.c - libFuzzer target for the numa_maps parser (np__numa_maps_parse(),
 * lib/numamaps.c), called on the bytes directly, without a file.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole numa_maps text up to its first NUL;
 * "row" is a mapping's node_pages[], "cap" the highest node number the parser takes (65535).
 *
 * Invariants: a success has at most one mapping per non-empty line, nnodes at most the cap + 1,
 * each mapping's pages equal to the sum of its row, each node's per-kind totals equal to the
 * sum of the rows of the mappings of that kind, kinds in range, and the policy and file strings
 * inside the text; a failure is -EINVAL, -ERANGE, -EFBIG or -ENOMEM and leaves *ret untouched.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(const char *p, const char *text, size_t len)
{
	return p >= text && p < text + len;
}

static void check_map(const struct np_numa_maps *m, const struct np_numa_map *mp,
		      const char *text, size_t len)
{
	unsigned long long sum = 0;

	check(inside(mp->policy, text, len));
	check(!mp->file || inside(mp->file, text, len));
	check(mp->kind >= NP_PAGES_ANON && mp->kind < NP_PAGES_NKINDS);
	for (unsigned int n = 0; n < m->nnodes; n++)
		sum += mp->node_pages[n];
	/* the kernel's counts are unsigned long; the sums wrap alike on both sides */
	check(sum == mp->pages);
}

static void check_totals(const struct np_numa_maps *m)
{
	for (unsigned int n = 0; n < m->nnodes; n++) {
		unsigned long long sum[NP_PAGES_NKINDS] = {0};

		for (size_t i = 0; i < m->nmaps; i++)
			sum[m->maps[i].kind] += m->maps[i].node_pages[n];
		for (int k = 0; k < NP_PAGES_NKINDS; k++)
			check(sum[k] == m->node[n].pages[k]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_numa_maps *sentinel = (struct np_numa_maps *)&sentinel, *m = sentinel;
	size_t len, lines = 0;
	char *text;
	int r;

	text = fuzz_text(data, size, 0);
	len = strlen(text);
	for (size_t i = 0; i < len; i++)
		lines += text[i] != '\n' && (i + 1 == len || text[i + 1] == '\n');
	r = np__numa_maps_parse(text, &m);
	if (r < 0) {
		check(r == -EINVAL || r == -ERANGE || r == -EFBIG || r == -ENOMEM);
		check(m == sentinel);
		return 0;
	}
	/* text now belongs to m and holds NULs where lines and policies ended */
	check(m->nmaps <= lines);
	check(m->nnodes <= 65536);
	check(m->node != NULL);
	for (size_t i = 0; i < m->nmaps; i++)
		check_map(m, &m->maps[i], text, len + 1);
	check_totals(m);
	np_numa_maps_free(m);
	return 0;
}
