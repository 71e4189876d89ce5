/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-affinity.c - the two sub-commands that show placement on one thread: `bench affinity`
 * (a compute loop unpinned and pinned, with or without a competing load) and `bench
 * local-remote` (a matrix filled in column order with its memory local and remote).
 *
 * Terminology:
 *  mode    one way of running the compute loop: unpinned or pinned, with or without noise.
 *  noise   a child process spinning on the pinned CPU, competing for it.
 *  side    the number of rows (and columns) of the square matrix local-remote fills.
 *  remote  the node holding the matrix when it is not the CPU's own: by default the nearest
 *          other memory node by SLIT distance.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "bench.h"
#include "bench-isolated.h"

/* ---- bench affinity ---- */

struct aff_args {
	uint64_t iterations, trials;
	const char *cpu_arg;      /* --cpu as given */
	const char *isolated;     /* --isolated NAME */
	const char *svg;          /* --svg FILE (with --isolated) */
	int cpu;
	bool noise, json;
};

struct aff_row {
	bool pinned, noise;
	double *secs;
	long long migrations, nivcsw, nvcsw; /* sums over trials; migrations -1 unknown */
	double wait_s;
};

static const struct cli_opt affinity_opts[] = {
	{ 'n', "iterations", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL, "increments per trial [1000000000]" },
	{ OPT_TRIALS, "trials", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL, "trials per mode [5]" },
	{ OPT_CPU, "cpu", CLI_REQ_ARG, CLI_V_CPUS, "CPU", NULL,
	  "the CPU to pin to [the last CPU allowed]" },
	{ OPT_NOISE, "noise", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "also run with a competing spinning process on that CPU" },
	{ OPT_ISOLATED, "isolated", CLI_REQ_ARG, CLI_V_TEXT, "NAME", NULL,
	  "instead: per-iteration times unpinned, pinned, and\npinned inside the partition NAME "
	  "(numaplace\nisolate), each beside the same background load" },
	BENCH_OPT_SVG("percentiles (with --isolated)"),
	BENCH_OPT_QUIET,
	CLI_OPT_END,
};

const struct cli_spec spec_bench_affinity = {
	.name = "bench affinity",
	.summary = "a compute loop unpinned vs pinned, with or without noise",
	.description =
		"What pinning buys a CPU-bound thread: a loop of 10^9 increments run N times left to\n"
		"the scheduler, then N times pinned to one CPU.  For each: the mean, minimum and\n"
		"standard deviation of the time, and the CPU migrations, involuntary context switches\n"
		"and time spent waiting for a CPU.",
	.opts = affinity_opts,
	.flags = CLI_JSON | CLI_LIVE,
};

/* the end of both verbs' options: no operands, and --cpu (when given) naming one CPU */
static int no_operands_cpu(struct cli_ctx *ctx, const char *arg, int *cpu)
{
	int r = bench_no_operands(ctx);

	if (r == 0 && arg)
		r = bench_one(ctx, "--cpu", arg, false, cpu);
	return r;
}

static int affinity_parse(struct cli_ctx *ctx, struct aff_args *a)
{
	int c, r;

	*a = (struct aff_args){ .iterations = 1000000000ull, .trials = 5, .cpu = -1 };
	while ((c = cli_next(ctx)) != -1) {
		r = 0;
		switch (c) {
		case 'n':
			r = bench_count_opt("--iterations", ctx->optarg, UINT64_MAX, &a->iterations);
			break;
		case OPT_TRIALS:
			r = bench_count_opt("--trials", ctx->optarg, 100000, &a->trials);
			break;
		case OPT_CPU: a->cpu_arg = ctx->optarg; break;
		case OPT_NOISE: a->noise = true; break;
		case OPT_ISOLATED: a->isolated = ctx->optarg; break;
		case OPT_SVG: a->svg = ctx->optarg; break;
		case OPT_QUIET: bench_quiet = true; break;
		default: return c; /* CLI_HELP, CLI_USAGE */
		}
		if (r)
			return r;
	}
	a->json = ctx->json;
	if (a->svg && !a->isolated)
		return cli_usage("--svg goes with --isolated");
	return no_operands_cpu(ctx, a->cpu_arg, &a->cpu);
}

