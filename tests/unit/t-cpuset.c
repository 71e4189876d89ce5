/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-cpuset.c - unit tests of the CPU/node sets: parsers of every syntax, formatters, round
 * trips on random sets, and util-linux's own cpuset vectors (set operations: t-cpuset-ops.c).
 *
 * Terminology: a "case" is one row {syntax, size, allowed, expected errno, input, expected
 * set, expected error offset}; the expected set is written as a kernel-style cpulist.  A
 * failing case must leave the sentinel set ("sentinel" below) exactly as it was.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include "numaplace.h"
#include "tap.h"

enum syntax { LIST, MASK, TASKSET, NUMACTL };

static const char *const syntax_name[] = {"list", "mask", "taskset", "numactl"};

struct pcase {
	enum syntax syn;
	unsigned int nbits;
	const char *allowed; /* numactl only: a cpulist; NULL allows every bit */
	int err;
	const char *in;
	const char *want; /* the set on success, as a cpulist */
	size_t errpos;	  /* on failure */
};

/* clang-format off */
#define OK(syn, n, in, want) { syn, n, NULL, 0, in, want, 0 }
#define ER(syn, n, e, in, pos) { syn, n, NULL, e, in, NULL, pos }
#define NOK(n, al, in, want) { NUMACTL, n, al, 0, in, want, 0 }
#define NER(n, al, e, in, pos) { NUMACTL, n, al, e, in, NULL, pos }

