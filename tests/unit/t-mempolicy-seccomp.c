/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-mempolicy-seccomp.c - memory policies under a seccomp filter that blocks the NUMA
 * syscalls the way containers do: the capability probe sees it, and every call that needs a
 * blocked syscall fails with its errno instead of succeeding silently.  The policies themselves
 * are t-mempolicy.c's.
 *
 * Terminology: a "child" is a forked process that installs the filter (which cannot be
 * removed) and runs the calls; it reports through a shared page ("res") and the parent
 * asserts.  res->v[9] is the child's deny_syscalls() result: non-zero means no filter could be
 * installed, and the checks are skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "numaplace.h"
#include "tap.h"
#include "mempolicy-child.h"
#include "helpers/seccomp-deny.h"

static void child_seccomp(void)
{
	struct np_policy *p = NULL, *got = NULL;
	struct np_mpol_caps c;
	struct np_cpuset *n = nodes_of("0");
	void *m = NULL;

	np_cpuset_zero(n);
	np_cpuset_set(n, (unsigned int)node0);
	res->v[9] = deny_syscalls("set_mempolicy,mbind", EPERM);
	if (res->v[9])
		return;
	np_mpol_probe(&c);
	res->v[0] = c.set_mempolicy;
	res->v[1] = c.mbind;
	res->v[2] = c.get_mempolicy;
	np_policy_new(NP_MPOL_BIND, n, 0, &p);
	res->v[3] = np_mpol_check(&c, p, false);
	res->v[4] = np_policy_apply(p);
	res->v[5] = np_alloc(4096, p, 0, &m);
	res->v[6] = np_policy_get(&got);
	res->v[7] = got ? np_policy_mode(got) : -1;
	np_policy_free(got);
	np_policy_free(p);
	np_cpuset_free(n);
}

static void child_seccomp_get(void)
{
	struct np_policy *p = NULL;
	struct np_mpol_caps c;
	struct np_cpuset *n = nodes_of("0");

	np_cpuset_zero(n);
	np_cpuset_set(n, (unsigned int)node0);
	res->v[9] = deny_syscalls("get_mempolicy", EPERM);
	if (res->v[9])
		return;
	np_mpol_probe(&c);
	res->v[0] = c.modes_probed;
	np_policy_new(NP_MPOL_WEIGHTED_INTERLEAVE, n, 0, &p);
	res->v[1] = np_mpol_check(&c, p, false);
	res->v[2] = c.get_mempolicy;
	np_policy_free(p);
	np_cpuset_free(n);
}

static void child_seccomp_enosys(void)
{
	struct np_mpol_caps c;

	res->v[9] = deny_syscalls("get_mempolicy,set_mempolicy,mbind,move_pages,migrate_pages", ENOSYS);
	if (res->v[9])
		return;
	np_mpol_probe(&c);
	res->v[0] = c.get_mempolicy;
	res->v[1] = c.move_pages;
	res->v[2] = c.migrate_pages;
	res->v[3] = np_mpol_node_bits();
}

static void test_seccomp(void)
{
	ok(in_child(child_seccomp) == 0, "seccomp child ran");
	if (res->v[9]) {
		skip(8, "cannot install a seccomp filter");
		return;
	}
	is_int(res->v[0], -EPERM, "probe: set_mempolicy blocked with EPERM");
	is_int(res->v[1], -EPERM, "probe: mbind blocked with EPERM");
	is_int(res->v[2], 0, "probe: get_mempolicy still usable");
	is_int(res->v[3], -EPERM, "np_mpol_check says EPERM before anything is tried");
	is_int(res->v[4], -EPERM, "np_policy_apply is -EPERM, not a silent success");
	is_int(res->v[5], -EPERM, "np_alloc is -EPERM");
	is_int(res->v[6], 0, "np_policy_get still works");
	is_int(res->v[7], NP_MPOL_DEFAULT, "... and the policy is unchanged");
	ok(in_child(child_seccomp_get) == 0, "get_mempolicy-blocked child ran");
	is_int(res->v[2], -EPERM, "probe: get_mempolicy blocked");
	is_int(res->v[0], 0, "... so the modes are not known");
	is_int(res->v[1], 0, "... and np_mpol_check leaves the answer to the kernel");
	ok(in_child(child_seccomp_enosys) == 0, "ENOSYS child ran");
	is_int(res->v[0], -ENOSYS, "probe: get_mempolicy ENOSYS");
	is_int(res->v[1], -ENOSYS, "probe: move_pages ENOSYS");
	is_int(res->v[2], -ENOSYS, "probe: migrate_pages ENOSYS");
	ok(res->v[3] > 0 && res->v[3] % 64 == 0, "node bits fall back to sysfs (%d)", res->v[3]);
}

int main(void)
{
	struct np_cpuset *mems = NULL;

	res_map();
	if (np_mpol_mems_allowed(&mems) < 0 || (node0 = np_cpuset_first(mems)) < 0)
		bail_out("no allowed nodes");
	np_cpuset_free(mems);
	test_seccomp();
	done_testing();
	return exit_status();
}
