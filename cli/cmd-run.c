/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-run.c - `numaplace run [OPTIONS] [--] CMD [ARGS]`: run a command with a CPU binding and a
 * memory policy, numactl's options with numactl's meanings, applied completely or not at all.
 *
 * Terminology:
 *  binding   the CPUs the command may run on (-N nodes' CPUs, -C / --cpus CPUs).
 *  policy    the memory policy it starts with (-m -i -w -p -P -l), kept across execve.
 *  allowed   what this process may use now: its affinity, cgroup cpuset and online CPUs, and
 *            its Mems_allowed; numactl's "+" and "!" syntaxes are relative to these (with -a,
 *            to every online CPU and node instead).
 *  plan      --plan N: N workers' places (numaplace plan), handed to the preload library,
 *            which pins each thread of the command as it is created (the main thread is
 *            worker 0, created threads take the next workers).
 *  slice     --ranks: the share of the machine's places that local rank r of n gets
 *            (np_plan_slice); the command is bound to it, and a --plan is made inside it.
 *  region    --shm KEYFILE / --file PATH: [offset, offset + length) of a SysV segment or of a
 *            tmpfs/hugetlbfs file, which gets the policy instead of a command (numactl's
 *            --shm/--file); the policy stays with the segment or file after run exits.
 *
 * Order: parse every option (here), resolve every set against the topology (run-apply.c), and
 * only then change anything: the memory policy first, so that a mode this kernel lacks fails
 * before the binding, and the binding undoes the policy when it fails; nothing is left half
 * applied.  The kernel's support is probed only to explain a failure, for --dry-run, and
 * before a --shm/--file region is created.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

/* long-only options' ids are run.h's OPT_*: -p, -w and -P already mean numactl's --preferred
 * and friends, so the plan options have long names only */