static const struct pcase cases[] = {
	/* cpulist: the kernel's and util-linux's syntax */
	OK(LIST, 64, "", ""),
	OK(LIST, 64, "\n", ""),
	OK(LIST, 64, "0", "0"),
	OK(LIST, 64, "0-3,8,10-14:2", "0-3,8,10,12,14"),
	OK(LIST, 64, "  1 , 3 \n", "1,3"),
	OK(LIST, 64, "5-5", "5"),
	OK(LIST, 64, "0-63", "0-63"),
	OK(LIST, 64, "63", "63"),
	OK(LIST, 64, "0-63:64", "0"),
	OK(LIST, 64, "0-63:4294967295", "0"),
	OK(LIST, 64, "0-10:3", "0,3,6,9"),
	OK(LIST, 64, "1,1,1", "1"),
	OK(LIST, 64, "000007", "7"),
	OK(LIST, 64, "3,1-2", "1-3"),
	OK(LIST, 200, "60-130", "60-130"),
	OK(LIST, 0, "", ""),
	ER(LIST, 64, -EINVAL, "1,,2", 2),
	ER(LIST, 64, -EINVAL, "1,", 2),
	ER(LIST, 64, -EINVAL, ",1", 0),
	ER(LIST, 64, -EINVAL, "-1", 0),
	ER(LIST, 64, -EINVAL, "1-", 2),
	ER(LIST, 64, -EINVAL, "3-1", 0),
	ER(LIST, 64, -EINVAL, "1-3:", 4),
	ER(LIST, 64, -EINVAL, "1-3:0", 4),
	ER(LIST, 64, -EINVAL, "3:2", 1),
	ER(LIST, 64, -EINVAL, "a", 0),
	ER(LIST, 64, -EINVAL, "1 2", 2),
	ER(LIST, 64, -EINVAL, "1 - 2", 2),
	ER(LIST, 64, -EINVAL, "0x1", 1),
	ER(LIST, 64, -EINVAL, "+1", 0),
	ER(LIST, 64, -EINVAL, "100,x", 4),
	ER(LIST, 64, -ERANGE, "64", 0),
	ER(LIST, 64, -ERANGE, "0-64", 2),
	ER(LIST, 64, -ERANGE, "1,100", 2),
	ER(LIST, 64, -ERANGE, "60-70:20", 3),
	ER(LIST, 64, -ERANGE, "4294967295", 0),
	ER(LIST, 0, -ERANGE, "0", 0),
	ER(LIST, 64, -EOVERFLOW, "4294967296", 0),
	ER(LIST, 64, -EOVERFLOW, "1-99999999999", 2),
	ER(LIST, 64, -EOVERFLOW, "0-1:4294967296", 4),
	ER(LIST, 64, -EOVERFLOW, "100,99999999999", 4),

	/* mask: the kernel's hex words */
	OK(MASK, 64, "0", ""),
	OK(MASK, 64, "1", "0"),
	OK(MASK, 64, "ff,ffffffff", "0-39"),
	OK(MASK, 64, "00000000,00000003\n", "0-1"),
	OK(MASK, 64, "80000000,00000000", "63"),
	OK(MASK, 64, "00000000,00000000,00000000,00000001", "0"),
	OK(MASK, 64, " 3 ", "0-1"),
	OK(MASK, 64, "FF", "0-7"),
	OK(MASK, 2, "3", "0-1"),
	OK(MASK, 2, "00000000,00000003", "0-1"),
	OK(MASK, 33, "1,ffffffff", "0-32"),
	OK(MASK, 0, "0", ""),
	OK(MASK, 0, "00000000,00000000", ""),
	ER(MASK, 64, -ERANGE, "1,00000000,00000000", 0),
	ER(MASK, 64, -ERANGE, "00000001,00000000,00000000", 7),
	ER(MASK, 2, -ERANGE, "4", 0),
	ER(MASK, 33, -ERANGE, "2,00000000", 0),
	ER(MASK, 0, -ERANGE, "1", 0),
	ER(MASK, 64, -EINVAL, "ff,,1", 3),
	ER(MASK, 64, -EINVAL, ",1", 0),
	ER(MASK, 64, -EINVAL, "1,", 2),
	ER(MASK, 64, -EINVAL, "", 0),
	ER(MASK, 64, -EINVAL, "\n", 0),
	ER(MASK, 64, -EINVAL, "0x3", 1),
	ER(MASK, 64, -EINVAL, "fg", 1),
	ER(MASK, 64, -EINVAL, "1 ,2", 1),
	ER(MASK, 2, -EINVAL, "ff,zz", 3),
	ER(MASK, 64, -EOVERFLOW, "123456789", 0),
	ER(MASK, 64, -EOVERFLOW, "1,000000000", 2),

	/* taskset: util-linux cpumask_parse */
	OK(TASKSET, 64, "0x3", "0-1"),
	OK(TASKSET, 64, "3", "0-1"),
	OK(TASKSET, 64, "", ""),
	OK(TASKSET, 64, "0x", ""),
	OK(TASKSET, 64, "ff,1", "0,4-11"),
	OK(TASKSET, 64, "1,", "0"),
	OK(TASKSET, 64, "0000000000000000000000000000000000000000000000000000000000001", "0"),
	OK(TASKSET, 64, "8000000000000000", "63"),
	OK(TASKSET, 64, "0xFf", "0-7"),
	OK(TASKSET, 64, "ffffffff,ffffffff", "0-63"),
	ER(TASKSET, 64, -EINVAL, "0X3", 1),
	ER(TASKSET, 64, -EINVAL, "0xg", 2),
	ER(TASKSET, 64, -EINVAL, ",1", 0),
	ER(TASKSET, 64, -EINVAL, "1,,2", 2),
	ER(TASKSET, 64, -EINVAL, "0x,", 2),
	ER(TASKSET, 64, -EINVAL, " 1", 0),
	ER(TASKSET, 64, -EINVAL, "1 ", 1),
	ER(TASKSET, 64, -EINVAL, "1\n", 1),
	ER(TASKSET, 64, -EINVAL, "0x0x1", 3),
	ER(TASKSET, 64, -EINVAL, "10000000000000000000g", 20),
	ER(TASKSET, 64, -ERANGE, "10000000000000000", 0),
	ER(TASKSET, 64, -ERANGE, "0x30000000000000000", 2),
	ER(TASKSET, 2, -ERANGE, "4", 0),

	/* numactl: all, !, +, C numbers, and the rule for issue #259 */
	NOK(8, "0-7", "all", "0-7"),
	NOK(8, "0-7", "0,2-3", "0,2-3"),
	NOK(8, "0-7", "!1-2", "0,3-7"),
	NOK(8, "0-7", "+0-1", "0-1"),
	NOK(8, "0-7", "", ""),
	NOK(8, "0-7", "0x3", "3"),
	NOK(8, "0-7", "07", "7"),
	NOK(8, "0-7", "!all", ""),
	NOK(8, "0-7", "+all", "0-7"),
	NOK(8, "0-7", " all\n", "0-7"),
	NOK(8, "0-7", "0, 1", "0-1"),
	NOK(8, "0-7", "0-6:2", "0,2,4,6"),
	NOK(8, NULL, "all", "0-7"),
	NOK(4, NULL, "!0", "1-3"),
	NOK(8, "0-15", "all", "0-7"),
	NOK(8, "2-5", "all", "2-5"),
	NOK(8, "2-5", "+0", "2"),
	NOK(8, "2-5", "+1-2", "3-4"),
	NOK(8, "2-5", "!3", "2,4-5"),
	NOK(8, "2-5", "!+0", "3-5"),
	NOK(8, "2-5", "0-3", "2-3"),  /* #259: an endpoint outside the allowed set is cut */
	NOK(8, "2-5", "1-6", "2-5"),
	NOK(8, "0-1,4-5", "0-5", "0-1,4-5"), /* #259: so is the interior */
	NOK(8, "0-1,4-5", "1-4", "1,4"),
	NOK(8, "0-1,4-5", "+0-3:2", "0,4"),
	NOK(8, "0-1,4-5", "+1-3", "1,4-5"),
	NOK(8, "0-1,4-5", "!0-3", "4-5"),
	NER(8, "2-5", -ERANGE, "+4", 1),
	NER(8, "2-5", -ERANGE, "+1-4", 3),
	NER(8, "2-5", -ERANGE, "1", 0),
	NER(8, "2-5", -ERANGE, "3,6", 2),
	NER(8, "2-5", -ERANGE, "0-1", 0), /* #259: a range with no allowed member */
	NER(8, "0-1,4-5", -ERANGE, "2-3", 0),
	NER(8, "0-1,4-5", -ERANGE, "!2", 1),
	NER(8, "0-7", -ERANGE, "8", 0),
	NER(8, "0-7", -ERANGE, "0-8", 2),
	NER(8, "0-7", -ERANGE, "010", 0),
	NER(8, "0-7", -EINVAL, "!", 1),
	NER(8, "0-7", -EINVAL, "+", 1),
	NER(8, "0-7", -EINVAL, "!+", 2),
	NER(8, "0-7", -EINVAL, "+!0", 1),
	NER(8, "0-7", -EINVAL, "3-1", 0),
	NER(8, "0-7", -EINVAL, "0,", 2),
	NER(8, "0-7", -EINVAL, "all,0", 0),
	NER(8, "0-7", -EINVAL, "0,all", 2),
	NER(8, "0-7", -EINVAL, "ALL", 0),
	NER(8, "0-7", -EINVAL, "08", 1),
	NER(8, "0-7", -EINVAL, "-1", 0),
	NER(8, "0-7", -EINVAL, "0-3:0", 4),
	NER(8, "0-7", -EINVAL, "9,x", 2),
	NER(8, "0-7", -EOVERFLOW, "4294967296", 0),
	NER(8, "0-7", -EOVERFLOW, "0x100000000", 0),
	NER(8, "0-7", -EOVERFLOW, "+99999999999", 1),
};
/* clang-format on */

