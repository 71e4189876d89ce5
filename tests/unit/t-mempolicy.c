/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-mempolicy.c - unit tests of memory policies: mode names, the policy object and its text
 * form, set/get round trips of every mode this kernel has, ranges (mbind) and where their
 * pages land, moving pages and the capability probe (under a seccomp filter that blocks the
 * syscalls: t-mempolicy-seccomp.c).
 *
 * Terminology: a "child" is a forked process in which a test changes its policy, so nothing
 * leaks into the next test; it reports through a shared page ("res") and the parent asserts.
 * This machine may have one node: every check uses the first allowed node, and multi-node
 * placement is proven in the QEMU tier (tests/vm).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"
#include "mempolicy-child.h"

static struct np_mpol_caps caps;

static void test_names(void)
{
	enum np_mpol_mode m = NP_MPOL_LOCAL;
	int good = 1;

	for (int i = 0; i < NP_MPOL_MODE_COUNT; i++) {
		enum np_mpol_mode got;

		if (np_mpol_mode_parse(np_mpol_mode_name(i), &got) < 0 || (int)got != i)
			good = 0;
	}
	ok(good, "every mode name parses back to its mode");
	is_int(np_mpol_mode_parse("membind", &m), 0, "numactl's name 'membind' parses");
	is_int(m, NP_MPOL_BIND, "... as bind");
	is_int(np_mpol_mode_parse("frob", &m), -EINVAL, "an unknown name is -EINVAL");
	is_int(m, NP_MPOL_BIND, "... and leaves the output alone");
	ok(np_mpol_mode_name(NP_MPOL_MODE_COUNT) == NULL, "no name for an unknown mode");
	is_str(np_mpol_mode_since(NP_MPOL_PREFERRED_MANY), "5.15", "preferred-many since 5.15");
	is_str(np_mpol_mode_since(NP_MPOL_WEIGHTED_INTERLEAVE), "6.9", "weighted interleave since 6.9");
}

static const struct {
	int mode;
	const char *nodes; /* NULL: none */
	unsigned int flags;
	int err;
} new_cases[] = {
	{ NP_MPOL_DEFAULT, NULL, 0, 0 },
	{ NP_MPOL_LOCAL, "", 0, 0 },
	{ NP_MPOL_LOCAL, "0", 0, -EINVAL },
	{ NP_MPOL_DEFAULT, NULL, NP_MPOL_F_STATIC_NODES, -EINVAL },
	{ NP_MPOL_PREFERRED, "0", 0, 0 },
	{ NP_MPOL_PREFERRED, "", 0, -EINVAL },
	{ NP_MPOL_PREFERRED, "0-1", 0, -EINVAL },
	{ NP_MPOL_BIND, "0-3", NP_MPOL_F_STATIC_NODES, 0 },
	{ NP_MPOL_BIND, NULL, 0, -EINVAL },
	{ NP_MPOL_BIND, "0", NP_MPOL_F_STATIC_NODES | NP_MPOL_F_RELATIVE_NODES, -EINVAL },
	{ NP_MPOL_BIND, "0", 1u << 3, -EINVAL },
	{ NP_MPOL_INTERLEAVE, "0,2", NP_MPOL_F_RELATIVE_NODES, 0 },
	{ NP_MPOL_PREFERRED_MANY, "0-1", NP_MPOL_F_NUMA_BALANCING, 0 },
	{ NP_MPOL_WEIGHTED_INTERLEAVE, "0", 0, 0 },
	{ NP_MPOL_MODE_COUNT, "0", 0, -EINVAL },
	{ -1, "0", 0, -EINVAL },
};

static void test_new(void)
{
	for (size_t i = 0; i < NP_ARRAY_SIZE(new_cases); i++) {
		struct np_cpuset *n = new_cases[i].nodes ? nodes_of(new_cases[i].nodes) : NULL;
		struct np_policy *sentinel = (struct np_policy *)&res, *p = sentinel;
		int r = np_policy_new(new_cases[i].mode, n, new_cases[i].flags, &p);

		is_int(r, new_cases[i].err, "np_policy_new(%d, %s, 0x%x)", new_cases[i].mode,
		       new_cases[i].nodes ? new_cases[i].nodes : "NULL", new_cases[i].flags);
		if (r == 0)
			np_policy_free(p);
		else
			ok(p == sentinel, "... leaves the output alone");
		np_cpuset_free(n);
	}
	np_policy_free(NULL);
}

