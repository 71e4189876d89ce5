/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - struct bodies and private helpers shared by the lib/ sources.  Never installed; the
 * CLI and the tests of the public API include only numaplace.h (unit tests may include this).
 */
#ifndef NP_INTERNAL_H
#define NP_INTERNAL_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>

#include "numaplace.h"

#define NP_HIDDEN __attribute__((visibility("hidden")))
#define NP_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define NP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NP_BITS_PER_WORD (8 * sizeof(unsigned long))
#define NP_WORDS(nbits) (((size_t)(nbits) + NP_BITS_PER_WORD - 1) / NP_BITS_PER_WORD)

/* cpuset: bits[] holds NP_WORDS(nbits) words; bits at or beyond nbits are always zero. */
struct np_cpuset {
	unsigned int nbits;
	unsigned long *bits;
};

/* word @i of @s, 0 past its end: sets of different sizes compare as zero-extended */
static inline unsigned long np__cpuset_word(const struct np_cpuset *s, size_t i)
{
	return i < NP_WORDS(s->nbits) ? s->bits[i] : 0;
}

/* clear the bits of the last word that lie at or beyond nbits */
static inline void np__cpuset_trim(struct np_cpuset *s)
{
	unsigned int rem = s->nbits % NP_BITS_PER_WORD;

	if (rem)
		s->bits[NP_WORDS(s->nbits) - 1] &= (1UL << rem) - 1;
}

/*
 * sbuf: a growing string for the formatters (lib/cpuset.c).  After an allocation failure it
 * stays failed (oom) and ignores further text, so a formatter checks once, in np__sbuf_finish(),
 * which hands over the string ("" if nothing was added) or frees it and returns -ENOMEM.
 */
struct np__sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};
NP_HIDDEN void np__sbuf_add(struct np__sbuf *b, const char *fmt, ...) NP_PRINTF(2, 3);
NP_HIDDEN int np__sbuf_finish(struct np__sbuf *b, char **ret);

/*
 * sysfs: every read of /sys and /proc goes through one of these.  Paths are given relative to
 * the sysroot ("sys/devices/system/cpu/online"; a leading '/' is ignored), opened with openat()
 * against rootfd, so a captured tree and the live machine are read by the same code.
 */
struct np__problems;
struct np_sysfs {
	int rootfd;
	char *root; /* the sysroot as given, "/" for the live machine */
	bool live;  /* root is "/": /proc/self is this process */
	/* np_topo_load()'s: where the reads record unusable files (NULL: nowhere) */
	struct np__problems *problems;
	const char *base; /* this context's directory relative to the sysroot, "" or "dir/" */
};

/* @path without its leading '/'s ("." for none left): what openat() on rootfd takes */
NP_HIDDEN const char *np__sysfs_rel(const char *path);
/* vsnprintf() of a path into @path; -ENAMETOOLONG when it does not fit in @size */
NP_HIDDEN int np__vpath(char *path, size_t size, const char *fmt, va_list ap);
NP_HIDDEN int np__sysfs_open(const char *sysroot, struct np_sysfs **ret);
NP_HIDDEN void np__sysfs_free(struct np_sysfs *fs);

/*
 * np__sysfs_read() - read a whole small file into @buf (NUL-terminated), trailing NULs,
 * newlines and blanks stripped.  Return: its length, -ENOENT/-EACCES/... from open/read,
 * -EFBIG when it does not fit in @size - 1 bytes, -EINVAL when it is not a regular file.
 */
NP_HIDDEN ssize_t np__sysfs_read(const struct np_sysfs *fs, char *buf, size_t size,
				 const char *fmt, ...) NP_PRINTF(4, 5);
/*
 * np__sysfs_read_alloc() - read a whole file of up to NP__PROC_MAX bytes; *ret is malloc'd and
 * NUL-terminated.  Return: 0, -errno of open/read, -EFBIG when longer, -EINVAL when it is not
 * a regular file (a FIFO or device in a hostile sysroot).  np__sysfs_read_big(): the same with
 * a cap of @max bytes, for numa_maps (a line per mapping, up to max_map_count of them).
 */
