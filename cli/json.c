/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - a streaming JSON writer for --json: objects and arrays nest up to 64 deep, keys
 * and strings are escaped, output is indented by two spaces so that it diffs well.
 *
 * Terminology:
 *  document   one top-level value, ended by json_finish()'s newline.
 *  lines      JSON Lines (jsonlines.org): each document compact on a line of its own, so that a
 *             stream of them (--watch) is read one line at a time (jq -c, pandas lines=True).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->len = 0;
	j->need_comma[0] = false;
	j->in_array[0] = false;
	j->lines = false;
}

void json_init_lines(struct json *j, FILE *f)
{
	json_init(j, f);
	j->lines = true;
}

/*
 * The writer is on the hot path of `topo --json` (a 256-CPU machine is ~10k members): it
 * gathers output in its own buffer, handed to stdio when full and whenever a top-level value
 * is complete, and formats integers itself rather than through printf.  Nothing else may
 * write to the stream between json_init() and the end of the top-level value.
 */
static void flush(struct json *j)
{
	if (j->len)
		fwrite(j->buf, 1, j->len, j->f);
	j->len = 0;
}

static void put(struct json *j, const char *s, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		flush(j);
		if (n > sizeof(j->buf)) {
			fwrite(s, 1, n, j->f);
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void put_c(struct json *j, char c)
{
	if (j->len == sizeof(j->buf))
		flush(j);
	j->buf[j->len++] = c;
}

static void put_s(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void indent(struct json *j)
{
	static const char spaces[] = "\n                                                                "
				     "                                                                ";
	size_t n = 1 + 2 * (size_t)j->depth;

	if (j->lines)
		return;
	put(j, spaces, n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1);
}

static void escaped(struct json *j, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put_c(j, '"');
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(j, run, (size_t)(p - run));
		run = p + 1;
		if (c == '"' || c == '\\') {
			put_c(j, '\\');
			put_c(j, (char)c);
		} else if (c == '\n') {
			put(j, "\\n", 2);
		} else if (c == '\t') {
			put(j, "\\t", 2);
		} else {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			put(j, u, sizeof(u));
		}
	}
	put(j, run, strlen(run));
	put_c(j, '"');
}

static void put_u(struct json *j, unsigned long long v, bool neg)
{
	char buf[24], *p = buf + sizeof(buf);

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	if (neg)
		*--p = '-';
	put(j, p, (size_t)(buf + sizeof(buf) - p));
}

/* comma, newline and indent before a member; then the key if inside an object */
static void member(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			put_c(j, ',');
		indent(j);
	}
	j->need_comma[j->depth] = true;
	if (key && j->depth > 0 && !j->in_array[j->depth]) {
		escaped(j, key);
		put(j, ": ", j->lines ? 1 : 2);
	}
}

static void open(struct json *j, const char *key, char c, bool array)
{
	member(j, key);
	put_c(j, c);
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
	j->in_array[j->depth] = array;
}

static void close_(struct json *j, char c)
{
	bool had = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had)
		indent(j);
	put_c(j, c);
	if (j->depth == 0)
		flush(j);
}

void json_obj_begin(struct json *j, const char *key)
{
	open(j, key, '{', false);
}

void json_obj_end(struct json *j)
{
	close_(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	open(j, key, '[', true);
}

void json_arr_end(struct json *j)
{
	close_(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	if (val)
		escaped(j, val);
	else
		put_s(j, "null");
}

void json_int(struct json *j, const char *key, long long val)
{
	member(j, key);
	put_u(j, val < 0 ? 0ULL - (unsigned long long)val : (unsigned long long)val, val < 0);
}

void json_uint(struct json *j, const char *key, unsigned long long val)
{
	member(j, key);
	put_u(j, val, false);
}

void json_double(struct json *j, const char *key, double val)
{
	member(j, key);
	if (isfinite(val)) {
		char buf[40];
		int n = snprintf(buf, sizeof(buf), "%.6g", val);

		put(j, buf, n > 0 ? (size_t)n : 0);
	} else {
		put_s(j, "null");
	}
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	put_s(j, val ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	put_s(j, "null");
}

void json_cpuset(struct json *j, const char *key, const struct np_cpuset *set)
{
	char *s = NULL;

	if (!set || np_cpuset_format_list(set, 0, &s) < 0) {
		json_null(j, key);
		return;
	}
	json_str(j, key, s);
	free(s);
}

void json_finish(struct json *j)
{
	put_c(j, '\n');
	flush(j);
}
