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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

static void usage(FILE *f)
{
	fputs("Usage: numaplace run [OPTIONS] [--] CMD [ARGS...]\n\n"
	      "Run CMD with a CPU binding and a memory policy.  Nothing is applied unless every\n"
	      "option is valid for this machine.\n\n"
	      "CPU binding:\n"
	      "  -N, --cpunodebind NODES       run on the CPUs of these nodes\n"
	      "  -C, --physcpubind CPUS        run on these CPUs\n"
	      "      --cpus EXPR               run on these CPUs: a list, or a 0x mask\n"
	      "Memory policy (one of):\n"
	      "  -m, --membind NODES           allocate only from these nodes\n"
	      "  -i, --interleave NODES        interleave pages over these nodes\n"
	      "  -w, --weighted-interleave NODES  interleave by the nodes' weights (Linux 6.9+)\n"
	      "  -p, --preferred NODE          prefer this node, fall back to others\n"
	      "  -P, --preferred-many NODES    prefer these nodes (Linux 5.15+)\n"
	      "  -l, --localalloc              allocate on the node of the running CPU\n"
	      "      --nodes EXPR              run on these nodes' CPUs and allocate only from them\n"
	      "Modifiers:\n"
	      "  -b, --balancing               let NUMA balancing move pages (with --membind)\n"
	      "      --static-nodes            do not remap the nodes when the cpuset changes\n"
	      "      --relative-nodes          nodes are relative to the cpuset's nodes\n"
	      "  -a, --all                     sets may name any online CPU or node, not only\n"
	      "                                those this process is allowed\n"
	      "      --dry-run                 check and print the binding and policy; run nothing\n"
	      "      --sysroot DIR             check against a captured machine (implies --dry-run)\n"
	      "      --json                    with --dry-run: print JSON\n"
	      "  -h, --help                    show this help\n"
	      "Plans (see numaplace plan):\n"
	      "      --plan N                  pin each thread of CMD as it is created to the place\n"
	      "                                of one of N workers (main thread: worker 0), through\n"
	      "                                LD_PRELOAD=" PRELOAD_NAME "\n"
	      "      --ranks auto|R/N          bind CMD to local rank R of N's slice of the machine,\n"
	      "                                CPUs and memory (auto: from mpirun, srun, torchrun...)\n"
	      "      --policy POLICY           spread (default), close, compact, scatter, per-node\n"
	      "      --places PLACES           cores (default), threads, ll_caches, numa_domains,\n"
	      "                                sockets\n"
	      "      --smt WHEN                last (default), use, avoid\n"
	      "      --within EXPR             only these CPUs: a location expression\n"
	      "      --include-isolated        also use the kernel's isolated CPUs\n"
	      "      --skip MASK               hex mask of created threads to leave alone (bit 0:\n"
	      "                                the first pthread_create), for runtime helpers\n"
	      "      --plan-mem MODE           local (default with --plan): each thread allocates\n"
	      "                                where it runs; node (default with --ranks alone):\n"
	      "                                the worker's node, or bind to the slice's nodes;\n"
	      "                                none: leave it (implied by a memory policy option)\n"
	      "Shared memory (instead of CMD; the policy stays with the segment or file):\n"
	      "  -S, --shm KEYFILE             a SysV segment keyed by KEYFILE (ftok(3); created\n"
	      "                                with --length when missing)\n"
	      "  -f, --file PATH               a file on tmpfs or hugetlbfs (created with --length)\n"
	      "  -o, --offset SIZE             the region starts SIZE bytes in (default 0)\n"
	      "  -L, --length SIZE             the region's length (default: to the end)\n"
	      "  -M, --shmmode MODE            octal mode of what gets created (default 0600)\n"
	      "  -I, --shmid ID                ftok(3)'s project id, 0-255 (default 0)\n"
	      "  -u, --huge                    with --shm: create the segment in huge pages\n"
	      "  -t, --strict                  fail if a page already there is on other nodes\n"
	      "  -T, --touch                   fault every page in now, under the policy\n"
	      "  -d, --dump                    print the policy of each range of the region\n"
	      "  -D, --dump-nodes              print the node of each range of pages\n"
	      "SIZE: bytes, or with a k, m or g suffix (KiB, MiB, GiB).\n\n"
	      "NODES and CPUS: 0-3,8  all  !1  +0-1 (relative to the allowed set)  same (the\n"
	      "previous NODES).  See numaplace(1).\n",
	      f);
}

