/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-affinity.c - what pinning buys: a compute loop pinned or left to the scheduler,
 * with what the scheduler did to it, and a competing load to run beside it.
 *
 * Terminology:
 *  spin        the compute loop: a counter incremented @iterations times in a register.
 *  migration   the thread moved to another CPU (the scheduler's se.nr_migrations).
 *  involuntary context switch   the thread was preempted while it could still run
 *              (getrusage ru_nivcsw): the cost of sharing a CPU.
 *  wait        time the thread was runnable but not running (schedstat's second field).
 *  noise       a child process that spins on one CPU until it is stopped.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-internal.h"

/* The scheduler's counters for the calling thread; -1 / NaN where the kernel hides them
 * (se.nr_migrations needs CONFIG_SCHED_DEBUG, schedstat CONFIG_SCHED_INFO). */
struct sched_counts {
	long long migrations;
	double wait_s;
	struct rusage ru;
};

static void sched_counts(const struct np_sysfs *fs, struct sched_counts *c)
{
	char *text = NULL, *s;
	unsigned long long run, wait;

	c->migrations = -1;
	c->wait_s = NAN;
	if (fs && np__sysfs_read_alloc(fs, &text, NULL, "proc/thread-self/sched") == 0) {
		s = strstr(text, "se.nr_migrations");
		if (s && (s = strchr(s, ':')))
			c->migrations = strtoll(s + 1, NULL, 10);
		free(text);
	}
	if (fs && np__sysfs_read_alloc(fs, &text, NULL, "proc/thread-self/schedstat") == 0) {
		if (sscanf(text, "%llu %llu", &run, &wait) == 2)
			c->wait_s = (double)wait * 1e-9;
		free(text);
	}
	getrusage(RUSAGE_THREAD, &c->ru);
}

struct spin_job {
	int cpu;
	uint64_t iterations;
	struct np_bench_spin res;
	int r;
};

static volatile uint64_t spin_sink;

static void *spin_thread(void *arg)
{
	struct spin_job *job = arg;
	struct sched_counts a, b;
	struct np_sysfs *fs = NULL;
	uint64_t x = 0;
	double t0;

	if (job->cpu >= 0) {
		job->r = np__bench_pin(0, job->cpu);
		if (job->r < 0)
			return NULL;
	}
	/* without /proc the loop still runs; the counters then say unknown */
	if (np__sysfs_open(NULL, &fs) < 0)
		fs = NULL;
	sched_counts(fs, &a);
	t0 = np__bench_now_s();
	for (uint64_t i = 0; i < job->iterations; i++) {
		x++;
		/* keeps the increment a real instruction per iteration, in a register */
		__asm__ volatile("" : "+r"(x));
	}
	job->res.seconds = np__bench_now_s() - t0;
	sched_counts(fs, &b);
	np__sysfs_free(fs);
	spin_sink = x;
	job->res.migrations = a.migrations >= 0 && b.migrations >= 0 ? b.migrations - a.migrations : -1;
	job->res.wait_seconds = b.wait_s - a.wait_s;
	job->res.nivcsw = b.ru.ru_nivcsw - a.ru.ru_nivcsw;
	job->res.nvcsw = b.ru.ru_nvcsw - a.ru.ru_nvcsw;
	job->r = 0;
	return NULL;
}

int np_bench_spin(int cpu, uint64_t iterations, struct np_bench_spin *ret)
{
	struct spin_job job = { .cpu = cpu, .iterations = iterations };
	int r;

	if (!iterations || cpu < -1)
		return -EINVAL;
	r = np__bench_run_thread(spin_thread, &job);
	if (r < 0)
		return r;
	if (job.r < 0)
		return job.r;
	*ret = job.res;
	return 0;
}

int np_bench_noise_start(int cpu, pid_t *ret)
{
	pid_t pid, parent = getpid();
	int r;

	if (cpu < 0)
		return -EINVAL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* only async-signal-safe calls here: the parent may have threads.  Die with the
		 * parent, so a crashed benchmark leaves no spinner behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		for (;;)
			__asm__ volatile("");
	}
	/* pinned from here, not in the child, where the affinity code may not run safely */
	r = np__bench_pin(pid, cpu);
	if (r < 0) {
		np_bench_noise_stop(pid);
		return r;
	}
	*ret = pid;
	return 0;
}

int np_bench_noise_stop(pid_t pid)
{
	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, SIGKILL) < 0)
		return -errno;
	while (waitpid(pid, NULL, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}
