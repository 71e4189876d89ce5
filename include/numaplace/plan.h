/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/plan.h - location expressions, placement plans, host policies.
 */
#ifndef NUMAPLACE_PLAN_H
#define NUMAPLACE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>
#include <numaplace/topo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* === plan: location expressions, placement plans, host policies === */
/* ===================================================================================== */

/*
 * Terminology used below:
 *  location   an expression naming CPUs by topology: "node:1", "package:0.core:0-3",
 *             "pu:even", "near:eth0", "0-3,8" (a plain cpulist is OS CPU numbers), combined
 *             left to right with ',' (union), '~' (remove) and '&' (intersect), grouped with
 *             parentheses.  Indexes after "type:" are logical, as hwloc numbers objects: the
 *             n-th object of that type in topological order (package > node > cache > core >
 *             thread); after '.', relative to the object before it.  See numaplace(1).
 *  place      a set of CPUs a worker may run on (OpenMP's word): one thread, one core, one
 *             last-level cache, one NUMA node or one socket.
 *  plan       N workers, each given a place (its CPUs) and the NUMA nodes those CPUs sit on.
 *  eligible   the CPUs a plan may use: online, allowed to this process, not isolated (unless
 *             asked), within the --within location.
 */

/* A parsed location expression (an AST); evaluate it against a machine with np_location_eval(). */
struct np_location;

/**
 * np_location_parse() - parse a location expression.
 * @str: the expression.
 * @ret: receives the expression; the caller frees it with np_location_free().
 * @errpos: when not NULL, receives on failure the byte offset of the token at fault.
 *
 * Only the syntax is checked here: whether "core:99" exists depends on the machine.
 *
 * Return: 0; -EINVAL syntax error (unknown type, bad range, unbalanced parenthesis, nesting
 * deeper than 64); -EOVERFLOW a number past INT_MAX; -ENOMEM.
 */
NP_API int np_location_parse(const char *str, struct np_location **ret, size_t *errpos);

/** np_location_free() - free a parsed expression; NULL is a no-op. */
NP_API void np_location_free(struct np_location *loc);

/**
 * np_location_format() - the canonical text of @loc: aliases replaced by their main name
 * (numa: node:, socket: package:, thread: pu:), blanks dropped, parentheses only where needed.
 * Parsing the result gives an expression that formats to the same text.
 * @ret: receives a malloc'd string the caller frees.
 * Return: 0, or -ENOMEM.
 */
NP_API int np_location_format(const struct np_location *loc, char **ret);

/**
 * np_location_eval() - the online CPUs @loc names on @topo.
 * @ret: receives a new set np_topo_cpu_size() bits wide; the caller frees it.
 * @errpos: when not NULL, receives on failure the offset of the term at fault.
 *
 * Return: 0; -ERANGE an index past the objects there are ("core:99"), or a CPU number past
 * the machine's; -ENODEV near: names no device the machine has; -ENOMEM.
 */
NP_API int np_location_eval(const struct np_location *loc, const struct np_topo *topo,
			    struct np_cpuset **ret, size_t *errpos);

/**
 * np_location_resolve() - np_location_parse() then np_location_eval() of @str.
 * Return: as for those two.
 */
NP_API int np_location_resolve(const struct np_topo *topo, const char *str,
			       struct np_cpuset **ret, size_t *errpos);

/* How workers are laid out over the places. */
enum np_plan_policy {
	NP_PLAN_SPREAD,   /* OpenMP 5 proc_bind(spread): one worker per subpartition of places */
	NP_PLAN_CLOSE,    /* OpenMP 5 proc_bind(close): consecutive places */
	NP_PLAN_COMPACT,  /* KMP_AFFINITY=compact: fill a core's threads, then its neighbours */
	NP_PLAN_SCATTER,  /* KMP_AFFINITY=scatter: round-robin over packages, nodes, caches, cores */
	NP_PLAN_PER_NODE, /* MindSpore: worker i on NUMA node i mod nodes, all its CPUs */
};

/* OpenMP's abstract place names (OMP_PLACES); for compact/scatter, KMP's granularity. */
enum np_plan_places {
	NP_PLACES_CORES, /* the default */
	NP_PLACES_THREADS,
	NP_PLACES_LL_CACHES,
	NP_PLACES_NUMA_DOMAINS,
	NP_PLACES_SOCKETS,
};

