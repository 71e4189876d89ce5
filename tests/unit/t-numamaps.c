/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-numamaps.c - np_task_numa_maps() (lib/numamaps.c) on hand-made numa_maps text in small
 * sysroots made here, its errors, and this process's own numa_maps (a touched buffer is
 * resident somewhere).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static char root[64];

/* @text as @root/proc/@pid/numa_maps */
static void put(int pid, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/%d", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/%d/numa_maps", root, pid);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		bail_out("cannot write the sysroot");
}

/* the lines of a kernel 6.x numa_maps, one of each kind, two nodes and the odd policies */
static const char sample[] =
	"55d0c8a2b000 default file=/usr/bin/cat mapped=3 N0=3 kernelpagesize_kB=4\n"
	"55d0c9e4c000 default heap anon=33 dirty=33 active=0 N0=30 N1=3 kernelpagesize_kB=4\n"
	"7f1c2a000000 bind:0-1 file=/usr/lib/libc.so.6 anon=2 dirty=2 mapped=40 mapmax=50 N0=40 "
	"N1=2 kernelpagesize_kB=4\n"
	"7f1c2c000000 interleave=static:0-1 file=/dev/shm/my\\040file dirty=8 N0=4 N1=4 "
	"kernelpagesize_kB=4\n"
	"7f1c30000000 prefer (many):1 file=/dev/hugepages/h huge dirty=2 N1=2 "
	"kernelpagesize_kB=2048\n"
	"7f1c34000000 weighted interleave:0-1 anon=512 dirty=512 N0=256 N1=256 "
	"kernelpagesize_kB=4\n"
	"7f1c38000000 local\n"
	"7ffd1a2b3000 default stack anon=9 dirty=9 swapcache=1 N0=9 kernelpagesize_kB=4\n";

static void test_sample(void)
{
	struct np_numa_maps *m = NULL;
	const struct np_numa_map *mp;
	int r;

	put(100, sample);
	r = np_task_numa_maps(root, 100, &m);
	is_int(r, 0, "sample: parses");
	if (r < 0) {
		skip(22, "did not parse");
		return;
	}
	is_int(m->nmaps, 8, "sample: eight mappings");
	is_int(m->nnodes, 2, "sample: nodes 0 and 1");
	mp = &m->maps[0];
	ok(mp->start == 0x55d0c8a2b000ULL, "first mapping's address");
	is_str(mp->policy, "default", "first mapping's policy");
	is_str(mp->file, "/usr/bin/cat", "first mapping's file");
	is_int(mp->kind, NP_PAGES_FILE, "a file mapping without anon= is file");
	is_int(mp->mapped, 3, "mapped=");
	mp = &m->maps[1];
	ok(mp->heap && !mp->stack && mp->kind == NP_PAGES_ANON, "heap: anon");
	is_int(mp->anon * 1000 + mp->dirty, 33033, "heap: anon= and dirty=");
	is_int(mp->node_pages[0] * 1000 + mp->node_pages[1], 30003, "heap: N0=30 N1=3");
	is_int(m->maps[2].kind, NP_PAGES_ANON, "a private file mapping with anon= is anon");
	is_str(m->maps[3].policy, "interleave=static:0-1", "a policy with a mode flag");
	is_str(m->maps[3].file, "/dev/shm/my\\040file", "the file as the kernel escaped it");
	is_str(m->maps[4].policy, "prefer (many):1", "preferred-many, with its blank");
	ok(m->maps[4].kind == NP_PAGES_HUGE && m->maps[4].page_kb == 2048, "hugetlbfs: huge, 2 MiB");
	is_str(m->maps[5].policy, "weighted interleave:0-1", "weighted interleave, with its blank");
	mp = &m->maps[6];
	ok(strcmp(mp->policy, "local") == 0 && mp->pages == 0 && mp->page_kb == 4,
	   "a line with no fields: no pages, 4 KiB pages assumed");
	ok(m->maps[7].stack && m->maps[7].pages == 9, "stack");
	/* node 0: anon 30 + 40 + 256 + 9, file 3 + 4; node 1: anon 3 + 2 + 256, file 4, huge 2 */
	is_int(m->node[0].pages[NP_PAGES_ANON], 335, "node 0 anon pages");
	is_int(m->node[0].pages[NP_PAGES_FILE] * 1000 + m->node[0].pages[NP_PAGES_HUGE], 7000,
	       "node 0 file and huge pages");
	is_int(m->node[1].pages[NP_PAGES_ANON] * 1000 + m->node[1].pages[NP_PAGES_FILE], 261004,
	       "node 1 anon and file pages");
	is_int(m->node[1].kb[NP_PAGES_HUGE], 4096, "node 1 huge KiB: 2 pages of 2048 KiB");
	np_numa_maps_free(m);
}

