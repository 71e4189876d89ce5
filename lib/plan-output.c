/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plan-output.c - a plan in other tools' syntaxes (OMP_PLACES, GOMP_CPU_AFFINITY, KMP_AFFINITY,
 * taskset, Slurm, the preload library's NUMAPLACE_PLAN), the planner's option names, and this
 * process's local MPI rank from the launcher's environment.
 *
 * Terminology:
 *  local rank   the index of this process among the ranks of its job on this host, with the
 *               number of those ranks (the size), as launchers export them.
 *  map / mask   Slurm's --cpu-bind forms: one CPU per task, or a hex mask per task.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int env_uint(const char *name, unsigned int *ret)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s)
		return -ENOENT;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 1u << 24)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

/*
 * SLURM_STEP_TASKS_PER_NODE is "2(x3),1": a count per node of the step, runs compressed as
 * count(xrepeat); SLURM_NODEID picks this node's entry.
 */
static int slurm_tasks_here(unsigned int *ret)
{
	const char *s = getenv("SLURM_STEP_TASKS_PER_NODE");
	unsigned int node, seen = 0;
	int r;

	if (env_uint("SLURM_NTASKS_PER_NODE", ret) == 0)
		return 0;
	if (!s)
		return -ENOENT;
	r = env_uint("SLURM_NODEID", &node);
	if (r == -ENOENT)
		node = 0;
	else if (r < 0)
		return r;
	while (*s) {
		char *end;
		unsigned long count = strtoul(s, &end, 10), rep = 1;

		if (end == s)
			return -EINVAL;
		s = end;
		if (strncmp(s, "(x", 2) == 0) {
			rep = strtoul(s + 2, &end, 10);
			if (end == s + 2 || *end != ')')
				return -EINVAL;
			s = end + 1;
		}
		if (node < seen + rep) {
			*ret = (unsigned int)count;
			return 0;
		}
		seen += (unsigned int)rep;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return -EINVAL;
}

int np_local_rank(unsigned int *rank, unsigned int *size)
{
	static const struct {
		const char *rank, *size;
	} vars[] = {
		{ "OMPI_COMM_WORLD_LOCAL_RANK", "OMPI_COMM_WORLD_LOCAL_SIZE" },
		{ "MPI_LOCALRANKID", "MPI_LOCALNRANKS" },
		{ "PMI_LOCAL_RANK", "PMI_LOCAL_SIZE" },
		{ "PALS_LOCAL_RANKID", "PALS_LOCAL_SIZE" },
		{ "SLURM_LOCALID", NULL },
		{ "LOCAL_RANK", "LOCAL_WORLD_SIZE" },
	};

	for (size_t i = 0; i < NP_ARRAY_SIZE(vars); i++) {
		unsigned int rk, sz;
		int r = env_uint(vars[i].rank, &rk);

		if (r == -ENOENT)
			continue;
		if (r == 0)
			r = vars[i].size ? env_uint(vars[i].size, &sz) : slurm_tasks_here(&sz);
		if (r == -ENOENT || (r == 0 && rk >= sz))
			r = -EINVAL;
		if (r < 0)
			return r;
		*rank = rk;
		*size = sz;
		return 0;
	}
	return -ENOENT;
}

/* ---- output syntaxes ----------------------------------------------------------------------- */

/* "{0,8}" (OMP_PLACES), or "0,8" */
static void sb_cpus(struct np__sbuf *b, const struct np_cpuset *s, bool braces)
{
	bool first = true;

	if (braces)
		np__sbuf_add(b, "{");
	np_cpuset_foreach(c, s) {
		if (!first)
			np__sbuf_add(b, ",");
		np__sbuf_add(b, "%u", (unsigned int)c);
		first = false;
	}
	if (braces)
		np__sbuf_add(b, "}");
}

static void fmt_slurm(const struct np_plan *p, struct np__sbuf *b)
{
	bool single = true;

	for (unsigned int i = 0; i < p->n; i++)
		single = single && np_cpuset_weight(p->cpus[i]) == 1;
	np__sbuf_add(b, "%s", single ? "--cpu-bind=map_cpu:" : "--cpu-bind=mask_cpu:");
	for (unsigned int i = 0; i < p->n; i++) {
		char *hex;

		if (i)
			np__sbuf_add(b, ",");
		if (single) {
			np__sbuf_add(b, "%u", (unsigned int)np_cpuset_first(p->cpus[i]));
			continue;
		}
		if (np_cpuset_format_taskset(p->cpus[i], &hex) < 0) {
			b->oom = true;
			return;
		}
		np__sbuf_add(b, "0x%s", hex);
		free(hex);
	}
}

/* one worker in @fmt (not slurm) */
static void fmt_worker(const struct np_plan *p, unsigned int i, enum np_plan_format fmt,
		       struct np__sbuf *b)
{
	const struct np_cpuset *s = p->cpus[i];
	switch (fmt) {
	case NP_PLAN_FMT_GOMP:
		np__sbuf_add(b, "%u", (unsigned int)np_cpuset_first(s));
		break;
	case NP_PLAN_FMT_KMP:
		/* KMP's proclist takes a bare CPU or a {set} */
		sb_cpus(b, s, np_cpuset_weight(s) > 1);
		break;
	default:
		sb_cpus(b, s, fmt == NP_PLAN_FMT_OMP);
		break;
	}
}

int np_plan_format(const struct np_plan *p, enum np_plan_format fmt, char **ret)
{
	static const char *const sep[] = {
		[NP_PLAN_FMT_OMP] = ",",       [NP_PLAN_FMT_GOMP] = " ",  [NP_PLAN_FMT_KMP] = ",",
		[NP_PLAN_FMT_TASKSET] = "\n", [NP_PLAN_FMT_SLURM] = ",", [NP_PLAN_FMT_PRELOAD] = ";",
	};
	struct np__sbuf b = { 0 };

	if ((unsigned int)fmt >= NP_ARRAY_SIZE(sep))
		return -EINVAL;
	if (fmt == NP_PLAN_FMT_PRELOAD)
		return np__planenv_encode_places(p->n, (const struct np_cpuset *const *)p->cpus,
						 p->node, ret);
	if (fmt == NP_PLAN_FMT_SLURM) {
		fmt_slurm(p, &b);
	} else {
		if (fmt == NP_PLAN_FMT_KMP)
			np__sbuf_add(&b, "granularity=fine,explicit,proclist=[");
		for (unsigned int i = 0; i < p->n; i++) {
			if (i)
				np__sbuf_add(&b, "%s", sep[fmt]);
			fmt_worker(p, i, fmt, &b);
		}
		if (fmt == NP_PLAN_FMT_KMP)
			np__sbuf_add(&b, "]");
	}
	return np__sbuf_finish(&b, ret);
}

/* ---- names ----------------------------------------------------------------------------------- */

static const char *const policy_names[] = {
	[NP_PLAN_SPREAD] = "spread",   [NP_PLAN_CLOSE] = "close",       [NP_PLAN_COMPACT] = "compact",
	[NP_PLAN_SCATTER] = "scatter", [NP_PLAN_PER_NODE] = "per-node",
};
static const char *const places_names[] = {
	[NP_PLACES_CORES] = "cores",         [NP_PLACES_THREADS] = "threads",
	[NP_PLACES_LL_CACHES] = "ll_caches", [NP_PLACES_NUMA_DOMAINS] = "numa_domains",
	[NP_PLACES_SOCKETS] = "sockets",
};
static const char *const smt_names[] = {
	[NP_SMT_LAST] = "last", [NP_SMT_USE] = "use", [NP_SMT_AVOID] = "avoid"
};
static const char *const format_names[] = {
	[NP_PLAN_FMT_OMP] = "omp",         [NP_PLAN_FMT_GOMP] = "gomp",
	[NP_PLAN_FMT_KMP] = "kmp",         [NP_PLAN_FMT_TASKSET] = "taskset",
	[NP_PLAN_FMT_SLURM] = "slurm",     [NP_PLAN_FMT_PRELOAD] = "preload",
};

static int lookup(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -EINVAL;
}

const char *np_plan_policy_name(enum np_plan_policy policy)
{
	return (unsigned int)policy < NP_ARRAY_SIZE(policy_names) ? policy_names[policy] : NULL;
}

int np_plan_policy_parse(const char *name)
{
	return lookup(policy_names, NP_ARRAY_SIZE(policy_names), name);
}

const char *np_plan_places_name(enum np_plan_places places)
{
	return (unsigned int)places < NP_ARRAY_SIZE(places_names) ? places_names[places] : NULL;
}

int np_plan_places_parse(const char *name)
{
	return lookup(places_names, NP_ARRAY_SIZE(places_names), name);
}

int np_plan_smt_parse(const char *name)
{
	return lookup(smt_names, NP_ARRAY_SIZE(smt_names), name);
}

int np_plan_format_parse(const char *name)
{
	return lookup(format_names, NP_ARRAY_SIZE(format_names), name);
}
