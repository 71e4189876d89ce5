/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-common.c - what the bench experiments (bench-affinity.c, bench-c2c.c, bench-memory.c)
 * share: pinning to one CPU, a monotonic clock, and running a job on a thread of its own.
 *
 * Terminology:
 *  pin   set a thread's (or a process's) affinity to exactly one CPU.
 *  job   an experiment's arguments and results, handed to the thread that runs it; the
 *        thread stores its own error in the job, the helper reports only thread creation.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "internal.h"

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
