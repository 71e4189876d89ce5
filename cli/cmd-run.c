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
 * Order: parse every option, resolve every set against the topology, probe the kernel, and only
 * then change anything, so a bad input or an unsupported mode leaves nothing applied.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli.h"
#include "shm.h"

/* where `make install` puts the preload library; the Makefile passes the real one */
#ifndef NP_PKGLIBDIR
#define NP_PKGLIBDIR "/usr/local/lib/numaplace"
#endif
#define PRELOAD_NAME "libnumaplace-preload.so"

/* --plan-mem: what the preload library (or, for --ranks alone, run) does with memory */
enum { PMEM_UNSET = -1, PMEM_LOCAL = NP_PLAN_MEM_LOCAL, PMEM_NODE = NP_PLAN_MEM_NODE,
       PMEM_NONE = NP_PLAN_MEM_NONE };

struct run {
	const char *cpunodes;    /* -N or --nodes */
	const char *cpunodes_opt; /* which of them */
	const char *cpus;        /* -C or --cpus */
	const char *cpus_opt;    /* which of them */
	int mode;                /* -1: no memory policy option */
	const char *mode_opt;    /* the option that set it, for messages */
	const char *mem_nodes;   /* its argument, NULL for --localalloc */
	const char *last_nodes;  /* for "same" */
	bool balancing, all, dry_run, json;
	unsigned int mflags;     /* NP_MPOL_F_STATIC_NODES / RELATIVE_NODES */
	const char *sysroot;     /* --sysroot: check against a captured machine, apply nothing */

	struct np_topo *topo;
	struct np_cpuset *cpu_allowed, *node_allowed; /* owned copies */
	struct np_cpuset *cpunode_allowed; /* nodes with a CPU in cpu_allowed: what -N may name */
	struct np_cpuset *bind;  /* resolved CPUs, NULL: leave affinity alone */
	struct np_policy *pol;   /* resolved policy, NULL: leave it alone */

	/* --plan and --ranks */
	unsigned int plan_n;     /* --plan N; 0: no plan */
	const char *ranks;       /* --ranks auto|R/N */
	struct np_plan_opts popts;
	const char *within;      /* --within EXPR */
	const char *skip;        /* --skip MASK, as given */
	unsigned long long skip_mask;
	int plan_mem;            /* enum np_plan_mem, or PMEM_UNSET */
	const char *plan_opt;    /* the first plan option seen, for "needs --plan" */
	unsigned int rank, nranks;
	struct np_plan *plan;    /* --plan's workers */
	char *plan_str;          /* NUMAPLACE_PLAN, for --dry-run */
	char *preload;           /* the library's path */

	/* --shm and --file */
	struct shm_region shm;
	const char *shm_path;    /* the key file or the file */
	const char *shm_opt;     /* "--shm" or "--file"; NULL: run a command */
	const char *shm_needs;   /* the first region option seen, for "needs --shm or --file" */
	const char *length_s, *offset_s; /* as given */
	bool touch, dump, dump_nodes;
};

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
static const char *list(const struct np_cpuset *set, char *buf)
{
	char *s = NULL;

	if (!set || np_cpuset_format_list(set, 0, &s) < 0) {
		snprintf(buf, 64, "?");
	} else {
		snprintf(buf, 64, "%s", *s ? s : "none");
		if (strlen(s) >= 64)
			strcpy(buf + 56, "...");
	}
	free(s);
	return buf;
}

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

enum { OPT_CPUS = 256, OPT_NODES, OPT_STATIC, OPT_RELATIVE, OPT_DRY_RUN, OPT_SYSROOT, OPT_JSON,
       OPT_PLAN, OPT_RANKS, OPT_POLICY, OPT_PLACES, OPT_SMT, OPT_WITHIN, OPT_ISOLATED, OPT_SKIP,
       OPT_PLAN_MEM };

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

/* ---- plan options ---- */

static int parse_count(const char *s, unsigned int *ret)
{
	if (cli_parse_workers(s, ret) < 0)
		return cli_usage("invalid --plan '%s': expected a number of workers from 1 to %u", s,
				 CLI_MAX_WORKERS);
	return 0;
}

/* likwid-pin's -s: a hex mask, "0x" optional, of at most 64 threads (what the library reads) */
static int parse_skip(struct run *r, const char *s)
{
	const char *p = strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0 ? s + 2 : s;
	char *end;

	if (!*p || strspn(p, "0123456789abcdefABCDEF") != strlen(p))
		return cli_usage("invalid --skip '%s': expected a hex mask of created threads "
				 "(bit 0: the first), such as 0x1", s);
	errno = 0;
	r->skip_mask = strtoull(p, &end, 16);
	if (errno)
		return cli_usage("invalid --skip '%s': the library follows at most the first 64 "
				 "threads", s);
	r->skip = s;
	return 0;
}

static int plan_option(struct run *r, int c, const char *opt)
{
	int v = 0, e = 0;

	switch (c) {
	case OPT_POLICY:
		e = cli_choice(np_plan_policy_parse, opt, optarg,
			       "spread, close, compact, scatter, per-node", &v);
		r->popts.policy = (enum np_plan_policy)v;
		break;
	case OPT_PLACES:
		e = cli_choice(np_plan_places_parse, opt, optarg,
			       "cores, threads, ll_caches, numa_domains, sockets", &v);
		r->popts.places = (enum np_plan_places)v;
		break;
	case OPT_SMT:
		e = cli_choice(np_plan_smt_parse, opt, optarg, "last, use, avoid", &v);
		r->popts.smt = (enum np_plan_smt)v;
		break;
	case OPT_WITHIN: r->within = optarg; break;
	case OPT_ISOLATED: r->popts.include_isolated = true; break;
	case OPT_SKIP: e = parse_skip(r, optarg); break;
	case OPT_PLAN_MEM:
		e = cli_choice(np_plan_mem_parse, opt, optarg, "local, node, none", &r->plan_mem);
		break;
	}
	if (!r->plan_opt)
		r->plan_opt = opt;
	return e;
}

/* ---- --shm and --file ---- */

/*
 * A size as numactl reads it (C syntax, then k, m or g), but strict: nothing after the suffix,
 * and no wrap-around.  0 is refused: a region of no bytes has no policy to hold.
 */
