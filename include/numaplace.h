/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace.h - the public API of libnumaplace: where a program's threads and memory are,
 * and how to put them where they should be.  libc only.
 *
 * Conventions that hold for every function below:
 *  - A function that can fail returns int: 0 on success or a negative errno value.  Positive
 *    values appear only where documented (a count).
 *  - Output parameters (named ret or out) are written only on success; on failure the caller's
 *    objects are left exactly as they were.
 *  - Every np_<object>_free(NULL) is a no-op.  Who owns a returned pointer is stated beside
 *    the function.
 *  - The library never prints and never exits.
 *  - Every read of /sys and /proc goes through a sysroot: NULL or "/" is this machine, any other
 *    directory is a captured tree with sys/ and proc/ inside.
 */
#ifndef NUMAPLACE_H
#define NUMAPLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NP_BUILDING_LIB)
#define NP_API __attribute__((visibility("default")))
#else
#define NP_API
#endif

/**
 * np_version() - the library's version string, e.g. "0.1.0".  Static storage.
 */
NP_API const char *np_version(void);

/**
 * np_strerror() - a message for a negative errno returned by this library.
 * @err: a negative (or positive) errno value.
 *
 * Same text as strerror(3) except for codes the parsers give a narrower meaning
 * (-EINVAL "invalid syntax", -ERANGE "out of range", -EOVERFLOW "number too large").
 * Static storage; thread-safe.
 */
NP_API const char *np_strerror(int err);

/* ===================================================================================== */
/* === cpuset: dynamically sized bitmaps of CPUs or NUMA nodes, and their syntaxes === */
/* ===================================================================================== */

/*
 * struct np_cpuset is a bitmap with a fixed capacity (its size, in bits) chosen at creation
 * and changed only by np_cpuset_resize().  It holds CPUs or NUMA nodes alike; nothing in it
 * assumes 1024 CPUs.  Setting a bit at or beyond the size is -ERANGE, and the parsers use the
 * size as their upper bound.
 *
 * Syntaxes (man numaplace(1), CPU AND NODE SETS, has examples):
 *  cpulist   "0-3,8,10-14:2": decimal numbers, ranges a-b (a <= b), ranges with a stride
 *            a-b:s (s >= 1), separated by commas, as the kernel and util-linux accept them.
 *            Blanks around items and a trailing newline are tolerated.  An empty string
 *            (or only blanks) is the empty set; an empty item ("1,,2", "1,") is not.
 *  mask      "ff,ffffffff": the kernel's hex mask, groups of 1 to 8 hex digits separated by
 *            single commas, most significant first, each group one 32-bit word.  Groups
 *            beyond the set's size are accepted when their bits are zero (sysfs prints
 *            NR_CPUS-wide masks).  Blanks around it and a trailing newline are tolerated;
 *            an empty group (",1", "ff,,1", "1,") or an empty string is -EINVAL, a group of
 *            more than 8 digits -EOVERFLOW.
 *  taskset   "0x3" or "3": util-linux cpumask_parse(): an optional lowercase "0x", then hex
 *            digits of any length.  A comma may follow a digit and is skipped ("ff,1" is
 *            0xff1, "1," is 1; ",1", "1,,2" and "0X3" are -EINVAL).  No blanks.  "" and
 *            "0x" are the empty set.  util-linux drops set bits beyond its set silently;
 *            here they are -ERANGE (size the set from the string to get util-linux's way).
 *  numactl   "all", "!1-2", "+0-1", "0,2-3": see np_cpuset_parse_numactl().
 * When a string has several faults, the leftmost -EINVAL or -EOVERFLOW is reported before
 * any -ERANGE.
 */
struct np_cpuset;

/**
 * np_cpuset_new() - allocate an empty set of @nbits bits.
 * @nbits: capacity in bits (0 allowed: an empty set that holds nothing).
 * @ret: receives the set, which the caller frees with np_cpuset_free().
 *
 * Return: 0, -ENOMEM, or -EOVERFLOW when @nbits > INT_MAX (members are returned as int).
 */
NP_API int np_cpuset_new(unsigned int nbits, struct np_cpuset **ret);

/** np_cpuset_free() - free a set; NULL is a no-op. */
NP_API void np_cpuset_free(struct np_cpuset *set);

/**
 * np_cpuset_dup() - a new set equal to @set with the same size.
 * @ret: receives the copy; the caller frees it.
 * Return: 0, or -ENOMEM.
 */
NP_API int np_cpuset_dup(const struct np_cpuset *set, struct np_cpuset **ret);

/**
 * np_cpuset_copy() - make @dst hold the members of @src.
 * Return: 0, or -ERANGE when @src has a member at or beyond @dst's size (then @dst is unchanged).
 */
NP_API int np_cpuset_copy(struct np_cpuset *dst, const struct np_cpuset *src);

/** np_cpuset_size() - the capacity of @set in bits. */
NP_API unsigned int np_cpuset_size(const struct np_cpuset *set);

/**
 * np_cpuset_resize() - change the capacity of @set to @nbits; members beyond it are dropped.
 * Return: 0, -ENOMEM or -EOVERFLOW (@nbits > INT_MAX); then @set is unchanged.
 */
NP_API int np_cpuset_resize(struct np_cpuset *set, unsigned int nbits);

/** np_cpuset_zero() - remove every member. */
NP_API void np_cpuset_zero(struct np_cpuset *set);

/** np_cpuset_fill() - add every bit below the size. */
NP_API void np_cpuset_fill(struct np_cpuset *set);

/**
 * np_cpuset_set() - add @bit.
 * Return: 0, or -ERANGE when @bit >= size.
 */
NP_API int np_cpuset_set(struct np_cpuset *set, unsigned int bit);

/**
 * np_cpuset_clear() - remove @bit.
 * Return: 0, or -ERANGE when @bit >= size.
 */
NP_API int np_cpuset_clear(struct np_cpuset *set, unsigned int bit);

