/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-topology.c - np_topo_load() on the hand-made sysroots of tests/fixtures/sysroots (see
 * make-sysroots.sh there), one kernel quirk each:
 *  nonuma  no node dirs (implicit node 0 from /proc/meminfo), no cpu/online (cpuN/online, none
 *          for cpu0), an offline CPU, files ending in NUL bytes, 1024-bit masks on 4 CPUs
 *  power   physical_package_id -1: packages from the sibling lists; possible > present
 *  nosiblings  no sibling masks: threads grouped by package and core_id
 *  sparse  node ids 0,2,5; a CPU-less node; a memoryless node with a cpumap and no cpulist;
 *          huge pages; dies and clusters; hybrid kinds from cpu_capacity
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static char root[PATH_MAX];

static const char *sysroot(const char *name)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/tests/fixtures/sysroots/%s", root, name);
	return path;
}

/* a set as a cpulist, in a static buffer (tests compare strings) */
static const char *L(const struct np_cpuset *set)
{
	static char buf[4][256];
	static int n;
	char *s = NULL;

	n = (n + 1) % 4;
	if (!set)
		return "(null)";
	if (np_cpuset_format_list(set, 0, &s) < 0)
		return "(error)";
	snprintf(buf[n], sizeof(buf[n]), "%s", s);
	free(s);
	return buf[n];
}

static struct np_topo *load(const char *name)
{
	struct np_topo *t = NULL;
	int r = np_topo_load(sysroot(name), 0, &t);

	if (!ok(r == 0 && t, "%s: loads", name))
		diag("  np_topo_load: %s", np_strerror(r));
	return r == 0 ? t : NULL;
}

static void test_nonuma(void)
{
	struct np_topo *t = load("nonuma");
	const struct np_node *n;
	const struct np_cache *llc;

	if (!t) {
		skip(21, "nonuma did not load");
		return;
	}
	is_str(L(np_topo_online_cpus(t)), "0-1,3", "nonuma: online from cpuN/online, cpu0 online without the file");
	is_str(L(np_topo_possible_cpus(t)), "0-3", "nonuma: possible from the cpu dirs");
	is_int(np_topo_cpu_size(t), 4, "nonuma: CPU sets are 4 bits, not the masks' 1024");
	ok(np_topo_cpu(t, 2) && !np_topo_cpu(t, 2)->online, "nonuma: cpu2 offline");
	is_int(np_topo_cpu(t, 2)->package, -1, "nonuma: offline cpu2 has no package");
	is_int(np_topo_cpu(t, 0)->package, 0, "nonuma: package id read through trailing NULs");
	is_int(np_topo_cpu(t, 0)->core_index, np_topo_cpu(t, 1)->core_index,
	       "nonuma: 0 and 1 are one core (1024-bit sibling mask)");
	ok(np_topo_cpu(t, 3)->core_index != np_topo_cpu(t, 0)->core_index, "nonuma: 3 is another core");
	is_int(np_topo_group_count(t, NP_LEVEL_CORE), 2, "nonuma: two cores");
	is_str(L(np_topo_cpu_siblings(t, 1, NP_LEVEL_CORE)), "0-1", "nonuma: siblings of cpu1");
	ok(np_topo_cpu_siblings(t, 2, NP_LEVEL_CORE) == NULL, "nonuma: an offline CPU has no group");

	is_int(np_topo_node_count(t), 1, "nonuma: one node");
	n = np_topo_node(t, 0);
	ok(n && n->id == 0 && n->implicit, "nonuma: it is the implicit node 0");
	is_str(L(n ? n->cpus : NULL), "0-1,3", "nonuma: holding every online CPU");
	is_int(n ? n->mem_total : 0, 8000000LL * 1024, "nonuma: MemTotal from /proc/meminfo");
	is_int(n ? n->mem_free : 0, 6000000LL * 1024, "nonuma: MemFree from /proc/meminfo");
	is_int(np_topo_distance(t, 0, 0), 10, "nonuma: local distance 10");

	is_int(np_topo_cache_count(t), 3, "nonuma: two L1 and one L2");
	llc = np_topo_cpu_llc(t, 3);
	ok(llc && llc->level == 2 && llc->size == 8u << 20 && llc->type == NP_CACHE_UNIFIED,
	   "nonuma: cpu3's last level is the 8 MiB L2");
	is_str(L(llc ? llc->cpus : NULL), "0-1,3", "nonuma: shared by all online CPUs (wide mask)");
	is_int(np_topo_group_count(t, NP_LEVEL_L1), 2, "nonuma: one L1 per core");
	np_topo_free(t);
}

static void test_power(void)
{
	struct np_topo *t = load("power");

	if (!t) {
		skip(8, "power did not load");
		return;
	}
	is_int(np_topo_group_count(t, NP_LEVEL_PACKAGE), 2, "power: two packages from sibling lists");
	ok(np_topo_cpu(t, 0)->package >= 0 && np_topo_cpu(t, 0)->package == np_topo_cpu(t, 1)->package,
	   "power: 0 and 1 share a package numbered from the lists");
	ok(np_topo_cpu(t, 2)->package >= 0 && np_topo_cpu(t, 2)->package != np_topo_cpu(t, 0)->package,
	   "power: 2 is in the other");
	is_int(np_topo_cpu(t, 3)->core, -1, "power: core_id left unread when sibling lists exist");
	is_str(L(np_topo_possible_cpus(t)), "0-7", "power: possible from cpu/possible");
	is_str(L(np_topo_present_cpus(t)), "0-3", "power: present from cpu/present");
	ok(np_topo_cpu(t, 5) && !np_topo_cpu(t, 5)->present, "power: cpu5 possible, not present");
	ok(np_topo_cpu(t, 8) == NULL, "power: cpu8 is not possible");
	np_topo_free(t);
}