#define NP__PROC_MAX (4u << 20)
NP_HIDDEN int np__sysfs_read_alloc(const struct np_sysfs *fs, char **ret, size_t *len,
				   const char *fmt, ...) NP_PRINTF(4, 5);
NP_HIDDEN int np__sysfs_read_big(const struct np_sysfs *fs, size_t max, char **ret, size_t *len,
				 const char *fmt, ...) NP_PRINTF(5, 6);
/*
 * np__sysfs_read_first() - np__sysfs_read() for a caller that reads the file again with a
 * larger buffer on -EFBIG, which is then no problem to record.
 */
NP_HIDDEN ssize_t np__sysfs_read_first(const struct np_sysfs *fs, char *buf, size_t size,
				       const char *fmt, ...) NP_PRINTF(4, 5);
/*
 * np__sysfs_bad() - record that the file @fmt names holds a value its reader rejects (the
 * reads above record the files they cannot read or parse themselves).  @err: EINVAL for text
 * that does not parse, ERANGE for an implausible value; @reason: a fixed phrase, lowercase
 * ("MemTotal beyond 2^50 bytes").  Nothing happens when @fs keeps no problem list.
 */
NP_HIDDEN void np__sysfs_bad(const struct np_sysfs *fs, int err, const char *reason,
			     const char *fmt, ...) NP_PRINTF(4, 5);
/*
 * np__sysfs_bad_parse() - the same for @r, what a parser of lib/sysparse.h made of the text the
 * file @fmt names holds: -EINVAL "not a number", -ERANGE "a number out of range", -EDOM
 * @implausible (an ERANGE problem; none when @implausible is NULL: a value the attribute may
 * hold, only not one the reader shows).  Nothing for any other @r (0, or a count).
 */
NP_HIDDEN void np__sysfs_bad_parse(const struct np_sysfs *fs, int r, const char *implausible,
				   const char *fmt, ...) NP_PRINTF(4, 5);
/*
 * np__sysfs_parse_node() - @text, a device's or IRQ's numa_node read from the file @fmt names,
 * through np__parse_dev_node() into *@node; a value other than the kernel's -1 (no node) that
 * it rejects is a problem ("a node out of range" beyond an int).  Return: its result.
 */
NP_HIDDEN int np__sysfs_parse_node(const struct np_sysfs *fs, const char *text, int *node,
				   const char *fmt, ...) NP_PRINTF(4, 5);
/* A file holding one decimal integer (may be negative). */
NP_HIDDEN int np__sysfs_read_ll(const struct np_sysfs *fs, long long *ret, const char *fmt, ...)
	NP_PRINTF(3, 4);
/* A file holding a cpulist / a hex mask, parsed into @set (whose size bounds it). */
NP_HIDDEN int np__sysfs_read_list(const struct np_sysfs *fs, struct np_cpuset *set,
				  const char *fmt, ...) NP_PRINTF(3, 4);
NP_HIDDEN int np__sysfs_read_mask(const struct np_sysfs *fs, struct np_cpuset *set,
				  const char *fmt, ...) NP_PRINTF(3, 4);
NP_HIDDEN bool np__sysfs_exists(const struct np_sysfs *fs, const char *fmt, ...) NP_PRINTF(2, 3);
/* opendir() of a directory below the sysroot; the caller closedir()s it. */
NP_HIDDEN int np__sysfs_opendir(const struct np_sysfs *fs, DIR **ret, const char *fmt, ...)
	NP_PRINTF(3, 4);
/*
 * A directory read with getdents64() into a buffer of its own: one openat() and the reads,
 * without the fstat() and two fcntl() calls fdopendir() adds to every directory.  Entries come
 * in readdir() order, "." and ".." left out.
 */
struct np__dir {
	int fd;
	unsigned int pos, len;
	char buf[8192] __attribute__((aligned(8)));
};
/* Return: 0; -ENOENT, -ENOTDIR, -EACCES and the like from openat(). */
NP_HIDDEN int np__dir_open(const struct np_sysfs *fs, struct np__dir *d, const char *fmt, ...)
	NP_PRINTF(3, 4);
