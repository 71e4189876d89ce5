/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-memory.c - memory latency (pointer chase) and bandwidth (STREAM-style kernels)
 * from a chosen CPU to a chosen node, and the seed's column-order fill.
 *
 * Terminology:
 *  line      a cache line: the unit the chase touches once per load (64 bytes by default).
 *  chase     a buffer in which every line holds the address of the next line to load, so
 *            each load depends on the previous one and hardware prefetchers cannot help.
 *  cycle     the chase's order: Sattolo's shuffle makes one cycle through every line, so a
 *            walk of n loads over n lines touches each line exactly once.
 *  block     with random_block, the chase is random inside each block and the blocks are
 *            walked in address order: TLB misses are bounded by one per block.
 *  kernel    one pass of read, copy or triad over a thread's private chunk of the arrays.
 *  rep       one timed run of a kernel by all threads: from the barrier that starts them to
 *            the end of the slowest one.
 *  MB        10^6 bytes, as STREAM and likwid-bench count.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define HAVE_TSC 1
#endif

#include "internal.h"

#define DEFAULT_SIZE (1ull << 30)
#define DEFAULT_LINE 64
#define DEFAULT_TRIALS 5
#define DEFAULT_LOADS 10000000ull
#define DEFAULT_REPS 10
#define DEFAULT_SEED 0x6e756d61706c6163ull /* "numaplac" */
#define THP_SIZE (2ul << 20)
#define KERNEL_STEP 16 /* doubles per unrolled step: four 256-bit vectors, two lines */

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- placement: the affinity and mempolicy modules do the system calls ---- */

/* a negative @cpu leaves the thread where the scheduler puts it */
static int pin_self(int cpu)
{
	return cpu < 0 ? 0 : np__bench_pin(0, cpu);
}

/*
 * Map @len bytes for the buffers: on @node when it is >= 0 (a bind policy set before any page
 * exists, so first touch cannot put pages elsewhere), with THP asked for or forbidden so the
 * page size is the one requested whatever the system's THP default.  Not touched yet: the
 * threads that use the memory fault it in.
 */
static int map_buffer(size_t len, int node, bool thp, void **ret)
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

static void unmap_buffer(void *p, size_t len)
{
	np_alloc_free(p, len);
}

/* Every page of [p, p+len) on @node, asked of the kernel (move_pages) before timing. */
static int check_node(const void *p, size_t len, int node)
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
static size_t backing_page_size(const void *p, size_t len)
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

static struct np_bench_mem_opts with_defaults(const struct np_bench_mem_opts *o)
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
	job->res.ns_median = median(ns, job->o.trials);
	job->res.ns_min = ns[0];
	job->res.tsc_median = tsc ? median(tk, job->o.trials) : NAN;
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

	r = pin_self(job->cpu);
	if (r < 0)
		goto out;
	r = map_buffer(len, job->node, job->o.hugepages, &buf);
	if (r < 0)
		goto out;
	r = np_bench_chase_build(buf, len, job->o.line, job->o.random_block, job->o.seed, &start);
	if (r < 0)
		goto unmap;
	r = check_node(buf, len, job->node);
	if (r < 0)
		goto unmap;
	job->res.page_size = backing_page_size(buf, len);
	r = latency_trials(job, start);
unmap:
	unmap_buffer(buf, len);
out:
	job->r = r;
	return NULL;
}

int np_bench_latency(int cpu, int node, const struct np_bench_mem_opts *opts,
		     struct np_bench_latency *ret)
{
	struct latency_job job = { .cpu = cpu, .node = node, .o = with_defaults(opts) };
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

static double run_base(enum np_bench_kernel k, double *a, double *b, double *c, size_t n)
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
	return run_base(k, a, b, c, n);
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
	sh->err[w->idx] = pin_self(w->cpu);
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
		r = check_node(sh->arr[i], sh->chunk * sh->nthreads * sizeof(double), sh->node);
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
		r = map_buffer(len, sh->node, o->hugepages, (void **)&sh->arr[i]);
	return r;
}

static void bw_free(struct bw_shared *sh)
{
	size_t len = sh->chunk * sh->nthreads * sizeof(double);

	for (unsigned int i = 0; i < 3; i++)
		unmap_buffer(sh->arr[i], len);
	free(sh->start);
	free(sh->end);
	free(sh->err);
}

int np_bench_bandwidth(const struct np_cpuset *cpus, int node, enum np_bench_kernel k,
		       const struct np_bench_mem_opts *opts, struct np_bench_bandwidth *ret)
{
	struct np_bench_mem_opts o = with_defaults(opts);
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
	res.page_size = backing_page_size(sh.arr[0], sh.chunk * sh.nthreads * sizeof(double));
	bw_result(&sh, &res);
	*ret = res;
free_all:
	bw_free(&sh);
	return r;
}

/* ---- the seed's column-order fill ---- */

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

	r = pin_self(job->cpu);
	if (r == 0)
		r = map_buffer(len, job->node, false, (void **)&m);
	if (r == 0) {
		memset(m, 0, len);
		r = check_node(m, len, job->node);
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
	unmap_buffer(m, len);
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