static const struct {
	const char *in;
	int err;
	const char *out; /* the formatted policy when it parses */
} parse_cases[] = {
	{ "bind:0", 0, "bind:0" },
	{ "membind:0-2", 0, "bind:0-2" },
	{ "interleave+static:0,2", 0, "interleave+static:0,2" },
	{ "bind+balancing+relative:1", 0, "bind+relative+balancing:1" },
	{ "preferred:3", 0, "preferred:3" },
	{ "local", 0, "local" },
	{ "default", 0, "default" },
	{ "weighted-interleave:0-1", 0, "weighted-interleave:0-1" },
	{ "preferred-many:0-1", 0, "preferred-many:0-1" },
	{ "bind", -EINVAL, NULL },
	{ "bind:", -EINVAL, NULL },
	{ "bind:x", -EINVAL, NULL },
	{ "bind:99999", -ERANGE, NULL },
	{ "frob:0", -EINVAL, NULL },
	{ "bind+nope:0", -EINVAL, NULL },
	{ "bind+:0", -EINVAL, NULL },
	{ "preferred:0-1", -EINVAL, NULL },
	{ "local:0", -EINVAL, NULL },
	{ "bind+static+relative:0", -EINVAL, NULL },
	{ "", -EINVAL, NULL },
};

static void test_parse(void)
{
	for (size_t i = 0; i < NP_ARRAY_SIZE(parse_cases); i++) {
		struct np_policy *p = NULL;
		char *s = NULL;
		int r = np_policy_parse(parse_cases[i].in, NULL, &p);

		is_int(r, parse_cases[i].err, "np_policy_parse('%s')", parse_cases[i].in);
		if (r == 0 && parse_cases[i].out) {
			struct np_policy *d = NULL, *back = NULL;

			np_policy_format(p, &s);
			is_str(s, parse_cases[i].out, "... formats as '%s'", parse_cases[i].out);
			ok(np_policy_parse(s, NULL, &back) == 0 && np_policy_equal(p, back),
			   "... which parses back to an equal policy");
			ok(np_policy_dup(p, &d) == 0 && np_policy_equal(p, d), "... np_policy_dup is equal");
			np_policy_free(d);
			np_policy_free(back);
		}
		free(s);
		np_policy_free(p);
	}
}

static void test_parse_allowed(void)
{
	struct np_cpuset *allowed = nodes_of("0,2");
	struct np_policy *p = NULL;
	char *s = NULL;

	is_int(np_policy_parse("interleave:all", allowed, &p), 0, "'all' with an allowed set");
	if (p && np_policy_format(p, &s) == 0)
		is_str(s, "interleave:0,2", "... is the allowed set");
	else
		ok(0, "... is the allowed set");
	free(s);
	{
		struct np_policy *q = NULL;

		np_policy_parse("interleave:0", allowed, &q);
		ok(q && !np_policy_equal(p, q), "policies with different nodes are not equal");
		np_policy_free(q);
	}
	np_policy_free(p);
	p = NULL;
	is_int(np_policy_parse("bind:1", allowed, &p), -ERANGE, "a node outside the allowed set");
	is_int(np_policy_parse("bind:all", NULL, &p), -EINVAL, "'all' without an allowed set");
	np_cpuset_free(allowed);
}

static void test_node_bits(void)
{
	struct np_cpuset *mems = NULL;
	int n = np_mpol_node_bits();

	ok(n > 0 && n % 64 == 0, "node bits %d: a positive multiple of 64", n);
	is_int(np_mpol_mems_allowed(&mems), 0, "np_mpol_mems_allowed");
	if (!mems)
		bail_out("no allowed nodes");
	ok(np_cpuset_size(mems) == (unsigned int)n, "... sized by np_mpol_node_bits");
	node0 = np_cpuset_first(mems);
	ok(node0 >= 0, "... holds node %d", node0);
	np_cpuset_free(mems);
}

