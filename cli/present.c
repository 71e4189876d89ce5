/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * present.c - printing, once, what several verbs print: a CPU or node set, a memory policy
 * (mode, nodes, flags in one order), a plan's workers and a rank's slice, as text and as JSON.
 *
 * Terminology:
 *  set      a CPU or node set, printed as a kernel list ("0-3,8"); "none" (or the caller's
 *           word) when empty or absent.
 *  policy   a task or VMA memory policy: mode ("bind"), nodes, flags.  Flags are printed in
 *           the library's order (np_policy_format()): static, relative, balancing.
 *  plan     np_plan_make()'s workers: one line or object per worker, its CPUs and nodes.
 *  slice    np_plan_slice()'s CPUs for one MPI local rank.
 *  size     a number of bytes in binary units (KiB = 1024 bytes), "32 KiB", "1.5 MiB".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	unsigned int flag;
	const char *name;
} policy_flags[] = {
	{ NP_MPOL_F_STATIC_NODES, "static" },
	{ NP_MPOL_F_RELATIVE_NODES, "relative" },
	{ NP_MPOL_F_NUMA_BALANCING, "balancing" },
};

#define NFLAGS (sizeof(policy_flags) / sizeof(policy_flags[0]))

void cli_print_set(FILE *f, const char *label, const struct np_cpuset *set, const char *none)
{
	char *s = NULL;

	if (set && np_cpuset_format_list(set, 0, &s) == 0 && *s)
		fprintf(f, "%-16s %s\n", label, s);
	else
		fprintf(f, "%-16s %s\n", label, none);
	free(s);
}

const char *cli_policy_mode(const struct np_policy *pol)
{
	const char *n = np_mpol_mode_name(np_policy_mode(pol));

	return n ? n : "unknown";
}

void cli_policy_flags(unsigned int flags, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!(flags & policy_flags[i].flag))
			continue;
		if (buf[0])
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, policy_flags[i].name, size - strlen(buf) - 1);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

void cli_json_policy_fields(struct json *j, const struct np_policy *pol)
{
	unsigned int flags = np_policy_flags(pol);

	json_str(j, "mode", cli_policy_mode(pol));
	json_cpuset(j, "nodes", np_policy_nodes(pol));
	json_arr_begin(j, "flags");
	for (size_t i = 0; i < NFLAGS; i++)
		if (flags & policy_flags[i].flag)
			json_str(j, NULL, policy_flags[i].name);
	json_arr_end(j);
}

static const char *smt_name(enum np_plan_smt smt)
{
	return smt == NP_SMT_USE ? "use" : smt == NP_SMT_AVOID ? "avoid" : "last";
}

