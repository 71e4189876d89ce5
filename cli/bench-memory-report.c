/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-memory-report.c - what `numaplace bench memory` prints once the matrix is measured:
 * the text tables, the JSON cells and the SVG heatmap.
 *
 * Terminology:
 *  cell        one (cpu node, mem node) pair of the matrix (bench.h struct mem_cell).
 *  best        the fastest bandwidth repetition; average: the mean over the counted ones;
 *              sustained: likwid-bench's figure, each thread's own time summed (JSON only).
 *  SLIT ratio  a cell's latency over its row's reference, beside the firmware's distance / 10.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "bench.h"

#define COLW 16

static void table_header(const struct mem_run *run)
{
	printf("  %-10s", "cpu\\mem");
	for (unsigned int ci = 0; ci < run->ncols; ci++) {
		char label[32];

		snprintf(label, sizeof(label), "node %d", run->col[ci]->os_index);
		printf("%*s", COLW, label);
	}
	putchar('\n');
}

static void row_label(const struct mem_run *run, unsigned int ri)
{
	char label[32];

	snprintf(label, sizeof(label), "node %d", run->row[ri]->os_index);
	printf("  %-10s", label);
}

static bool run_has_tsc(const struct mem_run *run)
{
	for (unsigned int i = 0; i < run->nrows * run->ncols; i++)
		if (run->cells[i].available && !isnan(run->cells[i].lat.tsc_median))
			return true;
	return false;
}

/* a table of @run: the header, then one row per row label, each cell's text from @cell */
static void print_table(const struct mem_run *run, int k,
			void (*cell)(const struct mem_cell *c, int k, char *v, size_t size))
{
	table_header(run);
	for (unsigned int ri = 0; ri < run->nrows; ri++) {
		row_label(run, ri);
		for (unsigned int ci = 0; ci < run->ncols; ci++) {
			char v[48];

			cell(&run->cells[ri * run->ncols + ci], k, v, sizeof(v));
			printf("%*s", COLW, v);
		}
		putchar('\n');
	}
}

static void cell_lat_ns(const struct mem_cell *c, int k, char *v, size_t size)
{
	(void)k;
	if (c->available)
		snprintf(v, size, "%.1f (%.1f)", c->lat.ns_median, c->lat.ns_min);
	else
		snprintf(v, size, "-");
}

static void cell_lat_tsc(const struct mem_cell *c, int k, char *v, size_t size)
{
	(void)k;
	if (c->available)
		snprintf(v, size, "%.0f (%.0f)", c->lat.tsc_median, c->lat.tsc_min);
	else
		snprintf(v, size, "-");
}

static void cell_lat_ratio(const struct mem_cell *c, int k, char *v, size_t size)
{
	char d[16];

	(void)k;
	if (c->distance >= 0)
		snprintf(d, sizeof(d), "%.1f", c->distance / 10.0);
	else
		snprintf(d, sizeof(d), "?");
	if (c->available)
		snprintf(v, size, "%.2f / %s", c->lat_ratio, d);
	else
		snprintf(v, size, "- / %s", d);
}

/* @k: the kernel */
static void cell_bw(const struct mem_cell *c, int k, char *v, size_t size)
{
	if (c->available)
		snprintf(v, size, "%.0f (%.0f)", c->bw[k].mb_per_s_best, c->bw[k].mb_per_s_avg);
	else
		snprintf(v, size, "-");
}

static void memory_print_latency(const struct mem_run *run)
{
	unsigned int trials = run->a.o.trials ? run->a.o.trials : 5;

	printf("Idle latency, ns: median of %u trial%s of %llu dependent loads (min in brackets)\n",
	       trials, trials == 1 ? "" : "s",
	       (unsigned long long)(run->a.o.loads ? run->a.o.loads : 10000000ull));
	print_table(run, 0, cell_lat_ns);
	if (run_has_tsc(run)) {
		printf("\nIdle latency, TSC cycles (invariant TSC): median (min in brackets)\n");
		print_table(run, 0, cell_lat_tsc);
	}
	printf("\nLatency ratio vs SLIT: measured (to the row's nearest node) / distance/10\n");
	print_table(run, 0, cell_lat_ratio);
}

