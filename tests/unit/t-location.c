/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-location.c - location expressions: the parser's table of accepted and refused inputs
 * with their canonical text (which must parse back to itself), and evaluation on hand-built
 * machines shaped like shared captures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "machines.h"

static const struct {
	int err;
	const char *in;
	const char *canon; /* on success; on failure the expected error offset as a number */
	size_t pos;
} parse_cases[] = {
	{ 0, "node:1", "node:1", 0 },
	{ 0, "numa:1.core:0", "node:1.core:0", 0 },
	{ 0, "package:0.core:0-3", "package:0.core:0-3", 0 },
	{ 0, "socket:0 , thread:even", "package:0,pu:even", 0 },
	{ 0, "core:all", "core:all", 0 },
	{ 0, "pu:odd", "pu:odd", 0 },
	{ 0, "l3:2", "l3:2", 0 },
	{ 0, "pu:0-15:2", "pu:0-15:2", 0 },
	{ 0, "0-3:1", "0-3", 0 },
	{ 0, "0-3,8", "0-3,8", 0 },
	{ 0, "near:eth0", "near:eth0", 0 },
	{ 0, "near:gpu0&package:0", "near:gpu0&package:0", 0 },
	{ 0, "near:0000:3b:00.0", "near:0000:3b:00.0", 0 },
	{ 0, "all~pu:odd", "all~pu:odd", 0 },
	{ 0, "(0,1)~2", "0,1~2", 0 },
	{ 0, "0,(1~2)", "0,(1~2)", 0 },
	{ 0, "((node:0))", "node:0", 0 },
	{ 0, "core:0 & node:0", "core:0&node:0", 0 },
	{ -EINVAL, "", NULL, 0 },
	{ -EINVAL, "bogus:1", NULL, 0 },
	{ -EINVAL, "core:", NULL, 5 },
	{ -EINVAL, "core:3-1", NULL, 5 },
	{ -EINVAL, "core:0-4:0", NULL, 9 },
	{ -EINVAL, "(node:0", NULL, 7 },
	{ -EINVAL, "node:0)", NULL, 6 },
	{ -EINVAL, "node:0,", NULL, 7 },
	{ -EINVAL, "near:", NULL, 5 },
	{ -EINVAL, "allx", NULL, 0 },
	{ -EINVAL, "pu:evenx", NULL, 3 },
	{ -EINVAL, "pu:0.pu:0.pu:0.pu:0.pu:0.pu:0.pu:0.pu:0.pu:0", NULL, 40 },
	{ -EOVERFLOW, "99999999999", NULL, 0 },
	{ -EOVERFLOW, "core:0-99999999999", NULL, 7 },
};

static void test_parse(void)
{
	for (size_t i = 0; i < NP_ARRAY_SIZE(parse_cases); i++) {
		struct np_location *loc = (struct np_location *)&parse_cases[i];
		size_t pos = 777;
		char *s = NULL, *s2 = NULL;
		int r = np_location_parse(parse_cases[i].in, &loc, &pos);

		if (parse_cases[i].err) {
			ok(r == parse_cases[i].err && pos == parse_cases[i].pos &&
				   loc == (struct np_location *)&parse_cases[i],
			   "'%s' refused with %d at %zu, output untouched (got %d at %zu)",
			   parse_cases[i].in, parse_cases[i].err, parse_cases[i].pos, r, pos);
			continue;
		}
		if (r == 0 && np_location_format(loc, &s) == 0) {
			struct np_location *again = NULL;

			if (np_location_parse(s, &again, NULL) == 0)
				np_location_format(again, &s2);
			np_location_free(again);
		}
		is_str(s, parse_cases[i].canon, "'%s' parses to '%s'", parse_cases[i].in,
		       parse_cases[i].canon);
		ok(pos == 777, "'%s': errpos left alone", parse_cases[i].in);
		is_str(s2, s, "'%s' round-trips", parse_cases[i].in);
		free(s);
		free(s2);
		np_location_free(loc);
	}
}

