/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-policy.c - libFuzzer target for the memory-policy text ("bind+static:0-1") and the
 * host-policy text ("numa-node=0,cpu-cores=0-3"): any input parses or fails cleanly, and a
 * parsed policy formats to text that parses back to the same text.
 *
 * Terminology: "input" is the fuzzer's bytes, up to the first NUL; its first byte picks
 * which parser (even: policy, odd: host policy), the rest is the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numaplace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void policy(const char *str, const struct np_cpuset *allowed)
{
	struct np_policy *p = NULL, *q = NULL;
	char *a = NULL, *b = NULL;

	if (np_policy_parse(str, allowed, &p) < 0)
		return;
	if (np_policy_format(p, &a) < 0 || np_policy_parse(a, allowed, &q) < 0 ||
	    np_policy_format(q, &b) < 0 || strcmp(a, b) != 0)
		abort();
	free(a);
	free(b);
	np_policy_free(p);
	np_policy_free(q);
}

static void hostpolicy(const char *str)
{
	struct np_hostpolicy hp = { .numa_node = -1 };
	size_t pos = SIZE_MAX;

	if (np_hostpolicy_parse(str, &hp, &pos) < 0) {
		if (pos > strlen(str))
			abort();
		return;
	}
	np_hostpolicy_release(&hp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct np_cpuset *allowed;
	char *str;

	if (size < 1)
		return 0;
	if (!allowed && (np_cpuset_new(64, &allowed) < 0 || np_cpuset_parse_list(allowed, "0-3,8", NULL) < 0))
		abort();
	str = malloc(size);
	if (!str)
		return 0;
	memcpy(str, data + 1, size - 1);
	str[size - 1] = 0;
	if (data[0] & 1)
		hostpolicy(str);
	else
		policy(str, data[0] & 2 ? NULL : allowed);
	free(str);
	return 0;
}
