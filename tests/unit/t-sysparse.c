/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-sysparse.c - the parsers of sysfs values (lib/sysparse.c) on tables of
 * {expected errno, text, expected value}: every success gives the value, every failure the
 * errno and an output left as it was (the sentinel).  The cases of the hostile-input issue
 * (17) and the wraps found while moving the parsers here are in with their exact text.
 *
 * Terminology: "sentinel" is what the output holds before the call; "adapter" turns one
 * parser's typed output into a long long, so one table runner serves them all.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sysparse.h"
#include "tap.h"

#define SENTINEL 0x5a5a5a5a

struct kase {
	int err;
	const char *text;
	long long want;
};

typedef int (*adapter)(const char *, long long *);

/* @text on one line of TAP: newlines shown as '|' */
static const char *one_line(const char *text)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s", text);
	for (char *p = buf; (p = strchr(p, '\n'));)
		*p = '|';
	return buf;
}

static void run(const char *name, adapter fn, const struct kase *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		long long got = SENTINEL;
		int r = fn(k[i].text, &got);
		long long want = k[i].err ? SENTINEL : k[i].want;

		if (!ok(r == k[i].err && got == want, "%s '%s': %d", name, one_line(k[i].text),
			k[i].err))
			diag("  got %d, value %lld; expected value %lld", r, got, want);
	}
}

#define ADAPT(fname, parser, type)                                                         \
	static int fname(const char *text, long long *ret)                                  \
	{                                                                                   \
		type v = (type)SENTINEL;                                                    \
		int r = parser(text, &v);                                                   \
		*ret = (long long)v;                                                        \
		return r;                                                                   \
	}

ADAPT(a_ll, np__parse_ll, long long)
ADAPT(a_hp_dir, np__parse_hugepage_dir, unsigned long long)
ADAPT(a_hp_count, np__parse_hugepage_count, unsigned long long)
ADAPT(a_size, np__parse_cache_size, unsigned long long)
ADAPT(a_level, np__parse_cache_level, unsigned int)
ADAPT(a_attr, np__parse_cache_attr, unsigned int)
ADAPT(a_id, np__parse_cache_id, int)
ADAPT(a_hmat, np__parse_hmat_num, unsigned long long)
ADAPT(a_line, np__parse_hmat_line_size, unsigned int)
ADAPT(a_enum, np__parse_hmat_enum, unsigned int)
ADAPT(a_node, np__parse_dev_node, int)
ADAPT(a_class, np__parse_pci_class, unsigned int)
ADAPT(a_pci_id, np__parse_pci_id, unsigned int)
ADAPT(a_gpu, np__parse_gpu_numa_status, int)

static int a_total(const char *text, long long *ret)
{
	return np__parse_meminfo(text, "MemTotal:", ret);
}

#define RUN(name, fn, table) run(name, fn, table, sizeof(table) / sizeof(*table))

static void test_numbers(void)
{
	static const struct kase ll[] = {
		{ 0, "0", 0 },
		{ 0, "-1", -1 },
		{ 0, "0x1a03", 0x1a03 },
		{ 0, "010", 8 },
		{ 0, " 42", 42 },
		{ 0, "9223372036854775807", LLONG_MAX },
		{ -ERANGE, "9223372036854775808", 0 },
		{ -ERANGE, "-99999999999999999999", 0 },
		{ -EINVAL, "", 0 },
		{ -EINVAL, "12a", 0 },
		{ -EINVAL, "1 2", 0 },
		{ -EINVAL, "0x", 0 },
	};

	RUN("ll", a_ll, ll);
}

