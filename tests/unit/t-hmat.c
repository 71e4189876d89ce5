/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-hmat.c - HMAT access classes and memory-side caches (lib/hmat.c) on a hand-made sysroot
 * (tests/fixtures/sysroots-extras/hmat-tiers) and on the shared captures that have them
 * (fakeheteromemtiers, memorysidecaches; nvidiagpunumanodes has none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "extras.h"

static int load(const char *root, unsigned int nnodes, struct np_topo *topo)
{
	char path[4096];
	int every[64]; /* every node id up to nnodes: a node without a directory reads as none */
	struct np_sysfs *fs;
	int r;

	for (unsigned int i = 0; i < 64; i++)
		every[i] = (int)i;
	if (nnodes > 64)
		return -EINVAL;
	sysroot_path(root, path, sizeof(path));
	memset(topo, 0, sizeof(*topo));
	r = np__sysfs_open(path, &fs);
	if (r < 0)
		return r;
	r = np__hmat_load(fs, 8, nnodes, every, &topo->hmat);
	np__sysfs_free(fs);
	return r;
}

/* "initiators rl wl rb wb" of one access class, or the error number. */
static const char *access_str(const struct np_topo *topo, unsigned int node, unsigned int k)
{
	static char buf[4096 + 128]; /* list() gives up to 4096 */
	struct np_access a;
	int r = np_topo_node_access(topo, node, k, &a);

	if (r < 0)
		snprintf(buf, sizeof(buf), "error %d", r);
	else
		snprintf(buf, sizeof(buf), "%s %llu %llu %llu %llu", list(a.initiators),
			 a.read_latency, a.write_latency, a.read_bandwidth, a.write_bandwidth);
	return buf;
}

static const char *memcache_str(const struct np_topo *topo, unsigned int node, unsigned int i)
{
	static char buf[512];
	struct np_memcache m;
	int r = np_topo_node_memcache(topo, node, i, &m);

	if (r < 0)
		snprintf(buf, sizeof(buf), "error %d", r);
	else
		snprintf(buf, sizeof(buf), "L%u %llu %u %s %s", m.level, m.size, m.line_size,
			 np_memcache_indexing_name(m.indexing),
			 np_memcache_write_policy_name(m.write_policy));
	return buf;
}

static void test_tiers(void)
{
	struct np_topo topo;
	struct np_access a = {.read_latency = 7};
	struct np_memcache m = {.level = 7};

	is_int(load("hmat-tiers", 4, &topo), 0, "tiers: load");
	is_str(access_str(&topo, 0, NP_ACCESS_ANY), "0 80 90 100000 90000", "node0 access0");
	is_str(access_str(&topo, 0, NP_ACCESS_CPU), "0 80 90 100000 90000", "node0 access1");
	is_str(access_str(&topo, 1, NP_ACCESS_ANY), "1 85 95 95000 85000", "node1 access0");
	is_str(access_str(&topo, 1, NP_ACCESS_CPU), "error -2", "node1 has no access1: -ENOENT");
	is_str(access_str(&topo, 2, NP_ACCESS_ANY), "0-1 250 300 30000 20000",
	       "CPU-less node2 access0: two initiators");
	is_str(access_str(&topo, 2, NP_ACCESS_CPU), "0 260 310 25000 15000", "node2 access1");
	is_str(access_str(&topo, 3, NP_ACCESS_ANY), "1 0 0 0 0",
	       "node3: initiator without numbers reads as 0 (unreported)");
	is_int(np_topo_node_access(&topo, 0, 2, &a), -EINVAL, "access class 2: -EINVAL");
	is_int(np_topo_node_access(&topo, 9, 0, &a), -ENOENT, "node beyond the set: -ENOENT");
	is_int(a.read_latency, 7, "failed calls leave the output alone");

	is_int(np_topo_node_memcache_count(&topo, 2), 2, "node2: two memory-side cache levels");
	is_str(memcache_str(&topo, 2, 0), "L1 1073741824 64 direct-mapped write-back",
	       "node2 levels by increasing level: L1 first");
	is_str(memcache_str(&topo, 2, 1), "L2 4294967296 128 indexed write-through",
	       "node2 level 2");
	is_str(memcache_str(&topo, 1, 0), "L1 536870912 64 other other",
	       "node1: undefined indexing/policy values read as other");
	is_int(np_topo_node_memcache_count(&topo, 0), 0, "node0: no memory-side cache");
	is_int(np_topo_node_memcache(&topo, 2, 2, &m), -ENOENT,
	       "cache index past the end: -ENOENT");
	is_int(m.level, 7, "failed call leaves the output alone");
	np__hmat_free(topo.hmat);
	np__hmat_free(NULL);

	is_int(load("limits-none", 1, &topo), 0, "no node directory: load");
	ok(np_topo_node_access(&topo, 0, 0, &a) == -ENOENT &&
	       np_topo_node_memcache_count(&topo, 0) == 0,
	   "no node directory: no HMAT");
	np__hmat_free(topo.hmat);
	ok(np_topo_node_access(NULL, 0, 0, &a) == -ENOENT &&
	       np_topo_node_memcache_count(NULL, 0) == 0,
	   "NULL topology: -ENOENT, 0");
	ok(np_memcache_indexing_name(9) == NULL && np_memcache_write_policy_name(9) == NULL,
	   "names of undefined values: NULL");
}

/* The same through the public entry point, np_topo_load(). */
static void test_topo_load(void)
{
	char path[4096];
	struct np_topo *topo = NULL;

	snprintf(path, sizeof(path), "%s/tests/fixtures/sysroots-extras/hmat-tiers", srcdir);
	is_int(np_topo_load(path, 0, &topo), 0, "np_topo_load: hmat-tiers");
	is_str(access_str(topo, 2, NP_ACCESS_CPU), "0 260 310 25000 15000",
	       "np_topo_load: node2 access1");
	is_int(np_topo_node_memcache_count(topo, 2), 2, "np_topo_load: node2 memory-side caches");
	np_topo_free(topo);
}



static void test_captures(void)
{
	char dir[] = "/tmp/np-t-hmat.XXXXXX";
	struct np_topo topo;

	if (extract_capture("fakeheteromemtiers", dir) < 0) {
		skip(4, "shared capture fakeheteromemtiers not found");
	} else {
		is_int(load(dir, 10, &topo), 0, "fakeheteromemtiers: load");
		is_str(access_str(&topo, 4, NP_ACCESS_CPU), "1 0 0 10000 10000",
		       "fakeheteromemtiers: node4 (HBM) from node1's CPUs");
		is_str(access_str(&topo, 8, NP_ACCESS_CPU), "0 0 0 100 100",
		       "fakeheteromemtiers: node8 (slow tier) from node0");
		is_str(access_str(&topo, 8, NP_ACCESS_ANY), "error -2",
		       "fakeheteromemtiers: no access0 directories");
		np__hmat_free(topo.hmat);
	}
	remove_dir(dir);
	strcpy(dir, "/tmp/np-t-hmat.XXXXXX");
	if (extract_capture("memorysidecaches", dir) < 0) {
		skip(4, "shared capture memorysidecaches not found");
	} else {
		is_int(load(dir, 4, &topo), 0, "memorysidecaches: load");
		is_int(np_topo_node_memcache_count(&topo, 3), 1,
		       "memorysidecaches: node3 one level");
		is_str(memcache_str(&topo, 3, 0), "L1 103079215104 64 direct-mapped write-back",
		       "memorysidecaches: node3 96 GiB direct-mapped DRAM cache");
		is_str(access_str(&topo, 2, NP_ACCESS_ANY), "2 0 0 0 0",
		       "memorysidecaches: node2 access0 initiator node2");
		np__hmat_free(topo.hmat);
	}
	remove_dir(dir);
}

int main(void)
{
	extras_init();
	test_tiers();
	test_topo_load();
	test_captures();
	done_testing();
	return exit_status();
}
