/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-resolve.c - unit tests of the resolver (lib/resolve.c): numactl-style requests on captured
 * machines (../shared/fixtures/topology) give the expected CPUs and policy, or the expected
 * reason with the id at fault and the set that would work.
 *
 * Terminology: a "case" is one row {capture, request, allowed sets (NULL: what
 * np_resolve_allowed() gives on the capture), expected return, expected CPUs and policy, or
 * expected reason, id and set}; sets are written as cpulists, the policy as np_policy_format()
 * writes it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"
#include "captures.h"

struct rcase {
	const char *capture;
	const char *cpus, *cpu_nodes;    /* -C / -N */
	int mode;                        /* -1: none */
	const char *mem_nodes;
	unsigned int flags;
	bool mask, all;
	const char *allowed_cpus, *allowed_nodes; /* NULL: np_resolve_allowed() */
	int err;
	const char *want_cpus, *want_policy; /* on success; "-" for NULL */
	enum np_why why;                     /* on failure */
	enum np_resolve_field field;
	int id;
	const char *why_set;                 /* NULL: no set */
};

#define HET "fakeheteromemtiers"
#define NV "nvidiagpunumanodes"
#define C16 "16amd64-8n2c"
#define CS "16amd64-8n2c-cpusets"
#define CPUS NP_RESOLVE_CPUS
#define CNODES NP_RESOLVE_CPU_NODES
#define MEM NP_RESOLVE_MEM_NODES

/* clang-format off */
static const struct rcase cases[] = {
	/* successes */
	{ C16, NULL, "1", -1, NULL, 0, 0, 0, NULL, NULL, 0, "2-3", "-", 0, 0, 0, NULL },
	{ C16, "+1", NULL, -1, NULL, 0, 0, 0, "4-7", NULL, 0, "5", "-", 0, 0, 0, NULL },
	{ C16, "!0-13", NULL, -1, NULL, 0, 0, 0, NULL, NULL, 0, "14-15", "-", 0, 0, 0, NULL },
	{ C16, "0x30", NULL, -1, NULL, 0, true, 0, NULL, NULL, 0, "4-5", "-", 0, 0, 0, NULL },
	{ C16, "0", NULL, NP_MPOL_BIND, "0,3", 0, 0, 0, NULL, NULL, 0, "0", "bind:0,3", 0, 0, 0, NULL },
	{ C16, NULL, NULL, NP_MPOL_INTERLEAVE, "all", 0, 0, 0, NULL, NULL, 0, "-", "interleave:0-7",
	  0, 0, 0, NULL },
	{ C16, NULL, NULL, NP_MPOL_LOCAL, NULL, 0, 0, 0, NULL, NULL, 0, "-", "local", 0, 0, 0, NULL },
	{ C16, NULL, NULL, NP_MPOL_BIND, "+1", 0, 0, 0, NULL, "2-3", 0, "-", "bind:3", 0, 0, 0, NULL },
	{ HET, NULL, "0-2", NP_MPOL_BIND, "4", 0, 0, 0, NULL, NULL, 0, "0-5", "bind:4", 0, 0, 0, NULL },
	{ C16, NULL, NULL, NP_MPOL_BIND, "5-6", NP_MPOL_F_RELATIVE_NODES, 0, 0, NULL, "0", 0, "-",
	  "bind+relative:5-6", 0, 0, 0, NULL },
	/* the request is wrong: -EINVAL */
	{ C16, "1-", NULL, -1, NULL, 0, 0, 0, NULL, NULL, -EINVAL, NULL, NULL, NP_WHY_SYNTAX, CPUS,
	  -1, NULL },
	{ NV, "200", NULL, -1, NULL, 0, 0, 0, NULL, NULL, -EINVAL, NULL, NULL, NP_WHY_NO_SUCH_CPU,
	  CPUS, -1, "0-175" },
	{ C16, "+9", NULL, -1, NULL, 0, 0, 0, "0-3", NULL, -EINVAL, NULL, NULL,
	  NP_WHY_BEYOND_ALLOWED, CPUS, -1, "0-3" },
	{ HET, NULL, NULL, NP_MPOL_BIND, "3", 0, 0, 0, NULL, NULL, -EINVAL, NULL, NULL,
	  NP_WHY_NO_SUCH_NODE, MEM, -1, "0-2,4,6,8-9" },
	{ C16, NULL, NULL, NP_MPOL_PREFERRED, "0-1", 0, 0, 0, NULL, NULL, -EINVAL, NULL, NULL,
	  NP_WHY_PREFERRED_ONE, MEM, -1, NULL },
	{ C16, NULL, NULL, NP_MPOL_BIND, "!all", 0, 0, 0, NULL, NULL, -EINVAL, NULL, NULL,
	  NP_WHY_EMPTY, MEM, -1, NULL },
	/* it names something that cannot be used here */
	{ CS, "3,4", NULL, -1, NULL, 0, 0, 0, NULL, NULL, -ENODEV, NULL, NULL, NP_WHY_CPU_OFFLINE,
	  CPUS, 4, "0-3,5-15" },
	{ NV, NULL, "250", -1, NULL, 0, 0, 0, NULL, NULL, -EPERM, NULL, NULL, NP_WHY_NODE_NO_CPUS,
	  CNODES, 250, "0,8" },
	{ HET, NULL, "0,6", -1, NULL, 0, 0, 0, NULL, NULL, -EPERM, NULL, NULL, NP_WHY_NODE_NO_CPUS,
	  CNODES, 6, "0-2" },
	{ C16, NULL, "1", -1, NULL, 0, 0, 0, "0-1,4", NULL, -EPERM, NULL, NULL,
	  NP_WHY_CPUS_NOT_ALLOWED, CNODES, 1, "0-1,4" },
	{ C16, NULL, NULL, NP_MPOL_BIND, "1", 0, 0, 0, NULL, "0", -EPERM, NULL, NULL,
	  NP_WHY_OUTSIDE_CPUSET, MEM, 1, "0" },
	{ HET, NULL, NULL, NP_MPOL_BIND, "0,9", 0, 0, 0, NULL, "0-2,4,6,8", -EPERM, NULL, NULL,
	  NP_WHY_OUTSIDE_CPUSET, MEM, 9, "0-2,4,6,8" },
};
/* clang-format on */

