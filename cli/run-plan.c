/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-plan.c - `numaplace run --plan N` and `--ranks`: the options that shape a plan, the
 * launcher's rank, the slice and the plan on this machine, the preload library and the
 * environment it reads (written by the library's codec, np_plan_setenv()).
 *
 * Terminology:
 *  plan      --plan N: N workers' places (numaplace plan), handed to the preload library,
 *            which pins each thread of the command as it is created (the main thread is
 *            worker 0, created threads take the next workers).
 *  slice     --ranks: the share of the machine's places that local rank r of n gets
 *            (np_plan_slice); the command is bound to it, and a --plan is made inside it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

/* where `make install` puts the preload library; the Makefile passes the real one */
#ifndef NP_PKGLIBDIR
#define NP_PKGLIBDIR "/usr/local/lib/numaplace"
#endif

int run_plan_count(const char *s, unsigned int *ret)
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
	r->pl.skip_mask = strtoull(p, &end, 16);
	if (errno)
		return cli_usage("invalid --skip '%s': the library follows at most the first 64 "
				 "threads", s);
	r->pl.skip = s;
	return 0;
}

int run_plan_option(struct run *r, int c, const char *opt, const char *arg)
{
	int v = 0, e = 0;

	switch (c) {
	case OPT_POLICY:
		e = cli_choice(np_plan_policy_parse, opt, arg,
			       "spread, close, compact, scatter, per-node", &v);
		r->pl.opts.policy = (enum np_plan_policy)v;
		break;
	case OPT_PLACES:
		e = cli_choice(np_plan_places_parse, opt, arg,
			       "cores, threads, ll_caches, numa_domains, sockets", &v);
		r->pl.opts.places = (enum np_plan_places)v;
		break;
	case OPT_SMT:
		e = cli_choice(np_plan_smt_parse, opt, arg, "last, use, avoid", &v);
		r->pl.opts.smt = (enum np_plan_smt)v;
		break;
	case OPT_WITHIN: r->pl.within = arg; break;
	case OPT_ISOLATED: r->pl.opts.include_isolated = true; break;
	case OPT_SKIP: e = parse_skip(r, arg); break;
	case OPT_PLAN_MEM:
		e = cli_choice(np_plan_mem_parse, opt, arg, "local, node, none", &r->pl.mem);
		break;
	}
	if (!r->pl.first_opt)
		r->pl.first_opt = opt;
	return e;
}

/* --ranks: "R/N", or "auto" from the launcher's environment */
static int parse_ranks(struct run *r)
{
	return cli_parse_ranks("--ranks", r->pl.ranks, &r->pl.rank, &r->pl.nranks);
}

/* what --plan and --ranks combine with; fills in --plan-mem's default */
int run_plan_args(struct run *r)
{
	const char *by = r->pl.workers ? "--plan" : "--ranks";
	int e = run_near_args(r);

	if (e < 0)
		return e;
	if (!r->pl.workers && !r->pl.ranks) {
		if (r->pl.first_opt)
			return cli_usage("%s needs --plan or --ranks", r->pl.first_opt);
		return 0;
	}
	if (r->pl.skip && !r->pl.workers)
		return cli_usage("--skip needs --plan (it picks threads to leave out of the plan)");
	if (r->cpunodes || r->cpus)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", by,
				 r->cpunodes ? r->cpunodes_opt : r->cpus_opt);
	if (r->mode >= 0 && r->pl.mem != PMEM_UNSET && r->pl.mem != PMEM_NONE)
		return cli_usage("conflicting memory policies '%s' and '--plan-mem %s': give one",
				 r->mode_opt, np_plan_mem_name((enum np_plan_mem)r->pl.mem));
	if (r->mode >= 0)
		r->pl.mem = PMEM_NONE;
	else if (r->pl.mem == PMEM_UNSET)
		r->pl.mem = r->pl.workers ? PMEM_LOCAL : PMEM_NODE;
	return r->pl.ranks ? parse_ranks(r) : 0;
}

/*
 * With --shm or --file the policy goes to the region and nothing is run: a command, a CPU
 * binding or a plan would be silently dropped, so each is a usage error.
 */
