/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-memory.c - the memory side of `numaplace topo` newer kernels add: HMAT access classes
 * per node as a table, memory tiers, demotion and NUMA balancing's mode (text and JSON).
 * Kept apart from topo-text.c and topo-json.c, which call one function each.
 *
 * Terminology:
 *  access class  0: performance from a node's best initiators of any kind; 1: from its best
 *                CPUs (the kernel's nodeN/accessK/initiators).
 *  tier          memory_tierN: nodes of one abstract distance, N; a lower N is faster.
 *  balancing     numa_balancing: 0 off, 1 normal, 2 memory tiering, 3 both.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "topo-print.h"

static const char *const balancing_names[] = { "0 (off)", "1 (normal)", "2 (memory tiering)",
					       "3 (normal and memory tiering)" };

static char *list_of(const struct np_cpuset *set)
{
	char *s = NULL;

	if (np_cpuset_format_list(set, 0, &s) < 0)
		return NULL;
	return s;
}

/* "-" for a number the firmware did not give */
static void num_unit(unsigned long long v, const char *unit)
{
	char b[32];

	if (v)
		snprintf(b, sizeof(b), "%llu %s", v, unit);
	else
		snprintf(b, sizeof(b), "-");
	printf("  %11s", b);
}

static void text_access(const struct np_topo *t)
{
	bool header = false;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		unsigned int node = np_topo_node(t, i)->id;

		for (unsigned int c = 0; c < 2; c++) {
			struct np_access a;
			char *ini;

			if (np_topo_node_access(t, node, c, &a) < 0)
				continue;
			if (!header)
				printf("memory performance (HMAT):\n%-4s  %-5s  %-10s  %11s  %11s  %11s  %11s\n",
				       "node", "class", "initiators", "read lat", "write lat",
				       "read bw", "write bw");
			header = true;
			ini = list_of(a.initiators);
			printf("%-4u  %-5s  %-10s", node, c == NP_ACCESS_CPU ? "1 cpu" : "0 any",
			       ini && *ini ? ini : "-");
			num_unit(a.read_latency, "ns");
			num_unit(a.write_latency, "ns");
			num_unit(a.read_bandwidth, "MB/s");
			num_unit(a.write_bandwidth, "MB/s");
			putchar('\n');
			free(ini);
		}
	}
}

void topo_print_memory_text(const struct np_topo *t)
{
	struct np_tiers *tiers;
	int d, b;

	text_access(t);
	if (np_tiers_load(np_topo_sysroot(t), &tiers) < 0)
		return;
	for (unsigned int i = 0; i < np_tiers_count(tiers); i++) {
		const struct np_cpuset *nodes;
		unsigned int id;
		char *s;

		np_tiers_tier(tiers, i, &id, &nodes);
		s = list_of(nodes);
		printf("%s %u: nodes %s", i ? ";" : "memory tiers:", id, s ? s : "?");
		free(s);
	}
	if (np_tiers_count(tiers))
		putchar('\n');
	d = np_tiers_demotion(tiers);
	b = np_tiers_balancing(tiers);
	if (d >= 0 || b >= 0)
		printf("demotion: %s; NUMA balancing: %s\n",
		       d < 0 ? "unknown" : d ? "enabled" : "disabled",
		       b < 0 ? "unknown" : balancing_names[b]);
	np_tiers_free(tiers);
}

void topo_json_memory(struct json *j, const struct np_topo *t)
{
	struct np_tiers *tiers;
	int d, b;

	if (np_tiers_load(np_topo_sysroot(t), &tiers) < 0)
		return;
	json_arr_begin(j, "memory_tiers");
	for (unsigned int i = 0; i < np_tiers_count(tiers); i++) {
		const struct np_cpuset *nodes;
		unsigned int id;

		np_tiers_tier(tiers, i, &id, &nodes);
		json_obj_begin(j, NULL);
		json_uint(j, "id", id);
		json_cpuset(j, "nodes", nodes);
		json_obj_end(j);
	}
	json_arr_end(j);
	d = np_tiers_demotion(tiers);
	b = np_tiers_balancing(tiers);
	if (d < 0)
		json_null(j, "demotion_enabled");
	else
		json_bool(j, "demotion_enabled", d);
	if (b < 0)
		json_null(j, "numa_balancing");
	else
		json_uint(j, "numa_balancing", (unsigned int)b);
	np_tiers_free(tiers);
}
