/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * resolve.c - numactl's placement semantics: a request (CPUs or nodes to run on, a memory policy
 * mode over a node string) and the machine's tree become the CPUs and the policy to apply, or
 * one structured reason naming the CPU or node at fault.  Nothing here is applied or printed.
 *
 * Terminology:
 *  request   struct np_resolve_req: the strings as the user gave them ("0-3", "+1", "!2", "all"),
 *            or sets the caller parsed (np_topo_parse_cpus()), which are then only checked.
 *  allowed   what numactl's "+" and "!" are relative to: this process's CPUs (affinity, cgroup,
 *            online) and Mems_allowed, or with @all every online CPU and node.
 *  reach     a CPU the command could run on: online and in the cgroup cpuset.  This process's own
 *            affinity does not bind the command, so with @all named CPUs are checked only against
 *            reach; CPUs outside the cpuset are dropped with a warning (numactl issue #186).
 *  isolated  CPUs of the kernel's isolcpus=: binding to them works, but the scheduler does not
 *            balance threads over them, which the caller may want to say.
 *  reason    struct np_reason: why a request cannot be met (no such node, node 3 offline, node 3
 *            has no memory...), with the id at fault and the set that would work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void np_reason_release(struct np_reason *why)
{
	if (!why)
		return;
	np_cpuset_free(why->set);
	why->set = NULL;
}

void np_resolved_release(struct np_resolved *res)
{
	if (!res)
		return;
	np_cpuset_free(res->cpus);
	np_policy_free(res->policy);
	np_cpuset_free(res->dropped);
	np_cpuset_free(res->cpuset);
	np_cpuset_free(res->isolated);
	memset(res, 0, sizeof(*res));
}

/* fill @why; @set (may be NULL) is copied.  Return: @err, or -ENOMEM when the copy fails */
static int reason(struct np_reason *why, enum np_why kind, int err, int id,
		  const struct np_cpuset *set)
{
	why->why = kind;
	why->err = err;
	why->id = id;
	np_cpuset_free(why->set);
	why->set = NULL;
	if (set && np_cpuset_dup(set, &why->set) < 0)
		return -ENOMEM;
	return err;
}

static int syntax(struct np_reason *why, int err, size_t pos)
{
	why->pos = pos;
	return reason(why, NP_WHY_SYNTAX, err, -1, NULL);
}

/*
 * Without the topology's limits (NP_TOPO_NO_LIMITS, or a failed sched_getaffinity) on this
 * machine, the kernel says what numactl asks it: the affinity, which it already keeps within
 * the cpuset and the active CPUs, and Mems_allowed.
 */
static bool limits_skipped(const struct np_topo *t)
{
	return strcmp(np_topo_sysroot(t), "/") == 0 && !np_topo_affinity_cpus(t);
}

int np_resolve_allowed(const struct np_topo *t, bool all, struct np_cpuset **cpus,
		       struct np_cpuset **nodes)
{
	const struct np_cpuset *c = all ? np_topo_online_cpus(t) : np_topo_allowed_cpus(t);
	const struct np_cpuset *n = all ? np_topo_online_nodes(t) : np_topo_allowed_nodes(t);
	bool ask = !all && limits_skipped(t);
	struct np_cpuset *cs = NULL, *ns = NULL;
	int e;

	/*
	 * A capture without the process files: what a process there starts with.  A kernel that
	 * will not answer (seccomp on get_mempolicy) leaves the topology's sets, and the kernel
	 * its say when the policy is applied.
	 */
	e = ask ? np_affinity_get(0, &cs) : -ENOENT;
	if (e < 0 && e != -ENOMEM)
		e = np_cpuset_dup(c ? c : np_topo_online_cpus(t), &cs);
	if (e == 0)
		e = ask ? np_mpol_mems_allowed(&ns) : -ENOENT;
	if (e < 0 && e != -ENOMEM && cs)
		e = np_cpuset_dup(n ? n : np_topo_memory_nodes(t), &ns);
	/* as wide as the topology's sets, so the parsers bound numbers by the machine */
	if (e == 0)
		e = np_cpuset_resize(cs, np_topo_cpu_size(t));
	if (e == 0)
		e = np_cpuset_resize(ns, np_topo_node_size(t));
	if (e < 0) {
		np_cpuset_free(cs);
		np_cpuset_free(ns);
		return e;
	}
	*cpus = cs;
	*nodes = ns;
	return 0;
}

/* the kernel's isolated CPUs (isolcpus=): the topology's, or read here when it skipped them */
static int isolated_cpus(const struct np_topo *t, struct np_cpuset **ret)
{
	const struct np_cpuset *iso = np_topo_isolated_cpus(t);
	struct np_sysfs *fs;
	struct np_cpuset *set;
	int e;

	if (!limits_skipped(t))
		return iso ? np_cpuset_dup(iso, ret) : 0;
	e = np_cpuset_new(np_topo_cpu_size(t), &set);
	if (e < 0)
		return e;
	e = np__sysfs_open(NULL, &fs);
	if (e == 0) {
		e = np__sysfs_read_list(fs, set, "sys/devices/system/cpu/isolated");
		np__sysfs_free(fs);
	}
	/* no file, or one this kernel words otherwise: nothing known to be isolated */
	if (e < 0 && e != -ENOMEM)
		e = 0;
	if (e < 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

/* res->isolated: the CPUs of the binding the scheduler does not balance over */
static int find_isolated(const struct np_topo *t, struct np_resolved *res)
{
	struct np_cpuset *iso = NULL;
	int e = isolated_cpus(t, &iso);

	if (e < 0 || !iso)
		return e;
	np_cpuset_and(iso, iso, res->cpus);
	if (np_cpuset_empty(iso))
		np_cpuset_free(iso);
	else
		res->isolated = iso;
	return 0;
}

/*
 * @set against what the command can reach: an offline CPU fails, CPUs outside the cgroup
 * cpuset are dropped into res->dropped (unless none would be left).
 */
static int check_reach(const struct np_topo *t, struct np_cpuset *set, struct np_resolved *res,
		       struct np_reason *why)
{
	const struct np_cpuset *online = np_topo_online_cpus(t), *cg = np_topo_cgroup_cpus(t);
	struct np_cpuset *limit = NULL, *out = NULL;
	int e;

	np_cpuset_foreach(cpu, set)
		if (!np_cpuset_isset(online, (unsigned int)cpu))
			return reason(why, NP_WHY_CPU_OFFLINE, -ENODEV, cpu, online);
	e = np_cpuset_dup(online, &limit);
	if (e == 0 && cg)
		e = np_cpuset_and(limit, limit, cg);
	if (e == 0)
		e = np_cpuset_dup(set, &out);
	if (e == 0)
		e = np_cpuset_andnot(out, set, limit);
	if (e < 0 || np_cpuset_empty(out))
		goto free;
	if (!np_cpuset_intersects(set, limit)) {
		e = reason(why, NP_WHY_OUTSIDE_CPUSET, -EPERM, -1, limit);
		goto free;
	}
	np_cpuset_and(set, set, limit);
	np_cpuset_free(res->dropped);
	np_cpuset_free(res->cpuset);
	res->dropped = out;
	res->cpuset = limit;
	return 0;
free:
	np_cpuset_free(out);
	np_cpuset_free(limit);
	return e;
}

static bool is_mask(const char *s)
{
	return strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0;
}

/*
 * A number outside the allowed CPUs is looked at again against the whole machine, to tell a CPU
 * that does not exist from one that is offline or merely outside this process's affinity.
 */
static int cpus_beyond(const struct np_topo *t, const struct np_resolve_req *q, bool mask,
		       struct np_cpuset *set, struct np_resolved *res, struct np_reason *why)
{
	int e = mask ? np_cpuset_parse_taskset(set, q->cpus, NULL)
		     : np_cpuset_parse_list(set, q->cpus, NULL);

	if (e == 0 && !np_cpuset_subset(set, np_topo_possible_cpus(t)))
		e = -ERANGE;
	if (e == 0)
		return check_reach(t, set, res, why);
	if (e == -ERANGE)
		return reason(why, NP_WHY_NO_SUCH_CPU, -EINVAL, -1, np_topo_possible_cpus(t));
	if (e == -ENOMEM)
		return e;
	/* numactl syntax ("+5", "!9") that reaches beyond the allowed CPUs */
	return reason(why, NP_WHY_BEYOND_ALLOWED, -EINVAL, -1, q->allowed_cpus);
}

/* the last step for CPUs: an empty set is refused; on success res->cpus takes @set */
static int cpus_done(struct np_cpuset *set, int e, struct np_resolved *res, struct np_reason *why)
{
	if (e == 0 && np_cpuset_empty(set))
		e = reason(why, NP_WHY_EMPTY, -EINVAL, -1, NULL);
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	res->cpus = set;
	return 0;
}

/* CPUs the caller parsed: what is outside the allowed ones must be reachable */
static int resolve_cpu_set(const struct np_topo *t, const struct np_resolve_req *q,
			   struct np_resolved *res, struct np_reason *why)
{
	struct np_cpuset *set = NULL;
	int e = np_cpuset_dup(q->cpu_set, &set);

	if (e == 0 && !np_cpuset_subset(set, np_topo_possible_cpus(t)))
		e = reason(why, NP_WHY_NO_SUCH_CPU, -EINVAL, -1, np_topo_possible_cpus(t));
	if (e == 0 && (q->all || !np_cpuset_subset(set, q->allowed_cpus)))
		e = check_reach(t, set, res, why);
	return cpus_done(set, e, res, why);
}

static int resolve_cpus(const struct np_topo *t, const struct np_resolve_req *q,
			struct np_resolved *res, struct np_reason *why)
{
	bool mask = q->cpus_mask && is_mask(q->cpus);
	struct np_cpuset *set;
	size_t pos = 0;
	int e;

	why->field = NP_RESOLVE_CPUS;
	if (q->cpu_set)
		return resolve_cpu_set(t, q, res, why);
	e = np_cpuset_new(np_topo_cpu_size(t), &set);
	if (e < 0)
		return e;
	if (mask) {
		e = np_cpuset_parse_taskset(set, q->cpus, &pos);
		if (e == 0 && !np_cpuset_subset(set, q->allowed_cpus))
			e = -ERANGE;
	} else {
		e = np_cpuset_parse_numactl(set, q->cpus, q->allowed_cpus, &pos);
	}
	if (e == -ERANGE)
		e = cpus_beyond(t, q, mask, set, res, why);
	else if (e == 0 && q->all)
		e = check_reach(t, set, res, why);
	else if (e == -EINVAL || e == -EOVERFLOW)
		e = syntax(why, e, pos);
	return cpus_done(set, e, res, why);
}

/* why node @n, which the machine has, may not be named */
static int why_node(const struct np_topo *t, const struct np_resolve_req *q, int n, bool cpubind,
		    struct np_reason *why)
{
	const struct np_node *node = np_topo_node_by_id(t, (unsigned int)n);
	bool has_cpus = node && !np_cpuset_empty(node->cpus);

	if (!np_cpuset_isset(np_topo_online_nodes(t), (unsigned int)n))
		return reason(why, NP_WHY_NODE_OFFLINE, -EPERM, n, np_topo_online_nodes(t));
	if (cpubind && !has_cpus)
		return reason(why, NP_WHY_NODE_NO_CPUS, -EPERM, n, np_topo_cpu_nodes(t));
	if (cpubind)
		return reason(why, NP_WHY_CPUS_NOT_ALLOWED, -EPERM, n, q->allowed_cpus);
	why->has_cpus = has_cpus;
	if (!np_cpuset_isset(np_topo_memory_nodes(t), (unsigned int)n))
		return reason(why, NP_WHY_NODE_NO_MEMORY, -EPERM, n, np_topo_memory_nodes(t));
	return reason(why, NP_WHY_OUTSIDE_CPUSET, -EPERM, n, q->allowed_nodes);
}

/* a node string that named something outside @allowed: which node, and why */
static int explain_node(const struct np_topo *t, const struct np_resolve_req *q, const char *str,
			const struct np_cpuset *allowed, bool cpubind, struct np_reason *why)
{
	struct np_cpuset *set;
	int e = np_cpuset_new(np_topo_node_size(t), &set);

	if (e < 0)
		return e;
	e = np_cpuset_parse_numactl(set, str, np_topo_nodes(t), NULL);
	if (e == -ENOMEM)
		goto free;
	if (e < 0) {
		e = reason(why, NP_WHY_NO_SUCH_NODE, -EINVAL, -1, np_topo_nodes(t));
		goto free;
	}
	e = -EPERM;
	np_cpuset_foreach(n, set) {
		if (!np_cpuset_isset(allowed, (unsigned int)n)) {
			e = why_node(t, q, n, cpubind, why);
			break;
		}
	}
free:
	np_cpuset_free(set);
	return e;
}

/* nodes the caller parsed: each must be one @allowed holds, else why not */
static int check_nodes(const struct np_topo *t, const struct np_resolve_req *q,
		       const struct np_cpuset *set, const struct np_cpuset *allowed, bool cpubind,
		       struct np_reason *why)
{
	if (!np_cpuset_subset(set, np_topo_nodes(t)))
		return reason(why, NP_WHY_NO_SUCH_NODE, -EINVAL, -1, np_topo_nodes(t));
	np_cpuset_foreach(n, set)
		if (!np_cpuset_isset(allowed, (unsigned int)n))
			return why_node(t, q, n, cpubind, why);
	if (np_cpuset_empty(set))
		return reason(why, NP_WHY_EMPTY, -EINVAL, -1, NULL);
	return 0;
}

static int parse_nodes(const struct np_topo *t, const struct np_resolve_req *q, const char *str,
		       const struct np_cpuset *parsed, const struct np_cpuset *allowed,
		       bool cpubind, struct np_cpuset **ret, struct np_reason *why)
{
	struct np_cpuset *set;
	size_t pos = 0;
	int e;

	if (parsed) {
		e = check_nodes(t, q, parsed, allowed, cpubind, why);
		return e ? e : np_cpuset_dup(parsed, ret);
	}
	e = np_cpuset_new(np_topo_node_size(t), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_numactl(set, str, allowed, &pos);
	if (e == -ERANGE)
		e = explain_node(t, q, str, allowed, cpubind, why);
	else if (e == -EINVAL || e == -EOVERFLOW)
		e = syntax(why, e, pos);
	else if (e == 0 && np_cpuset_empty(set))
		e = reason(why, NP_WHY_EMPTY, -EINVAL, -1, NULL);
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

/* the CPUs of @nodes this process may use, each node having some */
static int node_cpus(const struct np_topo *t, const struct np_resolve_req *q,
		     const struct np_cpuset *nodes, struct np_cpuset *cpus, struct np_reason *why)
{
	np_cpuset_foreach(n, nodes) {
		const struct np_node *node = np_topo_node_by_id(t, (unsigned int)n);

		if (!node || np_cpuset_empty(node->cpus))
			return reason(why, NP_WHY_NODE_NO_CPUS, -ENODEV, n, np_topo_cpu_nodes(t));
		np_cpuset_or(cpus, cpus, node->cpus);
	}
	np_cpuset_and(cpus, cpus, q->allowed_cpus);
	if (np_cpuset_empty(cpus))
		return reason(why, NP_WHY_CPUS_NOT_ALLOWED, -EPERM, -1, q->allowed_cpus);
	return 0;
}

static int resolve_cpu_nodes(const struct np_topo *t, const struct np_resolve_req *q,
			     struct np_resolved *res, struct np_reason *why)
{
	struct np_cpuset *reach = NULL, *nodes = NULL, *cpus = NULL;
	int e;

	why->field = NP_RESOLVE_CPU_NODES;
	/* -N may name the nodes with an allowed CPU */
	e = np_topo_nodes_of_cpus(t, q->allowed_cpus, &reach);
	if (e == 0)
		e = parse_nodes(t, q, q->cpu_nodes, q->cpu_node_set, reach, true, &nodes, why);
	if (e == 0)
		e = np_cpuset_new(np_topo_cpu_size(t), &cpus);
	if (e == 0)
		e = node_cpus(t, q, nodes, cpus, why);
	/* with @all the nodes' CPUs may reach beyond the cpuset: checked as for CPUs */
	if (e == 0 && q->all)
		e = check_reach(t, cpus, res, why);
	if (e == 0) {
		res->cpus = cpus;
		cpus = NULL;
	}
	np_cpuset_free(cpus);
	np_cpuset_free(nodes);
	np_cpuset_free(reach);
	return e;
}

/*
 * relative nodes: positions within the cpuset's nodes, which the kernel maps (and remaps when
 * the cpuset changes), so they are not checked against any node here.
 */
static int parse_relative(const struct np_resolve_req *q, struct np_cpuset **ret,
			  struct np_reason *why)
{
	struct np_cpuset *set;
	size_t pos = 0;
	int e = np_cpuset_new((unsigned int)np_mpol_node_bits(), &set);

	if (e < 0)
		return e;
	e = np_cpuset_parse_list(set, q->mem_nodes, &pos);
	if (e == 0 && np_cpuset_empty(set))
		e = reason(why, NP_WHY_EMPTY, -EINVAL, -1, NULL);
	else if (e < 0 && e != -ENOMEM)
		e = syntax(why, e, pos);
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

static int resolve_policy(const struct np_topo *t, const struct np_resolve_req *q,
			  struct np_resolved *res, struct np_reason *why)
{
	bool relative = q->flags & NP_MPOL_F_RELATIVE_NODES;
	struct np_cpuset *nodes = NULL;
	int e = 0;

	why->field = NP_RESOLVE_MEM_NODES;
	if (q->mem_nodes || q->mem_node_set)
		e = relative && !q->mem_node_set
			    ? parse_relative(q, &nodes, why)
			    : parse_nodes(t, q, q->mem_nodes, q->mem_node_set, q->allowed_nodes, false,
					  &nodes, why);
	/* the kernel drops memoryless nodes from a policy, or refuses it: say so first */
	if (e == 0 && nodes && !relative) {
		np_cpuset_foreach(n, nodes) {
			if (!np_cpuset_isset(np_topo_memory_nodes(t), (unsigned int)n)) {
				e = why_node(t, q, n, false, why);
				e = e == -EPERM ? -ENODEV : e;
				break;
			}
		}
	}
	if (e == 0 && q->mode == NP_MPOL_PREFERRED && np_cpuset_weight(nodes) != 1)
		e = reason(why, NP_WHY_PREFERRED_ONE, -EINVAL, -1, NULL);
	if (e == 0)
		e = np_policy_new(q->mode, nodes, q->flags, &res->policy);
	np_cpuset_free(nodes);
	return e;
}

int np_resolve(const struct np_topo *topo, const struct np_resolve_req *req,
	       struct np_resolved *ret, struct np_reason *why)
{
	struct np_resolved res = { 0 };
	int e = 0;

	why->why = NP_WHY_NONE;
	why->field = NP_RESOLVE_CPUS;
	why->err = 0;
	why->set = NULL;
	why->id = -1;
	why->pos = 0;
	why->has_cpus = false;
	bool cpus = req->cpus || req->cpu_set, cpu_nodes = req->cpu_nodes || req->cpu_node_set;

	if ((cpus || cpu_nodes) && !req->allowed_cpus)
		return -EINVAL;
	if ((req->mem_nodes || req->mem_node_set) && !req->allowed_nodes)
		return -EINVAL;
	if (cpus && cpu_nodes)
		return -EINVAL;
	if (cpu_nodes)
		e = resolve_cpu_nodes(topo, req, &res, why);
	else if (cpus)
		e = resolve_cpus(topo, req, &res, why);
	if (e == 0 && res.cpus)
		e = find_isolated(topo, &res);
	if (e == 0 && req->mode >= 0)
		e = resolve_policy(topo, req, &res, why);
	if (e != 0) {
		np_resolved_release(&res);
		return e;
	}
	*ret = res;
	return 0;
}
