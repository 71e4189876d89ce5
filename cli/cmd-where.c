/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-where.c - `numaplace where PID`: where a running process is: each thread's allowed CPUs
 * and the CPU it last ran on, and its resident pages per NUMA node (anonymous, file-backed,
 * huge), from /proc/PID/numa_maps.  --watch refreshes it.
 *
 * Terminology:
 *  allowed   a thread's CPU affinity (Cpus_allowed_list)
 *  last CPU  the CPU the thread last ran on (field 39 of its stat)
 *  anon      pages of private anonymous mappings, and the copied pages of private file
 *            mappings (numa_maps marks them anon=)
 *  file      page cache pages mapped from files
 *  huge      pages of hugetlbfs mappings (transparent huge pages count as anon)
 *
 * numa_maps is read by the library (np_task_numa_maps()); the counts come from the
 * N<node>=<pages> fields times kernelpagesize_kB.  It is readable only by the process's user
 * (ptrace access), while its threads' CPUs are readable by anyone: another user's process gets
 * its threads shown, its memory said to be unknown, and exit status 1.  A kernel thread
 * (kthreadd, kworkers) has threads but no user memory at all: its numa_maps is empty, and it
 * is named as a kernel thread rather than shown as a process with 0 KiB.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "where.h"

static const struct cli_opt where_opts[] = {
	{ 'w', "watch", CLI_REQ_ARG, CLI_V_DURATION, "SECONDS", NULL,
	  "print again every SECONDS (1.5, 500ms, 2m)" },
	{ 'n', "count", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL, "with --watch, stop after N reports" },
	CLI_OPT_END,
};

const struct cli_spec spec_where = {
	.name = "where",
	.summary = "show where a process's threads run and its memory lies, per node",
	.synopsis = "[OPTIONS] PID",
	.description = "Show where process PID runs and where its memory is: each thread's allowed CPUs and\n"
		       "last CPU, and its resident pages per NUMA node (anonymous, file, huge).\n"
		       "With --json, one object per report; under --watch, one compact object per\n"
		       "line (JSON Lines).",
	.opts = where_opts,
	.flags = CLI_JSON | CLI_LIVE,
	.args_value = "pid",
};

/* the library's per-node counts by kind, as `where` and `migrate` print them */
int where_read_mem(pid_t pid, struct where_mem *ret)
{
	struct np_numa_maps *maps;
	struct where_node *n;
	int r = np_task_numa_maps(NULL, pid, &maps);

	if (r < 0)
		return r;
	n = calloc(maps->nnodes ? maps->nnodes : 1, sizeof(*n));
	if (!n) {
		np_numa_maps_free(maps);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < maps->nnodes; i++) {
		const struct np_numa_maps_node *src = &maps->node[i];

		n[i].anon_kb = src->kb[NP_PAGES_ANON];
		n[i].file_kb = src->kb[NP_PAGES_FILE];
		n[i].huge_kb = src->kb[NP_PAGES_HUGE];
		n[i].pages = src->pages[NP_PAGES_ANON] + src->pages[NP_PAGES_FILE] +
			     src->pages[NP_PAGES_HUGE];
	}
	ret->nnodes = maps->nnodes;
	ret->node = n;
	ret->mappings = maps->nmaps;
	np_numa_maps_free(maps);
	return 0;
}

void where_mem_release(struct where_mem *m)
{
	free(m->node);
	m->node = NULL;
	m->nnodes = 0;
}

struct where_thread {
	pid_t tid;
	struct np_cpuset *cpus; /* NULL when the thread went away */
	int last_cpu;
};

struct where {
	pid_t pid;
	unsigned int cpu_bits;
	size_t nthreads;
	struct where_thread *t;
	struct where_mem mem;
	int mem_err;            /* -EACCES/-EPERM: numa_maps unreadable, memory unknown */
	bool kthread;           /* a kernel thread: no user memory */
};

static void where_release(struct where *w)
{
	for (size_t i = 0; i < w->nthreads; i++)
		np_cpuset_free(w->t[i].cpus);
	free(w->t);
	w->t = NULL;
	w->nthreads = 0;
	where_mem_release(&w->mem);
}

