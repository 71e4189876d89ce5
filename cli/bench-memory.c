/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-memory.c - `numaplace bench memory`: idle latency and bandwidth from every node with
 * usable CPUs to every memory node, measured cell by cell (bench-memory-report.c prints them).
 *
 * Terminology:
 *  cpu node  a NUMA node with CPUs this process may use: a row of the matrix.
 *  mem node  a NUMA node with memory this process may use: a column (memory-only nodes too).
 *  cell      one (cpu node, mem node) pair; "-" where the mem node lacks the free memory.
 *  reference a row's available cell nearest by SLIT distance (its local node): the
 *            denominator of the row's latency ratios.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define DEFAULT_SIZE GiB
#define QUICK_MIN_SIZE (64 * MiB)
/* --quick keeps its promise of seconds on any machine: a VM that reports a 260 MiB L3 made the
 * 4x-LLC buffer 1 GiB and the run 21 s.  Past this size quick latency may include cache hits. */
#define QUICK_MAX_SIZE (128 * MiB)

static const struct cli_opt memory_opts[] = {
	{ 's', "size", CLI_REQ_ARG, CLI_V_SIZE, "SIZE", NULL,
	  "buffer: the chase, and the bandwidth working set of all\n"
	  "arrays and threads [1g; at least 4x the last-level caches]" },
	{ 't', "threads", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "bandwidth threads per CPU node [all its CPUs]" },
	{ 'k', "kernel", CLI_REQ_ARG, CLI_V_CHOICE, "LIST", "read, copy, triad",
	  "bandwidth kernels: read,copy,triad [all]" },
	{ OPT_LATENCY_ONLY, "latency-only", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "measure latency only" },
	{ OPT_BANDWIDTH_ONLY, "bandwidth-only", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "measure bandwidth only" },
	{ 'H', "hugepages", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "transparent huge pages (madvise) instead of 4 KiB pages" },
	{ 'b', "random-block", CLI_REQ_ARG, CLI_V_SIZE, "SIZE", NULL,
	  "random order inside blocks of SIZE, blocks in order\n"
	  "(bounds TLB misses) [whole buffer]" },
	{ OPT_TRIALS, "trials", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL, "latency trials [5]" },
	{ OPT_LOADS, "loads", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "loads per latency trial [10000000]" },
	{ OPT_REPS, "reps", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "bandwidth repetitions counted, after one untimed [10]" },
	{ 'q', "quick", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "a run of a few seconds: a buffer of 64-128 MiB, fewer\n"
	  "loads, trials and repetitions (figures are rougher)" },
	BENCH_OPT_QUIET,
	BENCH_OPT_SVG("matrices"),
	CLI_OPT_END,
};

const struct cli_spec spec_bench_memory = {
	.name = "bench memory",
	.summary = "latency and bandwidth, cpu node x memory node, vs the SLIT",
	.description = "Idle latency and bandwidth from every CPU node (rows) to every memory node\n"
		       "(columns), with the firmware's SLIT distance beside the measured latency ratio.",
	.opts = memory_opts,
	.footer = "SIZE: bytes, or with a k, m, g or t suffix (KiB, MiB, GiB, TiB).\n"
		  "Bandwidth is in MB/s with MB = 10^6 bytes, bytes counted as STREAM counts them\n"
		  "(read 8, copy 16, triad 24 bytes per element; write-allocate traffic not counted).\n"
		  "Each repetition runs from a barrier to the slowest thread: the best and the average\n"
		  "are printed; --json adds mb_per_s_sustained, each thread's own time summed over the\n"
		  "repetitions as likwid-bench counts it.",
	.flags = CLI_JSON | CLI_LIVE,
};

static int parse_kernels(struct mem_args *a, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	memset(a->kernel, 0, sizeof(a->kernel));
	for (tok = strtok_r(copy, ",", &save); tok && r == 0; tok = strtok_r(NULL, ",", &save)) {
		int k;

		for (k = 0; k < NP_BENCH_NKERNELS; k++)
			if (strcmp(tok, np_bench_kernel_name((enum np_bench_kernel)k)) == 0)
				break;
		if (k == NP_BENCH_NKERNELS)
			r = -EINVAL;
		else
			a->kernel[k] = true;
	}
	free(copy);
	if (r == 0 && !a->kernel[0] && !a->kernel[1] && !a->kernel[2])
		r = -EINVAL;
	return r;
}