static void test_probe(void)
{
	is_int(np_mpol_probe(&caps), 0, "np_mpol_probe");
	is_int(caps.get_mempolicy, 0, "get_mempolicy usable");
	is_int(caps.set_mempolicy, 0, "set_mempolicy usable");
	is_int(caps.mbind, 0, "mbind usable");
	if (caps.migrate_pages == -ENOSYS)
		skip(1, "migrate_pages answers ENOSYS (valgrind does not emulate it)");
	else
		is_int(caps.migrate_pages, 0, "migrate_pages usable");
	is_int(caps.move_pages, 0, "move_pages usable");
	ok(caps.modes_probed, "the modes were probed");
	ok(caps.mode[NP_MPOL_DEFAULT] && caps.mode[NP_MPOL_BIND] && caps.mode[NP_MPOL_INTERLEAVE] &&
		   caps.mode[NP_MPOL_PREFERRED] && caps.mode[NP_MPOL_LOCAL],
	   "the five old modes are supported");
	diag("preferred-many %d, weighted interleave %d, home node %d, balancing %d/%d",
	     caps.mode[NP_MPOL_PREFERRED_MANY], caps.mode[NP_MPOL_WEIGHTED_INTERLEAVE],
	     caps.home_node, caps.numa_balancing, caps.numa_balancing_many);
}

/* ---- set/get round trips, one child per mode ---- */

static int rt_mode;
static unsigned int rt_flags;

static void child_roundtrip(void)
{
	struct np_cpuset *n = nodes_of("0");
	struct np_policy *p, *got = NULL;
	char *s = NULL;

	np_cpuset_zero(n);
	np_cpuset_set(n, (unsigned int)node0);
	if (np_policy_new(rt_mode, rt_mode == NP_MPOL_DEFAULT || rt_mode == NP_MPOL_LOCAL ? NULL : n,
			  rt_flags, &p) < 0)
		_exit(2);
	res->v[0] = np_policy_apply(p);
	res->v[1] = np_policy_get(&got);
	if (got) {
		res->v[2] = np_policy_mode(got);
		res->v[3] = (int)np_policy_flags(got);
		np_cpuset_format_list(np_policy_nodes(got), 0, &s);
		snprintf(res->s[0], sizeof(res->s[0]), "%s", s ? s : "?");
	}
	free(s);
	np_policy_free(got);
	np_policy_free(p);
	np_cpuset_free(n);
}

static void roundtrip(int mode, unsigned int flags, bool supported)
{
	const char *name = np_mpol_mode_name(mode);
	char want[16];

	if (!supported) {
		skip(1, "this kernel lacks the mode or flag");
		return;
	}
	rt_mode = mode;
	rt_flags = flags;
	snprintf(want, sizeof(want), "%d", node0);
	if (in_child(child_roundtrip) < 0 || res->v[0] || res->v[1]) {
		ok(0, "%s+0x%x: apply %d, get %d", name, flags, res->v[0], res->v[1]);
		return;
	}
	ok(res->v[2] == mode && (unsigned int)res->v[3] == flags &&
		   strcmp(res->s[0], mode == NP_MPOL_DEFAULT || mode == NP_MPOL_LOCAL ? "" : want) == 0,
	   "%s+0x%x: get_mempolicy returns what was set (mode %d flags 0x%x nodes '%s')", name,
	   flags, res->v[2], res->v[3], res->s[0]);
}

static void test_roundtrips(void)
{
	for (int m = 0; m < NP_MPOL_MODE_COUNT; m++)
		roundtrip(m, 0, caps.mode[m]);
	roundtrip(NP_MPOL_BIND, NP_MPOL_F_STATIC_NODES, true);
	roundtrip(NP_MPOL_INTERLEAVE, NP_MPOL_F_RELATIVE_NODES, true);
	roundtrip(NP_MPOL_BIND, NP_MPOL_F_NUMA_BALANCING, caps.numa_balancing);
	roundtrip(NP_MPOL_PREFERRED_MANY, NP_MPOL_F_NUMA_BALANCING, caps.numa_balancing_many);
}

static void child_interleave_next(void)
{
	struct np_policy *p;
	struct np_cpuset *n = nodes_of("0");

	np_cpuset_zero(n);
	np_cpuset_set(n, (unsigned int)node0);
	res->v[0] = np_mpol_interleave_next(&res->v[1]); /* default policy: -EINVAL */
	np_policy_new(NP_MPOL_INTERLEAVE, n, 0, &p);
	res->v[2] = np_policy_apply(p);
	res->v[3] = -1;
	res->v[4] = np_mpol_interleave_next(&res->v[3]);
	np_policy_free(p);
	np_cpuset_free(n);
}

