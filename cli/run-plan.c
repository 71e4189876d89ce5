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
 *  static    a command without PT_INTERP: no dynamic loader, so no LD_PRELOAD; --plan cannot
 *            reach its threads and refuses to run it rather than leave them unpinned.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
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
	unsigned long long v;
	int e = cli_parse_count("--plan", s, 1, CLI_MAX_WORKERS, &v);

	if (e == 0)
		*ret = (unsigned int)v;
	return e;
}

/* likwid-pin's -s: a hex mask of at most 64 threads (what the library reads) */
static int parse_skip(struct run *r, const char *s)
{
	unsigned long long v;
	int e = cli_parse_hex("--skip", s, &v);

	if (e)
		return e;
	r->pl.skip_mask = v;
	r->pl.skip = s;
	return 0;
}

int run_plan_option(struct run *r, const struct cli_ctx *ctx, const char *opt)
{
	const char *arg = ctx->optarg;
	int v = 0, e = 0;

	switch (ctx->opt) {
	case OPT_POLICY:
		e = cli_parse_choice(ctx, np_plan_policy_parse, &v);
		r->pl.opts.policy = (enum np_plan_policy)v;
		break;
	case OPT_PLACES:
		e = cli_parse_choice(ctx, np_plan_places_parse, &v);
		r->pl.opts.places = (enum np_plan_places)v;
		break;
	case OPT_SMT:
		e = cli_parse_choice(ctx, np_plan_smt_parse, &v);
		r->pl.opts.smt = (enum np_plan_smt)v;
		break;
	case OPT_WITHIN: r->pl.within = arg; break;
	case OPT_ISOLATED: r->pl.opts.include_isolated = true; break;
	case OPT_SKIP: e = parse_skip(r, arg); break;
	case OPT_EXCLUSIVE: r->pl.exclusive = true; break;
	case OPT_PLAN_MEM:
		e = cli_parse_choice(ctx, np_plan_mem_parse, &r->pl.mem);
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

	if (!r->pl.workers && !r->pl.ranks) {
		if (r->pl.first_opt)
			return cli_usage("%s needs --plan or --ranks", r->pl.first_opt);
		return 0;
	}
	if (r->pl.exclusive && !r->pl.workers)
		return cli_usage("--exclusive needs --plan (it refuses a plan whose workers share CPUs)");
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
		e = np_topo_nodes_of_cpus(r->topo, r->bind, &nodes);
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
	e = cli_plan_shared(p, r->pl.exclusive);
	if (e < 0) {
		np_plan_free(p);
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
		e = resolve_slice(r);
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

/*
 * OpenMP: both runtimes size their team from the affinity mask they find at initialisation,
 * which is worker 0's place by then (run binds itself to it, the preload library pins the main
 * thread in its constructor), so without OMP_NUM_THREADS the command gets one thread.  An
 * OMP_PLACES list of the plan would not help: libgomp and libomp both drop places outside that
 * initial mask.  So the preload library keeps pinning each thread as it is created, and the
 * runtimes are told only how many: OMP_NUM_THREADS=N.  libomp (LLVM) also resets each worker's
 * mask to the initial mask as the worker starts, after the preload library pinned it, unless
 * its affinity is "disabled"; libgomp binds nothing unless OMP_PROC_BIND or OMP_PLACES is set.
 * What the user set is kept: a runtime told to bind its threads itself overrides the plan,
 * which is said on stderr.
 */
static int omp_setenv(const struct run *r)
{
	static const char *const binds[] = { "OMP_PROC_BIND", "OMP_PLACES", "GOMP_CPU_AFFINITY",
					     "KMP_AFFINITY" };
	char n[16];

	snprintf(n, sizeof(n), "%u", r->pl.workers);
	if (setenv("OMP_NUM_THREADS", n, 0) < 0 || setenv("KMP_AFFINITY", "disabled", 0) < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(binds) / sizeof(binds[0]); i++) {
		const char *v = getenv(binds[i]);

		if (v && strcmp(binds[i], "KMP_AFFINITY") == 0 && strcmp(v, "disabled") == 0)
			continue;
		if (v)
			cli_warn("%s=%s is set: an OpenMP runtime binds its threads by it, over "
				 "the plan", binds[i], v);
	}
	return 0;
}

/* what the preload library reads (np_plan_setenv); LD_PRELOAD keeps what was there, after it */
int run_plan_setenv(const struct run *r)
{
	const char *old = getenv("LD_PRELOAD");
	char *pre = NULL;
	int e;

	if (!r->pl.plan)
		return 0;
	if (old && *old ? asprintf(&pre, "%s:%s", r->pl.preload, old) < 0 : !(pre = strdup(r->pl.preload)))
		return -ENOMEM;
	e = np_plan_setenv(r->pl.plan, (enum np_plan_mem)r->pl.mem, r->pl.skip_mask);
	if (e == 0 && setenv("LD_PRELOAD", pre, 1) < 0)
		e = -errno;
	if (e == 0)
		e = omp_setenv(r);
	free(pre);
	if (e < 0)
		cli_error_errno(e, "cannot set the environment for the preload library");
	return e;
}

/* @cmd as execvp() finds it: with a slash as it is, else the first match in PATH */
static int command_path(const char *cmd, char **ret)
{
	const char *path = getenv("PATH"), *p, *end;
	char *full;

	if (strchr(cmd, '/'))
		return (*ret = strdup(cmd)) ? 0 : -ENOMEM;
	for (p = path && *path ? path : "/bin:/usr/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (asprintf(&full, "%.*s%s%s", (int)(end - p), p, end > p ? "/" : "", cmd) < 0)
			return -ENOMEM;
		if (access(full, X_OK) == 0) {
			*ret = full;
			return 0;
		}
		free(full);
	}
	return -ENOENT;
}

/* 1: an ELF file without PT_INTERP (static, static-pie); 0: anything else or unreadable */
static int elf_static(int fd)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf32_Ehdr *eh32 = (Elf32_Ehdr *)&eh;
	Elf32_Phdr *ph32 = (Elf32_Phdr *)&ph;
	bool is64;
	unsigned int n;
	off_t off;
	size_t size;

	if (pread(fd, &eh, sizeof(eh), 0) < (ssize_t)sizeof(*eh32) || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return 0;
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return 0;
	is64 = eh.e_ident[EI_CLASS] == ELFCLASS64;
	n = is64 ? eh.e_phnum : eh32->e_phnum;
	off = is64 ? (off_t)eh.e_phoff : (off_t)eh32->e_phoff;
	size = is64 ? sizeof(ph) : sizeof(*ph32);
	for (unsigned int i = 0; i < n; i++, off += (off_t)size) {
		if (pread(fd, &ph, size, off) != (ssize_t)size)
			return 0;
		if ((is64 ? ph.p_type : ph32->p_type) == PT_INTERP)
			return 0;
	}
	return 1;
}

/*
 * --plan on a statically linked command: ld.so never runs, LD_PRELOAD is never read and every
 * created thread would silently stay on worker 0's CPUs.  A command that cannot be found or
 * read is left to exec, which reports it as run does without a plan.
 */
int run_plan_check_command(const struct run *r, const char *cmd)
{
	char *path = NULL;
	int fd, st = 0;

	if (!r->pl.workers || !cmd || command_path(cmd, &path) < 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		st = elf_static(fd);
		close(fd);
	}
	free(path);
	if (!st)
		return 0;
	cli_error("cannot plan the threads of '%s': it is statically linked, so the preload library "
		  "cannot reach them; link it dynamically, or bind it with --cpus", cmd);
	return -ENOEXEC;
}