static int affinity_row(struct aff_row *row, const struct aff_args *a)
{
	pid_t noise = 0;
	int r = 0;

	row->migrations = 0;
	if (row->noise) {
		r = np_bench_noise_start(a->cpu, &noise);
		if (r < 0) {
			cli_error_errno(r, "cannot start the competing load on cpu %d",
					a->cpu);
			return r;
		}
	}
	for (unsigned int t = 0; r == 0 && t < a->trials; t++) {
		struct np_bench_spin s;

		bench_progress("%s%s, trial %u/%llu", row->pinned ? "pinned" : "unpinned",
			       row->noise ? " with noise" : "", t + 1, (unsigned long long)a->trials);
		r = np_bench_spin(row->pinned ? a->cpu : -1, a->iterations, &s);
		if (r < 0) {
			cli_error_errno(r, "compute loop on cpu %d", a->cpu);
			break;
		}
		row->secs[t] = s.seconds;
		row->migrations = s.migrations < 0 || row->migrations < 0 ? -1
									  : row->migrations + s.migrations;
		row->nivcsw += s.nivcsw;
		row->nvcsw += s.nvcsw;
		row->wait_s += s.wait_seconds;
	}
	if (noise)
		np_bench_noise_stop(noise);
	return r;
}

static void affinity_print(const struct aff_row *rows, unsigned int n, const struct aff_args *a)
{
	unsigned int t = (unsigned int)a->trials;

	printf("Compute loop: %llu increments, %llu trials per mode, pinned to cpu %d\n",
	       (unsigned long long)a->iterations, (unsigned long long)a->trials, a->cpu);
	printf("  %-18s %9s %9s %9s %11s %12s %9s\n", "mode", "mean s", "min s", "stddev s",
	       "migrations", "invol. cs", "wait s");
	for (unsigned int i = 0; i < n; i++) {
		const struct aff_row *r = &rows[i];
		char mode[32], mig[24];

		snprintf(mode, sizeof(mode), "%s%s", r->pinned ? "pinned" : "unpinned",
			 r->noise ? " + noise" : "");
		if (r->migrations < 0)
			snprintf(mig, sizeof(mig), "?");
		else
			snprintf(mig, sizeof(mig), "%lld", r->migrations);
		printf("  %-18s %9.4f %9.4f %9.4f %11s %12lld %9.4f\n", mode, bench_mean(r->secs, t),
		       bench_min(r->secs, t), bench_stddev(r->secs, t), mig, r->nivcsw, r->wait_s);
	}
	printf("(migrations, involuntary context switches and wait are totals over the trials)\n");
}

