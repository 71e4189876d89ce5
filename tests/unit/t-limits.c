/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-limits.c - this process's limits (lib/limits.c) on hand-made sysroots
 * (tests/fixtures/sysroots-extras/limits-*), on the shared captures that have a cgroup cpuset
 * (checked against their expected.json "allowed"), and on the live machine in forked children.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "extras.h"

/*
 * Load the limits of @root (relative to the fixtures, or absolute) into @topo, cut to
 * @online_cpus / @online_nodes as np_topo_load() passes its own (NULL: read from @root).
 */
static int load_online(const char *root, unsigned int ncpus, unsigned int nnodes,
		       const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
		       struct np_topo *topo)
{
	char path[4096];
	struct np_sysfs *fs;
	int r;

	sysroot_path(root, path, sizeof(path));
	memset(topo, 0, sizeof(*topo));
	r = np__sysfs_open(path, &fs);
	if (r < 0)
		return r;
	r = np__limits_load(fs, ncpus, nnodes, online_cpus, online_nodes, &topo->limits);
	np__sysfs_free(fs);
	return r;
}

static int load(const char *root, unsigned int ncpus, unsigned int nnodes, struct np_topo *topo)
{
	return load_online(root, ncpus, nnodes, NULL, NULL, topo);
}

static void test_v2_nested(void)
{
	struct np_topo topo;

	is_int(load("limits-v2", 8, 2, &topo), 0, "v2: load");
	is_int(np_topo_cgroup_version(&topo), 2, "v2: version 2");
	is_str(np_topo_cgroup_path(&topo), "/user.slice/app.scope",
	       "v2: path from proc/self/cgroup");
	is_str(list(np_topo_cgroup_cpus(&topo)), "2-5", "v2: leaf lacks the files, parent's cpus");
	is_str(list(np_topo_cgroup_nodes(&topo)), "1", "v2: parent's mems");
	is_str(list(np_topo_affinity_cpus(&topo)), "0-3,6", "v2: Cpus_allowed_list of a capture");
	is_str(list(np_topo_mems_allowed(&topo)), "0-1", "v2: Mems_allowed_list");
	is_str(list(np_topo_allowed_cpus(&topo)), "2-3",
	       "v2: allowed = online & affinity & cgroup");
	is_str(list(np_topo_allowed_nodes(&topo)), "1", "v2: allowed nodes = mems & cgroup");
	is_str(list(np_topo_isolated_cpus(&topo)), "3", "v2: isolated");
	is_str(list(np_topo_nohz_full_cpus(&topo)), "3,5", "v2: nohz_full");
	ok(np_cpuset_size(np_topo_allowed_cpus(&topo)) == 8 &&
	       np_cpuset_size(np_topo_allowed_nodes(&topo)) == 2,
	   "v2: sets have the topology's sizes");
	np__limits_free(topo.limits);
}

static void test_v1_hybrid(void)
{
	struct np_topo topo;

	is_int(load("limits-v1", 16, 2, &topo), 0, "v1: load");
	is_int(np_topo_cgroup_version(&topo), 1, "v1: cgroup2 without cpuset skipped, version 1");
	is_str(np_topo_cgroup_path(&topo), "/batch/job1", "v1: path of the cpuset line");
	is_str(list(np_topo_cgroup_cpus(&topo)), "8-15", "v1: effective_cpus preferred");
	is_str(list(np_topo_cgroup_nodes(&topo)), "0", "v1: effective_mems preferred");
	is_str(list(np_topo_affinity_cpus(&topo)), "0-15",
	       "v1: status wider than the machine clamped");
	is_str(list(np_topo_mems_allowed(&topo)), "0-1", "v1: Mems_allowed_list 0-1023 clamped");
	is_str(list(np_topo_allowed_cpus(&topo)), "8-15", "v1: allowed cpus");
	is_str(list(np_topo_allowed_nodes(&topo)), "0", "v1: allowed nodes");
	is_str(list(np_topo_isolated_cpus(&topo)), "", "v1: empty isolated file is the empty set");
	is_str(list(np_topo_nohz_full_cpus(&topo)), "", "v1: nohz_full '(null)' is the empty set");
	np__limits_free(topo.limits);
}

