/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/topo.h - the machine: CPUs, caches, NUMA nodes, devices, HMAT and this process's
 * limits.
 */
#ifndef NUMAPLACE_TOPO_H
#define NUMAPLACE_TOPO_H

#include <stdbool.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>
#include <numaplace/tree.h> /* the object tree, split out; still part of this header */

#ifdef __cplusplus
extern "C" {
#endif

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
 * nodes, the other limit sets NULL, np_topo_cgroup_version() 0), no node memory sizes
 * (mem_total and mem_free -1, no huge pages; the memory nodes still come from has_memory, and
 * from the meminfo files only on kernels without it), no CPU details (die, cluster, book and
 * drawer ids -1 and no such groups or objects; capacity, frequencies and hybrid kind unknown).
 * Online CPUs, packages, cores, nodes and distances are the same with any flags.
 */
#define NP_TOPO_NO_CACHES  0x1u /* cpuN/cache */
#define NP_TOPO_NO_DEVICES 0x2u /* PCI devices and their locality */
#define NP_TOPO_NO_HMAT    0x4u /* nodeN/accessN and nodeN/memory_side_cache */
#define NP_TOPO_NO_LIMITS  0x8u /* affinity, cgroup cpuset, Mems_allowed, isolcpus, nohz_full */
#define NP_TOPO_NO_MEMINFO 0x10u /* nodeN/meminfo and the huge page counts */
#define NP_TOPO_NO_CPU_DETAILS 0x20u /* die/cluster/book/drawer, capacity, cpufreq, hybrid kind */

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
 * exist, or names no online CPU; -ENOTDIR @sysroot is not a directory; -EACCES; -ENOMEM; -EOVERFLOW a CPU list names
 * a CPU beyond 8191 or a node list a node beyond 1023 (the kernel's NR_CPUS and MAX_NUMNODES
 * ceilings: the file is corrupt).
 */
NP_API int np_topo_load(const char *sysroot, unsigned int flags, struct np_topo **ret);

/** np_topo_free() - free a topology and everything its accessors returned; NULL is a no-op. */
NP_API void np_topo_free(struct np_topo *topo);

/** np_topo_sysroot() - the sysroot it was read from ("/" for this machine). */
NP_API const char *np_topo_sysroot(const struct np_topo *topo);

/**
 * np_topo_cpu_model() - the CPU model's name as proc/cpuinfo of @topo's sysroot gives it
 * ("model name" on x86, "cpu" on POWER, "Processor" on older ARM), read when called.
 * @ret: on success a malloc'd string the caller frees.
 *
 * Return: 0; -EINVAL @topo or @ret NULL; -ENOENT no cpuinfo, or no model line in it (arm64,
 * s390); -ENOMEM; another -errno when cpuinfo cannot be read.
 */
NP_API int np_topo_cpu_model(const struct np_topo *topo, char **ret);

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
 * np_topo_nodes_of_cpus() - the nodes holding at least one CPU of @cpus.
 * @cpus: CPUs, any size; @ret: a new node set (np_topo_node_size() bits), freed by the caller.
 *
 * Return: 0; -ENOMEM.  *@ret is untouched on failure.
 */
NP_API int np_topo_nodes_of_cpus(const struct np_topo *topo, const struct np_cpuset *cpus,
				 struct np_cpuset **ret);

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
 * Return: the number of files copied (>= 0); -ENOENT @sysroot does not exist or has no
 * sys/devices/system/cpu (then @dir is not created); -EEXIST @dir
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
 * np_device_memory_node() - the NUMA node that is the device's own memory (an NVIDIA GPU's
 * coherent memory onlined by its driver), or -1 when it has none or it is not known.
 */
NP_API int np_device_memory_node(const struct np_device *dev);
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

/* === set arguments: the one grammar of CPU and node sets (lib/setexpr.c) === */

/* Flags of np_topo_parse_cpus() and np_topo_parse_nodes(); unknown bits are ignored. */
#define NP_PARSE_ONLINE 0x1 /* "all", "!" and "+" count over every online CPU (node), not only
			     * those this process may use */

/**
 * np_topo_parse_cpus() - a CPU set in any syntax the library knows, resolved on @topo.
 * @topo: the machine; sizes, the CPUs that exist and the objects of location expressions.
 * @str: the set.  Leading blanks are skipped; its shape picks the syntax, tested in order:
 *   "0x..."            a taskset mask (np_cpuset_parse_taskset()); "0x" alone is -EINVAL.
 *   "all"              the CPUs this process may use (np_topo_allowed_cpus()).
 *   "!SET"             those of them not in SET (SET in any syntax but another "!").
 *   "+LIST"            numactl's ranks among them: "+0-1" the first two (a kernel list only).
 *   hex words, commas  a sysfs mask when a letter a-f appears, or when there are several words
 *                      and every word after the first has 8 digits: "ff", "ff,ffffffff",
 *                      "1,00000000".  Then every later word must have 8 digits ("ff,fff" is
 *                      -EINVAL), as the kernel prints them.
 *   digits , - :       a kernel list with strides: "0-3,8", "0-15:2" (decimal; "1,2" is a
 *                      list although it is also a short mask).
 *   anything else      a location expression (np_location_parse()): "node:1", "core:2-3",
 *                      "near:eth0", "package:0 & core:0-1", "all~0": the online CPUs it names.
 *   Numbers name possible CPUs (np_topo_possible_cpus()), online or not; an empty string is
 *   -EINVAL, an empty result is not an error.
 * @flags: NP_PARSE_*.
 * @ret: receives a new set np_topo_cpu_size() bits wide, which the caller frees.
 * @errpos: when not NULL, receives on failure the byte offset in @str of the token at fault.
 *
 * Return: 0; -EINVAL a syntax error; -ERANGE a number naming no CPU of the machine, a location
 * index past the objects there are ("core:99"), a rank past the allowed CPUs; -EOVERFLOW a
 * number above 4294967295 (INT_MAX in a location), a mask word of more than 8 digits;
 * -ENODEV "near:" names no device of the machine; -ENOMEM.  On failure *@ret is untouched.
 */
NP_API int np_topo_parse_cpus(const struct np_topo *topo, const char *str, unsigned int flags,
			      struct np_cpuset **ret, size_t *errpos);

/**
 * np_topo_parse_nodes() - a node set in the same grammar, resolved on @topo.
 * @str: as for np_topo_parse_cpus(), with nodes for CPUs: numbers name nodes sysfs shows
 *   (np_topo_nodes()), "all", "!" and "+" count over np_topo_allowed_nodes() (numactl's node
 *   strings), masks are node masks.  A location expression names the nodes of its CPUs, except
 *   that "node:SEL" (or "numa:SEL"), alone or in a ','-union of such terms, names nodes by
 *   logical index (the n-th node by id), CPU-less ones included.
 * @ret: receives a new set np_topo_node_size() bits wide, which the caller frees.
 *
 * Return: as np_topo_parse_cpus(), -ERANGE also for a number naming no node.
 */
NP_API int np_topo_parse_nodes(const struct np_topo *topo, const char *str, unsigned int flags,
			       struct np_cpuset **ret, size_t *errpos);

/* === end set arguments === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_TOPO_H */