static struct np_cpuset *mkset(unsigned int nbits, const char *list)
{
	struct np_cpuset *s;

	if (np_cpuset_new(nbits, &s) < 0)
		bail_out("np_cpuset_new failed");
	if (list && np_cpuset_parse_list(s, list, NULL) < 0)
		bail_out("bad list in a test table");
	return s;
}

static char *fmt(const struct np_cpuset *s, unsigned int flags)
{
	char *out;

	if (np_cpuset_format_list(s, flags, &out) < 0)
		bail_out("np_cpuset_format_list failed");
	return out;
}

static void is_set(const struct np_cpuset *s, const char *want, const char *name)
{
	char *got = fmt(s, 0);

	is_str(got, want, "%s", name);
	free(got);
}

static int parse(enum syntax syn, struct np_cpuset *s, const char *in,
		 const struct np_cpuset *allowed, size_t *pos)
{
	switch (syn) {
	case LIST:
		return np_cpuset_parse_list(s, in, pos);
	case MASK:
		return np_cpuset_parse_mask(s, in, pos);
	case TASKSET:
		return np_cpuset_parse_taskset(s, in, pos);
	case NUMACTL:
		return np_cpuset_parse_numactl(s, in, allowed, pos);
	}
	return -ENOSYS;
}

/* The input as a test name shows it: newlines and tabs escaped, so TAP stays one line. */
static const char *shown(const char *in)
{
	static char buf[256];
	size_t n = 0;

	for (; *in && n < sizeof(buf) - 3; in++) {
		if (*in == '\n' || *in == '\t') {
			buf[n++] = '\\';
			buf[n++] = *in == '\n' ? 'n' : 't';
		} else {
			buf[n++] = *in;
		}
	}
	buf[n] = 0;
	return buf;
}

