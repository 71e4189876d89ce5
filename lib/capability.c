/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * capability.c - what this kernel and this process may do with memory policies, found out
 * without changing anything.
 *
 * Terminology:
 *  blocked    a syscall that never reaches the memory-policy code: a seccomp filter (Docker's
 *             default profile, systemd SystemCallFilter=) answers EPERM or ENOSYS, and so does
 *             a kernel built without CONFIG_NUMA (ENOSYS).
 *  supported  a mode or flag the kernel's policy code accepts; older kernels answer EINVAL.
 *
 * Presence is probed with arguments the kernel must reject with EINVAL after the syscall is
 * entered (an unknown mode, an oversized mask, unknown flags): EINVAL proves the syscall ran,
 * and nothing can change.  Modes are probed with mbind() on a private scratch page that is
 * unmapped afterwards, so the task policy is never touched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/* a mode number no kernel has, with no flag bits set */
#define BOGUS_MODE 1000

static int present(long r)
{
	return r == -EINVAL ? 0 : r < 0 ? (int)r : 0;
}

static void probe_syscalls(struct np_mpol_caps *c, void *page, size_t ps)
{
	unsigned long big[1] = { 0 };
	int mode;

	c->get_mempolicy = present(np__get_mempolicy(&mode, NULL, 0, NULL, 0));
	c->set_mempolicy = present(np__set_mempolicy(BOGUS_MODE, NULL, 0));
	c->mbind = present(np__mbind(page, ps, BOGUS_MODE, NULL, 0, 0));
	/* more than a page of bits is refused before either mask is read */
	c->migrate_pages = present(np__migrate_pages(0, 1ul << 20, big, big));
	c->move_pages = present(np__move_pages(0, 0, NULL, NULL, NULL, 0x100));
	c->home_node = present(np__set_mempolicy_home_node(0, 0, 0, 1));
}

static bool try_mbind(void *page, size_t ps, int mode, const struct np_cpuset *nodes)
{
	bool takes = mode != NP_MPOL_DEFAULT && mode != NP_MPOL_LOCAL;

	return np__mbind(page, ps, mode, takes ? nodes->bits : NULL, nodes->nbits, 0) == 0;
}

static void probe_modes(struct np_mpol_caps *c, void *page, size_t ps)
{
	struct np_cpuset *nodes = NULL;
	int first;

	if (c->mbind || np_mpol_mems_allowed(&nodes) < 0)
		return;
	first = np_cpuset_first(nodes);
	if (first < 0)
		goto free_nodes;
	/* one node suits every mode, preferred included */
	np_cpuset_zero(nodes);
	np_cpuset_set(nodes, (unsigned int)first);
	c->modes_probed = true;
	for (int m = 0; m < NP_MPOL_MODE_COUNT; m++)
		c->mode[m] = try_mbind(page, ps, m, nodes);
	c->numa_balancing = try_mbind(page, ps, NP_MPOL_BIND | (int)NP_MPOL_F_NUMA_BALANCING, nodes);
	c->numa_balancing_many =
		try_mbind(page, ps, NP_MPOL_PREFERRED_MANY | (int)NP_MPOL_F_NUMA_BALANCING, nodes);
free_nodes:
	np_cpuset_free(nodes);
}

int np_mpol_probe(struct np_mpol_caps *ret)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	struct np_mpol_caps c;
	void *page;

	memset(&c, 0, sizeof(c));
	page = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return -ENOMEM;
	probe_syscalls(&c, page, ps);
	probe_modes(&c, page, ps);
	munmap(page, ps);
	*ret = c;
	return 0;
}

int np_mpol_check(const struct np_mpol_caps *caps, const struct np_policy *pol, bool to_range)
{
	int err = to_range ? caps->mbind : caps->set_mempolicy;

	if (err)
		return err;
	/* modes are probed through mbind: when that could not run, the kernel will tell */
	if (!caps->modes_probed)
		return 0;
	if (!caps->mode[pol->mode])
		return -EOPNOTSUPP;
	if (pol->flags & NP_MPOL_F_NUMA_BALANCING) {
		if (pol->mode == NP_MPOL_BIND && !caps->numa_balancing)
			return -EOPNOTSUPP;
		if (pol->mode == NP_MPOL_PREFERRED_MANY && !caps->numa_balancing_many)
			return -EOPNOTSUPP;
		if (pol->mode != NP_MPOL_BIND && pol->mode != NP_MPOL_PREFERRED_MANY)
			return -EOPNOTSUPP;
	}
	if (to_range && pol->home_node >= 0 && caps->home_node)
		return caps->home_node == -ENOSYS ? -EOPNOTSUPP : caps->home_node;
	return 0;
}
