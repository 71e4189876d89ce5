/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/tiers.h - memory of several kinds: the weights of weighted interleave (Linux 6.9+),
 * memory tiers, demotion and NUMA balancing's mode.
 */
#ifndef NUMAPLACE_TIERS_H
#define NUMAPLACE_TIERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#endif /* NUMAPLACE_TIERS_H */
