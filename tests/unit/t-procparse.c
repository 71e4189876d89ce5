/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-procparse.c - the /proc parsers of lib/procparse.h on text, without files: numa_maps, a
 * task's stat and status, proc/self/cgroup and cpuset, mount table lines.  Tables of
 * {expected errno, input, expected result}; each failure also checks *ret was left alone.
 * The regression cases of the fuzz targets (fuzz/fuzz-{numamaps,procstat,...}.c) live here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"

/* @n copies of @line, NUL-terminated, malloc()ed */
static char *repeat(const char *line, size_t n)
{
	size_t len = strlen(line);
	char *s = malloc(len * n + 1);

	if (!s)
		bail_out("out of memory");
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, line, len);
	s[len * n] = '\0';
	return s;
}

static void test_numa_maps(void)
{
	struct np_numa_maps *sentinel = (struct np_numa_maps *)&sentinel, *m = sentinel;
	int r;

	/* fuzz-numamaps: a 1 MiB text of one high node per short line asked for 42 GB */
	r = np__numa_maps_parse(repeat("0 d N65535=1\n", 80000), &m);
	is_int(r, -EFBIG, "80000 lines '0 d N65535=1': -EFBIG, no 42 GB table");
	ok(m == sentinel, "  and *ret is left alone");
	/* the same node on fewer lines fits: 511 rows of 65536 */
	r = np__numa_maps_parse(repeat("0 d N65535=1\n", 511), &m);
	is_int(r, 0, "511 lines '0 d N65535=1' parse");
	if (r == 0) {
		ok(m->nmaps == 511 && m->nnodes == 65536 && m->node[65535].pages[0] == 511,
		   "  511 mappings, 65536 nodes, 511 pages on node 65535");
		np_numa_maps_free(m);
	} else {
		skip(1, "no result");
	}
	/* blank lines make no mappings (and no room for them) */
	m = sentinel;
	r = np__numa_maps_parse(repeat("\n", 100000), &m);
	is_int(r, 0, "100000 blank lines parse");
	if (r == 0) {
		is_int(m->nmaps, 0, "  into no mapping");
		np_numa_maps_free(m);
	} else {
		skip(1, "no result");
	}
}

static void test_stat(void)
{
	static const struct {
		int err, cpu;
		const char *text;
	} cases[] = {
		{ 0, 3, "1 (a b) c) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 "
			"0 0 0 0 0 17 3 0 0" },
		{ 0, 5, "1 (x) R  1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 0 0 "
			"0 0 0 17 5" },
		{ -EINVAL, 0, "1 (x) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 "
			      "0 0 0 0 0 17" },
		{ -EINVAL, 0, "1 (x) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 "
			      "0 0 0 0 0 17 -1" },
		{ -EINVAL, 0, "1 (x) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 "
			      "0 0 0 0 0 17 2147483648" },
		{ -EINVAL, 0, "1 (x) R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 "
			      "0 0 0 0 0 17 3x" },
		{ -EINVAL, 0, "no parenthesis 0 0 0" },
	};

	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++) {
		int cpu = -7, r = np__stat_last_cpu(cases[i].text, &cpu);

		is_int(r, cases[i].err, "stat case %zu: %d", i, cases[i].err);
		is_int(cpu, r == 0 ? cases[i].cpu : -7, "  cpu %d", r == 0 ? cases[i].cpu : -7);
	}
}

/* flags (field 9) and comm, as isolate and where read them */
static void test_stat_fields(void)
{
	static const char text[] = "7 (kworker/0:1 (x)) I 2 0 0 0 -1 69238880 0 0\n";
	unsigned long long v = 7;
	const char *comm = NULL;
	size_t len = 0;

	is_int(np__stat_field(text, 9, &v), 0, "stat field 9 read");
	ok(v == 69238880ULL, "  flags 69238880 (PF_KTHREAD set)");
	is_int(np__stat_field(text, 11, &v), 0, "stat field 11, the last, ends at the newline");
	ok(v == 0, "  is 0");
	v = 7;
	is_int(np__stat_field(text, 8, &v), -EINVAL, "stat field 8 (-1): a sign is not a field's number");
	is_int(np__stat_field(text, 12, &v), -EINVAL, "stat field 12: beyond the line");
	is_int(np__stat_field(text, 2, &v), -EINVAL, "stat field 2 is comm, not a number");
	is_int(np__stat_field("1 (x) R 99999999999999999999999", 4, &v), -EINVAL,
	       "stat field past 2^64: overflow refused");
	ok(v == 7, "  failures leave the value alone");
	is_int(np__stat_comm(text, &comm, &len), 0, "comm found");
	ok(len == 15 && strncmp(comm, "kworker/0:1 (x)", len) == 0, "  comm up to the last ')'");
	is_int(np__stat_comm("1 x) (y", &comm, &len), -EINVAL, "a ')' before the '(' is no comm");
}

