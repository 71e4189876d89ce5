/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-bench.c - the bench module's correctness at tiny sizes: the chase is one cycle through
 * every line, the kernels compute and count what STREAM does, and the measurements run,
 * return sane shapes and leave the caller's affinity alone.  No timing is asserted.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "numaplace.h"
#include "numaplace-bench.h"
#include "tap.h"

/* Walk the chase from @start: every line visited once, back at @start after exactly n loads. */
static int walk_is_one_cycle(char *buf, size_t n, size_t line, void *start, size_t block)
{
	unsigned char *seen = calloc(n, 1);
	void *p = start;
	int good = seen != NULL;
	size_t per_block = block ? block / line : n;

	for (size_t i = 0; good && i < n; i++) {
		size_t idx = (size_t)((char *)p - buf) / line;

		if ((char *)p < buf || idx >= n || (size_t)((char *)p - buf) % line || seen[idx])
			good = 0;
		/* in block mode the walk finishes one block before entering the next */
		else if (block && idx / per_block != i / per_block)
			good = 0;
		else
			seen[idx] = 1;
		p = good ? *(void **)p : p;
	}
	good = good && p == start;
	free(seen);
	return good;
}

static void test_chase(void)
{
	const size_t line = 64, n = 1000;
	char *buf = aligned_alloc(64, n * line);
	void *start = NULL, *keep = (void *)&start;
	void *first_next;
	int r;

	if (!buf)
		bail_out("out of memory");
	r = np_bench_chase_build(buf, n * line, line, 0, 1, &start);
	is_int(r, 0, "chase: build over 1000 lines");
	ok(start == buf, "chase: starts at the first line");
	ok(walk_is_one_cycle(buf, n, line, start, 0), "chase: every line visited exactly once");
	ok(np_bench_chase(start, n) == start, "chase: n loads come back to the start");
	ok(np_bench_chase(start, 1) == *(void **)start, "chase: one load follows one pointer");
	first_next = *(void **)buf;
	np_bench_chase_build(buf, n * line, line, 0, 1, &start);
	ok(*(void **)buf == first_next, "chase: the same seed gives the same cycle");
	np_bench_chase_build(buf, n * line, line, 0, 2, &start);
	ok(*(void **)buf != first_next || *(void **)(buf + line) != first_next,
	   "chase: another seed gives another cycle");

	r = np_bench_chase_build(buf, n * line, line, 8 * line, 3, &start);
	is_int(r, 0, "chase: random in blocks of 8 lines, 1000 lines (a short last block)");
	ok(walk_is_one_cycle(buf, n, line, start, 8 * line),
	   "chase: blocks walked in order, each line once");
	r = np_bench_chase_build(buf, n * line, line, line, 3, &start);
	ok(r == 0 && walk_is_one_cycle(buf, n, line, start, line),
	   "chase: blocks of one line are a sequential walk");
	r = np_bench_chase_build(buf, 2 * line + 10, line, 0, 4, &start);
	ok(r == 0 && walk_is_one_cycle(buf, 2, line, start, 0), "chase: two lines, tail ignored");

	start = keep;
	is_int(np_bench_chase_build(buf, n * line, 48, 0, 1, &start), -EINVAL,
	       "chase: a line that is not a power of two is -EINVAL");
	is_int(np_bench_chase_build(buf + 8, n * line - 64, line, 0, 1, &start), -EINVAL,
	       "chase: an unaligned buffer is -EINVAL");
	is_int(np_bench_chase_build(buf, line, line, 0, 1, &start), -EINVAL,
	       "chase: one line is -EINVAL");
	is_int(np_bench_chase_build(buf, n * line, line, 100, 1, &start), -EINVAL,
	       "chase: a block that is not whole lines is -EINVAL");
	ok(start == keep, "chase: failures leave the output alone");
	free(buf);
}

