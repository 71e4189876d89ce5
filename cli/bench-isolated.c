/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-isolated.c - `bench affinity --isolated NAME`: the compute loop unpinned, pinned, and
 * pinned inside the isolated partition NAME (made by `numaplace isolate`), each beside the same
 * background load, as per-iteration time percentiles side by side.
 *
 * Terminology:
 *  iteration   ISO_CHUNK increments of the loop, timed on its own (CLOCK_MONOTONIC); what a
 *              latency-bound program sees as its jitter.
 *  load        one unbound spinning process per CPU this process may use: outside a partition
 *              the loop shares its CPU with them, inside it has its CPU to itself.
 *  mode        each runs in a forked child (the isolated one enters the partition's cgroup, which
 *              the parent must not), whose times come back through a pipe.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "bench-isolated.h"

#define ISO_CHUNK 100000ull
#define NMODES 3

static const char *const mode_names[NMODES] = { "unpinned", "pinned", "isolated" };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* the child's side: bind (cpu -1: not), enter @part (NULL: stay), time @n iterations */
static void child_loop(int fd, int cpu, const char *part, size_t n)
{
	double *t = calloc(n, sizeof(*t));
	volatile uint64_t x = 0;
	cpu_set_t set;
	ssize_t w;

	if (!t || (part && np_isolate_enter(NULL, part, 0) < 0))
		_exit(2);
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			_exit(3);
	}
	for (size_t i = 0; i < n; i++) {
		double t0 = now();

		for (uint64_t k = 0; k < ISO_CHUNK; k++)
			x = x + 1;
		t[i] = now() - t0;
	}
	w = write(fd, t, n * sizeof(*t));
	_exit(w == (ssize_t)(n * sizeof(*t)) ? 0 : 4);
}

static int read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, (char *)buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EIO;
		got += (size_t)r;
	}
	return 0;
}

static int run_mode(int cpu, const char *part, double *t, size_t n)
{
	int fds[2], st, r;
	pid_t pid;

	if (pipe(fds) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (pid == 0) {
		close(fds[0]);
		child_loop(fds[1], cpu, part, n);
	}
	close(fds[1]);
	r = read_all(fds[0], t, n * sizeof(*t));
	close(fds[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		r = r ? r : -ECHILD;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* p50, p99 and max of @t (sorted here), in microseconds */
static void percentiles(double *t, size_t n, double out[3])
{
	qsort(t, n, sizeof(*t), cmp_double);
	out[0] = t[(n - 1) / 2] * 1e6;
	out[1] = t[(size_t)((double)(n - 1) * 0.99)] * 1e6;
	out[2] = t[n - 1] * 1e6;
}

/* @k unbound spinners into @pids */
static int load_start(pid_t *pids, unsigned int k)
{
	for (unsigned int i = 0; i < k; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return -errno;
		if (pids[i] == 0)
			for (volatile uint64_t x = 0;; x = x + 1)
				;
	}
	return 0;
}

static void load_stop(pid_t *pids, unsigned int k)
{
	for (unsigned int i = 0; i < k; i++) {
		if (pids[i] <= 0)
			continue;
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
}

static void report(const struct cli_ctx *ctx, const struct iso_bench *b, double p[NMODES][3])
{
	struct json j;

	if (!ctx->json) {
		printf("Compute loop: %zu iterations of %llu increments per mode, beside %u spinning "
		       "processes\n", b->iterations, ISO_CHUNK, b->load);
		printf("  %-9s %5s %12s %12s %12s\n", "mode", "cpu", "p50 us", "p99 us", "max us");
		for (int m = 0; m < NMODES; m++)
			printf("  %-9s %5d %12.2f %12.2f %12.2f\n", mode_names[m], m ? b->cpus[m] : -1,
			       p[m][0], p[m][1], p[m][2]);
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "iterations", b->iterations);
	json_uint(&j, "increments_per_iteration", ISO_CHUNK);
	json_uint(&j, "load_processes", b->load);
	json_str(&j, "partition", b->name);
	json_arr_begin(&j, "modes");
	for (int m = 0; m < NMODES; m++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "mode", mode_names[m]);
		json_int(&j, "cpu", m ? b->cpus[m] : -1);
		json_double(&j, "p50_us", p[m][0]);
		json_double(&j, "p99_us", p[m][1]);
		json_double(&j, "max_us", p[m][2]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int svg(FILE *f, const char *path, double p[NMODES][3])
{
	static const char *const cols[] = { "p50", "p99", "max" };
	double v[NMODES * 3];
	struct svg_map map = { .title = "per-iteration time", .corner = "mode \\ percentile",
			       .unit = "us", .lower_is_better = true, .rows = NMODES, .cols = 3,
			       .row_labels = mode_names, .col_labels = cols, .values = v };

	for (int m = 0; m < NMODES; m++)
		memcpy(&v[m * 3], p[m], sizeof(p[m]));
	return bench_svg_write(f, path, "bench affinity --isolated", &map, 1);
}

int bench_isolated(const struct cli_ctx *ctx, struct iso_bench *b, const char *svg_path)
{
	double p[NMODES][3], *t;
	pid_t *pids;
	FILE *f = NULL;
	int r;

	if ((r = bench_svg_open(svg_path, &f)) < 0)
		return r;
	t = calloc(b->iterations, sizeof(*t));
	pids = calloc(b->load, sizeof(*pids));
	r = t && pids ? load_start(pids, b->load) : -ENOMEM;
	if (r < 0)
		cli_error_errno(r, "cannot start the background load");
	for (int m = 0; r == 0 && m < NMODES; m++) {
		bench_progress("%s", mode_names[m]);
		r = run_mode(m ? b->cpus[m] : -1, m == 2 ? b->name : NULL, t, b->iterations);
		if (r < 0)
			cli_error_errno(r, "the %s loop failed", mode_names[m]);
		else
			percentiles(t, b->iterations, p[m]);
	}
	if (pids)
		load_stop(pids, b->load);
	if (r == 0)
		report(ctx, b, p);
	if (r == 0 && f)
		r = svg(f, svg_path, p);
	else if (f)
		fclose(f);
	free(t);
	free(pids);
	return r;
}
