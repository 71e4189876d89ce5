/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-plan.c - the planner on hand-built machines shaped like shared captures, and on the
 * captures themselves: OpenMP close/spread, KMP compact/scatter, per-node, SMT handling,
 * output syntaxes.  Every expectation is worked out by hand in the comment beside it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "machines.h"
#include "captures.h"

/* no allowed-CPU or isolated-CPU limits, unless a test sets them */
static struct np__plan_limits lim;

/* the workers' CPU lists joined by blanks: "0,8 4,12" */
static char *workers(const struct np_plan *p)
{
	size_t len = 0;
	char *out = calloc(1, 1);

	for (unsigned int i = 0; out && i < np_plan_count(p); i++) {
		char *s;

		if (np_cpuset_format_list(np_plan_cpus(p, i), 0, &s) < 0)
			break;
		out = realloc(out, len + strlen(s) + 2);
		len += (size_t)sprintf(out + len, "%s%s", i ? " " : "", s);
		free(s);
	}
	return out;
}

static void test_omp_assign(void)
{
	unsigned int a[16];

	/* spread, T=3, P=8: subpartitions of 3,3,2 places start at 0, 3, 6 */
	np__omp_assign(true, 8, 3, a);
	ok(a[0] == 0 && a[1] == 3 && a[2] == 6, "spread 3 over 8: places 0 3 6");
	/* spread, T=4, P=10: 3,3,2,2 -> 0 3 6 8 */
	np__omp_assign(true, 10, 4, a);
	ok(a[0] == 0 && a[1] == 3 && a[2] == 6 && a[3] == 8, "spread 4 over 10: places 0 3 6 8");
	/* close, T=5, P=2: 3 then 2 threads per place */
	np__omp_assign(false, 2, 5, a);
	ok(a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 1 && a[4] == 1, "close 5 over 2: 0 0 0 1 1");
	/* spread with T > P is close's distribution: T=3, P=2 -> 0 0 1 */
	np__omp_assign(true, 2, 3, a);
	ok(a[0] == 0 && a[1] == 0 && a[2] == 1, "spread 3 over 2: 0 0 1");
	/* T == P: identity for both */
	np__omp_assign(true, 4, 4, a);
	ok(a[0] == 0 && a[1] == 1 && a[2] == 2 && a[3] == 3, "spread 4 over 4: identity");
}

struct pcase {
	const char *capture;
	mach_fn fn;
	unsigned int ncpus;
	enum np_plan_policy policy;
	enum np_plan_places places;
	enum np_plan_smt smt;
	unsigned int n;
	const char *want;
};

/*
 * Each case runs on the hand-built model and on the capture it is shaped after.  Notation in
 * the comments: T workers, P places; the topological order of PUs is spelled out per machine.
 */