/* the next entry's name (valid until the next call), or NULL at the end or on a read error */
NP_HIDDEN const char *np__dir_next(struct np__dir *d);
NP_HIDDEN void np__dir_close(struct np__dir *d);
/*
 * The numbers of @dir's entries named <@prefix><digits> ("cpu12", "node3") up to @limit, in
 * directory order, in a new array (*@ret, freed by the caller; NULL when *@count is 0).
 * Return: 0; -ENOMEM; the errors of np__dir_open().
 */
NP_HIDDEN int np__sysfs_dir_ids(const struct np_sysfs *fs, const char *dir, const char *prefix,
				unsigned long limit, unsigned int **ret, unsigned int *count);
/* readlink() below the sysroot, NUL-terminated; returns the length. */
NP_HIDDEN ssize_t np__sysfs_readlink(const struct np_sysfs *fs, char *buf, size_t size,
				     const char *fmt, ...) NP_PRINTF(4, 5);

/* === problems: files a topology load found but could not use (lib/diag.c) === */
struct np__problem {
	char *path;         /* relative to the sysroot */
	const char *reason; /* a fixed phrase */
	int kind;           /* enum np_problem_kind */
	int error;          /* a positive errno value */
	size_t limit;
};
struct np__problems {
	struct np__problem *v; /* NP_TOPO_PROBLEMS_KEPT entries once the first is recorded */
	unsigned int n;        /* kept */
	unsigned int total;    /* found, kept or not */
};
/*
 * np__problem_add() - record the file @base@path (each path once) with @err (positive errno),
 * @mode (the file type of a file that is not a regular one, else 0), @limit (the cap of an
 * EFBIG) and @reason (NULL: one derived from @err and @mode).  Out of memory: it is counted, not
 * kept.
 */
NP_HIDDEN void np__problem_add(struct np__problems *p, const char *base, const char *path,
			       int err, unsigned int mode, size_t limit, const char *reason);
NP_HIDDEN void np__problems_release(struct np__problems *p);
/* the reason for a set list (@mask false) or mask that np_cpuset_parse_*() rejected with @err */
NP_HIDDEN const char *np__set_reason(int err, bool mask);
/* === end problems === */

/* === topology (core): struct np_topo, lib/topology.c === */
struct np_limits;
struct np_devset;
struct np_hmat;

/*
 * The most CPUs and nodes a topology may name: the kernel's own ceilings (NR_CPUS is at most
 * 8192, MAX_NUMNODES 1024).  A sysfs list naming more is corrupt, and sizing sets from it
 * would allocate without bound ("0-99999999" in cpu/possible): np_topo_load() says -EOVERFLOW.
 */
#define NP__MAX_CPUS 8192
#define NP__MAX_NODES 1024

/* the most caches one CPU can have (cpuN/cache/index0..15) */
#define NP__MAX_CPU_CACHES 16

struct np_topo {
	/*
	 * loaded by lib/limits.c, lib/devices.c, lib/hmat.c; limits never NULL after
	 * np_topo_load(), devices and hmat NULL under NP_TOPO_NO_DEVICES / NP_TOPO_NO_HMAT
	 */
	struct np_limits *limits;
	struct np_devset *devices;
	struct np_hmat *hmat;

	char *sysroot;
	unsigned int flags;  /* np_topo_load()'s NP_TOPO_NO_* */
	unsigned int ncpus;  /* size of every CPU set: highest possible CPU + 1 */
	unsigned int nnodes; /* size of every node set: highest node id + 1, at least 1 */

	/* lib/topo-cpus.c */
	struct np_cpuset *possible, *present, *online;
	struct np_cpuset *known;   /* CPUs with a cpuN directory, present or online */
	struct np_cpu *cpus;       /* ncpus entries, indexed by CPU id */

	/* lib/topo-caches.c: distinct caches, and each CPU's indices into them */
	struct np_cache *caches;
	unsigned int ncaches;
	unsigned short (*cpu_caches)[NP__MAX_CPU_CACHES];
	unsigned char *cpu_ncaches;

