/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/numastat.h - where memory is: a process's pages per node (numa_maps), the kernel's
 * per-node NUMA counters and meminfo, vmstat's NUMA rows and a task's NUMA faults.
 */
#ifndef NUMAPLACE_NUMASTAT_H
#define NUMAPLACE_NUMASTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* === numamaps: a process's pages per node, from /proc/PID/numa_maps === */
/* ===================================================================================== */

/* enum np_page_kind - what backs a mapping's pages, as np_task_numa_maps() counts them. */
enum np_page_kind {
	NP_PAGES_ANON, /* anonymous, and private file mappings with copied pages (anon=) */
	NP_PAGES_FILE, /* page cache (and tmpfs, SysV shm) pages mapped from a file */
	NP_PAGES_HUGE, /* hugetlbfs pages ("huge"); transparent huge pages count as anon */
	NP_PAGES_NKINDS
};

/* struct np_numa_map - one line of numa_maps: a mapping and where its resident pages are. */
struct np_numa_map {
	unsigned long long start;      /* the mapping's first address */
	const char *policy;            /* as the kernel writes it: "default", "bind:0-1", ... */
	const char *file;              /* the file= path, NULL for none */
	enum np_page_kind kind;
	bool heap, stack;
	unsigned long long anon, dirty, mapped; /* anon=, dirty=, mapped= (pages); 0 if absent */
	unsigned long long page_kb;    /* kernelpagesize_kB (4 when absent, before Linux 2.6.37) */
	unsigned long long pages;      /* resident pages: the sum of the N<node>= fields */
	const unsigned long long *node_pages; /* [nnodes of the np_numa_maps] pages per node */
};

/* struct np_numa_maps_node - one node's resident pages by kind, and the same in KiB. */
struct np_numa_maps_node {
	unsigned long long pages[NP_PAGES_NKINDS];
	unsigned long long kb[NP_PAGES_NKINDS]; /* pages times each mapping's kernelpagesize_kB */
};

/* struct np_numa_maps - a process's numa_maps, parsed; from np_task_numa_maps(). */
struct np_numa_maps {
	unsigned int nnodes;            /* entries in @node: the highest node seen + 1 */
	struct np_numa_maps_node *node; /* per node totals */
	size_t nmaps;                   /* entries in @maps: one per line */
	struct np_numa_map *maps;
};

/**
 * np_task_numa_maps() - read and parse @sysroot/proc/@pid/numa_maps.
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @pid: the process; 0 for this process (proc/self).
 * @ret: receives the result; free it with np_numa_maps_free().
 *
 * Each line gives a mapping's address and policy and then fields; only N<node>= counts
 * resident pages.  Unknown fields are skipped, so newer kernels parse.  File paths are kept
 * as the kernel writes them (a blank as \040).  Reading needs the same permission as
 * ptrace-reading the process (PTRACE_MODE_READ).
 *
 * Return: 0; -ESRCH no such process (or no numa_maps in a capture: a kernel without NUMA);
 * -EACCES or -EPERM not allowed; -EINVAL a line that does not parse; -ERANGE a node number
 * above 65535; -EFBIG the file, or its per-node table (mappings times nodes, 8 bytes each),
 * over 256 MiB; -ENOMEM; -errno from reading.
 */
NP_API int np_task_numa_maps(const char *sysroot, pid_t pid, struct np_numa_maps **ret);

/* np_numa_maps_free() - free a result of np_task_numa_maps(); NULL is a no-op. */
NP_API void np_numa_maps_free(struct np_numa_maps *m);

/* === end numamaps === */

/* ===================================================================================== */
/* === numastat: per-node NUMA counters and meminfo, vmstat, a task's NUMA faults ====== */
/* ===================================================================================== */

/* struct np_stat_value - one row of a kernel statistics file, under the kernel's name. */
struct np_stat_value {
	const char *name;          /* "numa_hit", "MemFree", "pgmigrate_success" */
	unsigned long long value;
};

/* struct np_node_stat - one node's rows, in the kernel's order. */
struct np_node_stat {
	unsigned int node;                 /* the node's number */
	size_t ncounters;
	struct np_stat_value *counters;    /* nodeN/numastat: numa_hit, numa_miss... (pages) */
	size_t nmeminfo;
	struct np_stat_value *meminfo;     /* nodeN/meminfo: KiB, HugePages_* in huge pages */
};

/* struct np_numastat - every node's rows and the NUMA rows of /proc/vmstat. */
struct np_numastat {
	size_t nnodes;
	struct np_node_stat *nodes;        /* in increasing node number */
	size_t nvmstat;
	struct np_stat_value *vmstat;      /* numa_*, pgmigrate_*, pgdemote_*, pgpromote_* */
	unsigned long long hugepage_kb;    /* proc/meminfo Hugepagesize; 0 when absent */
};