static void test_status(void)
{
	static const char text[] = "Name:\tx\nCpus_allowed:\tf\nCpus_allowed_list:\t0-3\n\n"
				   "Mems_allowed_list:  1,5\nX:\n";
	struct np_cpuset *sentinel = (struct np_cpuset *)&sentinel, *set = sentinel;
	const char *v;
	size_t len = 0;

	v = np__status_field(text, "Cpus_allowed_list", &len);
	ok(v && len == 3 && strncmp(v, "0-3", 3) == 0, "status field Cpus_allowed_list is '0-3'");
	ok(np__status_field(text, "Cpus_allowed", &len) == text + 22, "  a key is whole");
	ok(np__status_field(text, "Nope", &len) == NULL, "  a missing key is NULL");
	/* a blank line no longer ends the search (np_task_mems_allowed stopped at it) */
	is_int(np__status_set(text, "Mems_allowed_list", 8, false, &set), 0,
	       "Mems_allowed_list after a blank line is found");
	if (set != sentinel) {
		ok(np_cpuset_isset(set, 1) && np_cpuset_isset(set, 5) && np_cpuset_weight(set) == 2,
		   "  as {1,5}");
		np_cpuset_free(set);
	} else {
		skip(1, "no set");
	}
	set = sentinel;
	is_int(np__status_set(text, "Mems_allowed_list", 4, false, &set), -ERANGE,
	       "strict: 5 in 4 bits is -ERANGE");
	ok(set == sentinel, "  and *ret is left alone");
	is_int(np__status_set(text, "Mems_allowed_list", 4, true, &set), 0, "clamped: cut to 4");
	if (set != sentinel) {
		ok(np_cpuset_weight(set) == 1 && np_cpuset_isset(set, 1), "  as {1}");
		np_cpuset_free(set);
	} else {
		skip(1, "no set");
	}
	set = sentinel;
	is_int(np__status_set(text, "Nope", 4, true, &set), -ENOENT, "missing key: -ENOENT");
	ok(set == sentinel, "  and *ret is left alone");
}

static void test_cgroup(void)
{
	static const char v1[] = "12:pids:/a\n4:cpu,cpuset:/b c\n0::/u\n";
	char *sentinel = (char *)&sentinel, *path = sentinel;

	is_int(np__cgroup_path(v1, true, &path), 0, "cgroup v2 line found");
	is_str(path != sentinel ? path : NULL, "/u", "  path '/u'");
	if (path != sentinel)
		free(path);
	path = sentinel;
	is_int(np__cgroup_path(v1, false, &path), 0, "cgroup v1 cpuset line found");
	is_str(path != sentinel ? path : NULL, "/b c", "  path '/b c'");
	if (path != sentinel)
		free(path);
	path = sentinel;
	is_int(np__cgroup_path("1:cpusetx:/a\n10::/b\n", false, &path), -ENOENT,
	       "no cpuset controller, no 0:: line: -ENOENT");
	is_int(np__cgroup_path("1:cpusetx:/a\n10::/b\n", true, &path), -ENOENT, "  for v2 too");
	ok(path == sentinel, "  and *ret is left alone");
	is_int(np__cpuset_path("/a/b\nmore", &path), 0, "cpuset file");
	is_str(path != sentinel ? path : NULL, "/a/b", "  its first line");
	if (path != sentinel)
		free(path);
}

static void test_mounts(void)
{
	char info[] = "36 35 0:30 /root /sys/fs/cgroup/my\\040set rw shared:1 - cgroup x "
		      "rw,cpuset,noprefix";
	char mounts[] = "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0";
	char shortline[] = "36 35 0:30 / /x rw - cgroup";
	struct np__mount sentinel = { "s", "s", "s", "s" }, m = sentinel;

	is_int(np__mount_line(info, true, &m), 0, "mountinfo line");
	ok(strcmp(m.dir, "/sys/fs/cgroup/my set") == 0 && strcmp(m.root, "/root") == 0 &&
	   strcmp(m.type, "cgroup") == 0 && strcmp(m.opts, "rw,cpuset,noprefix") == 0,
	   "  dir unescaped, root, type, super options");
	is_int(np__mount_flavour(&m), NP__CG_CPUSETFS, "  cpuset,noprefix is the cpuset fs");
	is_int(np__mount_line(mounts, false, &m), 0, "/proc/mounts line");
	ok(strcmp(m.dir, "/sys/fs/cgroup") == 0 && strcmp(m.root, "/") == 0 &&
	   strcmp(m.type, "cgroup2") == 0, "  dir, root '/', type");
	is_int(np__mount_flavour(&m), NP__CG_V2, "  cgroup2");
	m = sentinel;
	is_int(np__mount_line(shortline, true, &m), -EINVAL, "mountinfo line without options");
	ok(memcmp(&m, &sentinel, sizeof(m)) == 0, "  and *ret is left alone");
}

int main(void)
{
	test_numa_maps();
	test_stat();
	test_stat_fields();
	test_status();
	test_cgroup();
	test_mounts();
	done_testing();
	return exit_status();
}