	/* lib/topo-nodes.c: nodes by increasing id; distance[i * node_count + j] by index */
	struct np_node *nodes;
	unsigned int node_count;
	int *node_index; /* nnodes entries: id -> index in nodes[], -1 */
	int *distance;
	struct np_cpuset *node_all, *node_online, *node_mem, *node_cpu;

	/*
	 * lib/topo-tree.c, lib/topo-group.c: the object tree (np__topo_tree_build()); the groups
	 * of each level (np_topo_group()) are its objects
	 */
	struct np__tree *tree;

	/* lib/diag.c: the files np_topo_load() found but could not use */
	struct np__problems problems;
};

/*
 * the CPU sets (possible, present, online, known) and t->cpus for t->ncpus CPUs, every CPU
 * with nothing known (lib/topo-cpus.c; also the synthetic machines); 0 or -ENOMEM
 */
NP_HIDDEN int np__topo_cpus_new(struct np_topo *t);
/* the steps of np_topo_load(), in this order; each returns 0 or -errno */
NP_HIDDEN int np__topo_cpus_load(struct np_topo *t, const struct np_sysfs *fs,
				 const struct np_sysfs *cpufs);
/*
 * lib/topo-kinds.c, called by np__topo_cpus_load(): the online CPUs' frequencies, then their
 * hybrid kinds (which use the capacities and frequencies).  @tmp: a scratch set of ncpus bits.
 */
NP_HIDDEN void np__topo_cpu_freqs(struct np_topo *t, const struct np_sysfs *cpufs,
				  struct np_cpuset *tmp);
NP_HIDDEN void np__topo_cpu_kinds(struct np_topo *t, const struct np_sysfs *fs,
				  struct np_cpuset *tmp);
NP_HIDDEN int np__topo_caches_load(struct np_topo *t, const struct np_sysfs *cpufs);
NP_HIDDEN int np__topo_nodes_load(struct np_topo *t, const struct np_sysfs *fs);
NP_HIDDEN void np__topo_nodes_free(struct np_topo *t);
/* the object tree, from the CPUs, caches and nodes (lib/topo-tree.c); 0 or -ENOMEM */
NP_HIDDEN int np__topo_tree_build(struct np_topo *t);
NP_HIDDEN void np__topo_tree_free(struct np_topo *t);
/* whether NUMA nodes sit above packages in the tree (decided once, by np__topo_tree_build()) */
NP_HIDDEN bool np__topo_nodes_outer(const struct np_topo *t);
/* the highest number in a cpulist text, or -1 when it has none */
NP_HIDDEN long np__list_max(const char *s);
/*
 * np__topo_read_mask() - np__sysfs_read_mask() for the topology's masks, which are as wide as
 * the kernel's NR_CPUS (1024 bits on 4 CPUs): the zero words in front are dropped before
 * parsing.  Return as np__sysfs_read_mask().
 */
NP_HIDDEN int np__topo_read_mask(const struct np_sysfs *fs, struct np_cpuset *set,
				 const char *fmt, ...) NP_PRINTF(3, 4);
/* === end topology (core) === */

/* === topology extras: lib/limits.c, lib/devices.c, lib/hmat.c === */
/*
 * Loaded by np_topo_load() after CPUs and nodes are known and kept in struct np_topo as
 * topo->limits, topo->devices, topo->hmat.  @ncpus / @nnodes bound the sets they create
 * (the topology's CPU and node set sizes).  Each returns 0 or -errno; a missing file is not an
 * error (the object then says "unknown" or "none").
 */
/*
 * @online_cpus / @online_nodes: the topology's online sets, which the allowed sets are cut to
 * (NULL: read cpu/online and node/online here; the topology has read them already).
 */
NP_HIDDEN int np__limits_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
			      const struct np_cpuset *online_cpus,
			      const struct np_cpuset *online_nodes, struct np_limits **ret);