static const struct pcase cases[] = {
	/* 16em64t-4s2c2t */
	/* PUs in topological order: 0 8 4 12 | 1 9 5 13 | 2 10 6 14 | 3 11 7 15; 8 cores */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_LAST, 4, "0 4 1 5" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_USE, 4, "0 8 4 12" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_CLOSE, NP_PLACES_CORES, NP_SMT_LAST, 4, "0,8 4,12 1,9 5,13" },
	/* 8 core places, 4 subpartitions of 2: cores 0 2 4 6 = the first core of each package */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 4, "0,8 1,9 2,10 3,11" },
	/* 3 subpartitions of 3,3,2 cores: cores 0 3 6 */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 3, "0,8 5,13 3,11" },
	/* 16 workers > 8 cores: every thread is a place, topological order */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SPREAD, NP_PLACES_THREADS, NP_SMT_LAST, 16, "0 8 4 12 1 9 5 13 2 10 6 14 3 11 7 15" },
	/* one per core: 8 places 0 4 1 5 2 6 3 7; spread 4 takes places 0 2 4 6 */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SPREAD, NP_PLACES_THREADS, NP_SMT_LAST, 4, "0 1 2 3" },
	/* 10 > 8 places: the first 2 places get 2 workers each */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_CLOSE, NP_PLACES_CORES, NP_SMT_LAST, 10, "0,8 0,8 4,12 4,12 1,9 5,13 2,10 6,14 3,11 7,15" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_AVOID, 10, "0 0 4 4 1 5 2 6 3 7" },
	/* 4 L3 places (= packages), 2 subpartitions of 2 */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SPREAD, NP_PLACES_LL_CACHES, NP_SMT_LAST, 2, "0,4,8,12 2,6,10,14" },
	/* KMP compact: threads of a core first; granularity core binds both to the core */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_COMPACT, NP_PLACES_THREADS, NP_SMT_USE, 4, "0 8 4 12" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_COMPACT, NP_PLACES_CORES, NP_SMT_USE, 4, "0,8 0,8 4,12 4,12" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_COMPACT, NP_PLACES_CORES, NP_SMT_LAST, 4, "0,8 4,12 1,9 5,13" },
	/*
	 * KMP scatter: one node holding 4 packages, so the node is the outer level (relative
	 * index 0 everywhere).  Keys (node, package, L3, core, thread); scatter sorts by thread,
	 * core, L3, package: thread 0 of core 0 of packages 0-3 (CPUs 0-3), of core 1 (4-7),
	 * then thread 1 of core 0 (8, 9).
	 */
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SCATTER, NP_PLACES_THREADS, NP_SMT_USE, 10, "0 1 2 3 4 5 6 7 8 9" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_SCATTER, NP_PLACES_SOCKETS, NP_SMT_USE, 4, "0,4,8,12 1,5,9,13 2,6,10,14 3,7,11,15" },
	{ "16em64t-4s2c2t", m_16em64t, 16, NP_PLAN_PER_NODE, NP_PLACES_CORES, NP_SMT_LAST, 2, "0-15 0-15" },
	/* 16amd64-8n2c */
	/* 16 core places, 8 subpartitions of 2: cores 0 2 ... 14, one per node */
	{ "16amd64-8n2c", m_16amd64, 16, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 8, "0 2 4 6 8 10 12 14" },
	{ "16amd64-8n2c", m_16amd64, 16, NP_PLAN_CLOSE, NP_PLACES_CORES, NP_SMT_LAST, 8, "0 1 2 3 4 5 6 7" },
	/* worker i on node i mod 8 */
	{ "16amd64-8n2c", m_16amd64, 16, NP_PLAN_PER_NODE, NP_PLACES_CORES, NP_SMT_LAST, 10, "0-1 2-3 4-5 6-7 8-9 10-11 12-13 14-15 0-1 2-3" },
	/* package outer (one node each); scatter varies the package fastest */
	{ "16amd64-8n2c", m_16amd64, 16, NP_PLAN_SCATTER, NP_PLACES_CORES, NP_SMT_LAST, 8, "0 2 4 6 8 10 12 14" },
	/* 8 node places, T=3: subpartitions 3,3,2 -> nodes 0 3 6 */
	{ "16amd64-8n2c", m_16amd64, 16, NP_PLAN_SPREAD, NP_PLACES_NUMA_DOMAINS, NP_SMT_LAST, 3, "0-1 6-7 12-13" },
	{ "16amd64-8n2c", m_16amd64, 16, NP_PLAN_COMPACT, NP_PLACES_CORES, NP_SMT_LAST, 3, "0 1 2" },
	/* 64amd64-4s2n4ca2co: 32 two-CPU cores, 4 per node */
	/* 32 core places, T=4: subpartitions of 8 -> cores 0 8 16 24, one per package */
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 4, "0-1 16-17 32-33 48-49" },
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 8, "0-1 8-9 16-17 24-25 32-33 40-41 48-49 56-57" },
	/* one thread per core while T <= 32 */
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_LAST, 4, "0 2 4 6" },
	/* keys (package, node, L3, core): scatter takes node 0 of each package, then node 1 */
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_SCATTER, NP_PLACES_CORES, NP_SMT_LAST, 8, "0-1 16-17 32-33 48-49 8-9 24-25 40-41 56-57" },
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_CLOSE, NP_PLACES_LL_CACHES, NP_SMT_LAST, 2, "0-7 8-15" },
	/* compact fills node 0's cores first; granularity numa binds each to the node */
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_COMPACT, NP_PLACES_NUMA_DOMAINS, NP_SMT_LAST, 3, "0-7 0-7 0-7" },
	{ "64amd64-4s2n4ca2co", m_64amd64, 64, NP_PLAN_PER_NODE, NP_PLACES_CORES, NP_SMT_LAST, 3, "0-7 8-15 16-23" },
	/* 32intel64-2p8co2t+8ve */
	/* one thread per core: 0-7 then 8-15; 2 subpartitions of 8 */
	{ "32intel64-2p8co2t+8ve", m_32intel64, 32, NP_PLAN_SPREAD, NP_PLACES_THREADS, NP_SMT_LAST, 2, "0 8" },
	{ "32intel64-2p8co2t+8ve", m_32intel64, 32, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_USE, 4, "0 16 1 17" },
	{ "32intel64-2p8co2t+8ve", m_32intel64, 32, NP_PLAN_COMPACT, NP_PLACES_CORES, NP_SMT_LAST, 4, "0,16 1,17 2,18 3,19" },
	/* scatter: thread 0 of core 0 of each package, then core 1 */
	{ "32intel64-2p8co2t+8ve", m_32intel64, 32, NP_PLAN_SCATTER, NP_PLACES_THREADS, NP_SMT_USE, 4, "0 8 1 9" },
	{ "32intel64-2p8co2t+8ve", m_32intel64, 32, NP_PLAN_PER_NODE, NP_PLACES_CORES, NP_SMT_LAST, 4, "0-7,16-23 8-15,24-31 0-7,16-23 8-15,24-31" },
	/* 2 socket places, 4 workers: 2 per place */
	{ "32intel64-2p8co2t+8ve", m_32intel64, 32, NP_PLAN_SPREAD, NP_PLACES_SOCKETS, NP_SMT_LAST, 4, "0-7,16-23 0-7,16-23 8-15,24-31 8-15,24-31" },
	/* 48amd64-4pa2n6c-sparse */
	{ "48amd64-4pa2n6c-sparse", m_48amd64, 48, NP_PLAN_PER_NODE, NP_PLACES_CORES, NP_SMT_LAST, 8, "0-5 6-11 12-17 18-23 24-29 30-35 36-41 42-47" },
	{ "48amd64-4pa2n6c-sparse", m_48amd64, 48, NP_PLAN_SPREAD, NP_PLACES_NUMA_DOMAINS, NP_SMT_LAST, 8, "0-5 6-11 12-17 18-23 24-29 30-35 36-41 42-47" },
	/* 256ppc-8n8s4t */
	/* 64 cores >= 8 workers: one thread per core, close -> cores 0-7 */
	{ "256ppc-8n8s4t", m_256ppc, 256, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_LAST, 8, "0 4 8 12 16 20 24 28" },
	{ "256ppc-8n8s4t", m_256ppc, 256, NP_PLAN_CLOSE, NP_PLACES_THREADS, NP_SMT_USE, 8, "0 1 2 3 4 5 6 7" },
	{ "256ppc-8n8s4t", m_256ppc, 256, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 8, "0-3 32-35 64-67 96-99 128-131 160-163 192-195 224-227" },
	/* nodes hold 8 packages each: node outer; scatter varies the node fastest */
	{ "256ppc-8n8s4t", m_256ppc, 256, NP_PLAN_SCATTER, NP_PLACES_THREADS, NP_SMT_USE, 8, "0 32 64 96 128 160 192 224" },
	{ "256ppc-8n8s4t", m_256ppc, 256, NP_PLAN_COMPACT, NP_PLACES_THREADS, NP_SMT_USE, 8, "0 1 2 3 4 5 6 7" },
	/* 128arm-2pa2n8cluster4co */
	{ "128arm-2pa2n8cluster4co", m_128arm, 128, NP_PLAN_SPREAD, NP_PLACES_CORES, NP_SMT_LAST, 4, "0 32 64 96" },
	/* package outer: scatter takes node 0 of both packages, then node 1 */
	{ "128arm-2pa2n8cluster4co", m_128arm, 128, NP_PLAN_SCATTER, NP_PLACES_CORES, NP_SMT_LAST, 4, "0 64 32 96" },
	{ "128arm-2pa2n8cluster4co", m_128arm, 128, NP_PLAN_CLOSE, NP_PLACES_LL_CACHES, NP_SMT_LAST, 2, "0-31 32-63" },
};