static void test_container(void)
{
	struct np_topo topo;

	is_int(load("limits-container", 4, 1, &topo), 0, "container: load");
	is_int(np_topo_cgroup_version(&topo), 1,
	       "container: version 1 from mountinfo super options");
	is_str(list(np_topo_cgroup_cpus(&topo)), "1,3",
	       "container: mount root stripped, cpuset.cpus");
	is_str(list(np_topo_cgroup_nodes(&topo)), "0", "container: cpuset.mems");
	is_str(list(np_topo_allowed_cpus(&topo)), "1,3", "container: allowed cpus");
	is_str(list(np_topo_isolated_cpus(&topo)), "1,3", "container: 600 NULs after isolated");
	ok(np_topo_nohz_full_cpus(&topo) == NULL, "container: no nohz_full file: NULL");
	np__limits_free(topo.limits);
}

static void test_cpusetfs(void)
{
	struct np_topo topo;

	is_int(load("limits-cpusetfs", 4, 1, &topo), 0, "cpusetfs: load");
	is_int(np_topo_cgroup_version(&topo), 1, "cpusetfs: counted as v1");
	is_str(np_topo_cgroup_path(&topo), "/dummy", "cpusetfs: path from proc/self/cpuset");
	is_str(list(np_topo_cgroup_cpus(&topo)), "0-2", "cpusetfs: cpus without prefix");
	is_str(list(np_topo_allowed_nodes(&topo)), "0", "cpusetfs: nodes from mems alone");
	np__limits_free(topo.limits);
}

static void test_none(void)
{
	struct np_topo topo;

	is_int(load("limits-none", 4, 1, &topo), 0, "none: load");
	is_int(np_topo_cgroup_version(&topo), 0, "none: no cgroup");
	ok(np_topo_cgroup_path(&topo) == NULL && np_topo_cgroup_cpus(&topo) == NULL &&
	       np_topo_cgroup_nodes(&topo) == NULL,
	   "none: cgroup accessors NULL");
	ok(np_topo_affinity_cpus(&topo) == NULL && np_topo_mems_allowed(&topo) == NULL,
	   "none: no status file, affinity and mems unknown");
	is_str(list(np_topo_allowed_cpus(&topo)), "0-3", "none: allowed cpus = online");
	is_str(list(np_topo_allowed_nodes(&topo)), "0", "none: no node directory, implicit node 0");
	np__limits_free(topo.limits);
	ok(np_topo_allowed_cpus(NULL) == NULL && np_topo_cgroup_version(NULL) == 0,
	   "NULL topology: NULL answers");
	np__limits_free(NULL);
}

static void test_nolist(void)
{
	struct np_cpuset *online, *nodes;
	struct np_topo topo;

	is_int(load("limits-nolist", 3, 3, &topo), 0, "nolist: load");
	is_str(list(np_topo_allowed_cpus(&topo)), "0-2",
	       "nolist: no cpu/online, nothing else: all");
	is_str(list(np_topo_allowed_nodes(&topo)), "0,2", "nolist: nodes from nodeN directories");
	np__limits_free(topo.limits);
	np_cpuset_new(3, &online);
	np_cpuset_parse_list(online, "0,2", NULL);
	np_cpuset_new(3, &nodes);
	np_cpuset_parse_list(nodes, "2", NULL);
	is_int(load_online("limits-nolist", 3, 3, online, NULL, &topo), 0,
	       "nolist: the topology's online CPUs");
	is_str(list(np_topo_allowed_cpus(&topo)), "0,2", "nolist: allowed = the topology's online");
	is_str(list(np_topo_allowed_nodes(&topo)), "0,2", "nolist: NULL nodes: read here");
	np__limits_free(topo.limits);
	is_int(load_online("limits-nolist", 3, 3, NULL, nodes, &topo), 0,
	       "nolist: the topology's online nodes");
	is_str(list(np_topo_allowed_nodes(&topo)), "2", "nolist: allowed nodes narrowed");
	is_str(list(np_topo_allowed_cpus(&topo)), "0-2", "nolist: NULL cpus: read here");
	np_cpuset_free(online);
	np_cpuset_free(nodes);
	np__limits_free(topo.limits);
}