NP_HIDDEN void np__limits_free(struct np_limits *l);
/*
 * np__cgroup_cpuset() - the process's cpuset cgroup (lib/limits-cgroup.c): *@version 1 or 2,
 * its path (*@path, the caller frees it) and effective sets, @ncpus / @nnodes bits wide (NULL
 * each where unreadable).  When no cpuset cgroup is found, or neither set can be read, the
 * version and path are left as they were.  Return: 0 or -ENOMEM.
 */
NP_HIDDEN int np__cgroup_cpuset(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
				int *version, char **path, struct np_cpuset **cpus,
				struct np_cpuset **nodes);
/*
 * np__limits_unknown() - the limits of a topology loaded with NP_TOPO_NO_LIMITS: nothing read,
 * so every online CPU and node is allowed (copies of @online_cpus / @online_nodes) and every
 * other limit is unknown.  Return: 0 or -ENOMEM.
 */
NP_HIDDEN int np__limits_unknown(const struct np_cpuset *online_cpus,
				 const struct np_cpuset *online_nodes, struct np_limits **ret);
NP_HIDDEN int np__devices_load(const struct np_sysfs *fs, unsigned int ncpus,
			       struct np_devset **ret);
NP_HIDDEN void np__devices_free(struct np_devset *d);
/* @node_index: which node ids the topology has (nnodes entries, -1 for none) */
NP_HIDDEN int np__hmat_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
			    const int *node_index, struct np_hmat **ret);
NP_HIDDEN void np__hmat_free(struct np_hmat *h);
/*
 * Clamped sets (lib/limits.c): a cpulist or mask parsed into a new set of @nbits bits, members at
 * or beyond @nbits dropped (kernels print sets up to nr_cpu_ids or MAX_NUMNODES, wider than the
 * machine).  Return: 0; -EINVAL syntax; -ENOMEM; np__read_clamped() also the read errors of the
 * file (-ENOENT...).
 */
NP_HIDDEN int np__parse_clamped(const char *str, unsigned int nbits, bool mask,
				struct np_cpuset **ret);
NP_HIDDEN int np__read_clamped(const struct np_sysfs *fs, unsigned int nbits, bool mask,
			       struct np_cpuset **ret, const char *fmt, ...) NP_PRINTF(5, 6);
/* === end topology extras === */

/* === affinity / mempolicy internals === */
/*
 * Raw memory-policy syscalls, wrapped once in lib/mempolicy.c.  Each returns what the kernel
 * returns (>= 0) or -errno.  @nbits is the number of bits in the caller's node mask, which
 * holds NP_WORDS(@nbits) unsigned longs; the wrappers turn it into the kernel's maxnode (see
 * the comment in lib/mempolicy.c).
 */
#define NP__MPOL_F_NODE 0x1          /* get_mempolicy: the node, not the policy */
#define NP__MPOL_F_ADDR 0x2          /* get_mempolicy: of the range holding addr */
#define NP__MPOL_F_MEMS_ALLOWED 0x4  /* get_mempolicy: the cpuset's mems */
#define NP__MPOL_MF_STRICT 0x1       /* mbind */
#define NP__MPOL_MF_MOVE 0x2
#define NP__MPOL_MF_MOVE_ALL 0x4
NP_HIDDEN long np__set_mempolicy(int mode, const unsigned long *nmask, unsigned long nbits);
NP_HIDDEN long np__get_mempolicy(int *mode, unsigned long *nmask, unsigned long nbits,
				 const void *addr, unsigned long flags);
NP_HIDDEN long np__mbind(void *addr, unsigned long len, int mode, const unsigned long *nmask,
			 unsigned long nbits, unsigned int flags);
NP_HIDDEN long np__migrate_pages(pid_t pid, unsigned long nbits, const unsigned long *from,
				 const unsigned long *to);
NP_HIDDEN long np__move_pages(pid_t pid, unsigned long count, void *const *pages,
			      const int *nodes, int *status, int flags);
NP_HIDDEN long np__set_mempolicy_home_node(unsigned long start, unsigned long len,
					   unsigned long home, unsigned long flags);

/* lib/policy.c: the policy object; nodes is never NULL (empty for default and local). */
struct np_policy {
	int mode;
	unsigned int flags;
	int home_node; /* -1: none */
	struct np_cpuset *nodes;
};

