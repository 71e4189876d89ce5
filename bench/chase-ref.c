/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * chase-ref.c - a plain single-threaded pointer chase, independent of libnumaplace, to check
 * `numaplace bench memory` latency against.  Run it pinned (taskset -c CPU) and, for another
 * node, under numactl --membind.
 *
 *   chase-ref [SIZE_MIB [LOADS [TRIALS [thp]]]]   defaults: 1024 MiB, 10000000 loads, 5 trials
 *
 * Prints "chase-ref: size_mib=... loads=... min_ns=... median_ns=...".  One pointer per
 * 64-byte line, the lines in one random cycle built by Sattolo's algorithm on an index array
 * (not in place, unlike the library), a warm-up of 10^6 loads, CLOCK_MONOTONIC.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define LINE 64

static uint64_t state = 88172645463325252ull;

static uint64_t xorshift(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 1024;
	unsigned long long loads = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000ull;
	int trials = argc > 3 ? atoi(argv[3]) : 5;
	int thp = argc > 4 && strcmp(argv[4], "thp") == 0;
	size_t size = mib << 20, n = size / LINE;
	double ns[1000];
	uint32_t *idx;
	char *buf;
	void **p;

	if (n < 2 || trials < 1 || trials > 1000 || n > UINT32_MAX) {
		fprintf(stderr, "usage: chase-ref [SIZE_MIB [LOADS [TRIALS [thp]]]]\n");
		return 2;
	}
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	idx = malloc(n * sizeof(*idx));
	if (buf == MAP_FAILED || !idx) {
		perror("chase-ref");
		return 1;
	}
	madvise(buf, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	for (size_t i = n - 1; i > 0; i--) { /* Sattolo: j < i makes a single cycle */
		size_t j = xorshift() % i;
		uint32_t t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		*(void **)(buf + (size_t)i * LINE) = buf + (size_t)idx[i] * LINE;
	free(idx);
	p = (void **)buf;
	for (unsigned long long i = 0; i < 1000000; i++)
		p = *p;
	for (int t = 0; t < trials; t++) {
		double t0 = now();

		for (unsigned long long i = 0; i < loads; i++)
			p = *p;
		ns[t] = (now() - t0) * 1e9 / loads;
	}
	qsort(ns, trials, sizeof(ns[0]), cmp);
	printf("chase-ref: size_mib=%zu loads=%llu trials=%d pages=%s min_ns=%.2f median_ns=%.2f end=%p\n",
	       mib, loads, trials, thp ? "thp" : "4k", ns[0],
	       trials % 2 ? ns[trials / 2] : (ns[trials / 2 - 1] + ns[trials / 2]) / 2, (void *)p);
	return 0;
}