/** np_cpuset_isset() - whether @bit is a member; false for any bit beyond the size. */
NP_API bool np_cpuset_isset(const struct np_cpuset *set, unsigned int bit);

/*
 * Binary operations: @dst = @a op @b.  @dst may be @a or @b.  Sets of different sizes are
 * treated as zero-extended.  Return: 0, or -ERANGE when the result has a member at or beyond
 * @dst's size (then @dst is unchanged).
 */
NP_API int np_cpuset_and(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);
NP_API int np_cpuset_or(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);
NP_API int np_cpuset_andnot(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);
NP_API int np_cpuset_xor(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);

/** np_cpuset_equal() - same members (sizes may differ). */
NP_API bool np_cpuset_equal(const struct np_cpuset *a, const struct np_cpuset *b);
/** np_cpuset_subset() - every member of @a is in @b. */
NP_API bool np_cpuset_subset(const struct np_cpuset *a, const struct np_cpuset *b);
/** np_cpuset_intersects() - @a and @b share a member. */
NP_API bool np_cpuset_intersects(const struct np_cpuset *a, const struct np_cpuset *b);
/** np_cpuset_empty() - no member. */
NP_API bool np_cpuset_empty(const struct np_cpuset *set);
/** np_cpuset_weight() - the number of members. */
NP_API unsigned int np_cpuset_weight(const struct np_cpuset *set);

/** np_cpuset_first() - the lowest member, or -1 when empty. */
NP_API int np_cpuset_first(const struct np_cpuset *set);
/** np_cpuset_next() - the lowest member greater than @prev (-1 starts at 0), or -1 when none. */
NP_API int np_cpuset_next(const struct np_cpuset *set, int prev);
/** np_cpuset_last() - the highest member, or -1 when empty. */
NP_API int np_cpuset_last(const struct np_cpuset *set);
/** np_cpuset_nth() - the member with rank @n (0 = lowest), or -1 when the set has <= @n members. */
NP_API int np_cpuset_nth(const struct np_cpuset *set, unsigned int n);

/** np_cpuset_foreach() - iterate @i (an int) over the members of @set in increasing order. */
#define np_cpuset_foreach(i, set) \
	for (int i = np_cpuset_first(set); i >= 0; i = np_cpuset_next(set, i))

/*
 * Parsers.  Each replaces the members of @set with the parsed ones, and only on success.
 * @errpos, when not NULL, receives on failure the byte offset in @str of the token at fault
 * (on success it is left alone).  The set's size is the upper bound: a number at or beyond
 * it is -ERANGE.
 *
 * Return: 0; -EINVAL syntax error; -ERANGE a member at or beyond the set's size (or, for the
 * numactl syntax, outside the allowed set); -EOVERFLOW a number above 4294967295 (or a mask
 * group of more than 8 digits); -ENOMEM (errpos untouched).
 */
NP_API int np_cpuset_parse_list(struct np_cpuset *set, const char *str, size_t *errpos);
NP_API int np_cpuset_parse_mask(struct np_cpuset *set, const char *str, size_t *errpos);
NP_API int np_cpuset_parse_taskset(struct np_cpuset *set, const char *str, size_t *errpos);

/**
 * np_cpuset_parse_numactl() - parse a node or CPU string as numactl takes it.
 * @set: receives the result.
 * @str: [!][+](all | list).  list is a cpulist whose numbers may also be written as C
 *       writes them ("0x1f" hex, "017" octal), as numactl's strtoul(s, NULL, 0) reads them.
 *       "all" is @allowed.  A leading "!" takes the complement within @allowed (numactl:
 *       within all configured CPUs or nodes).  A "+" makes every number a rank among the
 *       allowed members ("+0-1": the first two allowed; "+0-6:2": ranks 0, 2, 4, 6).  The
 *       empty string is the empty set; "!" or "+" with nothing after them is -EINVAL.
 * @allowed: the CPUs or nodes this process may use; NULL means every bit below the size.
 *       Members of @allowed at or beyond @set's size are ignored.
 * @errpos: as for the other parsers.
 *
 * The rule for numactl issue #259: a range (a-b or a-b:s) stands for the allowed members
 * among a, a+s, ..., b, whether the disallowed ones are inside it or at its ends; it is
 * -ERANGE only when it holds no allowed member at all.  A single number must be allowed.
 * Any number at or beyond the set's size is -ERANGE, and a relative rank at or beyond the
 * number of allowed members is -ERANGE.  (numactl silently drops disallowed members inside a
 * range but rejects a disallowed endpoint, and takes "3-1" as "3"; here b < a is -EINVAL.)
 * numactl's "same" and its netdev:/pci:/file: forms are left to the caller.
 */
NP_API int np_cpuset_parse_numactl(struct np_cpuset *set, const char *str,
				   const struct np_cpuset *allowed, size_t *errpos);

/* Formatter flags; a flag a formatter does not know is ignored. */
#define NP_FMT_STRIDES 0x1 /* list: util-linux 2.42 lscpu/taskset style with strides */
#define NP_FMT_FULL    0x2 /* mask: every word of the set's size, as sysfs prints it */

/*
 * Formatters.  Each stores in *@ret a malloc'd NUL-terminated string the caller frees.
 *  list:    the kernel's style (sysfs, /proc/<pid>/status): runs of two or more consecutive
 *           members as a-b, "0-1", "0-3,8"; the empty set is "".
 *           NP_FMT_STRIDES: util-linux 2.42's cpulist_create(): from the lowest member,
 *           follow a constant step as far as it goes; three or more members print as a-b
 *           (step 1) or a-b:s, two alone as single numbers: "0,1", "0-2", "0-14:2", "0,1,3".
 *  mask:    the kernel's form, "ff,ffffffff", 32-bit words, no leading zero words and the
 *           top word without leading zeros ("0" if empty).  NP_FMT_FULL: ceil(size / 32)
 *           words, the top one with as many digits as the size leaves bits for, as
 *           /proc/<pid>/status prints Cpus_allowed ("00000000,00000003" for 64 bits, "3" for
 *           2 bits; "0" for a set of size 0).
 *  taskset: the hex digits util-linux taskset prints, no "0x", no commas ("0" if empty).
 * Return: 0, or -ENOMEM.
 */
