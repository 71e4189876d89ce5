/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - a streaming JSON writer for --json: objects and arrays nest up to 64 deep, keys
 * and strings are escaped, output is indented by two spaces so that it diffs well.
 */
#include <math.h>
#include <stdlib.h>

#include "cli.h"

void json_init(struct json *j, FILE *f)
{
	*j = (struct json){ .f = f };
}

static void indent(struct json *j)
{
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* comma, newline and indent before a member; then the key if inside an object */
static void member(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			fputc(',', j->f);
		indent(j);
	}
	j->need_comma[j->depth] = true;
	if (key && j->depth > 0 && !j->in_array[j->depth]) {
		escaped(j->f, key);
		fputs(": ", j->f);
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
	fprintf(j->f, "%lld", val);
}

void json_uint(struct json *j, const char *key, unsigned long long val)
{
	member(j, key);
	fprintf(j->f, "%llu", val);
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