/**
 * np_numastat_load() - read every node's numastat and meminfo, and /proc/vmstat.
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @ret: receives the result; free it with np_numastat_free().
 *
 * A file that is absent leaves its rows empty (a capture without meminfo, a kernel without
 * NUMA counters in vmstat); names point into the result.  Counters move: two loads give the
 * rates.
 *
 * Return: 0; -ENODEV no node directory (no NUMA in the kernel); -EINVAL a row that does not
 * parse; -ENOMEM; -errno from reading (-EACCES...).
 */
NP_API int np_numastat_load(const char *sysroot, struct np_numastat **ret);

/* np_numastat_free() - free a result of np_numastat_load(); NULL is a no-op. */
NP_API void np_numastat_free(struct np_numastat *s);

/**
 * np_stat_find() - the value of the row named @name among @v[0..@n).
 * @ret: receives the value.
 *
 * Return: 0; -ENOENT no such row (*@ret untouched).
 */
NP_API int np_stat_find(const struct np_stat_value *v, size_t n, const char *name,
			unsigned long long *ret);

/* struct np_numa_faults - NUMA hinting faults charged to a task on one node. */
struct np_numa_faults {
	unsigned long long task_private, task_shared, group_private, group_shared;
};

/* struct np_task_numastat - a task's NUMA balancing state, from /proc/PID/sched. */
struct np_task_numastat {
	bool balancing;                    /* the kernel reports NUMA balancing for it */
	unsigned long long pages_migrated; /* numa_pages_migrated */
	unsigned long long total_faults;   /* total_numa_faults */
	int preferred_node;                /* numa_preferred_nid; -1 none */
	unsigned int nnodes;               /* entries in @faults (0 when none reported) */
	struct np_numa_faults *faults;     /* per node number */
};

/**
 * np_task_numastat() - read @sysroot/proc/@pid/sched's NUMA balancing lines.
 * @pid: the process (its main thread's view, which the kernel keeps per task).
 * @ret: receives the result; free it with np_task_numastat_free().
 *
 * A kernel without CONFIG_NUMA_BALANCING (or without the sched file, CONFIG_SCHED_DEBUG)
 * gives balancing false and no faults, not an error.
 *
 * Return: 0; -EINVAL @pid <= 0 or a numa_faults line that does not parse; -ESRCH no such
 * process; -ERANGE a node number above 65535; -ENOMEM; -errno from reading (-EACCES).
 */
NP_API int np_task_numastat(const char *sysroot, pid_t pid, struct np_task_numastat **ret);

/* np_task_numastat_free() - free a result of np_task_numastat(); NULL is a no-op. */
NP_API void np_task_numastat_free(struct np_task_numastat *t);

/**
 * np_task_comm() - a process's command name (@sysroot/proc/@pid/comm, at most 15 bytes).
 * @buf: receives it, NUL-terminated.
 * @size: the size of @buf.
 *
 * Return: 0; -EINVAL @pid <= 0 or @size 0; -ESRCH no such process; -ENAMETOOLONG @buf too
 * small (untouched); -errno from reading.
 */
NP_API int np_task_comm(const char *sysroot, pid_t pid, char *buf, size_t size);

/**
 * np_task_kernel_thread() - whether process @pid is a kernel thread (PF_KTHREAD in the flags,
 * field 9, of @sysroot/proc/@pid/stat): it has no user memory, so its numa_maps is empty.
 * @ret: receives the answer.
 *
 * Return: 0; -EINVAL @pid <= 0, @ret NULL, or the stat file does not parse; -ESRCH no such
 * process; -errno from reading.  *@ret is untouched on failure.
 */
NP_API int np_task_kernel_thread(const char *sysroot, pid_t pid, bool *ret);

/**
 * np_task_match() - the processes whose command line holds @pattern, as numastat -p finds them.
 * @pattern: a text fragment, matched against the arguments joined by blanks.
 * @ret: receives a malloc'd array of PIDs in increasing order (NULL when none); the caller
 *       free()s it.
 * @nret: receives their number (0 is not an error).
 *
 * Kernel threads (no command line) and, on the live machine, the calling process are left out.
 * Return: 0; -EINVAL @pattern empty; -ENOMEM; -errno from listing @sysroot/proc.
 */
NP_API int np_task_match(const char *sysroot, const char *pattern, pid_t **ret, size_t *nret);

/* === end numastat === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_NUMASTAT_H */
