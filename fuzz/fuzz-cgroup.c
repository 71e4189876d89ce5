/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cgroup.c - libFuzzer target for the parsers of proc/self/cgroup and proc/self/cpuset
 * (np__cgroup_path(), np__cpuset_path(), lib/limits-cgroup.c), each given the same text.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole file up to its first NUL; "line" a
 * part of it up to a newline; a cgroup line is "ID:CONTROLLERS:PATH".
 *
 * Invariants: a cgroup path found is the rest of the first line "0::" (v2) or whose
 * controllers hold "cpuset" (v1) after its second ':', the same as a second, independent walk
 * (strtok_r over a copy) finds, and holds no newline; a cgroup file without such a line is
 * -ENOENT with *ret untouched; the cpuset path is the first line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the path the parser must find, by the way the reader found it before the split: NULL for none */
static char *reference(const char *text, bool v2)
{
	char *copy = strdup(text), *save = NULL, *path = NULL;

	check(copy != NULL);
	for (char *line = strtok_r(copy, "\n", &save); line && !path;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		if (v2 ? strcmp(line, "0:") == 0 : np__has_word(c1 + 1, "cpuset", ','))
			path = strdup(c2 + 1);
	}
	free(copy);
	return path;
}

static void check_cgroup(const char *text, bool v2)
{
	char *sentinel = (char *)&sentinel, *path = sentinel;
	char *want = reference(text, v2);
	int r;

	r = np__cgroup_path(text, v2, &path);
	if (r < 0) {
		check(r == -ENOENT);
		check(path == sentinel);
		check(want == NULL);
		return;
	}
	check(want != NULL && strcmp(path, want) == 0);
	check(strchr(path, '\n') == NULL);
	check(strstr(text, path) != NULL);
	free(want);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 0), *path = NULL;

	check_cgroup(text, true);
	check_cgroup(text, false);
	check(np__cpuset_path(text, &path) == 0);
	check(strncmp(path, text, strlen(path)) == 0);
	check(text[strlen(path)] == '\0' || text[strlen(path)] == '\n');
	free(path);
	free(text);
	return 0;
}