static void run_case(const struct pcase *c)
{
	struct np_cpuset *s = mkset(c->nbits, NULL), *sentinel;
	struct np_cpuset *al = c->allowed ? mkset(16, c->allowed) : NULL;
	size_t pos = 12345;
	char *got;
	int r;

	/* a recognisable set to prove a failure leaves it alone */
	for (unsigned int i = 0; i < c->nbits; i += 3)
		np_cpuset_set(s, i);
	if (np_cpuset_dup(s, &sentinel) < 0)
		bail_out("np_cpuset_dup failed");
	r = parse(c->syn, s, c->in, al, &pos);
	got = fmt(s, 0);
	if (c->err == 0) {
		if (!ok(r == 0 && strcmp(got, c->want) == 0 && pos == 12345, "%s/%u '%s' -> '%s'",
			syntax_name[c->syn], c->nbits, shown(c->in), c->want))
			diag("  got %d '%s'", r, got);
	} else {
		if (!ok(r == c->err && pos == c->errpos && np_cpuset_equal(s, sentinel),
			"%s/%u '%s' -> %s at %zu, set untouched", syntax_name[c->syn], c->nbits,
			shown(c->in), np_strerror(c->err), c->errpos))
			diag("  got %d at %zu, set '%s'", r, pos, got);
	}
	free(got);
	np_cpuset_free(sentinel);
	np_cpuset_free(al);
	np_cpuset_free(s);
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* errpos may be NULL. */
static void test_errpos_null(void)
{
	struct np_cpuset *s = mkset(8, "1");

	is_int(np_cpuset_parse_list(s, "9", NULL), -ERANGE, "errpos may be NULL");
	is_int(np_cpuset_first(s), 1, "and the set is still untouched");
	np_cpuset_free(s);
}

/* Masks far wider than the set, as sysfs and scripts write them. */
static void test_long_masks(void)
{
	static char buf[8192];
	struct np_cpuset *s = mkset(64, NULL), *big = mkset(8192, NULL);
	size_t pos = 0;

	memcpy(buf, "0x", 2);
	memset(buf + 2, '0', 5000);
	strcpy(buf + 5002, "3");
	is_int(np_cpuset_parse_taskset(s, buf, NULL), 0, "taskset: 5000 leading zero digits");
	is_set(s, "0-1", "taskset: 5000 leading zero digits give 0-1");
	buf[2] = '1';
	is_int(np_cpuset_parse_taskset(s, buf, &pos), -ERANGE,
	       "taskset: a bit 20000 up is -ERANGE");
	is_int(pos, 2, "taskset: at the digit that holds it");
	is_set(s, "0-1", "taskset: the set is untouched");
	buf[2] = '0';
	buf[5002 - 2047] = '8';
	is_int(np_cpuset_parse_taskset(big, buf + 5002 - 2047, NULL), 0, "taskset: 2048 digits");
	is_set(big, "0-1,8191", "taskset: 2048 digits reach bit 8191");
	buf[5002 - 2048] = '8';
	is_int(np_cpuset_parse_taskset(big, buf + 5002 - 2048, &pos), -ERANGE,
	       "taskset: 2049 digits with the top one set are -ERANGE in 8192 bits");
	buf[0] = 0;
	for (int i = 0; i < 300; i++)
		strcat(buf, "00000000,");
	strcat(buf, "00000001\n");
	is_int(np_cpuset_parse_mask(s, buf, NULL), 0, "mask: 301 words, the high 300 zero");
	is_set(s, "0", "mask: 301 words give 0");
	np_cpuset_free(big);
	np_cpuset_free(s);
}

/* ---- util-linux's vectors: input = mask [list with strides] --------------------------- */

static void test_util_linux(void)
{
	const char *src = getenv("NP_SRCDIR");
	char path[4096], line[512];
	int n = 0, section = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/../shared/fixtures/cpuset/util-linux-cpuset.expected",
		 src ? src : ".");
	f = fopen(path, "r");
	if (!f) {
		skip(22,
		     "no ../shared/fixtures/cpuset/util-linux-cpuset.expected (NP_SRCDIR unset?)");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char in[128], mask[128], list[128];
		struct np_cpuset *s = mkset(2048, NULL); /* util-linux's test uses --ncpus 2048 */
		char *gm = NULL, *gl = NULL;
		int r;

		if (!strncmp(line, "masks:", 6))
			section = MASK;
		else if (!strncmp(line, "strings:", 8))
			section = LIST;
		if (line[0] == '#' || section < 0 ||
		    sscanf(line, "%127s = %127s [%127[^]]]", in, mask, list) != 3) {
			np_cpuset_free(s);
			continue;
		}
		/* util-linux reads the masks with cpumask_parse, which is our taskset syntax */
		r = section == MASK ? np_cpuset_parse_taskset(s, in, NULL)
				    : np_cpuset_parse_list(s, in, NULL);
		if (r == 0)
			r = np_cpuset_format_taskset(s, &gm);
		if (r == 0)
			r = np_cpuset_format_list(s, NP_FMT_STRIDES, &gl);
		if (!ok(r == 0 && !strcmp(gm, mask) && !strcmp(gl, list),
			"util-linux: %s = %s [%s]", in, mask, list))
			diag("  got %d %s [%s]", r, gm ? gm : "-", gl ? gl : "-");
		n++;
		free(gm);
		free(gl);
		np_cpuset_free(s);
	}
	fclose(f);
	is_int(n, 22, "util-linux: all 22 vectors read");
}