static void affinity_json(const struct aff_row *rows, unsigned int n, const struct aff_args *a)
{
	unsigned int t = (unsigned int)a->trials;
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "iterations", a->iterations);
	json_uint(&j, "trials", a->trials);
	json_int(&j, "cpu", a->cpu);
	json_arr_begin(&j, "modes");
	for (unsigned int i = 0; i < n; i++) {
		json_obj_begin(&j, NULL);
		json_bool(&j, "pinned", rows[i].pinned);
		json_bool(&j, "noise", rows[i].noise);
		json_double(&j, "seconds_mean", bench_mean(rows[i].secs, t));
		json_double(&j, "seconds_min", bench_min(rows[i].secs, t));
		json_double(&j, "seconds_stddev", bench_stddev(rows[i].secs, t));
		if (rows[i].migrations >= 0)
			json_int(&j, "migrations", rows[i].migrations);
		else
			json_null(&j, "migrations");
		json_int(&j, "involuntary_switches", rows[i].nivcsw);
		json_int(&j, "voluntary_switches", rows[i].nvcsw);
		json_double(&j, "wait_seconds", rows[i].wait_s);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/* the modes: unpinned, pinned, then both again with noise when there are 4 */
static int affinity_rows(struct aff_row *rows, unsigned int n, const struct aff_args *a)
{
	for (unsigned int i = 0; i < n; i++) {
		rows[i].pinned = i % 2;
		rows[i].noise = i >= 2;
		rows[i].secs = calloc(a->trials, sizeof(double));
		if (!rows[i].secs)
			return -ENOMEM;
	}
	return 0;
}

/* --cpu, by default the last (or first) usable CPU; a usage error when it is not usable */
static int usable_cpu(const struct np_topo *topo, const char *arg, int *cpu, bool last)
{
	const struct np_cpuset *usable = np_topo_allowed_cpus(topo);

	if (*cpu < 0)
		*cpu = last ? np_cpuset_last(usable) : np_cpuset_first(usable);
	if (np_cpuset_isset(usable, (unsigned int)*cpu))
		return 0;
	return cli_usage("invalid --cpu '%s': cpu %d is not one this process may use",
			 arg ? arg : "", *cpu);
}

/* --isolated NAME: the partition's first CPU, the load sized to what this process may use */
static int affinity_isolated(const struct cli_ctx *ctx, const struct np_topo *topo,
			     const struct aff_args *a)
{
	struct iso_bench b = { .name = a->isolated, .cpus = { -1, a->cpu, -1 } };
	struct np_cpuset *part;
	int r;

	b.iterations = a->iterations / 100000 ? (size_t)(a->iterations / 100000) : 1;
	b.load = np_cpuset_weight(np_topo_allowed_cpus(topo));
	if ((r = np_cpuset_new(8192, &part)) < 0)
		return r;
	r = np_isolate_cgroup(NULL, a->isolated, part, NULL);
	if (r == 0 && np_cpuset_empty(part))
		r = -ENOENT;
	if (r < 0)
		cli_error("no isolated partition '%s' (numaplace isolate CPUS --name %s makes one)",
			  a->isolated, a->isolated);
	else
		b.cpus[2] = np_cpuset_first(part);
	np_cpuset_free(part);
	return r < 0 ? r : bench_isolated(ctx, &b, a->svg);
}

int bench_affinity(struct cli_ctx *ctx)
{
	struct aff_row rows[4] = { { 0 } };
	const struct np_topo *topo = NULL;
	struct aff_args a;
	unsigned int n;
	int r;

	r = affinity_parse(ctx, &a);
	if (r == 0)
		r = cli_topo(ctx, &topo);
	if (r == 0)
		r = usable_cpu(topo, a.cpu_arg, &a.cpu, true);
	if (r)
		return r;
	if (a.isolated)
		return affinity_isolated(ctx, topo, &a);
	n = a.noise ? 4 : 2;
	r = affinity_rows(rows, n, &a);
	for (unsigned int i = 0; r == 0 && i < n; i++)
		r = affinity_row(&rows[i], &a);
	if (r == 0 && a.json)
		affinity_json(rows, n, &a);
	else if (r == 0)
		affinity_print(rows, n, &a);
	else if (r == -ENOMEM)
		cli_error_errno(r, "cannot record the trials");
	for (unsigned int i = 0; i < n; i++)
		free(rows[i].secs);
	return r;
}

/* ---- bench local-remote ---- */

struct lr_args {
	uint64_t side, trials;
	const char *cpu_arg, *remote_arg; /* --cpu, --remote as given */
	int cpu, remote;
	bool json;
};

static const struct cli_opt local_remote_opts[] = {
	{ 'n', "side", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "rows (and columns) of the matrix [2000]" },
	{ OPT_TRIALS, "trials", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "fills per placement, the fastest is kept [5]" },
	{ OPT_CPU, "cpu", CLI_REQ_ARG, CLI_V_CPUS, "CPU", NULL,
	  "the CPU to run on [the first CPU allowed]" },
	{ OPT_REMOTE, "remote", CLI_REQ_ARG, CLI_V_NODES, "NODE", NULL,
	  "the remote node [the nearest other node with memory]" },
	CLI_OPT_END,
};

const struct cli_spec spec_bench_local_remote = {
	.name = "bench local-remote",
	.summary = "column-order fill, memory local vs remote",
	.description =
		"What remote memory costs: fill a 2000 x 2000 int matrix in column order (a row's\n"
		"stride per store) with the matrix on the CPU's node and on a remote node; the\n"
		"remote / local time ratio.  With one node holding memory there is no remote node:\n"
		"the local figure is printed, the remote one is reported unavailable, exit status 0.",
	.opts = local_remote_opts,
	.flags = CLI_JSON | CLI_LIVE,
};

static int local_remote_parse(struct cli_ctx *ctx, struct lr_args *a)
{
	int c, r;

	*a = (struct lr_args){ .side = 2000, .trials = 5, .cpu = -1, .remote = -1 };
	while ((c = cli_next(ctx)) != -1) {
		switch (c) {
		case 'n':
			r = bench_count_opt("--side", ctx->optarg, 65535, &a->side);
			break;
		case OPT_TRIALS:
			r = bench_count_opt("--trials", ctx->optarg, 10000, &a->trials);
			break;
		case OPT_CPU: a->cpu_arg = ctx->optarg; continue;
		case OPT_REMOTE: a->remote_arg = ctx->optarg; continue;
		default: return c; /* CLI_HELP, CLI_USAGE */
		}
		if (r)
			return r;
	}
	a->json = ctx->json;
	r = no_operands_cpu(ctx, a->cpu_arg, &a->cpu);
	if (r == 0 && a->remote_arg)
		r = bench_one(ctx, "--remote", a->remote_arg, true, &a->remote);
	return r;
}

/* the nearest other memory node (by SLIT distance, then id), or -1 */
static int nearest_remote(const struct np_topo *topo, int local)
{
	int best = -1, best_d = 0;

	for (unsigned int i = 0; i < np_topo_obj_count(topo, NP_OBJ_NODE); i++) {
		int id = np_topo_obj(topo, NP_OBJ_NODE, i)->os_index;
		int d = bench_distance(topo, local, id);

		if (id == local || !bench_node_has_memory(topo, id))
			continue;
		if (d < 0)
			d = 1000;
		if (best < 0 || d < best_d) {
			best = id;
			best_d = d;
		}
	}
	return best;
}

/* --remote, by default the nearest; a usage error when it is not another memory node */
static int remote_node(const struct np_topo *topo, int local, const char *arg, int *remote)
{
	if (*remote < 0) {
		*remote = nearest_remote(topo, local);
		return 0;
	}
	if (*remote != local && bench_node_has_memory(topo, *remote))
		return 0;
	return cli_usage("invalid --remote '%s': %s", arg,
			 *remote == local ? "that is the CPU's own node"
					  : "not a node with memory this process may use");
}

static void local_remote_print(const struct lr_args *a, int local, double tl, int remote,
			       double tr)
{
	printf("Column-order fill of a %llu x %llu int matrix from cpu %d, fastest of %llu\n",
	       (unsigned long long)a->side, (unsigned long long)a->side, a->cpu,
	       (unsigned long long)a->trials);
	printf("  local  (node %d): %.3f ms\n", local, tl * 1e3);
	if (remote >= 0)
		printf("  remote (node %d): %.3f ms\n  ratio remote/local: %.2f\n", remote, tr * 1e3,
		       tr / tl);
	else
		printf("  remote: unavailable: no other node with memory on this machine\n");
}

static void local_remote_json(const struct lr_args *a, int local, double tl, int remote,
			      double tr)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "n", a->side);
	json_uint(&j, "trials", a->trials);
	json_int(&j, "cpu", a->cpu);
	json_int(&j, "local_node", local);
	json_double(&j, "local_seconds", tl);
	if (remote >= 0) {
		json_int(&j, "remote_node", remote);
		json_double(&j, "remote_seconds", tr);
		json_double(&j, "ratio", tr / tl);
	} else {
		json_null(&j, "remote_node");
		json_null(&j, "remote_seconds");
		json_null(&j, "ratio");
		json_str(&j, "remote_unavailable", "no other node with memory");
	}
	json_obj_end(&j);
	json_finish(&j);
}

