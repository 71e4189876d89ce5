/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-common.c - what the bench experiments (bench-affinity.c, bench-c2c.c, bench-memory.c,
 * bench-bandwidth.c) share: pinning to one CPU, a monotonic clock, running a job on a thread
 * of its own, and the memory measurements' buffers.
 *
 * Terminology:
 *  pin     set a thread's (or a process's) affinity to exactly one CPU.
 *  job     an experiment's arguments and results, handed to the thread that runs it; the
 *          thread stores its own error in the job, the helper reports only thread creation.
 *  buffer  memory a measurement streams or chases: bound to a node before its first touch,
 *          with transparent huge pages (THP) asked for or forbidden.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench-internal.h"

#define THP_SIZE (2ul << 20)

int np__bench_pin(pid_t tid, int cpu)
{
	struct np_cpuset *set;
	int r, bits = np_affinity_cpu_bits();

	if (bits < 0)
		return bits;
	if (cpu < 0 || cpu >= bits)
		return -EINVAL;
	r = np_cpuset_new((unsigned int)bits, &set);
	if (r < 0)
		return r;
	np_cpuset_set(set, (unsigned int)cpu);
	r = np_affinity_set(tid, set);
	np_cpuset_free(set);
	return r;
}

double np__bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * A fresh thread, so that pinning it or changing its memory policy leaves the caller's own
 * settings alone.
 */
int np__bench_run_thread(void *(*fn)(void *), void *job)
{
	pthread_t th;
	int r = pthread_create(&th, NULL, fn, job);

	if (r)
		return -r;
	pthread_join(th, NULL);
	return 0;
}

int np__bench_pin_self(int cpu)
{
	return cpu < 0 ? 0 : np__bench_pin(0, cpu);
}

/*
 * Map @len bytes for the buffers: on @node when it is >= 0 (a bind policy set before any page
 * exists, so first touch cannot put pages elsewhere), with THP asked for or forbidden so the
 * page size is the one requested whatever the system's THP default.  Not touched yet: the
 * threads that use the memory fault it in.
 */
int np__bench_map(size_t len, int node, bool thp, void **ret)
{
	unsigned int flags = thp ? NP_ALLOC_THP : NP_ALLOC_NO_THP;
	struct np_policy *pol = NULL;
	int r;

	if (node >= 0)
		return np_alloc_onnode(len, node, flags, ret);
	r = np_policy_new(NP_MPOL_DEFAULT, NULL, 0, &pol);
	if (r < 0)
		return r;
	r = np_alloc(len, pol, flags, ret);
	np_policy_free(pol);
	return r;
}

void np__bench_unmap(void *p, size_t len)
{
	np_alloc_free(p, len);
}

/* Every page of [p, p+len) on @node, asked of the kernel (move_pages) before timing. */
int np__bench_check_node(const void *p, size_t len, int node)
{
	size_t n = np_mem_page_count(p, len);
	int *status, r;

	if (node < 0)
		return 0;
	status = malloc(n * sizeof(*status));
	if (!status)
		return -ENOMEM;
	r = np_mem_query_range(0, p, len, status);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (status[i] != node)
			r = -EIO;
	free(status);
	return r;
}

/*
 * The page size that backs most of [p, p+len): THP shows in smaps as AnonHugePages of the
 * mapping that starts at @p.  Only this process's own mapping is read, hence /proc/self.
 */
size_t np__bench_page_size(const void *p, size_t len)
{
	struct np_sysfs *fs;
	char *smaps = NULL, *s, want[32];
	size_t page = (size_t)sysconf(_SC_PAGESIZE), huge_kb = 0;

	if (np__sysfs_open(NULL, &fs) < 0)
		return page;
	if (np__sysfs_read_alloc(fs, &smaps, NULL, "proc/self/smaps") < 0)
		goto out;
	snprintf(want, sizeof(want), "\n%lx-", (unsigned long)p);
	s = strstr(smaps, want);
	if (s)
		s = strstr(s, "AnonHugePages:");
	if (s)
		huge_kb = strtoull(s + strlen("AnonHugePages:"), NULL, 10);
	if (huge_kb * 1024 * 2 >= len)
		page = THP_SIZE;
out:
	free(smaps);
	np__sysfs_free(fs);
	return page;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double np_bench_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
