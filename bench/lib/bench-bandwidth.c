/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-bandwidth.c - memory bandwidth (STREAM-style kernels) of threads on chosen CPUs to a
 * chosen node, and a column-order fill (bench local-remote).
 *
 * Terminology:
 *  kernel    one pass of read, copy or triad over a thread's private chunk of the arrays.
 *  rep       one timed run of a kernel by all threads: from the barrier that starts them to
 *            the end of the slowest one.
 *  MB        10^6 bytes, as STREAM and likwid-bench count.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_TSC 1 /* x86: the AVX kernels and the CPUID probe that picks them */
#endif

#include "bench-internal.h"

#define KERNEL_STEP 16 /* doubles per unrolled step: four 256-bit vectors, two lines */

/* ---- bandwidth kernels ---- */

static const char *const kernel_names[NP_BENCH_NKERNELS] = { "read", "copy", "triad" };
static const unsigned int kernel_arrays[NP_BENCH_NKERNELS] = { 1, 2, 3 };

const char *np_bench_kernel_name(enum np_bench_kernel k)
{
	return (unsigned int)k < NP_BENCH_NKERNELS ? kernel_names[k] : NULL;
}

unsigned int np_bench_kernel_arrays(enum np_bench_kernel k)
{
	return (unsigned int)k < NP_BENCH_NKERNELS ? kernel_arrays[k] : 0;
}

/* STREAM's count: each array element read or written once, 8 bytes a double; the line a
 * store reads first (write-allocate) is traffic too, but STREAM and likwid leave it out. */
uint64_t np_bench_kernel_bytes(enum np_bench_kernel k, uint64_t n)
{
	return (uint64_t)np_bench_kernel_arrays(k) * sizeof(double) * n;
}

/*
 * The kernels are written with vector types so that every compiler emits full-width loads
 * and stores at any -O level, and instantiated twice: for the baseline ISA and for AVX,
 * picked at run time.  The empty asm with a memory clobber in the copy and triad loops stops
 * the compiler from turning them into memcpy (whose large-size path uses non-temporal stores,
 * which the likwid twins do not).
 */
typedef double v4d __attribute__((vector_size(32)));

static inline __attribute__((always_inline)) double read_body(const double *restrict a,
							       size_t n)
{
	const v4d *va = (const v4d *)a;
	v4d s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };

	for (size_t i = 0; i < n / 4; i += 4) {
		s0 += va[i];
		s1 += va[i + 1];
		s2 += va[i + 2];
		s3 += va[i + 3];
	}
	s0 += s1 + s2 + s3;
	return s0[0] + s0[1] + s0[2] + s0[3];
}

static inline __attribute__((always_inline)) void copy_body(double *restrict b,
							     const double *restrict a, size_t n)
{
	const v4d *va = (const v4d *)a;
	v4d *vb = (v4d *)b;

	for (size_t i = 0; i < n / 4; i += 4) {
		vb[i] = va[i];
		vb[i + 1] = va[i + 1];
		vb[i + 2] = va[i + 2];
		vb[i + 3] = va[i + 3];
		__asm__ volatile("" ::: "memory");
	}
}

static inline __attribute__((always_inline)) void triad_body(double *restrict a,
							      const double *restrict b,
							      const double *restrict c, double q,
							      size_t n)
{
	const v4d *vb = (const v4d *)b, *vc = (const v4d *)c;
	v4d *va = (v4d *)a;

	for (size_t i = 0; i < n / 4; i += 4) {
		va[i] = vb[i] + q * vc[i];
		va[i + 1] = vb[i + 1] + q * vc[i + 1];
		va[i + 2] = vb[i + 2] + q * vc[i + 2];
		va[i + 3] = vb[i + 3] + q * vc[i + 3];
		__asm__ volatile("" ::: "memory");
	}
}

/* one kernel; inlined into run_avx() below, so that its loops are compiled for AVX there */
static inline __attribute__((always_inline)) double run_kernel(enum np_bench_kernel k, double *a,
							       double *b, double *c, size_t n)
{
	switch (k) {
	case NP_BENCH_READ:
		return read_body(a, n);
	case NP_BENCH_COPY:
		copy_body(b, a, n);
		return 0;
	case NP_BENCH_TRIAD:
		triad_body(a, b, c, 3.0, n);
		return 0;
	}
	return 0;
}

