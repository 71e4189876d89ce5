/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/mempolicy.h - memory policies, placement queries and migration; the policy of a
 * shared-memory segment or file (regions).
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

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_MEMPOLICY_H */