NP_API int np_cpuset_format_list(const struct np_cpuset *set, unsigned int flags, char **ret);
NP_API int np_cpuset_format_mask(const struct np_cpuset *set, unsigned int flags, char **ret);
NP_API int np_cpuset_format_taskset(const struct np_cpuset *set, char **ret);

/* === end cpuset === */

/* ===================================================================================== */
/* === topology: CPUs, caches, NUMA nodes, devices and this process's limits === */
/* ===================================================================================== */

/* A machine as sysfs describes it; see np_topo_load(). */
struct np_topo;

/*
 * Terminology used below:
 *  cpu      a logical CPU (hardware thread) as Linux numbers it: cpuN in sysfs.
 *  possible the CPUs the kernel could ever bring up (cpu/possible); present: plugged in; online:
 *           running.  Every CPU set the topology returns is np_topo_cpu_size() bits wide.
 *  core     the SMT siblings of a CPU (thread_siblings); cluster, die, package, book, drawer: the
 *           larger groups the kernel reports, each holding the smaller ones.
 *  node     a NUMA node (nodeN in sysfs): some CPUs, some memory, or either alone.  A machine
 *           without NUMA in sysfs has one implicit node 0 holding every CPU and all memory.
 *  group    the online CPUs that share one instance of a level (one core, one L3, one package).
 */

/* The levels of the CPU hierarchy, and the cache levels that group CPUs the same way. */
enum np_level {
	NP_LEVEL_CPU,     /* one CPU */
	NP_LEVEL_CORE,    /* SMT siblings */
	NP_LEVEL_CLUSTER, /* cluster_id (arm64 clusters, x86 L2 clusters) */
	NP_LEVEL_DIE,     /* die_id */
	NP_LEVEL_PACKAGE, /* a socket: physical_package_id or the package sibling masks */
	NP_LEVEL_BOOK,    /* s390 */
	NP_LEVEL_DRAWER,  /* s390 */
	NP_LEVEL_NODE,    /* NUMA node */
	NP_LEVEL_MACHINE, /* every online CPU */
	NP_LEVEL_L1,      /* the CPUs sharing a level-1 data (or unified) cache */
	NP_LEVEL_L2,
	NP_LEVEL_L3,
	NP_LEVEL_LLC,     /* the last-level cache: the highest data or unified level a CPU has */
	NP_LEVEL_COUNT
};

/* Hybrid CPUs: what kind of core a CPU is, where the kernel says (or cpu_capacity shows). */
enum np_cpu_kind {
	NP_CPU_KIND_UNKNOWN,     /* not hybrid, or the kernel does not say */
	NP_CPU_KIND_PERFORMANCE, /* Intel cpu_core; the highest cpu_capacity on arm64 */
	NP_CPU_KIND_EFFICIENCY,  /* Intel cpu_atom; a lower cpu_capacity */
};

/*
 * struct np_cpu - one possible CPU.  Read-only, owned by the topology; fields may be appended in
 * later versions, so never allocate or copy one by value across versions.  -1 means "the
 * kernel does not say" (offline CPUs often report nothing).
 */
struct np_cpu {
	unsigned int id;
	bool online;
	bool present;
	int package;      /* physical_package_id; or a number derived from the package siblings when
			   * the kernel reports -1 (POWER) */
	int die;          /* die_id */
	int cluster;      /* cluster_id */
	int core;         /* core_id, read only from kernels without thread sibling masks
			   * (where it groups the threads); -1 otherwise: use core_index */
	int book;         /* s390 book_id */
	int drawer;       /* s390 drawer_id */
	int node;         /* the NUMA node holding it, -1 when none */
	int core_index;   /* dense index of its core among np_topo_group(NP_LEVEL_CORE), unique on
			   * the machine; -1 for an offline CPU */
	enum np_cpu_kind kind;
	unsigned int capacity;   /* cpu_capacity (1024 = the biggest core), 0 when unknown */
	unsigned long min_khz;   /* cpuinfo_min_freq, 0 when unknown */
	unsigned long base_khz;  /* base_frequency (non-turbo), 0 when unknown */
	unsigned long max_khz;   /* cpuinfo_max_freq (turbo included), 0 when unknown */
};

enum np_cache_type {
	NP_CACHE_UNIFIED,
	NP_CACHE_DATA,
	NP_CACHE_INSTRUCTION,
};

/*
 * struct np_cache - one cache instance (one per group of CPUs sharing it).  Read-only, owned by
 * the topology.  Sizes in bytes; 0 when the kernel does not say.
 */
struct np_cache {
	unsigned int level;
	enum np_cache_type type;
	unsigned long long size;
	unsigned int line_size;       /* coherency_line_size */
	unsigned int ways;            /* ways_of_associativity (0 also for fully associative) */
	int id;                       /* the kernel's cache id, -1 when none */
	const struct np_cpuset *cpus; /* the CPUs sharing it (shared_cpu_list), never NULL */
};

/* struct np_hugepages - the huge pages of one size on one node. */
struct np_hugepages {
	unsigned long long page_size; /* bytes */
	unsigned long long total;     /* nr_hugepages */
	unsigned long long free;      /* free_hugepages */
};

/*
 * struct np_node - one NUMA node.  Read-only, owned by the topology.  A CPU-less node (CXL,
 * HBM or GPU memory) has an empty @cpus; a memoryless node has @mem_total 0.
 */
struct np_node {
	unsigned int id;
	bool online;
	bool implicit;                /* no NUMA in sysfs: this node 0 is the whole machine */
	const struct np_cpuset *cpus; /* member CPUs as the kernel lists them (possible CPUs, online
				       * or not); never NULL */
	long long mem_total;          /* bytes (MemTotal of the node's meminfo), -1 when unknown */
	long long mem_free;           /* bytes (MemFree), -1 when unknown */
	unsigned int nhugepages;      /* entries in @hugepages, by increasing page size */
	const struct np_hugepages *hugepages;
};