static char *fmt_set(const struct np_cpuset *s)
{
	char *str = NULL;

	if (!s)
		return strdup("-");
	return np_cpuset_format_list(s, 0, &str) < 0 ? NULL : str;
}

static char *fmt_policy(const struct np_policy *p)
{
	char *str = NULL;

	if (!p)
		return strdup("-");
	return np_policy_format(p, &str) < 0 ? NULL : str;
}

/* @list parsed into a set as wide as @size; NULL when @list is NULL */
static struct np_cpuset *set_of(const char *list, unsigned int size)
{
	struct np_cpuset *s = NULL;

	if (list && (np_cpuset_new(size, &s) < 0 || np_cpuset_parse_list(s, list, NULL) < 0))
		bail_out("bad set in a case");
	return s;
}

static void check_result(const struct rcase *c, const char *name, int e, struct np_resolved *res,
			 struct np_reason *why)
{
	char *got;

	if (c->err == 0) {
		got = fmt_set(res->cpus);
		is_str(got, c->want_cpus, "  %s: CPUs", name);
		free(got);
		got = fmt_policy(res->policy);
		is_str(got, c->want_policy, "  %s: policy", name);
		free(got);
		np_resolved_release(res);
		return;
	}
	ok(e < 0 && why->why == c->why && why->field == c->field && why->id == c->id,
	   "  %s: reason %d, field %d, id %d", name, c->why, c->field, c->id);
	if (!(why->why == c->why && why->id == c->id))
		diag("  got reason %d, field %d, id %d", why->why, why->field, why->id);
	got = why->set ? fmt_set(why->set) : NULL;
	is_str(got, c->why_set, "  %s: the set that would work", name);
	free(got);
	ok(!res->cpus && !res->policy, "  %s: the result is untouched", name);
	np_reason_release(why);
}

static void run_case(const struct rcase *c)
{
	struct np_topo *t = capture(c->capture);
	struct np_cpuset *ac = NULL, *an = NULL;
	struct np_resolved res = { 0 };
	struct np_reason why;
	char name[256];
	int e;

	snprintf(name, sizeof(name), "%s: %s%s%s%s mode %d %s", c->capture,
		 c->cpus ? "-C " : "", c->cpus ? c->cpus : "", c->cpu_nodes ? "-N " : "",
		 c->cpu_nodes ? c->cpu_nodes : "", c->mode, c->mem_nodes ? c->mem_nodes : "");
	if (!t) {
		skip(c->err ? 4 : 3, "capture missing");
		return;
	}
	if (np_resolve_allowed(t, c->all, &ac, &an) < 0)
		bail_out("np_resolve_allowed");
	if (c->allowed_cpus) {
		np_cpuset_free(ac);
		ac = set_of(c->allowed_cpus, np_topo_cpu_size(t));
	}
	if (c->allowed_nodes) {
		np_cpuset_free(an);
		an = set_of(c->allowed_nodes, np_topo_node_size(t));
	}
	e = np_resolve(t, &(struct np_resolve_req){ .cpus = c->cpus, .cpus_mask = c->mask,
			.cpu_nodes = c->cpu_nodes, .mode = c->mode, .mem_nodes = c->mem_nodes,
			.flags = c->flags, .all = c->all, .allowed_cpus = ac, .allowed_nodes = an },
		       &res, &why);
	is_int(e, c->err, "%s: returns %d", name, c->err);
	check_result(c, name, e, &res, &why);
	np_cpuset_free(ac);
	np_cpuset_free(an);
}