static const struct cli_opt run_opts[] = {
	{ 'N', "cpunodebind", CLI_REQ_ARG, CLI_V_NODES, "NODES", NULL, "run on the CPUs of these nodes" },
	{ 'C', "physcpubind", CLI_REQ_ARG, CLI_V_CPUS, "CPUS", NULL, "run on these CPUs" },
	{ OPT_CPUS, "cpus", CLI_REQ_ARG, CLI_V_CPUS, "CPUS", NULL, "run on these CPUs (as -C)" },
	{ 'm', "membind", CLI_REQ_ARG, CLI_V_NODES, "NODES", NULL, "allocate only from these nodes" },
	{ 'i', "interleave", CLI_REQ_ARG, CLI_V_NODES, "NODES", NULL,
	  "interleave pages over these nodes" },
	{ 'w', "weighted-interleave", CLI_REQ_ARG, CLI_V_NODES, "NODES", NULL,
	  "interleave by the nodes' weights (Linux 6.9+)" },
	{ 'p', "preferred", CLI_REQ_ARG, CLI_V_NODES, "NODE", NULL,
	  "prefer this node, fall back to others" },
	{ 'P', "preferred-many", CLI_REQ_ARG, CLI_V_NODES, "NODES", NULL,
	  "prefer these nodes (Linux 5.15+)" },
	{ 'l', "localalloc", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "allocate on the node of the running CPU" },
	{ OPT_NODES, "nodes", CLI_REQ_ARG, CLI_V_NODES, "NODES", NULL,
	  "run on these nodes' CPUs and allocate only from them" },
	{ 'b', "balancing", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "let NUMA balancing move pages (with --membind)" },
	{ OPT_STATIC, "static-nodes", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "do not remap the nodes when the cpuset changes" },
	{ OPT_RELATIVE, "relative-nodes", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "nodes are relative to the cpuset's nodes" },
	{ 'a', "all", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "sets may name any online CPU or node, not only\nthose this process is allowed" },
	{ OPT_DRY_RUN, "dry-run", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "check and print the binding and policy; run nothing\n(implied by --sysroot; --json with it)" },
	{ OPT_PLAN, "plan", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL,
	  "pin each thread of CMD as it is created to the place\nof one of N workers (main thread: "
	  "worker 0), through\nLD_PRELOAD=" PRELOAD_NAME },
	{ OPT_RANKS, "ranks", CLI_REQ_ARG, CLI_V_TEXT, "auto|R/N", NULL,
	  "bind CMD to local rank R of N's slice of the machine,\nCPUs and memory (auto: from mpirun, "
	  "srun, torchrun...)" },
	{ OPT_POLICY, "policy", CLI_REQ_ARG, CLI_V_CHOICE, "POLICY",
	  "spread, close, compact, scatter, per-node", "how workers spread (default: spread)" },
	{ OPT_PLACES, "places", CLI_REQ_ARG, CLI_V_CHOICE, "PLACES",
	  "cores, threads, ll_caches, numa_domains, sockets", "a worker's place (default: cores)" },
	{ OPT_SMT, "smt", CLI_REQ_ARG, CLI_V_CHOICE, "WHEN", "last, use, avoid",
	  "SMT siblings (default: last)" },
	{ OPT_WITHIN, "within", CLI_REQ_ARG, CLI_V_LOCATION, "EXPR", NULL,
	  "only these CPUs: a location expression" },
	{ OPT_ISOLATED, "include-isolated", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "also use the kernel's isolated CPUs" },
	{ OPT_SKIP, "skip", CLI_REQ_ARG, CLI_V_TEXT, "MASK", NULL,
	  "hex mask of created threads to leave alone (bit 0:\nthe first pthread_create), for runtime "
	  "helpers" },
	{ OPT_EXCLUSIVE, "exclusive", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "refuse (exit 1) a plan whose workers would share\nCPUs (without it: a warning)" },
	{ OPT_PLAN_MEM, "plan-mem", CLI_REQ_ARG, CLI_V_CHOICE, "MODE", "local, node, none",
	  "local (default with --plan): each thread allocates\nwhere it runs; node (default with "
	  "--ranks alone):\nthe worker's node, or bind to the slice's nodes;\nnone: leave it (implied "
	  "by a memory policy option)" },
	{ OPT_NEAR, "near", CLI_REQ_ARG, CLI_V_CHOICE, "DEV", "gpu, nic",
	  "with --ranks: bind rank R near the R-th visible GPU\n(CUDA_VISIBLE_DEVICES...) or network device" },
	{ OPT_BIND, "bind", CLI_REQ_ARG, CLI_V_CHOICE, "MODE", "node, socket, exclusive, core-complex",
	  "with --near: node (default), socket, exclusive,\ncore-complex (torchrun's numa-binding modes)" },
	{ OPT_NIC, "nic", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "with --near gpu: export the nearest network device\n(NCCL_IB_HCA, UCX_NET_DEVICES; never "
	  "overriding)" },
	{ OPT_OVERSUB, "oversubscribe", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "--bind exclusive: let ranks share cores when they\noutnumber them" },
	{ OPT_MEM, "mem", CLI_REQ_ARG, CLI_V_CHOICE, "MODE", "none, bind, prefer",
	  "with --near: none (default, as torch), bind or prefer\nthe place's nodes" },
	{ OPT_IN_PARTITION, "isolated", CLI_REQ_ARG, CLI_V_TEXT, "NAME", NULL,
	  "run in the isolated partition NAME (numaplace isolate)\nand on its CPUs" },
	{ 'S', "shm", CLI_REQ_ARG, CLI_V_FILE, "KEYFILE", NULL,
	  "instead of CMD: a SysV segment keyed by KEYFILE\n(ftok(3); created with --length when missing)" },
	{ 'f', "file", CLI_REQ_ARG, CLI_V_FILE, "PATH", NULL,
	  "instead of CMD: a file on tmpfs or hugetlbfs\n(created with --length)" },
	{ 'o', "offset", CLI_REQ_ARG, CLI_V_SIZE, "SIZE", NULL,
	  "the region starts SIZE bytes in (default 0)" },
	{ 'L', "length", CLI_REQ_ARG, CLI_V_SIZE, "SIZE", NULL,
	  "the region's length (default: to the end)" },
	{ 'M', "shmmode", CLI_REQ_ARG, CLI_V_TEXT, "MODE", NULL,
	  "octal mode of what gets created (default 0600)" },
	{ 'I', "shmid", CLI_REQ_ARG, CLI_V_COUNT, "ID", NULL, "ftok(3)'s project id, 0-255 (default 0)" },
	{ 'u', "huge", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "with --shm: create the segment in huge pages" },
	{ 't', "strict", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "fail if a page already there is on other nodes" },
	{ 'T', "touch", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "fault every page in now, under the policy" },
	{ 'd', "dump", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "print the policy of each range of the region" },
	{ 'D', "dump-nodes", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "print the node of each range of pages" },
	CLI_OPT_END,
};

