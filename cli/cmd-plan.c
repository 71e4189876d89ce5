/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-plan.c - `numaplace plan N`: where N workers should run, by OpenMP's close/spread, Intel's
 * compact/scatter or MindSpore's per-node rule, printed for people, for --json, or in the syntax
 * an existing runtime reads (OMP_PLACES, GOMP_CPU_AFFINITY, KMP_AFFINITY, taskset, srun).
 *
 * Terminology:
 *  worker    one of the N threads or processes to place.
 *  place     the CPUs one worker gets (see numaplace.h "plan").
 *  location  the --within expression ("package:0", "near:eth0", "0-15", ...).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct plan_args {
	unsigned int n;
	struct np_plan_opts opts;
	const char *within;
	int format; /* -1: the human listing */
	bool json;
	bool exclusive; /* --exclusive: refuse a plan whose workers share CPUs */
	const char *ranks; /* --ranks: "auto" or "R/N" */
};

enum { OPT_PLACES = CLI_OPT_LONG, OPT_SMT, OPT_ISOLATED, OPT_RANKS, OPT_EXCLUSIVE };

static const struct cli_opt plan_opts[] = {
	{ 'p', "policy", CLI_REQ_ARG, CLI_V_CHOICE, "POLICY", "spread, close, compact, scatter, per-node",
	  "spread (default), close: OpenMP proc_bind;\n"
	  "compact, scatter: KMP_AFFINITY; per-node: worker i on node i mod nodes" },
	{ OPT_PLACES, "places", CLI_REQ_ARG, CLI_V_CHOICE, "PLACES",
	  "cores, threads, ll_caches, numa_domains, sockets",
	  "cores (default), threads, ll_caches, numa_domains, sockets" },
	{ OPT_SMT, "smt", CLI_REQ_ARG, CLI_V_CHOICE, "WHEN", "last, use, avoid",
	  "last (default): SMT siblings only when workers outnumber cores;\n"
	  "use: siblings like any thread; avoid: never" },
	{ 'w', "within", CLI_REQ_ARG, CLI_V_CPUS, "CPUS",
	  NULL, "only these CPUs: a set in any syntax (numaplace(1) SETS)" },
	{ OPT_ISOLATED, "include-isolated", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "also use the kernel's isolated CPUs" },
	{ 'f', "format", CLI_REQ_ARG, CLI_V_CHOICE, "FMT", "omp, gomp, kmp, taskset, slurm, preload",
	  "omp, gomp, kmp, taskset, slurm: another tool's syntax;\n"
	  "preload: NUMAPLACE_PLAN for libnumaplace-preload.so" },
	{ OPT_EXCLUSIVE, "exclusive", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "refuse (exit 1) a plan whose workers would share CPUs" },
	{ OPT_RANKS, "ranks", CLI_REQ_ARG, CLI_V_TEXT, "auto|R/N", NULL,
	  "the slice of local rank R of N (auto: from the launcher's\n"
	  "environment, Open MPI, MPICH, Slurm, PALS, torchrun)" },
	CLI_OPT_END,
};

const struct cli_spec spec_plan = {
	.name = "plan",
	.summary = "say where N workers should run: spread, close, compact, scatter, per-node",
	.synopsis = "N [OPTIONS]\n--ranks auto|R/N [OPTIONS]",
	.description = "Say where N workers should run on this machine (or a captured one); with --ranks,\n"
		       "which CPUs this MPI rank's slice of the machine is.",
	.opts = plan_opts,
	.footer = "Output: one line per worker, 'worker 0: cpus 0,48  node 0', then '  shared' when\n"
		  "another worker has some of its CPUs (a warning on stderr says so too).",
	.flags = CLI_JSON | CLI_SYSROOT,
#ifdef NP_TOPO_NO_HMAT
	.topo_flags = NP_TOPO_NO_HMAT,
#endif
	.args_value = "count",
};

static int plan_option(struct cli_ctx *ctx, int c, struct plan_args *a)
{
	int v = 0, r = 0;

	switch (c) {
	case 'p':
		r = cli_parse_choice(ctx, np_plan_policy_parse, &v);
		a->opts.policy = (enum np_plan_policy)v;
		break;
	case OPT_PLACES:
		r = cli_parse_choice(ctx, np_plan_places_parse, &v);
		a->opts.places = (enum np_plan_places)v;
		break;
	case OPT_SMT:
		r = cli_parse_choice(ctx, np_plan_smt_parse, &v);
		a->opts.smt = (enum np_plan_smt)v;
		break;
	case 'w': a->within = ctx->optarg; break;
	case OPT_ISOLATED: a->opts.include_isolated = true; break;
	case 'f': r = cli_parse_choice(ctx, np_plan_format_parse, &a->format); break;
	case OPT_RANKS: a->ranks = ctx->optarg; break;
	case OPT_EXCLUSIVE: a->exclusive = true; break;
	default: r = c < 0 ? c : CLI_USAGE; break;
	}
	return r;
}