/*
 * np_topo_load() flags: the parts a caller does not need, left unread.  A skipped part answers
 * exactly as on a machine whose sysfs lacks its files: no caches (np_topo_cache_count() 0, no
 * cache groups), no devices, no HMAT (np_topo_node_access() -ENOENT, no memory-side caches),
 * no limits (np_topo_allowed_cpus() and np_topo_allowed_nodes() are the online CPUs and
 * nodes, the other limit sets NULL, np_topo_cgroup_version() 0).  CPUs, nodes and distances
 * are the same with any flags.
 */
#define NP_TOPO_NO_CACHES  0x1u /* cpuN/cache */
#define NP_TOPO_NO_DEVICES 0x2u /* PCI devices and their locality */
#define NP_TOPO_NO_HMAT    0x4u /* nodeN/accessN and nodeN/memory_side_cache */
#define NP_TOPO_NO_LIMITS  0x8u /* affinity, cgroup cpuset, Mems_allowed, isolcpus, nohz_full */

/**
 * np_topo_load() - read a machine's topology.
 * @sysroot: NULL or "/" for this machine, else a captured tree holding sys/ and proc/.
 * @flags: 0 for the whole model, or NP_TOPO_NO_* ORed together to skip those parts.
 * @ret: receives the topology; the caller frees it with np_topo_free().  Every pointer the
 *       np_topo_* accessors return is owned by it and lives until np_topo_free().
 *
 * CPUs, caches and nodes are read first, then this process's limits, the devices and HMAT
 * (see "topology extras").  Missing files are not errors: what the kernel does not say is
 * reported as unknown (-1, 0 or NULL as each field documents).
 *
 * Return: 0; -EINVAL unknown @flags; -ENOENT @sysroot (or its sys/devices/system/cpu) does not
 * exist; -ENOTDIR @sysroot is not a directory; -EACCES; -ENOMEM.
 */
NP_API int np_topo_load(const char *sysroot, unsigned int flags, struct np_topo **ret);

/** np_topo_free() - free a topology and everything its accessors returned; NULL is a no-op. */
NP_API void np_topo_free(struct np_topo *topo);

/** np_topo_sysroot() - the sysroot it was read from ("/" for this machine). */
NP_API const char *np_topo_sysroot(const struct np_topo *topo);

/** np_topo_cpu_size() - the size in bits of every CPU set of @topo: highest possible CPU + 1. */
NP_API unsigned int np_topo_cpu_size(const struct np_topo *topo);
/** np_topo_node_size() - the size in bits of every node set of @topo: highest node id + 1. */
NP_API unsigned int np_topo_node_size(const struct np_topo *topo);

/* CPU sets: possible (every CPU the topology knows), present, online.  Never NULL. */
NP_API const struct np_cpuset *np_topo_possible_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_present_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_online_cpus(const struct np_topo *topo);

/*
 * Node sets, np_topo_node_size() bits wide, never NULL: every node sysfs shows, the online
 * ones, those with memory (MemTotal > 0, or has_memory), those with CPUs.
 */
NP_API const struct np_cpuset *np_topo_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_online_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_memory_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_cpu_nodes(const struct np_topo *topo);

/** np_topo_cpu() - CPU @cpu, or NULL when it is not a possible CPU. */
NP_API const struct np_cpu *np_topo_cpu(const struct np_topo *topo, unsigned int cpu);

/**
 * np_topo_group_count() - how many groups of online CPUs @level has (cores, L3 caches,
 * packages...).  0 when the machine does not have that level (no die_id: NP_LEVEL_DIE has 0).
 */
NP_API unsigned int np_topo_group_count(const struct np_topo *topo, enum np_level level);

/**
 * np_topo_group() - the online CPUs of group @i of @level; groups are ordered by their lowest
 * CPU.  NULL when @i >= np_topo_group_count().
 */
NP_API const struct np_cpuset *np_topo_group(const struct np_topo *topo, enum np_level level,
					     unsigned int i);

/**
 * np_topo_cpu_group() - the index of the group of @level that holds @cpu, or -1 (an offline CPU,
 * a level the machine lacks).
 */
NP_API int np_topo_cpu_group(const struct np_topo *topo, unsigned int cpu, enum np_level level);

/**
 * np_topo_cpu_siblings() - the online CPUs sharing @level with @cpu (its group), or NULL as
 * for np_topo_cpu_group().
 */
NP_API const struct np_cpuset *np_topo_cpu_siblings(const struct np_topo *topo, unsigned int cpu,
						    enum np_level level);

/** np_topo_level_name() - "cpu", "core", "cluster", ..., "l3", "llc"; NULL for a bad value. */
NP_API const char *np_topo_level_name(enum np_level level);

/* Caches: every instance once, ordered by level, type, then lowest CPU. */
NP_API unsigned int np_topo_cache_count(const struct np_topo *topo);
NP_API const struct np_cache *np_topo_cache(const struct np_topo *topo, unsigned int i);
/* The caches of one CPU, from L1 outwards (data before instruction); NULL past the end. */
NP_API unsigned int np_topo_cpu_cache_count(const struct np_topo *topo, unsigned int cpu);
NP_API const struct np_cache *np_topo_cpu_cache(const struct np_topo *topo, unsigned int cpu,
						unsigned int i);
/** np_topo_cpu_llc() - @cpu's last-level data or unified cache, or NULL when none is known. */
NP_API const struct np_cache *np_topo_cpu_llc(const struct np_topo *topo, unsigned int cpu);

/* Nodes: np_topo_node_count() of them, ordered by id. */
NP_API unsigned int np_topo_node_count(const struct np_topo *topo);
NP_API const struct np_node *np_topo_node(const struct np_topo *topo, unsigned int i);
/** np_topo_node_by_id() - node @id, or NULL when sysfs has no such node. */
NP_API const struct np_node *np_topo_node_by_id(const struct np_topo *topo, unsigned int id);

