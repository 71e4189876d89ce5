/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cgroup-lookup.c - libFuzzer target for what needs files: the cgroup lookup through a
 * small fixed capture (proc/self/{cgroup,cpuset,mountinfo}, proc/mounts and a cgroup's
 * cpuset.cpus.effective: mount points and paths checked against the sysroot, the walk up to
 * an attribute).  Each loads or fails cleanly.  The parsers themselves have their own targets
 * on buffers (fuzz-cgroup, fuzz-mountinfo; the sysfs values: fuzz-meminfo, fuzz-distance,
 * fuzz-cache and the others of lib/sysparse.c).
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

static void read_back(void)
{
	struct np_topo *t = NULL;

	if (np_topo_load(root, 0, &t) == 0)
		np_topo_free(t);
}

/* the file as the fixed capture has it, or empty */
static void restore(const char *rel)
{
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
		if (strcmp(fixed[i][0], rel) == 0) {
			put(rel, fixed[i][1], strlen(fixed[i][1]));
			return;
		}
	}
	put(rel, "", 0);
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
	read_back();
	restore(fuzzed[k]);
	return 0;
}