static int parse_size(const char *opt, const char *s, bool zero_ok, unsigned long long *ret)
{
	unsigned long long v, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		goto bad;
	switch (*end) {
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	}
	if (*end || v > (1ULL << 62) / mult)
		goto bad;
	if (v == 0 && !zero_ok)
		return cli_usage("invalid %s '%s': the region needs at least one page", opt, s);
	*ret = v * mult;
	return 0;
bad:
	return cli_usage("invalid %s '%s': expected a size in bytes, optionally with a k, m or g "
			 "suffix (such as 64m)", opt, s);
}

static int set_region(struct run *r, const char *opt, const char *path)
{
	if (r->shm_opt && strcmp(r->shm_opt, opt) == 0)
		return cli_usage("%s given twice", opt);
	if (r->shm_opt)
		return cli_usage("conflicting options '%s' and '%s': give one", r->shm_opt, opt);
	if (!*path)
		return cli_usage("invalid %s '': expected a path", opt);
	r->shm_opt = opt;
	r->shm_path = path;
	return 0;
}

static int parse_number(const char *opt, const char *s, int base, unsigned long max,
			unsigned long *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, base);
	if ((*s < '0' || *s > '9' || *end || errno || v > max) && base == 8)
		return cli_usage("invalid %s '%s': expected an octal mode from 0 to %#lo", opt, s, max);
	if (*s < '0' || *s > '9' || *end || errno || v > max)
		return cli_usage("invalid %s '%s': expected a number from 0 to %lu", opt, s, max);
	*ret = v;
	return 0;
}

static int shm_option(struct run *r, int c, const char *opt)
{
	unsigned long v = 0;
	int e = 0;

	switch (c) {
	case 'S': return set_region(r, "--shm", optarg);
	case 'f': return set_region(r, "--file", optarg);
	case 'o':
		r->offset_s = optarg;
		e = parse_size(opt, optarg, true, &r->shm.offset);
		break;
	case 'L':
		r->length_s = optarg;
		e = parse_size(opt, optarg, false, &r->shm.length);
		break;
	case 'M':
		e = parse_number(opt, optarg, 8, 07777, &v);
		r->shm.mode = (mode_t)v;
		break;
	case 'I':
		/* ftok(3) keeps only the low 8 bits: a larger id would name another segment */
		e = parse_number(opt, optarg, 0, 255, &v);
		r->shm.id = (long)v;
		break;
	case 'u': r->shm.huge = true; break;
	case 't': r->shm.mbind_flags |= NP_MBIND_STRICT; break;
	case 'T': r->touch = true; break;
	case 'd': r->dump = true; break;
	case 'D': r->dump_nodes = true; break;
	}
	if (!r->shm_needs)
		r->shm_needs = opt;
	return e;
}

static int option(struct run *r, int c, char **argv)
{
	switch (c) {
	case 'S': return shm_option(r, c, "--shm");
	case 'f': return shm_option(r, c, "--file");
	case 'o': return shm_option(r, c, "--offset");
	case 'L': return shm_option(r, c, "--length");
	case 'M': return shm_option(r, c, "--shmmode");
	case 'I': return shm_option(r, c, "--shmid");
	case 'u': return shm_option(r, c, "--huge");
	case 't': return shm_option(r, c, "--strict");
	case 'T': return shm_option(r, c, "--touch");
	case 'd': return shm_option(r, c, "--dump");
	case 'D': return shm_option(r, c, "--dump-nodes");
	case OPT_PLAN: return parse_count(optarg, &r->plan_n);
	case OPT_RANKS: r->ranks = optarg; return 0;
	case OPT_POLICY: return plan_option(r, c, "--policy");
	case OPT_PLACES: return plan_option(r, c, "--places");
	case OPT_SMT: return plan_option(r, c, "--smt");
	case OPT_WITHIN: return plan_option(r, c, "--within");
	case OPT_ISOLATED: return plan_option(r, c, "--include-isolated");
	case OPT_SKIP: return plan_option(r, c, "--skip");
	case OPT_PLAN_MEM: return plan_option(r, c, "--plan-mem");
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
static const char *rank_variable(char *buf, size_t size)
{
	static const char *const names[] = { "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID",
					      "PMI_LOCAL_RANK", "PALS_LOCAL_RANKID",
					      "SLURM_LOCALID", "LOCAL_RANK" };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (getenv(names[i])) {
			snprintf(buf, size, "%s=%s", names[i], getenv(names[i]));
			return buf;
		}
	return "?";
}

/* a decimal number up to INT_MAX followed by @stop; *@end receives where it stopped */
static int parse_uint(const char *s, char stop, unsigned int *ret, char **end)
{
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, end, 10);
	if (errno || v > INT_MAX || **end != stop)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

/* --ranks: "R/N", or "auto" from the launcher's environment */
static int parse_ranks(struct run *r)
{
	const char *s = r->ranks;
	char var[128], *end;
	int e;

	if (strcmp(s, "auto") != 0) {
		if (parse_uint(s, '/', &r->rank, &end) < 0 || parse_uint(end + 1, 0, &r->nranks, &end) < 0 ||
		    r->rank >= r->nranks)
			return cli_usage("invalid --ranks '%s': expected auto or R/N with R < N", s);
		return 0;
	}
	e = np_local_rank(&r->rank, &r->nranks);
	if (e == -ENOENT)
		cli_error("invalid --ranks 'auto': no launcher variable found "
			  "(OMPI_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID, PMI_LOCAL_RANK, "
			  "PALS_LOCAL_RANKID, SLURM_LOCALID, LOCAL_RANK); use --ranks R/N");
	else if (e == -EINVAL)
		cli_error("invalid --ranks 'auto': the launcher's local rank and size do not give a "
			  "rank below the size (%s)", rank_variable(var, sizeof(var)));
	else if (e < 0)
		cli_error_errno(e, "cannot read the launcher's local rank");
	return e;
}

/* what --plan and --ranks combine with; fills in --plan-mem's default */
static int check_plan_args(struct run *r)
{
	const char *by = r->plan_n ? "--plan" : "--ranks";

	if (!r->plan_n && !r->ranks) {
		if (r->plan_opt)
			return cli_usage("%s needs --plan or --ranks", r->plan_opt);
		return 0;
	}
	if (r->skip && !r->plan_n)
		return cli_usage("--skip needs --plan (it picks threads to leave out of the plan)");
	if (r->cpunodes || r->cpus)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", by,
				 r->cpunodes ? r->cpunodes_opt : r->cpus_opt);
	if (r->mode >= 0 && r->plan_mem != PMEM_UNSET && r->plan_mem != PMEM_NONE)
		return cli_usage("conflicting memory policies '%s' and '--plan-mem %s': give one",
				 r->mode_opt, np_plan_mem_name((enum np_plan_mem)r->plan_mem));
	if (r->mode >= 0)
		r->plan_mem = PMEM_NONE;
	else if (r->plan_mem == PMEM_UNSET)
		r->plan_mem = r->plan_n ? PMEM_LOCAL : PMEM_NODE;
	return r->ranks ? parse_ranks(r) : 0;
}

/*
 * With --shm or --file the policy goes to the region and nothing is run: a command, a CPU
 * binding or a plan would be silently dropped, so each is a usage error.
 */
static int check_shm_args(struct run *r, int argc, char **argv)
{
	const char *o = r->shm_opt;

	if (!o)
		return r->shm_needs ? cli_usage("%s needs --shm or --file", r->shm_needs) : 0;
	if (optind < argc)
		return cli_usage("unexpected command '%s' with %s: the policy is given to the shared "
				 "memory and nothing is run", argv[optind], o);
	if (r->cpunodes || r->cpus)
		return cli_usage("conflicting options '%s' and '%s': shared memory has no CPU "
				 "binding%s", o, r->cpunodes ? r->cpunodes_opt : r->cpus_opt,
				 r->cpunodes_opt && strcmp(r->cpunodes_opt, "--nodes") == 0 ?
				 "; use --membind" : "");
	if (r->plan_n || r->ranks)
		return cli_usage("conflicting options '%s' and '%s': plans place a command's threads",
				 o, r->plan_n ? "--plan" : "--ranks");
	if (r->balancing)
		return cli_usage("conflicting options '%s' and '--balancing': NUMA balancing is a "
				 "process's policy flag, mbind(2) has none", o);
	if (r->shm.huge && strcmp(o, "--file") == 0)
		return cli_usage("--huge is for --shm: a file on hugetlbfs has huge pages already");
	if ((r->shm.mbind_flags & NP_MBIND_STRICT) && r->mode < 0)
		return cli_usage("--strict needs a memory policy (--membind, --interleave, ...)");
	return 0;
}

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
	e = check_shm_args(r, argc, argv);
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
	return check_plan_args(r);
}

