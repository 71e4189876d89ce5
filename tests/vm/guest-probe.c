/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * guest-probe.c - the oracle of the QEMU tier: touches pages and reports, from the kernel, the
 * node each page landed on, the CPU and node it runs on, and the memory policy it inherited.
 *
 * Terminology:
 *   page      one base page (THP is disabled on the probe's region, so one page = one node)
 *   region    the probe's private anonymous mapping, aligned to 2 MiB; its first page is
 *             touched before counting so its page table exists and takes no interleave turn
 *   policy    the task memory policy the probe was started with (get_mempolicy with no flags)
 *
 * It links libc only and never libnumaplace: a placement bug in the library must not be able
 * to hide in its own witness.  Built statically for the busybox initramfs.
 *
 * Usage: guest-probe [-n PAGES] [--hold] [--threads N] [--fill MB]
 *   -n PAGES      pages to touch and report (default 256, at most 4095: up to 511 share one
 *                 page table; more span several 2 MiB windows, for ratios over >= 1000 pages)
 *   --hold        after the report, wait: SIGUSR1 reports again (nodes and checksum), SIGTERM exits
 *   --threads N   start N threads, one every 5 ms, each sleeping until exit, then hold
 *   --fill MB     first touch MB MiB more and print where they went ("fill N:PAGES ..."); a
 *                 process bound to too small a node never gets there: the kernel kills it.
 *                 Huge pages where the kernel gives them, and one page in FILL_SAMPLE asked
 *                 for its node: under TCG every fault and syscall counts
 *
 * Output, one "key value" line each:
 *   cpu C / cpunode N        where the probe runs (getcpu)
 *   policy MODE NODES        mode name and its nodelist ("-" when empty)
 *   allowed-cpus LIST        Cpus_allowed_list of /proc/self/status
 *   allowed-mems LIST        Mems_allowed_list of /proc/self/status
 *   addr 0xADDR              where the reported pages start (for migrate --pages)
 *   pages P                  pages reported
 *   nodes N0 N1 ...          the node of every page, in address order
 *   sum HEX                  checksum of the pages' contents
 *   fill N:PAGES ...         with --fill: pages of the fill per node, sampled (-1: unknown)
 *   end                      the report is complete
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)
#define PROBE_MAXNODE 1024 /* bits in the mask given to get_mempolicy */
#define HUGE_SZ (2UL << 20)
#define PROBE_WINDOWS 8UL /* 2 MiB windows -n may span */
#define FILL_SAMPLE 16 /* --fill asks the node of one page in 16 and counts it 16 times */

static const char *const mode_names[] = {
	"default", "preferred", "bind", "interleave", "local", "preferred-many", "weighted-interleave",
};

static volatile sig_atomic_t report_again, stop;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		report_again = 1;
	else
		stop = 1;
}

static void print_policy(void)
{
	unsigned long mask[PROBE_MAXNODE / (8 * sizeof(unsigned long))] = { 0 };
	const size_t bits = 8 * sizeof(unsigned long);
	int mode, first = 1, run_start = -1;

	if (syscall(SYS_get_mempolicy, &mode, mask, PROBE_MAXNODE, NULL, 0UL) != 0) {
		printf("policy error %d\n", errno);
		return;
	}
	/* MPOL_F_STATIC_NODES / RELATIVE_NODES ride in the high bits of the mode */
	mode &= 0xff;
	if (mode >= 0 && (size_t)mode < sizeof(mode_names) / sizeof(mode_names[0]))
		printf("policy %s ", mode_names[mode]);
	else
		printf("policy mode%d ", mode);
	for (int n = 0; n <= PROBE_MAXNODE; n++) {
		int set = n < PROBE_MAXNODE && (mask[n / bits] >> (n % bits)) & 1;

		if (set && run_start < 0)
			run_start = n;
		if (!set && run_start >= 0) {
			printf(first ? "%d" : ",%d", run_start);
			if (n - 1 > run_start)
				printf("-%d", n - 1);
			first = 0;
			run_start = -1;
		}
	}
	printf("%s\n", first ? "-" : "");
}

static void print_allowed(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		*v++ = 0;
		v += strspn(v, " \t");
		if (strcmp(line, "Cpus_allowed_list") == 0)
			printf("allowed-cpus %s", v);
		else if (strcmp(line, "Mems_allowed_list") == 0)
			printf("allowed-mems %s", v);
	}
	fclose(f);
}

