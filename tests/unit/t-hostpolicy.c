/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-hostpolicy.c - host policies: the parser's table (Triton's keys and ours), applying one in
 * a forked child and reading back what the kernel says, and pool plans on shared captures.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "internal.h"

static char *list(const struct np_cpuset *s)
{
	static char buf[4][256];
	static int k;
	char *t = NULL;

	k = (k + 1) % 4;
	if (!s)
		return strcpy(buf[k], "(none)");
	if (np_cpuset_format_list(s, 0, &t) < 0)
		return strcpy(buf[k], "(oom)");
	snprintf(buf[k], sizeof(buf[k]), "%s", t);
	free(t);
	return buf[k];
}

static const struct {
	int err;
	const char *in;
	int node;
	const char *cpus, *nodes;
	enum np_hostpolicy_mem mem;
	bool smt_avoid;
	size_t pos;
} cases[] = {
	{ 0, "numa-node=0,cpu-cores=0-3", 0, "0-3", "(none)", NP_HP_MEM_BIND, false, 0 },
	{ 0, "numa-node=0,cpu-cores=0-3,mem=bind", 0, "0-3", "(none)", NP_HP_MEM_BIND, false, 0 },
	{ 0, "cpu-cores=0,2,4,mem=local", -1, "0,2,4", "(none)", NP_HP_MEM_LOCAL, false, 0 },
	{ 0, "cpu-cores=0;2-3", -1, "0,2-3", "(none)", NP_HP_MEM_DEFAULT, false, 0 },
	{ 0, "numa-node=1,mem=preferred,smt=avoid", 1, "(none)", "(none)", NP_HP_MEM_PREFERRED, true, 0 },
	{ 0, "nodes=0-1,mem=interleave", -1, "(none)", "0-1", NP_HP_MEM_INTERLEAVE, false, 0 },
	{ 0, "smt=use", -1, "(none)", "(none)", NP_HP_MEM_DEFAULT, false, 0 },
	{ -EINVAL, "", 0, NULL, NULL, 0, false, 0 },
	{ -EINVAL, "numa-node", 0, NULL, NULL, 0, false, 0 },
	{ -EINVAL, "numa-node=x", 0, NULL, NULL, 0, false, 10 },
	{ -EINVAL, "mem=fast", 0, NULL, NULL, 0, false, 4 },
	{ -EINVAL, "colour=red", 0, NULL, NULL, 0, false, 0 },
	{ -EINVAL, "cpu-cores=0-3,", 0, NULL, NULL, 0, false, 14 },
	{ -EINVAL, "cpu-cores=3-1", 0, NULL, NULL, 0, false, 10 },
	{ -EINVAL, "numa-node=0,mem=bind,bogus", 0, NULL, NULL, 0, false, 21 },
	{ -ERANGE, "numa-node=4096", 0, NULL, NULL, 0, false, 10 },
	{ -ERANGE, "cpu-cores=5000", 0, NULL, NULL, 0, false, 10 },
};

static void test_parse(void)
{
	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++) {
		struct np_hostpolicy hp = { .numa_node = 99 };
		size_t pos = 777;
		int r = np_hostpolicy_parse(cases[i].in, &hp, &pos);

		if (cases[i].err) {
			ok(r == cases[i].err && pos == cases[i].pos && hp.numa_node == 99 && !hp.cpus,
			   "'%s' refused with %d at %zu, untouched (got %d at %zu)", cases[i].in,
			   cases[i].err, cases[i].pos, r, pos);
			continue;
		}
		ok(r == 0 && hp.numa_node == cases[i].node && strcmp(list(hp.cpus), cases[i].cpus) == 0 &&
			   strcmp(list(hp.nodes), cases[i].nodes) == 0 && hp.mem == cases[i].mem &&
			   hp.smt_avoid == cases[i].smt_avoid && pos == 777,
		   "'%s': node %d cpus %s nodes %s mem %d (got %d: %d %s %s %d)", cases[i].in,
		   cases[i].node, cases[i].cpus, cases[i].nodes, cases[i].mem, r, hp.numa_node,
		   list(hp.cpus), list(hp.nodes), hp.mem);
		np_hostpolicy_release(&hp);
		ok(!hp.cpus && !hp.nodes, "'%s': release clears the sets", cases[i].in);
	}
	np_hostpolicy_release(NULL);
}

