/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-setexpr.c - the one set grammar (np_topo_parse_cpus / np_topo_parse_nodes): a table of
 * strings in every syntax with the set or the error and its offset they give, on the
 * hand-made "sparse" sysroot (CPUs 0-3; node 0 with CPUs 0-1, node 2 CPU-less, node 5 with
 * CPUs 2-3), each failure checked to leave the caller's pointer alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "numaplace.h"

#define NP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct row {
	int err;
	const char *in;
	const char *want; /* the set as a kernel list on success */
	size_t pos;       /* the error offset on failure */
};

static const struct row cpu_rows[] = {
	{ 0, "0-3", "0-3", 0 },
	{ 0, "0-3:2", "0,2", 0 },
	{ 0, " 1,3", "1,3", 0 },
	{ 0, "0x3", "0-1", 0 },
	{ 0, "0xc", "2-3", 0 },
	{ 0, "f", "0-3", 0 },
	{ 0, "a", "1,3", 0 },
	{ 0, "0,0000000f", "0-3", 0 },
	{ 0, "all", "0-3", 0 },
	{ 0, "!0", "1-3", 0 },
	{ 0, "!0x3", "2-3", 0 },
	{ 0, "!node:0", "2-3", 0 },
	{ 0, "+1-2", "1-2", 0 },
	{ 0, "node:0", "0-1", 0 },
	{ 0, "node:2", "2-3", 0 },   /* logical: the third node is node 5 */
	{ 0, "node:1", "", 0 },      /* node 2 has no CPU */
	{ 0, "core:1-2", "1-2", 0 },
	{ 0, "all~0", "1-3", 0 },
	{ 0, "pu:odd", "1,3", 0 },
	{ -EINVAL, "", NULL, 0 },
	{ -EINVAL, "  ", NULL, 2 },
	{ -EINVAL, "-1", NULL, 0 },
	{ -EINVAL, "0-", NULL, 2 },
	{ -EINVAL, ",,", NULL, 0 },
	{ -EINVAL, "x", NULL, 0 },
	{ -EINVAL, "0x", NULL, 2 },
	{ -EINVAL, "0xg", NULL, 2 },
	{ -EINVAL, "ff,fff", NULL, 3 },
	{ -EINVAL, "!", NULL, 1 },
	{ -EINVAL, "!!0", NULL, 1 },
	{ -EINVAL, "+node:0", NULL, 1 },
	{ -EINVAL, "node:", NULL, 5 },
	{ -EOVERFLOW, "99999999999", NULL, 0 },
	{ -EOVERFLOW, "123456789,00000000", NULL, 0 },
	{ -ERANGE, "4", NULL, 0 },
	{ -ERANGE, "0,2,9", NULL, 4 },
	{ -ERANGE, "0x10", NULL, 2 },
	{ -ERANGE, "node:9", NULL, 0 },
	{ -ERANGE, "+4", NULL, 1 },
	{ -ENODEV, "near:eth9", NULL, 0 },
};

static const struct row node_rows[] = {
	{ 0, "0", "0", 0 },
	{ 0, "0,2,5", "0,2,5", 0 },
	{ 0, "all", "0,2,5", 0 },
	{ 0, "!0", "2,5", 0 },
	{ 0, "+1", "2", 0 },
	{ 0, "0x5", "0,2", 0 },
	{ 0, "0x21", "0,5", 0 },
	{ 0, "node:1", "2", 0 },     /* CPU-less, named by its logical index */
	{ 0, "node:0,numa:2", "0,5", 0 },
	{ 0, "node:all", "0,2,5", 0 },
	{ 0, "node:odd", "2", 0 },
	{ 0, "core:3", "5", 0 },     /* the nodes of those CPUs */
	{ 0, "01&2", "", 0 },        /* found by fuzz-setexpr: a short term after a list */
	{ -EINVAL, "", NULL, 0 },
	{ -EINVAL, "x", NULL, 0 },
	{ -ERANGE, "1", NULL, 0 },
	{ -ERANGE, "0-5", NULL, 0 },
	{ -ERANGE, "node:3", NULL, 0 },
	{ -ERANGE, "2-3", NULL, 0 },  /* node 3 does not exist */
	{ -ERANGE, "0,2-3", NULL, 2 },
	{ -ERANGE, "a", NULL, 0 },
	{ -ERANGE, "0x2", NULL, 0 },
};

static void run_rows(struct np_topo *topo, const struct row *rows, size_t n, bool nodes)
{
	for (size_t i = 0; i < n; i++) {
		struct np_cpuset *set = (struct np_cpuset *)&rows[i];
		size_t pos = 777;
		char *s = NULL;
		int r = nodes ? np_topo_parse_nodes(topo, rows[i].in, 0, &set, &pos)
			      : np_topo_parse_cpus(topo, rows[i].in, 0, &set, &pos);

		if (rows[i].err) {
			ok(r == rows[i].err && pos == rows[i].pos && set == (void *)&rows[i],
			   "%s '%s': %s at %zu, output untouched", nodes ? "nodes" : "cpus",
			   rows[i].in, strerror(-rows[i].err), rows[i].pos);
			if (r != rows[i].err || pos != rows[i].pos)
				diag("got %d at %zu", r, pos);
			continue;
		}
		is_int(r, 0, "%s '%s': parses", nodes ? "nodes" : "cpus", rows[i].in);
		if (r < 0)
			continue;
		np_cpuset_format_list(set, 0, &s);
		is_str(s, rows[i].want, "%s '%s': is %s", nodes ? "nodes" : "cpus", rows[i].in,
		       rows[i].want);
		free(s);
		np_cpuset_free(set);
	}
}

/* NP_PARSE_ONLINE: "all", "!" and "+" over the online CPUs, whatever the process may use */
static void test_online(struct np_topo *topo)
{
	struct np_cpuset *set = NULL;
	char *s = NULL;

	is_int(np_topo_parse_cpus(topo, "!3", NP_PARSE_ONLINE, &set, NULL), 0, "online: '!3'");
	if (set)
		np_cpuset_format_list(set, 0, &s);
	is_str(s, "0-2", "online: '!3' is 0-2");
	ok(set && np_cpuset_size(set) == np_topo_cpu_size(topo), "online: topology-sized set");
	free(s);
	np_cpuset_free(set);
}

int main(void)
{
	const char *src = getenv("NP_SRCDIR");
	struct np_topo *topo = NULL;
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/fixtures/sysroots/sparse", src ? src : ".");
	if (np_topo_load(path, 0, &topo) < 0)
		bail_out("cannot load the sparse sysroot; run in the source tree or set NP_SRCDIR");
	run_rows(topo, cpu_rows, NP_ARRAY_SIZE(cpu_rows), false);
	run_rows(topo, node_rows, NP_ARRAY_SIZE(node_rows), true);
	test_online(topo);
	np_topo_free(topo);
	done_testing();
	return exit_status();
}