/* What to do with SMT siblings (the second and further threads of a core). */
enum np_plan_smt {
	NP_SMT_LAST,  /* default: one thread per core while there are at least as many cores as
		       * workers, every thread otherwise */
	NP_SMT_USE,   /* every thread is a place like any other (the runtimes' own behaviour) */
	NP_SMT_AVOID, /* only the first eligible thread of each core, whatever the count */
};

/* struct np_plan_opts - inputs of np_plan_make(); zero-initialised = spread over cores. */
struct np_plan_opts {
	enum np_plan_policy policy;
	enum np_plan_places places;
	enum np_plan_smt smt;
	const struct np_cpuset *within; /* NULL: no restriction; not owned */
	bool include_isolated;          /* also use the kernel's isolated CPUs */
};

/* A computed plan: worker i -> CPUs and nodes.  Opaque; see the accessors. */
struct np_plan;

/**
 * np_plan_make() - say where @nworkers workers go on @topo.
 * @opts: NULL for the defaults.
 * @ret: receives the plan; the caller frees it with np_plan_free().
 *
 * The place list is built from the eligible CPUs (see Terminology) in topological order; places
 * left empty are dropped.  More workers than places share places as OpenMP and KMP do
 * (close/spread: consecutive workers per place; compact/scatter/per-node: round robin).
 *
 * Return: 0; -EINVAL @nworkers is 0 or an option is out of its enum; -ENOENT no eligible CPU
 * (everything excluded by within/allowed/isolated); -ENOMEM.
 */
NP_API int np_plan_make(const struct np_topo *topo, unsigned int nworkers,
			const struct np_plan_opts *opts, struct np_plan **ret);

/** np_plan_free() - free a plan; NULL is a no-op. */
NP_API void np_plan_free(struct np_plan *plan);

/** np_plan_count() - the number of workers. */
NP_API unsigned int np_plan_count(const struct np_plan *plan);

/** np_plan_cpus() - worker @i's CPUs (owned by @plan), or NULL past the end. */
NP_API const struct np_cpuset *np_plan_cpus(const struct np_plan *plan, unsigned int i);

/** np_plan_nodes() - the NUMA nodes worker @i's CPUs sit on (owned by @plan), or NULL. */
NP_API const struct np_cpuset *np_plan_nodes(const struct np_plan *plan, unsigned int i);

/** np_plan_node() - worker @i's NUMA node when its CPUs are on one node, else -1. */
NP_API int np_plan_node(const struct np_plan *plan, unsigned int i);

/**
 * np_plan_shared() - whether worker @i's CPUs overlap another worker's: the plan oversubscribes
 * them (more workers than places, or places that overlap).  False past the end.
 */
NP_API bool np_plan_shared(const struct np_plan *plan, unsigned int i);

/** np_plan_shared_count() - how many workers share CPUs with another; 0: no oversubscription. */
NP_API unsigned int np_plan_shared_count(const struct np_plan *plan);

/** np_plan_eligible() - the CPUs the plan chose from (owned by @plan). */
NP_API const struct np_cpuset *np_plan_eligible(const struct np_plan *plan);

/* Output syntaxes other tools consume. */
enum np_plan_format {
	NP_PLAN_FMT_OMP,     /* OMP_PLACES: "{0,8},{4,12}", one place per worker, in order */
	NP_PLAN_FMT_GOMP,    /* GOMP_CPU_AFFINITY: "0 4 1 5", each worker's lowest CPU */
	NP_PLAN_FMT_KMP,     /* KMP_AFFINITY: "granularity=fine,explicit,proclist=[{0,8},4]" */
	NP_PLAN_FMT_TASKSET, /* one cpulist per worker and line, for taskset -c */
	NP_PLAN_FMT_SLURM,   /* srun --cpu-bind=map_cpu:0,4 (one CPU each) or mask_cpu:0x101,... */
	NP_PLAN_FMT_PRELOAD, /* NUMAPLACE_PLAN for the preload library: "0,8@0;4,12@0" (CPUs@node,
			      * node -1 when the worker spans nodes) */
};

/**
 * np_plan_format() - @plan in another tool's syntax, without a trailing newline.
 * @ret: receives a malloc'd string the caller frees.
 * Return: 0; -EINVAL unknown @fmt; -ENOMEM.
 */
NP_API int np_plan_format(const struct np_plan *plan, enum np_plan_format fmt, char **ret);

/*
 * Names of the enums as the CLI spells them ("close", "ll_caches", "avoid", "omp"): *_name()
 * returns static storage or NULL for a bad value; *_parse() returns the value (>= 0) or -EINVAL.
 */