/* parentheses 64 deep are fine, 65 are refused */
static void test_depth(void)
{
	char buf[200];
	struct np_location *loc;
	int n;

	for (n = 0; n < 64; n++)
		buf[n] = '(';
	buf[n] = '0';
	for (n = 65; n < 129; n++)
		buf[n] = ')';
	buf[n] = 0;
	is_int(np_location_parse(buf, &loc, NULL), 0, "64 nested parentheses");
	np_location_free(loc);
	memmove(buf + 1, buf, strlen(buf) + 1);
	strcat(buf, ")");
	is_int(np_location_parse(buf, &loc, NULL), -EINVAL, "65 nested parentheses refused");
}

/*
 * Issue 17 item 1: "0,0,...,0" with 100,000 operators is a left-leaning chain 100,000 deep;
 * parse, format, evaluate and free once recursed along it and overflowed an 8 MB stack.
 */
static void test_long_chain(void)
{
	const size_t ops = 100000;
	struct np_topo *m = mach(16, m_16em64t);
	char *buf = malloc(ops * 2 + 2), *canon = NULL;
	struct np_location *loc = NULL;
	struct np_cpuset *set = NULL;
	int r;

	if (!m || !buf)
		bail_out("cannot build the machine");
	for (size_t i = 0; i < ops; i++) {
		buf[2 * i] = (char)('0' + i % 4);
		buf[2 * i + 1] = i % 3 == 2 ? '~' : ',';
	}
	buf[2 * ops - 3] = ',';
	buf[2 * ops - 1] = '&';
	buf[2 * ops] = '3';
	buf[2 * ops + 1] = 0;
	r = np_location_parse(buf, &loc, NULL);
	is_int(r, 0, "100,000 operators parse");
	if (r == 0) {
		is_int(np_location_format(loc, &canon), 0, "and format");
		is_int(canon ? (int)strcmp(canon, buf) : -1, 0, "to the same text");
		is_int(np_location_eval(loc, m, &set, NULL), 0, "and evaluate");
		ok(set && np_cpuset_weight(set) == 1 && np_cpuset_isset(set, 3), "to CPU 3 alone");
	} else {
		skip(4, "parse failed");
	}
	np_cpuset_free(set);
	np_location_free(loc);
	free(canon);
	free(buf);
	np_topo_free(m);
}

static void ev(const struct np_topo *m, const char *mname, const char *in, int err,
	       const char *want)
{
	struct np_location *loc;
	struct np_cpuset *set = NULL;
	char *s = NULL;
	int r = np_location_parse(in, &loc, NULL);

	if (r == 0) {
		r = np_location_eval(loc, m, &set, NULL);
		np_location_free(loc);
	}
	if (err) {
		is_int(r, err, "%s: '%s' fails with %d", mname, in, err);
		return;
	}
	if (r == 0)
		np_cpuset_format_list(set, 0, &s);
	is_str(s, want, "%s: '%s' is %s", mname, in, want);
	free(s);
	np_cpuset_free(set);
}

