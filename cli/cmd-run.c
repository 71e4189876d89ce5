/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-run.c - `numaplace run [OPTIONS] [--] CMD [ARGS]`: run a command with a CPU binding and a
 * memory policy, numactl's options with numactl's meanings, applied completely or not at all.
 *
 * Terminology:
 *  binding   the CPUs the command may run on (-N nodes' CPUs, -C / --cpus CPUs).
 *  policy    the memory policy it starts with (-m -i -w -p -P -l), kept across execve.
 *  allowed   what this process may use now: its affinity, cgroup cpuset and online CPUs, and
 *            its Mems_allowed; numactl's "+" and "!" syntaxes are relative to these (with -a,
 *            to every online CPU and node instead).
 *
 * Order: parse every option, resolve every set against the topology, probe the kernel, and only
 * then change anything, so a bad input or an unsupported mode leaves nothing applied.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli.h"

struct run {
	const char *cpunodes;    /* -N or --nodes */
	const char *cpunodes_opt; /* which of them */
	const char *cpus;        /* -C or --cpus */
	const char *cpus_opt;    /* which of them */
	int mode;                /* -1: no memory policy option */
	const char *mode_opt;    /* the option that set it, for messages */
	const char *mem_nodes;   /* its argument, NULL for --localalloc */
	const char *last_nodes;  /* for "same" */
	bool balancing, all, dry_run, json;
	unsigned int mflags;     /* NP_MPOL_F_STATIC_NODES / RELATIVE_NODES */
	const char *sysroot;     /* --sysroot: check against a captured machine, apply nothing */

	struct np_topo *topo;
	struct np_cpuset *cpu_allowed, *node_allowed; /* owned copies */
	struct np_cpuset *cpunode_allowed; /* nodes with a CPU in cpu_allowed: what -N may name */
	struct np_cpuset *bind;  /* resolved CPUs, NULL: leave affinity alone */
	struct np_policy *pol;   /* resolved policy, NULL: leave it alone */
};

static void usage(FILE *f)
{
	fputs("Usage: numaplace run [OPTIONS] [--] CMD [ARGS...]\n\n"
	      "Run CMD with a CPU binding and a memory policy.  Nothing is applied unless every\n"
	      "option is valid for this machine.\n\n"
	      "CPU binding:\n"
	      "  -N, --cpunodebind NODES       run on the CPUs of these nodes\n"
	      "  -C, --physcpubind CPUS        run on these CPUs\n"
	      "      --cpus EXPR               run on these CPUs: a list, or a 0x mask\n"
	      "Memory policy (one of):\n"
	      "  -m, --membind NODES           allocate only from these nodes\n"
	      "  -i, --interleave NODES        interleave pages over these nodes\n"
	      "  -w, --weighted-interleave NODES  interleave by the nodes' weights (Linux 6.9+)\n"
	      "  -p, --preferred NODE          prefer this node, fall back to others\n"
	      "  -P, --preferred-many NODES    prefer these nodes (Linux 5.15+)\n"
	      "  -l, --localalloc              allocate on the node of the running CPU\n"
	      "      --nodes EXPR              run on these nodes' CPUs and allocate only from them\n"
	      "Modifiers:\n"
	      "  -b, --balancing               let NUMA balancing move pages (with --membind)\n"
	      "      --static-nodes            do not remap the nodes when the cpuset changes\n"
	      "      --relative-nodes          nodes are relative to the cpuset's nodes\n"
	      "  -a, --all                     sets may name any online CPU or node, not only\n"
	      "                                those this process is allowed\n"
	      "      --dry-run                 check and print the binding and policy; run nothing\n"
	      "      --sysroot DIR             check against a captured machine (implies --dry-run)\n"
	      "      --json                    with --dry-run: print JSON\n"
	      "  -h, --help                    show this help\n\n"
	      "NODES and CPUS: 0-3,8  all  !1  +0-1 (relative to the allowed set)  same (the\n"
	      "previous NODES).  See numaplace(1).\n",
	      f);
}

