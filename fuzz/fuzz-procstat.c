/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-procstat.c - libFuzzer target for the task stat parser (np__stat_last_cpu(),
 * lib/affinity.c): field 39, "processor", after a comm that may hold blanks and ')'.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole stat text up to its first NUL;
 * "token" a run of non-blanks after the last ')'; field 39 is token 36.
 *
 * Invariants: a success gives a CPU in 0..INT32_MAX that is exactly token 36 read as a
 * decimal (found again here, by a second walk); a failure is -EINVAL and leaves *ret untouched.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* token 36 after the last ')', by splitting a copy: NULL when the line is shorter */
static char *token36(char *text)
{
	char *p = strrchr(text, ')'), *save = NULL, *t;

	if (!p)
		return NULL;
	t = strtok_r(p + 1, " ", &save);
	for (int i = 0; t && i < 36; i++)
		t = strtok_r(NULL, " ", &save);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *copy, *tok;
	int cpu = -7, r;

	check(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	copy = strdup(text);
	check(copy != NULL);
	r = np__stat_last_cpu(text, &cpu);
	tok = token36(copy);
	if (r < 0) {
		check(r == -EINVAL);
		check(cpu == -7);
	} else {
		char *end;
		long want;

		check(cpu >= 0 && cpu <= INT32_MAX);
		check(tok != NULL);
		want = strtol(tok, &end, 10);
		check(*end == '\0' && want == cpu);
	}
	free(copy);
	free(text);
	return 0;
}
