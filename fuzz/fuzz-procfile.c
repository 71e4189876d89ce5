/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-procfile.c - libFuzzer target for the readers of single /proc and sysfs files, fast:
 * numa_maps, a task's stat ("processor") and status (Cpus_allowed_list, Mems_allowed_list),
 * and, through a small fixed capture, proc/self/{status,cgroup,cpuset,mountinfo} and the
 * cgroup's effective CPUs.  Each parses or fails cleanly.  A node's meminfo and distance row
 * and a cache's attributes have their own targets on the parsers (fuzz-meminfo,
 * fuzz-distance, fuzz-cache), thousands of times faster than a whole topology load.
 *
 * Terminology: the first byte picks the file, the rest is its whole content; the fixed
 * capture (two CPUs, two nodes) is written once in /dev/shm (or $TMPDIR) and only the fuzzed
 * file changes from one input to the next.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numaplace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CPU "sys/devices/system/cpu/"
#define NODE "sys/devices/system/node/"

static const char *const fixed[][2] = {
	{ CPU "online", "0-1\n" }, { CPU "possible", "0-1\n" },
	{ CPU "cpu0/topology/core_id", "0\n" }, { CPU "cpu1/topology/core_id", "1\n" },
	{ CPU "cpu0/cache/index0/level", "1\n" }, { CPU "cpu0/cache/index0/size", "32K\n" },
	{ CPU "cpu0/cache/index0/shared_cpu_list", "0\n" },
	{ NODE "online", "0-1\n" }, { NODE "node0/cpulist", "0\n" }, { NODE "node1/cpulist", "1\n" },
	{ NODE "node0/distance", "10 20\n" }, { NODE "node1/distance", "20 10\n" },
	{ NODE "node0/meminfo", "Node 0 MemTotal: 1024 kB\n" },
	{ NODE "node1/meminfo", "Node 1 MemTotal: 1024 kB\n" },
};

static const char *const fuzzed[] = {
	"proc/1/numa_maps", "proc/1/task/1/stat", "proc/1/task/1/status", "proc/self/status",
	"proc/self/cgroup", "proc/self/cpuset", "proc/self/mountinfo", "proc/mounts",
	"sys/fs/cgroup/cpuset.cpus.effective",
};

static char root[64];

static void put(const char *rel, const void *text, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *s = strchr(path + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		abort();
	if (len && write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
}

static void setup(void)
{
	snprintf(root, sizeof(root), "%s/np-fuzz-proc-%d",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid());
	mkdir(root, 0755);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		put(fixed[i][0], fixed[i][1], strlen(fixed[i][1]));
	for (size_t i = 0; i < sizeof(fuzzed) / sizeof(*fuzzed); i++)
		put(fuzzed[i], "", 0);
}

static void read_back(unsigned int k)
{
	struct np_numa_maps *m = NULL;
	struct np_cpuset *set = NULL;
	struct np_topo *t = NULL;
	int cpu;

	if (k == 0) {
		if (np_task_numa_maps(root, 1, &m) == 0)
			np_numa_maps_free(m);
	} else if (k == 1) {
		(void)np_task_last_cpu(root, 1, 1, &cpu);
	} else if (k == 2) {
		if (np_task_cpus_allowed(root, 1, 1, 64, &set) == 0)
			np_cpuset_free(set);
		set = NULL;
		if (np_task_mems_allowed(root, 1, 1, 64, &set) == 0)
			np_cpuset_free(set);
	} else if (np_topo_load(root, 0, &t) == 0) {
		np_topo_free(t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int k;

	if (size < 1)
		return 0;
	if (!*root)
		setup();
	k = data[0] % (sizeof(fuzzed) / sizeof(*fuzzed));
	put(fuzzed[k], data + 1, size - 1);
	read_back(k);
	put(fuzzed[k], "", 0);
	return 0;
}