static void test_meminfo(void)
{
	static const struct kase total[] = {
		{ 0, "Node 0 MemTotal:       32768 kB\nNode 0 MemFree: 1 kB", 32768LL * 1024 },
		{ 0, "MemTotal:\t0 kB", 0 },
		{ 0, "MemTotal: 1099511627776 kB", 1LL << 50 },
		{ -EDOM, "MemTotal: 1099511627777 kB", 0 },
		/* issue 17: signed overflow (UBSan) before the cap */
		{ -EDOM, "Node 0 MemTotal: 99999999999999999999999 kB", 0 },
		{ -EINVAL, "MemTotal: -5 kB", 0 },
		{ -EINVAL, "MemTotal: kB", 0 },
		{ -ENOENT, "MemFree: 5 kB", 0 },
		{ -ENOENT, "", 0 },
	};
	static const struct kase dir[] = {
		{ 0, "hugepages-2048kB", 2048 },
		{ 0, "hugepages-1048576kB", 1048576 },
		{ -EINVAL, "hugepages-kB", 0 },
		{ -EINVAL, "huge-2048kB", 0 },
		{ -EDOM, "hugepages-0kB", 0 },
		{ -EDOM, "hugepages--2kB", 0 },
		{ 0, "hugepages-1099511627776kB", 1LL << 40 },
		{ -EDOM, "hugepages-1099511627777kB", 0 },
		{ -ERANGE, "hugepages-99999999999999999999kB", 0 },
	};
	static const struct kase count[] = {
		{ 0, "0", 0 }, { 0, "512", 512 }, { 0, "-3", 0 }, { -EINVAL, "many", 0 },
	};

	RUN("meminfo", a_total, total);
	RUN("hugepage dir", a_hp_dir, dir);
	RUN("hugepage count", a_hp_count, count);
}

static void test_distances(void)
{
	static const struct {
		int ret;
		bool rest;
		const char *text;
		int row[4];
	} k[] = {
		{ 2, false, "10 20", { 10, 20 } },
		{ 4, false, "10 21 31 255", { 10, 21, 31, 255 } },
		{ 4, true, "10 20 30 40 50", { 10, 20, 30, 40 } }, /* at most max */
		{ 1, true, "10 x 20", { 10 } },
		{ 2, true, "10 20x", { 10, 20 } }, /* issue 17: trailing garbage is a problem */
		{ 2, false, "10 20 \t", { 10, 20 } }, /* blanks are no text */
		{ 0, false, "", { 0 } },
		{ 0, true, "x", { 0 } },
		{ -EDOM, true, "10 256", { 0 } },
		{ -EDOM, true, "10 -1", { 0 } },
		{ -EDOM, true, "10 99999999999999999999", { 0 } },
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(*k); i++) {
		int row[5] = { -7, -7, -7, -7, -7 };
		/* a failure leaves *rest as it was: start it opposite to what a success would say */
		bool rest = k[i].ret < 0 ? k[i].rest : !k[i].rest;
		int r = np__parse_distances(k[i].text, row, 4, &rest);
		bool same = row[4] == -7;

		for (int j = 0; j < 4; j++)
			same &= row[j] == (j < k[i].ret ? k[i].row[j] : -7);
		ok(r == k[i].ret && same && rest == k[i].rest, "distances '%s': %d%s", k[i].text,
		   k[i].ret, k[i].ret >= 0 && k[i].rest ? ", text after" : "");
	}
	ok(np__parse_distances("10 20 x", (int[4]){ 0 }, 4, NULL) == 2, "distances: rest may be NULL");
}

static void test_caches(void)
{
	static const struct kase size[] = {
		{ 0, "32K", 32768 },
		{ 0, "1M", 1 << 20 },
		{ 0, "2G", 2LL << 30 },
		{ 0, "8192", 8192 },
		{ 0, "1048576G", 1LL << 50 },
		{ -EDOM, "1048577G", 0 },
		{ -EDOM, "18014398509481984K", 0 }, /* 2^54 K: would wrap to 0 when shifted */
		{ -ERANGE, "99999999999999999999K", 0 },
		{ -EINVAL, "99999999999999999999X", 0 }, /* syntax first, as the oracle of fuzz-cache */
		{ -EINVAL, "-64K", 0 }, /* issue 17: shown as 16384.0 PiB */
		{ -EINVAL, "32KB", 0 },
		{ -EINVAL, "K", 0 },
		{ -EINVAL, " 32K", 0 },
	};
	static const struct kase level[] = {
		{ 0, "1", 1 }, { 0, "4", 4 }, { -EDOM, "0", 0 }, { -EDOM, "5", 0 },
		{ -EDOM, "99999999999", 0 }, /* issue 17: shown as L1215752191d */
		{ -ERANGE, "99999999999999999999", 0 }, { -EINVAL, "L2", 0 },
	};
	static const struct kase attr[] = {
		{ 0, "64", 64 }, { 0, "65536", 65536 }, { -EDOM, "0", 0 }, { -EDOM, "65537", 0 },
		{ -EDOM, "-64", 0 },
	};
	static const struct kase id[] = {
		{ 0, "0", 0 }, { 0, "2147483647", INT_MAX }, { -EDOM, "2147483648", 0 },
		{ -EDOM, "-1", 0 },
	};

	RUN("cache size", a_size, size);
	RUN("cache level", a_level, level);
	RUN("cache attr", a_attr, attr);
	RUN("cache id", a_id, id);
	is_int(np__parse_cache_type("Data"), NP_CACHE_DATA, "cache type Data");
	is_int(np__parse_cache_type("Instruction"), NP_CACHE_INSTRUCTION, "cache type Instruction");
	is_int(np__parse_cache_type("Unified"), NP_CACHE_UNIFIED, "cache type Unified");
	is_int(np__parse_cache_type("data"), NP_CACHE_UNIFIED, "cache type: anything else unified");
}

