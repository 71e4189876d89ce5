/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * svg.h - the heatmap writer behind `bench --svg` (cli/svg.c).
 */
#ifndef NP_CLI_SVG_H
#define NP_CLI_SVG_H

#include <stdbool.h>
#include <stdio.h>

/* One matrix: values[row * cols + col], NaN where a cell has no value (drawn "-"). */
struct svg_map {
	const char *title;
	const char *corner;           /* text above the row labels ("cpu \\ mem"), may be NULL */
	const char *unit;             /* for the legend: "ns", "MB/s" */
	bool lower_is_better;
	unsigned int rows, cols;
	const char *const *row_labels;
	const char *const *col_labels;
	const double *values;
};

/* Write a standalone SVG document with @nmaps maps stacked under @title.  Return: 0 or -EIO. */
int svg_write(FILE *f, const char *title, const struct svg_map *maps, unsigned int nmaps);

#endif /* NP_CLI_SVG_H */
