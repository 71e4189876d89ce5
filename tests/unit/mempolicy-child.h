/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mempolicy-child.h - what t-mempolicy.c and t-mempolicy-seccomp.c share: a forked child that
 * changes its own memory policy (or installs a seccomp filter) so nothing leaks into the next
 * test, the shared page it reports through, and node sets as wide as the kernel's.
 *
 * Terminology: "child" is the forked process; "res" the shared page it writes and the parent
 * asserts on; "node0" the first node this process may use, set by the test's main().
 */
#ifndef NP_TEST_MEMPOLICY_CHILD_H
#define NP_TEST_MEMPOLICY_CHILD_H

#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "numaplace.h"
#include "tap.h"

struct res {
	int v[32];
	char s[8][128];
};

static struct res *res;
static int node0; /* the first allowed node */

/* the shared page, mapped once before the first child */
static void res_map(void)
{
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		bail_out("mmap");
}

/* run fn in a child; 0 when it exited 0 */
static int in_child(void (*fn)(void))
{
	pid_t pid;
	int st;

	memset(res, 0, sizeof(*res));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* a node set of the kernel's width from a list; bails out when it cannot */
static struct np_cpuset *nodes_of(const char *list)
{
	struct np_cpuset *s;

	if (np_cpuset_new((unsigned int)np_mpol_node_bits(), &s) < 0 ||
	    np_cpuset_parse_list(s, list, NULL) < 0)
		bail_out("cannot make a node set");
	return s;
}

#endif /* NP_TEST_MEMPOLICY_CHILD_H */
