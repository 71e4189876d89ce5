/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-diag.c - the problem list of a topology load (lib/diag.c, numaplace/diag.h): each file
 * that exists but cannot be used is recorded once, with its path relative to the sysroot, its
 * kind, errno and reason; a missing file is none; the list keeps the first
 * NP_TOPO_PROBLEMS_KEPT and counts the rest; np_topo_problem() leaves its output untouched on
 * failure; np_topo_load() goes around a broken cpu/online and says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

/* np__problem_add() alone: kinds and reasons, once per path, bounded */
static void test_list(void)
{
	struct np__problems p = { 0 };
	struct np_topo t = { 0 };
	struct np_problem got, keep = { .path = "keep" };
	char name[32];

	np__problem_add(&p, "sys/x/", "fifo", EINVAL, S_IFIFO, 0, NULL);
	np__problem_add(&p, "", "sys/x/fifo", EINVAL, S_IFIFO, 0, NULL);
	np__problem_add(&p, "", "big", EFBIG, 0, 4095, NULL);
	np__problem_add(&p, "", "dir", EISDIR, 0, 0, NULL);
	np__problem_add(&p, "", "denied", EACCES, 0, 0, NULL);
	np__problem_add(&p, "", "chr", EINVAL, S_IFCHR, 0, NULL);
	np__problem_add(&p, "", "text", EINVAL, 0, 0, "not a number");
	np__problem_add(&p, "", "level", ERANGE, 0, 0, "a cache level beyond 1-4");
	t.problems = p;
	is_int(np_topo_problem_count(&t), 7, "a path given twice (base + rest, or whole): once");
	is_int(np_topo_problem(&t, 0, &got), 0, "problem 0");
	is_str(got.path, "sys/x/fifo", "the base and the path are joined");
	is_int(got.kind, NP_PROBLEM_NOT_REGULAR, "a FIFO: not regular");
	is_str(got.reason, "not a regular file (a FIFO)", "a FIFO: its reason says so");
	is_int(got.error, EINVAL, "a FIFO: EINVAL");
	np_topo_problem(&t, 1, &got);
	ok(got.kind == NP_PROBLEM_TOO_LARGE && got.limit == 4095 && got.error == EFBIG,
	   "too large: EFBIG and the cap");
	np_topo_problem(&t, 2, &got);
	is_str(got.reason, "not a regular file (a directory)", "EISDIR: a directory");
	np_topo_problem(&t, 3, &got);
	ok(got.kind == NP_PROBLEM_UNREADABLE && got.error == EACCES && got.limit == 0,
	   "EACCES: unreadable, no limit");
	np_topo_problem(&t, 4, &got);
	is_str(got.reason, "not a regular file (a character device)", "/dev/zero: a device");
	np_topo_problem(&t, 5, &got);
	ok(got.kind == NP_PROBLEM_SYNTAX && strcmp(got.reason, "not a number") == 0,
	   "a reader's EINVAL: syntax, its reason kept");
	np_topo_problem(&t, 6, &got);
	is_int(got.kind, NP_PROBLEM_VALUE, "a reader's ERANGE: an implausible value");

	for (unsigned int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		np__problem_add(&t.problems, "", name, EIO, 0, 0, NULL);
	}
	is_int(np_topo_problem_count(&t), 107, "every problem is counted");
	is_int(t.problems.n, NP_TOPO_PROBLEMS_KEPT, "only the first NP_TOPO_PROBLEMS_KEPT kept");
	is_int(np_topo_problem(&t, NP_TOPO_PROBLEMS_KEPT - 1, &got), 0, "the last kept one");
	is_str(got.path, "f56", "the last kept one is the 64th recorded");
	got = keep;
	is_int(np_topo_problem(&t, NP_TOPO_PROBLEMS_KEPT, &got), -ERANGE, "past the kept: -ERANGE");
	is_str(got.path, "keep", "-ERANGE leaves the output untouched");
	is_int(np_topo_problem(NULL, 0, &got), -EINVAL, "NULL topology: -EINVAL");
	is_int(np_topo_problem(&t, 0, NULL), -EINVAL, "NULL output: -EINVAL");
	is_int(np_topo_problem_count(NULL), 0, "NULL topology counts none");
	np__problems_release(&t.problems);
	is_int(np_topo_problem_count(&t), 0, "released: none");
}

static int put(const char *root, const char *name, const char *body, size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, body, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int mk(const char *root, const char *name, int kind)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	return kind == 'p' ? mkfifo(path, 0644) : kind == 'd' ? mkdir(path, 0755)
						    : symlink("/dev/zero", path);
}

