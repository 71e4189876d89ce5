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
 * N<node>=<pages> fields times kernelpagesize_kB.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "where.h"

static void usage(FILE *f)
{
	fputs("Usage: numaplace where [options] PID\n\n"
	      "Show where process PID runs and where its memory is: each thread's allowed CPUs and\n"
	      "last CPU, and its resident pages per NUMA node (anonymous, file, huge).\n\n"
	      "  -w, --watch SECONDS  print again every SECONDS seconds\n"
	      "  -n, --count N        with --watch, stop after N reports\n"
	      "  -j, --json           print JSON (one object per report)\n"
	      "  -h, --help           show this help\n",
	      f);
}

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
	e = where_read_mem(w->pid, &w->mem);
	if (e < 0)
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

	printf("pid %d: %zu thread%s\n", (int)w->pid, w->nthreads, w->nthreads == 1 ? "" : "s");
	printf("  %-10s %-20s %s\n", "TID", "ALLOWED CPUS", "LAST CPU");
	for (size_t i = 0; i < w->nthreads; i++) {
		char *s = NULL;

		if (np_cpuset_format_list(w->t[i].cpus, 0, &s) < 0)
			continue;
		printf("  %-10d %-20s %d\n", (int)w->t[i].tid, s, w->t[i].last_cpu);
		free(s);
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

static void print_json(const struct where *w)
{
	struct where_node sum;
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, "pid", w->pid);
	json_arr_begin(&j, "threads");
	for (size_t i = 0; i < w->nthreads; i++) {
		json_obj_begin(&j, NULL);
		json_int(&j, "tid", w->t[i].tid);
		json_cpuset(&j, "cpus", w->t[i].cpus);
		json_int(&j, "last_cpu", w->t[i].last_cpu);
		json_obj_end(&j);
	}
	json_arr_end(&j);
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

int where_parse_pid(const char *s, pid_t *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end || errno || v <= 0 || v > INT_MAX)
		return cli_usage("invalid pid '%s': expected a positive number", s);
	*ret = (pid_t)v;
	return 0;
}

static int parse_uint(const char *s, const char *what, unsigned int min, unsigned int *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end || errno || v < min || v > 86400 * 365)
		return cli_usage("invalid %s '%s': expected a whole number of at least %u", what, s, min);
	*ret = (unsigned int)v;
	return 0;
}

int cmd_where(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct where w = { 0 };
	unsigned int watch = 0, count = 0;
	bool json = false, counted = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "w:n:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			r = parse_uint(optarg, "--watch interval", 1, &watch);
			if (r)
				return r;
			break;
		case 'n':
			r = parse_uint(optarg, "--count", 1, &count);
			if (r)
				return r;
			counted = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return CLI_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage(optind == argc ? "where: no pid given" : "where: one pid expected, got '%s' too",
				 argv[optind + (optind < argc)]);
	if (counted && !watch)
		return cli_usage("--count needs --watch");
	r = where_parse_pid(argv[optind], &w.pid);
	if (r)
		return r;
	r = np_affinity_cpu_bits();
	if (r < 0)
		return pid_error(w.pid, r, "the CPU mask size");
	w.cpu_bits = (unsigned int)r;
	for (unsigned int i = 0;; i++) {
		r = gather(&w);
		if (r == 0) {
			if (i && !json)
				putchar('\n');
			json ? print_json(&w) : print_text(&w);
			fflush(stdout);
		}
		where_release(&w);
		if (r || !watch || (counted && i + 1 >= count))
			break;
		sleep(watch);
	}
	return r;
}