/**
 * np_topo_distance() - the firmware's distance (ACPI SLIT: 10 local, larger further) from node
 * @from to node @to, or -1 when unknown (no such node, no distance file).
 */
NP_API int np_topo_distance(const struct np_topo *topo, unsigned int from, unsigned int to);

/**
 * np_topo_capture() - copy the files np_topo_load() reads from @sysroot into @dir, so that
 * np_topo_load(@dir) describes the same machine (the files of this process's limits included).
 * @sysroot: NULL or "/" for this machine.
 * @dir: the destination, created if missing; existing files in it are replaced.
 *
 * Symbolic links are copied as links, with what they point to.  Files that cannot be read are
 * skipped (as np_topo_load() skips them).
 *
 * Return: the number of files copied (>= 0); -ENOENT @sysroot does not exist; -EEXIST @dir
 * exists and is not a directory; -ENOTDIR a parent of @dir is not a directory; -EACCES, -EROFS,
 * -ENOSPC and the like when writing @dir fails; -ENOMEM.
 */
NP_API int np_topo_capture(const char *sysroot, const char *dir);

/* === end topology === */

/* ===================================================================================== */
/* === topology extras: this process's limits, devices, HMAT and memory-side caches === */
/* ===================================================================================== */

/*
 * Terminology used below:
 *  affinity     the CPUs the calling thread may run on (sched_getaffinity(2); in a captured
 *               tree, Cpus_allowed_list of proc/self/status).
 *  mems allowed the nodes the process may allocate on (Mems_allowed_list of proc/self/status).
 *  cgroup       the cpuset cgroup of the process: v2 (cpuset.cpus.effective and
 *               cpuset.mems.effective of its cgroup, or of the nearest ancestor that has them),
 *               v1 (cpuset.effective_cpus / cpuset.effective_mems, else cpuset.cpus /
 *               cpuset.mems), or the old "cpuset" filesystem (cpus / mems).
 *  access class HMAT's view of memory performance: class 0 is the best any initiator gets (CPUs,
 *               GPUs, accelerators), class 1 the best a CPU gets.
 *  initiator    a node whose CPUs (or other initiators) reach a memory node best.
 *  memory-side cache  a cache in front of a node's memory (DRAM caching persistent memory, HBM
 *               caching DRAM), invisible to the CPU caches' sysfs.
 */

/*
 * This process's limits, as the topology's sysroot shows them (for the live machine: the
 * calling thread at np_topo_load() time).  Each set is owned by @topo; NULL where the machine
 * does not say.  CPU sets are np_topo_cpu_size() bits wide, node sets np_topo_node_size().
 *  allowed_cpus:  the online CPUs within the affinity and the cgroup cpuset (each where known):
 *                 where it may run.  Never NULL after np_topo_load().
 *  allowed_nodes: the online nodes within Mems_allowed and the cgroup's mems (each where known):
 *                 where it may allocate.  Never NULL after np_topo_load().
 *  affinity_cpus: the affinity alone; mems_allowed: Mems_allowed alone
 *  cgroup_cpus / cgroup_nodes: the cpuset cgroup's effective sets (v1 or v2), NULL if none
 *  isolated_cpus: the kernel's isolated CPUs (isolcpus=); nohz_full_cpus: nohz_full=
 *                 (empty, not NULL, when the file exists and names none)
 * Captured trees report what their proc/self files say about the process that made them.
 */