/* a request without its allowed sets, or with both kinds of CPU binding, is the caller's bug */
static void test_misuse(void)
{
	struct np_topo *t = capture(C16);
	struct np_resolved res = { 0 };
	struct np_reason why;

	if (!t) {
		skip(2, "capture missing");
		return;
	}
	is_int(np_resolve(t, &(struct np_resolve_req){ .cpus = "0", .mode = -1 }, &res, &why),
	       -EINVAL, "no allowed CPUs: -EINVAL");
	is_int(why.why, NP_WHY_NONE, "  with no reason");
	np_reason_release(NULL);
	np_resolved_release(NULL);
}

/* sets the caller parsed (np_topo_parse_*) are only checked, with the same reasons */
static void parsed(const char *cap, const char *cpus, const char *cnodes, const char *mnodes,
		   const char *allowed_nodes, int err, enum np_why want, int id, const char *want_cpus)
{
	struct np_topo *t = capture(cap);
	struct np_cpuset *ac = NULL, *an = NULL, *c, *cn, *mn;
	struct np_resolved res = { 0 };
	struct np_reason why;
	char *got;
	int e;

	if (!t) {
		skip(2, "capture missing");
		return;
	}
	if (np_resolve_allowed(t, false, &ac, &an) < 0)
		bail_out("np_resolve_allowed");
	if (allowed_nodes) {
		np_cpuset_free(an);
		an = set_of(allowed_nodes, np_topo_node_size(t));
	}
	c = set_of(cpus, np_topo_cpu_size(t));
	cn = set_of(cnodes, np_topo_node_size(t));
	mn = set_of(mnodes, np_topo_node_size(t));
	e = np_resolve(t, &(struct np_resolve_req){ .mode = mn ? NP_MPOL_BIND : -1,
			.cpu_set = c, .cpu_node_set = cn, .mem_node_set = mn,
			.allowed_cpus = ac, .allowed_nodes = an }, &res, &why);
	is_int(e, err, "%s: parsed sets %s %s %s: returns %d", cap, cpus ? cpus : "-",
	       cnodes ? cnodes : "-", mnodes ? mnodes : "-", err);
	if (e == 0) {
		got = fmt_set(res.cpus);
		is_str(got, want_cpus, "  the CPUs");
		free(got);
		np_resolved_release(&res);
	} else {
		ok(why.why == want && why.id == id, "  reason %d, id %d", want, id);
		np_reason_release(&why);
	}
	np_cpuset_free(c);
	np_cpuset_free(cn);
	np_cpuset_free(mn);
	np_cpuset_free(ac);
	np_cpuset_free(an);
}

static void test_parsed(void)
{
	parsed(C16, "0-3", NULL, NULL, NULL, 0, NP_WHY_NONE, -1, "0-3");
	parsed(C16, NULL, "1-2", "0", NULL, 0, NP_WHY_NONE, -1, "2-5");
	parsed(CS, "3-4", NULL, NULL, NULL, -ENODEV, NP_WHY_CPU_OFFLINE, 4, NULL);
	parsed(HET, NULL, "0,6", NULL, NULL, -EPERM, NP_WHY_NODE_NO_CPUS, 6, NULL);
	parsed(C16, NULL, NULL, "1", "0", -EPERM, NP_WHY_OUTSIDE_CPUSET, 1, NULL);
}

/* without the topology's limits, this machine's allowed sets are what the kernel says */
static void test_live(void)
{
	struct np_cpuset *ac = NULL, *an = NULL, *aff = NULL, *mems = NULL;
	struct np_topo *t;

	if (np_topo_load(NULL, NP_TOPO_NO_LIMITS | NP_TOPO_NO_CACHES, &t) < 0 ||
	    np_affinity_get(0, &aff) < 0 || np_mpol_mems_allowed(&mems) < 0) {
		skip(2, "no NUMA topology or memory policy syscalls here");
		np_cpuset_free(aff);
		return;
	}
	if (np_resolve_allowed(t, false, &ac, &an) < 0)
		bail_out("np_resolve_allowed on this machine");
	np_cpuset_resize(aff, np_topo_cpu_size(t));
	np_cpuset_resize(mems, np_topo_node_size(t));
	ok(np_cpuset_equal(ac, aff), "NP_TOPO_NO_LIMITS: allowed CPUs are the affinity");
	ok(np_cpuset_equal(an, mems), "NP_TOPO_NO_LIMITS: allowed nodes are Mems_allowed");
	np_cpuset_free(ac);
	np_cpuset_free(an);
	np_cpuset_free(aff);
	np_cpuset_free(mems);
	np_topo_free(t);
}

int main(void)
{
	captures_init("t-resolve");
	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_misuse();
	test_parsed();
	test_live();
	capture("");
	captures_done();
	done_testing();
	return exit_status();
}
