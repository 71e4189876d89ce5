/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/mempolicy.h - memory policies, placement queries, migration, and a process's
 * pages per node.
 */
#ifndef NUMAPLACE_MEMPOLICY_H
#define NUMAPLACE_MEMPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* === mempolicy: memory policies, placement queries and migration === */
/* ===================================================================================== */

/*
 * Memory policies (set_mempolicy(2), mbind(2)).  A policy is a mode, a set of nodes and flags;
 * the numbers below are the kernel's ABI values, so they pass through unchanged.
 *
 *  default              the task's policy is unset: allocate on the local node (or the
 *                       process's policy, for a range)
 *  preferred            one node first, then fall back to others when it is full
 *  bind                 only these nodes; allocation fails (OOM) rather than leave them
 *  interleave           round-robin over the nodes, page by page
 *  local                the node of the CPU that allocates (Linux 3.8+ as its own mode)
 *  preferred-many       any of these nodes first, then fall back (Linux 5.15+)
 *  weighted-interleave  round-robin weighted by /sys/kernel/mm/mempolicy/weighted_interleave
 *                       (Linux 6.9+)
 *
 * Flags: static-nodes (the nodes are not remapped when the cpuset changes), relative-nodes
 * (the nodes are relative to the cpuset's mems: "0" is its first node), numa-balancing
 * (let automatic NUMA balancing migrate pages within a bind policy; Linux 5.12+, and with
 * preferred-many on later kernels).
 */
enum np_mpol_mode {
	NP_MPOL_DEFAULT = 0,
	NP_MPOL_PREFERRED = 1,
	NP_MPOL_BIND = 2,
	NP_MPOL_INTERLEAVE = 3,
	NP_MPOL_LOCAL = 4,
	NP_MPOL_PREFERRED_MANY = 5,
	NP_MPOL_WEIGHTED_INTERLEAVE = 6,
};
#define NP_MPOL_MODE_COUNT 7

#define NP_MPOL_F_NUMA_BALANCING (1u << 13)
#define NP_MPOL_F_RELATIVE_NODES (1u << 14)
#define NP_MPOL_F_STATIC_NODES (1u << 15)
#define NP_MPOL_F_ALL (NP_MPOL_F_NUMA_BALANCING | NP_MPOL_F_RELATIVE_NODES | NP_MPOL_F_STATIC_NODES)

/* A memory policy: mode, nodes, flags and, for ranges, an optional home node. */
struct np_policy;

/**
 * np_mpol_mode_name() - "default", "preferred", "bind", "interleave", "local",
 * "preferred-many", "weighted-interleave"; NULL for an unknown mode.  Static storage.
 */
NP_API const char *np_mpol_mode_name(int mode);

/**
 * np_mpol_mode_parse() - the mode named @name (the names above; "membind" and "localalloc"
 * are accepted too, as numactl calls them).
 * Return: 0; -EINVAL unknown name.
 */
NP_API int np_mpol_mode_parse(const char *name, enum np_mpol_mode *ret);

/**
 * np_mpol_mode_since() - the first Linux version with @mode as a string ("5.15"), or NULL
 * for an unknown mode.  For messages: a kernel that rejects a mode is older than this.
 */
NP_API const char *np_mpol_mode_since(int mode);

/**
 * np_policy_new() - a policy object.
 * @mode: an enum np_mpol_mode.
 * @nodes: the nodes; must be NULL or empty for default and local, exactly one node for
 *         preferred, at least one for the other modes.  Copied.
 * @flags: NP_MPOL_F_*; static-nodes and relative-nodes exclude each other and need nodes.
 * @ret: receives the policy; the caller frees it with np_policy_free().
 *
 * Return: 0; -EINVAL a bad mode, flag, or node count for the mode; -ENOMEM.
 */
NP_API int np_policy_new(int mode, const struct np_cpuset *nodes, unsigned int flags,
			 struct np_policy **ret);

/** np_policy_free() - free a policy; NULL is a no-op. */
NP_API void np_policy_free(struct np_policy *pol);

/**
 * np_policy_dup() - a copy of @pol (home node included).
 * @ret: receives the copy; the caller frees it with np_policy_free().
 * Return: 0; -ENOMEM.
 */
NP_API int np_policy_dup(const struct np_policy *pol, struct np_policy **ret);

/** np_policy_equal() - same mode, flags, nodes and home node (node sets may differ in size). */
NP_API bool np_policy_equal(const struct np_policy *a, const struct np_policy *b);