static void test_eval(void)
{
	struct np_topo *a = mach(16, m_16em64t), *c = mach(64, m_64amd64), *e = mach(48, m_48amd64),
			*f = mach(256, m_256ppc), *g = mach(128, m_128arm);
	const char *an = "16em64t";

	if (!a || !c || !e || !f || !g)
		bail_out("cannot build the machines");
	/* PUs in logical order: 0 8 4 12 1 9 5 13 2 10 6 14 3 11 7 15 */
	ev(a, an, "package:0", 0, "0,4,8,12");
	ev(a, an, "package:0.core:1", 0, "4,12");
	ev(a, an, "package:1.pu:0", 0, "1");
	ev(a, an, "core:all", 0, "0-15");
	ev(a, an, "pu:even", 0, "0-7");
	ev(a, an, "pu:odd", 0, "8-15");
	ev(a, an, "core:0-3", 0, "0-1,4-5,8-9,12-13");
	ev(a, an, "core:0-7:4", 0, "0,2,8,10");
	ev(a, an, "l3:2", 0, "2,6,10,14");
	ev(a, an, "node:0.core:7", 0, "7,15");
	ev(a, an, "0-3,8", 0, "0-3,8");
	ev(a, an, "all~pu:odd", 0, "0-7");
	ev(a, an, "package:0,package:1&core:0-3", 0, "0-1,4-5,8-9,12-13");
	ev(a, an, "package:0,(package:1&core:0)", 0, "0,4,8,12");
	ev(a, an, "package:0&package:1", 0, "");
	ev(a, an, "core:8", -ERANGE, NULL);
	ev(a, an, "package:0.core:2", -ERANGE, NULL);
	ev(a, an, "16", -ERANGE, NULL);
	ev(a, an, "near:eth0", -ENODEV, NULL);
	ev(c, "64amd64", "numa:1.core:0", 0, "8-9");
	ev(c, "64amd64", "package:1.node:1", 0, "24-31");
	ev(c, "64amd64", "l3:2", 0, "16-23");
	ev(e, "48amd64-sparse", "node:3", 0, "18-23");
	ev(e, "48amd64-sparse", "node:7", 0, "42-47");
	ev(e, "48amd64-sparse", "node:8", -ERANGE, NULL);
	ev(f, "256ppc", "core:1", 0, "4-7");
	ev(f, "256ppc", "node:1.core:0", 0, "32-35");
	ev(f, "256ppc", "pu:0-7:4", 0, "0,4");
	ev(g, "128arm", "cluster:1", 0, "4-7");
	ev(g, "128arm", "package:1.l3:1", 0, "96-127");
	np_topo_free(a);
	np_topo_free(c);
	np_topo_free(e);
	np_topo_free(f);
	np_topo_free(g);
}

/* on the live machine, through the public API */
static void test_live(void)
{
	struct np_topo *topo;
	struct np_cpuset *set;
	size_t pos = 0;

	if (np_topo_load(NULL, 0, &topo) < 0) {
		skip(3, "cannot load this machine's topology");
		return;
	}
	is_int(np_location_resolve(topo, "all", &set, NULL), 0, "live: 'all' resolves");
	ok(np_cpuset_equal(set, np_topo_online_cpus(topo)), "live: 'all' is the online CPUs");
	np_cpuset_free(set);
	is_int(np_location_resolve(topo, "node:0,core:99999", &set, &pos) == -ERANGE && pos == 7, 1,
	       "live: core:99999 is -ERANGE at its offset");
	np_topo_free(topo);
}

/* near: on the project's devices-mixed sysroot (tests/fixtures/sysroots-extras/make.sh) */
static void test_near(void)
{
	static const struct {
		const char *expr;
		int err;
		const char *want;
	} cases[] = {
		{ "near:eth0", 0, "0-3" },         /* local_cpulist 0-3 */
		{ "near:eth1", 0, "0-3" },         /* only the local_cpus mask f */
		{ "near:ib0", 0, "4-7" },
		{ "near:mlx5_0", 0, "4-7" },
		{ "near:0000:af:00.0", 0, "4-7" }, /* by PCI address */
		{ "near:nvme0", 0, "0-7" },        /* numa_node -1, local 0-7 */
		{ "near:ib0&pu:odd", 0, "5,7" },
		{ "all~near:eth0", 0, "4-7" },
		{ "near:nosuch0", -ENODEV, NULL },
	};
	const char *src = getenv("NP_SRCDIR");
	char dir[4096];
	struct np_topo *topo;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/sysroots-extras/devices-mixed", src ? src : ".");
	if (np_topo_load(dir, 0, &topo) < 0) {
		skip((int)NP_ARRAY_SIZE(cases), "devices-mixed sysroot not found");
		return;
	}
	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++) {
		struct np_cpuset *set = NULL;
		char *got = NULL;
		int r = np_location_resolve(topo, cases[i].expr, &set, NULL);

		if (cases[i].err) {
			is_int(r, cases[i].err, "devices-mixed: '%s' fails with %d", cases[i].expr,
			       cases[i].err);
			continue;
		}
		if (r == 0)
			np_cpuset_format_list(set, 0, &got);
		is_str(got, cases[i].want, "devices-mixed: '%s' is %s", cases[i].expr, cases[i].want);
		free(got);
		np_cpuset_free(set);
	}
	np_topo_free(topo);
}

int main(void)
{
	test_parse();
	test_depth();
	test_long_chain();
	test_eval();
	test_live();
	test_near();
	done_testing();
	return exit_status();
}
