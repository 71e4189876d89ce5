/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-meminfo.c - libFuzzer target for the parsers of a node's memory: a meminfo field
 * (np__parse_meminfo: MemTotal, MemFree), a huge page directory's name
 * (np__parse_hugepage_dir) and a huge page count (np__parse_hugepage_count).
 *
 * Terminology: see fuzz-sysparse.h.  The first byte picks the parser: 0 MemTotal:,
 * 1 MemFree:, 2 the directory name, 3 the count.
 *
 * Invariants: a failure leaves the output untouched.  A field is -ENOENT exactly when its key
 * is not in the text; else what follows the key and blanks decides, digit by digit: no digit
 * -EINVAL, more than 2^40 kB -EDOM, else that many kB in bytes (0..2^50, never wrapped).  A
 * directory name "hugepages-<digits>..." gives those digits' value in 1..2^40 kB or -EDOM; a
 * count is np__parse_ll's number, 0 when negative.
 */
#include "fuzz-sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_field(const char *text, const char *key)
{
	long long bytes = SENTINEL;
	int r = np__parse_meminfo(text, key, &bytes);
	const char *p = strstr(text, key);
	unsigned long long kb;
	size_t n;

	if (!p) {
		check(r == -ENOENT && bytes == SENTINEL);
		return;
	}
	p += strlen(key);
	p += strspn(p, " \t");
	n = strspn(p, "0123456789");
	kb = fuzz_digits(p, n);
	if (n == 0)
		check(r == -EINVAL && bytes == SENTINEL);
	else if (kb > NP__MAX_NODE_MEMORY >> 10)
		check(r == -EDOM && bytes == SENTINEL);
	else
		check(r == 0 && bytes >= 0 && (unsigned long long)bytes == kb << 10 &&
		      (unsigned long long)bytes <= NP__MAX_NODE_MEMORY);
}

static void fuzz_dir(const char *name)
{
	unsigned long long kb = SENTINEL;
	int r = np__parse_hugepage_dir(name, &kb);
	const char *p = name + 10;
	size_t n;

	check(r == 0 || r == -EINVAL || r == -ERANGE || r == -EDOM);
	if (r < 0) {
		check(kb == SENTINEL);
		return;
	}
	check(strncmp(name, "hugepages-", 10) == 0);
	check(kb >= 1 && kb <= NP__MAX_NODE_MEMORY >> 10);
	n = strspn(p, "0123456789");
	if (n > 0)
		check(kb == fuzz_digits(p, n));
}

static void fuzz_count(const char *text)
{
	unsigned long long count = SENTINEL;
	long long v;
	int r = np__parse_hugepage_count(text, &count);
	int rl = np__parse_ll(text, &v);

	check(r == rl);
	if (r < 0)
		check(count == SENTINEL);
	else
		check(count == (v > 0 ? (unsigned long long)v : 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 1);

	if (!text)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_field(text, "MemTotal:");
		break;
	case 1:
		fuzz_field(text, "MemFree:");
		break;
	case 2:
		fuzz_dir(text);
		break;
	default:
		fuzz_count(text);
	}
	free(text);
	return 0;
}
