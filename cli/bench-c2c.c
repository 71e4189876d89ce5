/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-c2c.c - `numaplace bench c2c`: core-to-core latency for every pair of the chosen
 * CPUs, as a matrix and summarised by how the two CPUs are related.
 *
 * Terminology:
 *  hand-off  one transfer of a cache line from one CPU to the other: half a round trip.
 *  group     how a pair is related: SMT siblings (one core), same L3, cross L3 (one package,
 *            two L3s), cross socket, or unknown where the machine does not say.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "bench.h"

enum pair_group { GROUP_SMT, GROUP_L3, GROUP_CROSS_L3, GROUP_CROSS_SOCKET, GROUP_UNKNOWN, NGROUPS };
static const char *const group_names[NGROUPS] = {
	"smt-siblings", "same-l3", "cross-l3", "cross-socket", "unknown",
};

/* the object of @type holding both CPUs, NULL when the machine does not say */
static const struct np_obj *shared(const struct np_topo *topo, int a, int b,
				   enum np_obj_type type)
{
	const struct np_obj *oa = np_topo_obj_of_cpu(topo, type, (unsigned int)a);

	return oa && oa == np_topo_obj_of_cpu(topo, type, (unsigned int)b) ? oa : NULL;
}

static enum pair_group pair_group(const struct np_topo *topo, int a, int b)
{
	bool l3_a = np_topo_obj_of_cpu(topo, NP_OBJ_L3, (unsigned int)a);
	bool l3_b = np_topo_obj_of_cpu(topo, NP_OBJ_L3, (unsigned int)b);

	if (shared(topo, a, b, NP_OBJ_CORE))
		return GROUP_SMT;
	if (shared(topo, a, b, NP_OBJ_L3))
		return GROUP_L3;
	if (!np_topo_obj_of_cpu(topo, NP_OBJ_PACKAGE, (unsigned int)a) ||
	    !np_topo_obj_of_cpu(topo, NP_OBJ_PACKAGE, (unsigned int)b))
		return GROUP_UNKNOWN;
	if (!shared(topo, a, b, NP_OBJ_PACKAGE))
		return GROUP_CROSS_SOCKET;
	/* same package: across L3s only when the machine says where its L3s are */
	return l3_a && l3_b ? GROUP_CROSS_L3 : GROUP_UNKNOWN;
}

struct c2c_args {
	const char *cpus, *svg;
	uint64_t roundtrips, trials;
	bool json, quick;
};

static const struct cli_opt c2c_opts[] = {
	{ 'c', "cpus", CLI_REQ_ARG, CLI_V_CPUS, "CPUS", NULL,
	  "the CPUs: a list (0-3,8), a mask or a location\n"
	  "(package:0, node:1.core:0-3) [every CPU allowed]" },
	{ OPT_ROUNDTRIPS, "roundtrips", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "round trips per trial [10000]" },
	{ OPT_TRIALS, "trials", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "trials per pair, the median is kept [7]" },
	{ 'q', "quick", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "fewer round trips and trials" },
	BENCH_OPT_QUIET,
	BENCH_OPT_SVG("matrix"),
	CLI_OPT_END,
};

const struct cli_spec spec_bench_c2c = {
	.name = "bench c2c",
	.summary = "core-to-core latency for every pair of CPUs",
	.description =
		"Core-to-core latency: two threads pinned to CPUs a and b hand a cache line back and\n"
		"forth with compare-and-swap; the median round trip / 2 for every pair, and a summary\n"
		"by SMT siblings, same L3, cross L3 and cross socket.",
	.opts = c2c_opts,
	.flags = CLI_JSON | CLI_LIVE,
};

static int c2c_parse(struct cli_ctx *ctx, struct c2c_args *a)
{
	int c, r;

	*a = (struct c2c_args){ 0 };
	while ((c = cli_next(ctx)) != -1) {
		r = 0;
		switch (c) {
		case 'c': a->cpus = ctx->optarg; break;
		case OPT_ROUNDTRIPS:
			r = bench_count_opt("--roundtrips", ctx->optarg, 100000000, &a->roundtrips);
			break;
		case OPT_TRIALS:
			r = bench_count_opt("--trials", ctx->optarg, 10000, &a->trials);
			break;
		case 'q': a->quick = true; break;
		case OPT_QUIET: bench_quiet = true; break;
		case OPT_SVG: a->svg = ctx->optarg; break;
		default: return c; /* CLI_HELP, CLI_USAGE */
		}
		if (r)
			return r;
	}
	a->json = ctx->json;
	if (!a->roundtrips)
		a->roundtrips = a->quick ? 1000 : 10000;
	if (!a->trials)
		a->trials = a->quick ? 3 : 7;
	return bench_no_operands(ctx);
}