static void test_kernels(void)
{
	const size_t n = 1024 + 5; /* a tail that the kernels leave alone */
	double *a, *b, *c, sum;
	int good = 1;

	is_str(np_bench_kernel_name(NP_BENCH_READ), "read", "kernel name: read");
	is_str(np_bench_kernel_name(NP_BENCH_COPY), "copy", "kernel name: copy");
	is_str(np_bench_kernel_name(NP_BENCH_TRIAD), "triad", "kernel name: triad");
	ok(np_bench_kernel_name((enum np_bench_kernel)7) == NULL, "kernel name: unknown is NULL");
	is_int(np_bench_kernel_bytes(NP_BENCH_READ, 1000), 8000, "bytes: read counts 8 per element");
	is_int(np_bench_kernel_bytes(NP_BENCH_COPY, 1000), 16000,
	       "bytes: copy counts 16 per element (no write-allocate)");
	is_int(np_bench_kernel_bytes(NP_BENCH_TRIAD, 1000), 24000,
	       "bytes: triad counts 24 per element (no write-allocate)");

	/* aligned_alloc wants a size that is a multiple of the alignment */
	a = aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64);
	b = aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64);
	c = aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64);
	if (!a || !b || !c)
		bail_out("out of memory");
	for (size_t i = 0; i < n; i++) {
		a[i] = (double)i;
		b[i] = -1;
		c[i] = 2;
	}
	sum = np_bench_kernel_run(NP_BENCH_READ, a, b, c, n);
	ok(sum == 1023.0 * 1024 / 2, "read: sums the first 1024 elements (%g)", sum);
	np_bench_kernel_run(NP_BENCH_COPY, a, b, c, n);
	for (size_t i = 0; i < n; i++)
		good &= b[i] == (i < 1024 ? (double)i : -1);
	ok(good, "copy: b = a over whole steps, the tail untouched");
	np_bench_kernel_run(NP_BENCH_TRIAD, a, b, c, n);
	good = 1;
	for (size_t i = 0; i < n; i++)
		good &= a[i] == (i < 1024 ? (double)i + 3 * 2 : (double)i);
	ok(good, "triad: a = b + 3 c");
	free(a);
	free(b);
	free(c);
}

static struct np_cpuset *cpus_of(const char *list)
{
	struct np_cpuset *set;

	if (np_cpuset_new(CPU_SETSIZE, &set) < 0 || np_cpuset_parse_list(set, list, NULL) < 0)
		bail_out("cpuset");
	return set;
}

static bool affinity_is(const cpu_set_t *want)
{
	cpu_set_t now;

	return sched_getaffinity(0, sizeof(now), &now) == 0 && CPU_EQUAL(&now, want);
}

static void test_bandwidth(int cpu)
{
	struct np_bench_mem_opts o = { .size = 3 * 8 * 16 * 10 + 100, .reps = 2 };
	struct np_bench_bandwidth bw = { 0 }, keep;
	struct np_cpuset *one, *none;
	char name[32];
	int r;

	snprintf(name, sizeof(name), "%d", cpu);
	one = cpus_of(name);
	none = cpus_of("");
	for (int k = 0; k < NP_BENCH_NKERNELS; k++) {
		unsigned int na = np_bench_kernel_arrays((enum np_bench_kernel)k);
		/* the size splits over arrays, then threads, then rounds down to 16 doubles */
		uint64_t n = (o.size / na / 8) / 16 * 16;

		r = np_bench_bandwidth(one, -1, (enum np_bench_kernel)k, &o, &bw);
		is_int(r, 0, "bandwidth %s: runs at a tiny size", np_bench_kernel_name(k));
		is_int(bw.bytes, np_bench_kernel_bytes((enum np_bench_kernel)k, n),
		       "bandwidth %s: bytes per repetition as STREAM counts", np_bench_kernel_name(k));
		ok(bw.mb_per_s_best >= bw.mb_per_s_avg && bw.mb_per_s_avg > 0,
		   "bandwidth %s: best >= average > 0", np_bench_kernel_name(k));
		/* one thread: the sustained figure is the time-weighted mean of the repetitions,
		 * never above their plain mean */
		ok(bw.mb_per_s_sustained > 0 && bw.mb_per_s_sustained <= bw.mb_per_s_avg * (1 + 1e-9),
		   "bandwidth %s: one thread: average >= sustained > 0", np_bench_kernel_name(k));
		ok(bw.threads == 1 && bw.reps == 2, "bandwidth %s: threads and reps reported",
		   np_bench_kernel_name(k));
	}
	keep = bw;
	is_int(np_bench_bandwidth(none, -1, NP_BENCH_READ, &o, &bw), -EINVAL,
	       "bandwidth: no CPU is -EINVAL");
	np_cpuset_set(one, CPU_SETSIZE - 1); /* not online here: pinning the second thread fails */
	ok(np_bench_bandwidth(one, -1, NP_BENCH_READ, &o, &bw) < 0,
	   "bandwidth: a CPU that cannot be used is an error, not a hang");
	o.size = 100;
	is_int(np_bench_bandwidth(one, -1, NP_BENCH_READ, &o, &bw), -EINVAL,
	       "bandwidth: a size below one step per thread is -EINVAL");
	ok(memcmp(&bw, &keep, sizeof(bw)) == 0, "bandwidth: failures leave the result alone");
	np_cpuset_free(one);
	np_cpuset_free(none);
}

