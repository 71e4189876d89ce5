/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-bench.c - `numaplace bench`: measure what placement buys.  The table of sub-commands
 * and what they share: option values, the machine read from the topology's object tree,
 * statistics over trials, progress and --svg files.  The sub-commands live in bench-memory.c (latency and
 * bandwidth matrices), bench-c2c.c (core-to-core latency) and bench-affinity.c (pinned and
 * unpinned compute loop; column-order fill, memory local and remote).
 *
 * Terminology:
 *  usable CPU   an online CPU within this process's affinity and cpuset.
 *  memory node  a node with memory that this process may allocate on.
 *  trial        one timed run of an experiment; figures are statistics over trials.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* ---- option values: the CLI layer's parsers, with what bench adds ---- */

int bench_count_opt(const char *opt, const char *val, uint64_t max, uint64_t *ret)
{
	unsigned long long v;
	int r = cli_parse_count(opt, val, 1, max, &v);

	if (r == 0)
		*ret = v;
	return r;
}

int bench_size_opt(const char *opt, const char *val, uint64_t min, uint64_t *ret)
{
	unsigned long long v;
	char text[32];
	int r = cli_parse_size(opt, val, false, &v);

	if (r)
		return r;
	if (v < min) {
		bench_human_size(text, sizeof(text), min);
		return cli_usage("invalid %s '%s': expected at least %s", opt, val, text);
	}
	*ret = v;
	return 0;
}

/* one CPU (@nodes false) or one node, in the one set grammar: "3", "node:1", "core:2.pu:0" */
int bench_one(struct cli_ctx *ctx, const char *opt, const char *val, bool nodes, int *ret)
{
	struct np_cpuset *set = NULL;
	unsigned int n;
	int r = nodes ? cli_parse_nodes(ctx, opt, val, &set) : cli_parse_cpus(ctx, opt, val, &set);

	if (r)
		return r;
	n = np_cpuset_weight(set);
	*ret = np_cpuset_first(set);
	np_cpuset_free(set);
	if (n == 1)
		return 0;
	return cli_usage("invalid %s '%s': it names %u %ss; name one", opt, val, n,
			 nodes ? "node" : "CPU");
}

/* ---- the machine ---- */

int bench_node_cpus(const struct np_topo *topo, const struct np_obj *node,
		    struct np_cpuset **ret)
{
	struct np_cpuset *set = NULL;
	int r = np_cpuset_dup(node->cpuset, &set);

	if (r == 0)
		r = np_cpuset_and(set, node->cpuset, np_topo_allowed_cpus(topo));
	if (r < 0) {
		np_cpuset_free(set);
		return r;
	}
	*ret = set;
	return 0;
}

bool bench_node_has_memory(const struct np_topo *topo, int id)
{
	return id >= 0 && np_cpuset_isset(np_topo_memory_nodes(topo), (unsigned int)id) &&
	       np_cpuset_isset(np_topo_allowed_nodes(topo), (unsigned int)id);
}

int bench_cpu_node(const struct np_topo *topo, int cpu)
{
	const struct np_obj *node = cpu >= 0 ? np_topo_obj_of_cpu(topo, NP_OBJ_NODE,
								   (unsigned int)cpu) : NULL;

	return node ? node->os_index : -1;
}

int bench_distance(const struct np_topo *topo, int from, int to)
{
	int d = np_topo_distance(topo, (unsigned int)from, (unsigned int)to);

	/* one implicit node has no distance file; the firmware would call it local */
	if (d < 0 && from == to && np_topo_node_count(topo) == 1)
		return 10;
	return d;
}