/* --cpus in the one set grammar ("0-3,8", "package:0", "node:1.core:0-3"), all usable */
static int c2c_cpus(struct cli_ctx *ctx, const struct np_topo *topo, const char *expr,
		    struct np_cpuset **ret)
{
	const struct np_cpuset *usable = np_topo_allowed_cpus(topo);
	struct np_cpuset *set = NULL;
	int r;

	if (!expr)
		return np_cpuset_dup(usable, ret);
	r = cli_parse_cpus(ctx, "--cpus", expr, &set);
	if (r)
		return r;
	if (!np_cpuset_subset(set, usable)) {
		np_cpuset_free(set);
		return cli_usage("invalid --cpus '%s': it names CPUs this process may not use", expr);
	}
	*ret = set;
	return 0;
}

struct c2c_result {
	unsigned int n;
	int *cpu;
	double *ns; /* [i * n + j], NaN on the diagonal */
};

struct group_stats {
	unsigned int pairs;
	double median, min, max;
};

/* the pairs of group @g; 0 pairs when there are none (or no memory to sort them) */
static struct group_stats group_stats(const struct np_topo *topo, const struct c2c_result *res,
				      enum pair_group g)
{
	double *v = calloc((size_t)res->n * res->n + 1, sizeof(double));
	struct group_stats s = { 0 };

	for (unsigned int i = 0; v && i < res->n; i++)
		for (unsigned int j = i + 1; j < res->n; j++)
			if (pair_group(topo, res->cpu[i], res->cpu[j]) == g)
				v[s.pairs++] = res->ns[i * res->n + j];
	if (s.pairs) {
		s.median = np_bench_median(v, s.pairs);
		s.min = v[0];
		s.max = v[s.pairs - 1];
	}
	free(v);
	return s;
}

static void c2c_print(const struct np_topo *topo, const struct c2c_result *res,
		      const struct c2c_args *a)
{
	printf("Core-to-core latency, ns: median of %llu trials of %llu round trips, round trip / 2\n",
	       (unsigned long long)a->trials, (unsigned long long)a->roundtrips);
	printf("  %-6s", "cpu");
	for (unsigned int j = 0; j < res->n; j++)
		printf("%8d", res->cpu[j]);
	putchar('\n');
	for (unsigned int i = 0; i < res->n; i++) {
		printf("  %-6d", res->cpu[i]);
		for (unsigned int j = 0; j < res->n; j++) {
			double v = res->ns[i * res->n + j];

			if (isnan(v))
				printf("%8s", "-");
			else
				printf("%8.1f", v);
		}
		putchar('\n');
	}
	printf("\nBy group:\n  %-14s %6s %10s %10s %10s\n", "group", "pairs", "median", "min", "max");
	for (int g = 0; g < NGROUPS; g++) {
		struct group_stats s = group_stats(topo, res, (enum pair_group)g);

		if (s.pairs)
			printf("  %-14s %6u %10.1f %10.1f %10.1f\n", group_names[g], s.pairs, s.median,
			       s.min, s.max);
	}
}

