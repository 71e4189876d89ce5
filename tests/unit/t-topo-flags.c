/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-topo-flags.c - np_topo_load() flags: each NP_TOPO_NO_* part skipped on captured machines
 * gives the same CPUs, nodes, distances and groups as a full load, and the skipped part reads
 * as empty ("unknown"/none), as on a sysfs without its files.  Huge pages and memory sizes
 * (NP_TOPO_NO_MEMINFO) are compared only where not skipped; memory nodes always.
 *
 * Terminology: a "full" load has flags 0; a "lean" one has one or more NP_TOPO_NO_* flags.
 * Captures are ../shared/fixtures/topology/NAME (extracted to a scratch folder) and the
 * hand-made sysroots of tests/fixtures/sysroots-extras.
 */
#include <string.h>

#include "extras.h"

#define ALL_FLAGS                                                                                  \
	(NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_HMAT | NP_TOPO_NO_LIMITS |            \
	 NP_TOPO_NO_MEMINFO | NP_TOPO_NO_CPU_DETAILS)

static bool same_set(const struct np_cpuset *a, const struct np_cpuset *b)
{
	if (!a || !b)
		return a == b;
	return np_cpuset_size(a) == np_cpuset_size(b) && np_cpuset_equal(a, b);
}

/* what NP_TOPO_NO_CPU_DETAILS keeps of a CPU, and that it reports the rest as unknown */
static bool same_cpu_core(const struct np_cpu *x, const struct np_cpu *y)
{
	return x->id == y->id && x->online == y->online && x->present == y->present &&
	       x->package == y->package && x->core == y->core && x->node == y->node &&
	       x->core_index == y->core_index && y->die == -1 && y->cluster == -1 &&
	       y->book == -1 && y->drawer == -1 && y->capacity == 0 && y->max_khz == 0 &&
	       y->base_khz == 0 && y->min_khz == 0 && y->kind == NP_CPU_KIND_UNKNOWN;
}

/* @details: compare the CPU details too (not under NP_TOPO_NO_CPU_DETAILS) */
static bool same_cpus(const struct np_topo *a, const struct np_topo *b, bool details)
{
	if (np_topo_cpu_size(a) != np_topo_cpu_size(b) ||
	    !same_set(np_topo_possible_cpus(a), np_topo_possible_cpus(b)) ||
	    !same_set(np_topo_present_cpus(a), np_topo_present_cpus(b)) ||
	    !same_set(np_topo_online_cpus(a), np_topo_online_cpus(b)))
		return false;
	for (unsigned int c = 0; c < np_topo_cpu_size(a); c++) {
		const struct np_cpu *x = np_topo_cpu(a, c), *y = np_topo_cpu(b, c);

		if (!x || !y ? x != y
			     : details ? memcmp(x, y, sizeof(*x)) != 0 : !same_cpu_core(x, y))
			return false;
	}
	return true;
}

/* @mem: compare memory sizes and huge pages too (not under NP_TOPO_NO_MEMINFO) */
static bool same_nodes(const struct np_topo *a, const struct np_topo *b, bool mem)
{
	unsigned int n = np_topo_node_count(a);

	if (n != np_topo_node_count(b) || np_topo_node_size(a) != np_topo_node_size(b) ||
	    !same_set(np_topo_nodes(a), np_topo_nodes(b)) ||
	    !same_set(np_topo_online_nodes(a), np_topo_online_nodes(b)) ||
	    !same_set(np_topo_memory_nodes(a), np_topo_memory_nodes(b)) ||
	    !same_set(np_topo_cpu_nodes(a), np_topo_cpu_nodes(b)))
		return false;
	for (unsigned int i = 0; i < n; i++) {
		const struct np_node *x = np_topo_node(a, i), *y = np_topo_node(b, i);

		if (x->id != y->id || x->online != y->online || x->implicit != y->implicit ||
		    !same_set(x->cpus, y->cpus) ||
		    (mem && (x->mem_total != y->mem_total || x->mem_free != y->mem_free ||
			     x->nhugepages != y->nhugepages)))
			return false;
		for (unsigned int j = 0; j < n; j++)
			if (np_topo_distance(a, x->id, np_topo_node(a, j)->id) !=
			    np_topo_distance(b, x->id, np_topo_node(b, j)->id))
				return false;
	}
	return true;
}