#ifdef HAVE_TSC
__attribute__((target("avx"))) static double run_avx(enum np_bench_kernel k, double *a,
						    double *b, double *c, size_t n)
{
	return run_kernel(k, a, b, c, n);
}
#endif

#ifdef HAVE_TSC
/*
 * Whether the CPU has AVX and the kernel saves the YMM registers (CPUID.1 ECX AVX and OSXSAVE,
 * XCR0 SSE and AVX state).  Asked here, when a kernel first runs, rather than through
 * __builtin_cpu_supports: that links libgcc's CPU probe as a constructor into every program,
 * a dozen CPUID instructions at each start, and each one traps to the hypervisor in a VM.
 */
static bool have_avx(void)
{
	static int known; /* 0 not asked, 1 no, 2 yes; asking twice gives the same answer */
	int v = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (v == 0) {
		unsigned int a, b, c, d, lo = 0, hi = 0;
		bool yes = false;

		if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 27)) && (c & (1u << 28))) {
			__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
			yes = (lo & 6) == 6;
		}
		v = yes ? 2 : 1;
		__atomic_store_n(&known, v, __ATOMIC_RELAXED);
	}
	return v == 2;
}
#endif

double np_bench_kernel_run(enum np_bench_kernel k, double *a, double *b, double *c, size_t n)
{
	n -= n % KERNEL_STEP;
#ifdef HAVE_TSC
	if (have_avx())
		return run_avx(k, a, b, c, n);
#endif
	return run_kernel(k, a, b, c, n);
}

/* ---- bandwidth: threads, barrier, slowest thread ---- */

struct bw_shared {
	enum np_bench_kernel k;
	double *arr[3];       /* each array, the threads' chunks one after the other */
	size_t chunk;         /* doubles per thread per array, a multiple of KERNEL_STEP */
	unsigned int nthreads, runs;
	int node;
	pthread_barrier_t bar;
	/* the gate: threads wait on it until all of them exist (1) or one failed to start (-1),
	 * since a barrier cannot be waited on by fewer threads than it was made for */
	pthread_mutex_t gate_mu;
	pthread_cond_t gate_cv;
	int gate;
	bool stop;            /* set before the first timed run when setup failed */
	double *start, *end;  /* [run * nthreads + thread] */
	int *err;
};

struct bw_worker {
	struct bw_shared *sh;
	unsigned int idx;
	int cpu;
	pthread_t th;
};

static volatile double kernel_sink;

static void *bw_thread(void *arg)
{
	struct bw_worker *w = arg;
	struct bw_shared *sh = w->sh;
	double *p[3] = { NULL, NULL, NULL };
	unsigned int na = np_bench_kernel_arrays(sh->k);
	int gate;

	pthread_mutex_lock(&sh->gate_mu);
	while (sh->gate == 0)
		pthread_cond_wait(&sh->gate_cv, &sh->gate_mu);
	gate = sh->gate;
	pthread_mutex_unlock(&sh->gate_mu);
	if (gate < 0)
		return NULL;
	sh->err[w->idx] = np__bench_pin_self(w->cpu);
	for (unsigned int i = 0; i < na; i++) {
		p[i] = sh->arr[i] + (size_t)w->idx * sh->chunk;
		/* first touch by the thread that streams it: on a bound mapping the policy decides
		 * the node anyway, unbound this puts the chunk on the thread's node */
		for (size_t j = 0; j < sh->chunk; j++)
			p[i][j] = 1.0 + (double)i;
	}
	pthread_barrier_wait(&sh->bar); /* everything faulted in; main checks placement */
	for (unsigned int run = 0; run < sh->runs; run++) {
		size_t slot = (size_t)run * sh->nthreads + w->idx;

		pthread_barrier_wait(&sh->bar);
		if (sh->stop)
			continue;
		sh->start[slot] = np__bench_now_s();
		kernel_sink = np_bench_kernel_run(sh->k, p[0], p[1], p[2], sh->chunk);
		sh->end[slot] = np__bench_now_s();
	}
	pthread_barrier_wait(&sh->bar);
	return NULL;
}