NP_API const char *np_plan_policy_name(enum np_plan_policy policy);
NP_API int np_plan_policy_parse(const char *name);
NP_API const char *np_plan_places_name(enum np_plan_places places);
NP_API int np_plan_places_parse(const char *name);
NP_API int np_plan_smt_parse(const char *name);
NP_API int np_plan_format_parse(const char *name);

/**
 * np_local_rank() - this process's rank among the ranks of its job on this node, and how many
 * there are, from the launcher's environment, first found of: OMPI_COMM_WORLD_LOCAL_RANK /
 * OMPI_COMM_WORLD_LOCAL_SIZE (Open MPI), MPI_LOCALRANKID / MPI_LOCALNRANKS (MPICH, Intel MPI),
 * PMI_LOCAL_RANK / PMI_LOCAL_SIZE, PALS_LOCAL_RANKID / PALS_LOCAL_SIZE (Cray PALS),
 * SLURM_LOCALID / SLURM_NTASKS_PER_NODE or SLURM_STEP_TASKS_PER_NODE at SLURM_NODEID (srun),
 * LOCAL_RANK / LOCAL_WORLD_SIZE (torchrun).
 * @rank, @size: receive the rank (0-based) and the count.
 *
 * Return: 0; -ENOENT no launcher variable is set; -EINVAL a variable does not parse, or the
 * rank is not below the size.
 */
NP_API int np_local_rank(unsigned int *rank, unsigned int *size);

/**
 * np_plan_slice() - the CPUs of local rank @rank of @size: the eligible places (as
 * np_plan_make() builds them from @opts; policy is ignored) cut into @size runs of consecutive
 * places as OpenMP spread cuts a partition, rank r taking every place of run r.  With more
 * ranks than places, ranks share places as close shares them.  Slices of different ranks are
 * disjoint whenever @size does not exceed the number of places.
 * @ret: receives a new CPU set; the caller frees it.
 *
 * Return: 0; -EINVAL @size is 0, @rank >= @size, or a bad option; -ENOENT no eligible CPU;
 * -ENOMEM.
 */
NP_API int np_plan_slice(const struct np_topo *topo, unsigned int rank, unsigned int size,
			 const struct np_plan_opts *opts, struct np_cpuset **ret);

/* What the preload library does with each worker's memory (NUMAPLACE_PLAN_MEM). */
enum np_plan_mem {
	NP_PLAN_MEM_LOCAL, /* allocate on the node the thread runs on (the default) */
	NP_PLAN_MEM_NODE,  /* prefer the worker's node */
	NP_PLAN_MEM_NONE,  /* leave the memory policy alone */
};
/* "local", "node", "none": static storage or NULL; parse returns the value or -EINVAL */
NP_API const char *np_plan_mem_name(enum np_plan_mem mem);
NP_API int np_plan_mem_parse(const char *name);

/**
 * np_plan_setenv() - put @plan into this process's environment for libnumaplace-preload.so:
 * NUMAPLACE_PLAN, NUMAPLACE_PLAN_MEM and NUMAPLACE_PLAN_SKIP (removed when @skip is 0).  The
 * caller sets LD_PRELOAD.
 * @skip: created threads to leave alone, bit 0 the first pthread_create.
 *
 * Return: 0; -EINVAL a bad @mem; -ENOMEM.
 */
NP_API int np_plan_setenv(const struct np_plan *plan, enum np_plan_mem mem,
			  unsigned long long skip);

/*
 * Resolution: numactl's placement semantics as data (lib/resolve.c).  A request names CPUs or
 * nodes to run on and a memory policy over a node string, in numactl's syntax ("0-3", "all",
 * "!1", "+0-1" relative to the allowed sets); np_resolve() turns it into the CPUs and policy to
 * apply, or fills a struct np_reason the caller words ("node 3 has no memory; pick one of 0-2").
 */
enum np_why {
	NP_WHY_NONE,
	NP_WHY_SYNTAX,           /* @err -EINVAL or -EOVERFLOW at byte @pos of the string */
	NP_WHY_EMPTY,            /* the string names no CPU or node */
	NP_WHY_NO_SUCH_CPU,      /* a CPU the machine does not have; @set: its CPUs */
	NP_WHY_NO_SUCH_NODE,     /* a node the machine does not have; @set: its nodes */
	NP_WHY_BEYOND_ALLOWED,   /* "+N" or "!" reaching past the allowed CPUs; @set: those */
	NP_WHY_CPU_OFFLINE,      /* CPU @id is offline; @set: the online CPUs */
	NP_WHY_NODE_OFFLINE,     /* node @id is offline; @set: the online nodes */
	NP_WHY_NODE_NO_CPUS,     /* node @id has no CPUs; @set: the nodes with CPUs */
	NP_WHY_NODE_NO_MEMORY,   /* node @id has no memory (@has_cpus: it has CPUs); @set: the
				  * nodes with memory */
	NP_WHY_CPUS_NOT_ALLOWED, /* no allowed CPU on node @id (-1: on any node named); @set: the
				  * allowed CPUs */
	NP_WHY_OUTSIDE_CPUSET,   /* CPUs: none in the cgroup cpuset (@id -1), @set: its online
				  * CPUs; memory: node @id outside Mems_allowed, @set: those */
	NP_WHY_PREFERRED_ONE,    /* NP_MPOL_PREFERRED with other than one node */
};