int bench_local_remote(struct cli_ctx *ctx)
{
	const struct np_topo *topo = NULL;
	struct lr_args a;
	double tl = NAN, tr = NAN;
	int r, local = -1;

	r = local_remote_parse(ctx, &a);
	if (r == 0)
		r = cli_topo(ctx, &topo);
	if (r == 0)
		r = usable_cpu(topo, a.cpu_arg, &a.cpu, false);
	if (r == 0) {
		local = bench_cpu_node(topo, a.cpu);
		r = local < 0 ? cli_usage("invalid --cpu '%s': cpu %d is on no NUMA node", a.cpu_arg,
					  a.cpu)
			      : remote_node(topo, local, a.remote_arg, &a.remote);
	}
	if (r)
		return r;
	r = np_bench_colfill(a.cpu, local, (unsigned int)a.side, (unsigned int)a.trials, &tl);
	if (r == 0 && a.remote >= 0)
		r = np_bench_colfill(a.cpu, a.remote, (unsigned int)a.side, (unsigned int)a.trials,
				     &tr);
	if (r < 0) {
		cli_error_errno(r, "fill from cpu %d", a.cpu);
		return r;
	}
	if (a.json)
		local_remote_json(&a, local, tl, a.remote, tr);
	else
		local_remote_print(&a, local, tl, a.remote, tr);
	return 0;
}