/** np_policy_mode() - the mode. */
NP_API int np_policy_mode(const struct np_policy *pol);
/** np_policy_nodes() - the nodes, owned by @pol; an empty set for default and local. */
NP_API const struct np_cpuset *np_policy_nodes(const struct np_policy *pol);
/** np_policy_flags() - the NP_MPOL_F_* flags. */
NP_API unsigned int np_policy_flags(const struct np_policy *pol);

/**
 * np_policy_set_home_node() - the node a range's bind or preferred-many allocations start
 * from (set_mempolicy_home_node(2), Linux 5.17+), used by np_policy_apply_range(); -1 for none.
 * Return: 0; -EINVAL @node < -1, or a mode other than bind or preferred-many.
 */
NP_API int np_policy_set_home_node(struct np_policy *pol, int node);

/**
 * np_policy_parse() - a policy from text: "MODE[+FLAG...][:NODES]".
 * @str: e.g. "bind:0-1", "interleave:all", "preferred:2", "local", "bind+balancing:0",
 *       "interleave+static:0,2"; FLAG is static, relative or balancing; NODES is a cpulist
 *       or "all" (the members of @allowed).
 * @allowed: the nodes "all" stands for, and the bound for NODES; NULL means no bound
 *           beyond np_mpol_node_bits() (then "all" is -EINVAL).
 * @ret: receives the policy; the caller frees it.
 *
 * Return: 0; -EINVAL syntax or a node count that does not suit the mode; -ERANGE a node outside
 * @allowed; -EOVERFLOW; -ENOMEM.
 */
NP_API int np_policy_parse(const char *str, const struct np_cpuset *allowed,
			   struct np_policy **ret);

/**
 * np_policy_format() - the text np_policy_parse() reads: "bind:0-1", "local".
 * @ret: receives a malloc'd string the caller frees.
 * Return: 0; -ENOMEM.
 */
NP_API int np_policy_format(const struct np_policy *pol, char **ret);

/**
 * np_mpol_node_bits() - the node mask size this library passes to the kernel: at least the
 * kernel's nr_node_ids, a multiple of 64.  Sets of nodes should be created this large.
 * Return: the size in bits (> 0).
 */
NP_API int np_mpol_node_bits(void);

/**
 * np_policy_get() - the calling thread's policy (get_mempolicy(2)).
 * @ret: receives a new policy; the caller frees it.  Mode flags the kernel reports (static,
 *       relative, balancing) are kept in its flags.
 *
 * Return: 0; -EPERM or -ENOSYS the syscall is blocked (seccomp, container) or absent (a kernel
 * without NUMA); -ENOMEM.
 */
NP_API int np_policy_get(struct np_policy **ret);

/**
 * np_policy_get_addr() - the policy of the memory range containing @addr in this process
 * (get_mempolicy(2) with MPOL_F_ADDR): the range's own policy, or default when it has none.
 * Return: 0; -EFAULT @addr is not mapped; -EPERM/-ENOSYS as np_policy_get(); -ENOMEM.
 */
NP_API int np_policy_get_addr(const void *addr, struct np_policy **ret);

/**
 * np_policy_apply() - make @pol the calling thread's policy (set_mempolicy(2)); threads and
 * processes it creates afterwards inherit it, and it survives execve(2).
 *
 * Return: 0; -EINVAL the kernel rejects the mode or flags (older than np_mpol_mode_since()),
 * or no node is allowed by the cpuset; -EPERM/-ENOSYS blocked or absent; -ENOMEM.
 */
NP_API int np_policy_apply(const struct np_policy *pol);

/* np_policy_apply_range() flags (mbind(2)'s MPOL_MF_*). */
#define NP_MBIND_STRICT 0x1   /* fail with -EIO if a page is not on the policy's nodes */
#define NP_MBIND_MOVE 0x2     /* move this process's pages that break the policy */
#define NP_MBIND_MOVE_ALL 0x4 /* also pages shared with others (CAP_SYS_NICE) */

/**
 * np_policy_apply_range() - give the page-aligned range [@addr, @addr + @len) policy @pol
 * (mbind(2)), and its home node if one was set.
 * @flags: NP_MBIND_*.
 *
 * Return: 0; -EINVAL unaligned @addr, a bad mode or flags for this kernel; -EFAULT the range
 * is not fully mapped; -EIO NP_MBIND_STRICT and pages could not be moved; -EPERM
 * NP_MBIND_MOVE_ALL without CAP_SYS_NICE, or blocked; -ENOSYS absent; -ENOMEM.
 */
NP_API int np_policy_apply_range(const struct np_policy *pol, void *addr, size_t len,
				 unsigned int flags);

