/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-common.h - what the fuzz targets share: check(), the fuzzer's bytes as a text (or as
 * a set size and a string), and the invariants every cpuset parser must keep.
 *
 * Terminology: "input" is the fuzzer's byte buffer; for the cpuset targets its first two
 * bytes pick the set size (0..1024), the rest, up to the first NUL, is the string parsed.
 * "sentinel" is the set's content before the call, which a failed parse must leave as it was.
 */
#ifndef NP_FUZZ_COMMON_H
#define NP_FUZZ_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numaplace.h"

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

/* The set size from the first two bytes, the string from the rest; NULL when too short. */
static inline char *fuzz_split(const uint8_t *data, size_t size, unsigned int *nbits)
{
	char *s;

	if (size < 2)
		return NULL;
	*nbits = ((unsigned int)data[0] | (unsigned int)data[1] << 8) % 1025;
	s = malloc(size - 1);
	check(s != NULL);
	memcpy(s, data + 2, size - 2);
	s[size - 2] = 0;
	return s;
}

/* The text after the first @skip bytes, NUL-terminated and malloc'd; NULL when too short. */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t skip)
{
	char *s;

	if (size < skip)
		return NULL;
	s = malloc(size - skip + 1);
	check(s != NULL);
	memcpy(s, data + skip, size - skip);
	s[size - skip] = 0;
	return s;
}

/* A new set of @nbits holding every third bit: the sentinel. */
static inline struct np_cpuset *fuzz_set(unsigned int nbits)
{
	struct np_cpuset *s;

	check(np_cpuset_new(nbits, &s) == 0);
	for (unsigned int i = 0; i < nbits; i += 3)
		check(np_cpuset_set(s, i) == 0);
	return s;
}

/* After a parse: success, or one of the documented errors with the set untouched. */
static inline void fuzz_check_result(int r, const struct np_cpuset *set,
				     const struct np_cpuset *before, const char *str, size_t pos)
{
	if (r == 0) {
		check(pos == (size_t)-1);
		check(np_cpuset_last(set) < (int)np_cpuset_size(set));
		return;
	}
	check(r == -EINVAL || r == -ERANGE || r == -EOVERFLOW);
	check(pos <= strlen(str));
	check(np_cpuset_equal(set, before));
}

/*
 * A success's round trip: @set formatted with @flags parses back into a fresh set of the same
 * size, and that set formats to the same string again.
 */
static inline void fuzz_round_trip(const struct np_cpuset *set, unsigned int flags,
				   int (*format)(const struct np_cpuset *, unsigned int, char **),
				   int (*parse)(struct np_cpuset *, const char *, size_t *))
{
	struct np_cpuset *t;
	char *s, *again;

	check(format(set, flags, &s) == 0);
	check(np_cpuset_new(np_cpuset_size(set), &t) == 0);
	check(parse(t, s, NULL) == 0);
	check(np_cpuset_equal(set, t));
	check(format(t, flags, &again) == 0);
	check(strcmp(s, again) == 0);
	free(again);
	free(s);
	np_cpuset_free(t);
}

#endif /* NP_FUZZ_COMMON_H */
