/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * where.h - a process's pages per NUMA node, from /proc/PID/numa_maps; shared by `where` and
 * `migrate` (which counts pages before and after).
 */
#ifndef NP_CLI_WHERE_H
#define NP_CLI_WHERE_H

#include <sys/types.h>

/* per node, in KiB (pages times the mapping's kernelpagesize_kB) and in pages */
struct where_node {
	unsigned long long anon_kb, file_kb, huge_kb;
	unsigned long long pages;
};

struct where_mem {
	unsigned int nnodes;       /* entries in @node: the highest node seen + 1 */
	struct where_node *node;   /* malloc'd; free with where_mem_release() */
	unsigned long long mappings;
};

/* np_task_numa_maps() of @pid summed per node; 0 or -errno (-ESRCH no such process, -EACCES) */
int where_read_mem(pid_t pid, struct where_mem *ret);
void where_mem_release(struct where_mem *m);

#endif /* NP_CLI_WHERE_H */