static void report(unsigned char *region, size_t npages, size_t pagesz)
{
	unsigned cpu = 0, node = 0;
	uint64_t sum = 1469598103934665603ULL;

	if (syscall(SYS_getcpu, &cpu, &node, NULL) == 0)
		printf("cpu %u\ncpunode %u\n", cpu, node);
	print_policy();
	print_allowed();
	printf("addr %p\npages %zu\nnodes", (void *)region, npages);
	for (size_t i = 0; i < npages; i++) {
		int n = -1;

		if (syscall(SYS_get_mempolicy, &n, NULL, 0UL, region + i * pagesz,
			    (unsigned long)(MPOL_F_NODE | MPOL_F_ADDR)) != 0)
			n = -1;
		printf(" %d", n);
	}
	printf("\n");
	for (size_t i = 0; i < npages * pagesz; i++)
		sum = (sum ^ region[i]) * 1099511628211ULL;
	printf("sum %016llx\nend\n", (unsigned long long)sum);
	fflush(stdout);
}

/* touch @mb MiB page by page and print how many pages each node took */
static int fill(size_t mb, size_t pagesz)
{
	static unsigned long count[PROBE_MAXNODE + 1];
	size_t len = mb << 20;
	unsigned char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("guest-probe: mmap");
		return -1;
	}
	madvise(p, len, MADV_HUGEPAGE);
	for (size_t off = 0; off < len; off += pagesz) {
		int n = -1;

		p[off] = 1;
		if ((off / pagesz) % FILL_SAMPLE)
			continue;
		if (syscall(SYS_get_mempolicy, &n, NULL, 0UL, p + off,
			    (unsigned long)(MPOL_F_NODE | MPOL_F_ADDR)) != 0 || n < 0 || n >= PROBE_MAXNODE)
			n = PROBE_MAXNODE;
		count[n] += FILL_SAMPLE;
	}
	printf("fill");
	for (int n = 0; n <= PROBE_MAXNODE; n++)
		if (count[n])
			printf(" %d:%lu", n == PROBE_MAXNODE ? -1 : n, count[n]);
	printf("\n");
	fflush(stdout);
	return 0;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void spawn_threads(int n)
{
	const struct timespec gap = { 0, 5 * 1000 * 1000 };

	for (int i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, sleeper, NULL) != 0) {
			printf("threads-error %d\n", i);
			break;
		}
		pthread_detach(t);
		nanosleep(&gap, NULL);
	}
	printf("threads %d\n", n);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	size_t npages = 256, pagesz = (size_t)sysconf(_SC_PAGESIZE), windows;
	int hold = 0, threads = 0;
	size_t fill_mb = 0;
	unsigned char *map, *region;
	struct sigaction sa;
	sigset_t block, wait_mask;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			npages = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--hold") == 0)
			hold = 1;
		else if (strcmp(argv[i], "--fill") == 0 && i + 1 < argc)
			fill_mb = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = atoi(argv[++i]), hold = 1;
		else {
			fprintf(stderr, "usage: guest-probe [-n PAGES] [--hold] [--threads N] [--fill MB]\n");
			return 2;
		}
	}
	if (npages == 0 || (npages + 1) * pagesz > PROBE_WINDOWS * HUGE_SZ) {
		fprintf(stderr, "guest-probe: -n must be 1..%zu\n", PROBE_WINDOWS * HUGE_SZ / pagesz - 1);
		return 2;
	}
	windows = ((npages + 1) * pagesz + HUGE_SZ - 1) / HUGE_SZ;
	if (fill_mb && fill(fill_mb, pagesz) < 0)
		return 1;
	/* one 2 MiB-aligned window: a single page table serves every page we count */
	map = mmap(NULL, (windows + 1) * HUGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("guest-probe: mmap");
		return 1;
	}
	region = (unsigned char *)(((uintptr_t)map + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
	madvise(region, windows * HUGE_SZ, MADV_NOHUGEPAGE);
	/* the warm-up page: it pays for the page table before the counted pages fault in */
	region[0] = 1;
	region += pagesz;
	for (size_t i = 0; i < npages; i++)
		memset(region + i * pagesz, (int)(i * 7 + 3), pagesz);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* blocked outside sigsuspend: a signal sent right after "end" is not lost */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	report(region, npages, pagesz);
	if (threads)
		spawn_threads(threads);
	while (hold && !stop) {
		sigsuspend(&wait_mask);
		if (report_again) {
			report_again = 0;
			report(region, npages, pagesz);
		}
	}
	return 0;
}