/* ---- formatters ---------------------------------------------------------------------- */

static void check_fmt(unsigned int nbits, const char *list, unsigned int flags, int kind,
		      const char *want)
{
	struct np_cpuset *s = mkset(nbits, list);
	char *got = NULL;
	int r = kind == 0   ? np_cpuset_format_list(s, flags, &got)
		: kind == 1 ? np_cpuset_format_mask(s, flags, &got)
			    : np_cpuset_format_taskset(s, &got);

	is_int(r, 0, "format %s of {%s}/%u returns 0",
	       kind == 0   ? "list"
	       : kind == 1 ? "mask"
			   : "taskset",
	       list, nbits);
	is_str(got, want, "format %s of {%s}/%u flags %#x is '%s'",
	       kind == 0   ? "list"
	       : kind == 1 ? "mask"
			   : "taskset",
	       list, nbits, flags, want);
	free(got);
	np_cpuset_free(s);
}

static void test_format(void)
{
	check_fmt(64, "", 0, 0, "");
	check_fmt(64, "0-1", 0, 0, "0-1");
	check_fmt(64, "0-3,8", 0, 0, "0-3,8");
	check_fmt(64, "0,2,4", 0, 0, "0,2,4");
	check_fmt(64, "", NP_FMT_STRIDES, 0, "");
	check_fmt(64, "0-1", NP_FMT_STRIDES, 0, "0,1");
	check_fmt(64, "0,2,4,5,6", NP_FMT_STRIDES, 0, "0-4:2,5,6");
	check_fmt(64, "1,3-5", NP_FMT_STRIDES, 0, "1,3-5");
	check_fmt(64, "0-62:2", NP_FMT_STRIDES, 0, "0-62:2");
	check_fmt(64, "0-1,3", NP_FMT_STRIDES, 0, "0,1,3");
	check_fmt(64, "0-3,8", NP_FMT_STRIDES, 0, "0-3,8");
	check_fmt(64, "63", NP_FMT_STRIDES, 0, "63");
	check_fmt(64, "", 0, 1, "0");
	check_fmt(64, "0-39", 0, 1, "ff,ffffffff");
	check_fmt(64, "32", 0, 1, "1,00000000");
	check_fmt(64, "0-1", NP_FMT_FULL, 1, "00000000,00000003");
	check_fmt(2, "0-1", NP_FMT_FULL, 1, "3");
	check_fmt(36, "0", NP_FMT_FULL, 1, "0,00000001");
	check_fmt(0, "", NP_FMT_FULL, 1, "0");
	check_fmt(64, "", 0, 2, "0");
	check_fmt(64, "0-39", 0, 2, "ffffffffff");
	check_fmt(64, "63", 0, 2, "8000000000000000");
	check_fmt(64, "4", 0, 2, "10");

	struct np_cpuset *s = mkset(1024, "0");
	char *m = NULL;

	np_cpuset_format_mask(s, NP_FMT_FULL, &m);
	ok(m && strlen(m) == 32 * 9 - 1 && !strcmp(m + strlen(m) - 9, ",00000001"),
	   "format mask NP_FMT_FULL of 1024 bits has 32 words, as /proc/self/status Mems_allowed");
	free(m);
	np_cpuset_free(s);
}