/* lib/affinity.c: read a "Name:\tlist" line of /proc/PID/task/TID/status into a new set. */
NP_HIDDEN int np__task_status_list(const char *sysroot, pid_t pid, pid_t tid, const char *key,
				   unsigned int nbits, struct np_cpuset **ret);
/* === end affinity / mempolicy internals === */

/* === plan internals: lib/location.c, lib/plan*.c, lib/hostpolicy.c, lib/topo-synth.c === */
/*
 * np__topo_synthetic() - a hand-built machine for tests and fuzzing: struct np_topo with the
 * online CPUs @cpus (ids below @cpu_size), their caches (one L3 / L2 instance per distinct
 * id), the nodes they name and @extra_nodes (CPU-less), and the tree over them, as
 * np_topo_load() builds it.  No limits, devices or HMAT.  Free with np_topo_free().
 * Return: 0; -ERANGE a CPU at or beyond @cpu_size or listed twice; -ENOMEM.
 */
struct np__synth_cpu {
	unsigned int cpu;
	int package, node, die, cluster, core, l3, l2; /* -1: none (core -1: a core of its own) */
};
NP_HIDDEN int np__topo_synthetic(unsigned int cpu_size, const struct np__synth_cpu *cpus,
				 unsigned int n, const unsigned int *extra_nodes,
				 unsigned int nextra, struct np_topo **ret);

/* a plan: per worker its CPUs, their nodes and the one node (-1: several); lib/plan.c */
struct np_plan {
	unsigned int n;
	struct np_cpuset **cpus;
	struct np_cpuset **nodes;
	int *node;
	struct np_cpuset *eligible;
	bool *shared;           /* worker i's CPUs overlap another worker's */
	unsigned int nshared;   /* how many workers share */
};

/* lib/plan-result.c: sets @p's shared marks from its workers' CPUs; 0 or -ENOMEM */
int np__plan_mark_shared(const struct np_topo *t, struct np_plan *p);

/*
 * The CPU limits a plan honours: the allowed CPUs (NULL: every online CPU) and the isolated
 * ones (NULL: none).  np_plan_make() takes them from the topology; tests give their own.
 */
struct np__plan_limits {
	const struct np_cpuset *allowed;
	const struct np_cpuset *isolated;
};
NP_HIDDEN void np__plan_limits_of(const struct np_topo *topo, struct np__plan_limits *lim);
NP_HIDDEN int np__plan_limited(const struct np_topo *topo, const struct np__plan_limits *lim,
			       unsigned int nworkers, const struct np_plan_opts *opts,
			       struct np_plan **ret);
NP_HIDDEN int np__plan_slice_limited(const struct np_topo *topo,
				     const struct np__plan_limits *lim, unsigned int rank,
				     unsigned int size, const struct np_plan_opts *opts,
				     struct np_cpuset **ret);
/*
 * np__omp_assign() - OpenMP 5 proc_bind close/spread of @nthreads over @nplaces places, the
 * parent on place 0: place[i] receives thread i's place.
 */
NP_HIDDEN void np__omp_assign(bool spread, unsigned int nplaces, unsigned int nthreads,
			      unsigned int *place);
/* === end plan internals === */

/* === location expressions: lib/location-parse.c (text, AST), lib/location.c (evaluation) === */
#define NP__LOC_MAX_STEPS 8 /* steps in one path: "drawer:0.book:0.package:0. ..." */

/* a node of the AST: a term (range, all, path, near) or an operator over two of them */
enum np__loc_kind {
	NP__LOC_RANGE,
	NP__LOC_ALL,
	NP__LOC_PATH,
	NP__LOC_NEAR,
	NP__LOC_UNION, /* the operators come last: kind >= NP__LOC_UNION tests for one */
	NP__LOC_REMOVE,
	NP__LOC_INTERSECT,
};
enum np__loc_sel { NP__SEL_RANGE, NP__SEL_ALL, NP__SEL_EVEN, NP__SEL_ODD };