const struct cli_spec spec_run = {
	.name = "run",
	.summary = "run a command with a CPU binding and a memory policy",
	.synopsis = "[OPTIONS] [--] CMD [ARGS...]\n--shm KEYFILE | --file PATH [OPTIONS]",
	.description = "Run CMD with a CPU binding and a memory policy, numactl's options with numactl's\n"
		       "meanings.  Nothing is applied unless every option is valid for this machine.\n"
		       "A memory policy is one of -m, -i, -w, -p, -P, -l; --plan and --ranks place a\n"
		       "command's threads (see numaplace plan); --shm and --file give the policy to\n"
		       "shared memory instead of running a command (the policy stays with it).",
	.opts = run_opts,
	.footer = "SIZE: bytes, or with a k, m, g, t or p suffix (KiB...PiB; 64m, 64MiB).\n"
		  "NODES and CPUS: any set (0-3,8  ff,ffffffff  all  !1  +0-1  node:1  core:0-3), \"+\"\n"
		  "and \"!\" relative to the allowed set; NODES also \"same\" (the previous NODES).\n"
		  "See numaplace(1).",
	.flags = CLI_JSON | CLI_SYSROOT | CLI_POSIX,
	.args_value = "command",
};

static int set_mode(struct run *r, int mode, const char *opt, const char *arg)
{
	if (r->mode >= 0)
		return cli_usage("conflicting memory policies '%s' and '%s': give one", r->mode_opt,
				 opt);
	if (arg && strcmp(arg, "same") == 0) {
		if (!r->last_nodes)
			return cli_usage("invalid %s 'same': no earlier node list to repeat", opt);
		arg = r->last_nodes;
	}
	if (arg)
		r->last_nodes = arg;
	r->mode = mode;
	r->mode_opt = opt;
	r->mem_nodes = arg;
	return 0;
}

static int set_cpunodes(struct run *r, const char *opt, const char *arg)
{
	if (r->cpunodes && strcmp(r->cpunodes_opt, opt) == 0)
		return cli_usage("%s given twice", opt);
	if (r->cpunodes)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpunodes_opt,
				 opt);
	if (r->cpus)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpus_opt, opt);
	if (strcmp(arg, "same") == 0) {
		if (!r->last_nodes)
			return cli_usage("invalid %s 'same': no earlier node list to repeat", opt);
		arg = r->last_nodes;
	}
	r->last_nodes = arg;
	r->cpunodes = arg;
	r->cpunodes_opt = opt;
	return 0;
}

static int set_cpus(struct run *r, const char *opt, const char *arg)
{
	if (r->cpus)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpus_opt, opt);
	if (r->cpunodes)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpunodes_opt,
				 opt);
	r->cpus = arg;
	r->cpus_opt = opt;
	return 0;
}

