/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-apply.c - the middle of `numaplace run`: load the parts of the machine it needs, resolve
 * the request (np_resolve) and word its reasons, check the kernel, then apply or print.
 *
 * Terminology:
 *  binding   the CPUs the command may run on (-N nodes' CPUs, -C / --cpus CPUs).
 *  policy    the memory policy it starts with (-m -i -w -p -P -l), kept across execve.
 *  reason    np_resolve()'s struct np_reason: what is wrong with a request, and the id at
 *            fault; worded here ("node 3 has no memory; pick one of 0-2").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "run.h"

const char *run_list(const struct np_cpuset *set, char *buf)
{
	char *s = NULL;

	if (!set || np_cpuset_format_list(set, 0, &s) < 0) {
		snprintf(buf, 64, "?");
	} else {
		snprintf(buf, 64, "%s", *s ? s : "none");
		if (strlen(s) >= 64)
			strcpy(buf + 56, "...");
	}
	free(s);
	return buf;
}

/*
 * the parts of the machine run reads for plain lists and masks: nodes and CPUs; which nodes have
 * memory comes from has_memory, so the nodes' meminfo is needed only for --huge's page sizes
 */
#define RUN_TOPO (NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_HMAT | NP_TOPO_NO_CPU_DETAILS)

/* a list or a mask: digits, hex letters, ',', '-', ':' (no location, no "all", "+" or "!") */
static bool plain(const char *s)
{
	return !s || s[strspn(s, "0123456789abcdefABCDEFxX,-: \t")] == '\0';
}

/*
 * What to load: a plan places on caches and --within may name devices, and so may a location
 * in a set; "all", "+" and "!" count over the allowed sets, which -C and --all also check
 * against the cgroup cpuset: those need the limits.  Plain lists need nodes and CPUs, and the
 * resolver asks the kernel what is allowed, as numactl does, in two calls.
 */
static unsigned int topo_flags(const struct run *r)
{
	bool sets = plain(r->cpus) && plain(r->cpunodes) && plain(r->mem_nodes);

	if (r->pl.workers || r->pl.ranks || !sets)
		return 0;
	return RUN_TOPO | (r->rg.huge ? 0 : NP_TOPO_NO_MEMINFO) |
	       (r->sysroot || r->all || r->cpus ? 0 : NP_TOPO_NO_LIMITS);
}

int run_load(struct run *r)
{
	const char *root;
	int e = cli_sysroot_dir(r->sysroot, &root);

	if (e == 0)
		e = np_topo_load(root, topo_flags(r), &r->topo);
	if (e < 0) {
		/* the words every other verb gives for a --sysroot that holds no capture */
		cli_topo_error(r->sysroot, e);
		return e;
	}
	cli_topo_problems(r->topo);
	e = np_resolve_allowed(r->topo, r->all, &r->cpu_allowed, &r->node_allowed);
	if (e < 0)
		cli_error_errno(e, "cannot read what this process may use");
	return e;
}

/*
 * The sets of the request in the one grammar (cli_parse_cpus/_nodes word the faults): @set[0]
 * the CPUs, [1] the nodes to run on, [2] the policy's nodes (relative nodes are positions in
 * the cpuset's nodes, which the resolver reads as such)
 */
static int parse_sets(struct run *r, struct np_cpuset *set[3])
{
	/* numactl's -a: "all", "!" and "+" over every online CPU and node */
	unsigned int f = r->all ? NP_PARSE_ONLINE : 0;
	int e = 0;

	if (r->cpus)
		e = cli_topo_parse_cpus(r->topo, r->cpus_opt, r->cpus, f, &set[0]);
	if (e == 0 && r->cpunodes)
		e = cli_topo_parse_nodes(r->topo, r->cpunodes_opt, r->cpunodes, f, &set[1]);
	if (e == 0 && r->mem_nodes && !(r->mflags & NP_MPOL_F_RELATIVE_NODES))
		e = cli_topo_parse_nodes(r->topo, r->mode_opt, r->mem_nodes, f, &set[2]);
	return e;
}

/* the CPU-set reasons of np_resolve(), in run's words */
static void explain_cpus(const struct np_reason *w, const char *opt, const char *str)
{
	char a[64];

	switch (w->why) {
	case NP_WHY_NO_SUCH_CPU:
		cli_error("invalid %s '%s': no such CPU; this machine has CPUs %s", opt, str,
			  run_list(w->set, a));
		break;
	case NP_WHY_BEYOND_ALLOWED:
		cli_error("invalid %s '%s': out of range; this process may use CPUs %s", opt, str,
			  run_list(w->set, a));
		break;
	case NP_WHY_CPU_OFFLINE:
		cli_error("invalid %s '%s': CPU %d is offline; online CPUs are %s", opt, str, w->id,
			  run_list(w->set, a));
		break;
	case NP_WHY_OUTSIDE_CPUSET:
		cli_error("invalid %s '%s': none of these CPUs is in this process's cpuset (%s)", opt,
			  str, run_list(w->set, a));
		break;
	case NP_WHY_CPUS_NOT_ALLOWED:
		cli_error("invalid %s '%s': this process may not use any of its CPUs (allowed: %s)",
			  opt, str, run_list(w->set, a));
		break;
	default:
		cli_error("invalid %s '%s': no CPU in it", opt, str);
		break;
	}
}

/* the node reasons */
static void explain_nodes(const struct np_reason *w, const char *opt, const char *str)
{
	char a[64];
	int n = w->id;

	switch (w->why) {
	case NP_WHY_NO_SUCH_NODE:
		cli_error("invalid %s '%s': no such node; this machine has nodes %s", opt, str,
			  run_list(w->set, a));
		break;
	case NP_WHY_NODE_OFFLINE:
		cli_error("invalid %s '%s': node %d is offline", opt, str, n);
		break;
	case NP_WHY_NODE_NO_CPUS:
		cli_error("invalid %s '%s': node %d has no CPUs; nodes with CPUs are %s", opt, str,
			  n, run_list(w->set, a));
		break;
	case NP_WHY_CPUS_NOT_ALLOWED:
		if (n < 0)
			cli_error("invalid %s '%s': this process may not use any of its CPUs "
				  "(allowed: %s)", opt, str, run_list(w->set, a));
		else
			cli_error("invalid %s '%s': this process may not use any CPU of node %d "
				  "(allowed CPUs: %s)", opt, str, n, run_list(w->set, a));
		break;
	case NP_WHY_NODE_NO_MEMORY:
		if (w->has_cpus)
			cli_error("invalid %s '%s': node %d has no memory; pick one of %s, or use "
				  "--cpunodebind %d --localalloc for memory nearest its CPUs", opt,
				  str, n, run_list(w->set, a), n);
		else
			cli_error("invalid %s '%s': node %d has no memory; pick one of %s", opt, str,
				  n, run_list(w->set, a));
		break;
	case NP_WHY_OUTSIDE_CPUSET:
		if (n < 0)
			explain_cpus(w, opt, str);
		else
			cli_error("invalid %s '%s': node %d is outside this process's cpuset "
				  "(allowed nodes: %s)", opt, str, n, run_list(w->set, a));
		break;
	default:
		cli_error("invalid %s '%s': no node in it", opt, str);
		break;
	}
}

/* np_resolve()'s failure @e with @w, worded; the request's own faults are usage errors */
static int explain(struct run *r, int e, struct np_reason *w)
{
	const char *opt = w->field == NP_RESOLVE_CPUS	   ? r->cpus_opt
			  : w->field == NP_RESOLVE_CPU_NODES ? r->cpunodes_opt : r->mode_opt;
	const char *str = w->field == NP_RESOLVE_CPUS	   ? r->cpus
			  : w->field == NP_RESOLVE_CPU_NODES ? r->cpunodes : r->mem_nodes;

	if (w->why == NP_WHY_NONE && w->field == NP_RESOLVE_MEM_NODES)
		cli_error_errno(e, "invalid memory policy '%s'", r->mode_opt);
	else if (w->why == NP_WHY_NONE)
		cli_error_errno(e, "cannot resolve %s '%s'", opt, str);
	else if (w->why == NP_WHY_SYNTAX)
		cli_bad_set(opt, str, w->err, w->pos);
	else if (w->why == NP_WHY_PREFERRED_ONE)
		cli_error("invalid --preferred '%s': give exactly one node (--preferred-many takes "
			  "several)", r->mem_nodes);
	else if (w->field == NP_RESOLVE_CPUS)
		explain_cpus(w, opt, str);
	else
		explain_nodes(w, opt, str);
	np_reason_release(w);
	switch (w->why) {
	case NP_WHY_SYNTAX: case NP_WHY_EMPTY: case NP_WHY_NO_SUCH_CPU: case NP_WHY_NO_SUCH_NODE:
	case NP_WHY_BEYOND_ALLOWED: case NP_WHY_PREFERRED_ONE:
		return CLI_USAGE;
	default:
		return e;
	}
}

/* CPUs named outside the cgroup cpuset were left out (numactl issue #186) */
static void warn_dropped(const struct run *r, const struct np_resolved *res)
{
	const char *opt = r->cpus ? r->cpus_opt : r->cpunodes_opt;
	char a[64], b[64];

	cli_warn("%s '%s': CPUs %s are outside this process's cpuset (%s); the command will not "
		 "run there", opt, r->cpus ? r->cpus : r->cpunodes, run_list(res->dropped, a),
		 run_list(res->cpuset, b));
}

/*
 * Isolated CPUs in the binding: the resolver's for -N/-C; a plan's binding (whose topology has
 * its limits) against the topology's
 */
static void warn_isolated(struct run *r, const struct np_cpuset *found)
{
	const struct np_cpuset *iso = np_topo_isolated_cpus(r->topo);
	struct np_cpuset *both = NULL;
	char a[64];

	if (!found && iso && r->bind && np_cpuset_intersects(iso, r->bind) &&
	    np_cpuset_dup(r->bind, &both) == 0)
		np_cpuset_and(both, both, iso);
	if (found || both)
		cli_warn("CPUs %s are isolated (isolcpus=): the scheduler will not balance the "
			 "command's threads across them", run_list(found ? found : both, a));
	np_cpuset_free(both);
}

int run_resolve(struct run *r)
{
	struct np_cpuset *set[3] = { NULL, NULL, NULL };
	struct np_resolve_req q = {
		.cpus = r->cpus, .cpu_nodes = r->cpunodes, .mode = r->mode, .mem_nodes = r->mem_nodes,
		.flags = r->mflags | (r->balancing ? NP_MPOL_F_NUMA_BALANCING : 0), .all = r->all,
		.allowed_cpus = r->cpu_allowed, .allowed_nodes = r->node_allowed,
	};
	struct np_resolved res = { 0 };
	struct np_reason why;
	int e = parse_sets(r, set);

	q.cpu_set = set[0];
	q.cpu_node_set = set[1];
	q.mem_node_set = set[2];
	if (e == 0 && (e = np_resolve(r->topo, &q, &res, &why)) != 0)
		e = explain(r, e, &why);
	for (int i = 0; i < 3; i++)
		np_cpuset_free(set[i]);
	if (e != 0)
		return e;
	if (res.dropped)
		warn_dropped(r, &res);
	r->bind = res.cpus;
	r->pol = res.policy;
	res.cpus = NULL;
	res.policy = NULL;
	e = run_plan_resolve(r);
	if (e == 0)
		warn_isolated(r, res.isolated);
	np_resolved_release(&res);
	return e;
}

/* ---- checking the kernel, applying, running ---- */

static const char *kernel_release(char *buf, size_t size)
{
	struct utsname u;

	snprintf(buf, size, "%s", uname(&u) == 0 ? u.release : "?");
	return buf;
}

int run_blocked(int err, const char *call)
{
	if (err == -EPERM)
		cli_error("cannot set the memory policy (%s): %s; a seccomp filter or container profile "
			  "blocks the NUMA syscalls here (docker: --cap-add SYS_NICE or a seccomp "
			  "profile allowing %s)", call, np_strerror(err), call);
	else
		cli_error("cannot set the memory policy (%s): %s; this kernel has no NUMA support, or "
			  "a seccomp filter hides the syscall", call, np_strerror(err));
	return err;
}

int run_check_kernel(struct run *r)
{
	struct np_mpol_caps caps;
	char rel[128];
	int e;

	if (!r->pol)
		return 0;
	e = np_mpol_probe(&caps);
	if (e < 0) {
		cli_error_errno(e, "cannot probe the kernel's memory policies");
		return e;
	}
	e = np_mpol_check(&caps, r->pol, r->rg.opt != NULL);
	if (e == -EPERM || e == -ENOSYS)
		return run_blocked(e, r->rg.opt ? "mbind" : "set_mempolicy");
	if (e == -EOPNOTSUPP && r->balancing)
		cli_error("%s with --balancing is not supported by this kernel (%s)", r->mode_opt,
			  kernel_release(rel, sizeof(rel)));
	else if (e == -EOPNOTSUPP)
		cli_error("%s needs Linux %s or later; this kernel (%s) does not support it",
			  r->mode_opt, np_mpol_mode_since(r->mode), kernel_release(rel, sizeof(rel)));
	return e;
}

static void reset_policy(void)
{
	struct np_policy *def;

	if (np_policy_new(NP_MPOL_DEFAULT, NULL, 0, &def) == 0) {
		np_policy_apply(def);
		np_policy_free(def);
	}
}

int run_apply(struct run *r)
{
	char a[64];
	int e;

	if (r->pol) {
		e = np_policy_apply(r->pol);
		if (e == -EPERM || e == -ENOSYS)
			return run_blocked(e, "set_mempolicy");
		/* not probed before: the probe now says whether the kernel lacks the mode */
		if (e < 0 && run_check_kernel(r) != 0)
			return e;
		if (e < 0) {
			cli_error_errno(e, "cannot set the memory policy %s '%s'", r->mode_opt,
					r->mem_nodes ? r->mem_nodes : "");
			return e;
		}
	}
	if (r->bind) {
		e = np_affinity_set(0, r->bind);
		if (e < 0) {
			/* leave nothing half-applied */
			if (r->pol)
				reset_policy();
			cli_error_errno(e, "cannot bind to CPUs %s", run_list(r->bind, a));
			return e;
		}
	}
	return 0;
}

static void print_plan_json(const struct run *r)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	if (r->bind)
		json_cpuset(&j, "cpus", r->bind);
	else
		json_null(&j, "cpus");
	if (r->pol) {
		json_obj_begin(&j, "policy");
		cli_json_policy_fields(&j, r->pol);
		json_obj_end(&j);
	} else {
		json_null(&j, "policy");
	}
	if (r->pl.ranks) {
		json_uint(&j, "rank", r->pl.rank);
		json_uint(&j, "size", r->pl.nranks);
	}
	if (r->pl.place.dev) {
		json_str(&j, "device", np_device_name(r->pl.place.dev));
		json_str(&j, "nic", r->pl.place.nic ? np_device_name(r->pl.place.nic) : NULL);
	}
	if (r->rg.opt) {
		json_obj_begin(&j, "region");
		json_str(&j, "kind", strcmp(r->rg.opt, "--shm") == 0 ? "shm" : "file");
		json_str(&j, "path", r->rg.path);
		json_uint(&j, "offset", r->rg.o.offset);
		json_uint(&j, "length", r->rg.o.length);
		json_obj_end(&j);
	}
	if (r->pl.str) {
		char skip[32];

		snprintf(skip, sizeof(skip), "0x%llx", r->pl.skip_mask);
		json_str(&j, "plan", r->pl.str);
		json_str(&j, "plan_mem", np_plan_mem_name((enum np_plan_mem)r->pl.mem));
		json_str(&j, "skip", skip);
		json_str(&j, "preload", r->pl.preload);
	}
	json_obj_end(&j);
	json_finish(&j);
}

