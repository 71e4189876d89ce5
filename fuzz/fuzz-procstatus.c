/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-procstatus.c - libFuzzer target for the status parsers (lib/affinity.c): finding a
 * field (np__status_field()) and reading Cpus_allowed_list and Mems_allowed_list as sets,
 * strictly (np_task_cpus_allowed()) and clamped (proc/self/status in the limits).
 *
 * Terminology: "input" is the fuzzer's bytes; the first two pick the set size (0..1024), the
 * rest, to the first NUL, is the status text.  "value" is a field's text after "key:" and its
 * blanks, up to the newline.
 *
 * Invariants: a value found starts a line's "key:" and holds no newline; a set parsed is of
 * the size asked with no bit beyond it, and a strict set is also what the clamped parse gives;
 * a failure is one of the documented codes and leaves *ret untouched; a missing key is -ENOENT
 * for both parses.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *text, const char *key)
{
	size_t klen = strlen(key), len = 0;
	const char *v = np__status_field(text, key, &len), *line;

	if (!v)
		return;
	check(v > text && v + len <= text + strlen(text));
	check(memchr(v, '\n', len) == NULL);
	check(v[len] == '\0' || v[len] == '\n');
	/* back over the blanks and "key:" to the start of a line */
	for (line = v; line > text && (line[-1] == ' ' || line[-1] == '\t') && line[-1] != ':';)
		line--;
	check(line - text >= (ptrdiff_t)klen + 1 && line[-1] == ':');
	line -= klen + 1;
	check(strncmp(line, key, klen) == 0);
	check(line == text || line[-1] == '\n');
}

static void check_set(const char *text, const char *key, unsigned int nbits)
{
	struct np_cpuset *sentinel = (struct np_cpuset *)&sentinel, *strict = sentinel;
	struct np_cpuset *clamped = sentinel;
	int rs, rc;

	rs = np__status_set(text, key, nbits, false, &strict);
	rc = np__status_set(text, key, nbits, true, &clamped);
	if (rs < 0) {
		check(rs == -ENOENT || rs == -EINVAL || rs == -ERANGE || rs == -EOVERFLOW);
		check(strict == sentinel);
	} else {
		check(np_cpuset_size(strict) == nbits);
		check(np_cpuset_last(strict) < (int)nbits);
	}
	if (rc < 0) {
		check(rc == -ENOENT || rc == -EINVAL);
		check(clamped == sentinel);
		/* a key missing for one is missing for both */
		check((rc == -ENOENT) == (rs == -ENOENT));
	} else {
		check(rs != -ENOENT);
		check(np_cpuset_size(clamped) == nbits);
		check(np_cpuset_last(clamped) < (int)nbits);
	}
	if (rs == 0) {
		check(rc == 0 && np_cpuset_equal(strict, clamped));
		np_cpuset_free(strict);
	}
	if (rc == 0)
		np_cpuset_free(clamped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nbits;
	char *text = fuzz_split(data, size, &nbits);

	if (!text)
		return 0;
	check_field(text, "Cpus_allowed_list");
	check_field(text, "Mems_allowed_list");
	check_set(text, "Cpus_allowed_list", nbits);
	check_set(text, "Mems_allowed_list", nbits);
	free(text);
	return 0;
}
