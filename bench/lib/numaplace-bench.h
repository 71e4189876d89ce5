/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace-bench.h - memory latency/bandwidth and core-to-core measurements: the internal
 * library behind `numaplace bench` (build/libnumaplace-bench.a, built from bench/lib).  Not
 * installed and not part of libnumaplace: it is linked into the numaplace binary and its unit
 * test only, and none of its symbols is exported.  Its functions follow the conventions of
 * <numaplace.h> (0 or -errno, outputs written only on success, nothing printed).
 */
#ifndef NUMAPLACE_BENCH_H
#define NUMAPLACE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <numaplace/cpuset.h>

/*
 * Measurements that show what placement buys.  Every function that pins runs its work in
 * threads (or a child process) of its own, so the caller's affinity and memory policy are
 * left as they were.  Figures are in nanoseconds and in MB/s with MB = 10^6 bytes.
 *
 * Bandwidth kernels stream doubles as STREAM does and count bytes as STREAM counts them:
 * each element read or written once, the write-allocate read of a store's line not counted.
 *  read   s += a[i]              8 bytes per element   (likwid-bench load_avx)
 *  copy   b[i] = a[i]           16 bytes per element   (likwid-bench copy_avx)
 *  triad  a[i] = b[i] + q*c[i]  24 bytes per element   (likwid-bench stream_avx)
 */
enum np_bench_kernel {
	NP_BENCH_READ,
	NP_BENCH_COPY,
	NP_BENCH_TRIAD,
};
#define NP_BENCH_NKERNELS 3

/** np_bench_kernel_name() - "read", "copy", "triad"; NULL for an unknown kernel. */
const char *np_bench_kernel_name(enum np_bench_kernel k);
/** np_bench_kernel_arrays() - how many arrays @k streams (1, 2, 3); 0 for an unknown kernel. */
unsigned int np_bench_kernel_arrays(enum np_bench_kernel k);
/** np_bench_kernel_bytes() - bytes one pass of @k over @n elements moves, as STREAM counts. */
uint64_t np_bench_kernel_bytes(enum np_bench_kernel k, uint64_t n);

/**
 * np_bench_kernel_run() - one pass of @k over @n doubles of the arrays it uses.
 * @a, @b, @c: 32-byte aligned arrays of @n doubles (read uses @a; copy @a and @b; triad all
 *             three, writing @a).  @n is rounded down to a multiple of 16.
 *
 * Uses 256-bit AVX loads and ordinary (temporal) stores when the CPU has AVX, as the
 * likwid-bench *_avx kernels do.  Return: the read kernel's sum (so it cannot be elided), 0
 * for the others.
 */
double np_bench_kernel_run(enum np_bench_kernel k, double *a, double *b, double *c, size_t n);

/**
 * np_bench_chase_build() - write a pointer chase into @buf: one pointer per line, at the
 * line's start, linking every line into a single random cycle (Sattolo's algorithm), so
 * that following the pointers from the returned start visits every line exactly once before
 * coming back.
 * @buf: the buffer, aligned to @line.
 * @size: its length in bytes; size / line lines are used.
 * @line: the line size (a power of two >= sizeof(void *)), normally the cache line.
 * @block: 0 for one cycle over the whole buffer; otherwise bytes (a multiple of @line): the
 *         order is random inside each block and the blocks follow each other, which bounds
 *         TLB misses (as Intel MLC's random-in-block mode does).
 * @seed: the random seed (same seed, same cycle).
 * @ret: receives the first line's address.
 *
 * Return: 0, or -EINVAL for a bad line, block or alignment, or fewer than 2 lines.
 */
int np_bench_chase_build(void *buf, size_t size, size_t line, size_t block, uint64_t seed,
			 void **ret);

/** np_bench_chase() - follow @loads pointers from @p; returns where it stopped. */
void *np_bench_chase(void *p, uint64_t loads);

/* Options shared by the memory measurements; zero fields take the defaults in brackets. */
struct np_bench_mem_opts {
	uint64_t size;         /* bytes: the chase buffer; the whole bandwidth working set,
				* all arrays and threads together, as likwid-bench -w [1 GiB] */
	size_t line;           /* cache line bytes [64] */
	size_t random_block;   /* latency: random inside blocks of this size [0: whole buffer] */
	unsigned int trials;   /* latency trials [5] */
	uint64_t loads;        /* loads timed per latency trial [10^7] */
	uint64_t warmup;       /* untimed loads before the trials [one pass: size / line] */
	unsigned int reps;     /* bandwidth repetitions counted, after one untimed [10] */
	bool hugepages;        /* madvise(MADV_HUGEPAGE) (THP) instead of 4 KiB pages */
	uint64_t seed;         /* chase seed [a fixed constant] */
};

