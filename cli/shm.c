/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * shm.c - printing a shared-memory region's pages as numactl --dump and --dump-nodes do (see
 * shm.h): the output format, shared by the numactl personality and `numaplace run`; failures
 * are the caller's to word.
 *
 * Terminology:
 *  range    a run of pages under one policy or on one node (np_region_policies(),
 *           np_region_nodes()).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "shm.h"

unsigned long long shm_memsize(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 0);

	/* numactl multiplies through: g is 1024 m, m is 1024 k */
	switch (toupper((unsigned char)*end)) {
	case 'G':
		n *= 1024;
		/* fall through */
	case 'M':
		n *= 1024;
		/* fall through */
	case 'K':
		n *= 1024;
		break;
	}
	return n;
}

const char *shm_policy_name(int policy, char buf[32])
{
	static const char *const names[] = { "default", "preferred", "bind", "interleave",
					      "local", "preferred-many" };

	if (policy >= 0 && policy < (int)(sizeof(names) / sizeof(names[0])))
		return names[policy];
	snprintf(buf, 32, "[%d]", policy);
	return buf;
}

static int print_policy(unsigned long long start, unsigned long long end,
			const struct np_policy *p, void *arg)
{
	int pol = np_policy_mode(p) | (int)np_policy_flags(p);
	char buf[32];

	(void)arg;
	if (pol == NP_MPOL_DEFAULT)
		return 0;
	printf("%016llx-%016llx: %s : ", start, end, shm_policy_name(pol, buf));
	np_cpuset_foreach(n, np_policy_nodes(p))
		printf("%d ", n);
	putchar('\n');
	return 0;
}

static int print_node(unsigned long long start, unsigned long long end, int node, void *arg)
{
	(void)arg;
	printf("%016llx-%016llx: %d\n", start, end, node);
	return 0;
}

int shm_dump(const struct np_region *r)
{
	if (np_region_length(r) == 0) {
		printf("nothing to dump\n");
		return 0;
	}
	return np_region_policies(r, print_policy, NULL);
}

int shm_dump_nodes(const struct np_region *r)
{
	if (np_region_length(r) == 0) {
		printf("nothing to dump\n");
		return 0;
	}
	return np_region_nodes(r, print_node, NULL);
}