/* --dry-run: what would be applied, one "key: value" per line */
int run_print(const struct run *r)
{
	char *s = NULL;
	int e = 0;

	if (r->json) {
		print_plan_json(r);
		return 0;
	}
	if (r->bind && (e = np_cpuset_format_list(r->bind, 0, &s)) == 0)
		printf("cpus: %s\n", s);
	else if (!r->bind)
		printf("cpus: unchanged\n");
	free(s);
	s = NULL;
	if (r->pol && e == 0 && (e = np_policy_format(r->pol, &s)) == 0)
		printf("policy: %s\n", s);
	else if (!r->pol)
		printf("policy: unchanged\n");
	free(s);
	if (e < 0)
		cli_error_errno(e, "cannot print the plan");
	if (e == 0 && r->pl.ranks)
		printf("rank: %u of %u\n", r->pl.rank, r->pl.nranks);
	if (e == 0 && r->pl.place.dev)
		printf("device: %s (%s, node %d)\nnic: %s\n", np_device_name(r->pl.place.dev),
		       np_device_pci_address(r->pl.place.dev), r->pl.place.node,
		       r->pl.place.nic ? np_device_name(r->pl.place.nic) : "none");
	if (e == 0 && r->rg.opt)
		printf("region: %s '%s' offset %llu length %llu\n", r->rg.opt, r->rg.path,
		       r->rg.o.offset, r->rg.o.length);
	if (e == 0 && r->pl.str)
		printf("plan: %s\nplan-mem: %s\nskip: 0x%llx\npreload: %s\n", r->pl.str,
		       np_plan_mem_name((enum np_plan_mem)r->pl.mem), r->pl.skip_mask, r->pl.preload);
	return e;
}