static void test_sparse(void)
{
	struct np_topo *t = load("sparse");
	const struct np_node *n0, *n2, *n5;

	if (!t) {
		skip(20, "sparse did not load");
		return;
	}
	is_int(np_topo_node_count(t), 3, "sparse: three nodes");
	n0 = np_topo_node_by_id(t, 0);
	n2 = np_topo_node_by_id(t, 2);
	n5 = np_topo_node_by_id(t, 5);
	ok(n0 && n2 && n5 && !np_topo_node_by_id(t, 1), "sparse: nodes 0, 2, 5 and no 1");
	if (!n0 || !n2 || !n5) {
		skip(18, "nodes missing");
		np_topo_free(t);
		return;
	}
	is_int(np_topo_node_size(t), 6, "sparse: node sets reach node 5");
	is_str(L(n2->cpus), "", "sparse: node 2 has no CPUs");
	is_int(n2->mem_total, 1048576LL * 1024, "sparse: but memory");
	is_str(L(n5->cpus), "2-3", "sparse: node 5 CPUs from cpumap");
	is_int(n5->mem_total, 0, "sparse: node 5 has no memory");
	is_str(L(np_topo_cpu_nodes(t)), "0,5", "sparse: nodes with CPUs");
	is_str(L(np_topo_memory_nodes(t)), "0,2", "sparse: nodes with memory (has_memory)");
	is_int(np_topo_cpu(t, 3)->node, 5, "sparse: cpu3 is on node 5");
	is_int(np_topo_distance(t, 0, 5), 30, "sparse: distance 0 -> 5 by sparse id");
	is_int(np_topo_distance(t, 5, 2), 40, "sparse: distance 5 -> 2");
	is_int(np_topo_distance(t, 1, 2), -1, "sparse: no node 1, no distance");
	ok(n0->nhugepages == 1 && n0->hugepages[0].page_size == 2u << 20 &&
	   n0->hugepages[0].total == 16 && n0->hugepages[0].free == 4,
	   "sparse: node 0 has 16 huge pages of 2 MiB, 4 free");
	is_int(np_topo_group_count(t, NP_LEVEL_CLUSTER), 2, "sparse: two clusters");
	is_str(L(np_topo_cpu_siblings(t, 1, NP_LEVEL_CLUSTER)), "0-1", "sparse: cluster of cpu1");
	is_int(np_topo_group_count(t, NP_LEVEL_DIE), 1, "sparse: one die");
	ok(np_topo_cpu(t, 3)->kind == NP_CPU_KIND_PERFORMANCE &&
	   np_topo_cpu(t, 0)->kind == NP_CPU_KIND_EFFICIENCY,
	   "sparse: kinds from cpu_capacity");
	is_str(L(np_topo_group(t, NP_LEVEL_NODE, 1)), "2-3", "sparse: node groups skip the CPU-less node");
	is_int(np_topo_group_count(t, NP_LEVEL_BOOK), 0, "sparse: no books");
	np_topo_free(t);
}

static void test_nosiblings(void)
{
	struct np_topo *t = load("nosiblings");

	if (!t) {
		skip(4, "nosiblings did not load");
		return;
	}
	is_int(np_topo_group_count(t, NP_LEVEL_CORE), 2, "nosiblings: two cores from core_id");
	is_str(L(np_topo_cpu_siblings(t, 0, NP_LEVEL_CORE)), "0,2", "nosiblings: 0 and 2 share core_id 0");
	is_int(np_topo_cpu(t, 3)->core, 1, "nosiblings: core_id read");
	is_int(np_topo_cpu(t, 1)->core_index, np_topo_cpu(t, 3)->core_index, "nosiblings: 1 and 3 one core");
	np_topo_free(t);
}

static void test_errors(void)
{
	struct np_topo *t = (struct np_topo *)&t;

	is_int(np_topo_load("/nonexistent-sysroot", 0, &t), -ENOENT, "missing sysroot: -ENOENT");
	ok(t == (struct np_topo *)&t, "missing sysroot: output untouched");
	is_int(np_topo_load(sysroot("power"), 0x80000000u, &t), -EINVAL, "unknown flags: -EINVAL");
	is_int(np_topo_load(sysroot(""), 0, &t), -ENOENT, "a sysroot without sys/devices/system/cpu: -ENOENT");
	ok(t == (struct np_topo *)&t, "failed load: output untouched");
	np_topo_free(NULL);
	is_str(np_topo_level_name(NP_LEVEL_LLC), "llc", "level names");
	ok(np_topo_level_name(NP_LEVEL_COUNT) == NULL, "no name past the last level");
}

static void test_live(void)
{
	struct np_topo *t = NULL;
	int r = np_topo_load(NULL, 0, &t);

	if (r == -ENOENT) {
		skip(3, "no /sys/devices/system/cpu here");
		return;
	}
	is_int(r, 0, "this machine loads");
	ok(t && !np_cpuset_empty(np_topo_online_cpus(t)), "this machine has online CPUs");
	ok(t && np_topo_node_count(t) >= 1, "and at least one node");
	np_topo_free(t);
}

int main(void)
{
	const char *src = getenv("NP_SRCDIR");

	snprintf(root, sizeof(root), "%s", src ? src : ".");
	if (access(sysroot("nonuma"), F_OK) < 0)
		skip_all("tests/fixtures/sysroots not found (set NP_SRCDIR)");
	test_nonuma();
	test_power();
	test_sparse();
	test_nosiblings();
	test_errors();
	test_live();
	done_testing();
	return exit_status();
}
