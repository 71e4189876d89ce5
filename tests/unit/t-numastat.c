/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-numastat.c - np_numastat_load() and np_task_numastat() (lib/numastat.c) on small sysroots
 * made here: two nodes' numastat and meminfo, vmstat's NUMA rows, a task's sched file, the
 * errors (no nodes, a damaged row), and this machine's own files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static char root[64];

/* @len bytes of @text as @root/@rel, its directories made */
static void put_bytes(const char *rel, const char *text, size_t len)
{
	char path[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		bail_out("cannot write the sysroot");
}

static void put(const char *rel, const char *text)
{
	put_bytes(rel, text, strlen(text));
}

#define PUT_ARGS(rel, lit) put_bytes(rel, lit, sizeof(lit) - 1)

static const char numastat1[] = "numa_hit 310901369\nnuma_miss 7\nnuma_foreign 0\n"
				"interleave_hit 4389\nlocal_node 127281925\nother_node 183619444\n";
static const char meminfo1[] = "\nNode 1 MemTotal:      8388608 kB\nNode 1 MemFree:       8226932 kB\n"
			       "Node 1 MemUsed:        161676 kB\nNode 1 HugePages_Total:     4\n";

static void make_machine(void)
{
	put("sys/devices/system/node/node0/numastat", "numa_hit 5\nnuma_miss 0\n");
	put("sys/devices/system/node/node1/numastat", numastat1);
	put("sys/devices/system/node/node1/meminfo", meminfo1);
	put("sys/devices/system/node/online", "0-1\n");
	put("proc/vmstat", "nr_free_pages 10\nnuma_hit 3\nnuma_pte_updates 9\npgmigrate_success 4\n"
			   "pgdemote_kswapd 1\npgsteal_direct 2\n");
	put("proc/meminfo", "MemTotal: 100 kB\nHugepagesize:       2048 kB\n");
}

static void test_machine(void)
{
	struct np_numastat *s = NULL;
	unsigned long long v = 0;
	int r;

	make_machine();
	r = np_numastat_load(root, &s);
	is_int(r, 0, "a two-node sysroot loads");
	if (r < 0)
		bail_out("cannot go on");
	is_int((int)s->nnodes, 2, "two nodes");
	is_int((int)s->nodes[1].node, 1, "in node order");
	is_int((int)s->nodes[0].nmeminfo, 0, "node 0 without meminfo has no rows");
	is_int((int)s->nodes[1].ncounters, 6, "node 1: the six counters");
	is_str(s->nodes[1].counters[5].name, "other_node", "in the kernel's order");
	ok(s->nodes[1].counters[5].value == 183619444ULL, "other_node's value");
	is_int(np_stat_find(s->nodes[1].meminfo, s->nodes[1].nmeminfo, "MemUsed", &v), 0,
	       "MemUsed found");
	ok(v == 161676, "MemUsed in KiB (%llu)", v);
	is_int(np_stat_find(s->nodes[1].meminfo, s->nodes[1].nmeminfo, "HugePages_Total", &v), 0,
	       "a row without kB");
	ok(v == 4, "HugePages_Total counts pages");
	v = 77;
	is_int(np_stat_find(s->vmstat, s->nvmstat, "nr_free_pages", &v), -ENOENT,
	       "vmstat rows other than NUMA ones are left out");
	ok(v == 77, "not found leaves the value untouched");
	is_int((int)s->nvmstat, 4, "numa_, pgmigrate_, pgdemote_ rows kept");
	ok(s->hugepage_kb == 2048, "Hugepagesize from proc/meminfo");
	np_numastat_free(s);
	np_numastat_free(NULL);
}

static void test_errors(void)
{
	struct np_numastat *s = (struct np_numastat *)&s;
	char cmd[128];

	put("sys/devices/system/node/node0/numastat", "numa_hit five\n");
	is_int(np_numastat_load(root, &s), -EINVAL, "a damaged row is -EINVAL");
	ok(s == (struct np_numastat *)&s, "and the result is untouched");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys'", root);
	if (system(cmd) != 0)
		bail_out("cannot remove the sysroot's sys");
	is_int(np_numastat_load(root, &s), -ENODEV, "no node directory is -ENODEV");
	is_int(np_numastat_load("/nonexistent-sysroot", &s), -ENOENT, "no sysroot is -ENOENT");
}

static void test_task(void)
{
	struct np_task_numastat *t = NULL;

	put("proc/42/stat", "42 (x) R\n");
	put("proc/42/sched",
	    "x (42, #threads: 1)\n---\nse.nr_migrations :  3\n"
	    "numa_pages_migrated                          :                   12\n"
	    "numa_preferred_nid                           :                    1\n"
	    "total_numa_faults                            :                   30\n"
	    "current_node=0, numa_group_id=0\n"
	    "numa_faults node=0 task_private=1 task_shared=2 group_private=0 group_shared=0\n"
	    "numa_faults node=1 task_private=20 task_shared=7 group_private=0 group_shared=0\n");
	is_int(np_task_numastat(root, 42, &t), 0, "a sched file parses");
	if (!t)
		bail_out("cannot go on");
	ok(t->balancing && t->pages_migrated == 12 && t->total_faults == 30, "its totals");
	is_int(t->preferred_node, 1, "the preferred node");
	is_int((int)t->nnodes, 2, "faults on two nodes");
	ok(t->faults[1].task_private == 20 && t->faults[1].task_shared == 7, "node 1's faults");
	np_task_numastat_free(t);
	t = NULL;
	put("proc/43/comm", "y\n");
	is_int(np_task_numastat(root, 43, &t), 0, "no sched file is no balancing, not an error");
	ok(t && !t->balancing && t->nnodes == 0 && t->preferred_node == -1, "and nothing to report");
	np_task_numastat_free(t);
	is_int(np_task_numastat(root, 44, &t), -ESRCH, "no such process is -ESRCH");
	is_int(np_task_numastat(root, 0, &t), -EINVAL, "pid 0 is -EINVAL");
	np_task_numastat_free(NULL);
}

static void test_match(void)
{
	pid_t *pids = NULL;
	size_t n = 9;
	char name[16] = "untouched";

	PUT_ARGS("proc/50/cmdline", "/usr/bin/qemu-system\0-m\0" "4G\0");
	put("proc/51/cmdline", "");
	put("proc/51/comm", "kthreadd\n");
	PUT_ARGS("proc/52/cmdline", "sleep\0" "100\0");
	put("proc/52/comm", "sleep\n");
	is_int(np_task_match(root, "qemu", &pids, &n), 0, "a pattern matches");
	ok(n == 1 && pids && pids[0] == 50, "the process whose command line holds it");
	free(pids);
	is_int(np_task_match(root, "-m 4G", &pids, &n), 0, "arguments are joined by blanks");
	ok(n == 1, "and match across them");
	free(pids);
	is_int(np_task_match(root, "kthreadd", &pids, &n), 0, "a kernel thread");
	ok(n == 0, "has no command line and never matches");
	free(pids);
	is_int(np_task_match(root, "", &pids, &n), -EINVAL, "an empty pattern is -EINVAL");
	is_int(np_task_comm(root, 52, name, sizeof(name)), 0, "comm reads");
	is_str(name, "sleep", "without its newline");
	is_int(np_task_comm(root, 52, name, 3), -ENAMETOOLONG, "a short buffer");
	is_str(name, "sleep", "is left untouched");
	is_int(np_task_comm(root, 53, name, sizeof(name)), -ESRCH, "no such process");
}

static void test_kernel_thread(void)
{
	bool k = true;

	put("proc/51/stat", "51 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 25 0\n");
	/* a comm with ") " in it: the fields resume after the last ')' */
	put("proc/52/stat", "52 (a) b (c) S 1 52 52 0 -1 4194560 90 0 0 0 0 0 0 0 20 0 1 0 9 0\n");
	put("proc/54/stat", "54 (bad) S 1 54\n");
	is_int(np_task_kernel_thread(root, 51, &k), 0, "kernel thread: stat parses");
	ok(k, "PF_KTHREAD in field 9 is a kernel thread");
	is_int(np_task_kernel_thread(root, 52, &k), 0, "a process whose comm holds ') '");
	ok(!k, "its flags, read after the last ')', are a user process's");
	k = true;
	is_int(np_task_kernel_thread(root, 54, &k), -EINVAL, "a stat cut short is -EINVAL");
	ok(k, "and leaves the answer untouched");
	is_int(np_task_kernel_thread(root, 53, &k), -ESRCH, "no such process is -ESRCH");
	is_int(np_task_kernel_thread(root, 0, &k), -EINVAL, "pid 0 is -EINVAL");
	is_int(np_task_kernel_thread(root, 51, NULL), -EINVAL, "a NULL answer is -EINVAL");
	is_int(np_task_kernel_thread(NULL, getpid(), &k), 0, "this process's stat parses");
	ok(!k, "and this process is not a kernel thread");
}

static void test_live(void)
{
	struct np_numastat *s = NULL;
	int r = np_numastat_load(NULL, &s);

	if (r == -ENODEV) {
		skip(2, "this kernel has no NUMA node directory");
		return;
	}
	is_int(r, 0, "this machine's counters load");
	ok(s && s->nnodes > 0 && s->nodes[0].ncounters >= 6, "node %u has its counters",
	   s ? s->nodes[0].node : 0);
	np_numastat_free(s);
}

int main(void)
{
	char cmd[128];

	snprintf(root, sizeof(root), "/tmp/t-numastat.XXXXXX");
	if (!mkdtemp(root))
		bail_out("mkdtemp");
	plan(15 + 4 + 9 + 12 + 11 + 2);
	test_machine();
	test_errors();
	test_task();
	test_match();
	test_kernel_thread();
	test_live();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		diag("cannot remove %s", root);
	return exit_status();
}