static void memory_print_bandwidth(const struct mem_run *run)
{
	unsigned int reps = run->a.o.reps ? run->a.o.reps : 10;

	printf("Bandwidth, MB/s (10^6 bytes/s): best of %u repetition%s (average in brackets);\n"
	       "STREAM byte counts, write-allocate traffic not counted\n",
	       reps, reps == 1 ? "" : "s");
	for (int k = 0; k < NP_BENCH_NKERNELS; k++) {
		if (!run->a.kernel[k])
			continue;
		printf("%s\n", np_bench_kernel_name(k));
		print_table(run, k, cell_bw);
	}
}

static size_t run_page_size(const struct mem_run *run)
{
	for (unsigned int i = 0; i < run->nrows * run->ncols; i++) {
		const struct mem_cell *c = &run->cells[i];

		if (!c->available)
			continue;
		if (run->a.latency)
			return c->lat.page_size;
		for (int k = 0; k < NP_BENCH_NKERNELS; k++)
			if (run->a.kernel[k])
				return c->bw[k].page_size;
	}
	return 0;
}

void memory_print(const struct mem_run *run)
{
	char sz[32], blk[32], pg[32];

	bench_human_size(sz, sizeof(sz), run->a.o.size);
	if (run_page_size(run))
		bench_human_size(pg, sizeof(pg), run_page_size(run));
	else
		snprintf(pg, sizeof(pg), "unknown");
	if (run->a.o.random_block)
		bench_human_size(blk, sizeof(blk), run->a.o.random_block);
	printf("Memory: %u cpu node%s x %u memory node%s; buffer %s, %s pages%s, chase %s%s\n\n",
	       run->nrows, run->nrows == 1 ? "" : "s", run->ncols, run->ncols == 1 ? "" : "s", sz, pg,
	       run->a.o.hugepages ? " (THP asked for)" : "",
	       run->a.o.random_block ? "random in blocks of " : "random over the whole buffer",
	       run->a.o.random_block ? blk : "");
	if (run->a.latency)
		memory_print_latency(run);
	if (run->a.latency && run->a.bandwidth)
		putchar('\n');
	if (run->a.bandwidth)
		memory_print_bandwidth(run);
	if (run->a.quick)
		printf("\n(--quick: a smaller buffer and fewer loads and repetitions; figures are rough)\n");
}

static void json_latency_cell(struct json *j, const struct mem_cell *c)
{
	json_double(j, "latency_ns_min", c->available ? c->lat.ns_min : NAN);
	json_double(j, "latency_ns_median", c->available ? c->lat.ns_median : NAN);
	json_double(j, "tsc_cycles_min", c->available ? c->lat.tsc_min : NAN);
	json_double(j, "tsc_cycles_median", c->available ? c->lat.tsc_median : NAN);
	if (c->available)
		json_uint(j, "page_size", c->lat.page_size);
	else
		json_null(j, "page_size");
	json_double(j, "latency_ratio", c->lat_ratio);
	json_double(j, "distance_ratio", c->distance >= 0 ? c->distance / 10.0 : NAN);
}

static void json_cell_head(struct json *j, const struct mem_run *run, unsigned int ri,
			   unsigned int ci, const struct mem_cell *c)
{
	json_int(j, "cpu_node", run->row[ri]->os_index);
	json_int(j, "mem_node", run->col[ci]->os_index);
	json_bool(j, "available", c->available);
	if (!c->available)
		json_str(j, "reason", c->why ? c->why : "not measured");
	if (c->distance >= 0)
		json_int(j, "distance", c->distance);
	else
		json_null(j, "distance");
}

/* cell @i's figures for kernel @k */
static void json_bandwidth_cell(struct json *j, const struct mem_run *run, unsigned int i, int k)
{
	const struct mem_cell *c = &run->cells[i];

	json_obj_begin(j, NULL);
	json_cell_head(j, run, i / run->ncols, i % run->ncols, c);
	json_str(j, "kernel", np_bench_kernel_name(k));
	json_double(j, "mb_per_s", c->available ? c->bw[k].mb_per_s_best : NAN);
	json_double(j, "mb_per_s_avg", c->available ? c->bw[k].mb_per_s_avg : NAN);
	json_double(j, "mb_per_s_sustained", c->available ? c->bw[k].mb_per_s_sustained : NAN);
	json_uint(j, "threads", c->bw[k].threads);
	json_uint(j, "bytes_per_rep", c->bw[k].bytes);
	json_uint(j, "reps", c->bw[k].reps);
	json_obj_end(j);
}