static int option(struct run *r, const struct cli_ctx *ctx, int c)
{
	const char *arg = ctx->optarg;

	switch (c) {
	case 'S': return run_region_option(r, c, "--shm", arg);
	case 'f': return run_region_option(r, c, "--file", arg);
	case 'o': return run_region_option(r, c, "--offset", arg);
	case 'L': return run_region_option(r, c, "--length", arg);
	case 'M': return run_region_option(r, c, "--shmmode", arg);
	case 'I': return run_region_option(r, c, "--shmid", arg);
	case 'u': return run_region_option(r, c, "--huge", arg);
	case 't': return run_region_option(r, c, "--strict", arg);
	case 'T': return run_region_option(r, c, "--touch", arg);
	case 'd': return run_region_option(r, c, "--dump", arg);
	case 'D': return run_region_option(r, c, "--dump-nodes", arg);
	case OPT_PLAN: return run_plan_count(arg, &r->pl.workers);
	case OPT_RANKS: r->pl.ranks = arg; return 0;
	case OPT_POLICY: return run_plan_option(r, ctx, "--policy");
	case OPT_PLACES: return run_plan_option(r, ctx, "--places");
	case OPT_SMT: return run_plan_option(r, ctx, "--smt");
	case OPT_WITHIN: return run_plan_option(r, ctx, "--within");
	case OPT_ISOLATED: return run_plan_option(r, ctx, "--include-isolated");
	case OPT_SKIP: return run_plan_option(r, ctx, "--skip");
	case OPT_EXCLUSIVE: return run_plan_option(r, ctx, "--exclusive");
	case OPT_PLAN_MEM: return run_plan_option(r, ctx, "--plan-mem");
	case OPT_NEAR: return near_option(&r->pl.near, NEAR_OPT_NEAR, arg);
	case OPT_BIND: return near_option(&r->pl.near, NEAR_OPT_BIND, arg);
	case OPT_NIC: return near_option(&r->pl.near, NEAR_OPT_NIC, arg);
	case OPT_OVERSUB: return near_option(&r->pl.near, NEAR_OPT_OVERSUB, arg);
	case OPT_MEM: return near_option(&r->pl.near, NEAR_OPT_MEM, arg);
	case 'N': return set_cpunodes(r, "--cpunodebind", arg);
	case 'C': return set_cpus(r, "--physcpubind", arg);
	case OPT_CPUS: return set_cpus(r, "--cpus", arg);
	case 'm': return set_mode(r, NP_MPOL_BIND, "--membind", arg);
	case 'i': return set_mode(r, NP_MPOL_INTERLEAVE, "--interleave", arg);
	case 'w': return set_mode(r, NP_MPOL_WEIGHTED_INTERLEAVE, "--weighted-interleave", arg);
	case 'p': return set_mode(r, NP_MPOL_PREFERRED, "--preferred", arg);
	case 'P': return set_mode(r, NP_MPOL_PREFERRED_MANY, "--preferred-many", arg);
	case 'l': return set_mode(r, NP_MPOL_LOCAL, "--localalloc", NULL);
	case OPT_NODES: {
		int e = set_cpunodes(r, "--nodes", arg);

		return e ? e : set_mode(r, NP_MPOL_BIND, "--nodes", arg);
	}
	case OPT_IN_PARTITION: r->isolated = arg; return 0;
	case 'b': r->balancing = true; return 0;
	case 'a': r->all = true; return 0;
	case OPT_STATIC: r->mflags |= NP_MPOL_F_STATIC_NODES; return 0;
	case OPT_RELATIVE: r->mflags |= NP_MPOL_F_RELATIVE_NODES; return 0;
	case OPT_DRY_RUN: r->dry_run = true; return 0;
	default: return c < 0 ? c : CLI_USAGE;
	}
}

/* every option, then what they combine with; CLI_HELP after --help */
static int parse_args(struct cli_ctx *ctx, struct run *r)
{
	char **cmd;
	int c, e, n;

	while ((c = cli_next(ctx)) != -1) {
		e = c == CLI_HELP ? c : option(r, ctx, c);
		if (e)
			return e;
	}
	r->sysroot = ctx->sysroot;
	r->json = ctx->json;
	r->dry_run = r->dry_run || r->sysroot;
	cmd = cli_operands(ctx, &n);
	e = run_region_args(r, n, cmd);
	if (e)
		return e;
	if (n == 0 && !r->dry_run && !r->rg.opt)
		return cli_usage("no command given: numaplace run [OPTIONS] -- CMD [ARGS...]");
	if (r->balancing && r->mode != NP_MPOL_BIND && r->mode != NP_MPOL_PREFERRED_MANY)
		return cli_usage("--balancing needs --membind (or --preferred-many)");
	if ((r->mflags & NP_MPOL_F_STATIC_NODES) && (r->mflags & NP_MPOL_F_RELATIVE_NODES))
		return cli_usage("conflicting options '--static-nodes' and '--relative-nodes': give one");
	if (r->json && !r->dry_run)
		return cli_usage("--json needs --dry-run (a command's output is its own)");
	if (r->mflags && (r->mode < 0 || !r->mem_nodes))
		return cli_usage("--static-nodes and --relative-nodes need a memory policy with nodes");
	return run_plan_args(r);
}