static void test_interleave_next(void)
{
	ok(in_child(child_interleave_next) == 0, "interleave-next child ran");
	is_int(res->v[0], -EINVAL, "interleave next without an interleave policy is -EINVAL");
	is_int(res->v[4], 0, "interleave next under interleave");
	is_int(res->v[3], node0, "... is the only node");
}

/* ---- ranges ---- */

static void test_ranges(void)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), n = 16;
	struct np_cpuset *nodes = nodes_of("0");
	struct np_policy *got = NULL;
	int status[16], r, all;
	void *p = NULL;

	np_cpuset_zero(nodes);
	np_cpuset_set(nodes, (unsigned int)node0);
	is_int(np_alloc_onnode(n * ps, node0, NP_ALLOC_TOUCH | NP_ALLOC_STRICT, &p), 0,
	       "np_alloc_onnode(%d) touched and checked", node0);
	if (!p)
		bail_out("no memory");
	is_int(np_policy_get_addr(p, &got), 0, "np_policy_get_addr");
	ok(got && np_policy_mode(got) == NP_MPOL_BIND && np_cpuset_equal(np_policy_nodes(got), nodes),
	   "the range's policy is bind to node %d", node0);
	np_policy_free(got);
	got = NULL;
	is_int(np_mem_query_range(0, p, n * ps, status), 0, "np_mem_query_range");
	all = 1;
	for (size_t i = 0; i < n; i++)
		all &= status[i] == node0;
	ok(all, "every page is on node %d", node0);
	r = -1;
	is_int(np_mem_node_of((char *)p + 3 * ps, &r), 0, "np_mem_node_of");
	is_int(r, node0, "... says node %d", node0);
	is_int(np_mem_page_count(p, n * ps), (long long)n, "page count of an aligned range");
	is_int(np_mem_page_count((char *)p + 1, ps), 2, "an unaligned page-sized range touches 2 pages");
	is_int(np_mem_page_count(p, 0), 0, "an empty range touches none");
	np_alloc_free(p, n * ps);

	p = NULL;
	is_int(np_alloc_interleaved(n * ps, nodes, 0, &p), 0, "np_alloc_interleaved, untouched");
	if (p) {
		is_int(np_policy_get_addr(p, &got), 0, "np_policy_get_addr");
		ok(got && np_policy_mode(got) == NP_MPOL_INTERLEAVE, "the range's policy is interleave");
		np_policy_free(got);
		is_int(np_mem_query_range(0, p, n * ps, status), 0, "query untouched pages");
		is_int(status[0], -ENOENT, "an untouched page is -ENOENT");
		memset(p, 1, 4 * ps);
		np_mem_query_range(0, p, n * ps, status);
		is_int(status[3], node0, "a touched page is on node %d", node0);
		is_int(status[4], -ENOENT, "the next one is still absent");
		np_alloc_free(p, n * ps);
	}
	np_alloc_free(NULL, 0);
	np_cpuset_free(nodes);
}

static void test_alloc_flags(void)
{
	size_t len = (size_t)4 << 20;
	void *p = NULL;

	is_int(np_alloc_onnode(len, node0, NP_ALLOC_THP, &p), 0, "np_alloc_onnode with THP");
	ok(p && ((uintptr_t)p & ((2u << 20) - 1)) == 0, "... is 2 MiB aligned");
	np_alloc_free(p, len);
	p = NULL;
	is_int(np_alloc_onnode(len, node0, NP_ALLOC_THP | NP_ALLOC_NO_THP, &p), -EINVAL,
	       "THP and NO_THP together are -EINVAL");
	ok(p == NULL, "... and return nothing");
	is_int(np_alloc_onnode(0, node0, 0, &p), -EINVAL, "a zero length is -EINVAL");
	is_int(np_alloc_onnode(4096, -1, 0, &p), -EINVAL, "node -1 is -EINVAL");
	is_int(np_alloc_onnode(4096, np_mpol_node_bits() - 1, 0, &p) < 0, 1,
	       "a node that does not exist fails");
}

static int progress_calls;

static int progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	progress_calls++;
	return done <= total ? 0 : -EIO;
}