/* ---- resolving the sets ---- */

/* the nodes that hold at least one CPU of @cpus */
static int nodes_with(const struct np_topo *t, const struct np_cpuset *cpus, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	int e;

	e = np_cpuset_new(np_topo_node_size(t), &set);
	if (e < 0)
		return e;
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (np_cpuset_intersects(n->cpus, cpus))
			np_cpuset_set(set, n->id);
	}
	*ret = set;
	return 0;
}

/*
 * What the sets may name.  Without --all: this process's affinity (and cgroup) and Mems_allowed,
 * as numactl reads them; with --all: every online CPU and node.  A captured machine without the
 * process files falls back to its online CPUs and nodes with memory, which is what a process
 * there starts with.
 */
static int allowed_sets(struct run *r, struct np_cpuset **cpus, struct np_cpuset **nodes)
{
	const struct np_topo *t = r->topo;
	const struct np_cpuset *c = r->all ? np_topo_online_cpus(t) : np_topo_allowed_cpus(t);
	const struct np_cpuset *n = r->all ? np_topo_online_nodes(t) : np_topo_allowed_nodes(t);
	int e;

	if (!c && !r->sysroot)
		e = np_affinity_get(0, cpus);
	else
		e = np_cpuset_dup(c ? c : np_topo_online_cpus(t), cpus);
	if (e < 0)
		return e;
	if (!n && !r->sysroot)
		e = np_mpol_mems_allowed(nodes);
	else
		e = np_cpuset_dup(n ? n : np_topo_memory_nodes(t), nodes);
	if (e < 0)
		return e;
	/* as wide as the topology's sets, so the parsers bound numbers by the machine */
	e = np_cpuset_resize(*cpus, np_topo_cpu_size(t));
	if (e == 0)
		e = np_cpuset_resize(*nodes, np_topo_node_size(t));
	return e;
}

static int load(struct run *r)
{
	int e;

	e = np_topo_load(r->sysroot, 0, &r->topo);
	if (e < 0) {
		if (r->sysroot)
			cli_error_errno(e, "cannot read the machine in '%s'", r->sysroot);
		else
			cli_error_errno(e, "cannot read the topology of this machine");
		return e;
	}
	e = allowed_sets(r, &r->cpu_allowed, &r->node_allowed);
	if (e == 0)
		e = nodes_with(r->topo, r->cpu_allowed, &r->cpunode_allowed);
	if (e < 0)
		cli_error_errno(e, "cannot read what this process may use");
	return e;
}

/*
 * CPUs this process may not use now but the command could: its own affinity does not bind the
 * command, only the cgroup cpuset and the online CPUs do.  Offline CPUs are errors; CPUs outside
 * the cpuset are dropped with a warning (numactl issue #186), unless none is left.
 */
static int check_reach(struct run *r, const char *opt, const char *str, struct np_cpuset *set)
{
	const struct np_cpuset *online = np_topo_online_cpus(r->topo);
	const struct np_cpuset *cg = np_topo_cgroup_cpus(r->topo);
	struct np_cpuset *limit, *out = NULL;
	char a[64], b[64];
	int e;

	np_cpuset_foreach(cpu, set) {
		if (!np_cpuset_isset(online, (unsigned int)cpu)) {
			cli_error("invalid %s '%s': CPU %d is offline; online CPUs are %s", opt, str,
				  cpu, list(online, a));
			return -ENODEV;
		}
	}
	e = np_cpuset_dup(online, &limit);
	if (e == 0 && cg)
		e = np_cpuset_and(limit, limit, cg);
	if (e == 0)
		e = np_cpuset_dup(set, &out);
	if (e == 0)
		e = np_cpuset_andnot(out, set, limit);
	if (e < 0 || np_cpuset_empty(out))
		goto free;
	if (!np_cpuset_intersects(set, limit)) {
		cli_error("invalid %s '%s': none of these CPUs is in this process's cpuset (%s)", opt,
			  str, list(limit, a));
		e = -EPERM;
		goto free;
	}
	cli_warn("%s '%s': CPUs %s are outside this process's cpuset (%s); the command will not "
		 "run there", opt, str, list(out, a), list(limit, b));
	np_cpuset_and(set, set, limit);
free:
	np_cpuset_free(out);
	np_cpuset_free(limit);
	return e;
}

