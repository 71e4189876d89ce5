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
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct plan_args {
	unsigned int n;
	struct np_plan_opts opts;
	const char *within;
	const char *sysroot;
	int format; /* -1: the human listing */
	bool json;
	const char *ranks; /* --ranks: "auto" or "R/N" */
};

static void usage(FILE *f)
{
	fputs("Usage: numaplace plan N [OPTIONS]\n"
	      "       numaplace plan --ranks auto|R/N [OPTIONS]\n\n"
	      "Say where N workers should run on this machine (or a captured one); with --ranks,\n"
	      "which CPUs this MPI rank's slice of the machine is.\n\n"
	      "Options:\n"
	      "  -p, --policy POLICY      spread (default), close: OpenMP proc_bind;\n"
	      "                           compact, scatter: KMP_AFFINITY; per-node: worker i on node i mod nodes\n"
	      "      --places PLACES      cores (default), threads, ll_caches, numa_domains, sockets\n"
	      "      --smt WHEN           last (default): SMT siblings only when workers outnumber cores;\n"
	      "                           use: siblings like any thread; avoid: never\n"
	      "  -w, --within EXPR        only these CPUs: a location expression (numaplace(1))\n"
	      "      --include-isolated   also use the kernel's isolated CPUs\n"
	      "      --sysroot DIR        plan for a captured machine\n"
	      "  -f, --format FMT         omp, gomp, kmp, taskset, slurm: another tool's syntax;\n"
	      "                           preload: NUMAPLACE_PLAN for libnumaplace-preload.so\n"
	      "      --ranks auto|R/N     the slice of local rank R of N (auto: from the launcher's\n"
	      "                           environment, Open MPI, MPICH, Slurm, PALS, torchrun)\n"
	      "      --json               JSON output\n"
	      "  -h, --help               this help\n\n"
	      "Output: one line per worker, 'worker 0: cpus 0,48  node 0'.\n",
	      f);
}

static int parse_args(int argc, char **argv, struct plan_args *a)
{
	enum { OPT_PLACES = 256, OPT_SMT, OPT_ISOLATED, OPT_SYSROOT, OPT_JSON, OPT_RANKS };
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "places", required_argument, NULL, OPT_PLACES },
		{ "smt", required_argument, NULL, OPT_SMT },
		{ "within", required_argument, NULL, 'w' },
		{ "include-isolated", no_argument, NULL, OPT_ISOLATED },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "ranks", required_argument, NULL, OPT_RANKS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, v = 0, r;

	while ((c = getopt_long(argc, argv, "p:w:f:h", opts, NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'p':
			r = cli_choice(np_plan_policy_parse, "policy", optarg,
				       "spread, close, compact, scatter, per-node", &v);
			a->opts.policy = (enum np_plan_policy)v;
			break;
		case OPT_PLACES:
			r = cli_choice(np_plan_places_parse, "places", optarg,
				       "cores, threads, ll_caches, numa_domains, sockets", &v);
			a->opts.places = (enum np_plan_places)v;
			break;
		case OPT_SMT:
			r = cli_choice(np_plan_smt_parse, "smt", optarg, "last, use, avoid", &v);
			a->opts.smt = (enum np_plan_smt)v;
			break;
		case 'w':
			a->within = optarg;
			break;
		case OPT_ISOLATED:
			a->opts.include_isolated = true;
			break;
		case OPT_SYSROOT:
			a->sysroot = optarg;
			break;
		case 'f':
			r = cli_choice(np_plan_format_parse, "format", optarg,
				       "omp, gomp, kmp, taskset, slurm, preload", &a->format);
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_RANKS:
			a->ranks = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			return CLI_USAGE;
		}
		if (r < 0)
			return r;
	}
	if (a->json && a->format >= 0)
		return cli_usage("--json and --format exclude each other");
	if (a->ranks && a->format >= 0 && a->format != NP_PLAN_FMT_TASKSET)
		return cli_usage("--ranks prints one CPU list: only --format taskset applies");
	if (a->ranks && optind < argc)
		return cli_usage("plan: --ranks takes no worker count ('%s')", argv[optind]);
	if (a->ranks)
		return 0;
	if (optind >= argc)
		return cli_usage("plan: missing the number of workers");
	if (optind + 1 < argc)
		return cli_usage("plan: unexpected argument '%s'", argv[optind + 1]);
	if (cli_parse_workers(argv[optind], &a->n) < 0)
		return cli_usage("invalid number of workers '%s': expected 1 to %u", argv[optind],
				 CLI_MAX_WORKERS);
	return 0;
}