static void test_latency(int cpu)
{
	struct np_bench_mem_opts o = { .size = 1 << 20, .loads = 20000, .warmup = 1000,
				       .trials = 3 };
	struct np_bench_latency lat = { 0 };
	int r;

	r = np_bench_latency(cpu, -1, &o, &lat);
	is_int(r, 0, "latency: runs over 1 MiB");
	ok(lat.ns_min > 0 && lat.ns_min <= lat.ns_median, "latency: 0 < min <= median");
	ok(lat.page_size >= 4096, "latency: page size reported (%zu)", lat.page_size);
	ok(lat.size == 1 << 20 && lat.loads == 20000 && lat.trials == 3,
	   "latency: size, loads and trials reported");
	o.random_block = 64 * 1024;
	o.hugepages = true;
	ok(np_bench_latency(cpu, -1, &o, &lat) == 0, "latency: random in blocks, THP asked for");
	o.random_block = 100;
	is_int(np_bench_latency(cpu, -1, &o, &lat), -EINVAL, "latency: a bad block is -EINVAL");
	is_int(np_bench_latency(-1, -1, NULL, &lat), -EINVAL, "latency: no CPU is -EINVAL");
}

static void test_cpu_benches(int cpu, int other)
{
	struct np_bench_spin sp = { 0 };
	double ns = 0, t = 0;
	pid_t pid = 0;

	if (other >= 0) {
		is_int(np_bench_c2c(cpu, other, 2000, 3, &ns), 0, "c2c: CPUs %d and %d", cpu, other);
		ok(ns > 0, "c2c: a positive latency");
	} else {
		skip(2, "one CPU allowed: no pair for c2c");
	}
	is_int(np_bench_c2c(cpu, cpu, 10, 1, &ns), -EINVAL, "c2c: a CPU with itself is -EINVAL");
	is_int(np_bench_c2c(cpu, cpu + 1, 0, 1, &ns), -EINVAL, "c2c: zero round trips is -EINVAL");

	is_int(np_bench_spin(cpu, 1000000, &sp), 0, "spin: pinned, 10^6 iterations");
	ok(sp.seconds > 0 && sp.nivcsw >= 0 && sp.nvcsw >= 0, "spin: time and switches counted");
	ok(sp.migrations == 0 || sp.migrations == -1,
	   "spin: a pinned thread does not migrate (or the kernel does not say)");
	is_int(np_bench_spin(-1, 1000, &sp), 0, "spin: unpinned");
	is_int(np_bench_spin(cpu, 0, &sp), -EINVAL, "spin: zero iterations is -EINVAL");

	is_int(np_bench_noise_start(cpu, &pid), 0, "noise: started on CPU %d", cpu);
	ok(pid > 0 && np_bench_noise_stop(pid) == 0, "noise: stopped and reaped");

	is_int(np_bench_colfill(cpu, -1, 200, 2, &t), 0, "colfill: 200 x 200, local");
	ok(t > 0, "colfill: a positive time");
	is_int(np_bench_colfill(cpu, -1, 0, 1, &t), -EINVAL, "colfill: n 0 is -EINVAL");
}

int main(void)
{
	cpu_set_t before;
	int cpu = -1, other = -1;

	if (sched_getaffinity(0, sizeof(before), &before) < 0)
		bail_out("sched_getaffinity");
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &before))
			continue;
		if (cpu < 0)
			cpu = i;
		else if (other < 0)
			other = i;
	}
	test_chase();
	test_kernels();
	test_bandwidth(cpu);
	test_latency(cpu);
	test_cpu_benches(cpu, other);
	ok(affinity_is(&before), "the caller's affinity is as it was");
	done_testing();
	return exit_status();
}