static int pid_error(pid_t pid, int e, const char *what)
{
	if (e == -ESRCH || e == -ENOENT)
		cli_error("no process with pid '%d'", (int)pid);
	else
		cli_error_errno(e, "cannot read %s of pid '%d'", what, (int)pid);
	return e;
}

static int gather(struct where *w)
{
	pid_t *tids = NULL;
	size_t n = 0;
	int e;

	e = np_task_list(NULL, w->pid, &tids, &n);
	if (e < 0)
		return pid_error(w->pid, e, "the threads");
	w->t = calloc(n ? n : 1, sizeof(*w->t));
	if (!w->t) {
		free(tids);
		return pid_error(w->pid, -ENOMEM, "the threads");
	}
	for (size_t i = 0; i < n; i++) {
		struct where_thread *t = &w->t[w->nthreads];

		t->tid = tids[i];
		/* a thread that exits between the listing and the reads is left out */
		if (np_task_cpus_allowed(NULL, w->pid, t->tid, w->cpu_bits, &t->cpus) < 0)
			continue;
		if (np_task_last_cpu(NULL, w->pid, t->tid, &t->last_cpu) < 0)
			t->last_cpu = -1;
		w->nthreads++;
	}
	free(tids);
	/* unknown (a process gone meanwhile) reads as a user process: numa_maps says the rest */
	if (np_task_kernel_thread(NULL, w->pid, &w->kthread) < 0)
		w->kthread = false;
	if (w->kthread)
		return 0; /* no mm: numa_maps is empty, and there is nothing to be refused */
	e = where_read_mem(w->pid, &w->mem);
	w->mem_err = e == -EACCES || e == -EPERM ? e : 0;
	if (e < 0 && !w->mem_err)
		return pid_error(w->pid, e, "the memory map (numa_maps)");
	return 0;
}

static void node_total(const struct where_mem *m, struct where_node *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int i = 0; i < m->nnodes; i++) {
		sum->anon_kb += m->node[i].anon_kb;
		sum->file_kb += m->node[i].file_kb;
		sum->huge_kb += m->node[i].huge_kb;
		sum->pages += m->node[i].pages;
	}
}

static void print_text(const struct where *w)
{
	struct where_node sum;

	printf("pid %d: %zu thread%s%s\n", (int)w->pid, w->nthreads, w->nthreads == 1 ? "" : "s",
	       w->kthread ? ", a kernel thread" : "");
	printf("  %-10s %-20s %s\n", "TID", "ALLOWED CPUS", "LAST CPU");
	for (size_t i = 0; i < w->nthreads; i++) {
		char *s = NULL;

		if (np_cpuset_format_list(w->t[i].cpus, 0, &s) < 0)
			continue;
		printf("  %-10d %-20s %d\n", (int)w->t[i].tid, s, w->t[i].last_cpu);
		free(s);
	}
	if (w->mem_err) {
		printf("memory: unknown (numa_maps is not readable by this user)\n");
		return;
	}
	if (w->kthread) {
		puts("memory: none (a kernel thread has no user memory: its numa_maps is empty)");
		return;
	}
	printf("memory (KiB):\n  %-6s %12s %12s %12s %12s\n", "NODE", "ANON", "FILE", "HUGE", "TOTAL");
	for (unsigned int i = 0; i < w->mem.nnodes; i++) {
		const struct where_node *n = &w->mem.node[i];

		if (!n->pages)
			continue;
		printf("  %-6u %12llu %12llu %12llu %12llu\n", i, n->anon_kb, n->file_kb, n->huge_kb,
		       n->anon_kb + n->file_kb + n->huge_kb);
	}
	node_total(&w->mem, &sum);
	printf("  %-6s %12llu %12llu %12llu %12llu\n", "total", sum.anon_kb, sum.file_kb, sum.huge_kb,
	       sum.anon_kb + sum.file_kb + sum.huge_kb);
}

static void json_node(struct json *j, const struct where_node *n)
{
	json_uint(j, "anon_kb", n->anon_kb);
	json_uint(j, "file_kb", n->file_kb);
	json_uint(j, "huge_kb", n->huge_kb);
	json_uint(j, "total_kb", n->anon_kb + n->file_kb + n->huge_kb);
	json_uint(j, "pages", n->pages);
}

