/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-memory.c - memory latency (pointer chase) from a chosen CPU to a chosen node, and the
 * defaults of every memory measurement's options (bandwidth is in bench-bandwidth.c).
 *
 * Terminology:
 *  line      a cache line: the unit the chase touches once per load (64 bytes by default).
 *  chase     a buffer in which every line holds the address of the next line to load, so
 *            each load depends on the previous one and hardware prefetchers cannot help.
 *  cycle     the chase's order: Sattolo's shuffle makes one cycle through every line, so a
 *            walk of n loads over n lines touches each line exactly once.
 *  block     with random_block, the chase is random inside each block and the blocks are
 *            walked in address order: TLB misses are bounded by one per block.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define HAVE_TSC 1
#endif

#include "bench-internal.h"

#define DEFAULT_SIZE (1ull << 30)
#define DEFAULT_LINE 64
#define DEFAULT_TRIALS 5
#define DEFAULT_LOADS 10000000ull
#define DEFAULT_REPS 10
#define DEFAULT_SEED 0x6e756d61706c6163ull /* "numaplac" */

/* ---- timing ---- */

static uint64_t tsc_now(void)
{
#ifdef HAVE_TSC
	return __rdtsc();
#else
	return 0;
#endif
}

/* An invariant TSC ticks at a constant rate in every P- and C-state (CPUID 0x80000007 EDX[8]),
 * so ticks per load is a cycle figure at the nominal frequency; otherwise it means nothing. */
static bool tsc_invariant(void)
{
#ifdef HAVE_TSC
	unsigned int a, b, c, d;

	if (!__get_cpuid(0x80000007, &a, &b, &c, &d))
		return false;
	return d & (1u << 8);
#else
	return false;
#endif
}

/* ---- the chase ---- */

/* splitmix64: a fast, well-mixed generator; the chase needs no cryptographic quality */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) without modulo bias worth speaking of: the high half of a 128-bit product */
static size_t rnd_below(uint64_t *s, size_t n)
{
	return (size_t)(((unsigned __int128)rnd_next(s) * n) >> 64);
}

#define LINE_AT(base, i, line) ((void **)((char *)(base) + (size_t)(i) * (line)))

/*
 * Sattolo's shuffle done on the pointers themselves: start from every line pointing at
 * itself (the identity) and swap the i-th line's pointer with a j < i one.  The result,
 * read as "line i -> line at its pointer", is a single cycle through all @n lines.  This
 * writes every line first, which also faults the pages in (on the bound node).
 */
static void sattolo(char *base, size_t n, size_t line, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++)
		*LINE_AT(base, i, line) = LINE_AT(base, i, line);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rnd_below(seed, i);
		void **a = LINE_AT(base, i, line), **b = LINE_AT(base, j, line);
		void *t = *a;

		*a = *b;
		*b = t;
	}
}

/* the line of a block whose pointer leads to the block's first line */
static void **pred_of_first(char *base, size_t n, size_t line)
{
	for (size_t i = 0; i < n; i++)
		if (*LINE_AT(base, i, line) == (void *)base)
			return LINE_AT(base, i, line);
	return NULL; /* not reached: the block is one cycle */
}

int np_bench_chase_build(void *buf, size_t size, size_t line, size_t block, uint64_t seed,
			 void **ret)
{
	size_t n, per_block, nblocks;
	char *base = buf;

	if (!buf || line < sizeof(void *) || (line & (line - 1)) || (uintptr_t)buf % line)
		return -EINVAL;
	n = size / line;
	if (n < 2 || (block && (block % line || block < line)))
		return -EINVAL;
	per_block = block ? block / line : n;
	if (per_block > n)
		per_block = n;
	nblocks = (n + per_block - 1) / per_block;
	for (size_t b = 0; b < nblocks; b++) {
		size_t first = b * per_block, len = n - first < per_block ? n - first : per_block;

		sattolo(base + first * line, len, line, &seed);
	}
	/* Chain the blocks into one cycle: in each block, the line that closes the block's own
	 * cycle (points back to its first line) points instead to the next block's first line. */
	if (nblocks > 1) {
		for (size_t b = 0; b < nblocks; b++) {
			size_t first = b * per_block, len = n - first < per_block ? n - first : per_block;
			size_t next = (b + 1) % nblocks * per_block;

			*pred_of_first(base + first * line, len, line) = LINE_AT(base, next, line);
		}
	}
	*ret = base;
	return 0;
}