/* the options that take a value */
static int memory_value_opt(int c, const char *val, struct mem_args *a)
{
	uint64_t v;
	int r = 0;

	switch (c) {
	case 's':
		return bench_size_opt("--size", val, 4096, &a->o.size);
	case 'b':
		r = bench_size_opt("--random-block", val, 1, &v);
		if (r == 0 && v % 64)
			return cli_usage("invalid --random-block '%s': expected a multiple of 64 bytes "
					 "(whole cache lines)", val);
		a->o.random_block = (size_t)v;
		return r;
	case 'k':
		if (parse_kernels(a, val) == 0)
			return 0;
		return cli_usage("invalid --kernel '%s': expected read, copy or triad, or a list "
				 "of them (read,triad)", val);
	case 't':
		r = bench_count_opt("--threads", val, 1000000, &v);
		a->threads = (unsigned int)v;
		return r;
	case OPT_TRIALS:
		r = bench_count_opt("--trials", val, 1000000, &v);
		a->o.trials = (unsigned int)v;
		return r;
	case OPT_REPS:
		r = bench_count_opt("--reps", val, 1000000, &v);
		a->o.reps = (unsigned int)v;
		return r;
	default: /* OPT_LOADS */
		return bench_count_opt("--loads", val, UINT64_MAX, &a->o.loads);
	}
}

static int memory_parse(struct cli_ctx *ctx, struct mem_args *a)
{
	int c, r;

	*a = (struct mem_args){ .latency = true, .bandwidth = true,
				.kernel = { true, true, true } };
	while ((c = cli_next(ctx)) != -1) {
		switch (c) {
		case 's': case 'b': case 'k': case 't': case OPT_TRIALS: case OPT_LOADS: case OPT_REPS:
			r = memory_value_opt(c, ctx->optarg, a);
			if (r)
				return r;
			break;
		case OPT_LATENCY_ONLY: a->bandwidth = false; a->latency = true; break;
		case OPT_BANDWIDTH_ONLY: a->latency = false; a->bandwidth = true; break;
		case 'H': a->o.hugepages = true; break;
		case 'q': a->quick = true; break;
		case OPT_QUIET: bench_quiet = true; break;
		case OPT_SVG: a->svg = ctx->optarg; break;
		default: return c; /* CLI_HELP, CLI_USAGE */
		}
	}
	a->json = ctx->json;
	return bench_no_operands(ctx);
}

/* The defaults that depend on the machine: the buffer must dwarf the last-level caches. */
static void memory_defaults(struct mem_run *run)
{
	struct mem_args *a = &run->a;
	unsigned int line;
	uint64_t floor_size = 4 * bench_llc_total(run->topo, &line);

	a->o.line = line;
	if (!a->o.size) {
		a->o.size = a->quick ? QUICK_MIN_SIZE : DEFAULT_SIZE;
		if (a->o.size < floor_size)
			a->o.size = (floor_size + MiB - 1) / MiB * MiB;
		if (a->quick && a->o.size > QUICK_MAX_SIZE)
			a->o.size = QUICK_MAX_SIZE;
	} else if (a->latency && a->o.size < floor_size) {
		cli_warn("--size below 4x the last-level caches (%llu MiB): latency includes cache hits",
			 (unsigned long long)(floor_size / MiB));
	}
	if (a->quick) {
		if (!a->o.loads)
			a->o.loads = 1000000;
		if (!a->o.reps)
			a->o.reps = 3;
		if (!a->o.trials)
			a->o.trials = 3;
	}
}

/* rows: the nodes with usable CPUs; columns: the memory nodes; both by node id */
static int memory_layout(struct mem_run *run)
{
	const struct np_cpuset *usable = np_topo_allowed_cpus(run->topo);
	unsigned int n = np_topo_obj_count(run->topo, NP_OBJ_NODE);

	run->row = calloc(n + 1, sizeof(*run->row));
	run->col = calloc(n + 1, sizeof(*run->col));
	if (!run->row || !run->col)
		goto nomem;
	for (unsigned int i = 0; i < n; i++) {
		const struct np_obj *node = np_topo_obj(run->topo, NP_OBJ_NODE, i);

		if (np_cpuset_intersects(node->cpuset, usable))
			run->row[run->nrows++] = node;
		if (bench_node_has_memory(run->topo, node->os_index))
			run->col[run->ncols++] = node;
	}
	if (!run->nrows || !run->ncols) {
		cli_error("no %s this process may use",
			  run->nrows ? "node with memory" : "node with CPUs");
		return -ENODEV;
	}
	run->cells = calloc((size_t)run->nrows * run->ncols, sizeof(*run->cells));
	if (run->cells)
		return 0;
nomem:
	cli_error_errno(-ENOMEM, "cannot lay out the matrix");
	return -ENOMEM;
}

/* the first @threads usable CPUs of @node (all when 0) */
static int row_cpus(const struct np_topo *topo, const struct np_obj *node, unsigned int threads,
		    struct np_cpuset **ret)
{
	struct np_cpuset *set;
	unsigned int k = 0;
	int r = bench_node_cpus(topo, node, &set);

	if (r < 0)
		return r;
	np_cpuset_foreach(cpu, set) {
		if (threads && k >= threads)
			np_cpuset_clear(set, (unsigned int)cpu);
		k++;
	}
	*ret = set;
	return 0;
}