static bool is_mask(const char *str)
{
	return strncmp(str, "0x", 2) == 0 || strncmp(str, "0X", 2) == 0;
}

/*
 * Parse a CPU set against the allowed CPUs (numactl's meaning of "+" and "!"); --cpus also takes
 * a 0x mask.  A number outside them is looked at again against the whole machine, to tell a CPU
 * that does not exist (usage error) from one that is offline or merely outside this process's
 * affinity or cpuset.
 */
static int parse_cpus(struct run *r, const char *opt, const char *str, struct np_cpuset **ret)
{
	const struct np_cpuset *possible = np_topo_possible_cpus(r->topo);
	bool mask = strcmp(opt, "--cpus") == 0 && is_mask(str);
	struct np_cpuset *set;
	size_t pos = 0;
	char a[64];
	int e;

	e = np_cpuset_new(np_topo_cpu_size(r->topo), &set);
	if (e < 0)
		return e;
	if (mask) {
		e = np_cpuset_parse_taskset(set, str, &pos);
		if (e == 0 && !np_cpuset_subset(set, r->cpu_allowed))
			e = -ERANGE;
	} else {
		e = np_cpuset_parse_numactl(set, str, r->cpu_allowed, &pos);
	}
	if (e == -ERANGE) {
		e = mask ? np_cpuset_parse_taskset(set, str, NULL) : np_cpuset_parse_list(set, str, NULL);
		if (e == 0 && !np_cpuset_subset(set, possible))
			e = -ERANGE;
		if (e == 0) {
			e = check_reach(r, opt, str, set);
		} else if (e != -ERANGE) {
			/* numactl syntax ("+5", "!9") that reaches beyond the allowed CPUs */
			cli_error("invalid %s '%s': out of range; this process may use CPUs %s", opt,
				  str, list(r->cpu_allowed, a));
			e = CLI_USAGE;
		}
	} else if (e == 0 && r->all) {
		e = check_reach(r, opt, str, set);
	}
	if (e == -ERANGE) {
		cli_error("invalid %s '%s': no such CPU; this machine has CPUs %s", opt, str,
			  list(possible, a));
		e = CLI_USAGE;
	} else if (e == -EINVAL || e == -EOVERFLOW) {
		cli_bad_set(opt, str, e, pos);
		e = CLI_USAGE;
	} else if (e == 0 && np_cpuset_empty(set)) {
		cli_error("invalid %s '%s': no CPU in it", opt, str);
		e = CLI_USAGE;
	}
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

/* why node @n may not be named by @opt: one line */
static void why_node(struct run *r, const char *opt, const char *str, int n, bool cpubind)
{
	const struct np_topo *t = r->topo;
	const struct np_node *node = np_topo_node_by_id(t, (unsigned int)n);
	char a[64];

	if (!np_cpuset_isset(np_topo_online_nodes(t), (unsigned int)n))
		cli_error("invalid %s '%s': node %d is offline", opt, str, n);
	else if (cpubind && node && np_cpuset_empty(node->cpus))
		cli_error("invalid %s '%s': node %d has no CPUs; nodes with CPUs are %s", opt, str,
			  n, list(np_topo_cpu_nodes(t), a));
	else if (cpubind)
		cli_error("invalid %s '%s': this process may not use any CPU of node %d (allowed "
			  "CPUs: %s)", opt, str, n, list(r->cpu_allowed, a));
	else if (!np_cpuset_isset(np_topo_memory_nodes(t), (unsigned int)n) && node &&
		 !np_cpuset_empty(node->cpus))
		cli_error("invalid %s '%s': node %d has no memory; pick one of %s, or use "
			  "--cpunodebind %d --localalloc for memory nearest its CPUs", opt, str, n,
			  list(np_topo_memory_nodes(t), a), n);
	else if (!np_cpuset_isset(np_topo_memory_nodes(t), (unsigned int)n))
		cli_error("invalid %s '%s': node %d has no memory; pick one of %s", opt, str, n,
			  list(np_topo_memory_nodes(t), a));
	else
		cli_error("invalid %s '%s': node %d is outside this process's cpuset (allowed "
			  "nodes: %s)", opt, str, n, list(r->node_allowed, a));
}

/*
 * A node list that named something outside @allowed: parse it again against every node of the
 * machine to tell a node that does not exist (usage error) from one that exists but cannot
 * be used here (no memory, no CPUs, offline, outside the cpuset: exit 1).
 */
static int explain_node(struct run *r, const char *opt, const char *str,
			const struct np_cpuset *allowed)
{
	const struct np_topo *t = r->topo;
	struct np_cpuset *set;
	char a[64];
	int e;

	e = np_cpuset_new(np_topo_node_size(t), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_numactl(set, str, np_topo_nodes(t), NULL);
	if (e < 0) {
		cli_error("invalid %s '%s': no such node; this machine has nodes %s", opt, str,
			  list(np_topo_nodes(t), a));
		np_cpuset_free(set);
		return CLI_USAGE;
	}
	np_cpuset_foreach(n, set) {
		if (!np_cpuset_isset(allowed, (unsigned int)n)) {
			why_node(r, opt, str, n, allowed == r->cpunode_allowed);
			break;
		}
	}
	np_cpuset_free(set);
	return -EPERM;
}

static int parse_nodes(struct run *r, const char *opt, const char *str,
		       const struct np_cpuset *allowed, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	size_t pos = 0;
	int e;

	e = np_cpuset_new(np_topo_node_size(r->topo), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_numactl(set, str, allowed, &pos);
	if (e == -ERANGE)
		e = explain_node(r, opt, str, allowed);
	else if (e == -EINVAL || e == -EOVERFLOW) {
		cli_bad_set(opt, str, e, pos);
		e = CLI_USAGE;
	} else if (e == 0 && np_cpuset_empty(set)) {
		cli_error("invalid %s '%s': no node in it", opt, str);
		e = CLI_USAGE;
	}
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

/* -N: the CPUs of the nodes, each of which must have some */
static int resolve_cpunodes(struct run *r)
{
	const struct np_topo *t = r->topo;
	struct np_cpuset *nodes, *cpus;
	char a[64], b[64];
	int e;

	e = parse_nodes(r, r->cpunodes_opt, r->cpunodes, r->cpunode_allowed, &nodes);
	if (e != 0)
		return e;
	e = np_cpuset_new(np_topo_cpu_size(t), &cpus);
	if (e < 0)
		goto free_nodes;
	np_cpuset_foreach(n, nodes) {
		const struct np_node *node = np_topo_node_by_id(t, (unsigned int)n);

		if (!node || np_cpuset_empty(node->cpus)) {
			cli_error("invalid %s '%s': node %d has no CPUs; nodes with CPUs are %s",
				  r->cpunodes_opt, r->cpunodes, n, list(np_topo_cpu_nodes(t), a));
			e = -ENODEV;
			goto free_cpus;
		}
		np_cpuset_or(cpus, cpus, node->cpus);
	}
	np_cpuset_and(cpus, cpus, r->cpu_allowed);
	if (np_cpuset_empty(cpus)) {
		cli_error("invalid %s '%s': this process may not use any of its CPUs (allowed: %s)",
			  r->cpunodes_opt, r->cpunodes, list(r->cpu_allowed, b));
		e = -EPERM;
		goto free_cpus;
	}
	/* with --all the nodes' CPUs may reach beyond the cpuset: warn as for -C */
	if (r->all) {
		e = check_reach(r, r->cpunodes_opt, r->cpunodes, cpus);
		if (e != 0)
			goto free_cpus;
	}
	r->bind = cpus;
	cpus = NULL;
free_cpus:
	np_cpuset_free(cpus);
free_nodes:
	np_cpuset_free(nodes);
	return e;
}

/*
 * --relative-nodes: the numbers are positions within the cpuset's nodes, which the kernel maps
 * (and remaps when the cpuset changes), so they are not checked against any node here.
 */
static int parse_relative(struct run *r, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	size_t pos = 0;
	int e;

	e = np_cpuset_new((unsigned int)np_mpol_node_bits(), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_list(set, r->mem_nodes, &pos);
	if (e == 0 && np_cpuset_empty(set)) {
		cli_error("invalid %s '%s': no node in it", r->mode_opt, r->mem_nodes);
		e = CLI_USAGE;
	} else if (e < 0) {
		e = cli_bad_set(r->mode_opt, r->mem_nodes, e, pos);
	}
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

static int resolve_policy(struct run *r)
{
	struct np_cpuset *nodes = NULL;
	unsigned int flags = r->mflags | (r->balancing ? NP_MPOL_F_NUMA_BALANCING : 0);
	int e;

	if (r->mem_nodes && (r->mflags & NP_MPOL_F_RELATIVE_NODES)) {
		e = parse_relative(r, &nodes);
		if (e != 0)
			return e;
	} else if (r->mem_nodes) {
		e = parse_nodes(r, r->mode_opt, r->mem_nodes, r->node_allowed, &nodes);
		if (e != 0)
			return e;
	}
	/* the kernel drops memoryless nodes from a policy, or refuses it: say so first */
	if (nodes && !(r->mflags & NP_MPOL_F_RELATIVE_NODES)) {
		np_cpuset_foreach(n, nodes) {
			if (!np_cpuset_isset(np_topo_memory_nodes(r->topo), (unsigned int)n)) {
				why_node(r, r->mode_opt, r->mem_nodes, n, false);
				np_cpuset_free(nodes);
				return -ENODEV;
			}
		}
	}
	if (r->mode == NP_MPOL_PREFERRED && np_cpuset_weight(nodes) != 1) {
		cli_error("invalid --preferred '%s': give exactly one node (--preferred-many takes "
			  "several)", r->mem_nodes);
		np_cpuset_free(nodes);
		return CLI_USAGE;
	}
	e = np_policy_new(r->mode, nodes, flags, &r->pol);
	np_cpuset_free(nodes);
	if (e < 0)
		cli_error_errno(e, "invalid memory policy '%s'", r->mode_opt);
	return e;
}

/* ---- --plan and --ranks: the slice, the plan, the preload library ---- */

/* --within: a location on this machine; what the user wrote is at fault, so usage errors */
static int resolve_within(struct run *r, struct np_cpuset **ret)
{
	size_t pos = 0;
	int e = np_location_resolve(r->topo, r->within, ret, &pos);

	if (e == 0)
		return 0;
	if (e == -ENODEV)
		return cli_usage("invalid --within '%s': no such device on this machine", r->within);
	if (e == -ENOMEM) {
		cli_error_errno(e, "cannot resolve --within '%s'", r->within);
		return e;
	}
	if (pos == 0)
		return cli_usage("invalid --within '%s': %s", r->within, np_strerror(e));
	return cli_bad_set("--within", r->within, e, pos);
}

static int no_cpu_left(struct run *r)
{
	cli_error("no CPU left to plan on%s%s%s: every CPU is offline, disallowed, isolated or "
		  "outside --within", r->within ? " within '" : "", r->within ? r->within : "",
		  r->within ? "'" : "");
	return -ENOENT;
}

/*
 * The memory policy run itself sets when --plan-mem is not none: with --ranks alone and "node",
 * bound to the slice's nodes that have memory (local when none has); otherwise local, which
 * the preload library then refines per thread.  Set here so the kernel is probed before exec.
 */
static int plan_policy(struct run *r)
{
	struct np_cpuset *nodes = NULL;
	int e = 0;

	if (r->plan_mem == PMEM_NONE || r->pol)
		return 0;
	r->mode = NP_MPOL_LOCAL;
	r->mode_opt = r->plan_n ? "--plan" : "--ranks";
	if (!r->plan_n && r->plan_mem == PMEM_NODE) {
		e = nodes_with(r->topo, r->bind, &nodes);
		if (e == 0)
			e = np_cpuset_and(nodes, nodes, np_topo_memory_nodes(r->topo));
		if (e == 0)
			e = np_cpuset_and(nodes, nodes, r->node_allowed);
		if (e == 0 && !np_cpuset_empty(nodes))
			r->mode = NP_MPOL_BIND;
	}
	if (e == 0)
		e = np_policy_new(r->mode, r->mode == NP_MPOL_BIND ? nodes : NULL, 0, &r->pol);
	np_cpuset_free(nodes);
	if (e < 0)
		cli_error_errno(e, "cannot make the memory policy for %s", r->mode_opt);
	return e;
}

/* --ranks: bind the command to its slice; a --plan is then made inside it */
static int resolve_slice(struct run *r)
{
	int e = np_plan_slice(r->topo, r->rank, r->nranks, &r->popts, &r->bind);

	if (e == -ENOENT)
		return no_cpu_left(r);
	if (e < 0)
		cli_error_errno(e, "cannot plan rank %u of %u", r->rank, r->nranks);
	return e;
}

/*
 * The preload library: next to this binary in a build tree, else where `make install` put it.
 * /proc/self/exe names this binary, not anything of a --sysroot machine, so it is read as is.
 */
static int find_preload(struct run *r)
{
	const char *inst = NP_PKGLIBDIR "/" PRELOAD_NAME;
	char exe[PATH_MAX], *slash, *path = NULL;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = 0;
	slash = strrchr(exe, '/');
	if (slash) {
		*slash = 0;
		if (asprintf(&path, "%s/%s", exe, PRELOAD_NAME) < 0)
			return -ENOMEM;
		if (access(path, R_OK) != 0) {
			free(path);
			path = NULL;
		}
	}
	if (!path && access(inst, R_OK) == 0 && !(path = strdup(inst)))
		return -ENOMEM;
	if (!path) {
		cli_error("cannot find the preload library '%s': neither in '%s' nor in '%s' (build it "
			  "with make, or reinstall)", PRELOAD_NAME, *exe ? exe : "?", NP_PKGLIBDIR);
		return -ENOENT;
	}
	/* ld.so splits LD_PRELOAD at blanks and colons */
	if (strpbrk(path, " \t:")) {
		cli_error("cannot preload '%s': LD_PRELOAD cannot hold a path with blanks or colons",
			  path);
		free(path);
		return -EINVAL;
	}
	r->preload = path;
	return 0;
}

/* --plan: the places, as the preload library reads them */
static int resolve_threads(struct run *r)
{
	struct np_plan *p;
	int e = np_plan_make(r->topo, r->plan_n, &r->popts, &p);

	if (e == -ENOENT)
		return no_cpu_left(r);
	if (e < 0) {
		cli_error_errno(e, "cannot plan %u workers", r->plan_n);
		return e;
	}
	e = np_plan_format(p, NP_PLAN_FMT_PRELOAD, &r->plan_str);
	/*
	 * The main thread is worker 0: binding it here, as the library's constructor will, reports
	 * a blocked sched_setaffinity before exec instead of leaving every thread silently unpinned.
	 */
	if (e == 0 && !r->bind)
		e = np_cpuset_dup(np_plan_cpus(p, 0), &r->bind);
	r->plan = p;
	if (e < 0) {
		cli_error_errno(e, "cannot format the plan");
		return e;
	}
	return find_preload(r);
}

static int resolve_plan(struct run *r)
{
	struct np_cpuset *within = NULL;
	int e = 0;

	if (!r->plan_n && !r->ranks)
		return 0;
	if (r->within)
		e = resolve_within(r, &within);
	r->popts.within = within;
	if (e == 0 && r->ranks)
		e = resolve_slice(r);
	if (e == 0 && r->ranks)
		r->popts.within = r->bind;
	if (e == 0 && r->plan_n)
		e = resolve_threads(r);
	if (e == 0)
		e = plan_policy(r);
	r->popts.within = NULL;
	np_cpuset_free(within);
	return e;
}

/* what the preload library reads (np_plan_setenv); LD_PRELOAD keeps what was there, after it */
static int set_plan_env(const struct run *r)
{
	const char *old = getenv("LD_PRELOAD");
	char *pre = NULL;
	int e;

	if (!r->plan)
		return 0;
	if (old && *old ? asprintf(&pre, "%s:%s", r->preload, old) < 0 : !(pre = strdup(r->preload)))
		return -ENOMEM;
	e = np_plan_setenv(r->plan, (enum np_plan_mem)r->plan_mem, r->skip_mask);
	if (e == 0 && setenv("LD_PRELOAD", pre, 1) < 0)
		e = -errno;
	free(pre);
	if (e < 0)
		cli_error_errno(e, "cannot set the environment for the preload library");
	return e;
}

static void warn_isolated(struct run *r)
{
	const struct np_cpuset *iso = np_topo_isolated_cpus(r->topo);
	struct np_cpuset *both;
	char a[64];

	if (!iso || !r->bind || !np_cpuset_intersects(iso, r->bind) || np_cpuset_dup(r->bind, &both))
		return;
	np_cpuset_and(both, both, iso);
	cli_warn("CPUs %s are isolated (isolcpus=): the scheduler will not balance the command's "
		 "threads across them", list(both, a));
	np_cpuset_free(both);
}

static int resolve(struct run *r)
{
	int e = 0;

	if (r->cpunodes)
		e = resolve_cpunodes(r);
	else if (r->cpus)
		e = parse_cpus(r, r->cpus_opt, r->cpus, &r->bind);
	if (e == 0 && r->mode >= 0)
		e = resolve_policy(r);
	if (e == 0)
		e = resolve_plan(r);
	if (e == 0)
		warn_isolated(r);
	return e;
}

/* ---- checking the kernel, applying, running ---- */

static const char *kernel_release(char *buf, size_t size)
{
	struct utsname u;

	snprintf(buf, size, "%s", uname(&u) == 0 ? u.release : "?");
	return buf;
}

static int blocked(int err, const char *call)
{
	if (err == -EPERM)
		cli_error("cannot set the memory policy (%s): %s; a seccomp filter or container profile "
			  "blocks the NUMA syscalls here (docker: --cap-add SYS_NICE or a seccomp "
			  "profile allowing %s)", call, np_strerror(err), call);
	else
		cli_error("cannot set the memory policy (%s): %s; this kernel has no NUMA support, or "
			  "a seccomp filter hides the syscall", call, np_strerror(err));
	return err;
}

static int check_kernel(struct run *r)
{
	struct np_mpol_caps caps;
	char rel[128];
	int e;

	if (!r->pol)
		return 0;
	e = np_mpol_probe(&caps);
	if (e < 0) {
		cli_error_errno(e, "cannot probe the kernel's memory policies");
		return e;
	}
	e = np_mpol_check(&caps, r->pol, r->shm_opt != NULL);
	if (e == -EPERM || e == -ENOSYS)
		return blocked(e, r->shm_opt ? "mbind" : "set_mempolicy");
	if (e == -EOPNOTSUPP && r->balancing)
		cli_error("%s with --balancing is not supported by this kernel (%s)", r->mode_opt,
			  kernel_release(rel, sizeof(rel)));
	else if (e == -EOPNOTSUPP)
		cli_error("%s needs Linux %s or later; this kernel (%s) does not support it",
			  r->mode_opt, np_mpol_mode_since(r->mode), kernel_release(rel, sizeof(rel)));
	return e;
}

static void reset_policy(void)
{
	struct np_policy *def;

	if (np_policy_new(NP_MPOL_DEFAULT, NULL, 0, &def) == 0) {
		np_policy_apply(def);
		np_policy_free(def);
	}
}

static int apply(struct run *r)
{
	char a[64];
	int e;

	if (r->pol) {
		e = np_policy_apply(r->pol);
		if (e == -EPERM || e == -ENOSYS)
			return blocked(e, "set_mempolicy");
		if (e < 0) {
			cli_error_errno(e, "cannot set the memory policy %s '%s'", r->mode_opt,
					r->mem_nodes ? r->mem_nodes : "");
			return e;
		}
	}
	if (r->bind) {
		e = np_affinity_set(0, r->bind);
		if (e < 0) {
			/* leave nothing half-applied */
			if (r->pol)
				reset_policy();
			cli_error_errno(e, "cannot bind to CPUs %s", list(r->bind, a));
			return e;
		}
	}
	return 0;
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

static void print_plan_json(const struct run *r)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	if (r->bind)
		json_cpuset(&j, "cpus", r->bind);
	else
		json_null(&j, "cpus");
	if (r->pol) {
		unsigned int f = np_policy_flags(r->pol);

		json_obj_begin(&j, "policy");
		json_str(&j, "mode", np_mpol_mode_name(np_policy_mode(r->pol)));
		json_cpuset(&j, "nodes", np_policy_nodes(r->pol));
		json_arr_begin(&j, "flags");
		if (f & NP_MPOL_F_STATIC_NODES)
			json_str(&j, NULL, "static");
		if (f & NP_MPOL_F_RELATIVE_NODES)
			json_str(&j, NULL, "relative");
		if (f & NP_MPOL_F_NUMA_BALANCING)
			json_str(&j, NULL, "balancing");
		json_arr_end(&j);
		json_obj_end(&j);
	} else {
		json_null(&j, "policy");
	}
	if (r->ranks) {
		json_uint(&j, "rank", r->rank);
		json_uint(&j, "size", r->nranks);
	}
	if (r->shm_opt) {
		json_obj_begin(&j, "region");
		json_str(&j, "kind", strcmp(r->shm_opt, "--shm") == 0 ? "shm" : "file");
		json_str(&j, "path", r->shm_path);
		json_uint(&j, "offset", r->shm.offset);
		json_uint(&j, "length", r->shm.length);
		json_obj_end(&j);
	}
	if (r->plan_str) {
		char skip[32];

		snprintf(skip, sizeof(skip), "0x%llx", r->skip_mask);
		json_str(&j, "plan", r->plan_str);
		json_str(&j, "plan_mem", np_plan_mem_name((enum np_plan_mem)r->plan_mem));
		json_str(&j, "skip", skip);
		json_str(&j, "preload", r->preload);
	}
	json_obj_end(&j);
	json_finish(&j);
}

/* --dry-run: what would be applied, one "key: value" per line */
static int print_plan(const struct run *r)
{
	char *s = NULL;
	int e = 0;

	if (r->json) {
		print_plan_json(r);
		return 0;
	}
	if (r->bind && (e = np_cpuset_format_list(r->bind, 0, &s)) == 0)
		printf("cpus: %s\n", s);
	else if (!r->bind)
		printf("cpus: unchanged\n");
	free(s);
	s = NULL;
	if (r->pol && e == 0 && (e = np_policy_format(r->pol, &s)) == 0)
		printf("policy: %s\n", s);
	else if (!r->pol)
		printf("policy: unchanged\n");
	free(s);
	if (e < 0)
		cli_error_errno(e, "cannot print the plan");
	if (e == 0 && r->ranks)
		printf("rank: %u of %u\n", r->rank, r->nranks);
	if (e == 0 && r->shm_opt)
		printf("region: %s '%s' offset %llu length %llu\n", r->shm_opt, r->shm_path,
		       r->shm.offset, r->shm.length);
	if (e == 0 && r->plan_str)
		printf("plan: %s\nplan-mem: %s\nskip: 0x%llx\npreload: %s\n", r->plan_str,
		       np_plan_mem_name((enum np_plan_mem)r->plan_mem), r->skip_mask, r->preload);
	return e;
}

/* ---- --shm and --file: check the region, then attach, apply, touch, dump ---- */

/* the default huge page size: the smallest the topology lists; 0 when it lists none */
static size_t huge_page_size(const struct np_topo *t)
{
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (n->nhugepages)
			return (size_t)n->hugepages[0].page_size;
	}
	return 0;
}

/* a file's page size as shm_attach_file() will see it: st_blksize, or the new file's f_bsize */
static int file_region(struct run *r, size_t *ps, unsigned long long *size)
{
	const char *p = r->shm_path, *slash = strrchr(p, '/');
	struct statvfs vfs;
	struct stat st;
	char *dir;
	int e;

	if (stat(p, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return cli_usage("invalid --file '%s': not a regular file", p);
		*ps = (size_t)st.st_blksize;
		*size = (unsigned long long)st.st_size;
		return 0;
	}
	e = -errno;
	if (e != -ENOENT) {
		cli_error_errno(e, "cannot use --file '%s'", p);
		return e;
	}
	if (!r->shm.length) {
		cli_error("invalid --file '%s': no such file; give --length to create it", p);
		return e;
	}
	dir = slash ? strndup(p, slash == p ? 1 : (size_t)(slash - p)) : strdup(".");
	if (!dir)
		return -ENOMEM;
	e = statvfs(dir, &vfs) < 0 ? -errno : 0;
	if (e < 0)
		cli_error_errno(e, "cannot create --file '%s' in '%s'", p, dir);
	free(dir);
	*ps = (size_t)vfs.f_bsize;
	*size = 0;
	return e;
}

/* the size of the segment @r's key file names now, 0 when there is none */
static int sysv_region(struct run *r, unsigned long long *size)
{
	key_t key = ftok(r->shm_path, (int)r->shm.id);
	struct shmid_ds ds;
	int id, e;

	*size = 0;
	if (key == -1 && errno == ENOENT && r->shm.length)
		return 0;
	if (key == -1 && errno == ENOENT) {
		cli_error("invalid --shm '%s': no such key file; give --length to create it and a "
			  "segment", r->shm_path);
		return -ENOENT;
	}
	if (key == -1) {
		e = -errno;
		cli_error_errno(e, "cannot use --shm '%s'", r->shm_path);
		return e;
	}
	id = shmget(key, 0, 0);
	if (id < 0 && errno == ENOENT && r->shm.length)
		return 0;
	if (id < 0 && errno == ENOENT) {
		cli_error("invalid --shm '%s': no segment with its key (0x%08x, --shmid %ld); give "
			  "--length to create one", r->shm_path, (unsigned int)key, r->shm.id);
		return -ENOENT;
	}
	if (id < 0 || shmctl(id, IPC_STAT, &ds) < 0) {
		e = -errno;
		cli_error_errno(e, "cannot use the segment of --shm '%s'", r->shm_path);
		return e;
	}
	*size = ds.shm_segsz;
	return 0;
}

/*
 * Everything about the region that can be checked without creating anything: the page size,
 * the length (default: to the end of what exists), alignment, and that an existing segment
 * or file holds it.  Unlike numactl, a length that is not given means "to the end", from the
 * offset, for segments as well as files.
 */
static int check_region(struct run *r)
{
	bool sysv = strcmp(r->shm_opt, "--shm") == 0;
	struct shm_region *g = &r->shm;
	unsigned long long size = 0;
	size_t ps = (size_t)getpagesize();
	int e;

	if (sysv && g->huge && !(ps = huge_page_size(r->topo))) {
		cli_error("invalid --huge: this machine lists no huge page size");
		return -ENOENT;
	}
	e = sysv ? sysv_region(r, &size) : file_region(r, &ps, &size);
	if (e)
		return e;
	if (size && !g->length && size <= g->offset) {
		cli_error("invalid --offset '%s': %s '%s' has only %llu bytes; give --length", r->offset_s,
			  r->shm_opt, r->shm_path, size);
		return CLI_USAGE;
	}
	if (!g->length)
		g->length = size - g->offset;
	if (g->offset % ps)
		return cli_usage("invalid --offset '%s': not a multiple of the page size (%zu bytes)",
				 r->offset_s, ps);
	if (g->length % ps && r->length_s)
		return cli_usage("invalid --length '%s': not a multiple of the page size (%zu bytes)",
				 r->length_s, ps);
	if (g->length % ps)
		return cli_usage("invalid %s '%s': its %llu bytes from the offset are not a multiple of "
				 "the page size (%zu bytes); give --length", r->shm_opt, r->shm_path,
				 g->length, ps);
	/* a segment cannot grow: the region must fit in it */
	if (sysv && size && g->offset + g->length > size)
		return cli_usage("invalid --length '%s': --shm '%s' has %llu bytes, the region would "
				 "end at %llu", r->length_s, r->shm_path, size, g->offset + g->length);
	return 0;
}

static int region_failed(struct run *r, int e, const char *what, const char *step)
{
	bool sysv = strcmp(r->shm_opt, "--shm") == 0;

	if (e == -EPERM || e == -ENOSYS)
		blocked(e, "mbind");
	else if (e == -EIO && (r->shm.mbind_flags & NP_MBIND_STRICT))
		cli_error("cannot apply %s to %s '%s': some of its pages are on other nodes and could "
			  "not be moved (--strict)", r->mode_opt, r->shm_opt, r->shm_path);
	else
		cli_error("cannot %s %s '%s': %s%s%s", what, r->shm_opt, r->shm_path, step ? step : "",
			  step ? ": " : "", np_strerror(e));
	/* leave nothing half-applied: what this run created goes again */
	shm_undo(&r->shm, r->shm_path, sysv);
	return e;
}

static int run_region(struct run *r)
{
	bool sysv = strcmp(r->shm_opt, "--shm") == 0;
	char what[64];
	int e;

	r->shm.quiet = true;
	e = sysv ? shm_attach_sysv(&r->shm, r->shm_path, r->shm_opt)
		 : shm_attach_file(&r->shm, r->shm_path, r->shm_opt);
	if (e)
		return region_failed(r, e, "attach", r->shm.step);
	if (r->pol && (e = shm_apply(&r->shm, r->pol)) < 0) {
		snprintf(what, sizeof(what), "apply %s to", r->mode_opt);
		return region_failed(r, e, what, NULL);
	}
	if (r->touch)
		shm_touch(&r->shm);
	/* shm_dump*() print their own, numactl-worded, failures */
	if (r->dump && (e = shm_dump(&r->shm)) != 0)
		return e;
	if (r->dump_nodes && (e = shm_dump_nodes(&r->shm)) != 0)
		return e;
	if (fflush(stdout) == EOF) {
		e = -errno;
		cli_error_errno(e, "cannot write to stdout");
	}
	return e;
}

static void release(struct run *r)
{
	np_policy_free(r->pol);
	np_cpuset_free(r->bind);
	np_cpuset_free(r->cpu_allowed);
	np_cpuset_free(r->node_allowed);
	np_cpuset_free(r->cpunode_allowed);
	np_topo_free(r->topo);
	free(r->plan_str);
	np_plan_free(r->plan);
	free(r->preload);
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .mode = -1, .plan_mem = PMEM_UNSET };
	int e;

	shm_region_init(&r.shm);
	e = parse_args(&r, argc, argv);
	if (e)
		return e == 1 ? 0 : e;
	e = load(&r);
	if (e == 0)
		e = resolve(&r);
	/* a captured machine's kernel is not this one: nothing to probe */
	if (e == 0 && !r.sysroot)
		e = check_kernel(&r);
	if (e == 0 && r.shm_opt)
		e = check_region(&r);
	if (e == 0 && r.shm_opt && !r.dry_run) {
		e = run_region(&r);
		release(&r);
		return e;
	}
	if (e == 0 && !r.dry_run)
		e = set_plan_env(&r);
	if (e == 0)
		e = r.dry_run ? print_plan(&r) : apply(&r);
	release(&r);
	if (e || r.dry_run)
		return e;
	return exec_command(argv + optind);
}