/**
 * np_mpol_mems_allowed() - the nodes this thread may allocate from (its cpuset's mems:
 * get_mempolicy(2) with MPOL_F_MEMS_ALLOWED).
 * @ret: receives a new set of np_mpol_node_bits() bits; the caller frees it.
 * Return: 0; -EPERM/-ENOSYS; -ENOMEM.
 */
NP_API int np_mpol_mems_allowed(struct np_cpuset **ret);

/**
 * np_mpol_interleave_next() - the node the calling thread's next interleaved allocation goes
 * to (get_mempolicy(2) with MPOL_F_NODE under an interleave policy).
 * Return: 0; -EINVAL the thread's policy is not interleave; -EPERM/-ENOSYS.
 */
NP_API int np_mpol_interleave_next(int *ret);

/**
 * np_mem_node_of() - the node holding the page at @addr in this process (get_mempolicy(2) with
 * MPOL_F_NODE | MPOL_F_ADDR).  The kernel faults the page in if it is not present yet, so this
 * is also a way to place one page under the range's policy.
 * Return: 0; -EFAULT not mapped; -EPERM/-ENOSYS.
 */
NP_API int np_mem_node_of(const void *addr, int *ret);

/**
 * np_mem_query() - the node of each of @count pages of process @pid (move_pages(2) without
 * target nodes: nothing moves).
 * @pid: 0 for this process.
 * @pages: page addresses (any address inside a page names that page).
 * @status: receives per page the node (>= 0) or a negative errno: -ENOENT not present (never
 *          touched, or swapped out), -EFAULT not mapped, -EACCES shared with another process.
 *
 * Return: 0; -ESRCH no such process; -EPERM not allowed (another user's process without
 * CAP_SYS_NICE, or blocked); -ENOSYS absent; -ENOMEM.
 */
NP_API int np_mem_query(pid_t pid, size_t count, const void *const *pages, int *status);

/**
 * np_mem_query_range() - np_mem_query() for every page of [@addr, @addr + @len).
 * @status: room for np_mem_page_count(@addr, @len) entries.
 * Return: as np_mem_query(); -EINVAL @len is 0.
 */
NP_API int np_mem_query_range(pid_t pid, const void *addr, size_t len, int *status);

/** np_mem_page_count() - the number of base pages [@addr, @addr + @len) touches. */
NP_API size_t np_mem_page_count(const void *addr, size_t len);

/**
 * np_mem_migrate() - move the pages of process @pid that are on @from to @to
 * (migrate_pages(2)); nodes are paired in order as the kernel does (the n-th node of @from
 * to the n-th of @to, cycling when @to is shorter).
 * @pid: 0 for this process.
 *
 * Return: the number of pages that could not be moved (>= 0); -ESRCH no such process; -EPERM
 * another user's process without CAP_SYS_NICE, or blocked; -EINVAL a node outside the
 * target's cpuset; -ENOSYS absent; -ENOMEM.
 */
NP_API int np_mem_migrate(pid_t pid, const struct np_cpuset *from, const struct np_cpuset *to);

/* np_mem_move_pages() / np_mem_move_range() flags. */
#define NP_MOVE_ALL 0x1 /* also pages mapped by other processes (MPOL_MF_MOVE_ALL, CAP_SYS_NICE) */

/**
 * np_mem_move_pages() - move @count pages of process @pid, the i-th to node @nodes[i]
 * (move_pages(2)).
 * @status: receives per page the node it is on afterwards (>= 0) or a negative errno:
 *          -ENOENT not present, -EFAULT not mapped, -EACCES shared (without NP_MOVE_ALL),
 *          -EBUSY busy, -ENOMEM the node is full, -EIO could not be written back.
 *
 * Return: 0 when every page is on its node; the number of pages that were not moved (> 0,
 * see @status); -ESRCH; -EPERM; -ENODEV a target node is not online; -E2BIG; -ENOSYS.
 */
NP_API int np_mem_move_pages(pid_t pid, size_t count, void *const *pages, const int *nodes,
			     int *status, unsigned int flags);

/* What np_mem_move_range() did, page by page. */
struct np_move_stats {
	size_t pages;   /* pages in the range */
	size_t moved;   /* now on the target node, and were not before */
	size_t already; /* were on the target node already */
	size_t absent;  /* not present (never touched or swapped out): nothing to move */
	size_t failed;  /* present and could not be moved */
	int first_error; /* the first failed page's -errno, or 0 */
};

/*
 * Progress callback: @done of @total pages handled.  Return 0 to go on, or a negative errno
 * to stop (which np_mem_move_range() then returns).
 */