static int cell_latency(struct mem_run *run, struct mem_cell *cell, int cn, int mn, int cpu,
			unsigned int seq)
{
	int r;

	bench_progress("latency, cpu node %d -> memory node %d (cpu %d) [%u/%u]", cn, mn,
		       cpu, seq, run->nrows * run->ncols);
	r = np_bench_latency(cpu, mn, &run->a.o, &cell->lat);
	if (r < 0)
		cli_error_errno(r, "latency from cpu %d to node %d", cpu, mn);
	return r;
}

static int cell_bandwidth(struct mem_run *run, struct mem_cell *cell, int cn, int mn,
			  const struct np_cpuset *cpus, unsigned int seq)
{
	for (int k = 0; k < NP_BENCH_NKERNELS; k++) {
		int r;

		if (!run->a.kernel[k])
			continue;
		bench_progress("%s bandwidth, cpu node %d -> memory node %d (%u threads) [%u/%u]",
			       np_bench_kernel_name(k), cn, mn, np_cpuset_weight(cpus), seq,
			       run->nrows * run->ncols);
		r = np_bench_bandwidth(cpus, mn, (enum np_bench_kernel)k, &run->a.o, &cell->bw[k]);
		if (r < 0) {
			cli_error_errno(r, "%s bandwidth from node %d to node %d",
					np_bench_kernel_name(k), cn, mn);
			return r;
		}
	}
	return 0;
}

static int memory_cell(struct mem_run *run, unsigned int ri, unsigned int ci, unsigned int seq)
{
	int cn = run->row[ri]->os_index, mn = run->col[ci]->os_index;
	struct mem_cell *cell = &run->cells[ri * run->ncols + ci];
	long long mem_free = run->col[ci]->attr.node ? run->col[ci]->attr.node->mem_free : -1;
	struct np_cpuset *cpus = NULL;
	int r;

	cell->distance = bench_distance(run->topo, cn, mn);
	if (mem_free >= 0 && (uint64_t)mem_free < run->a.o.size + 64 * MiB) {
		cell->why = "not enough free memory";
		return 0;
	}
	r = row_cpus(run->topo, run->row[ri], run->a.threads, &cpus);
	if (r < 0) {
		cli_error_errno(r, "cannot list the CPUs of node %d", cn);
		return r;
	}
	if (run->a.latency)
		r = cell_latency(run, cell, cn, mn, np_cpuset_first(cpus), seq);
	if (r == 0 && run->a.bandwidth)
		r = cell_bandwidth(run, cell, cn, mn, cpus, seq);
	np_cpuset_free(cpus);
	cell->available = r == 0;
	return r;
}

/* each row's reference: its available cell with the smallest distance (the local node) */
static void memory_ratios(struct mem_run *run)
{
	for (unsigned int ri = 0; ri < run->nrows; ri++) {
		struct mem_cell *row = &run->cells[ri * run->ncols], *ref = NULL;

		for (unsigned int ci = 0; ci < run->ncols; ci++)
			if (row[ci].available && (!ref || (row[ci].distance >= 0 &&
							  row[ci].distance < ref->distance)))
				ref = &row[ci];
		for (unsigned int ci = 0; ci < run->ncols; ci++)
			row[ci].lat_ratio = ref && row[ci].available && run->a.latency
						    ? row[ci].lat.ns_median / ref->lat.ns_median
						    : NAN;
	}
}

static bool memory_any(const struct mem_run *run)
{
	for (unsigned int i = 0; i < run->nrows * run->ncols; i++)
		if (run->cells[i].available)
			return true;
	return false;
}

static int memory_measure(struct mem_run *run)
{
	unsigned int seq = 0;
	char sz[32];
	int r = 0;

	for (unsigned int ri = 0; r == 0 && ri < run->nrows; ri++)
		for (unsigned int ci = 0; r == 0 && ci < run->ncols; ci++)
			r = memory_cell(run, ri, ci, ++seq);
	if (r < 0 || memory_any(run))
		return r;
	bench_human_size(sz, sizeof(sz), run->a.o.size);
	cli_error("no memory node has %s free (and 64 MiB to spare); "
		  "use a smaller --size", sz);
	return -ENOMEM;
}

int bench_memory(struct cli_ctx *ctx)
{
	struct mem_run run = { 0 };
	FILE *svg;
	int r;

	r = memory_parse(ctx, &run.a);
	if (r)
		return r;
	r = bench_svg_open(run.a.svg, &svg);
	if (r == 0)
		r = cli_topo(ctx, &run.topo);
	if (r == 0) {
		memory_defaults(&run);
		r = memory_layout(&run);
	}
	if (r == 0)
		r = memory_measure(&run);
	if (r == 0) {
		memory_ratios(&run);
		if (run.a.json)
			memory_json(&run);
		else
			memory_print(&run);
		if (svg)
			r = memory_svg(&run, svg);
		svg = NULL;
	}
	if (svg)
		fclose(svg);
	free(run.row);
	free(run.col);
	free(run.cells);
	return r;
}