/*
 * The groups of the CPU levels (core .. machine); the cache levels are compared elsewhere.
 * Without @details, dies, clusters, books and drawers are not compared but must be absent.
 */
static bool same_groups(const struct np_topo *a, const struct np_topo *b, bool details)
{
	for (int l = NP_LEVEL_CPU; l <= NP_LEVEL_MACHINE; l++) {
		unsigned int n = np_topo_group_count(a, (enum np_level)l);

		if (!details && (l == NP_LEVEL_CLUSTER || l == NP_LEVEL_DIE || l == NP_LEVEL_BOOK ||
				 l == NP_LEVEL_DRAWER)) {
			if (np_topo_group_count(b, (enum np_level)l) != 0)
				return false;
			continue;
		}

		if (n != np_topo_group_count(b, (enum np_level)l))
			return false;
		for (unsigned int i = 0; i < n; i++)
			if (!same_set(np_topo_group(a, (enum np_level)l, i),
				      np_topo_group(b, (enum np_level)l, i)))
				return false;
	}
	return true;
}

static bool no_caches(const struct np_topo *t)
{
	if (np_topo_cache_count(t) != 0 || np_topo_cache(t, 0))
		return false;
	for (int l = NP_LEVEL_L1; l <= NP_LEVEL_LLC; l++)
		if (np_topo_group_count(t, (enum np_level)l) != 0)
			return false;
	for (unsigned int c = 0; c < np_topo_cpu_size(t); c++)
		if (np_topo_cpu_cache_count(t, c) || np_topo_cpu_cache(t, c, 0) ||
		    np_topo_cpu_llc(t, c) || np_topo_cpu_group(t, c, NP_LEVEL_L3) != -1)
			return false;
	return true;
}

static bool no_hmat(const struct np_topo *t)
{
	struct np_access acc;
	struct np_memcache mc;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		unsigned int id = np_topo_node(t, i)->id;

		if (np_topo_node_access(t, id, 0, &acc) != -ENOENT ||
		    np_topo_node_access(t, id, 1, &acc) != -ENOENT ||
		    np_topo_node_memcache_count(t, id) != 0 ||
		    np_topo_node_memcache(t, id, 0, &mc) != -ENOENT)
			return false;
	}
	return true;
}

static bool has_hmat(const struct np_topo *t)
{
	struct np_access acc;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		unsigned int id = np_topo_node(t, i)->id;

		if (np_topo_node_access(t, id, 0, &acc) == 0 || np_topo_node_memcache_count(t, id))
			return true;
	}
	return false;
}

/* no sizes and no huge pages; with has_memory, not even the meminfo the fallback needs */
static bool no_meminfo(const struct np_topo *t, bool has_memory)
{
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (n->nhugepages || (has_memory && (n->mem_total != -1 || n->mem_free != -1)))
			return false;
	}
	return true;
}

static bool no_limits(const struct np_topo *t)
{
	return same_set(np_topo_allowed_cpus(t), np_topo_online_cpus(t)) &&
	       same_set(np_topo_allowed_nodes(t), np_topo_online_nodes(t)) &&
	       !np_topo_affinity_cpus(t) && !np_topo_mems_allowed(t) && !np_topo_cgroup_cpus(t) &&
	       !np_topo_cgroup_nodes(t) && !np_topo_isolated_cpus(t) &&
	       !np_topo_nohz_full_cpus(t) && np_topo_cgroup_version(t) == 0 &&
	       !np_topo_cgroup_path(t);
}

/* What a full load has of each part, so that "empty when skipped" means something. */
struct parts {
	bool caches, devices, hmat, limits;
};

