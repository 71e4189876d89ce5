/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * svg.c - heatmaps as standalone SVG for `bench --svg`: one or more labelled matrices, each
 * with its values written in the cells and a colour legend, no scripts, fonts or other files.
 *
 * Terminology:
 *  map     one matrix: a title, row and column labels, values (NaN for a cell with none,
 *          drawn grey with "-"), and a unit for the legend.
 *  scale   values are coloured from light (the map's smallest value) to dark (its largest);
 *          with lower_is_better the legend says so, the colours do not change meaning.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "svg.h"

#define CELL_W 64
#define CELL_H 28
#define LABEL_W 96
#define TITLE_H 30
#define HEADER_H 24
#define LEGEND_H 58
#define GAP 24
#define MARGIN 16

/* a light-yellow to dark-red ramp (five stops) that stays readable in grey print */
static void colour(double t, char *buf, size_t size)
{
	static const unsigned char stops[5][3] = {
		{ 255, 255, 204 }, { 254, 217, 118 }, { 253, 141, 60 }, { 227, 26, 28 }, { 128, 0, 38 },
	};
	double x;
	int i;

	if (!(t >= 0))
		t = 0;
	if (t > 1)
		t = 1;
	x = t * 4;
	i = x >= 4 ? 3 : (int)x;
	x -= i;
	snprintf(buf, size, "#%02x%02x%02x",
		 (unsigned)(stops[i][0] + (stops[i + 1][0] - stops[i][0]) * x + 0.5),
		 (unsigned)(stops[i][1] + (stops[i + 1][1] - stops[i][1]) * x + 0.5),
		 (unsigned)(stops[i][2] + (stops[i + 1][2] - stops[i][2]) * x + 0.5));
}

/* text content and attribute values: the five XML specials escaped */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void text(FILE *f, double x, double y, const char *anchor, const char *extra,
		 const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y, anchor, extra);
	xml_text(f, s);
	fputs("</text>\n", f);
}

static void value_text(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (fabs(v) >= 1000)
		snprintf(buf, size, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, size, "%.1f", v);
	else
		snprintf(buf, size, "%.2f", v);
}

static void range(const struct svg_map *m, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (unsigned int i = 0; i < m->rows * m->cols; i++) {
		if (isnan(m->values[i]))
			continue;
		*lo = fmin(*lo, m->values[i]);
		*hi = fmax(*hi, m->values[i]);
	}
}

/* rough text widths (sans-serif averages about 0.6 em per character) so titles fit */
static unsigned int text_width(const char *s, double font_px)
{
	return (unsigned int)(strlen(s) * font_px * 0.66 + 0.5); /* bold, to be safe */
}

static unsigned int map_width(const struct svg_map *m)
{
	unsigned int w = LABEL_W + m->cols * CELL_W, t = text_width(m->title, 15);

	if (w < t)
		w = t;
	return w < 340 ? 340 : w;
}

static unsigned int map_height(const struct svg_map *m)
{
	return TITLE_H + HEADER_H + m->rows * CELL_H + LEGEND_H;
}

static void legend(FILE *f, const struct svg_map *m, double y, double lo, double hi,
		   unsigned int id)
{
	char buf[64], c[16];
	double w = 200;

	fprintf(f, "<defs><linearGradient id=\"ramp%u\">", id);
	for (int s = 0; s <= 4; s++) {
		colour(s / 4.0, c, sizeof(c));
		fprintf(f, "<stop offset=\"%d%%\" stop-color=\"%s\"/>", s * 25, c);
	}
	fputs("</linearGradient></defs>\n", f);
	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%.0f\" height=\"12\" fill=\"url(#ramp%u)\" "
		   "stroke=\"#888\"/>\n", LABEL_W, y, w, id);
	value_text(buf, sizeof(buf), isfinite(lo) ? lo : NAN);
	text(f, LABEL_W, y + 26, "start", "", buf);
	value_text(buf, sizeof(buf), isfinite(hi) ? hi : NAN);
	text(f, LABEL_W + w, y + 26, "end", "", buf);
	snprintf(buf, sizeof(buf), "%s%s", m->unit, m->lower_is_better ? " (lower is better)" :
									 " (higher is better)");
	text(f, LABEL_W + w / 2, y + 40, "middle", " font-size=\"11\"", buf);
	text(f, LABEL_W - 8, y + 11, "end", " font-size=\"11\"", "scale");
}

static void one_map(FILE *f, const struct svg_map *m, double y0, unsigned int id)
{
	double lo, hi, y;
	char buf[64], c[16];

	range(m, &lo, &hi);
	text(f, 0, y0 + 18, "start", " font-size=\"15\" font-weight=\"bold\"", m->title);
	y = y0 + TITLE_H;
	if (m->corner)
		text(f, LABEL_W - 8, y + 16, "end", " font-size=\"11\" fill=\"#555\"", m->corner);
	for (unsigned int j = 0; j < m->cols; j++)
		text(f, LABEL_W + j * CELL_W + CELL_W / 2.0, y + 16, "middle", "", m->col_labels[j]);
	y += HEADER_H;
	for (unsigned int i = 0; i < m->rows; i++) {
		double cy = y + i * CELL_H;

		text(f, LABEL_W - 8, cy + 19, "end", "", m->row_labels[i]);
		for (unsigned int j = 0; j < m->cols; j++) {
			double v = m->values[i * m->cols + j], t;

			t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
			if (isnan(v))
				snprintf(c, sizeof(c), "#dddddd");
			else
				colour(t, c, sizeof(c));
			fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"%s\" "
				   "stroke=\"#ffffff\"/>\n", LABEL_W + j * CELL_W, cy, CELL_W, CELL_H, c);
			value_text(buf, sizeof(buf), v);
			text(f, LABEL_W + j * CELL_W + CELL_W / 2.0, cy + 19, "middle",
			     !isnan(v) && t > 0.6 ? " fill=\"#ffffff\"" : "", buf);
		}
	}
	legend(f, m, y + m->rows * CELL_H + 10, lo, hi, id);
}

int svg_write(FILE *f, const char *title, const struct svg_map *maps, unsigned int nmaps)
{
	unsigned int w = 0, h = MARGIN * 2 + TITLE_H;
	double y;

	for (unsigned int i = 0; i < nmaps; i++) {
		if (map_width(&maps[i]) > w)
			w = map_width(&maps[i]);
		h += map_height(&maps[i]) + (i ? GAP : 0);
	}
	if (w < text_width(title, 17))
		w = text_width(title, 17);
	w += MARGIN * 2;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		   "viewBox=\"0 0 %u %u\" font-family=\"sans-serif\" font-size=\"12\">\n",
		   w, h, w, h);
	fputs("<title>", f);
	xml_text(f, title);
	fputs("</title>\n", f);
	fprintf(f, "<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n", w, h);
	fprintf(f, "<g transform=\"translate(%d,%d)\">\n", MARGIN, MARGIN);
	text(f, 0, 18, "start", " font-size=\"17\" font-weight=\"bold\"", title);
	y = TITLE_H;
	for (unsigned int i = 0; i < nmaps; i++) {
		one_map(f, &maps[i], y, i);
		y += map_height(&maps[i]) + GAP;
	}
	fputs("</g>\n</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}