typedef int (*np_progress_fn)(size_t done, size_t total, void *arg);

/**
 * np_mem_move_range() - move every present page of [@addr, @addr + @len) in process @pid to
 * @node, in batches, with a callback after each batch.
 * @flags: NP_MOVE_*.
 * @progress: may be NULL.
 * @stats: when not NULL, receives the counts (also when it returns an error after starting).
 *
 * Return: 0 (some pages may have failed: see @stats); -EINVAL @len is 0 or @node < 0; what the
 * callback returned; the errors of np_mem_move_pages().
 */
NP_API int np_mem_move_range(pid_t pid, const void *addr, size_t len, int node,
			     unsigned int flags, np_progress_fn progress, void *arg,
			     struct np_move_stats *stats);

/* Allocation helper flags. */
#define NP_ALLOC_THP 0x1    /* ask for transparent huge pages (MADV_HUGEPAGE), 2 MiB aligned */
#define NP_ALLOC_NO_THP 0x2 /* forbid them (MADV_NOHUGEPAGE) */
#define NP_ALLOC_TOUCH 0x4  /* write every page now, so placement happens here and not later */
#define NP_ALLOC_STRICT 0x8 /* with TOUCH: then check every page is on the policy's nodes (-EIO) */

/**
 * np_alloc() - map @len bytes of anonymous memory under policy @pol (mmap + mbind).
 * @flags: NP_ALLOC_*.
 * @ret: receives the address; free it with np_alloc_free(@ret, @len).
 *
 * Pages are placed when first touched; the policy decides where.
 * Return: 0; -EINVAL @len is 0 or THP and NO_THP together; -EIO STRICT found a page elsewhere;
 * the errors of np_policy_apply_range(); -ENOMEM.
 */
NP_API int np_alloc(size_t len, const struct np_policy *pol, unsigned int flags, void **ret);
/** np_alloc_onnode() - np_alloc() with a bind policy on @node. */
NP_API int np_alloc_onnode(size_t len, int node, unsigned int flags, void **ret);
/** np_alloc_interleaved() - np_alloc() interleaved over @nodes. */
NP_API int np_alloc_interleaved(size_t len, const struct np_cpuset *nodes, unsigned int flags,
				void **ret);
/** np_alloc_free() - unmap what np_alloc*() returned; NULL is a no-op. */
NP_API void np_alloc_free(void *addr, size_t len);

/*
 * What this kernel and this process may do with memory policies.  Probed without changing
 * anything: syscalls with arguments the kernel must reject tell a filtered syscall (-EPERM
 * from seccomp, -ENOSYS) from a present one (-EINVAL), and modes are tried with mbind(2) on a
 * scratch mapping that is unmapped afterwards.
 */
struct np_mpol_caps {
	int get_mempolicy;  /* 0 usable, else what the syscall answers: -EPERM, -ENOSYS */
	int set_mempolicy;
	int mbind;
	int migrate_pages;
	int move_pages;
	int home_node;       /* set_mempolicy_home_node: 0, -ENOSYS (before 5.17), -EPERM */
	bool modes_probed;   /* false when mbind or get_mempolicy is blocked: mode[] unknown */
	bool mode[NP_MPOL_MODE_COUNT]; /* modes mbind accepts */
	bool numa_balancing; /* NP_MPOL_F_NUMA_BALANCING with bind */
	bool numa_balancing_many; /* ... with preferred-many */
};

/**
 * np_mpol_probe() - fill @ret.
 * Return: 0; -ENOMEM (no scratch page).
 */
NP_API int np_mpol_probe(struct np_mpol_caps *ret);

/**
 * np_mpol_check() - whether the kernel and this process can apply @pol, as the probe says.
 * @to_range: for np_policy_apply_range() (mbind) rather than np_policy_apply().
 *
 * Return: 0; -EPERM or -ENOSYS the syscall is blocked or absent; -EOPNOTSUPP the kernel lacks
 * the mode or flag (older than np_mpol_mode_since()).
 */
NP_API int np_mpol_check(const struct np_mpol_caps *caps, const struct np_policy *pol,
			 bool to_range);

/*
 * Regions: memory policies for shared memory that outlives the process (lib/region.c), as
 * numactl --shm/--file give them.  A region is [offset, offset + length) of a SysV segment
 * keyed by a key file (ftok(3)) or of a file on tmpfs/hugetlbfs; its policy stays with the
 * segment or the file.
 */
struct np_region;