/* a set as a short list for messages; @buf must hold 64 bytes */
static const char *list(const struct np_cpuset *set, char *buf)
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

static int set_mode(struct run *r, int mode, const char *opt, const char *arg)
{
	if (r->mode >= 0)
		return cli_usage("conflicting memory policies '%s' and '%s': give one", r->mode_opt,
				 opt);
	if (arg && strcmp(arg, "same") == 0) {
		if (!r->last_nodes)
			return cli_usage("invalid %s 'same': no earlier node list to repeat", opt);
		arg = r->last_nodes;
	}
	if (arg)
		r->last_nodes = arg;
	r->mode = mode;
	r->mode_opt = opt;
	r->mem_nodes = arg;
	return 0;
}

static int set_cpunodes(struct run *r, const char *opt, const char *arg)
{
	if (r->cpunodes && strcmp(r->cpunodes_opt, opt) == 0)
		return cli_usage("%s given twice", opt);
	if (r->cpunodes)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpunodes_opt,
				 opt);
	if (r->cpus)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpus_opt, opt);
	if (strcmp(arg, "same") == 0) {
		if (!r->last_nodes)
			return cli_usage("invalid %s 'same': no earlier node list to repeat", opt);
		arg = r->last_nodes;
	}
	r->last_nodes = arg;
	r->cpunodes = arg;
	r->cpunodes_opt = opt;
	return 0;
}

static int set_cpus(struct run *r, const char *opt, const char *arg)
{
	if (r->cpus)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpus_opt, opt);
	if (r->cpunodes)
		return cli_usage("conflicting CPU bindings '%s' and '%s': give one", r->cpunodes_opt,
				 opt);
	r->cpus = arg;
	r->cpus_opt = opt;
	return 0;
}

enum { OPT_CPUS = 256, OPT_NODES, OPT_STATIC, OPT_RELATIVE, OPT_DRY_RUN, OPT_SYSROOT, OPT_JSON };