NP_API const struct np_cpuset *np_topo_allowed_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_allowed_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_affinity_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_mems_allowed(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_cgroup_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_cgroup_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_isolated_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_nohz_full_cpus(const struct np_topo *topo);

/**
 * np_topo_cgroup_version() - the kind of cpuset cgroup the limits came from: 2 (cgroup v2),
 * 1 (cgroup v1, or the old cpuset filesystem), 0 when none was found.
 */
NP_API int np_topo_cgroup_version(const struct np_topo *topo);

/**
 * np_topo_cgroup_path() - the process's cpuset cgroup as the kernel names it
 * ("/user.slice/user-1000.slice/session-2.scope"), or NULL when none was found.  When that
 * cgroup lacks the cpuset files, the sets come from its nearest ancestor that has them.
 */
NP_API const char *np_topo_cgroup_path(const struct np_topo *topo);

/*
 * Devices: PCI devices with their NUMA node and local CPUs, named as users know them.  One
 * entry per name: a network card with two ports is "eth0" and "eth1" on two functions; an
 * InfiniBand card is "mlx5_0" (and its "ib0" in net).  Names:
 *  net         sys/class/net entries on PCI ("eth0", "enp59s0f0", "ib0")
 *  infiniband  sys/class/infiniband ("mlx5_0")
 *  nvme        sys/class/nvme controllers ("nvme0")
 *  block       whole disks on PCI ("sda", "nvme0n1"; partitions are left out)
 *  gpu         PCI display controllers (class 0x03) and functions with a drm card, named
 *              "gpu0", "gpu1" ... in PCI address order; a server's BMC VGA (ASPEED, Matrox) is
 *              not a GPU and is left out.  The drm name ("card0") is the device's alias.
 *  pci         other storage, network, display, co-processor and accelerator functions that
 *              have no class name, named by their PCI address
 * Ordered by PCI address, then class in the order above, then name ("eth2" before "eth10").
 * Owned by @topo.
 */
struct np_device;
NP_API unsigned int np_topo_device_count(const struct np_topo *topo);
/** np_topo_device() - device @i, or NULL when @i >= np_topo_device_count() */
NP_API const struct np_device *np_topo_device(const struct np_topo *topo, unsigned int i);
/**
 * np_topo_device_find() - by name ("eth0", "gpu0"), alias ("card0") or PCI address
 * ("0000:3b:00.0", or "3b:00.0" for domain 0); the first in order when several share a PCI
 * function; NULL if none.
 */
NP_API const struct np_device *np_topo_device_find(const struct np_topo *topo, const char *name);
NP_API const char *np_device_name(const struct np_device *dev);
/** np_device_alias() - a second name ("card0" for a GPU), or NULL */
NP_API const char *np_device_alias(const struct np_device *dev);
/** np_device_class() - "net", "nvme", "gpu", "infiniband", "block" or "pci" */
NP_API const char *np_device_class(const struct np_device *dev);
/** np_device_pci_address() - "0000:3b:00.0" */
NP_API const char *np_device_pci_address(const struct np_device *dev);
/** np_device_pci_class() - the PCI class code (0x020000 Ethernet), or 0 when unknown */
NP_API unsigned int np_device_pci_class(const struct np_device *dev);
/** np_device_node() - the NUMA node, or -1 when the firmware does not say */
NP_API int np_device_node(const struct np_device *dev);
/**
 * np_device_local_cpus() - CPUs local to the device (local_cpulist), np_topo_cpu_size() bits
 * wide, or NULL when unknown
 */
NP_API const struct np_cpuset *np_device_local_cpus(const struct np_device *dev);

/* HMAT access classes (the accessN directories of a memory node). */
#define NP_ACCESS_ANY 0 /* access0: from the best initiator of any kind */
#define NP_ACCESS_CPU 1 /* access1: from the best CPU initiator */

/*
 * struct np_access - how fast a memory node is from its best initiators.  0 in a number means
 * the firmware did not report it.
 */
struct np_access {
	unsigned long long read_latency;    /* ns */
	unsigned long long write_latency;   /* ns */
	unsigned long long read_bandwidth;  /* MB/s */
	unsigned long long write_bandwidth; /* MB/s */
	const struct np_cpuset *initiators; /* the initiator nodes, np_topo_node_size() bits wide;
					     * owned by the topology, never NULL */
};

/**
 * np_topo_node_access() - HMAT performance of memory node @node for @access_class.
 * @access_class: NP_ACCESS_ANY or NP_ACCESS_CPU.
 * @ret: filled on success; its @initiators stays owned by @topo.
 *
 * Return: 0; -EINVAL @access_class is neither 0 nor 1; -ENOENT the node has no such class in
 * sysfs (no HMAT, no such node).
 */
NP_API int np_topo_node_access(const struct np_topo *topo, unsigned int node,
			       unsigned int access_class, struct np_access *ret);

enum np_memcache_indexing {
	NP_MEMCACHE_DIRECT_MAPPED = 0, /* the kernel's indexing 0 */
	NP_MEMCACHE_INDEXED = 1,       /* 1: complex (hashed) indexing */
	NP_MEMCACHE_INDEXING_OTHER = 2,
};

enum np_memcache_write_policy {
	NP_MEMCACHE_WRITE_BACK = 0,
	NP_MEMCACHE_WRITE_THROUGH = 1,
	NP_MEMCACHE_WRITE_OTHER = 2,
};

/* struct np_memcache - one memory-side cache level of a node (memory_side_cache/indexN). */
struct np_memcache {
	unsigned int level;                         /* N of indexN; unlike CPU caches, a higher
						     * level is nearer the CPU (numaperf.rst) */
	unsigned long long size;                    /* bytes */
	unsigned int line_size;                     /* bytes */
	enum np_memcache_indexing indexing;
	enum np_memcache_write_policy write_policy;
};

/** np_topo_node_memcache_count() - how many memory-side cache levels @node has (0 if none). */
NP_API unsigned int np_topo_node_memcache_count(const struct np_topo *topo, unsigned int node);

/**
 * np_topo_node_memcache() - memory-side cache @i of @node, by increasing level.
 * @ret: filled on success.
 * Return: 0, or -ENOENT when @i >= np_topo_node_memcache_count().
 */
NP_API int np_topo_node_memcache(const struct np_topo *topo, unsigned int node, unsigned int i,
				 struct np_memcache *ret);

/* Names for output: "direct-mapped", "indexed", "other"; "write-back", "write-through", "other". */
NP_API const char *np_memcache_indexing_name(enum np_memcache_indexing indexing);
NP_API const char *np_memcache_write_policy_name(enum np_memcache_write_policy policy);

/* === end topology extras === */

/* ===================================================================================== */
/* === affinity: CPU binding of processes and threads === */
/* ===================================================================================== */

/*
 * CPU affinity of threads and processes.  A thread id (tid) of 0 is the calling thread; a pid
 * names a process, whose threads are listed in /proc/PID/task.  Sets returned here are sized
 * for the kernel's CPU mask (grown on EINVAL from sched_getaffinity, never assumed to be 1024).
 *
 * Reads of /proc go through @sysroot (NULL is this machine), so a captured tree answers the
 * same questions; calls that change affinity act on the live machine only.
 */

/**
 * np_affinity_cpu_bits() - the number of bits the kernel's CPU mask needs (a multiple of 64).
 *
 * Found by growing the buffer of sched_getaffinity(2) until the kernel stops answering EINVAL.
 * Return: the size in bits (> 0), or -errno from sched_getaffinity (-ESRCH, -EPERM).
 */
NP_API int np_affinity_cpu_bits(void);

/**
 * np_affinity_get() - the CPUs a thread may run on.
 * @tid: a thread id, a pid (its main thread), or 0 for the calling thread.
 * @ret: receives a new set of np_affinity_cpu_bits() bits; the caller frees it.
 *
 * Return: 0; -ESRCH no such thread; -EPERM not allowed; -ENOMEM.
 */
NP_API int np_affinity_get(pid_t tid, struct np_cpuset **ret);

/**
 * np_affinity_set() - bind one thread to @cpus.
 * @tid: a thread id, or 0 for the calling thread.
 * @cpus: the CPUs; members beyond the kernel's mask are -EINVAL.
 *
 * Return: 0; -EINVAL @cpus holds no CPU that is online and inside the thread's cpuset cgroup;
 * -ESRCH no such thread; -EPERM another user's thread without CAP_SYS_NICE; -ENOMEM.
 */
NP_API int np_affinity_set(pid_t tid, const struct np_cpuset *cpus);

/**
 * np_task_list() - the thread ids of a process, from @sysroot/proc/@pid/task.
 * @sysroot: NULL for this machine, or a captured tree.
 * @pid: the process (0 is not accepted: name it with getpid()).
 * @ret: receives a malloc'd array of tids in increasing order; the caller free()s it.
 * @nret: receives the number of tids.
 *
 * A snapshot: threads may start or exit right after it.
 * Return: 0; -ESRCH no such process; -EINVAL @pid <= 0; -ENOMEM; -errno from opendir.
 */
NP_API int np_task_list(const char *sysroot, pid_t pid, pid_t **ret, size_t *nret);

/**
 * np_affinity_set_process() - bind every thread of a process to @cpus, race-safe.
 * @pid: the process.
 * @cpus: the CPUs.
 * @nthreads: when not NULL, receives the number of threads bound.
 *
 * Threads may be created while this runs.  It binds every thread it finds in /proc/PID/task,
 * then lists them again, and repeats until a pass finds no thread it has not bound (a thread
 * that exited meanwhile is skipped).  A process that creates threads faster than they can be
 * bound makes it give up after 1000 passes.
 *
 * Return: 0; -ESRCH no such process; -EPERM not allowed; -EINVAL as for np_affinity_set();
 * -EAGAIN did not converge; -ENOMEM.
 */
NP_API int np_affinity_set_process(pid_t pid, const struct np_cpuset *cpus, unsigned int *nthreads);

/**
 * np_task_last_cpu() - the CPU a thread last ran on (field 39, "processor", of
 * @sysroot/proc/@pid/task/@tid/stat).
 * @tid: the thread; equal to @pid for the main thread.
 * @ret: receives the CPU number.
 *
 * Return: 0; -ESRCH no such thread (or the file is missing in a capture); -EINVAL the file
 * does not parse; -errno from reading it.
 */
NP_API int np_task_last_cpu(const char *sysroot, pid_t pid, pid_t tid, int *ret);

/**
 * np_task_cpus_allowed() - a thread's Cpus_allowed_list, from
 * @sysroot/proc/@pid/task/@tid/status.
 * np_task_mems_allowed() - the same thread's Mems_allowed_list.
 * @nbits: the size of the set created (CPUs or nodes of the machine).
 * @ret: receives a new set; the caller frees it.
 *
 * Return: 0; -ESRCH no such thread; -ENOENT the line is missing; -ERANGE a member at or
 * beyond @nbits; -EINVAL it does not parse; -ENOMEM.
 */
NP_API int np_task_cpus_allowed(const char *sysroot, pid_t pid, pid_t tid, unsigned int nbits,
				struct np_cpuset **ret);
NP_API int np_task_mems_allowed(const char *sysroot, pid_t pid, pid_t tid, unsigned int nbits,
				struct np_cpuset **ret);

/* === end affinity === */

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
/* === bench: memory latency/bandwidth and core-to-core measurements === */
/* ===================================================================================== */

/*
 * Measurements that show what placement buys.  Every function that pins runs its work in
 * threads (or a child process) of its own, so the caller's affinity and memory policy are
 * left as they were.  Figures are in nanoseconds and in MB/s with MB = 10^6 bytes.
 *
 * Bandwidth kernels stream doubles as STREAM does and count bytes as STREAM counts them:
 * each element read or written once, the write-allocate read of a store's line not counted.
 *  read   s += a[i]              8 bytes per element   (likwid-bench load_avx)
 *  copy   b[i] = a[i]           16 bytes per element   (likwid-bench copy_avx)
 *  triad  a[i] = b[i] + q*c[i]  24 bytes per element   (likwid-bench stream_avx)
 */
enum np_bench_kernel {
	NP_BENCH_READ,
	NP_BENCH_COPY,
	NP_BENCH_TRIAD,
};
#define NP_BENCH_NKERNELS 3

/** np_bench_kernel_name() - "read", "copy", "triad"; NULL for an unknown kernel. */
NP_API const char *np_bench_kernel_name(enum np_bench_kernel k);
/** np_bench_kernel_arrays() - how many arrays @k streams (1, 2, 3); 0 for an unknown kernel. */
NP_API unsigned int np_bench_kernel_arrays(enum np_bench_kernel k);
/** np_bench_kernel_bytes() - bytes one pass of @k over @n elements moves, as STREAM counts. */
NP_API uint64_t np_bench_kernel_bytes(enum np_bench_kernel k, uint64_t n);

/**
 * np_bench_kernel_run() - one pass of @k over @n doubles of the arrays it uses.
 * @a, @b, @c: 32-byte aligned arrays of @n doubles (read uses @a; copy @a and @b; triad all
 *             three, writing @a).  @n is rounded down to a multiple of 16.
 *
 * Uses 256-bit AVX loads and ordinary (temporal) stores when the CPU has AVX, as the
 * likwid-bench *_avx kernels do.  Return: the read kernel's sum (so it cannot be elided), 0
 * for the others.
 */
NP_API double np_bench_kernel_run(enum np_bench_kernel k, double *a, double *b, double *c,
				  size_t n);

/**
 * np_bench_chase_build() - write a pointer chase into @buf: one pointer per line, at the
 * line's start, linking every line into a single random cycle (Sattolo's algorithm), so
 * that following the pointers from the returned start visits every line exactly once before
 * coming back.
 * @buf: the buffer, aligned to @line.
 * @size: its length in bytes; size / line lines are used.
 * @line: the line size (a power of two >= sizeof(void *)), normally the cache line.
 * @block: 0 for one cycle over the whole buffer; otherwise bytes (a multiple of @line): the
 *         order is random inside each block and the blocks follow each other, which bounds
 *         TLB misses (as Intel MLC's random-in-block mode does).
 * @seed: the random seed (same seed, same cycle).
 * @ret: receives the first line's address.
 *
 * Return: 0, or -EINVAL for a bad line, block or alignment, or fewer than 2 lines.
 */
NP_API int np_bench_chase_build(void *buf, size_t size, size_t line, size_t block,
				uint64_t seed, void **ret);

/** np_bench_chase() - follow @loads pointers from @p; returns where it stopped. */
NP_API void *np_bench_chase(void *p, uint64_t loads);

/* Options shared by the memory measurements; zero fields take the defaults in brackets. */
struct np_bench_mem_opts {
	uint64_t size;         /* bytes: the chase buffer; the whole bandwidth working set,
				* all arrays and threads together, as likwid-bench -w [1 GiB] */
	size_t line;           /* cache line bytes [64] */
	size_t random_block;   /* latency: random inside blocks of this size [0: whole buffer] */
	unsigned int trials;   /* latency trials [5] */
	uint64_t loads;        /* loads timed per latency trial [10^7] */
	uint64_t warmup;       /* untimed loads before the trials [one pass: size / line] */
	unsigned int reps;     /* bandwidth repetitions counted, after one untimed [10] */
	bool hugepages;        /* madvise(MADV_HUGEPAGE) (THP) instead of 4 KiB pages */
	uint64_t seed;         /* chase seed [a fixed constant] */
};

struct np_bench_latency {
	double ns_min, ns_median;   /* per load */
	double tsc_min, tsc_median; /* TSC ticks per load; NaN without an invariant TSC */
	size_t page_size;           /* the page size that backs most of the buffer */
	uint64_t size;              /* bytes chased */
	uint64_t loads;             /* per trial */
	unsigned int trials;
};

/**
 * np_bench_latency() - idle load-to-use latency from @cpu to memory on @node.
 * @cpu: the CPU the chasing thread is pinned to.
 * @node: the node the buffer is bound to (-1: no binding, first touch).
 * @opts: options, NULL for all defaults.
 * @ret: the result.
 *
 * The buffer is mapped, bound, pre-faulted and checked page by page to be on @node before a
 * warm-up pass; then each trial times opts->loads dependent loads on the monotonic clock.
 *
 * Return: 0; -EINVAL bad options; -ENOMEM; -EIO when pages did not land on @node; the
 * errors of pinning and binding (-EINVAL, -EPERM, -ENOSYS ...).
 */
NP_API int np_bench_latency(int cpu, int node, const struct np_bench_mem_opts *opts,
			    struct np_bench_latency *ret);

struct np_bench_bandwidth {
	double mb_per_s_best;  /* MB/s (10^6) of the fastest repetition */
	double mb_per_s_avg;   /* mean over the counted repetitions */
	uint64_t bytes;        /* bytes one repetition moves, all threads */
	unsigned int threads;
	unsigned int reps;
	size_t page_size;
	/* the bytes of all counted repetitions over the slowest thread's own time summed over
	 * them, without the waits at the barrier: the figure likwid-bench reports */
	double mb_per_s_sustained;
};

/**
 * np_bench_bandwidth() - bandwidth of kernel @k run by one thread on each CPU of @cpus with
 * memory on @node.
 * @cpus: the CPUs, one pinned thread each; every thread streams a private chunk.
 * @node: the node the arrays are bound to (-1: first touch by each thread).
 * @k: the kernel.
 * @opts: options, NULL for all defaults (size is the total over arrays and threads).
 * @ret: the result.
 *
 * Each repetition starts at a barrier and lasts until the slowest thread finishes.  The
 * first repetition is not counted.
 *
 * Return: 0; -EINVAL bad options (empty @cpus, size too small for the threads); -ENOMEM;
 * -EIO when pages did not land on @node; the errors of pinning and binding.
 */
NP_API int np_bench_bandwidth(const struct np_cpuset *cpus, int node, enum np_bench_kernel k,
			      const struct np_bench_mem_opts *opts,
			      struct np_bench_bandwidth *ret);

/**
 * np_bench_colfill() - the seed's experiment: fill an @n x @n int matrix column by column
 * (a stride of a row per store) from @cpu with the matrix on @node (-1: first touch).
 * @trials: how many fills; @ret receives the fastest, in seconds.
 *
 * Return: 0; -EINVAL (n or trials 0); -ENOMEM; -EIO; the errors of pinning and binding.
 */
NP_API int np_bench_colfill(int cpu, int node, unsigned int n, unsigned int trials,
			    double *ret);

/**
 * np_bench_c2c() - core-to-core latency between @cpu_a and @cpu_b: two pinned threads hand a
 * cache line back and forth with compare-and-swap, @roundtrips times per trial.
 * @ret: the median over @trials of (trial time / roundtrips / 2) in ns: one hand-off.
 *
 * Return: 0; -EINVAL (@cpu_a == @cpu_b, zero counts); -EAGAIN (cannot create threads); the
 * errors of pinning.
 */
NP_API int np_bench_c2c(int cpu_a, int cpu_b, unsigned int roundtrips, unsigned int trials,
			double *ret);

struct np_bench_spin {
	double seconds;           /* wall time of the loop */
	long long migrations;     /* CPU changes of the thread (se.nr_migrations); -1 unknown */
	long long nivcsw, nvcsw;  /* involuntary / voluntary context switches (getrusage) */
	double wait_seconds;      /* time runnable but waiting for a CPU (schedstat); NaN unknown */
};

/**
 * np_bench_spin() - the seed's compute loop: @iterations increments in a fresh thread,
 * pinned to @cpu or, with @cpu -1, left where the scheduler puts it.
 * @ret: the result.
 * Return: 0; -EINVAL (@iterations 0); -EAGAIN; the errors of pinning.
 */
NP_API int np_bench_spin(int cpu, uint64_t iterations, struct np_bench_spin *ret);

/**
 * np_bench_noise_start() - start a competing load: a child process spinning on @cpu.
 * @ret: receives its pid, to give to np_bench_noise_stop().
 * Return: 0; the errors of fork(2) and of pinning.
 */
NP_API int np_bench_noise_start(int cpu, pid_t *ret);
/** np_bench_noise_stop() - kill and reap the load started by np_bench_noise_start(); 0 or -errno. */
NP_API int np_bench_noise_stop(pid_t pid);

/* === end bench === */

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

#endif /* NUMAPLACE_H */
