/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-show.c - `numaplace show`: this process's placement: its memory policy (and the nodes it
 * names), the CPUs and nodes it may use, its cgroup's limits, and the CPU it runs on.  Run it
 * under `numaplace run` or numactl to see what they set.
 *
 * Terminology:
 *  policy       the task memory policy (get_mempolicy), inherited from whoever started us.
 *  allowed      CPUs: this thread's affinity; nodes: its Mems_allowed (the cpuset's mems).
 *  cgroup       the cpuset cgroup's effective CPUs and nodes, when there is one.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct show {
	const struct np_topo *topo;
	struct np_policy *pol;
	struct np_cpuset *cpus, *mems;
	int interleave_next; /* -1 unless interleaving */
	int cpu, node;
};

const struct cli_spec spec_show = {
	.name = "show",
	.summary = "show this process's memory policy, allowed CPUs and nodes",
	.synopsis = "[--json]",
	.description = "Show this process's memory policy, the CPUs and nodes it may use, its cgroup's\n"
		       "limits and the CPU it runs on.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.flags = CLI_JSON | CLI_LIVE,
#ifdef NP_TOPO_NO_CACHES
	/* the limits (cgroup, isolated CPUs) and CPUs' nodes; nothing else */
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_HMAT,
#endif
};

static int gather(struct cli_ctx *ctx, struct show *s)
{
	const struct np_cpu *c;
	int e;

	e = cli_topo(ctx, &s->topo);
	if (e < 0)
		return e;
	e = np_policy_get(&s->pol);
	if (e < 0) {
		cli_error_errno(e, "cannot read the memory policy (get_mempolicy)");
		return e;
	}
	e = np_affinity_get(0, &s->cpus);
	if (e < 0) {
		cli_error_errno(e, "cannot read the CPU affinity");
		return e;
	}
	e = np_mpol_mems_allowed(&s->mems);
	if (e < 0) {
		cli_error_errno(e, "cannot read the allowed nodes (get_mempolicy)");
		return e;
	}
	s->interleave_next = -1;
	if (np_policy_mode(s->pol) == NP_MPOL_INTERLEAVE ||
	    np_policy_mode(s->pol) == NP_MPOL_WEIGHTED_INTERLEAVE)
		np_mpol_interleave_next(&s->interleave_next);
	s->cpu = sched_getcpu();
	c = s->cpu >= 0 ? np_topo_cpu(s->topo, (unsigned int)s->cpu) : NULL;
	s->node = c ? c->node : -1;
	return 0;
}

static void show_text(const struct show *s)
{
	char flags[64];

	cli_policy_flags(np_policy_flags(s->pol), flags, sizeof(flags));
	printf("%-16s %s\n", "policy:", cli_policy_mode(s->pol));
	cli_print_set(stdout, "policy nodes:", np_policy_nodes(s->pol), "none");
	printf("%-16s %s\n", "policy flags:", flags);
	if (s->interleave_next >= 0)
		printf("%-16s %d\n", "interleave next:", s->interleave_next);
	cli_print_set(stdout, "allowed CPUs:", s->cpus, "none");
	cli_print_set(stdout, "allowed nodes:", s->mems, "none");
	cli_print_set(stdout, "cgroup CPUs:", np_topo_cgroup_cpus(s->topo), "no limit");
	cli_print_set(stdout, "cgroup nodes:", np_topo_cgroup_nodes(s->topo), "no limit");
	cli_print_set(stdout, "isolated CPUs:", np_topo_isolated_cpus(s->topo), "none");
	printf("%-16s %d\n", "running on CPU:", s->cpu);
	if (s->node >= 0)
		printf("%-16s %d\n", "running on node:", s->node);
	else
		printf("%-16s %s\n", "running on node:", "unknown");
}

static void show_json(const struct show *s)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_obj_begin(&j, "policy");
	cli_json_policy_fields(&j, s->pol);
	if (s->interleave_next >= 0)
		json_int(&j, "interleave_next", s->interleave_next);
	else
		json_null(&j, "interleave_next");
	json_obj_end(&j);
	json_cpuset(&j, "allowed_cpus", s->cpus);
	json_cpuset(&j, "allowed_nodes", s->mems);
	json_obj_begin(&j, "cgroup");
	json_cpuset(&j, "cpus", np_topo_cgroup_cpus(s->topo));
	json_cpuset(&j, "nodes", np_topo_cgroup_nodes(s->topo));
	json_obj_end(&j);
	json_cpuset(&j, "isolated_cpus", np_topo_isolated_cpus(s->topo));
	json_int(&j, "cpu", s->cpu);
	if (s->node >= 0)
		json_int(&j, "node", s->node);
	else
		json_null(&j, "node");
	json_obj_end(&j);
	json_finish(&j);
}

int cmd_show(struct cli_ctx *ctx)
{
	struct show s = { 0 };
	char **args;
	int c, n, e;

	while ((c = cli_next(ctx)) != -1)
		return c < 0 ? c : CLI_USAGE;
	args = cli_operands(ctx, &n);
	if (n > 0)
		return cli_usage("unexpected argument '%s'", args[0]);
	e = gather(ctx, &s);
	if (e == 0) {
		if (ctx->json)
			show_json(&s);
		else
			show_text(&s);
	}
	np_cpuset_free(s.cpus);
	np_cpuset_free(s.mems);
	np_policy_free(s.pol);
	return e;
}