static void test_move(void)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), n = 2048 + 10;
	struct np_move_stats st;
	struct np_cpuset *from = nodes_of("0"), *to = nodes_of("0");
	int status[1] = { 0 }, bad[1], r;
	char *p = NULL;
	void *pages[1];

	np_cpuset_zero(from);
	np_cpuset_set(from, (unsigned int)node0);
	np_cpuset_copy(to, from);
	if (np_alloc_onnode(n * ps, node0, 0, (void **)&p) < 0)
		bail_out("no memory");
	memset(p, 1, 100 * ps);
	memset(&st, 0xff, sizeof(st));
	r = np_mem_move_range(0, p, n * ps, node0, 0, progress, NULL, &st);
	is_int(r, 0, "np_mem_move_range to node %d", node0);
	is_int(st.pages, (long long)n, "... saw every page");
	is_int(st.already, 100, "... the touched ones were there already");
	is_int(st.absent, (long long)n - 100, "... the others are absent");
	is_int(st.moved + st.failed, 0, "... nothing moved or failed");
	is_int(progress_calls, 3, "... progress after each of 3 batches");
	is_int(np_mem_move_range(0, p, 0, node0, 0, NULL, NULL, NULL), -EINVAL, "an empty range is -EINVAL");
	is_int(np_mem_move_range(0, p, ps, -1, 0, NULL, NULL, NULL), -EINVAL, "node -1 is -EINVAL");
	pages[0] = p;
	bad[0] = np_mpol_node_bits() + 5;
	r = np_mem_move_pages(0, 1, pages, bad, status, 0);
	ok(r == -ENODEV || r == -EINVAL || (r > 0 && status[0] < 0),
	   "move_pages to a node that does not exist fails (%d, status %d)", r, status[0]);
	is_int(np_mem_move_pages(0, 1, pages, bad, status, 0x10), -EINVAL, "an unknown flag is -EINVAL");
	if (caps.migrate_pages) {
		skip(2, "migrate_pages is not available here");
	} else {
		r = np_mem_migrate(0, from, to);
		ok(r >= 0, "np_mem_migrate of this process from %d to %d: %d pages left", node0, node0, r);
		is_int(np_mem_migrate(0x3ffffff0, from, to), -ESRCH, "migrating a process that does not exist");
	}
	np_alloc_free(p, n * ps);
	np_cpuset_free(from);
	np_cpuset_free(to);
}

static void child_home_node(void)
{
	struct np_policy *p = NULL;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	struct np_cpuset *n = nodes_of("0");
	void *m;

	np_cpuset_zero(n);
	np_cpuset_set(n, (unsigned int)node0);
	np_policy_new(NP_MPOL_BIND, n, 0, &p);
	res->v[0] = np_policy_set_home_node(p, node0);
	res->v[1] = np_alloc(4 * ps, p, NP_ALLOC_TOUCH | NP_ALLOC_STRICT, &m);
	np_policy_free(p);
	np_policy_new(NP_MPOL_INTERLEAVE, n, 0, &p);
	res->v[2] = np_policy_set_home_node(p, node0);
	np_policy_free(p);
	np_cpuset_free(n);
}

static void test_home_node(void)
{
	if (caps.home_node) {
		skip(3, "set_mempolicy_home_node is not available (Linux 5.17+)");
		return;
	}
	ok(in_child(child_home_node) == 0, "home-node child ran");
	is_int(res->v[0] | res->v[1], 0, "a bind range with a home node allocates");
	is_int(res->v[2], -EINVAL, "interleave takes no home node");
}

static void test_check(void)
{
	struct np_mpol_caps c = caps;
	struct np_policy *p;
	struct np_cpuset *n = nodes_of("0");

	np_policy_new(NP_MPOL_WEIGHTED_INTERLEAVE, n, 0, &p);
	c.mode[NP_MPOL_WEIGHTED_INTERLEAVE] = false;
	is_int(np_mpol_check(&c, p, false), -EOPNOTSUPP, "a mode the kernel lacks is -EOPNOTSUPP");
	c.set_mempolicy = -ENOSYS;
	is_int(np_mpol_check(&c, p, false), -ENOSYS, "a missing syscall comes first");
	is_int(np_mpol_check(&caps, p, false), caps.mode[NP_MPOL_WEIGHTED_INTERLEAVE] ? 0 : -EOPNOTSUPP,
	       "the real probe agrees with the kernel");
	np_policy_free(p);
	np_cpuset_free(n);
}

int main(void)
{
	res_map();
	test_names();
	test_new();
	test_parse();
	test_parse_allowed();
	test_node_bits();
	test_probe();
	test_roundtrips();
	test_interleave_next();
	test_ranges();
	test_alloc_flags();
	test_move();
	test_home_node();
	test_check();
	done_testing();
	return exit_status();
}