static void test_errors(void)
{
	static const struct {
		int err;
		const char *text;
	} bad[] = {
		{ -EINVAL, "zz default N0=1\n" },
		{ -EINVAL, "7f00\n" },
		{ -EINVAL, "7f00 default N0=x\n" },
		{ -EINVAL, "7f00 default anon=-1 N0=1\n" },
		{ -ERANGE, "7f00 default N70000=1\n" },
		{ 0, "" },
		{ 0, "7f00 default unknown=5 newword N2=1\n" },
	};
	struct np_numa_maps *m = (struct np_numa_maps *)&m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct np_numa_maps *keep = m;
		int r;

		put(200 + (int)i, bad[i].text);
		r = np_task_numa_maps(root, 200 + (int)i, &m);
		is_int(r, bad[i].err, "'%.*s': %d", (int)strcspn(bad[i].text, "\n"), bad[i].text,
		       bad[i].err);
		if (r < 0)
			ok(m == keep, "  and *ret is left alone");
		else
			np_numa_maps_free(m);
		m = keep;
	}
	is_int(np_task_numa_maps(root, 999, &m), -ESRCH, "no such pid: -ESRCH");
	is_int(np_task_numa_maps(root, -1, &m), -EINVAL, "a negative pid: -EINVAL");
	np_numa_maps_free(NULL);
	ok(1, "np_numa_maps_free(NULL) is a no-op");
}

/* this process: a touched anonymous buffer is resident on some node */
static void test_live(void)
{
	size_t len = 64 << 12;
	unsigned long long anon = 0;
	struct np_numa_maps *m;
	bool found = false;
	char *buf;
	int r;

	if (access("/proc/self/numa_maps", R_OK) != 0) {
		skip(3, "no /proc/self/numa_maps (kernel without NUMA)");
		return;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		bail_out("mmap");
	memset(buf, 1, len);
	r = np_task_numa_maps(NULL, 0, &m);
	is_int(r, 0, "this process's numa_maps parse");
	if (r < 0) {
		skip(2, "did not parse");
		return;
	}
	for (size_t i = 0; i < m->nmaps; i++) {
		if (m->maps[i].start != (unsigned long long)(uintptr_t)buf)
			continue;
		ok(m->maps[i].pages >= 64 && m->maps[i].kind == NP_PAGES_ANON,
		   "the touched buffer: %llu resident anon pages", m->maps[i].pages);
		found = true;
		break;
	}
	if (!found)
		ok(0, "the touched buffer is in numa_maps");
	for (unsigned int n = 0; n < m->nnodes; n++)
		anon += m->node[n].pages[NP_PAGES_ANON];
	ok(anon >= 64, "the nodes' anon pages (%llu) hold it", anon);
	np_numa_maps_free(m);
	munmap(buf, len);
}

int main(void)
{
	char cmd[128];

	snprintf(root, sizeof(root), "/tmp/t-numamaps.XXXXXX");
	if (!mkdtemp(root))
		bail_out("mkdtemp");
	plan(1 + 22 + 15 + 3);
	test_sample();
	test_errors();
	test_live();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		diag("cannot remove %s", root);
	return exit_status();
}
