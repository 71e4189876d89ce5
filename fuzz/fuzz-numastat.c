/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-numastat.c - libFuzzer target for the counter parsers of lib/numastat.c: the rows of
 * nodeN/numastat, nodeN/vmstat, nodeN/meminfo and proc/vmstat (np__stat_rows()), and the NUMA
 * lines of proc/PID/sched (np__sched_parse()), called on the bytes directly, without a file.
 *
 * Terminology: "input" is the fuzzer's bytes; the first picks the row filter (every row, the
 * vmstat NUMA prefixes, or Hugepagesize alone), the rest, to the first NUL, is the text.  "row"
 * is a name and its value; "sentinel" what the outputs held before a call.
 *
 * Invariants: rows: a success gives at most one row per line, each name non-empty, inside the
 * text, free of blanks, ':' and newlines, passing the filter, and a value equal to the digits
 * that follow the name in the original text (checked again, overflow-checked, here); a failure
 * is -EINVAL or -ENOMEM with the outputs untouched.  sched: a success has the preferred node in
 * -1..65535, at most 65536 fault rows (none without balancing); a failure is -EINVAL, -ERANGE
 * or -ENOMEM with *ret untouched.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vm_rows[] = { "numa_", "pgmigrate_", "pgdemote_", "pgpromote_", NULL };
static const char *const huge[] = { "Hugepagesize", NULL };

static bool passes(const char *name, const char *const *prefixes)
{
	for (; prefixes && *prefixes; prefixes++)
		if (strncmp(name, *prefixes, strlen(*prefixes)) == 0)
			return true;
	return !prefixes;
}

/* The value after the name at @orig (the same offset as the cut copy's), parsed here. */
static unsigned long long value_after(const char *orig)
{
	unsigned long long v = 0;

	orig += strspn(orig, " :");
	for (; *orig >= '0' && *orig <= '9'; orig++) {
		check(!__builtin_mul_overflow(v, 10, &v));
		check(!__builtin_add_overflow(v, *orig - '0', &v));
	}
	return v;
}

static void check_rows(const char *orig, size_t len, const char *const *prefixes)
{
	struct np_stat_value sentinel, *v = &sentinel;
	size_t n = 7, lines = 1;
	char *text = strdup(orig);
	int r;

	check(text != NULL);
	r = np__stat_rows(text, prefixes, &v, &n);
	if (r < 0) {
		check(r == -EINVAL || r == -ENOMEM);
		check(v == &sentinel && n == 7);
		free(text);
		return;
	}
	for (size_t i = 0; i < len; i++)
		lines += orig[i] == '\n';
	check(n <= lines && (n == 0 || v != NULL));
	for (size_t i = 0; i < n; i++) {
		size_t off = (size_t)(v[i].name - text), nlen = strlen(v[i].name);

		check(v[i].name >= text && off < len && nlen > 0);
		check(strcspn(v[i].name, " :\n") == nlen);
		check(passes(v[i].name, prefixes));
		check(v[i].value == value_after(orig + off + nlen));
	}
	free(v);
	free(text);
}

static void check_sched(const char *orig)
{
	struct np_task_numastat *sentinel = (struct np_task_numastat *)&sentinel, *t = sentinel;
	char *text = strdup(orig);
	int r;

	check(text != NULL);
	r = np__sched_parse(text, &t);
	if (r < 0) {
		check(r == -EINVAL || r == -ERANGE || r == -ENOMEM);
		check(t == sentinel);
	} else {
		check(t->preferred_node >= -1 && t->preferred_node <= 65535);
		check(t->nnodes <= 65536 && (t->nnodes == 0) == (t->faults == NULL));
		check(t->nnodes == 0 || t->balancing);
		np_task_numastat_free(t);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *filters[] = { NULL, vm_rows, huge };
	char *text = fuzz_text(data, size, 1);

	if (!text)
		return 0;
	check_rows(text, strlen(text), filters[data[0] % 3]);
	check_sched(text);
	free(text);
	return 0;
}