void memory_json(const struct mem_run *run)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "size_bytes", run->a.o.size);
	json_uint(&j, "page_size", run_page_size(run));
	json_bool(&j, "hugepages", run->a.o.hugepages);
	json_uint(&j, "random_block_bytes", run->a.o.random_block);
	json_uint(&j, "line_bytes", run->a.o.line);
	json_bool(&j, "quick", run->a.quick);
	json_uint(&j, "mb_bytes", 1000000);
	json_bool(&j, "write_allocate_counted", false);
	json_arr_begin(&j, "latency");
	for (unsigned int i = 0; run->a.latency && i < run->nrows * run->ncols; i++) {
		const struct mem_cell *c = &run->cells[i];

		json_obj_begin(&j, NULL);
		json_cell_head(&j, run, i / run->ncols, i % run->ncols, c);
		json_latency_cell(&j, c);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "bandwidth");
	for (unsigned int i = 0; run->a.bandwidth && i < run->nrows * run->ncols; i++)
		for (int k = 0; k < NP_BENCH_NKERNELS; k++)
			if (run->a.kernel[k])
				json_bandwidth_cell(&j, run, i, k);
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

int memory_svg(const struct mem_run *run, FILE *f)
{
	unsigned int nmaps = 0, cells = run->nrows * run->ncols;
	struct svg_map maps[1 + NP_BENCH_NKERNELS];
	char (*rl)[16] = calloc(run->nrows, 16), (*cl)[16] = calloc(run->ncols, 16);
	const char **rows = calloc(run->nrows, sizeof(char *));
	const char **cols = calloc(run->ncols, sizeof(char *));
	double *v = calloc((size_t)cells * (1 + NP_BENCH_NKERNELS), sizeof(double));
	char titles[1 + NP_BENCH_NKERNELS][80];
	int r = -ENOMEM;

	if (!rl || !cl || !rows || !cols || !v) {
		fclose(f);
		goto out;
	}
	for (unsigned int i = 0; i < run->nrows; i++) {
		snprintf(rl[i], 16, "node %d", run->row[i]->os_index);
		rows[i] = rl[i];
	}
	for (unsigned int i = 0; i < run->ncols; i++) {
		snprintf(cl[i], 16, "node %d", run->col[i]->os_index);
		cols[i] = cl[i];
	}
	for (int k = -1; k < NP_BENCH_NKERNELS; k++) {
		double *mv = v + (size_t)nmaps * cells;

		if ((k < 0 && !run->a.latency) || (k >= 0 && (!run->a.bandwidth || !run->a.kernel[k])))
			continue;
		for (unsigned int i = 0; i < cells; i++)
			mv[i] = !run->cells[i].available ? NAN : k < 0 ? run->cells[i].lat.ns_median
								    : run->cells[i].bw[k].mb_per_s_best;
		if (k < 0)
			snprintf(titles[nmaps], 80, "Idle latency (ns, median)");
		else
			snprintf(titles[nmaps], 80, "%s bandwidth (MB/s, best)", np_bench_kernel_name(k));
		maps[nmaps] = (struct svg_map){ .title = titles[nmaps], .corner = "cpu \\ mem",
						.unit = k < 0 ? "ns" : "MB/s", .lower_is_better = k < 0,
						.rows = run->nrows, .cols = run->ncols, .row_labels = rows,
						.col_labels = cols, .values = mv };
		nmaps++;
	}
	r = bench_svg_write(f, run->a.svg,
			    "numaplace bench memory: cpu node (rows) x memory node (columns)", maps,
			    nmaps);
out:
	if (r == -ENOMEM)
		cli_error_errno(r, "cannot draw the SVG");
	free(rl);
	free(cl);
	free(rows);
	free(cols);
	free(v);
	return r;
}