struct np_region_opts {
	unsigned long long offset; /* bytes into the segment or file */
	unsigned long long length; /* bytes; 0: the existing segment's size (a file needs one) */
	mode_t mode;               /* of the key file, segment or file created (0600) */
	int shm_id;                /* ftok(3)'s project id */
	size_t huge_page_size;     /* SysV: create the segment with SHM_HUGETLB, pages this big */
	bool transactional;        /* create only what is missing (O_EXCL) and remove on failure
				    * what this attach created; else numactl's ways */
};

/* what attaching created, for np_region_created() and struct np_region_fail */
#define NP_REGION_CREATED_KEY     0x1 /* the key file */
#define NP_REGION_CREATED_SEGMENT 0x2 /* the SysV segment */
#define NP_REGION_CREATED_FILE    0x4 /* the file */

/* the step of np_region_attach() that failed */
enum np_region_step {
	NP_REGION_SETUP,    /* a bad argument, or no memory: nothing was tried */
	NP_REGION_KEY_FILE, /* creating the missing key file */
	NP_REGION_FTOK,     /* ftok(3) of the key file just created */
	NP_REGION_LENGTH,   /* nothing to create it with (length 0), or an empty region */
	NP_REGION_OPEN,     /* shmget(2) of the existing segment, open(2) of the file */
	NP_REGION_CREATE,   /* shmget(IPC_CREAT), open(O_CREAT) */
	NP_REGION_STAT,     /* shmctl(IPC_STAT), fstat(2) */
	NP_REGION_TRUNCATE, /* ftruncate(2) to hold the region */
	NP_REGION_ALIGN,    /* the region is not page aligned */
	NP_REGION_MAP,      /* shmat(2), mmap(2) */
};

struct np_region_fail {
	enum np_region_step step;
	unsigned int created; /* NP_REGION_CREATED_*: made before the failure (and, when
			       * transactional, removed again) */
};

/**
 * np_region_attach() - attach the region of @path (a key file when @sysv, else the file),
 * creating what is missing when @opts->length says how big.
 * @ret: receives the region; np_region_detach() releases it.
 * @fail: may be NULL; on failure receives the step and what had been created.
 *
 * Return: 0; -EINVAL a bad argument, or the region is not page aligned or empty; -ENOENT
 * nothing to attach and no length to create it; -ENOMEM; the errno of the failed step.
 */
NP_API int np_region_attach(const char *path, bool sysv, const struct np_region_opts *opts,
			    struct np_region **ret, struct np_region_fail *fail);
/* detach @r; with @undo, remove the key file, segment or file attaching created.  NULL: no-op */
NP_API void np_region_detach(struct np_region *r, bool undo);

NP_API void *np_region_addr(const struct np_region *r);   /* the region's first byte */
NP_API unsigned long long np_region_length(const struct np_region *r);
NP_API unsigned long long np_region_offset(const struct np_region *r);
NP_API size_t np_region_page_size(const struct np_region *r);
NP_API unsigned int np_region_created(const struct np_region *r); /* NP_REGION_CREATED_* */

/**
 * np_region_apply() - give the region policy @pol (mbind(2); @flags NP_MBIND_*).
 * Return: as np_policy_apply_range().
 */
NP_API int np_region_apply(const struct np_region *r, const struct np_policy *pol,
			   unsigned int flags);
/* write every page of the region, so that it is placed now under its policy */
NP_API void np_region_touch(const struct np_region *r);

/*
 * The region as runs of pages, in order, offsets from the segment's or file's start: @fn is
 * called for each run [start, end) on one node (np_region_nodes(); pages not there yet are
 * faulted in by the query) or under one policy (np_region_policies(); @pol is only valid
 * during the call).  A non-zero return of @fn stops the walk and is returned.
 * Return: 0; what @fn returned; the errors of np_mem_node_of() / np_policy_get_addr().
 */
typedef int (*np_region_node_fn)(unsigned long long start, unsigned long long end, int node,
				 void *arg);
typedef int (*np_region_policy_fn)(unsigned long long start, unsigned long long end,
				   const struct np_policy *pol, void *arg);
NP_API int np_region_nodes(const struct np_region *r, np_region_node_fn fn, void *arg);
NP_API int np_region_policies(const struct np_region *r, np_region_policy_fn fn, void *arg);

/* === end mempolicy === */

/* ===================================================================================== */
/* === numamaps: a process's pages per node, from /proc/PID/numa_maps === */
/* ===================================================================================== */

/* enum np_page_kind - what backs a mapping's pages, as np_task_numa_maps() counts them. */
enum np_page_kind {
	NP_PAGES_ANON, /* anonymous, and private file mappings with copied pages (anon=) */
	NP_PAGES_FILE, /* page cache (and tmpfs, SysV shm) pages mapped from a file */
	NP_PAGES_HUGE, /* hugetlbfs pages ("huge"); transparent huge pages count as anon */
	NP_PAGES_NKINDS
};

