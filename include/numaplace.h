/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace.h - the public API of libnumaplace: where a program's threads and memory are,
 * and how to put them where they should be.  libc only.  This header includes the others:
 *  numaplace/common.h     NP_API, np_version(), np_strerror()
 *  numaplace/cpuset.h     CPU and node sets and their syntaxes
 *  numaplace/topo.h       the machine: CPUs, caches, nodes, devices, HMAT, this process's limits
 *  numaplace/tree.h       the machine as one tree of objects (included by numaplace/topo.h)
 *  numaplace/diag.h       the files of a sysroot a topology load found but could not use
 *  numaplace/affinity.h   CPU binding of processes and threads
 *  numaplace/mempolicy.h  memory policies, page placement and migration
 *  numaplace/numastat.h   a process's pages per node, per-node NUMA counters and meminfo
 *  numaplace/tiers.h      weighted-interleave weights, memory tiers, NUMA balancing
 *  numaplace/plan.h       location expressions, placement plans, host policies
 *  numaplace/isolate.h    IRQs, CPUs isolated at run time and the proof of it
 * Each of them also compiles on its own.
 *
 * Conventions that hold for every function of these headers:
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

#include <numaplace/common.h>
#include <numaplace/cpuset.h>
#include <numaplace/topo.h>
#include <numaplace/tree.h>
#include <numaplace/diag.h>
#include <numaplace/affinity.h>
#include <numaplace/mempolicy.h>
#include <numaplace/numastat.h>
#include <numaplace/tiers.h>
#include <numaplace/plan.h>
#include <numaplace/isolate.h>

#endif /* NUMAPLACE_H */