/* In a child: apply "cpu-cores=<first allowed CPU>,mem=bind" and read the kernel's view back. */
static void test_apply(void)
{
	struct np_cpuset *aff;
	struct np_topo *topo;
	int status, cpu;
	pid_t pid;

	if (np_affinity_get(0, &aff) < 0 || np_topo_load(NULL, 0, &topo) < 0) {
		skip(2, "cannot read this machine");
		return;
	}
	cpu = np_cpuset_first(aff);
	pid = fork();
	if (pid == 0) {
		char str[64];
		struct np_hostpolicy hp;
		struct np_cpuset *now = NULL;
		struct np_policy *pol = NULL;
		int code = 0;

		snprintf(str, sizeof(str), "cpu-cores=%d,mem=bind", cpu);
		if (np_hostpolicy_parse(str, &hp, NULL) < 0)
			_exit(10);
		if (np_hostpolicy_apply(&hp, topo) < 0)
			_exit(11);
		if (np_affinity_get(0, &now) < 0 || np_cpuset_weight(now) != 1 ||
		    !np_cpuset_isset(now, (unsigned int)cpu))
			code = 12;
		if (!code && (np_policy_get(&pol) < 0 || np_policy_mode(pol) != NP_MPOL_BIND))
			code = 13;
		_exit(code);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : 99, 0,
	       "child: cpu-cores=%d,mem=bind applied (affinity and bind policy read back)", cpu);
	pid = fork();
	if (pid == 0) {
		struct np_hostpolicy hp = { .numa_node = 9999, .mem = NP_HP_MEM_BIND };
		struct np_cpuset *before = NULL, *after = NULL;
		int r;

		np_affinity_get(0, &before);
		r = np_hostpolicy_apply(&hp, topo);
		np_affinity_get(0, &after);
		_exit(r == -ENOENT && np_cpuset_equal(before, after) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : 99, 0,
	       "child: a missing node is -ENOENT and changes nothing");
	np_cpuset_free(aff);
	np_topo_free(topo);
}

static struct np_topo *capture(const char *name, char *dir, size_t size)
{
	const char *shared = getenv("SHARED"), *src = getenv("NP_SRCDIR"), *tmp = getenv("TMPDIR");
	struct np_topo *topo = NULL;
	char cmd[16384];

	if (!tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, size, "%s/np-t-hostpolicy.XXXXXX", tmp);
	if (!mkdtemp(dir))
		return NULL;
	snprintf(cmd, sizeof(cmd), "tar xzf '%s%s/fixtures/topology/%s/fsroot.tar.gz' -C '%s' 2>/dev/null",
		 shared ? shared : src ? src : ".", shared ? "" : "/../shared", name, dir);
	if (system(cmd) != 0 || np_topo_load(dir, 0, &topo) < 0)
		topo = NULL;
	return topo;
}

static void uncapture(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cannot remove %s", dir);
}

static void test_pool(void)
{
	char dir[4096];
	struct np_topo *topo = capture("16amd64-8n2c", dir, sizeof(dir));
	struct np_hostpolicy *hps = NULL;
	bool good = true;

	if (!topo) {
		skip(5, "shared capture 16amd64-8n2c not found");
		uncapture(dir);
		return;
	}
	/* 10 workers over 8 nodes of 2 CPUs: worker i on node i mod 8, its 2 CPUs, local memory */
	is_int(np_pool_plan(topo, 10, 0, &hps), 0, "pool of 10 on 16amd64-8n2c");
	for (unsigned int i = 0; hps && i < 10; i++) {
		char want[32];

		snprintf(want, sizeof(want), "%u-%u", 2 * (i % 8), 2 * (i % 8) + 1);
		good = good && hps[i].numa_node == (int)(i % 8) && hps[i].mem == NP_HP_MEM_LOCAL &&
		       strcmp(list(hps[i].cpus), want) == 0;
	}
	ok(good, "worker i: node i mod 8, its CPUs, local memory");
	np_pool_free(hps, 10);
	hps = NULL;
	is_int(np_pool_plan(topo, 3, NP_POOL_UNPINNED, &hps), 0, "unpinned pool");
	ok(hps && !hps[2].cpus && hps[2].mem == NP_HP_MEM_INTERLEAVE &&
		   strcmp(list(hps[2].nodes), "0-7") == 0,
	   "unpinned: no CPUs, memory interleaved over nodes 0-7 (got %s)", hps ? list(hps[2].nodes) : "-");
	np_pool_free(hps, 3);
	is_int(np_pool_plan(topo, 0, 0, &hps), -EINVAL, "pool of 0: -EINVAL");
	np_pool_free(NULL, 0);
	np_topo_free(topo);
	uncapture(dir);
}

int main(void)
{
	test_parse();
	test_apply();
	test_pool();
	done_testing();
	return exit_status();
}