static void run_case(const struct pcase *c)
{
	struct np_plan_opts o = { .policy = c->policy, .places = c->places, .smt = c->smt };
	struct np_topo *m = mach(c->ncpus, c->fn);
	struct np_topo *topo = capture(c->capture);
	struct np_plan *p = NULL;
	char *got = NULL;

	if (m && np__plan_limited(m, &lim, c->n, &o, &p) == 0)
		got = workers(p);
	is_str(got, c->want, "model %s: %s %u over %s, smt=%d", c->capture,
	       np_plan_policy_name(c->policy), c->n, np_plan_places_name(c->places), c->smt);
	free(got);
	np_plan_free(p);
	np_topo_free(m);
	if (!topo) {
		skip(1, "shared capture not found");
		return;
	}
	p = NULL;
	got = NULL;
	if (np_plan_make(topo, c->n, &o, &p) == 0)
		got = workers(p);
	is_str(got, c->want, "capture %s: %s %u over %s, smt=%d", c->capture,
	       np_plan_policy_name(c->policy), c->n, np_plan_places_name(c->places), c->smt);
	free(got);
	np_plan_free(p);
}

/* The nodes a plan reports, on the captures. */
static void test_nodes(void)
{
	struct np_plan_opts o = { .policy = NP_PLAN_SPREAD };
	struct np_topo *topo = capture("16amd64-8n2c");
	struct np_plan *p;
	bool each = true;

	/* spread of 8 on 16amd64-8n2c: one worker per node */
	if (topo && np_plan_make(topo, 8, &o, &p) == 0) {
		for (unsigned int i = 0; i < 8; i++)
			each = each && np_plan_node(p, i) == (int)i;
		np_plan_free(p);
		ok(each, "16amd64-8n2c: spread 8 gives worker i node i");
	} else {
		skip(1, "16amd64-8n2c not loaded");
	}
	o.policy = NP_PLAN_PER_NODE;
	topo = capture("48amd64-4pa2n6c-sparse");
	if (topo && np_plan_make(topo, 8, &o, &p) == 0) {
		is_int(np_plan_node(p, 3), 33, "48amd64 sparse: worker 3 on node 33");
		is_int(np_plan_node(p, 7), 73, "48amd64 sparse: worker 7 on node 73");
		np_plan_free(p);
	} else {
		skip(2, "48amd64-4pa2n6c-sparse not loaded");
	}
	/* the capture's cgroup allows CPUs 0-5 only: spread 3 over the 6 allowed cores */
	o.policy = NP_PLAN_SPREAD;
	topo = capture("32amd64-4s2n4c-cgroup2");
	if (topo && np_plan_make(topo, 3, &o, &p) == 0) {
		char *got = workers(p);

		is_str(got, "0 2 4", "32amd64 cgroup2: spread 3 stays inside the allowed 0-5");
		free(got);
		np_plan_free(p);
	} else {
		skip(1, "32amd64-4s2n4c-cgroup2 not loaded");
	}
}

