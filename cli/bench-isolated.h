/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-isolated.h - `bench affinity --isolated` (cli/bench-isolated.c), called by
 * cli/bench-affinity.c.
 */
#ifndef NP_CLI_BENCH_ISOLATED_H
#define NP_CLI_BENCH_ISOLATED_H

#include <stddef.h>

struct cli_ctx;

struct iso_bench {
	const char *name;   /* the partition (numaplace isolate --name) */
	size_t iterations;  /* timed iterations per mode */
	unsigned int load;  /* unbound spinning processes beside each mode */
	int cpus[3];        /* [1]: the pinned mode's CPU, [2]: the isolated mode's */
};

/* Run the three modes and print them (text or JSON, and the SVG to @svg_path when not NULL);
 * messages on failure.  Return: 0 or -errno. */
int bench_isolated(const struct cli_ctx *ctx, struct iso_bench *b, const char *svg_path);

#endif