/* which string of the request a reason is about */
enum np_resolve_field { NP_RESOLVE_CPUS, NP_RESOLVE_CPU_NODES, NP_RESOLVE_MEM_NODES };

struct np_reason {
	enum np_why why;
	enum np_resolve_field field;
	int err;                /* -EINVAL: the request is wrong; -ENODEV, -EPERM: it names
				 * something that exists but cannot be used here */
	int id;                 /* the CPU or node at fault, -1 when none */
	size_t pos;             /* NP_WHY_SYNTAX: byte offset in the field's string */
	bool has_cpus;          /* NP_WHY_NODE_NO_MEMORY: the node has CPUs */
	struct np_cpuset *set;  /* what would work (see enum np_why); owned, np_reason_release() */
};

struct np_resolve_req {
	const char *cpus;        /* CPUs to run on (numactl syntax); NULL: leave affinity alone */
	bool cpus_mask;          /* @cpus may also be a taskset mask ("0xff") */
	const char *cpu_nodes;   /* or: nodes whose CPUs to run on; not both */
	int mode;                /* NP_MPOL_*; -1: leave the memory policy alone */
	const char *mem_nodes;   /* @mode's nodes; NULL for NP_MPOL_LOCAL */
	unsigned int flags;      /* NP_MPOL_F_*; RELATIVE_NODES: @mem_nodes are not checked */
	bool all;                /* numactl -a: CPUs are checked against the online, cgroup ones */
	const struct np_cpuset *allowed_cpus;  /* from np_resolve_allowed() */
	const struct np_cpuset *allowed_nodes;
	/* or, instead of a string, the set it names, parsed by the caller (np_topo_parse_cpus(),
	 * np_topo_parse_nodes()): only checked against the machine and the allowed sets */
	const struct np_cpuset *cpu_set, *cpu_node_set, *mem_node_set;
};

struct np_policy; /* numaplace/mempolicy.h */

struct np_resolved {
	struct np_cpuset *cpus;    /* NULL: leave affinity alone */
	struct np_policy *policy;  /* NULL: leave the memory policy alone */
	struct np_cpuset *dropped; /* CPUs named but outside the cgroup cpuset, left out (warn) */
	struct np_cpuset *cpuset;  /* with @dropped: the cgroup cpuset's online CPUs */
	struct np_cpuset *isolated; /* CPUs of @cpus that are isolated (isolcpus=), or NULL */
};

/**
 * np_resolve_allowed() - what numactl's "+" and "!" are relative to: this process's allowed
 * CPUs and Mems_allowed (with @all: every online CPU and node), as wide as @topo's sets.  A
 * capture without process files gives its online CPUs and nodes with memory; a topology
 * loaded with NP_TOPO_NO_LIMITS on this machine asks the kernel (sched_getaffinity(2),
 * get_mempolicy(2)), as numactl does.
 * @cpus, @nodes: receive new sets; the caller frees them.
 * Return: 0; -ENOMEM; the errors of np_affinity_get() and np_mpol_mems_allowed().
 */
NP_API int np_resolve_allowed(const struct np_topo *topo, bool all, struct np_cpuset **cpus,
			      struct np_cpuset **nodes);

/**
 * np_resolve() - the CPUs and policy @req asks for on @topo.
 * @ret: filled on success; release with np_resolved_release().
 * @why: filled on failure when @why->why is not NP_WHY_NONE; release with np_reason_release().
 *
 * Return: 0; @why->err (-EINVAL, -ENODEV, -EPERM) with @why filled; -EINVAL with NP_WHY_NONE
 * for a request without its allowed sets or with both @cpus and @cpu_nodes; -ENOMEM; the
 * errors of np_policy_new().
 */
NP_API int np_resolve(const struct np_topo *topo, const struct np_resolve_req *req,
		      struct np_resolved *ret, struct np_reason *why);