static const struct option opts[] = {
	{ "cpunodebind", required_argument, NULL, 'N' },
	{ "physcpubind", required_argument, NULL, 'C' },
	{ "membind", required_argument, NULL, 'm' },
	{ "interleave", required_argument, NULL, 'i' },
	{ "weighted-interleave", required_argument, NULL, 'w' },
	{ "preferred", required_argument, NULL, 'p' },
	{ "preferred-many", required_argument, NULL, 'P' },
	{ "localalloc", no_argument, NULL, 'l' },
	{ "balancing", no_argument, NULL, 'b' },
	{ "all", no_argument, NULL, 'a' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "nodes", required_argument, NULL, OPT_NODES },
	{ "static-nodes", no_argument, NULL, OPT_STATIC },
	{ "relative-nodes", no_argument, NULL, OPT_RELATIVE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return cli_usage("option '%s' needs an argument", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		return cli_usage("unknown option '-%c'", optopt);
	return cli_usage("unknown option '%s'", arg);
}

static int option(struct run *r, int c, char **argv)
{
	switch (c) {
	case 'N': return set_cpunodes(r, "--cpunodebind", optarg);
	case 'C': return set_cpus(r, "--physcpubind", optarg);
	case OPT_CPUS: return set_cpus(r, "--cpus", optarg);
	case 'm': return set_mode(r, NP_MPOL_BIND, "--membind", optarg);
	case 'i': return set_mode(r, NP_MPOL_INTERLEAVE, "--interleave", optarg);
	case 'w': return set_mode(r, NP_MPOL_WEIGHTED_INTERLEAVE, "--weighted-interleave", optarg);
	case 'p': return set_mode(r, NP_MPOL_PREFERRED, "--preferred", optarg);
	case 'P': return set_mode(r, NP_MPOL_PREFERRED_MANY, "--preferred-many", optarg);
	case 'l': return set_mode(r, NP_MPOL_LOCAL, "--localalloc", NULL);
	case OPT_NODES: {
		int e = set_cpunodes(r, "--nodes", optarg);

		return e ? e : set_mode(r, NP_MPOL_BIND, "--nodes", optarg);
	}
	case 'b': r->balancing = true; return 0;
	case 'a': r->all = true; return 0;
	case OPT_STATIC: r->mflags |= NP_MPOL_F_STATIC_NODES; return 0;
	case OPT_RELATIVE: r->mflags |= NP_MPOL_F_RELATIVE_NODES; return 0;
	case OPT_DRY_RUN: r->dry_run = true; return 0;
	case OPT_JSON: r->json = true; return 0;
	case OPT_SYSROOT: r->sysroot = optarg; r->dry_run = true; return 0;
	default: return bad_option(c, argv);
	}
}

static int parse_args(struct run *r, int argc, char **argv)
{
	int c, e;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:N:C:m:i:w:p:P:lbah", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		e = option(r, c, argv);
		if (e)
			return e;
	}
	if (optind >= argc && !r->dry_run)
		return cli_usage("no command given: numaplace run [OPTIONS] -- CMD [ARGS...]");
	if (r->balancing && r->mode != NP_MPOL_BIND && r->mode != NP_MPOL_PREFERRED_MANY)
		return cli_usage("--balancing needs --membind (or --preferred-many)");
	if ((r->mflags & NP_MPOL_F_STATIC_NODES) && (r->mflags & NP_MPOL_F_RELATIVE_NODES))
		return cli_usage("conflicting options '--static-nodes' and '--relative-nodes': give one");
	if (r->json && !r->dry_run)
		return cli_usage("--json needs --dry-run (a command's output is its own)");
	if (r->mflags && (r->mode < 0 || !r->mem_nodes))
		return cli_usage("--static-nodes and --relative-nodes need a memory policy with nodes");
	return 0;
}

/* ---- resolving the sets ---- */

/* the nodes that hold at least one CPU of @cpus */
static int nodes_with(const struct np_topo *t, const struct np_cpuset *cpus, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	int e;

	e = np_cpuset_new(np_topo_node_size(t), &set);
	if (e < 0)
		return e;
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (np_cpuset_intersects(n->cpus, cpus))
			np_cpuset_set(set, n->id);
	}
	*ret = set;
	return 0;
}

/*
 * What the sets may name.  Without --all: this process's affinity (and cgroup) and Mems_allowed,
 * as numactl reads them; with --all: every online CPU and node.  A captured machine without the
 * process files falls back to its online CPUs and nodes with memory, which is what a process
 * there starts with.
 */
static int allowed_sets(struct run *r, struct np_cpuset **cpus, struct np_cpuset **nodes)
{
	const struct np_topo *t = r->topo;
	const struct np_cpuset *c = r->all ? np_topo_online_cpus(t) : np_topo_allowed_cpus(t);
	const struct np_cpuset *n = r->all ? np_topo_online_nodes(t) : np_topo_allowed_nodes(t);
	int e;

	if (!c && !r->sysroot)
		e = np_affinity_get(0, cpus);
	else
		e = np_cpuset_dup(c ? c : np_topo_online_cpus(t), cpus);
	if (e < 0)
		return e;
	if (!n && !r->sysroot)
		e = np_mpol_mems_allowed(nodes);
	else
		e = np_cpuset_dup(n ? n : np_topo_memory_nodes(t), nodes);
	if (e < 0)
		return e;
	/* as wide as the topology's sets, so the parsers bound numbers by the machine */
	e = np_cpuset_resize(*cpus, np_topo_cpu_size(t));
	if (e == 0)
		e = np_cpuset_resize(*nodes, np_topo_node_size(t));
	return e;
}

static int load(struct run *r)
{
	int e;

	e = np_topo_load(r->sysroot, 0, &r->topo);
	if (e < 0) {
		if (r->sysroot)
			cli_error_errno(e, "cannot read the machine in '%s'", r->sysroot);
		else
			cli_error_errno(e, "cannot read the topology of this machine");
		return e;
	}
	e = allowed_sets(r, &r->cpu_allowed, &r->node_allowed);
	if (e == 0)
		e = nodes_with(r->topo, r->cpu_allowed, &r->cpunode_allowed);
	if (e < 0)
		cli_error_errno(e, "cannot read what this process may use");
	return e;
}