static void c2c_json(const struct np_topo *topo, const struct c2c_result *res,
		     const struct c2c_args *a)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "roundtrips", a->roundtrips);
	json_uint(&j, "trials", a->trials);
	json_arr_begin(&j, "pairs");
	for (unsigned int i = 0; i < res->n; i++) {
		for (unsigned int k = i + 1; k < res->n; k++) {
			json_obj_begin(&j, NULL);
			json_int(&j, "cpu_a", res->cpu[i]);
			json_int(&j, "cpu_b", res->cpu[k]);
			json_str(&j, "group", group_names[pair_group(topo, res->cpu[i], res->cpu[k])]);
			json_double(&j, "latency_ns", res->ns[i * res->n + k]);
			json_obj_end(&j);
		}
	}
	json_arr_end(&j);
	json_arr_begin(&j, "groups");
	for (int g = 0; g < NGROUPS; g++) {
		struct group_stats s = group_stats(topo, res, (enum pair_group)g);

		if (!s.pairs)
			continue;
		json_obj_begin(&j, NULL);
		json_str(&j, "group", group_names[g]);
		json_uint(&j, "pairs", s.pairs);
		json_double(&j, "latency_ns_median", s.median);
		json_double(&j, "latency_ns_min", s.min);
		json_double(&j, "latency_ns_max", s.max);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int c2c_svg(const struct c2c_result *res, FILE *f, const char *path)
{
	char (*lab)[16] = calloc(res->n, 16);
	const char **labels = calloc(res->n, sizeof(char *));
	struct svg_map map;
	int r = -ENOMEM;

	if (lab && labels) {
		for (unsigned int i = 0; i < res->n; i++) {
			snprintf(lab[i], 16, "cpu %d", res->cpu[i]);
			labels[i] = lab[i];
		}
		map = (struct svg_map){ .title = "Core-to-core latency (ns, one hand-off)",
					.corner = "cpu \\ cpu", .unit = "ns", .lower_is_better = true,
					.rows = res->n, .cols = res->n, .row_labels = labels,
					.col_labels = labels, .values = res->ns };
		r = bench_svg_write(f, path, "numaplace bench c2c", &map, 1);
	} else {
		fclose(f);
		cli_error_errno(r, "cannot draw the SVG");
	}
	free(lab);
	free(labels);
	return r;
}

static int c2c_measure(struct c2c_result *res, const struct c2c_args *a)
{
	unsigned int done = 0, total = res->n * (res->n - 1) / 2;

	for (unsigned int i = 0; i < res->n; i++) {
		res->ns[i * res->n + i] = NAN;
		for (unsigned int j = i + 1; j < res->n; j++) {
			double ns;
			int r;

			bench_progress("cpu %d <-> cpu %d [%u/%u]", res->cpu[i], res->cpu[j],
				       ++done, total);
			r = np_bench_c2c(res->cpu[i], res->cpu[j], (unsigned int)a->roundtrips,
					 (unsigned int)a->trials, &ns);
			if (r < 0) {
				cli_error_errno(r, "cpus %d and %d", res->cpu[i], res->cpu[j]);
				return r;
			}
			res->ns[i * res->n + j] = res->ns[j * res->n + i] = ns;
		}
	}
	return 0;
}

/* the CPUs of --cpus, at least two, into @res */
static int c2c_layout(struct cli_ctx *ctx, const struct np_topo *topo,
		      const struct c2c_args *a, struct c2c_result *res)
{
	struct np_cpuset *cpus = NULL;
	int r = c2c_cpus(ctx, topo, a->cpus, &cpus);

	if (r)
		return r;
	res->n = np_cpuset_weight(cpus);
	if (res->n < 2) {
		cli_error("needs at least two CPUs, got '%s'", a->cpus ? a->cpus : "one");
		np_cpuset_free(cpus);
		return a->cpus ? CLI_USAGE : -EINVAL;
	}
	res->cpu = calloc(res->n, sizeof(int));
	res->ns = calloc((size_t)res->n * res->n, sizeof(double));
	if (!res->cpu || !res->ns) {
		np_cpuset_free(cpus);
		cli_error_errno(-ENOMEM, "cannot lay out the matrix");
		return -ENOMEM;
	}
	res->n = 0;
	np_cpuset_foreach(cpu, cpus)
		res->cpu[res->n++] = cpu;
	np_cpuset_free(cpus);
	return 0;
}

int bench_c2c(struct cli_ctx *ctx)
{
	const struct np_topo *topo = NULL;
	struct c2c_result res = { 0 };
	struct c2c_args a;
	FILE *svg = NULL;
	int r;

	r = c2c_parse(ctx, &a);
	if (r)
		return r;
	r = bench_svg_open(a.svg, &svg);
	if (r == 0)
		r = cli_topo(ctx, &topo);
	if (r == 0)
		r = c2c_layout(ctx, topo, &a, &res);
	if (r == 0)
		r = c2c_measure(&res, &a);
	if (r == 0) {
		if (a.json)
			c2c_json(topo, &res, &a);
		else
			c2c_print(topo, &res, &a);
		if (svg)
			r = c2c_svg(&res, svg, a.svg);
		svg = NULL;
	}
	if (svg)
		fclose(svg);
	free(res.cpu);
	free(res.ns);
	return r;
}