static int exec_command(char **argv)
{
	int e;

	fflush(stdout);
	execvp(argv[0], argv);
	e = -errno;
	cli_error_errno(e, "cannot run '%s'", argv[0]);
	return CLI_EXIT(e == -ENOENT ? 127 : 126);
}

/*
 * --isolated NAME: into the partition's cgroup first (the kernel then allows only its CPUs, so
 * the sets resolve against them), and its CPUs as the binding unless -C or -N names others.
 */
static int enter_partition(struct run *r)
{
	struct np_cpuset *cpus;
	int e;

	if ((e = np_cpuset_new(8192, &cpus)) < 0)
		return e;
	e = np_isolate_cgroup(r->sysroot, r->isolated, cpus, NULL);
	if (e == -ENOENT || e == -EINVAL)
		cli_error("no isolated partition '%s' (numaplace isolate CPUS --name %s makes one)",
			  r->isolated, r->isolated);
	else if (e < 0)
		cli_error_errno(e, "cannot read the partition '%s'", r->isolated);
	if (e == 0 && !r->dry_run && (e = np_isolate_enter(r->sysroot, r->isolated, 0)) < 0)
		cli_error_errno(e, "cannot enter the partition '%s'", r->isolated);
	if (e == 0 && !r->cpus && !r->cpunodes &&
	    (e = np_cpuset_format_list(cpus, 0, &r->isolated_cpus)) == 0) {
		r->cpus = r->isolated_cpus;
		r->cpus_opt = "--isolated";
	}
	np_cpuset_free(cpus);
	return e;
}

static void release(struct run *r)
{
	np_policy_free(r->pol);
	np_cpuset_free(r->bind);
	np_cpuset_free(r->cpu_allowed);
	np_cpuset_free(r->node_allowed);
	np_topo_free(r->topo);
	free(r->pl.str);
	free(r->isolated_cpus);
	np_plan_free(r->pl.plan);
	free(r->pl.preload);
	np_rank_place_release(&r->pl.place);
	/* the policy stays with the segment or file: detaching undoes nothing */
	np_region_detach(r->rg.region, false);
}

int cmd_run(struct cli_ctx *ctx)
{
	struct run r = { .mode = -1, .pl.mem = PMEM_UNSET };
	char **cmd;
	int e, n;

	r.rg.o.mode = 0600;
	e = parse_args(ctx, &r);
	if (e)
		return e;
	if (r.isolated && (e = enter_partition(&r)) < 0) {
		release(&r);
		return e;
	}
	e = run_load(&r);
	if (e == 0)
		e = run_resolve(&r);
	/* a captured machine's kernel is not this one: nothing to probe */
	if (e == 0 && !r.sysroot && (r.dry_run || r.rg.opt))
		e = run_check_kernel(&r);
	if (e == 0 && r.rg.opt)
		e = run_region_check(&r);
	if (e == 0 && r.rg.opt && !r.dry_run) {
		e = run_region_apply(&r);
		release(&r);
		return e;
	}
	cmd = cli_operands(ctx, &n);
	if (e == 0 && !r.dry_run && n > 0)
		e = run_plan_check_command(&r, cmd[0]);
	if (e == 0 && !r.dry_run)
		e = run_plan_setenv(&r);
	if (e == 0)
		e = r.dry_run ? run_print(&r) : run_apply(&r);
	release(&r);
	if (e || r.dry_run)
		return e;
	return exec_command(cmd);
}
