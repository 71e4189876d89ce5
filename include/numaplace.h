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
 * Syntaxes:
 *  cpulist   "0-3,8,10-14:2": numbers, ranges a-b, ranges with a stride a-b:s (as the kernel
 *            and util-linux accept them).  The empty string is the empty set.
 *  mask      "ff,ffffffff": the kernel's hex mask, 32-bit words separated by commas, most
 *            significant first.  Words beyond the set's size are accepted when zero.
 *  taskset   "0x3" or "3": one hex number, any length, as util-linux taskset takes it.
 *  numactl   "all", "!1-2", "+0-1", "0,2-3": see np_cpuset_parse_numactl().
 */
struct np_cpuset;

/**
 * np_cpuset_new() - allocate an empty set of @nbits bits.
 * @nbits: capacity in bits (0 allowed: an empty set that holds nothing).
 * @ret: receives the set, which the caller frees with np_cpuset_free().
 *
 * Return: 0, or -ENOMEM.
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
 * Return: 0, or -ENOMEM (then @set is unchanged).
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
 * numactl syntax, outside the allowed set); -EOVERFLOW a number too large to represent.
 */
NP_API int np_cpuset_parse_list(struct np_cpuset *set, const char *str, size_t *errpos);
NP_API int np_cpuset_parse_mask(struct np_cpuset *set, const char *str, size_t *errpos);
NP_API int np_cpuset_parse_taskset(struct np_cpuset *set, const char *str, size_t *errpos);

/**
 * np_cpuset_parse_numactl() - parse a node or CPU string as numactl takes it.
 * @set: receives the result.
 * @str: "all", a cpulist, "!" prefix for the complement within @allowed, "+" prefix for
 *       numbers relative to @allowed (the n-th allowed member).
 * @allowed: the CPUs or nodes this process may use; members outside it are -ERANGE.
 * @errpos: as for the other parsers.
 *
 * A range whose interior holds members outside @allowed is taken with those members
 * dropped, and so is a range whose endpoint is outside @allowed: only a single number
 * outside @allowed, or a range with no allowed member at all, is -ERANGE.  (numactl accepts
 * the first and rejects the second, numactl issue #259.)
 */
NP_API int np_cpuset_parse_numactl(struct np_cpuset *set, const char *str,
				   const struct np_cpuset *allowed, size_t *errpos);

/* Formatter flags. */
#define NP_FMT_STRIDES 0x1 /* cpulist: write runs with a constant step as a-b:s ("0-62:2") */

/*
 * Formatters.  Each stores in *@ret a malloc'd NUL-terminated string the caller frees.
 *  list:    "0-3,8" (the empty set is "")
 *  mask:    the kernel's form, "ff,ffffffff", 32-bit words, no leading zero words ("0" if empty)
 *  taskset: the hex digits util-linux taskset prints, no "0x", no commas ("0" if empty)
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

/* === end topology === */

/* ===================================================================================== */
/* === topology extras: this process's limits, devices, HMAT and memory-side caches === */
/* ===================================================================================== */

/*
 * This process's limits, as the topology's sysroot shows them (for the live machine: the
 * calling process).  Each set is owned by @topo; NULL where the machine does not say.
 *  allowed_cpus:  affinity, cgroup cpuset and online CPUs together: where it may run
 *  allowed_nodes: Mems_allowed and cgroup cpuset.mems together: where it may allocate
 *  cgroup_cpus / cgroup_nodes: the cpuset cgroup's effective sets (v1 or v2), NULL if none
 *  isolated_cpus: the kernel's isolated CPUs (isolcpus=); nohz_full_cpus: nohz_full=
 */
NP_API const struct np_cpuset *np_topo_allowed_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_allowed_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_cgroup_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_cgroup_nodes(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_isolated_cpus(const struct np_topo *topo);
NP_API const struct np_cpuset *np_topo_nohz_full_cpus(const struct np_topo *topo);

/*
 * Devices: PCI devices with their NUMA node and local CPUs, named as users know them
 * ("eth0", "nvme0", "gpu0", "mlx5_0", "sda").  Owned by @topo.
 */
struct np_device;
NP_API unsigned int np_topo_device_count(const struct np_topo *topo);
NP_API const struct np_device *np_topo_device(const struct np_topo *topo, unsigned int i);
/** np_topo_device_find() - by name ("eth0", "gpu0") or PCI address ("0000:3b:00.0"); NULL if none */
NP_API const struct np_device *np_topo_device_find(const struct np_topo *topo, const char *name);
NP_API const char *np_device_name(const struct np_device *dev);
/** np_device_class() - "net", "nvme", "gpu", "infiniband", "block" or "pci" */
NP_API const char *np_device_class(const struct np_device *dev);
NP_API const char *np_device_pci_address(const struct np_device *dev);
/** np_device_node() - the NUMA node, or -1 when the firmware does not say */
NP_API int np_device_node(const struct np_device *dev);
/** np_device_local_cpus() - CPUs local to the device, or NULL when unknown */
NP_API const struct np_cpuset *np_device_local_cpus(const struct np_device *dev);

/* === end topology extras === */

/* ===================================================================================== */
/* === affinity: CPU binding of processes and threads === */
/* ===================================================================================== */

/* === end affinity === */

/* ===================================================================================== */
/* === mempolicy: memory policies, placement queries and migration === */
/* ===================================================================================== */

/* === end mempolicy === */

/* ===================================================================================== */
/* === bench: memory latency/bandwidth and core-to-core measurements === */
/* ===================================================================================== */

/* === end bench === */

/* ===================================================================================== */
/* === plan: location expressions, placement plans, host policies === */
/* ===================================================================================== */

/* === end plan === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_H */