/* 10 tests: one lean load per flag and one with all, each against the full load. */
static void check_root(const char *name, const char *root, struct parts want)
{
	static const unsigned int flags[] = { NP_TOPO_NO_CACHES, NP_TOPO_NO_DEVICES, NP_TOPO_NO_HMAT,
					      NP_TOPO_NO_LIMITS, NP_TOPO_NO_MEMINFO,
					      NP_TOPO_NO_CPU_DETAILS, ALL_FLAGS };
	struct np_topo *full = NULL;
	char path[4200];
	bool has_memory;

	snprintf(path, sizeof(path), "%s/sys/devices/system/node/has_memory", root);
	has_memory = access(path, R_OK) == 0;

	if (!ok(np_topo_load(root, 0, &full) == 0, "%s: full load", name)) {
		skip(9, "did not load");
		return;
	}
	ok((!want.caches || np_topo_cache_count(full)) &&
	       (!want.devices || np_topo_device_count(full)) && (!want.hmat || has_hmat(full)) &&
	       (!want.limits || np_topo_cgroup_version(full)),
	   "%s: the full load has the parts the test skips", name);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		unsigned int f = flags[i];
		struct np_topo *t = NULL;
		bool same, empty, details;

		if (np_topo_load(root, f, &t) < 0) {
			ok(0, "%s: flags %#x load", name, f);
			continue;
		}
		details = !(f & NP_TOPO_NO_CPU_DETAILS);
		same = same_cpus(full, t, details) && same_nodes(full, t, !(f & NP_TOPO_NO_MEMINFO)) &&
		       same_groups(full, t, details);
		empty = (!(f & NP_TOPO_NO_CACHES) || no_caches(t)) &&
			(!(f & NP_TOPO_NO_DEVICES) ||
			 (np_topo_device_count(t) == 0 && !np_topo_device(t, 0))) &&
			(!(f & NP_TOPO_NO_HMAT) || no_hmat(t)) &&
			(!(f & NP_TOPO_NO_LIMITS) || no_limits(t)) &&
			(!(f & NP_TOPO_NO_MEMINFO) || no_meminfo(t, has_memory));
		/* what is not skipped is as full as before */
		if (!(f & NP_TOPO_NO_CACHES))
			same = same && np_topo_cache_count(t) == np_topo_cache_count(full);
		if (!(f & NP_TOPO_NO_DEVICES))
			same = same && np_topo_device_count(t) == np_topo_device_count(full);
		if (!(f & NP_TOPO_NO_LIMITS))
			same = same && same_set(np_topo_allowed_cpus(t), np_topo_allowed_cpus(full)) &&
			       same_set(np_topo_allowed_nodes(t), np_topo_allowed_nodes(full));
		ok(same && empty, "%s: flags %#x: same CPUs, nodes, distances, groups; skipped parts empty",
		   name, f);
		np_topo_free(t);
	}
	np_topo_free(full);
	ok(np_topo_load(root, ALL_FLAGS, &full) == 0 && np_topo_allowed_cpus(full) &&
		   np_topo_allowed_nodes(full),
	   "%s: allowed sets never NULL", name);
	np_topo_free(full);
}

static void check_capture(const char *name, struct parts want)
{
	char dir[] = "/tmp/np-t-flags.XXXXXX";
	int r = extract_capture(name, dir);

	if (r < 0) {
		skip(10, "capture not found");
		return;
	}
	check_root(name, dir, want);
	remove_dir(dir);
}

static void check_sysroot(const char *name, struct parts want)
{
	char path[4096];

	sysroot_path(name, path, sizeof(path));
	check_root(name, path, want);
}

static void test_bad_flags(void)
{
	struct np_topo *t = (struct np_topo *)&t;
	char path[4096];

	sysroot_path("limits-v2", path, sizeof(path));
	is_int(np_topo_load(path, 0x40, &t), -EINVAL, "flag 0x40: -EINVAL");
	is_int(np_topo_load(path, ALL_FLAGS | 0x80000000u, &t), -EINVAL,
	       "a known flag with an unknown one: -EINVAL");
	ok(t == (struct np_topo *)&t, "-EINVAL leaves *ret untouched");
}

int main(void)
{
	extras_init();
	plan(6 * 10 + 3);
	check_capture("256ppc-8n8s4t", (struct parts){ .caches = true });
	check_capture("128arm-2pa2n8cluster4co", (struct parts){ .caches = true });
	check_capture("16amd64-8n2c-cpusets", (struct parts){ .caches = true, .limits = true });
	check_sysroot("devices-mixed", (struct parts){ .devices = true });
	check_sysroot("hmat-tiers", (struct parts){ .hmat = true });
	check_sysroot("limits-v2", (struct parts){ .limits = true });
	test_bad_flags();
	return exit_status();
}