/* the readers of lib/sysfs.c record what they cannot use, once, relative to the sysroot */
static void test_reads(const char *root)
{
	static char big[70000];
	struct np__problems p = { 0 };
	struct np_topo t = { 0 };
	struct np_sysfs *fs;
	struct np_cpuset *set;
	struct np_problem got;
	char buf[64], *s;
	long long v;

	memset(big, '1', sizeof(big));
	if (put(root, "garbage", "12x\n", 4) < 0 || put(root, "list", "0-2,zz\n", 7) < 0 ||
	    put(root, "big", big, sizeof(big)) < 0 || mk(root, "fifo", 'p') < 0 ||
	    mk(root, "zero", 'z') < 0 || mk(root, "dir", 'd') < 0 ||
	    np__sysfs_open(root, &fs) < 0 || np_cpuset_new(8, &set) < 0) {
		skip(12, "cannot build the scratch sysroot");
		return;
	}
	fs->problems = &p;
	fs->base = "sys/";
	is_int(np__sysfs_read(fs, buf, sizeof(buf), "missing"), -ENOENT, "missing: -ENOENT");
	is_int(np__sysfs_read(fs, buf, sizeof(buf), "fifo"), -EINVAL, "FIFO: -EINVAL");
	is_int(np__sysfs_read(fs, buf, sizeof(buf), "fifo"), -EINVAL, "FIFO again");
	is_int(np__sysfs_read_ll(fs, &v, "zero"), -EINVAL, "/dev/zero: -EINVAL");
	is_int(np__sysfs_read_ll(fs, &v, "garbage"), -EINVAL, "not a number: -EINVAL");
	is_int(np__sysfs_read_list(fs, set, "list"), -EINVAL, "not a list: -EINVAL");
	is_int(np__sysfs_read_list(fs, set, "big"), -EFBIG, "a list over 64 KiB: -EFBIG");
	is_int(np__sysfs_read_first(fs, buf, sizeof(buf), "garbage"), 3, "a first read that fits");
	is_int(np__sysfs_read_alloc(fs, &s, NULL, "dir"), -EISDIR, "a directory: -EISDIR");
	t.problems = p;
	is_int(np_topo_problem_count(&t), 6, "six files recorded, none missing, none twice");
	np_topo_problem(&t, 0, &got);
	ok(strcmp(got.path, "sys/fifo") == 0 && got.kind == NP_PROBLEM_NOT_REGULAR,
	   "the FIFO first, its path under the context's base");
	np_topo_problem(&t, 4, &got);
	ok(strcmp(got.path, "sys/big") == 0 && got.kind == NP_PROBLEM_TOO_LARGE,
	   "the big list: too large");
	np__problems_release(&t.problems);
	np_cpuset_free(set);
	np__sysfs_free(fs);
}

/* a parser's refusal (lib/sysparse.h) named as a problem; a device's -1 is none */
static void test_parsed(const char *root)
{
	struct np__problems p = { 0 };
	struct np_topo t = { 0 };
	struct np_problem got;
	struct np_sysfs *fs;
	int node = 7;

	if (np__sysfs_open(root, &fs) < 0) {
		skip(9, "cannot open the scratch sysroot");
		return;
	}
	fs->problems = &p;
	fs->base = "";
	is_int(np__sysfs_parse_node(fs, "-1", &node, "none"), -EDOM, "numa_node -1: -EDOM");
	is_int(np__sysfs_parse_node(fs, "3", &node, "three"), 0, "numa_node 3: 0");
	is_int(node, 3, "numa_node 3: node 3");
	is_int(np__sysfs_parse_node(fs, "-5", &node, "minus5"), -EDOM, "numa_node -5: -EDOM");
	is_int(np__sysfs_parse_node(fs, "4x", &node, "garbage"), -EINVAL, "numa_node 4x: -EINVAL");
	np__sysfs_bad_parse(fs, -EDOM, NULL, "plausible");
	np__sysfs_bad_parse(fs, -ERANGE, NULL, "huge");
	t.problems = p;
	is_int(np_topo_problem_count(&t), 3, "-5, 4x and a huge number are problems, -1 none");
	np_topo_problem(&t, 0, &got);
	ok(strcmp(got.path, "minus5") == 0 && got.kind == NP_PROBLEM_VALUE &&
		   strcmp(got.reason, "a node out of range") == 0,
	   "-5: a node out of range");
	np_topo_problem(&t, 1, &got);
	ok(strcmp(got.path, "garbage") == 0 && got.kind == NP_PROBLEM_SYNTAX &&
		   strcmp(got.reason, "not a number") == 0,
	   "4x: not a number");
	np_topo_problem(&t, 2, &got);
	ok(strcmp(got.path, "huge") == 0 && got.kind == NP_PROBLEM_VALUE &&
		   strcmp(got.reason, "a number out of range") == 0,
	   "-ERANGE: a number out of range");
	np__problems_release(&t.problems);
	np__sysfs_free(fs);
}

/* np_topo_load() of two cpuN directories and a FIFO for cpu/online: both CPUs, one problem */
static void test_load(const char *root)
{
	static const char *const dirs[] = { "sys", "sys/devices", "sys/devices/system",
					    "sys/devices/system/cpu", "sys/devices/system/cpu/cpu0",
					    "sys/devices/system/cpu/cpu1" };
	struct np_topo *t = NULL;
	struct np_problem got;

	for (size_t i = 0; i < NP_ARRAY_SIZE(dirs); i++)
		mk(root, dirs[i], 'd');
	if (mk(root, "sys/devices/system/cpu/online", 'p') < 0 ||
	    np_topo_load(root, NP_TOPO_NO_LIMITS, &t) < 0) {
		skip(4, "cannot load the scratch sysroot");
		return;
	}
	is_int(np_cpuset_weight(np_topo_online_cpus(t)), 2,
	       "the cpuN directories stand in for online");
	is_int(np_topo_problem_count(t), 1, "one problem");
	is_int(np_topo_problem(t, 0, &got), 0, "which is kept");
	is_str(got.path, "sys/devices/system/cpu/online", "it names cpu/online from the sysroot");
	np_topo_free(t);
}

int main(void)
{
	char root[] = "/tmp/np-t-diag.XXXXXX", cmd[PATH_MAX + 16];

	plan(47);
	test_list();
	if (!mkdtemp(root)) {
		skip(25, "cannot make a scratch sysroot");
		return exit_status();
	}
	test_reads(root);
	test_parsed(root);
	test_load(root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		diag("could not remove %s", root);
	return exit_status();
}
