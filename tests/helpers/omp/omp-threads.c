/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omp-threads.c - test program for `run --plan` under OpenMP (built by the tests themselves with
 * -fopenmp for libgomp and -fopenmp=libomp for the LLVM runtime, so not by the helpers' rule):
 * each thread of one parallel region first-touches a page of its own, then reports, in thread
 * order:
 *   thread 0/2: cpus 0 node 0
 * cpus: the CPUs it may run on; node: the node that holds its page (get_mempolicy with
 * MPOL_F_NODE | MPOL_F_ADDR), -1 when the kernel has no NUMA.  Knows nothing of numaplace.
 */
#define _GNU_SOURCE
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)

static void cpus(char *buf, size_t len)
{
	cpu_set_t cs;
	size_t n = 0;

	buf[0] = 0;
	if (sched_getaffinity(0, sizeof(cs), &cs) < 0)
		return;
	for (int c = 0; c < CPU_SETSIZE && n + 8 < len; c++)
		if (CPU_ISSET(c, &cs))
			n += (size_t)snprintf(buf + n, len - n, "%s%d", n ? "," : "", c);
}

static int page_node(void)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int node = -1;

	if (p == MAP_FAILED)
		return -1;
	memset(p, 1, (size_t)psz);
	if (syscall(SYS_get_mempolicy, &node, NULL, 0UL, p, MPOL_F_NODE | MPOL_F_ADDR) < 0)
		node = -1;
	munmap(p, (size_t)psz);
	return node;
}

int main(void)
{
	char line[64][128];
	int n = 0;

#pragma omp parallel
	{
		int k = omp_get_thread_num();
		char c[96];

		cpus(c, sizeof(c));
		if (k < 64)
			snprintf(line[k], sizeof(line[k]), "thread %d/%d: cpus %s node %d", k,
				 omp_get_num_threads(), c, page_node());
#pragma omp single
		n = omp_get_num_threads();
	}
	for (int k = 0; k < n && k < 64; k++)
		puts(line[k]);
	return 0;
}
