/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-tiers.c - libFuzzer target for the text of memory tiers and weighted interleave:
 * demotion_enabled (np__demotion_parse(), lib/tiers.c) and the weights' undo file
 * (np__weights_undo_parse(), lib/weights.c), called on the bytes directly, without a file.
 * A tier's nodelist goes through np__sysfs_read_list() (the cpulist parser of fuzz-list) and
 * a weight file through np__sysfs_read_ll() (lib/sysfs.c's numbers).
 *
 * Terminology: "input" is the fuzzer's bytes, the text up to its first NUL; "undo file" lines
 * "N W", a node below NP_WEIGHT_NODES and its weight 1..NP_WEIGHT_MAX; "sentinel" the weights
 * before a call.
 *
 * Invariants: demotion is 1 exactly for "true" and "1", 0 for "false" and "0", else -ENOENT;
 * an undo file parsed gives weights 0..NP_WEIGHT_MAX, no more non-zero ones than lines, and
 * written back as "N W" lines parses to the same weights; a failure is -EINVAL with the
 * sentinel untouched.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_demotion(const char *text)
{
	int r = np__demotion_parse(text);

	if (!strcmp(text, "true") || !strcmp(text, "1"))
		check(r == 1);
	else if (!strcmp(text, "false") || !strcmp(text, "0"))
		check(r == 0);
	else
		check(r == -ENOENT);
}

/* @w written as the undo file is, parsed again. */
static void round_trip(const unsigned int *w)
{
	static unsigned int again[NP_WEIGHT_NODES];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	check(f != NULL);
	for (unsigned int n = 0; n < NP_WEIGHT_NODES; n++)
		if (w[n])
			fprintf(f, "%u %u\n", n, w[n]);
	check(fclose(f) == 0);
	check(np__weights_undo_parse(text, again) == 0);
	check(memcmp(w, again, sizeof(again)) == 0);
	free(text);
}

static void check_undo(const char *text)
{
	static unsigned int w[NP_WEIGHT_NODES];
	size_t lines = 1, set = 0;
	int r;

	memset(w, 0xa5, sizeof(w));
	r = np__weights_undo_parse(text, w);
	if (r < 0) {
		check(r == -EINVAL);
		for (unsigned int n = 0; n < NP_WEIGHT_NODES; n++)
			check(w[n] == 0xa5a5a5a5u);
		return;
	}
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	for (unsigned int n = 0; n < NP_WEIGHT_NODES; n++) {
		check(w[n] <= NP_WEIGHT_MAX);
		set += w[n] != 0;
	}
	check(set <= lines);
	round_trip(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 0);

	check_demotion(text);
	check_undo(text);
	free(text);
	return 0;
}
