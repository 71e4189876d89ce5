/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stat-proc.c - `numaplace stat -p PID|NAME`: a process's memory per node split as numastat -p
 * splits it, where its threads run, its NUMA faults and how much of its memory is remote.
 *
 * Terminology:
 *  huge      pages of hugetlbfs mappings (numa_maps "huge"), counted at their page size
 *  heap      the mapping numa_maps marks "heap" (the brk area)
 *  stack     the mapping marked "stack" (the main thread's)
 *  private   everything else: anonymous mappings, libraries, files, shared memory (numastat's
 *            catch-all name)
 *  remote    memory on nodes where none of the process's threads last ran; the remote ratio
 *            is its share of all the process's resident memory
 *  faults    NUMA hinting faults the scheduler charged to the process per node
 *            (/proc/PID/sched, task_private + task_shared), with NUMA balancing only
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stat.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int add_proc(const char *sysroot, struct stat_proc **procs, size_t *n, pid_t pid)
{
	struct stat_proc *p;

	for (size_t i = 0; i < *n; i++)
		if ((*procs)[i].pid == pid)
			return 0;
	p = realloc(*procs, (*n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	*procs = p;
	p = &p[(*n)++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	if (np_task_comm(sysroot, pid, p->name, sizeof(p->name)) < 0)
		strcpy(p->name, "?");
	return 0;
}

/* one argument: a PID that must exist, or a pattern that must match; 1 when it does not */
static int resolve_one(const char *sysroot, const char *arg, struct stat_proc **procs,
		       size_t *n)
{
	pid_t *pids = NULL;
	size_t count = 0;
	int r;

	if (all_digits(arg)) {
		char name[64];
		pid_t pid;

		if (cli_parse_pid("pid", arg, &pid) != 0)
			return 1;
		r = np_task_comm(sysroot, pid, name, sizeof(name));
		if (r == -ESRCH) {
			cli_error("no process with pid '%s'", arg);
			return 1;
		}
		return add_proc(sysroot, procs, n, pid);
	}
	r = np_task_match(sysroot, arg, &pids, &count);
	if (r < 0) {
		cli_error_errno(r, "cannot list the processes");
		return r == -ENOMEM ? r : 1;
	}
	if (count == 0)
		cli_error("no process matches '%s'", arg);
	for (size_t i = 0; i < count && r == 0; i++)
		r = add_proc(sysroot, procs, n, pids[i]);
	free(pids);
	return r < 0 ? r : count == 0;
}

int stat_procs_resolve(const char *sysroot, char **args, int nargs, struct stat_proc **ret,
		       size_t *nret)
{
	struct stat_proc *procs = NULL;
	size_t n = 0;
	int failed = 0;

	for (int i = 0; i < nargs; i++) {
		int r = resolve_one(sysroot, args[i], &procs, &n);

		if (r < 0) {
			stat_procs_free(procs, n);
			return r;
		}
		failed += r;
	}
	*ret = procs;
	*nret = n;
	return failed;
}

static void proc_release(struct stat_proc *p)
{
	free(p->kb);
	free(p->threads);
	free(p->faults);
	np_task_numastat_free(p->numa);
	p->kb = NULL;
	p->threads = NULL;
	p->faults = NULL;
	p->numa = NULL;
}

void stat_procs_free(struct stat_proc *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		proc_release(&p[i]);
	free(p);
}

static int col_of(const struct stat_cols *cols, int node)
{
	for (unsigned int i = 0; i < cols->n; i++)
		if ((int)cols->id[i] == node)
			return (int)i;
	return -1;
}

/* numastat -p's category of a mapping: huge first (a hugetlb mapping is never heap) */
static enum stat_kind kind_of(const struct np_numa_map *mp)
{
	if (mp->kind == NP_PAGES_HUGE)
		return STAT_HUGE;
	if (mp->heap)
		return STAT_HEAP;
	if (mp->stack)
		return STAT_STACK;
	return STAT_PRIVATE;
}

static int sample_memory(const char *sysroot, const struct stat_cols *cols, struct stat_proc *p)
{
	struct np_numa_maps *m;
	int r = np_task_numa_maps(sysroot, p->pid, &m);

	if (r < 0)
		return r;
	for (size_t i = 0; i < m->nmaps; i++) {
		const struct np_numa_map *mp = &m->maps[i];
		enum stat_kind k = kind_of(mp);

		for (unsigned int node = 0; node < m->nnodes; node++) {
			int c = col_of(cols, (int)node);

			if (c >= 0)
				p->kb[(size_t)c * STAT_NKINDS + k] += mp->node_pages[node] * mp->page_kb;
		}
	}
	np_numa_maps_free(m);
	return 0;
}

static int sample_threads(struct cli_ctx *ctx, const struct stat_cols *cols, struct stat_proc *p)
{
	const struct np_topo *topo;
	pid_t *tids = NULL;
	size_t n = 0;
	int r = cli_topo(ctx, &topo);

	if (r < 0)
		return r;
	r = np_task_list(ctx->sysroot, p->pid, &tids, &n);
	if (r < 0)
		return r;
	p->nthreads = 0;
	for (size_t i = 0; i < n; i++) {
		const struct np_cpu *cpu;
		int last, c;

		/* a thread that exits between the listing and its read is left out */
		if (np_task_last_cpu(ctx->sysroot, p->pid, tids[i], &last) < 0)
			continue;
		p->nthreads++;
		cpu = np_topo_cpu(topo, (unsigned int)last);
		c = cpu ? col_of(cols, cpu->node) : -1;
		if (c >= 0)
			p->threads[c]++;
	}
	free(tids);
	return 0;
}

static void sample_faults(const struct stat_cols *cols, struct stat_proc *p)
{
	const struct np_task_numastat *t = p->numa;

	for (unsigned int node = 0; node < t->nnodes; node++) {
		int c = col_of(cols, (int)node);

		if (c >= 0)
			p->faults[c] = t->faults[node].task_private + t->faults[node].task_shared;
	}
}

static int sample(struct cli_ctx *ctx, const struct stat_cols *cols, struct stat_proc *p,
		  const char **what)
{
	int r;

	if (p->numa)
		p->migrated0 = p->numa->pages_migrated;
	proc_release(p);
	p->kb = calloc((size_t)cols->n * STAT_NKINDS + 1, sizeof(*p->kb));
	p->threads = calloc(cols->n + 1, sizeof(*p->threads));
	p->faults = calloc(cols->n + 1, sizeof(*p->faults));
	if (!p->kb || !p->threads || !p->faults)
		return -ENOMEM;
	*what = "the memory map (numa_maps)";
	r = sample_memory(ctx->sysroot, cols, p);
	if (r < 0)
		return r;
	*what = "the threads";
	r = sample_threads(ctx, cols, p);
	if (r < 0)
		return r;
	*what = "the NUMA balancing state (sched)";
	r = np_task_numastat(ctx->sysroot, p->pid, &p->numa);
	if (r < 0)
		return r;
	sample_faults(cols, p);
	return 0;
}

int stat_proc_sample(struct cli_ctx *ctx, const struct stat_cols *cols, struct stat_proc *p)
{
	const char *what = "";
	int r = sample(ctx, cols, p, &what);

	if (r == 0)
		return 0;
	if (r == -ESRCH || r == -ENOENT)
		cli_error("process %d (%s) has exited", (int)p->pid, p->name);
	else
		cli_error_errno(r, "cannot read %s of pid '%d'", what, (int)p->pid);
	p->gone = true;
	return r;
}

static unsigned long long node_kb(const struct stat_proc *p, unsigned int c)
{
	unsigned long long sum = 0;

	for (int k = 0; k < STAT_NKINDS; k++)
		sum += p->kb[(size_t)c * STAT_NKINDS + k];
	return sum;
}

/* the share of memory on nodes where no thread last ran; -1 when unknown (no thread seen) */
static double remote_ratio(const struct stat_cols *cols, const struct stat_proc *p)
{
	unsigned long long all = 0, remote = 0;
	bool any = false;

	for (unsigned int c = 0; c < cols->n; c++) {
		all += node_kb(p, c);
		if (!p->threads[c])
			remote += node_kb(p, c);
		any |= p->threads[c] != 0;
	}
	if (!any)
		return -1;
	return all ? (double)remote / (double)all : 0;
}

static const char *const kind_names[STAT_NKINDS] = { "Huge", "Heap", "Stack", "Private" };

static void print_mb_row(const struct stat_cols *cols, const struct stat_proc *p, int kind)
{
	unsigned long long total = 0;

	printf("%-16s", kind < 0 ? "Total" : kind_names[kind]);
	for (unsigned int c = 0; c < cols->n; c++) {
		unsigned long long kb = kind < 0 ? node_kb(p, c) : p->kb[(size_t)c * STAT_NKINDS + kind];

		total += kb;
		printf(" %15.2f", (double)kb / 1024);
	}
	printf(" %15.2f\n", (double)total / 1024);
}

static void print_count_row(const struct stat_cols *cols, const char *label,
			    const unsigned long long *v)
{
	unsigned long long total = 0;

	printf("%-16s", label);
	for (unsigned int c = 0; c < cols->n; c++) {
		total += v[c];
		printf(" %15llu", v[c]);
	}
	printf(" %15llu\n", total);
}

void stat_proc_print(const struct stat_cols *cols, const struct stat_proc *p, double interval)
{
	unsigned long long *threads = calloc(cols->n + 1, sizeof(*threads));
	double ratio = remote_ratio(cols, p);

	printf("\nPer-node process memory usage (in MBs) for PID %d (%s)\n", (int)p->pid, p->name);
	stat_print_header(cols, "");
	stat_print_rule(cols, false);
	for (int k = 0; k < STAT_NKINDS; k++)
		print_mb_row(cols, p, k);
	stat_print_rule(cols, true);
	print_mb_row(cols, p, -1);
	for (unsigned int c = 0; threads && c < cols->n; c++)
		threads[c] = p->threads[c];
	if (threads)
		print_count_row(cols, "Threads", threads);
	free(threads);
	if (p->numa && p->numa->balancing) {
		print_count_row(cols, "NUMA faults", p->faults);
		printf("%-16s %15llu\n", "Pages migrated", p->numa->pages_migrated);
		if (interval > 0)
			printf("%-16s %15.1f\n", "Migrated/s",
			       (double)(p->numa->pages_migrated - p->migrated0) / interval);
	}
	if (ratio >= 0)
		printf("%-16s %14.1f%%\n", "Remote", ratio * 100);
	else
		printf("%-16s %15s\n", "Remote", "unknown");
}

static void json_kinds(struct json *j, const unsigned long long *kb)
{
	static const char *const keys[STAT_NKINDS] = { "huge_kb", "heap_kb", "stack_kb",
						       "private_kb" };
	unsigned long long total = 0;

	for (int k = 0; k < STAT_NKINDS; k++) {
		json_uint(j, keys[k], kb[k]);
		total += kb[k];
	}
	json_uint(j, "total_kb", total);
}

static void json_nodes(struct json *j, const struct stat_cols *cols, const struct stat_proc *p,
		       unsigned long long *sum)
{
	bool faults = p->numa && p->numa->balancing;

	json_arr_begin(j, "nodes");
	for (unsigned int c = 0; c < cols->n; c++) {
		json_obj_begin(j, NULL);
		json_uint(j, "node", cols->id[c]);
		json_kinds(j, &p->kb[(size_t)c * STAT_NKINDS]);
		json_uint(j, "threads", p->threads[c]);
		if (faults)
			json_uint(j, "numa_faults", p->faults[c]);
		else
			json_null(j, "numa_faults");
		json_obj_end(j);
		for (int k = 0; k < STAT_NKINDS; k++)
			sum[k] += p->kb[(size_t)c * STAT_NKINDS + k];
	}
	json_arr_end(j);
}

void stat_proc_json(struct json *j, const struct stat_cols *cols, const struct stat_proc *p,
		    double interval)
{
	unsigned long long sum[STAT_NKINDS] = { 0 };
	double ratio = remote_ratio(cols, p);
	bool bal = p->numa && p->numa->balancing;

	json_obj_begin(j, NULL);
	json_int(j, "pid", p->pid);
	json_str(j, "name", p->name);
	json_nodes(j, cols, p, sum);
	json_obj_begin(j, "total");
	json_kinds(j, sum);
	json_uint(j, "threads", p->nthreads);
	json_obj_end(j);
	if (ratio >= 0)
		json_double(j, "remote_ratio", ratio);
	else
		json_null(j, "remote_ratio");
	json_bool(j, "numa_balancing", bal);
	if (bal) {
		json_uint(j, "numa_pages_migrated", p->numa->pages_migrated);
		json_int(j, "numa_preferred_node", p->numa->preferred_node);
		if (interval > 0)
			json_double(j, "migrated_per_s",
				    (double)(p->numa->pages_migrated - p->migrated0) / interval);
	}
	json_obj_end(j);
}