static int parse_args(struct cli_ctx *ctx, struct plan_args *a)
{
	unsigned long long n;
	char **args;
	int c, r, nargs;

	while ((c = cli_next(ctx)) != -1) {
		r = plan_option(ctx, c, a);
		if (r < 0)
			return r;
	}
	a->json = ctx->json;
	args = cli_operands(ctx, &nargs);
	if (a->json && a->format >= 0)
		return cli_usage("--json and --format exclude each other");
	if (a->ranks && a->format >= 0 && a->format != NP_PLAN_FMT_TASKSET)
		return cli_usage("--ranks prints one CPU list: only --format taskset applies");
	if (a->ranks && a->exclusive)
		return cli_usage("--exclusive applies to N workers, not to --ranks");
	if (a->ranks && nargs > 0)
		return cli_usage("--ranks takes no worker count ('%s')", args[0]);
	if (a->ranks)
		return 0;
	if (nargs == 0)
		return cli_usage("missing the number of workers");
	if (nargs > 1)
		return cli_usage("unexpected argument '%s'", args[1]);
	r = cli_parse_count("number of workers", args[0], 1, CLI_MAX_WORKERS, &n);
	a->n = (unsigned int)n;
	return r;
}

static int output(const struct plan_args *a, const struct np_plan *p)
{
	char *s;
	int r;

	if (a->json) {
		cli_json_plan(stdout, &a->opts, p);
		return 0;
	}
	if (a->format < 0)
		return cli_print_plan(stdout, p);
	r = np_plan_format(p, (enum np_plan_format)a->format, &s);
	if (r < 0)
		return r;
	printf("%s\n", s);
	free(s);
	return 0;
}

static int print_slice(const struct plan_args *a, const struct np_topo *topo, unsigned int rank,
		       unsigned int size, const struct np_cpuset *cpus)
{
	struct np_cpuset *nodes;
	char *cl = NULL;
	int r = np_cpuset_new(np_topo_node_size(topo), &nodes);

	if (r < 0)
		return r;
	np_cpuset_foreach(c, cpus) {
		const struct np_cpu *cpu = np_topo_cpu(topo, (unsigned int)c);

		if (cpu && cpu->node >= 0)
			np_cpuset_set(nodes, (unsigned int)cpu->node);
	}
	if (a->format != NP_PLAN_FMT_TASKSET)
		r = cli_print_slice(stdout, a->json, rank, size, cpus, nodes);
	else if (np_cpuset_format_list(cpus, 0, &cl) < 0)
		r = -ENOMEM;
	else
		printf("%s\n", cl);
	free(cl);
	np_cpuset_free(nodes);
	return r;
}

static int plan_ranks(const struct plan_args *a, const struct np_topo *topo)
{
	struct np_cpuset *cpus;
	unsigned int rank, size;
	int r = cli_parse_ranks("--ranks", a->ranks, &rank, &size);

	if (r < 0)
		return r;
	r = np_plan_slice(topo, rank, size, &a->opts, &cpus);
	if (r == -ENOENT) {
		cli_error("no CPU left to plan on: every CPU is offline, disallowed, isolated or "
			  "outside --within");
		return r;
	}
	if (r < 0) {
		cli_error_errno(r, "cannot plan rank %u of %u", rank, size);
		return r;
	}
	r = print_slice(a, topo, rank, size, cpus);
	np_cpuset_free(cpus);
	return r;
}

int cmd_plan(struct cli_ctx *ctx)
{
	struct plan_args a = { .format = -1 };
	struct np_cpuset *within = NULL;
	const struct np_topo *topo;
	struct np_plan *p = NULL;
	int r = parse_args(ctx, &a);

	if (r < 0)
		return r;
	r = cli_topo(ctx, &topo);
	if (r < 0)
		return r;
	if (a.within) {
		r = cli_parse_cpus(ctx, "--within", a.within, &within);
		if (r < 0)
			goto out;
		a.opts.within = within;
	}
	if (a.ranks) {
		r = plan_ranks(&a, topo);
		goto out;
	}
	r = np_plan_make(topo, a.n, &a.opts, &p);
	if (r == -ENOENT) {
		cli_error("no CPU left to plan on%s%s%s: every CPU is offline, disallowed, isolated "
			  "or outside --within", a.within ? " within '" : "", a.within ? a.within : "",
			  a.within ? "'" : "");
		goto out;
	}
	if (r < 0) {
		cli_error_errno(r, "cannot plan %u workers", a.n);
		goto out;
	}
	r = cli_plan_shared(p, a.exclusive);
	if (r < 0)
		goto out;
	r = output(&a, p);
	if (r < 0)
		cli_error_errno(r, "cannot print the plan");
out:
	np_plan_free(p);
	np_cpuset_free(within);
	return r;
}
