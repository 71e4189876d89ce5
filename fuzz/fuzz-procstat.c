/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-procstat.c - libFuzzer target for the task stat parsers (lib/affinity.c):
 * np__stat_last_cpu() (field 39, "processor"), np__stat_field() (field 9, flags, here) and
 * np__stat_comm(), on a comm that may hold blanks, '(' and ')'.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole stat text up to its first NUL;
 * "token" a run of non-blanks after the last ')'; field N is token N - 3.
 *
 * Invariants: a field found is exactly its token read as a decimal of digits only, up to a
 * newline (found again here, by a second walk); the CPU is in 0..INT32_MAX; comm lies between
 * the first '(' and the last ')'; a failure is -EINVAL and leaves the outputs untouched.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* token @n after the last ')', by splitting a copy: NULL when the line is shorter */
static char *token(char *text, int n)
{
	char *p = strrchr(text, ')'), *save = NULL, *t;

	if (!p)
		return NULL;
	t = strtok_r(p + 1, " ", &save);
	for (int i = 0; t && i < n; i++)
		t = strtok_r(NULL, " ", &save);
	return t;
}

/* what the parser must have found for the token at @tok: a number of digits, then a newline */
static void same_number(const char *tok, unsigned long long got)
{
	char *end;

	check(tok != NULL && *tok >= '0' && *tok <= '9');
	errno = 0;
	check(strtoull(tok, &end, 10) == got && errno == 0);
	check(*end == '\0' || *end == '\n');
}

static void check_field9(const char *text)
{
	unsigned long long flags = 7;
	char *copy = strdup(text), *tok;
	int r;

	check(copy != NULL);
	r = np__stat_field(text, 9, &flags);
	tok = token(copy, 6);
	if (r < 0)
		check(r == -EINVAL && flags == 7);
	else
		same_number(tok, flags);
	free(copy);
}

static void check_comm(const char *text)
{
	const char *start = NULL;
	size_t len = 7;
	int r = np__stat_comm(text, &start, &len);

	if (r < 0) {
		check(r == -EINVAL && start == NULL && len == 7);
		return;
	}
	check(start == strchr(text, '(') + 1);
	check(start + len == strrchr(text, ')'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 0), *copy;
	int cpu = -7, r;

	copy = strdup(text);
	check(copy != NULL);
	r = np__stat_last_cpu(text, &cpu);
	if (r < 0) {
		check(r == -EINVAL);
		check(cpu == -7);
	} else {
		check(cpu >= 0 && cpu <= INT32_MAX);
		same_number(token(copy, 36), (unsigned long long)cpu);
	}
	check_field9(text);
	check_comm(text);
	free(copy);
	free(text);
	return 0;
}