/*
 * Best and average are over repetitions, each timed from the first thread's start to the
 * last thread's end (STREAM's way).  Sustained is likwid-bench's way: each thread's own
 * kernel time summed over the counted repetitions, the slowest thread's sum against all the
 * bytes.  On a loaded machine a stall of any one thread lengthens a repetition, so the
 * average falls further than the sustained figure, which only counts each thread's stalls
 * once; the two agree when the threads are undisturbed.
 */
static void bw_result(struct bw_shared *sh, struct np_bench_bandwidth *res)
{
	double best = 0, sum = 0, slowest = 0;

	/* run 0 warms caches, TLBs and frequency and is not counted */
	for (unsigned int run = 1; run < sh->runs; run++) {
		double t0 = INFINITY, t1 = 0, mbs;

		for (unsigned int t = 0; t < sh->nthreads; t++) {
			size_t slot = (size_t)run * sh->nthreads + t;

			t0 = fmin(t0, sh->start[slot]);
			t1 = fmax(t1, sh->end[slot]);
		}
		mbs = (double)res->bytes / (t1 - t0) / 1e6;
		best = fmax(best, mbs);
		sum += mbs;
	}
	for (unsigned int t = 0; t < sh->nthreads; t++) {
		double own = 0;

		for (unsigned int run = 1; run < sh->runs; run++) {
			size_t slot = (size_t)run * sh->nthreads + t;

			own += sh->end[slot] - sh->start[slot];
		}
		slowest = fmax(slowest, own);
	}
	res->mb_per_s_best = best;
	res->mb_per_s_avg = sum / (sh->runs - 1);
	res->mb_per_s_sustained = (double)res->bytes * (sh->runs - 1) / slowest / 1e6;
}

static int bw_threads(struct bw_shared *sh, const struct np_cpuset *cpus)
{
	struct bw_worker *w = calloc(sh->nthreads, sizeof(*w));
	unsigned int started = 0;
	int r = 0;

	if (!w)
		return -ENOMEM;
	np_cpuset_foreach(cpu, cpus) {
		w[started] = (struct bw_worker){ .sh = sh, .idx = started, .cpu = cpu };
		r = -pthread_create(&w[started].th, NULL, bw_thread, &w[started]);
		if (r < 0)
			break;
		started++;
	}
	pthread_mutex_lock(&sh->gate_mu);
	sh->gate = started < sh->nthreads ? -1 : 1;
	pthread_cond_broadcast(&sh->gate_cv);
	pthread_mutex_unlock(&sh->gate_mu);
	if (started < sh->nthreads) {
		for (unsigned int i = 0; i < started; i++)
			pthread_join(w[i].th, NULL);
		free(w);
		return r;
	}
	pthread_barrier_wait(&sh->bar);
	for (unsigned int i = 0; i < sh->nthreads && r == 0; i++)
		r = sh->err[i];
	for (unsigned int i = 0; i < np_bench_kernel_arrays(sh->k) && r == 0; i++)
		r = np__bench_check_node(sh->arr[i], sh->chunk * sh->nthreads * sizeof(double),
					  sh->node);
	/* the barrier that starts the first run publishes it */
	sh->stop = r < 0;
	for (unsigned int run = 0; run <= sh->runs; run++)
		pthread_barrier_wait(&sh->bar);
	for (unsigned int i = 0; i < sh->nthreads; i++)
		pthread_join(w[i].th, NULL);
	free(w);
	return r;
}

static int bw_alloc(struct bw_shared *sh, const struct np_bench_mem_opts *o)
{
	unsigned int na = np_bench_kernel_arrays(sh->k);
	size_t len = sh->chunk * sh->nthreads * sizeof(double);
	int r = 0;

	sh->start = calloc((size_t)sh->runs * sh->nthreads, sizeof(double));
	sh->end = calloc((size_t)sh->runs * sh->nthreads, sizeof(double));
	sh->err = calloc(sh->nthreads, sizeof(int));
	if (!sh->start || !sh->end || !sh->err)
		return -ENOMEM;
	for (unsigned int i = 0; i < na && r == 0; i++)
		r = np__bench_map(len, sh->node, o->hugepages, (void **)&sh->arr[i]);
	return r;
}