/* --within: a location on this machine; what the user wrote is at fault, so usage errors */
static int resolve_within(struct run *r, struct np_cpuset **ret)
{
	size_t pos = 0;
	int e = np_location_resolve(r->topo, r->pl.within, ret, &pos);

	if (e == 0)
		return 0;
	if (e == -ENODEV)
		return cli_usage("invalid --within '%s': no such device on this machine", r->pl.within);
	if (e == -ENOMEM) {
		cli_error_errno(e, "cannot resolve --within '%s'", r->pl.within);
		return e;
	}
	if (pos == 0)
		return cli_usage("invalid --within '%s': %s", r->pl.within, np_strerror(e));
	return cli_bad_set("--within", r->pl.within, e, pos);
}

static int no_cpu_left(struct run *r)
{
	cli_error("no CPU left to plan on%s%s%s: every CPU is offline, disallowed, isolated or "
		  "outside --within", r->pl.within ? " within '" : "", r->pl.within ? r->pl.within : "",
		  r->pl.within ? "'" : "");
	return -ENOENT;
}

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
 * The memory policy run itself sets when --plan-mem is not none: with --ranks alone and "node",
 * bound to the slice's nodes that have memory (local when none has); otherwise local, which
 * the preload library then refines per thread.  Set here so the kernel is probed before exec.
 */
static int plan_policy(struct run *r)
{
	struct np_cpuset *nodes = NULL;
	int e = 0;

	if (r->pl.mem == PMEM_NONE || r->pol)
		return 0;
	r->mode = NP_MPOL_LOCAL;
	r->mode_opt = r->pl.workers ? "--plan" : "--ranks";
	if (!r->pl.workers && r->pl.mem == PMEM_NODE) {
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
	int e = np_plan_slice(r->topo, r->pl.rank, r->pl.nranks, &r->pl.opts, &r->bind);

	if (e == -ENOENT)
		return no_cpu_left(r);
	if (e < 0)
		cli_error_errno(e, "cannot plan rank %u of %u", r->pl.rank, r->pl.nranks);
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
	r->pl.preload = path;
	return 0;
}

/* --plan: the places, as the preload library reads them */
static int resolve_threads(struct run *r)
{
	struct np_plan *p;
	int e = np_plan_make(r->topo, r->pl.workers, &r->pl.opts, &p);

	if (e == -ENOENT)
		return no_cpu_left(r);
	if (e < 0) {
		cli_error_errno(e, "cannot plan %u workers", r->pl.workers);
		return e;
	}
	e = np_plan_format(p, NP_PLAN_FMT_PRELOAD, &r->pl.str);
	/*
	 * The main thread is worker 0: binding it here, as the library's constructor will, reports
	 * a blocked sched_setaffinity before exec instead of leaving every thread silently unpinned.
	 */
	if (e == 0 && !r->bind)
		e = np_cpuset_dup(np_plan_cpus(p, 0), &r->bind);
	r->pl.plan = p;
	if (e < 0) {
		cli_error_errno(e, "cannot format the plan");
		return e;
	}
	return find_preload(r);
}

int run_plan_resolve(struct run *r)
{
	struct np_cpuset *within = NULL;
	int e = 0;

	if (!r->pl.workers && !r->pl.ranks)
		return 0;
	if (r->pl.within)
		e = resolve_within(r, &within);
	r->pl.opts.within = within;
	if (e == 0 && r->pl.ranks)
		e = r->pl.near.near ? run_near_resolve(r) : resolve_slice(r);
	if (e == 0 && r->pl.ranks)
		r->pl.opts.within = r->bind;
	if (e == 0 && r->pl.workers)
		e = resolve_threads(r);
	if (e == 0)
		e = plan_policy(r);
	r->pl.opts.within = NULL;
	np_cpuset_free(within);
	return e;
}

/* what the preload library reads (np_plan_setenv); LD_PRELOAD keeps what was there, after it */
int run_plan_setenv(const struct run *r)
{
	const char *old = getenv("LD_PRELOAD");
	char *pre = NULL;
	int e = run_near_setenv(r);

	if (e < 0 || !r->pl.plan)
		return e;
	if (old && *old ? asprintf(&pre, "%s:%s", r->pl.preload, old) < 0 : !(pre = strdup(r->pl.preload)))
		return -ENOMEM;
	e = np_plan_setenv(r->pl.plan, (enum np_plan_mem)r->pl.mem, r->pl.skip_mask);
	if (e == 0 && setenv("LD_PRELOAD", pre, 1) < 0)
		e = -errno;
	free(pre);
	if (e < 0)
		cli_error_errno(e, "cannot set the environment for the preload library");
	return e;
}
