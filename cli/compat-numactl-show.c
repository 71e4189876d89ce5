/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat-numactl-show.c - numactl --show and --hardware, byte for byte as numactl 2.0.19 (and
 * 2.0.16) print them.
 *
 * Terminology: see compat-numactl.c (libnuma's "all cpus", "all nodes", "possible").
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat-numactl.h"
#include "shm.h"

/* ---- --show and --hardware ---- */

static void nc_printmask(const char *name, const struct np_cpuset *set)
{
	printf("%s: ", name);
	if (set)
		np_cpuset_foreach(i, set)
			printf("%d ", i);
	putchar('\n');
}

static int nc_show_physcpubind(void)
{
	struct np_cpuset *cpus;
	int r = np_affinity_get(0, &cpus);

	if (r < 0) {
		fprintf(stderr, "numactl: sched_get_affinity: %s\n", strerror(-r));
		return CLI_EXIT(1);
	}
	nc_printmask("physcpubind", cpus);
	np_cpuset_free(cpus);
	return 0;
}

/* numa_get_run_node_mask(): allowed nodes whose CPUs meet this thread's affinity */
static struct np_cpuset *nc_run_nodes(const struct nc *nc)
{
	struct np_cpuset *nodes = NULL, *aff = NULL;

	if (np_cpuset_new(nc->cpu_bits, &nodes) < 0)
		return NULL;
	if (np_affinity_get(0, &aff) < 0)
		return nodes;
	for (int i = 0; i <= nc->max_node; i++) {
		const struct np_node *n = np_topo_node_by_id(nc->topo, (unsigned int)i);

		if (n && np_cpuset_isset(nc->all_nodes, (unsigned int)i) &&
		    np_cpuset_intersects(n->cpus, aff))
			np_cpuset_set(nodes, (unsigned int)i);
	}
	np_cpuset_free(aff);
	return nodes;
}

int nc_show(struct nc *nc)
{
	struct np_policy *pol = NULL;
	const struct np_cpuset *membind, *pref;
	struct np_cpuset *run;
	int policy = 0, cur = 0, r;
	char buf[32];

	if (!nc_numa_available(nc)) {
		r = nc_show_physcpubind();
		if (r)
			return r;
		printf("No NUMA support available on this system.\n");
		return CLI_EXIT(1);
	}
	run = nc_run_nodes(nc);
	if (np_mpol_interleave_next(&cur) < 0)
		cur = 0;
	r = np_policy_get(&pol);
	if (r < 0)
		nc_perror("get_mempolicy", -r);
	else
		policy = np_policy_mode(pol) | (int)np_policy_flags(pol);
	pref = pol ? np_policy_nodes(pol) : NULL;
	membind = pol && np_policy_mode(pol) == NP_MPOL_BIND && !np_policy_flags(pol) ? pref :
										      nc->all_nodes;
	printf("policy: %s\n", shm_policy_name(policy, buf));
	printf("preferred node: ");
	switch (policy) {
	case NP_MPOL_PREFERRED:
		printf("%d\n", pref && !np_cpuset_empty(pref) ? np_cpuset_first(pref) : 0);
		break;
	case NP_MPOL_DEFAULT:
		printf("current\n");
		break;
	case NP_MPOL_INTERLEAVE:
		printf("%d (interleave next)\n", cur);
		break;
	case NP_MPOL_BIND:
		printf("%d\n", np_cpuset_first(membind));
		break;
	case NP_MPOL_PREFERRED_MANY:
		printf("%d (preferred-many)\n", cur);
		break;
	}
	if (policy == NP_MPOL_INTERLEAVE) {
		nc_printmask("interleavemask", pref);
		printf("interleavenode: %d\n", cur);
	}
	r = nc_show_physcpubind();
	if (r == 0) {
		nc_printmask("cpubind", run);
		nc_printmask("nodebind", run);
		nc_printmask("membind", membind);
		nc_printmask("preferred", pref);
	}
	np_cpuset_free(run);
	np_policy_free(pol);
	return r;
}

static void nc_fmt_mem(long long bytes, char buf[64])
{
	if (bytes < 0)
		snprintf(buf, 64, "<not available>");
	else
		snprintf(buf, 64, "%llu MB", (unsigned long long)bytes >> 20);
}

static void nc_print_node_cpus(const struct nc *nc, const struct np_node *n)
{
	unsigned int count = 0;
	bool first = true;

	if (!nc->cpu_compress) {
		np_cpuset_foreach(c, n->cpus)
			printf(" %d", c);
		putchar('\n');
		return;
	}
	for (int c = np_cpuset_first(n->cpus); c >= 0;) {
		int e = c;

		while (np_cpuset_isset(n->cpus, (unsigned int)e + 1))
			e++;
		printf("%s %d", first ? "" : ",", c);
		if (e > c)
			printf("-%d", e);
		count += (unsigned int)(e - c + 1);
		first = false;
		c = np_cpuset_next(n->cpus, e);
	}
	printf(" (%u)\n", count);
}

/* numa_distance(): 0 when unknown */
static int nc_distance(const struct nc *nc, int a, int b)
{
	int d = np_topo_distance(nc->topo, (unsigned int)a, (unsigned int)b);

	return d < 0 ? 0 : d;
}

static void nc_print_distances(const struct nc *nc)
{
	const struct np_cpuset *nodes = np_topo_nodes(nc->topo);
	int fst = np_cpuset_first(nodes), w = nc->old ? 3 : 4;

	if (nc_distance(nc, nc->max_node, fst < 0 ? 0 : fst) == 0) {
		printf("No distance information available.\n");
		return;
	}
	printf("node distances:\n");
	printf(nc->old ? "node " : "node  ");
	np_cpuset_foreach(i, nodes)
		printf("%*d ", w, i);
	printf("\n");
	np_cpuset_foreach(i, nodes) {
		printf("%*d: ", w, i);
		np_cpuset_foreach(k, nodes)
			printf("%*d ", w, nc_distance(nc, i, k));
		printf("\n");
	}
}

/* the node list of "available:" as numactl writes it: runs of consecutive nodes as a-b */
static void nc_print_available(const struct nc *nc)
{
	const struct np_cpuset *nodes = np_topo_nodes(nc->topo);
	int prev = -1;
	bool run = false;

	printf("available: %u nodes (", np_cpuset_weight(nodes));
	np_cpuset_foreach(i, nodes) {
		if (prev == -1) {
			printf("%d", i);
		} else if (i > prev + 1) {
			if (run)
				printf("%d", prev);
			run = false;
			printf(",%d", i);
		} else if (!run) {
			printf("-");
			run = true;
		}
		prev = i;
		if (i == nc->max_node && run)
			printf("%d", prev);
	}
	printf(")\n");
}

int nc_hardware(const struct nc *nc)
{
	char buf[64];

	if (!nc_numa_available(nc)) {
		printf("No NUMA available on this system\n");
		return CLI_EXIT(1);
	}
	nc_print_available(nc);
	for (unsigned int i = 0; i < np_topo_node_count(nc->topo); i++) {
		const struct np_node *n = np_topo_node(nc->topo, i);
		long long fr = n->mem_free;

		/* 2.0.19 reads a missing MemFree as 0 */
		if (fr < 0 && !nc->old && n->mem_total >= 0)
			fr = 0;
		printf("node %u cpus:", n->id);
		nc_print_node_cpus(nc, n);
		nc_fmt_mem(n->mem_total, buf);
		printf("node %u size: %s\n", n->id, buf);
		nc_fmt_mem(fr, buf);
		printf("node %u free: %s\n", n->id, buf);
	}
	nc_print_distances(nc);
	return 0;
}