/* ---- round trips on random sets -------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	/* xorshift64*: a fixed seed, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static struct np_cpuset *random_set(void)
{
	unsigned int nbits = 1 + rnd() % 8192, shape = rnd() % 4;
	struct np_cpuset *s = mkset(nbits, NULL);
	unsigned int density = 1 + rnd() % 100;

	for (unsigned int i = 0; i < nbits; i++) {
		bool on = shape == 0   ? rnd() % 100 < density
			  : shape == 1 ? (i / (1 + density)) % 2 == 0 /* long runs */
			  : shape == 2 ? i % (1 + density % 7) == 0   /* strides */
				       : rnd() % 1000 == 0;	      /* sparse */
		if (on)
			np_cpuset_set(s, i);
	}
	return s;
}

static void test_round_trips(void)
{
	int fail[6] = {0}, iters = 600;
	static const char *const what[] = {"list",    "list with strides",
					   "mask",    "full mask",
					   "taskset", "numactl +all / relative list"};

	for (int k = 0; k < iters; k++) {
		struct np_cpuset *s = random_set(), *t = mkset(np_cpuset_size(s), NULL);
		char *str = NULL;

		for (int f = 0; f < 5; f++) {
			int r = f == 0	 ? np_cpuset_format_list(s, 0, &str)
				: f == 1 ? np_cpuset_format_list(s, NP_FMT_STRIDES, &str)
				: f == 2 ? np_cpuset_format_mask(s, 0, &str)
				: f == 3 ? np_cpuset_format_mask(s, NP_FMT_FULL, &str)
					 : np_cpuset_format_taskset(s, &str);
			char *again = NULL;

			np_cpuset_zero(t);
			if (r == 0)
				r = f < 2   ? np_cpuset_parse_list(t, str, NULL)
				    : f < 4 ? np_cpuset_parse_mask(t, str, NULL)
					    : np_cpuset_parse_taskset(t, str, NULL);
			if (r == 0)
				r = f < 2 ? np_cpuset_format_list(t, f ? NP_FMT_STRIDES : 0, &again)
				    : f < 4
					? np_cpuset_format_mask(t, f == 3 ? NP_FMT_FULL : 0, &again)
					: np_cpuset_format_taskset(t, &again);
			if (r || !np_cpuset_equal(s, t) || strcmp(str, again)) {
				if (!fail[f]++)
					diag("%s round trip failed (%d) on size %u: '%.200s'",
					     what[f], r, np_cpuset_size(s), str);
			}
			free(again);
			free(str);
			str = NULL;
		}
		/* numactl: "+all" is the allowed set; "+0-(w-1)" too, by ranks */
		np_cpuset_zero(t);
		if (np_cpuset_parse_numactl(t, "+all", s, NULL) != 0 || !np_cpuset_equal(s, t))
			fail[5]++;
		if (np_cpuset_weight(s)) {
			char rel[32];

			snprintf(rel, sizeof(rel), "+0-%u", np_cpuset_weight(s) - 1);
			np_cpuset_zero(t);
			if (np_cpuset_parse_numactl(t, rel, s, NULL) != 0 || !np_cpuset_equal(s, t))
				fail[5]++;
		}
		np_cpuset_free(t);
		np_cpuset_free(s);
	}
	for (int f = 0; f < 6; f++)
		is_int(fail[f], 0, "%d random sets up to 8192 bits: %s round trip", iters, what[f]);
}

int main(void)
{
	test_table();
	test_errpos_null();
	test_long_masks();
	test_util_linux();
	test_format();
	test_round_trips();
	done_testing();
	return exit_status();
}