/* under --watch, one report per line (JSON Lines); alone, indented as every verb's */
static void print_json(const struct where *w, bool watch)
{
	struct where_node sum;
	struct json j;

	if (watch)
		json_init_lines(&j, stdout);
	else
		json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, "pid", w->pid);
	json_bool(&j, "kernel_thread", w->kthread);
	json_arr_begin(&j, "threads");
	for (size_t i = 0; i < w->nthreads; i++) {
		json_obj_begin(&j, NULL);
		json_int(&j, "tid", w->t[i].tid);
		json_cpuset(&j, "cpus", w->t[i].cpus);
		json_int(&j, "last_cpu", w->t[i].last_cpu);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	if (w->mem_err) {
		json_null(&j, "nodes");
		json_null(&j, "total");
		json_obj_end(&j);
		json_finish(&j);
		return;
	}
	json_arr_begin(&j, "nodes");
	for (unsigned int i = 0; i < w->mem.nnodes; i++) {
		if (!w->mem.node[i].pages)
			continue;
		json_obj_begin(&j, NULL);
		json_uint(&j, "node", i);
		json_node(&j, &w->mem.node[i]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	node_total(&w->mem, &sum);
	json_obj_begin(&j, "total");
	json_node(&j, &sum);
	json_obj_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int where_options(struct cli_ctx *ctx, double *watch, unsigned long long *count)
{
	int c, r;

	while ((c = cli_next(ctx)) != -1) {
		if (c == 'w')
			r = cli_parse_duration("--watch", ctx->optarg, watch);
		else if (c == 'n')
			r = cli_parse_count("--count", ctx->optarg, 1, ULLONG_MAX, count);
		else
			r = c < 0 ? c : CLI_USAGE;
		if (r < 0)
			return r;
		if (c == 'w' && *watch <= 0)
			return cli_usage("invalid --watch '%s': expected an interval above 0", ctx->optarg);
	}
	return 0;
}

static void sleep_for(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Why numa_maps was refused: it needs ptrace read access, which root has only with
 * CAP_SYS_PTRACE, dropped in many containers; "run as root" would send root in circles.
 */
static const char *mem_hint(int err)
{
	if (err != -EACCES && err != -EPERM)
		return "";
	return geteuid() == 0 ? " (root without CAP_SYS_PTRACE, as in a container, may not read "
				"another process's memory map)"
			      : " (another user's process: run as its user or as root)";
}

int cmd_where(struct cli_ctx *ctx)
{
	struct where w = { 0 };
	unsigned long long count = 0;
	double watch = 0;
	char **args;
	int n, r, mem_err = 0;

	r = where_options(ctx, &watch, &count);
	if (r < 0)
		return r;
	args = cli_operands(ctx, &n);
	if (n != 1)
		return cli_usage(n == 0 ? "no pid given" : "one pid expected, got '%s' too",
				 args[n > 0]);
	if (count && !watch)
		return cli_usage("--count needs --watch");
	r = cli_parse_pid("pid", args[0], &w.pid);
	if (r)
		return r;
	r = np_affinity_cpu_bits();
	if (r < 0)
		return pid_error(w.pid, r, "the CPU mask size");
	w.cpu_bits = (unsigned int)r;
	for (unsigned long long i = 0;; i++) {
		r = gather(&w);
		if (r == 0) {
			if (i && !ctx->json)
				putchar('\n');
			ctx->json ? print_json(&w, watch > 0) : print_text(&w);
			fflush(stdout);
		}
		if (r == 0 && w.mem_err && !mem_err) {
			cli_error_errno(w.mem_err, "cannot read the memory map (numa_maps) of pid '%d', "
					"shown as unknown%s", (int)w.pid, mem_hint(w.mem_err));
			mem_err = w.mem_err;
		}
		where_release(&w);
		if (r || !watch || (count && i + 1 >= count))
			break;
		sleep_for(watch);
	}
	return r ? r : mem_err;
}
