/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-stat.c - `numaplace stat`: how busy and how full each NUMA node is.  System-wide: the
 * kernel's per-node NUMA counters (as `numastat` prints them), per-node meminfo (as
 * `numastat -m`), and /proc/vmstat's NUMA balancing and migration counters.  Per process
 * (-p PID|NAME, cli/stat-proc.c): numastat -p's table and more.  --watch prints rates.
 *
 * Terminology:
 *  counter  a row of nodeN/numastat, in pages since boot: numa_hit (allocated where asked),
 *           numa_miss (allocated here though another node was asked), numa_foreign (asked
 *           here, allocated elsewhere), interleave_hit, local_node (the allocating CPU's node),
 *           other_node (another node's CPU allocated here)
 *  meminfo  a row of nodeN/meminfo, printed in MiB as numastat -m does (HugePages_* rows
 *           counted in huge pages by the kernel, times Hugepagesize)
 *  rate     a counter's change per second between two reports of --watch
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stat.h"

static const struct cli_opt stat_opts[] = {
	{ 'p', "process", CLI_REQ_ARG, CLI_V_PID, "PID|NAME", NULL,
	  "a process to report (repeatable; operands name more): a PID, or text\n"
	  "its command line holds, as numastat -p matches" },
	{ 'w', "watch", CLI_REQ_ARG, CLI_V_DURATION, "SECONDS", NULL,
	  "report again every SECONDS (1.5, 500ms, 2m), with rates per second" },
	{ 'n', "count", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL, "with --watch, stop after N reports" },
	CLI_OPT_END,
};

const struct cli_spec spec_stat = {
	.name = "stat",
	.summary = "show how busy and how full each node is, system-wide or per process",
	.synopsis = "[OPTIONS] [PID|NAME...]",
	.description =
		"Without a process: each node's NUMA allocation counters (pages, as numastat\n"
		"prints them), its memory (MiB, the rows of numastat -m, MemUsed included), and the\n"
		"kernel's NUMA balancing and migration counters (/proc/vmstat).  With processes:\n"
		"each one's memory per node split as numastat -p splits it (huge, heap, stack,\n"
		"private), its threads per node (the CPU each last ran on), its NUMA faults and\n"
		"migrated pages (with NUMA balancing), and the share of its memory on nodes where\n"
		"none of its threads ran (Remote).  --watch adds rates per second and a timestamp;\n"
		"with --json, --watch prints one compact object per line (JSON Lines).",
	.opts = stat_opts,
	.footer = "Exit status: 1 when a process is not found, cannot be read or exits during\n"
		  "--watch; the others are still reported.",
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_HMAT | NP_TOPO_NO_LIMITS,
	.args_value = "pid",
};

struct stat_opts {
	double watch;
	unsigned long long count;
	char **procs;
	int nprocs;
};

void stat_print_header(const struct stat_cols *cols, const char *first)
{
	char name[32];

	printf("%-16s", first);
	for (unsigned int c = 0; c < cols->n; c++) {
		snprintf(name, sizeof(name), "Node %u", cols->id[c]);
		printf(" %15s", name);
	}
	printf(" %15s\n", "Total");
}

void stat_print_rule(const struct stat_cols *cols, bool full)
{
	printf("%-16s", full ? "----------------" : "");
	for (unsigned int c = 0; c <= cols->n; c++)
		printf(" ---------------");
	putchar('\n');
}

/* the columns of a per-process report: the topology's nodes */
static int cols_of_topo(struct cli_ctx *ctx, struct stat_cols *cols)
{
	const struct np_topo *topo;
	int r = cli_topo(ctx, &topo);
	unsigned int n;

	if (r < 0)
		return r;
	n = np_topo_node_count(topo);
	cols->id = calloc(n + 1, sizeof(*cols->id));
	if (!cols->id)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		cols->id[i] = np_topo_node(topo, i)->id;
	cols->n = n;
	return 0;
}

static int stat_options(struct cli_ctx *ctx, struct stat_opts *o)
{
	int c, r;

	while ((c = cli_next(ctx)) != -1) {
		if (c == 'p') {
			r = 0;
			o->procs[o->nprocs++] = (char *)ctx->optarg;
		} else if (c == 'w') {
			r = cli_parse_duration("--watch", ctx->optarg, &o->watch);
		} else if (c == 'n') {
			r = cli_parse_count("--count", ctx->optarg, 1, ULLONG_MAX, &o->count);
		} else {
			r = c < 0 ? c : CLI_USAGE;
		}
		if (r < 0)
			return r;
		if (c == 'w' && o->watch <= 0)
			return cli_usage("invalid --watch '%s': expected an interval above 0",
					 ctx->optarg);
	}
	if (o->count && !o->watch)
		return cli_usage("--count needs --watch");
	return 0;
}

static void timestamp(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void sleep_for(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- system-wide ---- */

/* @name's value on node column @c of @s, or of its meminfo when @mem */
static bool node_value(const struct np_node_stat *n, bool mem, const char *name,
		       unsigned long long *v)
{
	return np_stat_find(mem ? n->meminfo : n->counters, mem ? n->nmeminfo : n->ncounters, name,
			    v) == 0;
}

/* numastat -m's MiB of a meminfo row: KiB, or huge pages times Hugepagesize */
static double row_mib(const struct np_numastat *s, const char *name, unsigned long long v)
{
	if (strncmp(name, "HugePages_", 10) == 0)
		return (double)v * (double)s->hugepage_kb / 1024;
	return (double)v / 1024;
}

/*
 * One table: @first's rows in its order (node 0's file; a row another node lacks prints as
 * 0).  @prev and @interval: rates per second instead of values.
 */
static void print_table(const struct np_numastat *s, const struct np_numastat *prev,
			double interval, bool mem)
{
	const struct np_node_stat *first = &s->nodes[0];
	size_t nrows = mem ? first->nmeminfo : first->ncounters;

	for (size_t i = 0; i < nrows; i++) {
		const char *name = (mem ? first->meminfo : first->counters)[i].name;
		double total = 0;

		printf("%-16s", name);
		for (size_t c = 0; c < s->nnodes; c++) {
			unsigned long long v = 0, v0 = 0;
			double x;

			node_value(&s->nodes[c], mem, name, &v);
			if (prev && c < prev->nnodes)
				node_value(&prev->nodes[c], mem, name, &v0);
			x = mem ? row_mib(s, name, v) : (double)v;
			if (prev)
				x = (x - (mem ? row_mib(s, name, v0) : (double)v0)) / interval;
			total += x;
			printf(mem || prev ? " %15.2f" : " %15.0f", x);
		}
		printf(mem || prev ? " %15.2f\n" : " %15.0f\n", total);
	}
}

static void print_vmstat(const struct np_numastat *s, const struct np_numastat *prev,
			 double interval)
{
	for (size_t i = 0; i < s->nvmstat; i++) {
		const struct np_stat_value *v = &s->vmstat[i];
		unsigned long long v0 = 0;

		if (!prev) {
			printf("%-24s %15llu\n", v->name, v->value);
			continue;
		}
		np_stat_find(prev->vmstat, prev->nvmstat, v->name, &v0);
		printf("%-24s %15.2f\n", v->name, (double)(v->value - v0) / interval);
	}
}

static void print_system(const struct np_numastat *s, const struct np_numastat *prev,
			 double interval, const char *when)
{
	struct stat_cols cols = { (unsigned int)s->nnodes, NULL };
	unsigned int *ids = calloc(s->nnodes + 1, sizeof(*ids));

	if (!ids)
		return;
	for (size_t i = 0; i < s->nnodes; i++)
		ids[i] = s->nodes[i].node;
	cols.id = ids;
	if (when)
		printf("%s\n", when);
	printf(prev ? "Per-node numastat rates (pages/s):\n" : "Per-node numastat info (pages):\n");
	stat_print_header(&cols, "");
	stat_print_rule(&cols, false);
	print_table(s, prev, interval, false);
	if (!prev && s->nodes[0].nmeminfo) {
		printf("\nPer-node system memory usage (in MBs):\n");
		stat_print_header(&cols, "");
		stat_print_rule(&cols, false);
		print_table(s, NULL, 0, true);
	}
	if (s->nvmstat) {
		printf(prev ? "\nNUMA counters of /proc/vmstat (per second):\n"
			    : "\nNUMA counters of /proc/vmstat (since boot):\n");
		print_vmstat(s, prev, interval);
	}
	free(ids);
}

static void json_rows(struct json *j, const char *key, const struct np_stat_value *v, size_t n,
		      const struct np_stat_value *v0, size_t n0, double interval)
{
	json_obj_begin(j, key);
	for (size_t i = 0; i < n; i++) {
		unsigned long long old = 0;

		if (!v0) {
			json_uint(j, v[i].name, v[i].value);
			continue;
		}
		np_stat_find(v0, n0, v[i].name, &old);
		json_double(j, v[i].name, ((double)v[i].value - (double)old) / interval);
	}
	json_obj_end(j);
}

static const struct np_node_stat *node_in(const struct np_numastat *s, unsigned int node)
{
	for (size_t i = 0; s && i < s->nnodes; i++)
		if (s->nodes[i].node == node)
			return &s->nodes[i];
	return NULL;
}

static void json_system(struct json *j, const struct np_numastat *s,
			const struct np_numastat *prev, double interval)
{
	json_uint(j, "hugepage_kb", s->hugepage_kb);
	json_arr_begin(j, "nodes");
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct np_node_stat *n = &s->nodes[i], *p = node_in(prev, n->node);

		json_obj_begin(j, NULL);
		json_uint(j, "node", n->node);
		json_rows(j, "counters", n->counters, n->ncounters, NULL, 0, 0);
		json_rows(j, "meminfo", n->meminfo, n->nmeminfo, NULL, 0, 0);
		if (p)
			json_rows(j, "rates", n->counters, n->ncounters, p->counters, p->ncounters,
				  interval);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_rows(j, "vmstat", s->vmstat, s->nvmstat, NULL, 0, 0);
	if (prev)
		json_rows(j, "vmstat_rates", s->vmstat, s->nvmstat, prev->vmstat, prev->nvmstat,
			  interval);
}

/* ---- the report loop ---- */

struct stat_run {
	struct cli_ctx *ctx;
	struct stat_cols cols;
	struct stat_proc *procs;
	size_t nprocs;
	struct np_numastat *sys, *prev;
	int failed;
	const char *named; /* --sysroot as given, for messages; ctx->sysroot is where it is read */
};

/* sample every process still there; true while one is */
static bool sample_procs(struct stat_run *st)
{
	bool any = false;

	for (size_t i = 0; i < st->nprocs; i++) {
		if (st->procs[i].gone)
			continue;
		if (stat_proc_sample(st->ctx, &st->cols, &st->procs[i]) < 0)
			st->failed++;
		else
			any = true;
	}
	return any;
}

/* under --watch, one report per line (JSON Lines); alone, indented as every verb's */
static void report_json(struct stat_run *st, const char *when, double interval, bool watch)
{
	struct json j;

	if (watch)
		json_init_lines(&j, stdout);
	else
		json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "time", when);
	if (interval > 0)
		json_double(&j, "interval_s", interval);
	if (st->procs) {
		json_arr_begin(&j, "processes");
		for (size_t i = 0; i < st->nprocs; i++)
			if (!st->procs[i].gone)
				stat_proc_json(&j, &st->cols, &st->procs[i], interval);
		json_arr_end(&j);
	} else {
		json_system(&j, st->sys, st->prev, interval);
	}
	json_obj_end(&j);
	json_finish(&j);
}

static void report_text(struct stat_run *st, const char *when, double interval)
{
	if (!st->procs) {
		print_system(st->sys, st->prev, interval, when);
		return;
	}
	if (when)
		printf("%s\n", when);
	for (size_t i = 0; i < st->nprocs; i++)
		if (!st->procs[i].gone)
			stat_proc_print(&st->cols, &st->procs[i], interval);
}

/* one report; @interval 0 the first; false when there is nothing left to report on */
static int report(struct stat_run *st, double watch, double interval)
{
	char when[32] = "";
	int r;

	timestamp(when, sizeof(when));
	if (st->procs) {
		if (!sample_procs(st))
			return -ESRCH;
	} else {
		np_numastat_free(st->prev);
		st->prev = interval > 0 ? st->sys : NULL;
		if (!st->prev)
			np_numastat_free(st->sys);
		st->sys = NULL;
		r = np_numastat_load(st->ctx->sysroot, &st->sys);
		if (r < 0) {
			if (r == -ENODEV)
				cli_error("no NUMA nodes in '%s' (no sys/devices/system/node/node*)",
					  st->named ? st->named : "/");
			else if (st->named)
				cli_error_errno(r, "cannot read the NUMA counters of '%s'", st->named);
			else
				cli_error_errno(r, "cannot read the NUMA counters");
			return r;
		}
	}
	if (st->ctx->json)
		report_json(st, when, interval, watch > 0);
	else
		report_text(st, watch ? when : NULL, interval);
	fflush(stdout);
	return 0;
}

static int stat_loop(struct stat_run *st, const struct stat_opts *o)
{
	int r = 0;

	for (unsigned long long i = 0;; i++) {
		r = report(st, o->watch, i ? o->watch : 0);
		if (r < 0 || !o->watch || (o->count && i + 1 >= o->count))
			break;
		if (!st->ctx->json && !st->procs)
			putchar('\n');
		sleep_for(o->watch);
	}
	/* every process gone was reported as it went; that failure is counted */
	return r == -ESRCH && st->failed ? 0 : r;
}

int cmd_stat(struct cli_ctx *ctx)
{
	struct stat_opts o = { 0 };
	struct stat_run st = { .ctx = ctx };
	char **args;
	int n, r;

	o.procs = calloc((size_t)ctx->argc + 1, sizeof(*o.procs));
	if (!o.procs)
		return -ENOMEM;
	r = stat_options(ctx, &o);
	if (r < 0)
		goto free_opts;
	/* a packed capture, as topo takes it: every read below is of where it unpacks */
	st.named = ctx->sysroot;
	r = cli_sysroot_dir(st.named, &ctx->sysroot);
	if (r < 0) {
		cli_topo_error(st.named, r);
		goto free_opts;
	}
	args = cli_operands(ctx, &n);
	for (int i = 0; i < n; i++)
		o.procs[o.nprocs++] = args[i];
	if (o.nprocs) {
		r = cols_of_topo(ctx, &st.cols);
		if (r < 0)
			goto free_opts;
		r = stat_procs_resolve(ctx->sysroot, o.procs, o.nprocs, &st.procs, &st.nprocs);
		if (r < 0)
			goto free_run;
		st.failed = r;
		r = st.nprocs ? stat_loop(&st, &o) : 0;
	} else {
		r = stat_loop(&st, &o);
	}
	if (r == 0 && st.failed)
		r = -ESRCH;
free_run:
	stat_procs_free(st.procs, st.nprocs);
	free(st.cols.id);
	np_numastat_free(st.sys);
	np_numastat_free(st.prev);
free_opts:
	free(o.procs);
	return r;
}
