/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysparse.c - the text of sysfs values, parsed: no I/O.
 *
 * Terminology:
 *  text         one file's content as the readers hand it over: NUL-terminated, its trailing
 *               newline and NUL padding stripped (lib/sysfs.c), of any length.
 *  implausible  a number the kernel cannot print for the attribute (a cache level of 5, a
 *               node of 2^60 bytes, a distance of 300): a corrupt or hostile capture.  It reads
 *               as unknown, never as a huge number (-EDOM here).
 *
 * The readers decide what an error means (unknown, a fallback file, a dropped cache); these
 * functions only say which error, and write their output only on success.  The ranges are the
 * kernel's: each parser's comment in lib/sysparse.h names it.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sysparse.h"

int np__parse_ll(const char *text, long long *ret)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(text, &end, 0);
	if (errno)
		return -errno;
	if (end == text || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int np__parse_digits(const char *s, const char **end, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *s - '0', &v))
			return -EINVAL;
	*end = s;
	*ret = v;
	return 0;
}

/* np__parse_ll() within @min..@max, else -EDOM */
static int parse_range(const char *text, long long min, long long max, long long *ret)
{
	long long v;
	int r = np__parse_ll(text, &v);

	if (r < 0)
		return r;
	if (v < min || v > max)
		return -EDOM;
	*ret = v;
	return 0;
}

int np__parse_meminfo(const char *text, const char *key, long long *bytes)
{
	const char *p = strstr(text, key);
	unsigned long long kb;

	if (!p)
		return -ENOENT;
	p += strlen(key);
	p += strspn(p, " \t");
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	kb = strtoull(p, NULL, 10);
	/* a node of more than a petabyte is a corrupt file: unknown, not a huge number */
	if (errno || kb > NP__MAX_NODE_MEMORY >> 10)
		return -EDOM;
	*bytes = (long long)kb * 1024;
	return 0;
}

int np__parse_distances(const char *text, int *row, unsigned int max, bool *rest)
{
	const char *p = text;
	unsigned int n = 0;
	char *end;

	/* check the whole row first: a corrupt row leaves @row as it was */
	for (; n < max; n++, p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (v < 0 || v > NP__MAX_DISTANCE)
			return -EDOM;
	}
	/* what the row stopped at: a word, or a number past @max; blanks are no more text */
	if (rest)
		*rest = p[strspn(p, " \t\n")] != '\0';
	p = text;
	for (unsigned int i = 0; i < n; i++, p = end)
		row[i] = (int)strtol(p, &end, 10);
	return (int)n;
}

/* what follows the number is not looked at: the reader's sscanf("hugepages-%llukB") never did */
int np__parse_hugepage_dir(const char *name, unsigned long long *kb)
{
	static const char prefix[] = "hugepages-";
	unsigned long long v;
	char *end;

	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return -EINVAL;
	name += sizeof(prefix) - 1;
	errno = 0;
	v = strtoull(name, &end, 10);
	if (end == name)
		return -EINVAL;
	if (errno)
		return -ERANGE;
	/* strtoull takes "-2" as 2^64 - 2: implausible like any size beyond the maximum */
	if (v == 0 || v > NP__MAX_NODE_MEMORY >> 10)
		return -EDOM;
	*kb = v;
	return 0;
}

int np__parse_hugepage_count(const char *text, unsigned long long *count)
{
	long long v;
	int r = np__parse_ll(text, &v);

	if (r < 0)
		return r;
	*count = v > 0 ? (unsigned long long)v : 0;
	return 0;
}

int np__parse_cache_size(const char *text, unsigned long long *bytes)
{
	unsigned long long v;
	unsigned int shift = 0;
	bool overflow;
	char *end;

	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	overflow = errno != 0;
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (*end)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	/* checked before the shift, so "NK" never wraps */
	if (v > NP__MAX_CACHE_SIZE >> shift)
		return -EDOM;
	*bytes = v << shift;
	return 0;
}

int np__parse_cache_level(const char *text, unsigned int *level)
{
	long long v;
	int r = parse_range(text, 1, NP__MAX_CACHE_LEVEL, &v);

	if (r == 0)
		*level = (unsigned int)v;
	return r;
}

enum np_cache_type np__parse_cache_type(const char *text)
{
	if (strcmp(text, "Data") == 0)
		return NP_CACHE_DATA;
	if (strcmp(text, "Instruction") == 0)
		return NP_CACHE_INSTRUCTION;
	return NP_CACHE_UNIFIED;
}

int np__parse_cache_attr(const char *text, unsigned int *v)
{
	long long x;
	int r = parse_range(text, 1, NP__MAX_CACHE_ATTR, &x);

	if (r == 0)
		*v = (unsigned int)x;
	return r;
}

int np__parse_cache_id(const char *text, int *id)
{
	long long v;
	int r = parse_range(text, 0, INT_MAX, &v);

	if (r == 0)
		*id = (int)v;
	return r;
}

int np__parse_hmat_num(const char *text, unsigned long long *v)
{
	long long x;
	int r = parse_range(text, 0, LLONG_MAX, &x);

	if (r == 0)
		*v = (unsigned long long)x;
	return r;
}

/* line_size is a u16 in the kernel; beyond an unsigned int it used to wrap silently */
int np__parse_hmat_line_size(const char *text, unsigned int *v)
{
	long long x;
	int r = parse_range(text, 0, UINT_MAX, &x);

	if (r == 0)
		*v = (unsigned int)x;
	return r;
}

/* the kernel's enums end with "other" (2): a newer value is another kind of other */
int np__parse_hmat_enum(const char *text, unsigned int *v)
{
	long long x;
	int r = parse_range(text, 0, LLONG_MAX, &x);

	if (r == 0)
		*v = x > 2 ? 2 : (unsigned int)x;
	return r;
}

int np__parse_dev_node(const char *text, int *node)
{
	long long v;
	int r = parse_range(text, 0, INT_MAX - 1, &v);

	if (r == 0)
		*node = (int)v;
	return r;
}

int np__parse_pci_class(const char *text, unsigned int *cls)
{
	long long v;
	int r = parse_range(text, 0, 0xffffff, &v);

	if (r == 0)
		*cls = (unsigned int)v;
	return r;
}

int np__parse_pci_id(const char *text, unsigned int *id)
{
	long long v;
	int r = parse_range(text, 0, 0xffff, &v);

	if (r == 0)
		*id = (unsigned int)v;
	return r;
}

int np__parse_gpu_numa_status(const char *text, int *node)
{
	const char *p = strstr(text, "Node:");
	char *end;
	long v;

	if (!p)
		return -ENOENT;
	p += 5;
	v = strtol(p, &end, 10);
	/* "Node:" and no number is no node, not node 0 */
	if (end == p)
		return -EINVAL;
	if (v < 0 || v >= INT_MAX)
		return -EDOM;
	*node = (int)v;
	return 0;
}
