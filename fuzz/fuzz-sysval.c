/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-sysval.c - libFuzzer target for the number reader's parser (np__parse_ll, behind every
 * np__sysfs_read_ll) and the clamped sets (np__parse_clamped: a cpulist or mask cut to a set
 * size, for local_cpulist, Cpus_allowed_list and the cgroup's sets).
 *
 * Terminology: see fuzz-sysparse.h.  The first byte picks the parser (0 number, 1 clamped
 * list, 2 clamped mask); for a clamped set the next two bytes give its size, 0..8192.
 *
 * Invariants: a number parses to 0, -EINVAL or -ERANGE, its output untouched on failure; a
 * success formats back ("%lld") to a text that parses to the same number; a canonical decimal
 * of up to 18 digits always parses, to itself, and one of 20 or more never does.  A clamped
 * set is 0, -EINVAL or -ENOMEM, the caller's pointer untouched on failure; a success has the
 * size asked and no bit at or beyond it, equals the plain parse when that succeeds, fails when
 * the plain parse fails for any reason but -ERANGE, and formats to a list that parses back.
 */
#include "fuzz-sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_ll(const char *text)
{
	long long v = SENTINEL, again = SENTINEL;
	char buf[32] = "";
	int r = np__parse_ll(text, &v);

	check(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r < 0) {
		check(v == SENTINEL);
	} else {
		snprintf(buf, sizeof(buf), "%lld", v);
		check(np__parse_ll(buf, &again) == 0 && again == v);
	}
	if (fuzz_canonical(text) && strlen(text) <= 18)
		check(r == 0 && strcmp(buf, text) == 0);
	if (fuzz_canonical(text) && strlen(text) >= 20)
		check(r == -ERANGE);
}

static void fuzz_clamped(const char *text, unsigned int nbits, bool mask)
{
	struct np_cpuset *sentinel = (struct np_cpuset *)&nbits, *set = sentinel, *plain, *back;
	int r = np__parse_clamped(text, nbits, mask, &set);
	int rp;
	char *list;

	check(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r < 0) {
		check(set == sentinel);
		return;
	}
	check(np_cpuset_size(set) == nbits);
	check(np_cpuset_last(set) < (int)nbits);
	check(np_cpuset_new(nbits, &plain) == 0);
	rp = mask ? np_cpuset_parse_mask(plain, text, NULL) : np_cpuset_parse_list(plain, text, NULL);
	check(rp == 0 || rp == -ERANGE);
	if (rp == 0)
		check(np_cpuset_equal(set, plain));
	check(np_cpuset_format_list(set, 0, &list) == 0);
	check(np_cpuset_new(nbits, &back) == 0);
	check(np_cpuset_parse_list(back, list, NULL) == 0 && np_cpuset_equal(back, set));
	free(list);
	np_cpuset_free(back);
	np_cpuset_free(plain);
	np_cpuset_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int kind, nbits;
	char *text;

	if (size < 1)
		return 0;
	kind = data[0] % 3;
	text = fuzz_text(data, size, kind ? 3 : 1);
	if (!text)
		return 0;
	if (kind == 0) {
		fuzz_ll(text);
	} else {
		nbits = ((unsigned int)data[1] | (unsigned int)data[2] << 8) % 8193;
		fuzz_clamped(text, nbits, kind == 2);
	}
	free(text);
	return 0;
}