unsigned long long bench_llc_total(const struct np_topo *topo, unsigned int *line)
{
	const struct np_cpuset *usable = np_topo_allowed_cpus(topo);
	unsigned long long total = 0;

	*line = 64;
	for (unsigned int i = 0; i < np_topo_obj_count(topo, NP_OBJ_LLC); i++) {
		const struct np_obj *o = np_topo_obj(topo, NP_OBJ_LLC, i);
		bool cache = o->type >= NP_OBJ_L4 && o->type <= NP_OBJ_L1 && o->type != NP_OBJ_CLUSTER;

		/* without a known cache the LLC object is the CPUs' package or node: no size */
		if (!cache || !o->attr.cache || !np_cpuset_intersects(o->cpuset, usable))
			continue;
		total += o->attr.cache->size;
		if (o->attr.cache->line_size)
			*line = o->attr.cache->line_size;
	}
	return total;
}

/* ---- statistics ---- */

double bench_mean(const double *v, unsigned int n)
{
	double s = 0;

	for (unsigned int i = 0; i < n; i++)
		s += v[i];
	return s / n;
}

double bench_min(const double *v, unsigned int n)
{
	double m = INFINITY;

	for (unsigned int i = 0; i < n; i++)
		m = fmin(m, v[i]);
	return m;
}

double bench_stddev(const double *v, unsigned int n)
{
	double m = bench_mean(v, n), s = 0;

	for (unsigned int i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return n > 1 ? sqrt(s / (n - 1)) : 0;
}


/* ---- output ---- */

bool bench_quiet;

void bench_progress(const char *fmt, ...)
{
	va_list ap;

	if (bench_quiet)
		return;
	va_start(ap, fmt);
	cli_vnote(fmt, ap);
	va_end(ap);
}

void bench_human_size(char *buf, size_t size, uint64_t bytes)
{
	cli_size(buf, size, bytes, true);
}

int bench_svg_open(const char *path, FILE **ret)
{
	int r;

	*ret = NULL;
	if (!path)
		return 0;
	*ret = fopen(path, "w");
	if (*ret)
		return 0;
	r = -errno;
	cli_error_errno(r, "cannot write '%s'", path);
	return r;
}

int bench_svg_write(FILE *f, const char *path, const char *title, const struct svg_map *maps,
		    unsigned int n)
{
	int r = svg_write(f, title, maps, n);

	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r < 0)
		cli_error_errno(r, "cannot write '%s'", path);
	return r;
}

/* ---- the verb ---- */

/* the sub-commands: their specs (in spec_bench, for usage and completion) and functions */
static const struct cli_spec *const sub_specs[] = {
	&spec_bench_memory, &spec_bench_c2c, &spec_bench_affinity, &spec_bench_local_remote, NULL,
};
static int (*const sub_fns[])(struct cli_ctx *ctx) = {
	bench_memory, bench_c2c, bench_affinity, bench_local_remote,
};
#define NSUBS (sizeof(sub_fns) / sizeof(sub_fns[0]))
_Static_assert(NSUBS + 1 == sizeof(sub_specs) / sizeof(sub_specs[0]), "one function per spec");

const struct cli_spec spec_bench = {
	.name = "bench",
	.summary = "measure memory latency and bandwidth, core-to-core latency, pinning",
	.synopsis = "SUBCOMMAND [OPTIONS]",
	.description = "Measure what placement buys.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.footer = "'numaplace bench SUBCOMMAND --help' for its options.",
	.flags = CLI_POSIX,
	.subs = sub_specs,
};

int bench_no_operands(const struct cli_ctx *ctx)
{
	int n;
	char **ops = cli_operands(ctx, &n);

	return n ? cli_usage("unexpected argument '%s'", ops[0]) : 0;
}

static int run_sub(size_t i, int argc, char **argv)
{
	struct cli_ctx ctx = { .spec = sub_specs[i], .argc = argc, .argv = argv };
	int r = sub_fns[i](&ctx);

	np_topo_free(ctx.topo);
	return r;
}

int cmd_bench(struct cli_ctx *ctx)
{
	char **ops;
	int c, n, i;

	while ((c = cli_next(ctx)) != -1)
		return c < 0 ? c : CLI_USAGE;
	ops = cli_operands(ctx, &n);
	i = cli_find_sub(sub_specs, n ? ops[0] : NULL);
	return i < 0 ? i : run_sub((size_t)i, n, ops);
}