static void test_limits(void)
{
	struct np_topo *m = mach(16, m_16em64t);
	struct np_plan_opts o = { .policy = NP_PLAN_CLOSE, .places = NP_PLACES_THREADS };
	struct np_cpuset *within;
	struct np_plan *p = (struct np_plan *)&o;
	struct np_cpuset *isolated;
	char *got;

	np_cpuset_new(16, &within);
	np_cpuset_new(16, &isolated);
	np_cpuset_set(isolated, 0);
	lim.isolated = isolated;
	/* CPU 0 isolated: core 0's first eligible thread is 8 */
	if (np__plan_limited(m, &lim, 2, &o, &p) == 0) {
		got = workers(p);
		is_str(got, "8 4", "isolated CPU 0 is skipped");
		free(got);
		np_plan_free(p);
	} else {
		ok(0, "isolated plan");
	}
	o.include_isolated = true;
	if (np__plan_limited(m, &lim, 2, &o, &p) == 0) {
		got = workers(p);
		is_str(got, "0 4", "--include-isolated uses it");
		free(got);
		np_plan_free(p);
	} else {
		ok(0, "include-isolated plan");
	}
	np_cpuset_parse_list(within, "2,6,10,14", NULL);
	o.within = within;
	o.include_isolated = false;
	if (np__plan_limited(m, &lim, 3, &o, &p) == 0) {
		got = workers(p);
		/* package 2 only: cores {2,10} {6,14}; 3 > 2 cores: all threads 2 10 6 */
		is_str(got, "2 10 6", "within package 2");
		free(got);
		np_plan_free(p);
	} else {
		ok(0, "within plan");
	}
	np_cpuset_zero(within);
	np_cpuset_set(within, 0);
	p = (struct np_plan *)&o;
	is_int(np__plan_limited(m, &lim, 1, &o, &p), -ENOENT, "only an isolated CPU left: -ENOENT");
	ok(p == (struct np_plan *)&o, "and the output is untouched");
	is_int(np__plan_limited(m, &lim, 0, NULL, &p), -EINVAL, "0 workers: -EINVAL");
	o.policy = (enum np_plan_policy)42;
	is_int(np__plan_limited(m, &lim, 1, &o, &p), -EINVAL, "bad policy: -EINVAL");
	np_cpuset_free(within);
	lim.isolated = NULL;
	np_cpuset_free(isolated);
	np_topo_free(m);
}