/* a set as a short list for messages; @buf must hold 64 bytes */
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

/* the options that shape or inspect a --shm/--file region: numactl's short names */
#define SHM_SHORT "S:f:o:L:M:I:utTdD"


static const struct option opts[] = {
	{ "cpunodebind", required_argument, NULL, 'N' },
	{ "physcpubind", required_argument, NULL, 'C' },
	{ "membind", required_argument, NULL, 'm' },
	{ "interleave", required_argument, NULL, 'i' },
	{ "weighted-interleave", required_argument, NULL, 'w' },
	{ "preferred", required_argument, NULL, 'p' },
	{ "preferred-many", required_argument, NULL, 'P' },
	{ "localalloc", no_argument, NULL, 'l' },
	{ "balancing", no_argument, NULL, 'b' },
	{ "all", no_argument, NULL, 'a' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "nodes", required_argument, NULL, OPT_NODES },
	{ "static-nodes", no_argument, NULL, OPT_STATIC },
	{ "relative-nodes", no_argument, NULL, OPT_RELATIVE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "json", no_argument, NULL, OPT_JSON },
	/* long names only: -p, -w and -P already mean numactl's --preferred and friends */
	{ "plan", required_argument, NULL, OPT_PLAN },
	{ "ranks", required_argument, NULL, OPT_RANKS },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "places", required_argument, NULL, OPT_PLACES },
	{ "smt", required_argument, NULL, OPT_SMT },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "include-isolated", no_argument, NULL, OPT_ISOLATED },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "plan-mem", required_argument, NULL, OPT_PLAN_MEM },
	{ "shm", required_argument, NULL, 'S' },
	{ "file", required_argument, NULL, 'f' },
	{ "offset", required_argument, NULL, 'o' },
	{ "length", required_argument, NULL, 'L' },
	{ "shmmode", required_argument, NULL, 'M' },
	{ "shmid", required_argument, NULL, 'I' },
	{ "huge", no_argument, NULL, 'u' },
	{ "strict", no_argument, NULL, 't' },
	{ "touch", no_argument, NULL, 'T' },
	{ "dump", no_argument, NULL, 'd' },
	{ "dump-nodes", no_argument, NULL, 'D' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int option(struct run *r, int c, char **argv)
{
	switch (c) {
	case 'S': return run_region_option(r, c, "--shm", optarg);
	case 'f': return run_region_option(r, c, "--file", optarg);
	case 'o': return run_region_option(r, c, "--offset", optarg);
	case 'L': return run_region_option(r, c, "--length", optarg);
	case 'M': return run_region_option(r, c, "--shmmode", optarg);
	case 'I': return run_region_option(r, c, "--shmid", optarg);
	case 'u': return run_region_option(r, c, "--huge", optarg);
	case 't': return run_region_option(r, c, "--strict", optarg);
	case 'T': return run_region_option(r, c, "--touch", optarg);
	case 'd': return run_region_option(r, c, "--dump", optarg);
	case 'D': return run_region_option(r, c, "--dump-nodes", optarg);
	case OPT_PLAN: return run_plan_count(optarg, &r->plan_n);
	case OPT_RANKS: r->ranks = optarg; return 0;
	case OPT_POLICY: return run_plan_option(r, c, "--policy", optarg);
	case OPT_PLACES: return run_plan_option(r, c, "--places", optarg);
	case OPT_SMT: return run_plan_option(r, c, "--smt", optarg);
	case OPT_WITHIN: return run_plan_option(r, c, "--within", optarg);
	case OPT_ISOLATED: return run_plan_option(r, c, "--include-isolated", optarg);
	case OPT_SKIP: return run_plan_option(r, c, "--skip", optarg);
	case OPT_PLAN_MEM: return run_plan_option(r, c, "--plan-mem", optarg);
	case 'N': return set_cpunodes(r, "--cpunodebind", optarg);
	case 'C': return set_cpus(r, "--physcpubind", optarg);
	case OPT_CPUS: return set_cpus(r, "--cpus", optarg);
	case 'm': return set_mode(r, NP_MPOL_BIND, "--membind", optarg);
	case 'i': return set_mode(r, NP_MPOL_INTERLEAVE, "--interleave", optarg);
	case 'w': return set_mode(r, NP_MPOL_WEIGHTED_INTERLEAVE, "--weighted-interleave", optarg);
	case 'p': return set_mode(r, NP_MPOL_PREFERRED, "--preferred", optarg);
	case 'P': return set_mode(r, NP_MPOL_PREFERRED_MANY, "--preferred-many", optarg);
	case 'l': return set_mode(r, NP_MPOL_LOCAL, "--localalloc", NULL);
	case OPT_NODES: {
		int e = set_cpunodes(r, "--nodes", optarg);

		return e ? e : set_mode(r, NP_MPOL_BIND, "--nodes", optarg);
	}
	case 'b': r->balancing = true; return 0;
	case 'a': r->all = true; return 0;
	case OPT_STATIC: r->mflags |= NP_MPOL_F_STATIC_NODES; return 0;
	case OPT_RELATIVE: r->mflags |= NP_MPOL_F_RELATIVE_NODES; return 0;
	case OPT_DRY_RUN: r->dry_run = true; return 0;
	case OPT_JSON: r->json = true; return 0;
	case OPT_SYSROOT: r->sysroot = optarg; r->dry_run = true; return 0;
	default: return cli_bad_option(c, argv);
	}
}

/* the first launcher rank variable set, for a message; np_local_rank() says which counts */
static int parse_args(struct run *r, int argc, char **argv)
{
	int c, e;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:N:C:m:i:w:p:P:lbah" SHM_SHORT, opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		e = option(r, c, argv);
		if (e)
			return e;
	}
	e = run_region_args(r, argc, argv, optind);
	if (e)
		return e;
	if (optind >= argc && !r->dry_run && !r->shm_opt)
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

static void release(struct run *r)
{
	np_policy_free(r->pol);
	np_cpuset_free(r->bind);
	np_cpuset_free(r->cpu_allowed);
	np_cpuset_free(r->node_allowed);
	np_topo_free(r->topo);
	free(r->plan_str);
	np_plan_free(r->plan);
	free(r->preload);
	/* the policy stays with the segment or file: detaching undoes nothing */
	np_region_detach(r->region, false);
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .mode = -1, .plan_mem = PMEM_UNSET };
	int e;

	r.shm.mode = 0600;
	e = parse_args(&r, argc, argv);
	if (e)
		return e == 1 ? 0 : e;
	e = run_load(&r);
	if (e == 0)
		e = run_resolve(&r);
	/* a captured machine's kernel is not this one: nothing to probe */
	if (e == 0 && !r.sysroot && (r.dry_run || r.shm_opt))
		e = run_check_kernel(&r);
	if (e == 0 && r.shm_opt)
		e = run_region_check(&r);
	if (e == 0 && r.shm_opt && !r.dry_run) {
		e = run_region_apply(&r);
		release(&r);
		return e;
	}
	if (e == 0 && !r.dry_run)
		e = run_plan_setenv(&r);
	if (e == 0)
		e = r.dry_run ? run_print(&r) : run_apply(&r);
	release(&r);
	if (e || r.dry_run)
		return e;
	return exec_command(argv + optind);
}
