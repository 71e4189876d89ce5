/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-c2c.c - core-to-core latency: how long a cache line takes to travel between two CPUs.
 *
 * Terminology:
 *  hand-off   one CPU's successful compare-and-swap on a line the other CPU wrote last: the
 *             line moves from one core's cache to the other's.
 *  round trip a hand-off there and one back.  The figure reported is round trip / 2.
 *  trial      @roundtrips round trips timed together; the median over trials is kept, so a
 *             trial disturbed by another task does not move the result.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "bench-internal.h"

/* the bounced line, alone in its cache line so nothing else shares the traffic */
struct c2c_line {
	_Alignas(64) _Atomic uint64_t turn;
	char pad[64 - sizeof(uint64_t)];
};

struct c2c_job {
	struct c2c_line line;
	_Alignas(64) int cpu_b;
	unsigned int roundtrips, trials;
	int err_b;
	pthread_barrier_t bar;
};

/*
 * Player @me (0 or 1) waits for the value that gives it the turn and passes the turn on with
 * a compare-and-swap: even values are player 0's, odd ones player 1's.
 */
static void play(_Atomic uint64_t *turn, unsigned int me, unsigned int roundtrips)
{
	for (uint64_t i = 0; i < roundtrips; i++) {
		uint64_t want = 2 * i + me, expected;

		do
			expected = want;
		while (!atomic_compare_exchange_weak_explicit(turn, &expected, want + 1,
							      memory_order_acq_rel,
							      memory_order_relaxed));
	}
}

static void *c2c_thread(void *arg)
{
	struct c2c_job *job = arg;

	job->err_b = np__bench_pin(0, job->cpu_b);
	pthread_barrier_wait(&job->bar);
	if (job->err_b < 0)
		return NULL;
	for (unsigned int t = 0; t < job->trials; t++) {
		pthread_barrier_wait(&job->bar);
		play(&job->line.turn, 1, job->roundtrips);
	}
	return NULL;
}

/* Runs on a thread of its own pinned to cpu_a; the second player is pinned to cpu_b. */
struct c2c_main {
	int cpu_a;
	struct c2c_job *job;
	double *ns;
	int r;
};

static void *c2c_main_thread(void *arg)
{
	struct c2c_main *m = arg;
	struct c2c_job *job = m->job;
	pthread_t th;
	int r;

	r = np__bench_pin(0, m->cpu_a);
	if (r < 0)
		goto out;
	r = -pthread_create(&th, NULL, c2c_thread, job);
	if (r < 0)
		goto out;
	pthread_barrier_wait(&job->bar);
	if (job->err_b < 0) {
		pthread_join(th, NULL);
		r = job->err_b;
		goto out;
	}
	for (unsigned int t = 0; t < job->trials; t++) {
		double t0;

		atomic_store(&job->line.turn, 0);
		pthread_barrier_wait(&job->bar);
		t0 = np__bench_now_s();
		play(&job->line.turn, 0, job->roundtrips);
		/* player 1's last hand-off back to us completes the last round trip */
		while (atomic_load_explicit(&job->line.turn, memory_order_acquire) !=
		       2ull * job->roundtrips)
			;
		m->ns[t] = (np__bench_now_s() - t0) * 1e9 / job->roundtrips / 2;
	}
	pthread_join(th, NULL);
out:
	m->r = r;
	return NULL;
}

int np_bench_c2c(int cpu_a, int cpu_b, unsigned int roundtrips, unsigned int trials, double *ret)
{
	struct c2c_job *job;
	struct c2c_main m = { .cpu_a = cpu_a };
	int r;

	if (cpu_a < 0 || cpu_b < 0 || cpu_a == cpu_b || !roundtrips || !trials)
		return -EINVAL;
	job = aligned_alloc(64, sizeof(*job));
	m.ns = calloc(trials, sizeof(double));
	if (!job || !m.ns) {
		r = -ENOMEM;
		goto free_all;
	}
	*job = (struct c2c_job){ .cpu_b = cpu_b, .roundtrips = roundtrips, .trials = trials };
	r = -pthread_barrier_init(&job->bar, NULL, 2);
	if (r < 0)
		goto free_all;
	m.job = job;
	r = np__bench_run_thread(c2c_main_thread, &m);
	if (r == 0)
		r = m.r;
	pthread_barrier_destroy(&job->bar);
	if (r == 0) {
		*ret = np_bench_median(m.ns, trials);
	}
free_all:
	free(m.ns);
	free(job);
	return r;
}
