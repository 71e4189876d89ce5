/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-mountinfo.c - libFuzzer target for the mount table parsers (np__mount_line(),
 * np__unescape(), np__mount_flavour(), lib/limits-cgroup.c): each line of the input is read as
 * a mountinfo line and as a /proc/mounts line, as the cgroup lookup reads them.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole table up to its first NUL; "field" a
 * run of non-blanks of a line, with its octal escapes (\040) undone in place.
 *
 * Invariants: every field given points inside the line, at the start of a field of the
 * original line, and is never longer than it was before unescaping; mountinfo's type and
 * options come after a "-" field; /proc/mounts gives root "/"; a line refused is -EINVAL
 * with *ret untouched; the flavour is one of the four and NONE unless the type is cgroup2,
 * cgroup or cpuset.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* @f, a field of the split copy @line, against the same place in the original @orig */
static void check_field(const char *f, const char *line, const char *orig, size_t len)
{
	size_t off;

	check(f >= line && f < line + len);
	off = (size_t)(f - line);
	/* a field starts the line or follows a blank */
	check(off == 0 || orig[off - 1] == ' ' || orig[off - 1] == '\t');
	check(strlen(f) <= strcspn(orig + off, " \t\n"));
}

/* whether the field at @off of @orig comes right after a field "-" */
static bool after_dash(const char *orig, size_t off)
{
	while (off > 0 && (orig[off - 1] == ' ' || orig[off - 1] == '\t'))
		off--;
	return off >= 2 && orig[off - 1] == '-' && (orig[off - 2] == ' ' || orig[off - 2] == '\t');
}

static void check_line(const char *orig, size_t len, bool mountinfo)
{
	struct np__mount sentinel = { "s", "s", "s", "s" }, m = sentinel;
	enum np__cg_flavour fl;
	char *line = strndup(orig, len);
	int r;

	check(line != NULL);
	r = np__mount_line(line, mountinfo, &m);
	if (r < 0) {
		check(r == -EINVAL);
		check(memcmp(&m, &sentinel, sizeof(m)) == 0);
		free(line);
		return;
	}
	check_field(m.dir, line, orig, len);
	check_field(m.type, line, orig, len);
	check_field(m.opts, line, orig, len);
	if (mountinfo) {
		check_field(m.root, line, orig, len);
		check(m.root < m.dir && m.dir < m.type && m.type < m.opts);
		check(after_dash(orig, (size_t)(m.type - line)));
	} else {
		check(strcmp(m.root, "/") == 0);
		check(m.dir < m.type && m.type < m.opts);
	}
	fl = np__mount_flavour(&m);
	check(fl >= NP__CG_NONE && fl <= NP__CG_CPUSETFS);
	if (fl != NP__CG_NONE)
		check(strcmp(m.type, "cgroup2") == 0 || strcmp(m.type, "cgroup") == 0 ||
		      strcmp(m.type, "cpuset") == 0);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 0);

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");

		if (len) {
			check_line(line, len, true);
			check_line(line, len, false);
		}
		line += len + (line[len] == '\n');
	}
	free(text);
	return 0;
}