/* struct np_numa_map - one line of numa_maps: a mapping and where its resident pages are. */
struct np_numa_map {
	unsigned long long start;      /* the mapping's first address */
	const char *policy;            /* as the kernel writes it: "default", "bind:0-1", ... */
	const char *file;              /* the file= path, NULL for none */
	enum np_page_kind kind;
	bool heap, stack;
	unsigned long long anon, dirty, mapped; /* anon=, dirty=, mapped= (pages); 0 if absent */
	unsigned long long page_kb;    /* kernelpagesize_kB (4 when absent, before Linux 2.6.37) */
	unsigned long long pages;      /* resident pages: the sum of the N<node>= fields */
	const unsigned long long *node_pages; /* [nnodes of the np_numa_maps] pages per node */
};

/* struct np_numa_maps_node - one node's resident pages by kind, and the same in KiB. */
struct np_numa_maps_node {
	unsigned long long pages[NP_PAGES_NKINDS];
	unsigned long long kb[NP_PAGES_NKINDS]; /* pages times each mapping's kernelpagesize_kB */
};

/* struct np_numa_maps - a process's numa_maps, parsed; from np_task_numa_maps(). */
struct np_numa_maps {
	unsigned int nnodes;            /* entries in @node: the highest node seen + 1 */
	struct np_numa_maps_node *node; /* per node totals */
	size_t nmaps;                   /* entries in @maps: one per line */
	struct np_numa_map *maps;
};

/**
 * np_task_numa_maps() - read and parse @sysroot/proc/@pid/numa_maps.
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @pid: the process; 0 for this process (proc/self).
 * @ret: receives the result; free it with np_numa_maps_free().
 *
 * Each line gives a mapping's address and policy and then fields; only N<node>= counts
 * resident pages.  Unknown fields are skipped, so newer kernels parse.  File paths are kept
 * as the kernel writes them (a blank as \040).  Reading needs the same permission as
 * ptrace-reading the process (PTRACE_MODE_READ).
 *
 * Return: 0; -ESRCH no such process (or no numa_maps in a capture: a kernel without NUMA);
 * -EACCES or -EPERM not allowed; -EINVAL a line that does not parse; -ERANGE a node number
 * above 65535; -ENOMEM; -errno from reading.
 */
NP_API int np_task_numa_maps(const char *sysroot, pid_t pid, struct np_numa_maps **ret);

/* np_numa_maps_free() - free a result of np_task_numa_maps(); NULL is a no-op. */
NP_API void np_numa_maps_free(struct np_numa_maps *m);

/* === end numamaps === */

/* ===================================================================================== */
/* === numastat: per-node NUMA counters and meminfo, vmstat, a task's NUMA faults ====== */
/* ===================================================================================== */

/* struct np_stat_value - one row of a kernel statistics file, under the kernel's name. */
struct np_stat_value {
	const char *name;          /* "numa_hit", "MemFree", "pgmigrate_success" */
	unsigned long long value;
};

/* struct np_node_stat - one node's rows, in the kernel's order. */
struct np_node_stat {
	unsigned int node;                 /* the node's number */
	size_t ncounters;
	struct np_stat_value *counters;    /* nodeN/numastat: numa_hit, numa_miss... (pages) */
	size_t nmeminfo;
	struct np_stat_value *meminfo;     /* nodeN/meminfo: KiB, HugePages_* in huge pages */
};

/* struct np_numastat - every node's rows and the NUMA rows of /proc/vmstat. */
struct np_numastat {
	size_t nnodes;
	struct np_node_stat *nodes;        /* in increasing node number */
	size_t nvmstat;
	struct np_stat_value *vmstat;      /* numa_*, pgmigrate_*, pgdemote_*, pgpromote_* */
	unsigned long long hugepage_kb;    /* proc/meminfo Hugepagesize; 0 when absent */
};

/**
 * np_numastat_load() - read every node's numastat and meminfo, and /proc/vmstat.
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @ret: receives the result; free it with np_numastat_free().
 *
 * A file that is absent leaves its rows empty (a capture without meminfo, a kernel without
 * NUMA counters in vmstat); names point into the result.  Counters move: two loads give the
 * rates.
 *
 * Return: 0; -ENODEV no node directory (no NUMA in the kernel); -EINVAL a row that does not
 * parse; -ENOMEM; -errno from reading (-EACCES...).
 */
NP_API int np_numastat_load(const char *sysroot, struct np_numastat **ret);