void cli_json_plan(FILE *f, const struct np_plan_opts *o, const struct np_plan *p)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "policy", np_plan_policy_name(o->policy));
	json_str(&j, "places", np_plan_places_name(o->places));
	json_str(&j, "smt", smt_name(o->smt));
	json_cpuset(&j, "eligible", np_plan_eligible(p));
	json_arr_begin(&j, "workers");
	for (unsigned int i = 0; i < np_plan_count(p); i++) {
		json_obj_begin(&j, NULL);
		json_uint(&j, "worker", i);
		json_cpuset(&j, "cpus", np_plan_cpus(p, i));
		json_cpuset(&j, "nodes", np_plan_nodes(p, i));
		if (np_plan_node(p, i) >= 0)
			json_int(&j, "node", np_plan_node(p, i));
		else
			json_null(&j, "node");
		json_bool(&j, "shared", np_plan_shared(p, i));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/* "WHO: cpus 0,48  node 0" (nodes when more than one) */
static int print_place(FILE *f, const char *who, unsigned int i, const struct np_cpuset *cpus,
		       const struct np_cpuset *nodes, bool shared)
{
	char *cl = NULL, *nl = NULL;
	int r = -ENOMEM;

	if (np_cpuset_format_list(cpus, 0, &cl) == 0 && np_cpuset_format_list(nodes, 0, &nl) == 0) {
		fprintf(f, who, i);
		fprintf(f, ": cpus %s  %s %s%s\n", cl, np_cpuset_weight(nodes) == 1 ? "node" : "nodes",
			nl, shared ? "  shared" : "");
		r = 0;
	}
	free(cl);
	free(nl);
	return r;
}

int cli_print_plan(FILE *f, const struct np_plan *p)
{
	for (unsigned int i = 0; i < np_plan_count(p); i++) {
		int r = print_place(f, "worker %u", i, np_plan_cpus(p, i), np_plan_nodes(p, i),
				    np_plan_shared(p, i));

		if (r < 0)
			return r;
	}
	return 0;
}

int cli_print_slice(FILE *f, bool json, unsigned int rank, unsigned int size,
		    const struct np_cpuset *cpus, const struct np_cpuset *nodes)
{
	char who[64];
	struct json j;

	if (!json) {
		snprintf(who, sizeof(who), "rank %%u of %u", size);
		return print_place(f, who, rank, cpus, nodes, false);
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_uint(&j, "rank", rank);
	json_uint(&j, "size", size);
	json_cpuset(&j, "cpus", cpus);
	json_cpuset(&j, "nodes", nodes);
	json_obj_end(&j);
	json_finish(&j);
	return 0;
}

/* the unit @bytes is shown in: 0 bytes, 1 KiB, 2 MiB... (see cli_size()) */
static unsigned int size_unit(unsigned long long bytes, bool exact)
{
	unsigned int u = 0;

	if (!exact) {
		while (u < 5 && bytes >= 1ull << (10 * (u + 1)))
			u++;
		return u;
	}
	/* a size a bench option echoes: a unit that divides it, so that it reads back the same */
	while (u < 3 && bytes % (1ull << (10 * (u + 1))) == 0)
		u++;
	return u < 2 && bytes >= 10ull << 20 ? 2 : u;
}

void cli_size(char *buf, size_t size, unsigned long long bytes, bool exact)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned int u = size_unit(bytes, exact);
	double v = (double)bytes / (double)(1ull << (10 * u));
	const char *name = exact && u == 0 ? "bytes" : units[u];

	int len;

	/* one decimal, dropped when it rounds to .0: a size and its free part read alike,
	 * "15 GiB (15 GiB free)", never "15 GiB (15.0 GiB free)" */
	if (v == (double)(unsigned long long)v) {
		snprintf(buf, size, "%llu %s", (unsigned long long)v, name);
		return;
	}
	len = snprintf(buf, size, "%.1f", v);
	if (len >= 2 && (size_t)len < size && strcmp(buf + len - 2, ".0") == 0)
		buf[len - 2] = '\0';
	snprintf(buf + strlen(buf), size - strlen(buf), " %s", name);
}

/*
 * A plan whose workers share CPUs (more workers than places, or overlapping places) is said on
 * stderr, never silently; with @exclusive it is refused (-EBUSY, exit 1).
 */
int cli_plan_shared(const struct np_plan *p, bool exclusive)
{
	unsigned int n = np_plan_count(p), k = np_plan_shared_count(p);
	struct np_cpuset *who;
	char *list = NULL;

	if (k == 0)
		return 0;
	if (np_cpuset_new(n, &who) < 0)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		if (np_plan_shared(p, i))
			np_cpuset_set(who, i);
	if (np_cpuset_format_list(who, 0, &list) < 0) {
		np_cpuset_free(who);
		return -ENOMEM;
	}
	if (exclusive)
		cli_error("cannot give %u workers CPUs of their own: workers %s would share; use fewer "
			  "workers, other --places or --smt, or drop --exclusive", n, list);
	else
		cli_warn("oversubscribed: workers %s share CPUs with another worker (--exclusive "
			 "refuses such a plan)", list);
	free(list);
	np_cpuset_free(who);
	return exclusive ? -EBUSY : 0;
}