static void test_hmat(void)
{
	static const struct kase num[] = {
		{ 0, "0", 0 }, { 0, "102400", 102400 }, { -EDOM, "-1", 0 }, { -EINVAL, "fast", 0 },
	};
	static const struct kase line[] = {
		{ 0, "64", 64 },
		{ 0, "4294967295", UINT_MAX },
		/* read as (unsigned int) before, this was a line of 64 bytes */
		{ -EDOM, "4294967360", 0 },
		{ -EDOM, "-64", 0 },
	};
	static const struct kase en[] = {
		{ 0, "0", 0 }, { 0, "1", 1 }, { 0, "2", 2 }, { 0, "7", 2 }, { -EDOM, "-1", 0 },
	};

	RUN("hmat num", a_hmat, num);
	RUN("hmat line size", a_line, line);
	RUN("hmat enum", a_enum, en);
}

static void test_devices(void)
{
	static const struct kase node[] = {
		{ 0, "0", 0 },
		{ 0, "7", 7 },
		{ -EDOM, "-1", 0 },
		{ -EDOM, "2147483647", 0 },
		/* an IRQ's node read as (int) before, this was node 0 */
		{ -EDOM, "4294967296", 0 },
	};
	static const struct kase cls[] = {
		{ 0, "0x030000", 0x030000 }, { 0, "0xffffff", 0xffffff }, { -EDOM, "0x1000000", 0 },
		{ -EINVAL, "display", 0 },
	};
	static const struct kase id[] = {
		{ 0, "0x10de", 0x10de }, { -EDOM, "0x10000", 0 }, { -EDOM, "-1", 0 },
	};
	static const struct kase gpu[] = {
		{ 0, "Node: 255\nOffline memory: 0\n", 255 },
		{ -EDOM, "Node: -1", 0 },
		/* strtol of nothing before, this was node 0 */
		{ -EINVAL, "Node: N/A", 0 },
		{ -ENOENT, "Memory blocks:", 0 },
	};

	RUN("device node", a_node, node);
	RUN("pci class", a_class, cls);
	RUN("pci id", a_pci_id, id);
	RUN("gpu numa_status", a_gpu, gpu);
}

/* digits inside a line: where they end, and nothing else taken for a number */
static void test_digits(void)
{
	static const char max[] = "18446744073709551615 x";
	unsigned long long v = 7;
	const char *end = NULL;

	is_int(np__parse_digits(max, &end, &v), 0, "digits: 2^64-1 is read");
	ok(v == 18446744073709551615ULL && end == max + 20, "  to the blank after it");
	v = 7;
	end = NULL;
	is_int(np__parse_digits("18446744073709551616", &end, &v), -EINVAL, "digits: 2^64 overflows");
	is_int(np__parse_digits("-1", &end, &v), -EINVAL, "digits: no sign");
	is_int(np__parse_digits(" 1", &end, &v), -EINVAL, "digits: no leading blank");
	is_int(np__parse_digits("", &end, &v), -EINVAL, "digits: none");
	ok(v == 7 && end == NULL, "  failures leave the outputs alone");
}

int main(void)
{
	test_digits();
	test_numbers();
	test_meminfo();
	test_distances();
	test_caches();
	test_hmat();
	test_devices();
	done_testing();
	return exit_status();
}