/* np_numastat_free() - free a result of np_numastat_load(); NULL is a no-op. */
NP_API void np_numastat_free(struct np_numastat *s);

/**
 * np_stat_find() - the value of the row named @name among @v[0..@n).
 * @ret: receives the value.
 *
 * Return: 0; -ENOENT no such row (*@ret untouched).
 */
NP_API int np_stat_find(const struct np_stat_value *v, size_t n, const char *name,
			unsigned long long *ret);

/* struct np_numa_faults - NUMA hinting faults charged to a task on one node. */
struct np_numa_faults {
	unsigned long long task_private, task_shared, group_private, group_shared;
};

/* struct np_task_numastat - a task's NUMA balancing state, from /proc/PID/sched. */
struct np_task_numastat {
	bool balancing;                    /* the kernel reports NUMA balancing for it */
	unsigned long long pages_migrated; /* numa_pages_migrated */
	unsigned long long total_faults;   /* total_numa_faults */
	int preferred_node;                /* numa_preferred_nid; -1 none */
	unsigned int nnodes;               /* entries in @faults (0 when none reported) */
	struct np_numa_faults *faults;     /* per node number */
};

/**
 * np_task_numastat() - read @sysroot/proc/@pid/sched's NUMA balancing lines.
 * @pid: the process (its main thread's view, which the kernel keeps per task).
 * @ret: receives the result; free it with np_task_numastat_free().
 *
 * A kernel without CONFIG_NUMA_BALANCING (or without the sched file, CONFIG_SCHED_DEBUG)
 * gives balancing false and no faults, not an error.
 *
 * Return: 0; -EINVAL @pid <= 0 or a numa_faults line that does not parse; -ESRCH no such
 * process; -ERANGE a node number above 65535; -ENOMEM; -errno from reading (-EACCES).
 */
NP_API int np_task_numastat(const char *sysroot, pid_t pid, struct np_task_numastat **ret);

/* np_task_numastat_free() - free a result of np_task_numastat(); NULL is a no-op. */
NP_API void np_task_numastat_free(struct np_task_numastat *t);

/**
 * np_task_comm() - a process's command name (@sysroot/proc/@pid/comm, at most 15 bytes).
 * @buf: receives it, NUL-terminated.
 * @size: the size of @buf.
 *
 * Return: 0; -EINVAL @pid <= 0 or @size 0; -ESRCH no such process; -ENAMETOOLONG @buf too
 * small (untouched); -errno from reading.
 */
NP_API int np_task_comm(const char *sysroot, pid_t pid, char *buf, size_t size);

/**
 * np_task_match() - the processes whose command line holds @pattern, as numastat -p finds them.
 * @pattern: a text fragment, matched against the arguments joined by blanks.
 * @ret: receives a malloc'd array of PIDs in increasing order (NULL when none); the caller
 *       free()s it.
 * @nret: receives their number (0 is not an error).
 *
 * Kernel threads (no command line) and, on the live machine, the calling process are left out.
 * Return: 0; -EINVAL @pattern empty; -ENOMEM; -errno from listing @sysroot/proc.
 */
NP_API int np_task_match(const char *sysroot, const char *pattern, pid_t **ret, size_t *nret);

/* === end numastat === */

/* ===================================================================================== */
/* === weights: weighted interleave's per-node weights (Linux 6.9+) === */
/* ===================================================================================== */

#define NP_WEIGHT_MAX 255    /* the kernel's largest weight (a u8); the smallest is 1 */
#define NP_WEIGHT_NODES 1024 /* nodes the undo file can hold (x86's MAX_NUMNODES) */

struct np_topo;

/**
 * np_weights_read() - the weights of weighted interleave (sys/kernel/mm/mempolicy/
 * weighted_interleave/nodeN).
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @weights: @nnodes entries, filled on success: node N's weight, 0 for a node without one.
 * @nnodes: how many nodes @weights holds (np_topo_node_size()).
 *
 * Return: how many nodes have a weight; -EINVAL @weights NULL or @nnodes 0; -ENOENT the kernel
 * has no weighted interleave (before 6.9); -ENOMEM; -errno from reading.
 */
NP_API int np_weights_read(const char *sysroot, unsigned int *weights, unsigned int nnodes);

/**
 * np_weights_write() - set node @node's weight to @weight (1-255).  Needs root on a live
 * machine; under a sysroot it writes that tree's file (tests).
 *
 * Return: 0; -EINVAL @weight 0 or above NP_WEIGHT_MAX; -ENOENT no weighted interleave in the
 * kernel, or no such node; -EACCES or -EPERM not allowed; -errno from writing.
 */