/*
 * CPUs this process may not use now but the command could: its own affinity does not bind the
 * command, only the cgroup cpuset and the online CPUs do.  Offline CPUs are errors; CPUs outside
 * the cpuset are dropped with a warning (numactl issue #186), unless none is left.
 */
static int check_reach(struct run *r, const char *opt, const char *str, struct np_cpuset *set)
{
	const struct np_cpuset *online = np_topo_online_cpus(r->topo);
	const struct np_cpuset *cg = np_topo_cgroup_cpus(r->topo);
	struct np_cpuset *limit, *out = NULL;
	char a[64], b[64];
	int e;

	np_cpuset_foreach(cpu, set) {
		if (!np_cpuset_isset(online, (unsigned int)cpu)) {
			cli_error("invalid %s '%s': CPU %d is offline; online CPUs are %s", opt, str,
				  cpu, list(online, a));
			return -ENODEV;
		}
	}
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
		cli_error("invalid %s '%s': none of these CPUs is in this process's cpuset (%s)", opt,
			  str, list(limit, a));
		e = -EPERM;
		goto free;
	}
	cli_warn("%s '%s': CPUs %s are outside this process's cpuset (%s); the command will not "
		 "run there", opt, str, list(out, a), list(limit, b));
	np_cpuset_and(set, set, limit);
free:
	np_cpuset_free(out);
	np_cpuset_free(limit);
	return e;
}

static bool is_mask(const char *str)
{
	return strncmp(str, "0x", 2) == 0 || strncmp(str, "0X", 2) == 0;
}

/*
 * Parse a CPU set against the allowed CPUs (numactl's meaning of "+" and "!"); --cpus also takes
 * a 0x mask.  A number outside them is looked at again against the whole machine, to tell a CPU
 * that does not exist (usage error) from one that is offline or merely outside this process's
 * affinity or cpuset.
 */
