/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stat.h - what cli/cmd-stat.c (system-wide counters, the verb) and cli/stat-proc.c (one
 * process's memory per node, threads, NUMA faults) share.
 */
#ifndef NP_CLI_STAT_H
#define NP_CLI_STAT_H

#include <stdbool.h>
#include <sys/types.h>

#include "cli.h"

/* numastat -p's split of a process's memory, in its order */
enum stat_kind { STAT_HUGE, STAT_HEAP, STAT_STACK, STAT_PRIVATE, STAT_NKINDS };

/* one process's sample, per node column (the topology's nodes, in order) */
struct stat_proc {
	pid_t pid;
	char name[64];
	bool gone;                      /* exited or unreadable: reported once, then skipped */
	unsigned long long *kb;         /* [ncols * STAT_NKINDS] */
	unsigned int *threads;          /* [ncols] threads whose last CPU is on the node */
	unsigned long long *faults;     /* [ncols] NUMA hinting faults (task private + shared) */
	size_t nthreads;
	struct np_task_numastat *numa;  /* NULL until read */
	unsigned long long migrated0;   /* numa_pages_migrated at the previous sample */
};

/* the node columns every table shares: the topology's nodes */
struct stat_cols {
	unsigned int n;
	unsigned int *id;
};

/*
 * stat_procs_resolve() - the processes @args name: PIDs as they are, other words as numastat -p
 * patterns (command lines holding them).  Prints "no process matches 'NAME'" and the like for
 * each that finds none.  Return: the number of failures (0: all found), or -ENOMEM.
 */
int stat_procs_resolve(const char *sysroot, char **args, int nargs, struct stat_proc **ret,
		       size_t *nret);
void stat_procs_free(struct stat_proc *p, size_t n);

/* stat_proc_sample() - a new sample of @p; prints why it failed (process gone) and returns
 * -errno then (p->gone set). */
int stat_proc_sample(struct cli_ctx *ctx, const struct stat_cols *cols, struct stat_proc *p);
/* the sample as numastat -p's table plus the rows beyond it; @interval > 0: a rate of
 * migrated pages too */
void stat_proc_print(const struct stat_cols *cols, const struct stat_proc *p, double interval);
void stat_proc_json(struct json *j, const struct stat_cols *cols, const struct stat_proc *p,
		    double interval);

/* "                  --------------- ..." and the column header, as numastat prints them */
void stat_print_header(const struct stat_cols *cols, const char *first);
void stat_print_rule(const struct stat_cols *cols, bool full);

#endif /* NP_CLI_STAT_H */