static void print_json(const struct plan_args *a, const struct np_plan *p)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "policy", np_plan_policy_name(a->opts.policy));
	json_str(&j, "places", np_plan_places_name(a->opts.places));
	json_str(&j, "smt", a->opts.smt == NP_SMT_USE ? "use" : a->opts.smt == NP_SMT_AVOID ? "avoid" : "last");
	json_cpuset(&j, "eligible", np_plan_eligible(p));
	json_arr_begin(&j, "workers");
	for (unsigned int i = 0; i < np_plan_count(p); i++) {
		json_obj_begin(&j, NULL);
		json_uint(&j, "worker", i);
		json_cpuset(&j, "cpus", np_plan_cpus(p, i));
		json_cpuset(&j, "nodes", np_plan_nodes(p, i));
		if (np_plan_node(p, i) >= 0)
			json_int(&j, "node", np_plan_node(p, i));
		else
			json_null(&j, "node");
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int print_plain(const struct np_plan *p)
{
	for (unsigned int i = 0; i < np_plan_count(p); i++) {
		const struct np_cpuset *nodes = np_plan_nodes(p, i);
		char *cpus, *nl;

		if (np_cpuset_format_list(np_plan_cpus(p, i), 0, &cpus) < 0)
			return -ENOMEM;
		if (np_cpuset_format_list(nodes, 0, &nl) < 0) {
			free(cpus);
			return -ENOMEM;
		}
		printf("worker %u: cpus %s  %s %s\n", i, cpus,
		       np_cpuset_weight(nodes) == 1 ? "node" : "nodes", nl);
		free(cpus);
		free(nl);
	}
	return 0;
}

/* --within: parse errors and unknown objects are the user's input, so usage errors */
static int resolve_within(const struct np_topo *topo, const char *expr, struct np_cpuset **ret)
{
	size_t pos = 0;
	int r = np_location_resolve(topo, expr, ret, &pos);

	if (r == -ENODEV)
		return cli_usage("invalid location '%s': no such device on this machine", expr);
	if (r == -ENOMEM) {
		cli_error_errno(r, "cannot resolve location '%s'", expr);
		return r;
	}
	if (r < 0 && pos == 0)
		return cli_usage("invalid location '%s': %s", expr, np_strerror(r));
	if (r < 0)
		return cli_bad_set("location", expr, r, pos);
	return 0;
}

static int output(const struct plan_args *a, const struct np_plan *p)
{
	char *s;
	int r;

	if (a->json) {
		print_json(a, p);
		return 0;
	}
	if (a->format < 0)
		return print_plain(p);
	r = np_plan_format(p, (enum np_plan_format)a->format, &s);
	if (r < 0)
		return r;
	printf("%s\n", s);
	free(s);
	return 0;
}

/* "auto" from the launcher, or "R/N" */
static int parse_ranks(const char *spec, unsigned int *rank, unsigned int *size)
{
	unsigned int r, n;
	char extra;
	int e;

	if (strcmp(spec, "auto") == 0) {
		e = np_local_rank(rank, size);
		if (e == -ENOENT)
			cli_error("--ranks auto: no launcher variable found (OMPI_COMM_WORLD_LOCAL_RANK, "
				  "MPI_LOCALRANKID, PMI_LOCAL_RANK, PALS_LOCAL_RANKID, SLURM_LOCALID, "
				  "LOCAL_RANK); use --ranks R/N");
		else if (e < 0)
			cli_error_errno(e, "--ranks auto: the launcher's rank variables");
		return e;
	}
	if (sscanf(spec, "%u/%u%c", &r, &n, &extra) != 2 || n == 0 || r >= n || spec[0] == '-')
		return cli_usage("invalid ranks '%s': expected auto or R/N with R < N", spec);
	*rank = r;
	*size = n;
	return 0;
}

static int print_slice(const struct plan_args *a, const struct np_topo *topo, unsigned int rank,
		       unsigned int size, const struct np_cpuset *cpus)
{
	struct np_cpuset *nodes;
	char *cl = NULL, *nl = NULL;
	int r = np_cpuset_new(np_topo_node_size(topo), &nodes);

	if (r < 0)
		return r;
	np_cpuset_foreach(c, cpus) {
		const struct np_cpu *cpu = np_topo_cpu(topo, (unsigned int)c);

		if (cpu && cpu->node >= 0)
			np_cpuset_set(nodes, (unsigned int)cpu->node);
	}
	if (a->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_uint(&j, "rank", rank);
		json_uint(&j, "size", size);
		json_cpuset(&j, "cpus", cpus);
		json_cpuset(&j, "nodes", nodes);
		json_obj_end(&j);
		json_finish(&j);
	} else if (np_cpuset_format_list(cpus, 0, &cl) < 0 || np_cpuset_format_list(nodes, 0, &nl) < 0) {
		r = -ENOMEM;
	} else if (a->format == NP_PLAN_FMT_TASKSET) {
		printf("%s\n", cl);
	} else {
		printf("rank %u of %u: cpus %s  %s %s\n", rank, size, cl,
		       np_cpuset_weight(nodes) == 1 ? "node" : "nodes", nl);
	}
	free(cl);
	free(nl);
	np_cpuset_free(nodes);
	return r;
}

static int plan_ranks(const struct plan_args *a, const struct np_topo *topo)
{
	struct np_cpuset *cpus;
	unsigned int rank, size;
	int r = parse_ranks(a->ranks, &rank, &size);

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

int cmd_plan(int argc, char **argv)
{
	struct plan_args a = { .format = -1 };
	struct np_cpuset *within = NULL;
	struct np_topo *topo = NULL;
	struct np_plan *p = NULL;
	int r = parse_args(argc, argv, &a);

	if (r != 0)
		return r > 0 ? 0 : r;
	r = np_topo_load(a.sysroot, 0, &topo);
	if (r < 0) {
		cli_error_errno(r, "cannot read the topology of '%s'", a.sysroot ? a.sysroot : "/");
		return r;
	}
	if (a.within) {
		r = resolve_within(topo, a.within, &within);
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
	r = output(&a, p);
	if (r < 0)
		cli_error_errno(r, "cannot print the plan");
out:
	np_plan_free(p);
	np_cpuset_free(within);
	np_topo_free(topo);
	return r;
}