NP_API int np_weights_write(const char *sysroot, unsigned int node, unsigned int weight);

/**
 * np_weights_from_bandwidth() - weights proportional to bandwidths: the smallest ratio of
 * small integers that keeps each node's share within 1% (or what 255 allows).
 * @bw: @n bandwidths in any one unit; 0 leaves that node out (its weight is 0).
 * @weights: @n entries, filled on success.
 *
 * Return: 0; -EINVAL a NULL array, @n 0 or every bandwidth 0; -ENOMEM.
 */
NP_API int np_weights_from_bandwidth(const unsigned long long *bw, unsigned int *weights,
				     unsigned int n);

/**
 * np_weights_hmat_bandwidth() - each memory node's read bandwidth (MB/s) by HMAT, from its
 * best CPU initiators (access class 1), else from its best initiators of any kind (class 0).
 * @bw: @nnodes entries, filled on success; 0 for nodes without memory.
 *
 * Return: 0; -EINVAL a NULL argument or @nnodes 0; -ENODATA a node with memory has no HMAT
 * read bandwidth (firmware without HMAT, or loaded with NP_TOPO_NO_HMAT); -ENOMEM.
 */
NP_API int np_weights_hmat_bandwidth(const struct np_topo *topo, unsigned long long *bw,
				     unsigned int nnodes);

/**
 * np_weights_save() - keep the current weights in the undo file (run/numaplace/
 * weighted-interleave under @sysroot), replacing what it held; call it before a change.
 *
 * Return: 0; -ENOENT no weighted interleave; -EACCES or -EPERM not allowed; -ENOMEM; -errno.
 */
NP_API int np_weights_save(const char *sysroot);

/**
 * np_weights_undo() - write back the weights np_weights_save() kept, then remove the file.
 * @weights: @nnodes entries, filled on success with the weights restored (0: not saved).
 *
 * Return: 0; -ENOENT nothing saved (or no weighted interleave); -EINVAL the file does not
 * parse, or a NULL argument; -EACCES or -EPERM not allowed; -ENOMEM; -errno.
 */
NP_API int np_weights_undo(const char *sysroot, unsigned int *weights, unsigned int nnodes);

/* === end weights === */

/* ===================================================================================== */
/* === tiers: memory tiers, demotion and NUMA balancing's mode === */
/* ===================================================================================== */

/*
 * Memory tiers (sys/devices/virtual/memory_tiering/memory_tierN, Linux 6.1+): nodes grouped by
 * their abstract distance, N; a lower N is a faster tier (DRAM is 4 on x86, slower memory as
 * HMAT or a driver ranks it above).  Demotion (sys/kernel/mm/numa/demotion_enabled) moves cold
 * pages down a tier instead of reclaiming them; NUMA balancing (proc/sys/kernel/numa_balancing)
 * is a mode: 0 off, bit 0 normal (move pages to their users' node), bit 1 memory tiering
 * (promote hot pages to a faster tier, Linux 6.0+).
 */
struct np_tiers;

/**
 * np_tiers_load() - read the memory tiers, demotion and NUMA balancing's mode.
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @ret: receives the result; free it with np_tiers_free().  A kernel without tiers gives a
 *       result with 0 tiers.
 *
 * Return: 0; -ENOMEM; -errno opening @sysroot.
 */
NP_API int np_tiers_load(const char *sysroot, struct np_tiers **ret);

/* np_tiers_free() - free a result of np_tiers_load(); NULL is a no-op. */
NP_API void np_tiers_free(struct np_tiers *t);

/* np_tiers_count() - how many tiers, ordered by increasing abstract distance (fastest first). */
NP_API unsigned int np_tiers_count(const struct np_tiers *t);

/**
 * np_tiers_tier() - tier @i: its abstract distance id (memory_tierN) and nodes.
 * @nodes: receives the nodes, owned by @t (lives until np_tiers_free()); may be NULL.
 *
 * Return: 0; -EINVAL @i out of range.
 */
NP_API int np_tiers_tier(const struct np_tiers *t, unsigned int i, unsigned int *id,
			 const struct np_cpuset **nodes);

/* np_tiers_demotion() - 1 demotion enabled, 0 disabled, -ENOENT the kernel does not say. */
NP_API int np_tiers_demotion(const struct np_tiers *t);

/* np_tiers_balancing() - NUMA balancing's mode (0-3, see above), -ENOENT not known. */
NP_API int np_tiers_balancing(const struct np_tiers *t);

/* === end tiers === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_MEMPOLICY_H */
