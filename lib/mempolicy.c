/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mempolicy.c - the only place that issues the memory-policy syscalls: set_mempolicy,
 * get_mempolicy, mbind, migrate_pages, move_pages and set_mempolicy_home_node, through
 * syscall(2) (glibc has no wrappers; libnuma is not used).
 *
 * Terminology:
 *  node mask  a bitmap of NUMA nodes in unsigned longs, bit n of word n / BITS_PER_LONG is
 *             node n: the layout of struct np_cpuset's words and of the kernel's nodemask.
 *  nbits      how many bits of a mask the caller means (its np_cpuset size).
 *  maxnode    what the kernel takes instead of nbits; see below.
 *
 * The maxnode convention (mm/mempolicy.c, get_nodes() and copy_nodes_to_user()):
 *  - set_mempolicy, mbind and migrate_pages read maxnode - 1 bits: the kernel decrements
 *    maxnode before use, a historical off-by-one that the man pages only hint at.  Passing
 *    nbits would silently drop the highest node of the mask (numactl issue #194), so every
 *    wrapper passes nbits + 1.  maxnode - 1 may exceed the kernel's nr_node_ids as long as the
 *    extra bits are zero; more than a page of bits is -EINVAL.
 *  - get_mempolicy writes ALIGN(maxnode - 1, 64) / 8 bytes and answers -EINVAL when
 *    maxnode < nr_node_ids.  With maxnode = nbits + 1 it writes exactly the caller's words when
 *    nbits is a multiple of 64, which np_mpol_node_bits() guarantees; other sizes go through a
 *    bounce buffer so that a 32-bit caller's mask is never overrun.
 *  - move_pages takes no mask; set_mempolicy_home_node takes a node number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* Linux 5.17 gave every architecture the same number; old headers lack the name. */
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif

static long ret_errno(long r)
{
	return r < 0 ? -errno : r;
}

static unsigned long maxnode(const unsigned long *nmask, unsigned long nbits)
{
	return nmask ? nbits + 1 : 0;
}

long np__set_mempolicy(int mode, const unsigned long *nmask, unsigned long nbits)
{
	return ret_errno(syscall(SYS_set_mempolicy, mode, nmask, maxnode(nmask, nbits)));
}

long np__get_mempolicy(int *mode, unsigned long *nmask, unsigned long nbits, const void *addr,
		       unsigned long flags)
{
	size_t words = (nbits + 63) / 64 * (64 / NP_BITS_PER_WORD);
	unsigned long *buf = nmask;
	long r;

	if (nmask && words != NP_WORDS(nbits)) {
		buf = calloc(words, sizeof(*buf));
		if (!buf)
			return -ENOMEM;
	}
	r = ret_errno(syscall(SYS_get_mempolicy, mode, buf, maxnode(nmask, nbits), addr, flags));
	if (buf != nmask) {
		if (r >= 0)
			memcpy(nmask, buf, NP_WORDS(nbits) * sizeof(*buf));
		free(buf);
	}
	return r;
}

long np__mbind(void *addr, unsigned long len, int mode, const unsigned long *nmask,
	       unsigned long nbits, unsigned int flags)
{
	return ret_errno(syscall(SYS_mbind, addr, len, mode, nmask, maxnode(nmask, nbits), flags));
}

long np__migrate_pages(pid_t pid, unsigned long nbits, const unsigned long *from,
		       const unsigned long *to)
{
	return ret_errno(syscall(SYS_migrate_pages, pid, nbits + 1, from, to));
}

long np__move_pages(pid_t pid, unsigned long count, void *const *pages, const int *nodes,
		    int *status, int flags)
{
	return ret_errno(syscall(SYS_move_pages, pid, count, pages, nodes, status, flags));
}

long np__set_mempolicy_home_node(unsigned long start, unsigned long len, unsigned long home,
				 unsigned long flags)
{
	return ret_errno(syscall(SYS_set_mempolicy_home_node, start, len, home, flags));
}