struct np_bench_latency {
	double ns_min, ns_median;   /* per load */
	double tsc_min, tsc_median; /* TSC ticks per load; NaN without an invariant TSC */
	size_t page_size;           /* the page size that backs most of the buffer */
	uint64_t size;              /* bytes chased */
	uint64_t loads;             /* per trial */
	unsigned int trials;
};

/**
 * np_bench_latency() - idle load-to-use latency from @cpu to memory on @node.
 * @cpu: the CPU the chasing thread is pinned to.
 * @node: the node the buffer is bound to (-1: no binding, first touch).
 * @opts: options, NULL for all defaults.
 * @ret: the result.
 *
 * The buffer is mapped, bound, pre-faulted and checked page by page to be on @node before a
 * warm-up pass; then each trial times opts->loads dependent loads on the monotonic clock.
 *
 * Return: 0; -EINVAL bad options; -ENOMEM; -EIO when pages did not land on @node; the
 * errors of pinning and binding (-EINVAL, -EPERM, -ENOSYS ...).
 */
int np_bench_latency(int cpu, int node, const struct np_bench_mem_opts *opts,
		     struct np_bench_latency *ret);

struct np_bench_bandwidth {
	double mb_per_s_best;  /* MB/s (10^6) of the fastest repetition */
	double mb_per_s_avg;   /* mean over the counted repetitions */
	uint64_t bytes;        /* bytes one repetition moves, all threads */
	unsigned int threads;
	unsigned int reps;
	size_t page_size;
	/* the bytes of all counted repetitions over the slowest thread's own time summed over
	 * them, without the waits at the barrier: the figure likwid-bench reports */
	double mb_per_s_sustained;
};

/**
 * np_bench_bandwidth() - bandwidth of kernel @k run by one thread on each CPU of @cpus with
 * memory on @node.
 * @cpus: the CPUs, one pinned thread each; every thread streams a private chunk.
 * @node: the node the arrays are bound to (-1: first touch by each thread).
 * @k: the kernel.
 * @opts: options, NULL for all defaults (size is the total over arrays and threads).
 * @ret: the result.
 *
 * Each repetition starts at a barrier and lasts until the slowest thread finishes.  The
 * first repetition is not counted.
 *
 * Return: 0; -EINVAL bad options (empty @cpus, size too small for the threads); -ENOMEM;
 * -EIO when pages did not land on @node; the errors of pinning and binding.
 */
int np_bench_bandwidth(const struct np_cpuset *cpus, int node, enum np_bench_kernel k,
		       const struct np_bench_mem_opts *opts, struct np_bench_bandwidth *ret);

/**
 * np_bench_colfill() - bench local-remote's measure: fill an @n x @n int matrix column by column
 * (a stride of a row per store) from @cpu with the matrix on @node (-1: first touch).
 * @trials: how many fills; @ret receives the fastest, in seconds.
 *
 * Return: 0; -EINVAL (n or trials 0); -ENOMEM; -EIO; the errors of pinning and binding.
 */
int np_bench_colfill(int cpu, int node, unsigned int n, unsigned int trials, double *ret);

/**
 * np_bench_c2c() - core-to-core latency between @cpu_a and @cpu_b: two pinned threads hand a
 * cache line back and forth with compare-and-swap, @roundtrips times per trial.
 * @ret: the median over @trials of (trial time / roundtrips / 2) in ns: one hand-off.
 *
 * Return: 0; -EINVAL (@cpu_a == @cpu_b, zero counts); -EAGAIN (cannot create threads); the
 * errors of pinning.
 */
int np_bench_c2c(int cpu_a, int cpu_b, unsigned int roundtrips, unsigned int trials, double *ret);

struct np_bench_spin {
	double seconds;           /* wall time of the loop */
	long long migrations;     /* CPU changes of the thread (se.nr_migrations); -1 unknown */
	long long nivcsw, nvcsw;  /* involuntary / voluntary context switches (getrusage) */
	double wait_seconds;      /* time runnable but waiting for a CPU (schedstat); NaN unknown */
};

/**
 * np_bench_spin() - bench affinity's compute loop: @iterations increments in a fresh thread,
 * pinned to @cpu or, with @cpu -1, left where the scheduler puts it.
 * @ret: the result.
 * Return: 0; -EINVAL (@iterations 0); -EAGAIN; the errors of pinning.
 */
int np_bench_spin(int cpu, uint64_t iterations, struct np_bench_spin *ret);

/**
 * np_bench_noise_start() - start a competing load: a child process spinning on @cpu.
 * @ret: receives its pid, to give to np_bench_noise_stop().
 * Return: 0; the errors of fork(2) and of pinning.
 */
int np_bench_noise_start(int cpu, pid_t *ret);
/** np_bench_noise_stop() - kill and reap the load of np_bench_noise_start(); 0 or -errno. */
int np_bench_noise_stop(pid_t pid);

/** np_bench_median() - the median of @n > 0 values; sorts @v in place. */
double np_bench_median(double *v, unsigned int n);

#endif /* NUMAPLACE_BENCH_H */
