/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * shm.h - printing a shared-memory region's pages (lib/region.c) as numactl --dump and
 * --dump-nodes print them; `numaplace run --dump/--dump-nodes` prints the same lines.  Also
 * numactl's size syntax, which `numaplace migrate` reads too.
 *
 * Terminology:
 *  range    a run of pages [start, end) under one policy, or on one node; offsets from the
 *           segment's or file's start, 16 hex digits each.
 */
#ifndef NP_CLI_SHM_H
#define NP_CLI_SHM_H

#include "numaplace.h"

/* numactl's memsize(): a number (C syntax) with an optional k, m or g suffix (KiB, MiB, GiB);
 * also `numaplace migrate`'s lengths */
unsigned long long shm_memsize(const char *s);

/* numactl's names of the kernel's policy values ("[6]" past preferred-many) */
const char *shm_policy_name(int policy, char buf[32]);

/*
 * The ranges of @r with a policy other than default ("START-END: bind : 0 1 ") or the node of
 * each range ("START-END: 0"), on stdout.  Return: 0, or the -errno of the query, for the
 * caller to word (what was printed before it stays).
 */
int shm_dump(const struct np_region *r);
int shm_dump_nodes(const struct np_region *r);

#endif /* NP_CLI_SHM_H */