/* The same through the public entry point, np_topo_load(). */
static void test_topo_load(void)
{
	char path[4096];
	struct np_topo *topo = NULL;

	snprintf(path, sizeof(path), "%s/tests/fixtures/sysroots-extras/limits-v2", srcdir);
	is_int(np_topo_load(path, 0, &topo), 0, "np_topo_load: limits-v2");
	is_str(list(np_topo_allowed_cpus(topo)), "2-3", "np_topo_load: allowed cpus");
	is_str(list(np_topo_allowed_nodes(topo)), "1", "np_topo_load: allowed nodes");
	is_str(np_topo_cgroup_path(topo), "/user.slice/app.scope", "np_topo_load: cgroup path");
	ok(np_cpuset_size(np_topo_allowed_cpus(topo)) == np_topo_cpu_size(topo) &&
	       np_cpuset_size(np_topo_allowed_nodes(topo)) == np_topo_node_size(topo),
	   "np_topo_load: sets as wide as the topology's");
	np_topo_free(topo);
}

/* The live machine, in a child bound to one CPU: the affinity must come from the syscall. */
static void test_live(void)
{
	struct np_topo topo;
	cpu_set_t mask;
	pid_t pid;
	int status, cpu = -1;

	if (sched_getaffinity(0, sizeof(mask), &mask) == 0)
		for (int i = CPU_SETSIZE - 1; i >= 0; i--)
			if (CPU_ISSET(i, &mask))
				cpu = i;
	is_int(load("/", 4096, 1024, &topo), 0, "live: load");
	ok(np_topo_affinity_cpus(&topo) &&
	       np_cpuset_isset(np_topo_affinity_cpus(&topo), (unsigned int)cpu),
	   "live: affinity holds a CPU of sched_getaffinity");
	ok(np_topo_allowed_cpus(&topo) && !np_cpuset_empty(np_topo_allowed_cpus(&topo)),
	   "live: allowed cpus not empty");
	ok(np_topo_allowed_nodes(&topo) && !np_cpuset_empty(np_topo_allowed_nodes(&topo)),
	   "live: allowed nodes not empty");
	np__limits_free(topo.limits);

	if (cpu < 0) {
		skip(1, "no CPU in this process's affinity");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		CPU_ZERO(&mask);
		CPU_SET(cpu, &mask);
		if (sched_setaffinity(0, sizeof(mask), &mask) < 0 ||
		    load("/", 4096, 1024, &topo) < 0)
			_exit(2);
		_exit(np_cpuset_weight(np_topo_allowed_cpus(&topo)) == 1 &&
			      np_cpuset_isset(np_topo_allowed_cpus(&topo), (unsigned int)cpu)
			  ? 0
			  : 1);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0,
	   "live: a child bound to CPU %d is allowed that CPU alone", cpu);
}

/* "cpus"/"nodes" of the "allowed" object of an expected.json, copied into @cpus / @nodes. */
static bool expected_allowed(const char *file, char *cpus, char *nodes, size_t size)
{
	char text[1 << 16], *a, *c, *n;
	FILE *f = fopen(file, "r");
	size_t len;

	if (!f)
		return false;
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	a = strstr(text, "\"allowed\"");
	c = a ? strstr(a, "\"cpus\": \"") : NULL;
	n = a ? strstr(a, "\"nodes\": \"") : NULL;
	if (!c || !n)
		return false;
	c += 9;
	n += 10;
	snprintf(cpus, size, "%.*s", (int)strcspn(c, "\""), c);
	snprintf(nodes, size, "%.*s", (int)strcspn(n, "\""), n);
	return true;
}

/* Each shared capture with a cgroup cpuset: our allowed sets must be hwloc's. */
static void test_capture(const char *name)
{
	char dir[] = "/tmp/np-t-limits.XXXXXX", file[4096], cpus[256], nodes[256];
	struct np_topo topo, *t;
	int r;

	capture_path(name, file, sizeof(file));
	strncat(file, "/expected.json", sizeof(file) - strlen(file) - 1);
	r = expected_allowed(file, cpus, nodes, sizeof(cpus)) ? extract_capture(name, dir) : -ENOENT;
	if (r == -ENOENT) {
		skip(5, "shared capture not found");
		return;
	}
	if (r < 0) {
		skip(5, "capture does not extract");
	} else {
		is_int(load(dir, 1024, 256, &topo), 0, "%s: load", name);
		is_str(list(np_topo_allowed_cpus(&topo)), cpus, "%s: allowed cpus as hwloc", name);
		is_str(list(np_topo_allowed_nodes(&topo)), nodes, "%s: allowed nodes as hwloc",
		       name);
		np__limits_free(topo.limits);
		if (np_topo_load(dir, 0, &t) == 0) {
			struct np_cpuset *c = NULL;

			np_cpuset_dup(np_topo_allowed_cpus(t), &c);
			if (c)
				np_cpuset_and(c, c, np_topo_online_cpus(t));
			is_str(list(c), cpus, "%s: np_topo_load: allowed online cpus", name);
			is_str(list(np_topo_allowed_nodes(t)), nodes, "%s: np_topo_load: nodes",
			       name);
			np_cpuset_free(c);
			np_topo_free(t);
		} else {
			ok(0, "%s: np_topo_load", name);
			skip(1, "np_topo_load failed");
		}
	}
	remove_dir(dir);
}

