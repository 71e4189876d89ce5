/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.h - what the files of `numaplace bench` share (cli/cmd-bench.c defines it): the
 * machine as the experiments read it, straight from the topology's object tree (nodes, last-
 * level caches, cores and packages are struct np_obj; no copy is kept); statistics over trials;
 * progress on stderr; sizes in words; the SVG file that --svg names.
 *
 * Terminology:
 *  usable CPU   an online CPU within this process's affinity and cpuset: where a measuring
 *               thread may be pinned (np_topo_allowed_cpus()).
 *  memory node  a node with memory within this process's allowed nodes: where a buffer may
 *               be bound.
 */
#ifndef NP_CLI_BENCH_H
#define NP_CLI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "numaplace-bench.h"
#include "svg.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* the sub-commands, one file each (bench-memory.c, bench-c2c.c, bench-affinity.c): a spec
 * ("bench memory", ...) and the function cmd_bench() hands a context of their own */
extern const struct cli_spec spec_bench_memory, spec_bench_c2c, spec_bench_affinity,
	spec_bench_local_remote;
int bench_memory(struct cli_ctx *ctx);
int bench_c2c(struct cli_ctx *ctx);
int bench_affinity(struct cli_ctx *ctx);
int bench_local_remote(struct cli_ctx *ctx);

/* long-only options, shared so that one option has one id in every sub-command */
enum {
	OPT_LATENCY_ONLY = CLI_OPT_LONG,
	OPT_BANDWIDTH_ONLY,
	OPT_TRIALS,
	OPT_LOADS,
	OPT_REPS,
	OPT_QUIET,
	OPT_SVG,
	OPT_ROUNDTRIPS,
	OPT_NOISE,
	OPT_CPU,
	OPT_REMOTE,
	OPT_ISOLATED,
};

/* the rows several sub-commands share */
#define BENCH_OPT_QUIET \
	{ OPT_QUIET, "quiet", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "no progress on stderr" }
#define BENCH_OPT_SVG(what) \
	{ OPT_SVG, "svg", CLI_REQ_ARG, CLI_V_FILE, "FILE", NULL, \
	  "write the " what " as an SVG heatmap to FILE" }

/* operands left after the options: a usage error naming the first */
int bench_no_operands(const struct cli_ctx *ctx);

/* ---- option values: a usage error naming the option on failure ---- */
/* a count from 1 to @max (cli_parse_count) */
int bench_count_opt(const char *opt, const char *val, uint64_t max, uint64_t *ret);
/* a size in bytes, at least @min (cli_parse_size) */
int bench_size_opt(const char *opt, const char *val, uint64_t min, uint64_t *ret);
/* exactly one CPU (cli_parse_cpus) or, with @nodes, one node (cli_parse_nodes) */
int bench_one(struct cli_ctx *ctx, const char *opt, const char *val, bool nodes, int *ret);

/* ---- the machine: the object tree of the topology cli_topo() loads ---- */
/* the usable CPUs of @node (an NP_OBJ_NODE object; empty for a CPU-less node), new and
 * owned by the caller */
int bench_node_cpus(const struct np_topo *topo, const struct np_obj *node,
		    struct np_cpuset **ret);
/* node @id has memory and this process may allocate there */
bool bench_node_has_memory(const struct np_topo *topo, int id);
/* the node holding CPU @cpu, -1 when none */
int bench_cpu_node(const struct np_topo *topo, int cpu);
/* the SLIT distance, 10 for the one implicit node of a machine without NUMA, -1 unknown */
int bench_distance(const struct np_topo *topo, int from, int to);
/* the sum of the distinct last-level caches over the usable CPUs (0 when unknown), and the
 * cache line in bytes (64 when unknown) */
unsigned long long bench_llc_total(const struct np_topo *topo, unsigned int *line);

/* ---- statistics over @n values, n >= 1 ---- */
double bench_mean(const double *v, unsigned int n);
double bench_min(const double *v, unsigned int n);
double bench_stddev(const double *v, unsigned int n); /* sample standard deviation */

/* ---- output ---- */
extern bool bench_quiet; /* --quiet: no progress */
/* "numaplace: bench: <progress>" on stderr unless --quiet */
void bench_progress(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "1 GiB", "64 MiB", "12.5 MiB", "4 KiB", "100 bytes" */
void bench_human_size(char *buf, size_t size, uint64_t bytes);
/* --svg FILE: opened before measuring (*ret NULL when @path is NULL), so that a path that
 * cannot be written fails at once rather than after a long run */
int bench_svg_open(const char *path, FILE **ret);
/* write @n maps to @f and close it; the message names @path on failure */
int bench_svg_write(FILE *f, const char *path, const char *title, const struct svg_map *maps,
		    unsigned int n);

/* ---- bench memory: measured in bench-memory.c, reported by bench-memory-report.c ---- */

/* one (cpu node, memory node) pair */
struct mem_cell {
	bool available;
	const char *why;          /* when not available */
	struct np_bench_latency lat;
	struct np_bench_bandwidth bw[NP_BENCH_NKERNELS];
	int distance;             /* SLIT, -1 unknown */
	double lat_ratio;         /* vs the row's reference cell; NaN when none */
};

struct mem_args {
	struct np_bench_mem_opts o;
	unsigned int threads;     /* 0: all CPUs of the node */
	bool latency, bandwidth, json, quick;
	bool kernel[NP_BENCH_NKERNELS];
	const char *svg;
};

struct mem_run {
	const struct np_topo *topo;
	struct mem_args a;
	unsigned int nrows, ncols;
	const struct np_obj **row; /* the nodes with usable CPUs (NP_OBJ_NODE objects) */
	const struct np_obj **col; /* the memory nodes */
	struct mem_cell *cells;   /* [r * ncols + c] */
};

void memory_print(const struct mem_run *run);
void memory_json(const struct mem_run *run);
/* the matrices as an SVG heatmap into @f (closed) */
int memory_svg(const struct mem_run *run, FILE *f);

#endif /* NP_CLI_BENCH_H */