static int parse_cpus(struct run *r, const char *opt, const char *str, struct np_cpuset **ret)
{
	const struct np_cpuset *possible = np_topo_possible_cpus(r->topo);
	bool mask = strcmp(opt, "--cpus") == 0 && is_mask(str);
	struct np_cpuset *set;
	size_t pos = 0;
	char a[64];
	int e;

	e = np_cpuset_new(np_topo_cpu_size(r->topo), &set);
	if (e < 0)
		return e;
	if (mask) {
		e = np_cpuset_parse_taskset(set, str, &pos);
		if (e == 0 && !np_cpuset_subset(set, r->cpu_allowed))
			e = -ERANGE;
	} else {
		e = np_cpuset_parse_numactl(set, str, r->cpu_allowed, &pos);
	}
	if (e == -ERANGE) {
		e = mask ? np_cpuset_parse_taskset(set, str, NULL) : np_cpuset_parse_list(set, str, NULL);
		if (e == 0 && !np_cpuset_subset(set, possible))
			e = -ERANGE;
		if (e == 0) {
			e = check_reach(r, opt, str, set);
		} else if (e != -ERANGE) {
			/* numactl syntax ("+5", "!9") that reaches beyond the allowed CPUs */
			cli_error("invalid %s '%s': out of range; this process may use CPUs %s", opt,
				  str, list(r->cpu_allowed, a));
			e = CLI_USAGE;
		}
	} else if (e == 0 && r->all) {
		e = check_reach(r, opt, str, set);
	}
	if (e == -ERANGE) {
		cli_error("invalid %s '%s': no such CPU; this machine has CPUs %s", opt, str,
			  list(possible, a));
		e = CLI_USAGE;
	} else if (e == -EINVAL || e == -EOVERFLOW) {
		cli_bad_set(opt, str, e, pos);
		e = CLI_USAGE;
	} else if (e == 0 && np_cpuset_empty(set)) {
		cli_error("invalid %s '%s': no CPU in it", opt, str);
		e = CLI_USAGE;
	}
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

/* why node @n may not be named by @opt: one line */
static void why_node(struct run *r, const char *opt, const char *str, int n, bool cpubind)
{
	const struct np_topo *t = r->topo;
	const struct np_node *node = np_topo_node_by_id(t, (unsigned int)n);
	char a[64];

	if (!np_cpuset_isset(np_topo_online_nodes(t), (unsigned int)n))
		cli_error("invalid %s '%s': node %d is offline", opt, str, n);
	else if (cpubind && node && np_cpuset_empty(node->cpus))
		cli_error("invalid %s '%s': node %d has no CPUs; nodes with CPUs are %s", opt, str,
			  n, list(np_topo_cpu_nodes(t), a));
	else if (cpubind)
		cli_error("invalid %s '%s': this process may not use any CPU of node %d (allowed "
			  "CPUs: %s)", opt, str, n, list(r->cpu_allowed, a));
	else if (!np_cpuset_isset(np_topo_memory_nodes(t), (unsigned int)n) && node &&
		 !np_cpuset_empty(node->cpus))
		cli_error("invalid %s '%s': node %d has no memory; pick one of %s, or use "
			  "--cpunodebind %d --localalloc for memory nearest its CPUs", opt, str, n,
			  list(np_topo_memory_nodes(t), a), n);
	else if (!np_cpuset_isset(np_topo_memory_nodes(t), (unsigned int)n))
		cli_error("invalid %s '%s': node %d has no memory; pick one of %s", opt, str, n,
			  list(np_topo_memory_nodes(t), a));
	else
		cli_error("invalid %s '%s': node %d is outside this process's cpuset (allowed "
			  "nodes: %s)", opt, str, n, list(r->node_allowed, a));
}

/*
 * A node list that named something outside @allowed: parse it again against every node of the
 * machine to tell a node that does not exist (usage error) from one that exists but cannot
 * be used here (no memory, no CPUs, offline, outside the cpuset: exit 1).
 */
static int explain_node(struct run *r, const char *opt, const char *str,
			const struct np_cpuset *allowed)
{
	const struct np_topo *t = r->topo;
	struct np_cpuset *set;
	char a[64];
	int e;

	e = np_cpuset_new(np_topo_node_size(t), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_numactl(set, str, np_topo_nodes(t), NULL);
	if (e < 0) {
		cli_error("invalid %s '%s': no such node; this machine has nodes %s", opt, str,
			  list(np_topo_nodes(t), a));
		np_cpuset_free(set);
		return CLI_USAGE;
	}
	np_cpuset_foreach(n, set) {
		if (!np_cpuset_isset(allowed, (unsigned int)n)) {
			why_node(r, opt, str, n, allowed == r->cpunode_allowed);
			break;
		}
	}
	np_cpuset_free(set);
	return -EPERM;
}

static int parse_nodes(struct run *r, const char *opt, const char *str,
		       const struct np_cpuset *allowed, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	size_t pos = 0;
	int e;

	e = np_cpuset_new(np_topo_node_size(r->topo), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_numactl(set, str, allowed, &pos);
	if (e == -ERANGE)
		e = explain_node(r, opt, str, allowed);
	else if (e == -EINVAL || e == -EOVERFLOW) {
		cli_bad_set(opt, str, e, pos);
		e = CLI_USAGE;
	} else if (e == 0 && np_cpuset_empty(set)) {
		cli_error("invalid %s '%s': no node in it", opt, str);
		e = CLI_USAGE;
	}
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

/* -N: the CPUs of the nodes, each of which must have some */
static int resolve_cpunodes(struct run *r)
{
	const struct np_topo *t = r->topo;
	struct np_cpuset *nodes, *cpus;
	char a[64], b[64];
	int e;

	e = parse_nodes(r, r->cpunodes_opt, r->cpunodes, r->cpunode_allowed, &nodes);
	if (e != 0)
		return e;
	e = np_cpuset_new(np_topo_cpu_size(t), &cpus);
	if (e < 0)
		goto free_nodes;
	np_cpuset_foreach(n, nodes) {
		const struct np_node *node = np_topo_node_by_id(t, (unsigned int)n);

		if (!node || np_cpuset_empty(node->cpus)) {
			cli_error("invalid %s '%s': node %d has no CPUs; nodes with CPUs are %s",
				  r->cpunodes_opt, r->cpunodes, n, list(np_topo_cpu_nodes(t), a));
			e = -ENODEV;
			goto free_cpus;
		}
		np_cpuset_or(cpus, cpus, node->cpus);
	}
	np_cpuset_and(cpus, cpus, r->cpu_allowed);
	if (np_cpuset_empty(cpus)) {
		cli_error("invalid %s '%s': this process may not use any of its CPUs (allowed: %s)",
			  r->cpunodes_opt, r->cpunodes, list(r->cpu_allowed, b));
		e = -EPERM;
		goto free_cpus;
	}
	/* with --all the nodes' CPUs may reach beyond the cpuset: warn as for -C */
	if (r->all) {
		e = check_reach(r, r->cpunodes_opt, r->cpunodes, cpus);
		if (e != 0)
			goto free_cpus;
	}
	r->bind = cpus;
	cpus = NULL;
free_cpus:
	np_cpuset_free(cpus);
free_nodes:
	np_cpuset_free(nodes);
	return e;
}

/*
 * --relative-nodes: the numbers are positions within the cpuset's nodes, which the kernel maps
 * (and remaps when the cpuset changes), so they are not checked against any node here.
 */
static int parse_relative(struct run *r, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	size_t pos = 0;
	int e;

	e = np_cpuset_new((unsigned int)np_mpol_node_bits(), &set);
	if (e < 0)
		return e;
	e = np_cpuset_parse_list(set, r->mem_nodes, &pos);
	if (e == 0 && np_cpuset_empty(set)) {
		cli_error("invalid %s '%s': no node in it", r->mode_opt, r->mem_nodes);
		e = CLI_USAGE;
	} else if (e < 0) {
		e = cli_bad_set(r->mode_opt, r->mem_nodes, e, pos);
	}
	if (e != 0) {
		np_cpuset_free(set);
		return e;
	}
	*ret = set;
	return 0;
}

static int resolve_policy(struct run *r)
{
	struct np_cpuset *nodes = NULL;
	unsigned int flags = r->mflags | (r->balancing ? NP_MPOL_F_NUMA_BALANCING : 0);
	int e;

	if (r->mem_nodes && (r->mflags & NP_MPOL_F_RELATIVE_NODES)) {
		e = parse_relative(r, &nodes);
		if (e != 0)
			return e;
	} else if (r->mem_nodes) {
		e = parse_nodes(r, r->mode_opt, r->mem_nodes, r->node_allowed, &nodes);
		if (e != 0)
			return e;
	}
	/* the kernel drops memoryless nodes from a policy, or refuses it: say so first */
	if (nodes && !(r->mflags & NP_MPOL_F_RELATIVE_NODES)) {
		np_cpuset_foreach(n, nodes) {
			if (!np_cpuset_isset(np_topo_memory_nodes(r->topo), (unsigned int)n)) {
				why_node(r, r->mode_opt, r->mem_nodes, n, false);
				np_cpuset_free(nodes);
				return -ENODEV;
			}
		}
	}
	if (r->mode == NP_MPOL_PREFERRED && np_cpuset_weight(nodes) != 1) {
		cli_error("invalid --preferred '%s': give exactly one node (--preferred-many takes "
			  "several)", r->mem_nodes);
		np_cpuset_free(nodes);
		return CLI_USAGE;
	}
	e = np_policy_new(r->mode, nodes, flags, &r->pol);
	np_cpuset_free(nodes);
	if (e < 0)
		cli_error_errno(e, "invalid memory policy '%s'", r->mode_opt);
	return e;
}

static void warn_isolated(struct run *r)
{
	const struct np_cpuset *iso = np_topo_isolated_cpus(r->topo);
	struct np_cpuset *both;
	char a[64];

	if (!iso || !r->bind || !np_cpuset_intersects(iso, r->bind) || np_cpuset_dup(r->bind, &both))
		return;
	np_cpuset_and(both, both, iso);
	cli_warn("CPUs %s are isolated (isolcpus=): the scheduler will not balance the command's "
		 "threads across them", list(both, a));
	np_cpuset_free(both);
}

static int resolve(struct run *r)
{
	int e = 0;

	if (r->cpunodes)
		e = resolve_cpunodes(r);
	else if (r->cpus)
		e = parse_cpus(r, r->cpus_opt, r->cpus, &r->bind);
	if (e == 0 && r->mode >= 0)
		e = resolve_policy(r);
	if (e == 0)
		warn_isolated(r);
	return e;
}

/* ---- checking the kernel, applying, running ---- */

static const char *kernel_release(char *buf, size_t size)
{
	struct utsname u;

	snprintf(buf, size, "%s", uname(&u) == 0 ? u.release : "?");
	return buf;
}

static int blocked(int err, const char *call)
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

static int check_kernel(struct run *r)
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
	e = np_mpol_check(&caps, r->pol, false);
	if (e == -EPERM || e == -ENOSYS)
		return blocked(e, "set_mempolicy");
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

static int apply(struct run *r)
{
	char a[64];
	int e;

	if (r->pol) {
		e = np_policy_apply(r->pol);
		if (e == -EPERM || e == -ENOSYS)
			return blocked(e, "set_mempolicy");
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
			cli_error_errno(e, "cannot bind to CPUs %s", list(r->bind, a));
			return e;
		}
	}
	return 0;
}

static int exec_command(char **argv)
{
	int e;

	fflush(stdout);
	execvp(argv[0], argv);
	e = -errno;
	cli_error_errno(e, "cannot run '%s'", argv[0]);
	return CLI_EXIT(e == -ENOENT ? 127 : 126);
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
		unsigned int f = np_policy_flags(r->pol);

		json_obj_begin(&j, "policy");
		json_str(&j, "mode", np_mpol_mode_name(np_policy_mode(r->pol)));
		json_cpuset(&j, "nodes", np_policy_nodes(r->pol));
		json_arr_begin(&j, "flags");
		if (f & NP_MPOL_F_STATIC_NODES)
			json_str(&j, NULL, "static");
		if (f & NP_MPOL_F_RELATIVE_NODES)
			json_str(&j, NULL, "relative");
		if (f & NP_MPOL_F_NUMA_BALANCING)
			json_str(&j, NULL, "balancing");
		json_arr_end(&j);
		json_obj_end(&j);
	} else {
		json_null(&j, "policy");
	}
	json_obj_end(&j);
	json_finish(&j);
}

/* --dry-run: what would be applied, one "key: value" per line */
static int print_plan(const struct run *r)
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
	return e;
}

static void release(struct run *r)
{
	np_policy_free(r->pol);
	np_cpuset_free(r->bind);
	np_cpuset_free(r->cpu_allowed);
	np_cpuset_free(r->node_allowed);
	np_cpuset_free(r->cpunode_allowed);
	np_topo_free(r->topo);
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .mode = -1 };
	int e;

	e = parse_args(&r, argc, argv);
	if (e)
		return e == 1 ? 0 : e;
	e = load(&r);
	if (e == 0)
		e = resolve(&r);
	/* a captured machine's kernel is not this one: nothing to probe */
	if (e == 0 && !r.sysroot)
		e = check_kernel(&r);
	if (e == 0)
		e = r.dry_run ? print_plan(&r) : apply(&r);
	release(&r);
	if (e || r.dry_run)
		return e;
	return exec_command(argv + optind);
}
