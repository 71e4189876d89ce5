/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run.h - what the files of `numaplace run` share: the parsed request and its resolution.
 * cmd-run.c parses and dispatches; run-apply.c resolves (np_resolve) and words the reasons,
 * checks the kernel, applies or prints; run-plan.c does --plan and --ranks; run-region.c does
 * --shm and --file.
 *
 * Terminology: see cmd-run.c.
 */
#ifndef NP_CLI_RUN_H
#define NP_CLI_RUN_H

#include <stdbool.h>

#include "cli.h"
#include "opts.h"
#include "ranks-near.h"
#include "shm.h"

#define PRELOAD_NAME "libnumaplace-preload.so"

/* --plan-mem: enum np_plan_mem, or not given */
enum { PMEM_UNSET = -1, PMEM_LOCAL = NP_PLAN_MEM_LOCAL, PMEM_NODE = NP_PLAN_MEM_NODE,
       PMEM_NONE = NP_PLAN_MEM_NONE };

/* --plan and --ranks: the plan's options, the slice, the preload library's environment */
struct run_plan {
	unsigned int workers;    /* --plan N; 0: no plan */
	const char *ranks;       /* --ranks auto|R/N */
	struct np_plan_opts opts;
	const char *within;      /* --within EXPR */
	const char *skip;        /* --skip MASK, as given */
	unsigned long long skip_mask;
	bool exclusive;          /* --exclusive: refuse a plan whose workers share CPUs */
	int mem;                 /* --plan-mem: enum np_plan_mem, or PMEM_UNSET */
	const char *first_opt;   /* the first plan option seen, for "needs --plan" */
	unsigned int rank, nranks;
	struct np_plan *plan;    /* --plan's workers */
	char *str;               /* NUMAPLACE_PLAN, for --dry-run */
	char *preload;           /* the library's path */
	struct near near;        /* --near and its options (ranks-near.c) */
	struct np_rank_place place; /* with --near: the rank's device, CPUs and NIC */
};

/* --shm and --file: the region instead of a command */
struct run_region {
	struct np_region_opts o; /* --offset, --length, --shmmode, --shmid; the --huge page size */
	bool huge;               /* --huge */
	unsigned int mbind_flags; /* NP_MBIND_STRICT with --strict */
	struct np_region *region;
	const char *path;        /* the key file or the file */
	const char *opt;         /* "--shm" or "--file"; NULL: run a command */
	const char *needs;       /* the first region option seen, for "needs --shm or --file" */
	const char *length_s, *offset_s; /* as given */
	bool touch, dump, dump_nodes;
};

/* the request: the binding and policy options, then what they resolve to */
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
	struct np_cpuset *cpu_allowed, *node_allowed; /* np_resolve_allowed() */
	struct np_cpuset *bind;  /* resolved CPUs, NULL: leave affinity alone */
	struct np_policy *pol;   /* resolved policy, NULL: leave it alone */

	const char *isolated;    /* --isolated NAME: the partition of `numaplace isolate` */
	char *isolated_cpus;     /* its CPUs, the binding when no other is given */

	struct run_plan pl;      /* --plan and --ranks (run-plan.c) */
	struct run_region rg;    /* --shm and --file (run-region.c) */
};

/* long-only options' ids */
enum { OPT_CPUS = 256, OPT_NODES, OPT_STATIC, OPT_RELATIVE, OPT_DRY_RUN, OPT_SYSROOT, OPT_JSON,
       OPT_PLAN, OPT_RANKS, OPT_POLICY, OPT_PLACES, OPT_SMT, OPT_WITHIN, OPT_ISOLATED, OPT_SKIP,
       OPT_PLAN_MEM, OPT_EXCLUSIVE, OPT_NEAR, OPT_BIND, OPT_NIC, OPT_OVERSUB, OPT_MEM,
       OPT_IN_PARTITION };

/* run-apply.c */
const char *run_list(const struct np_cpuset *set, char *buf); /* @buf: 64 bytes */
int run_load(struct run *r);
int run_resolve(struct run *r);
int run_check_kernel(struct run *r);
int run_blocked(int err, const char *call);
int run_apply(struct run *r);
int run_print(const struct run *r);

/* run-plan.c */
int run_plan_count(const char *s, unsigned int *ret);
int run_plan_option(struct run *r, const struct cli_ctx *ctx, const char *opt);
int run_plan_args(struct run *r);
int run_plan_resolve(struct run *r);
int run_plan_setenv(const struct run *r);
int run_plan_check_command(const struct run *r, const char *cmd);

/* run-near.c: --ranks with --near (cli/ranks-near.c does the placing) */
int run_near_args(struct run *r);
int run_near_resolve(struct run *r);
int run_near_setenv(const struct run *r);

/* run-region.c */
int run_region_option(struct run *r, int c, const char *opt, const char *arg);
int run_region_args(struct run *r, int ncmd, char **cmd);
int run_region_check(struct run *r);
int run_region_apply(struct run *r);

#endif /* NP_CLI_RUN_H */
