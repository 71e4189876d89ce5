/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-sysroot.c - libFuzzer target for every reader of a sysroot: the fuzzer's bytes become a
 * small tree in a tmpfs directory (sysfs values, meminfo, distance rows, cache attributes,
 * HMAT, PCI and class devices, /proc status, stat, cgroup, cpuset, mountinfo and numa_maps),
 * which np_topo_load() and np_task_numa_maps() then read.  Any tree loads or fails with an
 * error; nothing crashes, leaks or reads without bound.  A loaded topology's problem list
 * (numaplace/diag.h) holds: at most NP_TOPO_PROBLEMS_KEPT kept and no more than counted, each
 * a distinct path relative to the sysroot below sys/ or proc/, with a kind, a positive errno,
 * a reason, and a cap exactly when it is too large; the one past the kept is -ERANGE.
 *
 * Terminology: a "record" is one byte choosing a path from paths[] (its top bit: make it a
 * symlink to the next record's path instead of a file), two bytes of length and that many
 * bytes of content.  The tree lives in /dev/shm (or $TMPDIR) and is emptied after each input.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CPU "sys/devices/system/cpu/"
#define NODE "sys/devices/system/node/"
#define C0 CPU "cpu0/"
#define C1 CPU "cpu1/"
#define N0 NODE "node0/"
#define N1 NODE "node1/"
#define PCI "sys/bus/pci/devices/0000:00:01.0/"

static const char *const paths[] = {
	CPU "possible", CPU "present", CPU "online", CPU "isolated", CPU "nohz_full",
	C0 "online", C1 "online", C0 "topology/core_id", C1 "topology/core_id",
	C0 "topology/physical_package_id", C1 "topology/physical_package_id", C0 "topology/die_id",
	C0 "topology/cluster_id", C0 "topology/thread_siblings_list", C1 "topology/thread_siblings_list",
	C0 "topology/core_siblings_list", C0 "topology/package_cpus_list", C0 "topology/core_cpus_list",
	C0 "topology/thread_siblings", C0 "topology/core_siblings", C0 "topology/cluster_cpus_list",
	C0 "topology/die_cpus_list", C0 "cpu_capacity", C1 "cpu_capacity",
	C0 "cpufreq/base_frequency", C0 "cpufreq/cpuinfo_max_freq",
	C0 "cache/index0/level", C0 "cache/index0/type", C0 "cache/index0/size",
	C0 "cache/index0/shared_cpu_list", C0 "cache/index0/shared_cpu_map", C0 "cache/index0/id",
	C0 "cache/index0/coherency_line_size", C0 "cache/index0/ways_of_associativity",
	C0 "cache/index1/level", C0 "cache/index1/size", C0 "cache/index1/shared_cpu_list",
	C1 "cache/index0/level", C1 "cache/index0/size", C1 "cache/index0/shared_cpu_list",
	C0 "cache/index3/level", C0 "cache/index3/size", C0 "cache/index3/shared_cpu_map",
	NODE "online", NODE "possible", NODE "has_memory", NODE "has_cpu",
	N0 "cpulist", N0 "cpumap", N0 "meminfo", N0 "distance", N1 "cpulist", N1 "meminfo",
	N1 "distance", N0 "hugepages/hugepages-2048kB/nr_hugepages",
	N0 "hugepages/hugepages-2048kB/free_hugepages", "sys/kernel/mm/hugepages/hugepages-2048kB/x",
	N0 "access0/initiators/read_bandwidth", N0 "access0/initiators/read_latency",
	N0 "access0/initiators/write_bandwidth", N0 "access0/initiators/write_latency",
	N0 "access0/initiators/node0", N1 "access1/initiators/read_latency",
	N0 "memory_side_cache/index1/size", N0 "memory_side_cache/index1/line_size",
	N0 "memory_side_cache/index1/indexing", N0 "memory_side_cache/index1/write_policy",
	PCI "numa_node", PCI "local_cpulist", PCI "local_cpus", PCI "class", PCI "vendor",
	"sys/class/net/eth0/device", "sys/class/drm/card0/device", "sys/class/nvme/nvme0/device",
	"sys/devices/cpu_core/cpus", "sys/devices/cpu_atom/cpus",
	"proc/self/status", "proc/self/cgroup", "proc/self/cpuset", "proc/self/mountinfo",
	"proc/mounts", "proc/stat", "proc/1/numa_maps", "proc/self/numa_maps",
	"sys/fs/cgroup/cpuset.cpus.effective", "sys/fs/cgroup/cpuset.mems.effective",
	"sys/fs/cgroup/cgroup.controllers", "sys/fs/cgroup/cpuset/cpuset.cpus",
	"dev/cpuset/cpus",
};

static char root[64];

/* mkdir -p of @path's parents below the root */
static void parents(char *path)
{
	for (char *s = strchr(path + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

static void build(const uint8_t *data, size_t size)
{
	char path[512], target[512];

	while (size >= 3) {
		unsigned int k = data[0] & 0x7f, link = data[0] & 0x80;
		size_t len = (size_t)data[1] | (size_t)data[2] << 8;
		int fd;

		k %= sizeof(paths) / sizeof(*paths);
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		snprintf(path, sizeof(path), "%s/%s", root, paths[k]);
		parents(path);
		if (link && len > 0) {
			snprintf(target, sizeof(target), "%s/%s", root,
				 paths[data[0] % (sizeof(paths) / sizeof(*paths))]);
			unlink(path);
			if (symlink(target, path) < 0) {
				/* a path under a file: left out */
			}
		} else if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) >= 0) {
			if (write(fd, data, len) < 0) {
				/* a full tmpfs: the file stays short */
			}
			close(fd);
		}
		data += len;
		size -= len;
	}
}

static void check_problems(const struct np_topo *t)
{
	unsigned int count = np_topo_problem_count(t), kept = 0;
	struct np_problem p, q;

	for (; np_topo_problem(t, kept, &p) == 0; kept++) {
		check(strncmp(p.path, "sys/", 4) == 0 || strncmp(p.path, "proc/", 5) == 0);
		check(p.kind >= NP_PROBLEM_NOT_REGULAR && p.kind <= NP_PROBLEM_VALUE);
		check(p.error > 0 && p.reason && *p.reason);
		check((p.kind == NP_PROBLEM_TOO_LARGE) == (p.limit > 0));
		for (unsigned int i = 0; i < kept; i++)
			check(np_topo_problem(t, i, &q) == 0 && strcmp(q.path, p.path) != 0);
	}
	check(kept <= NP_TOPO_PROBLEMS_KEPT && kept <= count);
	check(kept == count || kept == NP_TOPO_PROBLEMS_KEPT);
	check(np_topo_problem(t, kept, &p) == -ERANGE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_topo *t = NULL;
	struct np_numa_maps *m = NULL;

	if (!*root) {
		const char *tmp = getenv("TMPDIR");

		snprintf(root, sizeof(root), "%s/np-fuzz-%d", access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
			 tmp ? tmp : "/tmp", (int)getpid());
	}
	mkdir(root, 0755);
	build(data, size);
	if (np_topo_load(root, 0, &t) == 0) {
		check_problems(t);
		for (unsigned int n = 0; n < np_topo_node_count(t); n++)
			(void)np_topo_node(t, n);
		np_topo_free(t);
	}
	if (np_task_numa_maps(root, 1, &m) == 0)
		np_numa_maps_free(m);
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