/* free what @res holds and zero it; NULL is a no-op */
NP_API void np_resolved_release(struct np_resolved *res);
/* free @why's set; NULL is a no-op */
NP_API void np_reason_release(struct np_reason *why);

/* How a host policy treats memory. */
enum np_hostpolicy_mem {
	NP_HP_MEM_DEFAULT,    /* leave the memory policy alone */
	NP_HP_MEM_LOCAL,      /* allocate on the node of the CPU that touches first */
	NP_HP_MEM_BIND,       /* only the policy's nodes */
	NP_HP_MEM_PREFERRED,  /* the policy's node first, others when it is full */
	NP_HP_MEM_INTERLEAVE, /* round robin over the policy's nodes */
};

/*
 * struct np_hostpolicy - where one worker runs and allocates, as Triton's --host-policy and
 * MindSpore's cache server say it.  Caller-allocated; np_hostpolicy_parse() and np_pool_plan()
 * fill it, np_hostpolicy_release() frees what it points to.
 *  cpus:  CPUs to run on; NULL: leave the affinity alone
 *  nodes: nodes for @mem; NULL: the nodes of @cpus (or of numa-node=)
 */
struct np_hostpolicy {
	int numa_node; /* numa-node=N, -1 when not given */
	struct np_cpuset *cpus;
	struct np_cpuset *nodes;
	enum np_hostpolicy_mem mem;
	bool smt_avoid; /* smt=avoid: keep only the first thread of each core in @cpus */
};

/**
 * np_hostpolicy_parse() - parse "key=value,..." into @hp.
 * @str: keys numa-node=N and cpu-cores=LIST (Triton's; cpu-cores are OS CPU numbers, a cpulist
 *       whose commas may also be written ';'), mem=bind|preferred|interleave|local, smt=avoid|use,
 *       nodes=LIST.  "numa-node=0,cpu-cores=0-3" gives both; a bare number after cpu-cores=
 *       continues its list ("cpu-cores=0,2,4").
 * @hp: filled on success (its previous contents are not freed); release with
 *      np_hostpolicy_release().
 * @errpos: when not NULL, receives on failure the byte offset at fault.
 *
 * Without mem=, a policy naming a node binds memory to it (mem=bind), as Triton does.
 *
 * Return: 0; -EINVAL unknown key or bad value; -ERANGE a CPU or node past 4095 (or a value out of
 * its range); -EOVERFLOW; -ENOMEM.
 */
NP_API int np_hostpolicy_parse(const char *str, struct np_hostpolicy *hp, size_t *errpos);

/** np_hostpolicy_release() - free the sets @hp points to and clear them; NULL is a no-op. */
NP_API void np_hostpolicy_release(struct np_hostpolicy *hp);

/**
 * np_hostpolicy_apply() - apply @hp to the calling thread: CPU affinity, then memory policy.
 * @topo: the live machine's topology (for the CPUs of numa-node= and smt=avoid); may be NULL
 *        when @hp names CPUs and nodes explicitly.
 *
 * Return: 0; -EINVAL @hp names no CPU the machine has online, or numa-node= without @topo;
 * -ENOENT the node does not exist; errors of sched_setaffinity(2) and set_mempolicy(2) (-EPERM,
 * -EINVAL for CPUs outside the cgroup).
 */
NP_API int np_hostpolicy_apply(const struct np_hostpolicy *hp, const struct np_topo *topo);

/* np_pool_plan() flags */
#define NP_POOL_UNPINNED 0x1 /* do not pin: no CPUs, memory interleaved over every node */

/**
 * np_pool_plan() - host policies for a pool of @nworkers workers, as MindSpore's cache server
 * chooses them: worker i on the (i mod nodes)-th node that has eligible CPUs, its CPUs that
 * node's, memory local; with NP_POOL_UNPINNED, no CPUs and memory interleaved over every node
 * with memory.
 * @ret: receives an array of @nworkers policies; free it with np_pool_free(@ret, @nworkers).
 *
 * Return: 0; -EINVAL @nworkers is 0 or unknown @flags; -ENOENT no eligible CPU; -ENOMEM.
 */
NP_API int np_pool_plan(const struct np_topo *topo, unsigned int nworkers, unsigned int flags,
			struct np_hostpolicy **ret);

/** np_pool_free() - release and free an array from np_pool_plan(); NULL is a no-op. */
NP_API void np_pool_free(struct np_hostpolicy *hps, unsigned int nworkers);

/* === end plan === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_PLAN_H */