static void slice(const struct np_topo *m, const char *mname, enum np_plan_places places,
		  unsigned int rank, unsigned int size, const char *want)
{
	struct np_plan_opts o = { .places = places };
	struct np_cpuset *set = NULL;
	char *got = NULL;

	if (np__plan_slice_limited(m, &lim, rank, size, &o, &set) == 0)
		np_cpuset_format_list(set, 0, &got);
	is_str(got, want, "%s: slice %u of %u over %s", mname, rank, size, np_plan_places_name(places));
	free(got);
	np_cpuset_free(set);
}

static void test_slices(void)
{
	struct np_topo *a = mach(16, m_16em64t), *b = mach(16, m_16amd64);
	struct np_cpuset *set = (struct np_cpuset *)a;

	/* 8 cores in order {0,8} {4,12} {1,9} {5,13} {2,10} {6,14} {3,11} {7,15} */
	slice(a, "16em64t", NP_PLACES_CORES, 0, 2, "0-1,4-5,8-9,12-13");
	slice(a, "16em64t", NP_PLACES_CORES, 1, 2, "2-3,6-7,10-11,14-15");
	/* runs of 3, 3, 2 cores */
	slice(a, "16em64t", NP_PLACES_CORES, 0, 3, "0-1,4,8-9,12");
	slice(a, "16em64t", NP_PLACES_CORES, 2, 3, "3,7,11,15");
	/* 10 ranks over 8 cores: cores 0 and 1 take two ranks each, rank 9 is on core 7 */
	slice(a, "16em64t", NP_PLACES_CORES, 9, 10, "7,15");
	slice(a, "16em64t", NP_PLACES_CORES, 1, 10, "0,8");
	slice(b, "16amd64", NP_PLACES_NUMA_DOMAINS, 5, 8, "10-11");
	is_int(np__plan_slice_limited(a, &lim, 2, 2, NULL, &set), -EINVAL, "rank >= size: -EINVAL");
	ok(set == (struct np_cpuset *)a, "and the output is untouched");
	np_topo_free(a);
	np_topo_free(b);
}

static void test_local_rank(void)
{
	static const char *const all[] = {
		"OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALRANKID",
		"MPI_LOCALNRANKS", "PMI_LOCAL_RANK", "PMI_LOCAL_SIZE", "PALS_LOCAL_RANKID",
		"PALS_LOCAL_SIZE", "SLURM_LOCALID", "SLURM_NTASKS_PER_NODE",
		"SLURM_STEP_TASKS_PER_NODE", "SLURM_NODEID", "LOCAL_RANK", "LOCAL_WORLD_SIZE",
	};
	unsigned int rank = 77, size = 77;

	for (size_t i = 0; i < NP_ARRAY_SIZE(all); i++)
		unsetenv(all[i]);
	is_int(np_local_rank(&rank, &size), -ENOENT, "no launcher: -ENOENT");
	ok(rank == 77 && size == 77, "and the outputs are untouched");
	setenv("SLURM_LOCALID", "1", 1);
	setenv("SLURM_STEP_TASKS_PER_NODE", "2(x3),1", 1);
	setenv("SLURM_NODEID", "2", 1);
	ok(np_local_rank(&rank, &size) == 0 && rank == 1 && size == 2,
	   "srun: SLURM_STEP_TASKS_PER_NODE 2(x3),1 on node 2: rank 1 of 2");
	setenv("SLURM_NODEID", "3", 1);
	is_int(np_local_rank(&rank, &size), -EINVAL, "srun: node 3 has 1 task, rank 1 is -EINVAL");
	setenv("OMPI_COMM_WORLD_LOCAL_RANK", "3", 1);
	setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "4", 1);
	ok(np_local_rank(&rank, &size) == 0 && rank == 3 && size == 4,
	   "Open MPI's variables come first: rank 3 of 4");
	setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "x", 1);
	is_int(np_local_rank(&rank, &size), -EINVAL, "a size that does not parse: -EINVAL");
	for (size_t i = 0; i < NP_ARRAY_SIZE(all); i++)
		unsetenv(all[i]);
	setenv("LOCAL_RANK", "0", 1);
	setenv("LOCAL_WORLD_SIZE", "8", 1);
	ok(np_local_rank(&rank, &size) == 0 && rank == 0 && size == 8, "torchrun: rank 0 of 8");
	unsetenv("LOCAL_RANK");
	unsetenv("LOCAL_WORLD_SIZE");
}