static void bw_free(struct bw_shared *sh)
{
	size_t len = sh->chunk * sh->nthreads * sizeof(double);

	for (unsigned int i = 0; i < 3; i++)
		np__bench_unmap(sh->arr[i], len);
	free(sh->start);
	free(sh->end);
	free(sh->err);
}

int np_bench_bandwidth(const struct np_cpuset *cpus, int node, enum np_bench_kernel k,
		       const struct np_bench_mem_opts *opts, struct np_bench_bandwidth *ret)
{
	struct np_bench_mem_opts o = np__bench_mem_defaults(opts);
	struct bw_shared sh = { .k = k, .node = node };
	struct np_bench_bandwidth res = { 0 };
	int r;

	if (!cpus || np_cpuset_empty(cpus) || !np_bench_kernel_name(k) || node < -1)
		return -EINVAL;
	sh.nthreads = np_cpuset_weight(cpus);
	sh.runs = o.reps + 1;
	/* the working set is split as likwid-bench -w splits it: equally over arrays, then threads */
	sh.chunk = (size_t)(o.size / np_bench_kernel_arrays(k) / sizeof(double) / sh.nthreads);
	sh.chunk -= sh.chunk % KERNEL_STEP;
	if (sh.chunk == 0)
		return -EINVAL;
	r = bw_alloc(&sh, &o);
	if (r < 0)
		goto free_all;
	r = -pthread_barrier_init(&sh.bar, NULL, sh.nthreads + 1);
	if (r < 0)
		goto free_all;
	pthread_mutex_init(&sh.gate_mu, NULL);
	pthread_cond_init(&sh.gate_cv, NULL);
	r = bw_threads(&sh, cpus);
	pthread_cond_destroy(&sh.gate_cv);
	pthread_mutex_destroy(&sh.gate_mu);
	pthread_barrier_destroy(&sh.bar);
	if (r < 0)
		goto free_all;
	res.bytes = np_bench_kernel_bytes(k, (uint64_t)sh.chunk * sh.nthreads);
	res.threads = sh.nthreads;
	res.reps = o.reps;
	res.page_size = np__bench_page_size(sh.arr[0], sh.chunk * sh.nthreads * sizeof(double));
	bw_result(&sh, &res);
	*ret = res;
free_all:
	bw_free(&sh);
	return r;
}

/* ---- the column-order fill of bench local-remote ---- */

struct colfill_job {
	int cpu, node;
	unsigned int n, trials;
	double best;
	int r;
};

static volatile int colfill_sink;

static void *colfill_thread(void *arg)
{
	struct colfill_job *job = arg;
	size_t len = (size_t)job->n * job->n * sizeof(int);
	int *m = NULL;
	int r;

	r = np__bench_pin_self(job->cpu);
	if (r == 0)
		r = np__bench_map(len, job->node, false, (void **)&m);
	if (r == 0) {
		memset(m, 0, len);
		r = np__bench_check_node(m, len, job->node);
	}
	job->best = INFINITY;
	for (unsigned int t = 0; r == 0 && t < job->trials; t++) {
		double t0 = np__bench_now_s();

		/* column order over row-major storage: each store a row (n ints) past the last */
		for (unsigned int j = 0; j < job->n; j++)
			for (unsigned int i = 0; i < job->n; i++)
				m[(size_t)i * job->n + j] = (int)(i + j + t);
		__asm__ volatile("" ::: "memory");
		job->best = fmin(job->best, np__bench_now_s() - t0);
	}
	if (m)
		colfill_sink = m[job->n - 1];
	np__bench_unmap(m, len);
	job->r = r;
	return NULL;
}

int np_bench_colfill(int cpu, int node, unsigned int n, unsigned int trials, double *ret)
{
	struct colfill_job job = { .cpu = cpu, .node = node, .n = n, .trials = trials };
	int r;

	if (!n || !trials || node < -1 || n > 65535)
		return -EINVAL;
	r = np__bench_run_thread(colfill_thread, &job);
	if (r < 0)
		return r;
	if (job.r < 0)
		return job.r;
	*ret = job.best;
	return 0;
}
