/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-region.c - unit tests of shared-memory regions (lib/region.c): files on tmpfs (/dev/shm)
 * and SysV segments are attached, created only when asked, removed again by a transactional
 * failure or undo, given a policy and read back page by page; failures name their step.
 *
 * Terminology: "transactional" is np_region_opts.transactional (run's way); without it,
 * numactl's.  Every path lives in a fresh directory under /dev/shm, removed at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numaplace.h"
#include "tap.h"

static char dir[256];

static char *path_of(const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static void test_file(void)
{
	size_t ps = (size_t)getpagesize();
	struct np_region_opts o = { .mode = 0600, .transactional = true };
	struct np_region_fail f = { .step = NP_REGION_MAP };
	struct np_region *r = NULL;
	const char *p = path_of("f1");
	int e;

	e = np_region_attach(p, false, &o, &r, &f);
	is_int(e, -ENOENT, "file: missing and no length: -ENOENT");
	ok(f.step == NP_REGION_LENGTH && !r && !exists(p), "  step length, nothing created");
	o.length = 2 * ps + 1;
	e = np_region_attach(p, false, &o, &r, &f);
	is_int(e, -EINVAL, "file: a length that is not whole pages: -EINVAL");
	ok(f.step == NP_REGION_ALIGN && (f.created & NP_REGION_CREATED_FILE) && !exists(p),
	   "  step align; the file it created is removed again");
	o.length = 2 * ps;
	e = np_region_attach(p, false, &o, &r, &f);
	is_int(e, 0, "file: created with a length");
	if (e)
		return;
	ok(np_region_created(r) == NP_REGION_CREATED_FILE && np_region_length(r) == 2 * ps &&
	   np_region_page_size(r) >= ps && np_region_addr(r), "  created, as long as asked");
	np_region_detach(r, false);
	ok(exists(p), "detach without undo keeps the file");
	o.length = 0;
	e = np_region_attach(p, false, &o, &r, NULL);
	is_int(e, -EINVAL, "file: an existing file still needs a length");
	o.length = ps;
	o.offset = ps;
	e = np_region_attach(p, false, &o, &r, &f);
	is_int(e, 0, "file: the second page of the existing file");
	if (e)
		return;
	ok(np_region_created(r) == 0 && np_region_offset(r) == ps, "  nothing created, offset kept");
	np_region_detach(r, true);
	ok(exists(p), "undo leaves a file it did not create");
	unlink(p);
}

static int count_node(unsigned long long start, unsigned long long end, int node, void *arg)
{
	int *n = arg;

	(void)start;
	(void)end;
	n[0]++;
	n[1] = node;
	return 0;
}

static int count_policy(unsigned long long start, unsigned long long end,
			const struct np_policy *pol, void *arg)
{
	int *n = arg;

	n[0]++;
	n[1] = np_policy_mode(pol);
	n[2] = (int)(end - start);
	return 0;
}

/* a policy given to a file's pages reads back from them, and the pages are placed by it */
static void test_policy(void)
{
	size_t ps = (size_t)getpagesize();
	struct np_region_opts o = { .mode = 0600, .length = 4 * ps, .transactional = true };
	struct np_cpuset *mems = NULL;
	struct np_policy *pol = NULL;
	struct np_region *r = NULL;
	int pn[3] = { 0 }, nn[2] = { 0 }, node, e;

	if (np_mpol_mems_allowed(&mems) < 0 ||
	    np_region_attach(path_of("f2"), false, &o, &r, NULL) < 0) {
		skip(4, "no memory policy syscalls, or no tmpfs");
		np_cpuset_free(mems);
		return;
	}
	node = np_cpuset_first(mems);
	np_cpuset_zero(mems);
	np_cpuset_set(mems, (unsigned int)node);
	e = np_policy_new(NP_MPOL_BIND, mems, 0, &pol);
	if (e == 0)
		e = np_region_apply(r, pol, 0);
	if (e < 0) {
		skip(4, "mbind refused here");
	} else {
		is_int(np_region_policies(r, count_policy, pn), 0, "policies: walked");
		ok(pn[0] == 1 && pn[1] == NP_MPOL_BIND && pn[2] == (int)(4 * ps),
		   "  one run, bind, the whole region");
		np_region_touch(r);
		is_int(np_region_nodes(r, count_node, nn), 0, "nodes: walked");
		ok(nn[0] == 1 && nn[1] == node, "  one run, on node %d", node);
	}
	np_policy_free(pol);
	np_cpuset_free(mems);
	np_region_detach(r, true);
	ok(!exists(path_of("f2")), "undo removes the file it created");
}

static void test_sysv(void)
{
	size_t ps = (size_t)getpagesize();
	struct np_region_opts o = { .mode = 0600, .shm_id = 7, .transactional = true };
	struct np_region_fail f;
	struct np_region *r = NULL;
	const char *k = path_of("key");
	int e;

	e = np_region_attach(k, true, &o, &r, &f);
	is_int(e, -ENOENT, "shm: no segment and no length: -ENOENT");
	ok(f.step == NP_REGION_LENGTH && (f.created & NP_REGION_CREATED_KEY) && !exists(k),
	   "  step length; the key file it created is removed again");
	o.length = 2 * ps;
	e = np_region_attach(k, true, &o, &r, &f);
	if (e == -ENOSYS || e == -EPERM || (e < 0 && f.step == NP_REGION_CREATE)) {
		skip(3, "SysV shared memory unavailable here");
		return;
	}
	is_int(e, 0, "shm: key file and segment created");
	if (e)
		return;
	ok(np_region_created(r) == (NP_REGION_CREATED_KEY | NP_REGION_CREATED_SEGMENT) &&
	   np_region_length(r) == 2 * ps, "  both recorded, the length asked");
	np_region_detach(r, true);
	ok(!exists(k), "undo removes the key file (and the segment)");
}

static void test_args(void)
{
	struct np_region_opts o = { .mode = 0600, .length = 4096, .huge_page_size = 2 << 20 };
	struct np_region_fail f = { .step = NP_REGION_MAP };
	struct np_region *r = (struct np_region *)&o;

	is_int(np_region_attach("", false, &o, &r, &f), -EINVAL, "an empty path: -EINVAL");
	ok(f.step == NP_REGION_SETUP && r == (struct np_region *)&o, "  step setup, *ret untouched");
	is_int(np_region_attach(path_of("f3"), false, &o, &r, NULL), -EINVAL,
	       "huge pages for a file: -EINVAL (hugetlbfs gives them)");
	np_region_detach(NULL, true);
}

int main(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NULL;
	char cmd[300];

	if (!base)
		skip_all("no writable /dev/shm");
	snprintf(dir, sizeof(dir), "%s/np-t-region.XXXXXX", base);
	if (!mkdtemp(dir))
		bail_out("mkdtemp");
	test_args();
	test_file();
	test_policy();
	test_sysv();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	done_testing();
	return exit_status();
}
