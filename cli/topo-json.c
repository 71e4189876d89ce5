/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-json.c - `numaplace topo --json`: the whole model (CPUs, caches, nodes with memory,
 * distances and HMAT, devices, this process's limits) as one JSON object.
 *
 * Terminology:
 *  id        a kernel number; null where the kernel does not say (-1 in the model).
 *  per core  a cache kind whose every instance is one core's: listed once with "per_core"
 *            instead of one entry per core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "topo-print.h"

static void json_id(struct json *j, const char *key, int v)
{
	if (v < 0)
		json_null(j, key);
	else
		json_int(j, key, v);
}

static const char *kind_name(enum np_cpu_kind k)
{
	return k == NP_CPU_KIND_PERFORMANCE ? "performance"
	       : k == NP_CPU_KIND_EFFICIENCY ? "efficiency"
					     : NULL;
}

static const char *cache_type_name(enum np_cache_type t)
{
	return t == NP_CACHE_DATA ? "data" : t == NP_CACHE_INSTRUCTION ? "instruction" : "unified";
}

/* a CPU; dies, clusters, books and drawers only where the machine has them */
static void json_cpu(struct json *j, const struct np_topo *t, const struct np_cpu *c)
{
	json_obj_begin(j, NULL);
	json_int(j, "id", c->id);
	json_bool(j, "online", c->online);
	if (!c->present)
		json_bool(j, "present", false);
	json_id(j, "package", c->package);
	if (np_topo_obj_count(t, NP_OBJ_DIE))
		json_id(j, "die", c->die);
	if (np_topo_obj_count(t, NP_OBJ_CLUSTER))
		json_id(j, "cluster", c->cluster);
	json_id(j, "core", c->core_index);
	if (c->core >= 0)
		json_int(j, "core_id", c->core);
	if (c->book >= 0 || c->drawer >= 0) {
		json_id(j, "book", c->book);
		json_id(j, "drawer", c->drawer);
	}
	json_id(j, "node", c->node);
	if (c->kind != NP_CPU_KIND_UNKNOWN)
		json_str(j, "kind", kind_name(c->kind));
	if (c->capacity)
		json_uint(j, "capacity", c->capacity);
	if (c->max_khz) {
		json_uint(j, "min_khz", c->min_khz);
		if (c->base_khz)
			json_uint(j, "base_khz", c->base_khz);
		json_uint(j, "max_khz", c->max_khz);
	}
	json_obj_end(j);
}

static bool same_cache_kind(const struct np_cache *a, const struct np_cache *b)
{
	return a->level == b->level && a->type == b->type && a->size == b->size &&
	       a->line_size == b->line_size && a->ways == b->ways;
}

/*
 * Whether caches [@from, @to) are each exactly the online CPUs of one core, one per core;
 * then @cpus receives the CPUs they cover.
 */
static bool per_core(const struct np_topo *t, unsigned int from, unsigned int to,
		     struct np_cpuset *cpus)
{
	unsigned int total = 0;

	np_cpuset_zero(cpus);
	for (unsigned int i = from; i < to; i++) {
		const struct np_cpuset *c = np_topo_cache(t, i)->cpus;
		int first = np_cpuset_first(c);
		const struct np_obj *core =
			first < 0 ? NULL : np_topo_obj_of_cpu(t, NP_OBJ_CORE, (unsigned int)first);

		if (!core || !np_cpuset_equal(core->cpuset, c) || np_cpuset_or(cpus, cpus, c) < 0)
			return false;
		total += np_cpuset_weight(c);
	}
	return total == np_cpuset_weight(cpus);
}

/*
 * Caches, one object per kind (level, type, size, line, ways) with the CPUs of each instance,
 * or "per": "core" and the CPUs covered when there is one for each of those cores: a 128-core
 * machine has 400 caches and five kinds.
 */
static void json_caches(struct json *j, const struct np_topo *t)
{
	unsigned int n = np_topo_cache_count(t), end;
	struct np_cpuset *cpus = NULL;

	if (np_cpuset_new(np_topo_cpu_size(t), &cpus) < 0)
		cpus = NULL; /* then every kind lists its instances */
	json_arr_begin(j, "caches");
	for (unsigned int i = 0; i < n;) {
		const struct np_cache *c = np_topo_cache(t, i);

		json_obj_begin(j, NULL);
		json_uint(j, "level", c->level);
		json_str(j, "type", cache_type_name(c->type));
		json_uint(j, "size", c->size);
		json_uint(j, "line_size", c->line_size);
		json_uint(j, "ways", c->ways);
		end = i;
		while (end < n && same_cache_kind(c, np_topo_cache(t, end)))
			end++;
		json_uint(j, "count", end - i);
		/* one instance per core (L1, most L2): said once rather than listed per core */
		if (cpus && per_core(t, i, end, cpus)) {
			json_str(j, "per", "core");
			json_cpuset(j, "cpus", cpus);
			i = end;
		} else {
			json_arr_begin(j, "instances");
			for (; i < end; i++)
				json_cpuset(j, NULL, np_topo_cache(t, i)->cpus);
			json_arr_end(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	np_cpuset_free(cpus);
}

/* HMAT: the access classes the node has, and its memory-side caches */
static void json_hmat(struct json *j, const struct np_topo *t, unsigned int node)
{
	unsigned int n = np_topo_node_memcache_count(t, node);
	struct np_access a;

	json_arr_begin(j, "access");
	for (unsigned int c = NP_ACCESS_ANY; c <= NP_ACCESS_CPU; c++) {
		if (np_topo_node_access(t, node, c, &a) < 0)
			continue;
		json_obj_begin(j, NULL);
		json_uint(j, "class", c);
		json_cpuset(j, "initiators", a.initiators);
		json_uint(j, "read_latency_ns", a.read_latency);
		json_uint(j, "write_latency_ns", a.write_latency);
		json_uint(j, "read_bandwidth_mbs", a.read_bandwidth);
		json_uint(j, "write_bandwidth_mbs", a.write_bandwidth);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "memory_side_caches");
	for (unsigned int i = 0; i < n; i++) {
		struct np_memcache m;

		if (np_topo_node_memcache(t, node, i, &m) < 0)
			continue;
		json_obj_begin(j, NULL);
		json_uint(j, "level", m.level);
		json_uint(j, "size", m.size);
		json_uint(j, "line_size", m.line_size);
		json_str(j, "indexing", np_memcache_indexing_name(m.indexing));
		json_str(j, "write_policy", np_memcache_write_policy_name(m.write_policy));
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_node(struct json *j, const struct np_topo *t, const struct np_node *n)
{
	json_obj_begin(j, NULL);
	json_int(j, "id", n->id);
	json_bool(j, "online", n->online);
	if (n->implicit)
		json_bool(j, "implicit", true);
	json_cpuset(j, "cpus", n->cpus);
	if (n->mem_total >= 0)
		json_int(j, "mem_total", n->mem_total);
	else
		json_null(j, "mem_total");
	if (n->mem_free >= 0)
		json_int(j, "mem_free", n->mem_free);
	else
		json_null(j, "mem_free");
	json_arr_begin(j, "hugepages");
	for (unsigned int i = 0; i < n->nhugepages; i++) {
		json_obj_begin(j, NULL);
		json_uint(j, "size", n->hugepages[i].page_size);
		json_uint(j, "total", n->hugepages[i].total);
		json_uint(j, "free", n->hugepages[i].free);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_hmat(j, t, n->id);
	json_arr_begin(j, "distances");
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int d = np_topo_distance(t, n->id, np_topo_node(t, i)->id);

		if (d < 0)
			json_null(j, NULL);
		else
			json_int(j, NULL, d);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_devices(struct json *j, const struct np_topo *t)
{
	json_arr_begin(j, "devices");
	for (unsigned int i = 0; i < np_topo_device_count(t); i++) {
		const struct np_device *d = np_topo_device(t, i);

		if (!d)
			continue;
		json_obj_begin(j, NULL);
		json_str(j, "name", np_device_name(d));
		json_str(j, "class", np_device_class(d));
		json_str(j, "pci", np_device_pci_address(d));
		json_id(j, "node", np_device_node(d));
		if (np_device_memory_node(d) >= 0)
			json_id(j, "memory_node", np_device_memory_node(d));
		json_cpuset(j, "local_cpus", np_device_local_cpus(d));
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* This process's limits; the sets the extras module does not know yet are left out. */
static void json_limits(struct json *j, const struct np_topo *t)
{
	const struct np_cpuset *cpus = np_topo_allowed_cpus(t), *nodes = np_topo_allowed_nodes(t);

	if (cpus || nodes) {
		json_obj_begin(j, "allowed");
		json_cpuset(j, "cpus", cpus);
		json_cpuset(j, "nodes", nodes);
		json_obj_end(j);
	}
	if (np_topo_cgroup_cpus(t) || np_topo_cgroup_nodes(t)) {
		json_obj_begin(j, "cgroup");
		json_cpuset(j, "cpus", np_topo_cgroup_cpus(t));
		json_cpuset(j, "nodes", np_topo_cgroup_nodes(t));
		json_obj_end(j);
	}
	if (np_topo_isolated_cpus(t))
		json_cpuset(j, "isolated", np_topo_isolated_cpus(t));
	if (np_topo_nohz_full_cpus(t))
		json_cpuset(j, "nohz_full", np_topo_nohz_full_cpus(t));
}

/* the files the load could not use (numaplace/diag.h): all counted, the first ones named */
static void json_problems(struct json *j, const struct np_topo *t)
{
	struct np_problem p;

	json_uint(j, "problem_count", np_topo_problem_count(t));
	json_arr_begin(j, "problems");
	for (unsigned int i = 0; np_topo_problem(t, i, &p) == 0; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "path", p.path);
		json_str(j, "kind", cli_problem_kind(p.kind));
		json_str(j, "reason", p.reason);
		json_int(j, "errno", p.error);
		if (p.limit)
			json_uint(j, "limit", p.limit);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void topo_print_json(const struct np_topo *t)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "sysroot", np_topo_sysroot(t));
	json_cpuset(&j, "possible", np_topo_possible_cpus(t));
	json_cpuset(&j, "present", np_topo_present_cpus(t));
	json_cpuset(&j, "online", np_topo_online_cpus(t));
	json_arr_begin(&j, "cpus");
	np_cpuset_foreach(c, np_topo_possible_cpus(t)) {
		const struct np_cpu *cpu = np_topo_cpu(t, (unsigned int)c);

		/* possible-only CPUs (cpu/possible 0-8191 on some kernels) carry nothing */
		if (cpu->present || cpu->online)
			json_cpu(&j, t, cpu);
	}
	json_arr_end(&j);
	json_caches(&j, t);
	json_arr_begin(&j, "nodes");
	for (unsigned int i = 0; i < np_topo_node_count(t); i++)
		json_node(&j, t, np_topo_node(t, i));
	json_arr_end(&j);
	json_limits(&j, t);
	json_devices(&j, t);
	topo_json_memory(&j, t);
	json_problems(&j, t);
	json_obj_end(&j);
	json_finish(&j);
}
