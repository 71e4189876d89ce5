/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * np-probe.c - test helper and witness: allocate and touch pages, then print the node of
 * each page, so that tests (on this machine and in QEMU guests) can check what a policy did.
 *
 * It uses raw syscalls and libc only, not libnumaplace, so that it checks the library rather
 * than sharing its mistakes; it links statically for busybox guests.
 *
 *   np-probe [-n PAGES] [-r POLICY] [-q move|addr] [-t] [-s] [-H]
 *     -n PAGES    how many pages to map and touch (default 16)
 *     -r POLICY   mbind the range first: MODE[:NODES], MODE one of default preferred bind
 *                 interleave local preferred-many weighted-interleave (or the kernel number),
 *                 NODES a cpulist; without -r the range follows the task policy
 *     -q METHOD   how to ask: move (move_pages, default) or addr (get_mempolicy MPOL_F_ADDR)
 *     -t          do not touch: report pages as they are (absent ones as -2, ENOENT)
 *     -s          only the summary lines, not one line per page
 *     -H          madvise(MADV_HUGEPAGE) the range
 *
 * Output, one record per line, space separated:
 *   policy MODE NODES          the task policy (get_mempolicy); MODE is the kernel number and
 *                              its flags in hex, NODES a cpulist or "-"
 *   cpu N                      the CPU it ran on when it touched the pages
 *   allowed CPUS               its Cpus_allowed_list (from sched_getaffinity)
 *   page I NODE                page I is on NODE (a negative number is -errno)
 *   nodes N0=C0 N1=C1 ...      pages per node; "absent=C" / "error=C" when any
 *   sequence N0 N1 ...         the nodes of the first 64 pages in order (for interleave checks)
 * Exit status 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAXNODES 1024
#define WORDS (MAXNODES / (8 * sizeof(unsigned long)))

static const char *const mode_names[] = { "default", "preferred", "bind", "interleave", "local",
					  "preferred-many", "weighted-interleave" };

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "np-probe: %s '%s': %s\n", what, arg, strerror(errno));
	exit(1);
}

static int parse_list(const char *s, unsigned long *mask)
{
	memset(mask, 0, WORDS * sizeof(*mask));
	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s)
				return -1;
		}
		if (a > b || b >= MAXNODES)
			return -1;
		for (unsigned long i = a; i <= b; i++)
			mask[i / (8 * sizeof(long))] |= 1ul << (i % (8 * sizeof(long)));
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

static void print_list(const unsigned long *mask)
{
	int first = 1;

	for (int i = 0; i < MAXNODES; i++) {
		if (!(mask[i / (8 * sizeof(long))] & (1ul << (i % (8 * sizeof(long))))))
			continue;
		int j = i;

		while (j + 1 < MAXNODES && (mask[(j + 1) / (8 * sizeof(long))] & (1ul << ((j + 1) % (8 * sizeof(long))))))
			j++;
		printf(first ? "" : ",");
		first = 0;
		if (j > i)
			printf("%d-%d", i, j);
		else
			printf("%d", i);
		i = j;
	}
	if (first)
		printf("-");
}

/* MODE[:NODES] -> mbind on the range; the kernel reads maxnode - 1 bits, hence + 1 */
static void apply_range(const char *spec, void *p, size_t len)
{
	unsigned long mask[WORDS];
	char buf[256], *colon;
	int mode = -1;

	snprintf(buf, sizeof(buf), "%s", spec);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	for (int m = 0; m < (int)(sizeof(mode_names) / sizeof(mode_names[0])); m++)
		if (strcmp(buf, mode_names[m]) == 0)
			mode = m;
	if (mode < 0)
		mode = (int)strtol(buf, NULL, 0);
	if (parse_list(colon ? colon + 1 : "", mask) < 0) {
		errno = EINVAL;
		die("bad node list", spec);
	}
	if (syscall(SYS_mbind, p, len, mode, colon ? mask : NULL, colon ? MAXNODES + 1 : 0, 0) < 0)
		die("mbind", spec);
}

static void print_policy(void)
{
	unsigned long mask[WORDS] = { 0 };
	int mode = 0;

	if (syscall(SYS_get_mempolicy, &mode, mask, MAXNODES + 1, NULL, 0) < 0) {
		printf("policy ? %s\n", strerror(errno));
		return;
	}
	printf("policy %d 0x%x ", mode & 0x1fff, mode & ~0x1fff);
	print_list(mask);
	printf("\n");
}

static void print_allowed(void)
{
	unsigned long mask[WORDS] = { 0 };

	if (sched_getaffinity(0, sizeof(mask), (cpu_set_t *)mask) < 0)
		return;
	printf("allowed ");
	print_list(mask);
	printf("\n");
}

static int node_of(char *p, size_t i, size_t ps, int addr_method)
{
	void *page = p + i * ps;
	int node = -1;

	if (addr_method) {
		if (syscall(SYS_get_mempolicy, &node, NULL, 0, page, 3 /* F_NODE|F_ADDR */) < 0)
			return -errno;
		return node;
	}
	if (syscall(SYS_move_pages, 0, 1, &page, NULL, &node, 0) < 0)
		return -errno;
	return node;
}

int main(int argc, char **argv)
{
	size_t npages = 16, ps = (size_t)sysconf(_SC_PAGESIZE);
	const char *range = NULL;
	int c, addr_method = 0, touch = 1, summary_only = 0, huge = 0;
	static int count[MAXNODES], seq[64];
	int absent = 0, errors = 0;
	char *p;

	while ((c = getopt(argc, argv, "n:r:q:tsH")) != -1) {
		switch (c) {
		case 'n': npages = strtoul(optarg, NULL, 0); break;
		case 'r': range = optarg; break;
		case 'q': addr_method = strcmp(optarg, "addr") == 0; break;
		case 't': touch = 0; break;
		case 's': summary_only = 1; break;
		case 'H': huge = 1; break;
		default:
			fprintf(stderr, "usage: np-probe [-n PAGES] [-r MODE[:NODES]] [-q move|addr] [-t] [-s] [-H]\n");
			return 1;
		}
	}
	p = mmap(NULL, npages * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap", "anonymous");
	if (range)
		apply_range(range, p, npages * ps);
	if (huge && madvise(p, npages * ps, MADV_HUGEPAGE) < 0)
		die("madvise", "MADV_HUGEPAGE");
	print_policy();
	print_allowed();
	printf("cpu %d\n", sched_getcpu());
	for (size_t i = 0; touch && i < npages; i++)
		p[i * ps] = 1;
	for (size_t i = 0; i < npages; i++) {
		/* get_mempolicy would fault an untouched page in: ask move_pages then */
		int node = node_of(p, i, ps, addr_method && touch);

		if (!summary_only)
			printf("page %zu %d\n", i, node);
		if (i < 64)
			seq[i] = node;
		if (node >= 0 && node < MAXNODES)
			count[node]++;
		else if (node == -ENOENT)
			absent++;
		else
			errors++;
	}
	printf("nodes");
	for (int n = 0; n < MAXNODES; n++)
		if (count[n])
			printf(" %d=%d", n, count[n]);
	if (absent)
		printf(" absent=%d", absent);
	if (errors)
		printf(" error=%d", errors);
	printf("\nsequence");
	for (size_t i = 0; i < npages && i < 64; i++)
		printf(" %d", seq[i]);
	printf("\n");
	return fflush(stdout) == 0 ? 0 : 1;
}