void *np_bench_chase(void *p, uint64_t loads)
{
	void **q = p;

	for (uint64_t i = loads / 16; i > 0; i--) {
		q = *q; q = *q; q = *q; q = *q;
		q = *q; q = *q; q = *q; q = *q;
		q = *q; q = *q; q = *q; q = *q;
		q = *q; q = *q; q = *q; q = *q;
	}
	for (uint64_t i = loads % 16; i > 0; i--)
		q = *q;
	return q;
}

struct np_bench_mem_opts np__bench_mem_defaults(const struct np_bench_mem_opts *o)
{
	struct np_bench_mem_opts d = o ? *o : (struct np_bench_mem_opts){ 0 };

	if (!d.size)
		d.size = DEFAULT_SIZE;
	if (!d.line)
		d.line = DEFAULT_LINE;
	if (!d.trials)
		d.trials = DEFAULT_TRIALS;
	if (!d.loads)
		d.loads = DEFAULT_LOADS;
	/* a zero warmup stays 0: the latency code makes it one pass over the buffer */
	if (!d.reps)
		d.reps = DEFAULT_REPS;
	if (!d.seed)
		d.seed = DEFAULT_SEED;
	return d;
}

/* A worker thread runs the whole measurement, so pinning never touches the caller. */
struct latency_job {
	int cpu, node;
	struct np_bench_mem_opts o;
	struct np_bench_latency res;
	int r;
};

/* the sink keeps the compiler from dropping a chase whose end is otherwise unused */
static void *volatile chase_sink;

static int latency_trials(struct latency_job *job, void *start)
{
	double *ns, *tk;
	bool tsc = tsc_invariant();
	void *p = start;

	ns = calloc(job->o.trials, sizeof(*ns));
	tk = calloc(job->o.trials, sizeof(*tk));
	if (!ns || !tk) {
		free(ns);
		free(tk);
		return -ENOMEM;
	}
	/* the warm-up: by default one whole pass, so every line and page-table entry has been
	 * touched the way the timed loads touch them */
	p = np_bench_chase(p, job->o.warmup ? job->o.warmup : job->o.size / job->o.line);
	for (unsigned int t = 0; t < job->o.trials; t++) {
		uint64_t c0 = tsc_now();
		double t0 = np__bench_now_s();

		p = np_bench_chase(p, job->o.loads);
		ns[t] = (np__bench_now_s() - t0) * 1e9 / (double)job->o.loads;
		tk[t] = (double)(tsc_now() - c0) / (double)job->o.loads;
	}
	chase_sink = p;
	job->res.ns_median = np_bench_median(ns, job->o.trials);
	job->res.ns_min = ns[0];
	job->res.tsc_median = tsc ? np_bench_median(tk, job->o.trials) : NAN;
	job->res.tsc_min = tsc ? tk[0] : NAN;
	free(ns);
	free(tk);
	return 0;
}

static void *latency_thread(void *arg)
{
	struct latency_job *job = arg;
	size_t len = (size_t)job->o.size;
	void *buf = NULL, *start;
	int r;

	r = np__bench_pin_self(job->cpu);
	if (r < 0)
		goto out;
	r = np__bench_map(len, job->node, job->o.hugepages, &buf);
	if (r < 0)
		goto out;
	r = np_bench_chase_build(buf, len, job->o.line, job->o.random_block, job->o.seed, &start);
	if (r < 0)
		goto unmap;
	r = np__bench_check_node(buf, len, job->node);
	if (r < 0)
		goto unmap;
	job->res.page_size = np__bench_page_size(buf, len);
	r = latency_trials(job, start);
unmap:
	np__bench_unmap(buf, len);
out:
	job->r = r;
	return NULL;
}

int np_bench_latency(int cpu, int node, const struct np_bench_mem_opts *opts,
		     struct np_bench_latency *ret)
{
	struct latency_job job = { .cpu = cpu, .node = node, .o = np__bench_mem_defaults(opts) };
	int r;

	if (cpu < 0 || node < -1 || job.o.size > SIZE_MAX || job.o.size / job.o.line < 2)
		return -EINVAL;
	r = np__bench_run_thread(latency_thread, &job);
	if (r < 0)
		return r;
	if (job.r < 0)
		return job.r;
	job.res.size = job.o.size / job.o.line * job.o.line;
	job.res.loads = job.o.loads;
	job.res.trials = job.o.trials;
	*ret = job.res;
	return 0;
}