static void fmt(const struct np_topo *m, enum np_plan_places places, unsigned int n,
		enum np_plan_format f, const char *want)
{
	struct np_plan_opts o = { .policy = NP_PLAN_CLOSE, .places = places };
	struct np_plan *p = NULL;
	char *s = NULL;

	if (np__plan_limited(m, &lim, n, &o, &p) == 0)
		np_plan_format(p, f, &s);
	is_str(s, want, "format %d of close %u", f, n);
	free(s);
	np_plan_free(p);
}

static void test_formats(void)
{
	struct np_topo *m = mach(16, m_16em64t);

	fmt(m, NP_PLACES_CORES, 3, NP_PLAN_FMT_OMP, "{0,8},{4,12},{1,9}");
	fmt(m, NP_PLACES_THREADS, 3, NP_PLAN_FMT_OMP, "{0},{4},{1}");
	fmt(m, NP_PLACES_THREADS, 4, NP_PLAN_FMT_GOMP, "0 4 1 5");
	fmt(m, NP_PLACES_CORES, 2, NP_PLAN_FMT_GOMP, "0 4");
	fmt(m, NP_PLACES_CORES, 2, NP_PLAN_FMT_KMP, "granularity=fine,explicit,proclist=[{0,8},{4,12}]");
	fmt(m, NP_PLACES_THREADS, 2, NP_PLAN_FMT_KMP, "granularity=fine,explicit,proclist=[0,4]");
	fmt(m, NP_PLACES_CORES, 2, NP_PLAN_FMT_TASKSET, "0,8\n4,12");
	fmt(m, NP_PLACES_THREADS, 3, NP_PLAN_FMT_SLURM, "--cpu-bind=map_cpu:0,4,1");
	fmt(m, NP_PLACES_CORES, 2, NP_PLAN_FMT_SLURM, "--cpu-bind=mask_cpu:0x101,0x1010");
	is_int(np_plan_policy_parse("per-node"), NP_PLAN_PER_NODE, "policy names");
	is_int(np_plan_places_parse("ll_caches"), NP_PLACES_LL_CACHES, "places names");
	is_int(np_plan_smt_parse("avoid"), NP_SMT_AVOID, "smt names");
	is_int(np_plan_format_parse("slurm"), NP_PLAN_FMT_SLURM, "format names");
	is_int(np_plan_policy_parse("closest"), -EINVAL, "unknown policy name");
	np_topo_free(m);
}

/* np_plan_shared(): 10 workers on 8 cores with --smt avoid wrap onto cores 0 and 4 */
static void test_shared(void)
{
	struct np_topo *m = mach(16, m_16em64t);
	struct np_plan_opts o = { .smt = NP_SMT_AVOID };
	struct np_plan *p;
	char got[64] = "";

	if (!m || np__plan_limited(m, &lim, 10, &o, &p) != 0) {
		ok(0, "oversubscribed plan");
		np_topo_free(m);
		return;
	}
	for (unsigned int i = 0; i < np_plan_count(p); i++)
		if (np_plan_shared(p, i))
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u", *got ? " " : "", i);
	is_str(got, "0 1 2 3", "plan 10 --smt avoid on 8 cores: workers 0-3 share");
	is_int((int)np_plan_shared_count(p), 4, "np_plan_shared_count: 4");
	ok(!np_plan_shared(p, 10), "np_plan_shared past the end: false");
	np_plan_free(p);
	if (np__plan_limited(m, &lim, 8, &o, &p) == 0) {
		is_int((int)np_plan_shared_count(p), 0, "plan 8 --smt avoid on 8 cores: none shares");
		np_plan_free(p);
	} else {
		ok(0, "plan of 8");
	}
	np_topo_free(m);
}

int main(void)
{
	captures_init("t-plan");
	test_omp_assign();
	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_nodes();
	test_limits();
	test_shared();
	test_formats();
	test_slices();
	test_local_rank();
	capture("");
	captures_done();
	done_testing();
	return exit_status();
}