struct np__loc_step {
	enum np_obj_type type;
	enum np__loc_sel sel;
	unsigned int lo, hi, stride;
};

struct np_location {
	enum np__loc_kind kind;
	size_t pos; /* offset of the term in the parsed text, for error positions */
	struct np_location *l, *r; /* operators */
	unsigned int lo, hi, stride; /* NP__LOC_RANGE */
	unsigned int nsteps;         /* NP__LOC_PATH */
	struct np__loc_step steps[NP__LOC_MAX_STEPS];
	char *device; /* NP__LOC_NEAR */
};

/* the operators on the left spine of @n, @n included (0 for a term); lib/location-parse.c */
NP_HIDDEN size_t np__location_spine(const struct np_location *n);
/* === end location expressions === */

/* === plan environment: lib/planenv.c, the one codec of NUMAPLACE_PLAN* === */
struct np__planenv {
	unsigned int n;           /* workers */
	struct np_cpuset **cpus;  /* worker k's CPUs */
	int *node;                /* worker k's node, -1 when it spans several */
	enum np_plan_mem mem;     /* NUMAPLACE_PLAN_MEM */
	unsigned long long skip;  /* NUMAPLACE_PLAN_SKIP */
};
/* NUMAPLACE_PLAN's value for @n workers; *ret malloc'd.  Return: 0; -ENOMEM */
NP_HIDDEN int np__planenv_encode_places(unsigned int n, const struct np_cpuset *const *cpus,
					const int *node, char **ret);
/*
 * np__planenv_decode() - the three variables' values (@mem, @skip may be NULL: unset) into
 * @ret, CPU sets @nbits wide; release with np__planenv_release().  Return: 0; -EINVAL
 * syntax, an empty place or plan; -EOVERFLOW a node above INT_MAX or a mask over 64 bits;
 * -ERANGE a CPU at or beyond @nbits; -ENOMEM.  @ret is untouched on failure.
 */
NP_HIDDEN int np__planenv_decode(const char *places, const char *mem, const char *skip,
				 unsigned int nbits, struct np__planenv *ret);
/* np__planenv_decode() of this process's environment */
NP_HIDDEN int np__planenv_getenv(unsigned int nbits, struct np__planenv *ret);
NP_HIDDEN void np__planenv_release(struct np__planenv *env);
/* === end plan environment === */

/* === isolate journal (lib/journal.c): changes recorded before they are made === */
struct np__journal {
	const struct np_sysfs *fs;
	char path[128]; /* run/numaplace/isolate/NAME */
	char *text;     /* the entries so far */
	size_t len;
	char failed[160]; /* the file a failed write or mkdir was for */
};
/* a NAME: 1-NP_ISOLATE_NAME_MAX of [A-Za-z0-9._-], not starting with '.' */
NP_HIDDEN bool np__journal_name_ok(const char *name);
NP_HIDDEN bool np__journal_exists(const struct np_sysfs *fs, const char *name);
/* create the journal @name (-EEXIST when there is one), or with @append continue it */
NP_HIDDEN int np__journal_open(const struct np_sysfs *fs, const char *name, bool append,
			       struct np__journal *j);
NP_HIDDEN void np__journal_release(struct np__journal *j);
/* record @path's bytes, then write @value there (under a sysroot copy, create it if absent) */
NP_HIDDEN int np__journal_write(struct np__journal *j, const char *path, const char *value);
NP_HIDDEN int np__journal_mkdir(struct np__journal *j, const char *path);
/* undo every entry newest first and remove the journal; releases @j */
NP_HIDDEN int np__journal_rollback(struct np__journal *j);
NP_HIDDEN int np__journal_undo(const struct np_sysfs *fs, const char *name);
/* journal, then write IRQ @irq's smp_affinity_list (lib/irq.c) */
NP_HIDDEN int np__irq_write(struct np__journal *j, unsigned int irq, const struct np_cpuset *cpus);
/* === end isolate journal === */

/* === procparse: the /proc parsers without their reads (lib/procparse.h) === */
#include "procparse.h"
/* === end procparse === */

#endif /* NP_INTERNAL_H */