/* A capture without cpu/online: the allowed CPUs are the topology's online ones, not all. */
static void test_offlines(void)
{
	char dir[] = "/tmp/np-t-limits.XXXXXX";
	struct np_topo *t = NULL;

	if (extract_capture("16em64t-4s2c2t-offlines", dir) < 0) {
		skip(2, "shared capture not found");
		return;
	}
	is_int(np_topo_load(dir, 0, &t), 0, "offlines: np_topo_load");
	is_str(t ? list(np_topo_allowed_cpus(t)) : "", "0-1,3-4,6-12,15",
	       "offlines: no cpu/online: allowed = the online CPUs of cpuN/online");
	np_topo_free(t);
	remove_dir(dir);
}

/* @text into @dir/@rel, the folders on the way made */
static void put_file(const char *dir, const char *rel, const char *text)
{
	char path[4096], cmd[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd) != 0 || !(f = fopen(path, "w")) || fputs(text, f) < 0 || fclose(f) != 0)
		bail_out("cannot write the sysroot");
}

/*
 * A hostile mount table or cgroup path that climbs out of the sysroot with "..": the cgroup is
 * then unknown, and nothing outside is read (a cgroup2 mount at /../outside, or at / with a
 * path ../outside without its leading slash, read outside/cpuset.cpus.effective before).
 */
static void test_escape(void)
{
	static const char *const cases[][3] = {
		{ "1 0 0:1 / /../outside rw - cgroup2 cgroup2 rw\n", "0::/\n",
		  "mount point /../outside" },
		{ "1 0 0:1 / ../outside rw - cgroup2 cgroup2 rw\n", "0::/\n",
		  "mount point ../outside" },
		{ "1 0 0:1 / / rw - cgroup2 cgroup2 rw\n", "0::../outside\n",
		  "mount point /, cgroup path ../outside" },
	};
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char top[256], root[300];
	struct np_topo topo;

	snprintf(top, sizeof(top), "%s/t-limits.XXXXXX", tmp);
	if (!mkdtemp(top))
		bail_out("mkdtemp");
	snprintf(root, sizeof(root), "%s/root", top);
	put_file(top, "outside/cgroup.controllers", "cpuset\n");
	put_file(top, "outside/cpuset.cpus.effective", "0-1\n");
	put_file(top, "outside/cpuset.mems.effective", "0\n");
	put_file(root, "cgroup.controllers", "cpuset\n");
	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++) {
		put_file(root, "proc/self/mountinfo", cases[i][0]);
		put_file(root, "proc/self/cgroup", cases[i][1]);
		is_int(load(root, 4, 1, &topo), 0, "%s: load", cases[i][2]);
		ok(np_topo_cgroup_cpus(&topo) == NULL && np_topo_cgroup_version(&topo) == 0,
		   "  nothing read outside the sysroot: the cgroup is unknown");
		np__limits_free(topo.limits);
	}
	snprintf(root, sizeof(root), "rm -rf '%s'", top);
	if (system(root) != 0)
		diag("cannot remove %s", top);
}

int main(void)
{
	extras_init();
	test_v2_nested();
	test_v1_hybrid();
	test_container();
	test_cpusetfs();
	test_none();
	test_nolist();
	test_topo_load();
	test_live();
	test_capture("32amd64-4s2n4c-cgroup2");
	test_capture("16amd64-8n2c-cpusets");
	test_offlines();
	test_escape();
	done_testing();
	return exit_status();
}
