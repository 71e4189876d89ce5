/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ranks-near.c - `--ranks ... --near gpu|nic --bind MODE` for run and plan: each local rank on
 * the CPUs nearest its device (np_rank_bind), the options, the words for what goes wrong, and
 * the table plan prints for a whole machine.
 *
 * Terminology:
 *  device   local rank R's GPU (the R-th visible one) or network device.
 *  mode     --bind node|socket|exclusive|core-complex, torchrun --numa-binding's names.
 *  visible  CUDA_VISIBLE_DEVICES or its ROCm / Ascend equivalents (np_rank_visible_var()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ranks-near.h"

static const char *const mem_names[] = { "none", "bind", "prefer" };

static int near_parse(const char *s)
{
	return strcmp(s, "gpu") == 0 ? NP_NEAR_GPU : strcmp(s, "nic") == 0 ? NP_NEAR_NIC : -EINVAL;
}

static int mem_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(mem_names) / sizeof(mem_names[0]); i++)
		if (strcmp(s, mem_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

/* an enum option's value, or the usage error naming the choices (the CLI layer's wording) */
static int choice(int (*parse)(const char *), const char *opt, const char *val,
		  const char *choices, int *ret)
{
	int v = parse(val);

	if (v < 0)
		return cli_usage("invalid %s '%s': expected one of %s", opt, val, choices);
	*ret = v;
	return 0;
}

int near_option(struct near *n, int which, const char *arg)
{
	int v = 0, e = 0;

	switch (which) {
	case NEAR_OPT_NEAR:
		e = choice(near_parse, "--near", arg, "gpu, nic", &v);
		n->o.near = (enum np_rank_near)v;
		n->near = arg;
		break;
	case NEAR_OPT_BIND:
		e = choice(np_rank_mode_parse, "--bind", arg, "node, socket, exclusive, core-complex",
			       &v);
		n->o.mode = (enum np_rank_mode)v;
		n->first = n->first ? n->first : "--bind";
		break;
	case NEAR_OPT_NIC: n->nic = true; n->first = n->first ? n->first : "--nic"; break;
	case NEAR_OPT_OVERSUB:
		n->o.oversubscribe = true;
		n->first = n->first ? n->first : "--oversubscribe";
		break;
	case NEAR_OPT_MEM:
		e = choice(mem_parse, "--mem", arg, "none, bind, prefer", &n->mem);
		n->first = n->first ? n->first : "--mem";
		break;
	}
	return e;
}

/*
 * --ranks auto: launchers nest (torchrun under srun, mpirun under Slurm), and the variables of
 * two of them that disagree leave the rank unknown; the library takes the first, so say so.
 */
static int check_launchers(void)
{
	const char *first = NULL;

	for (size_t i = 0; cli_launcher_vars[i]; i++) {
		const char *v = getenv(cli_launcher_vars[i]);

		if (!v)
			continue;
		if (!first) {
			first = cli_launcher_vars[i];
			continue;
		}
		if (strcmp(v, getenv(first)) != 0)
			return cli_usage("conflicting launcher variables '%s=%s' and '%s=%s': give "
					 "--ranks R/N (under torchrun: --ranks $LOCAL_RANK/"
					 "$LOCAL_WORLD_SIZE)", first, getenv(first),
					 cli_launcher_vars[i], v);
	}
	return 0;
}

/* after parsing: what --near needs and what needs --near; @smt is the --smt given (or -1) */
int near_check(struct near *n, const char *ranks, int smt)
{
	if (!n->near) {
		if (n->first)
			return cli_usage("%s needs --near gpu or --near nic", n->first);
		return 0;
	}
	if (!ranks)
		return cli_usage("--near needs --ranks (it places local ranks)");
	/* torch and NVIDIA's scripts give a rank its cores' every thread unless told otherwise */
	n->o.smt_avoid = smt == NP_SMT_AVOID;
	if (n->o.near == NP_NEAR_GPU)
		n->visible_var = np_rank_visible_var(&n->o.visible);
	return strcmp(ranks, "auto") == 0 ? check_launchers() : 0;
}

/* words for np_rank_bind()'s errors, naming the value at fault */
static int near_error(const struct np_topo *t, const struct near *n, unsigned int rank,
		      unsigned int size, int e)
{
	const struct np_device **devs = NULL;
	unsigned int nd = 0;
	size_t pos = 0;
	const char *what = n->o.near == NP_NEAR_GPU ? "GPU" : "network device";

	if (e == -ENODEV) {
		(void)np_rank_devices(t, n->o.near, n->o.visible, &devs, &nd, &pos);
		cli_error("invalid %s '%s': entry '%.*s' names no GPU of this machine", n->visible_var,
			  n->o.visible, (int)strcspn(n->o.visible + pos, ","), n->o.visible + pos);
	} else if (e == -ERANGE) {
		(void)np_rank_devices(t, n->o.near, n->o.visible, &devs, &nd, NULL);
		cli_error("local rank %u has no %s: %u visible%s%s%s", rank, what, nd,
			  n->visible_var ? " (" : "", n->visible_var ? n->visible_var : "",
			  n->visible_var ? ")" : "");
	} else if (e == -ENXIO) {
		(void)np_rank_devices(t, n->o.near, n->o.visible, &devs, &nd, NULL);
		cli_error("%s '%s' of local rank %u is on no NUMA node (its numa_node is -1 and its "
			  "local CPUs do not say); bind with --cpus instead", what,
			  rank < nd ? np_device_name(devs[rank]) : "?", rank);
	} else if (e == -EBUSY) {
		cli_error("--bind exclusive: the ranks sharing local rank %u's node outnumber its "
			  "cores; use --bind node, fewer ranks, or --oversubscribe", rank);
	} else if (e == -ENOENT) {
		cli_error("no CPU left for local rank %u near its %s: every CPU of its node is "
			  "offline, disallowed, isolated or outside --within", rank, what);
	} else {
		cli_error_errno(e, "cannot place local rank %u of %u", rank, size);
	}
	free(devs);
	return e;
}

int near_place(const struct np_topo *t, const struct near *n, unsigned int rank,
	       unsigned int size, struct np_rank_place *p)
{
	int e = np_rank_bind(t, rank, size, &n->o, p);

	return e < 0 ? near_error(t, n, rank, size, e) : 0;
}

/* the memory policy --mem asks for over @p's nodes that have memory; NULL for none */
int near_policy(const struct np_topo *t, const struct near *n, const struct np_rank_place *p,
		struct np_policy **ret)
{
	struct np_cpuset *nodes;
	int e;

	*ret = NULL;
	if (n->mem == NEAR_MEM_NONE)
		return 0;
	e = np_cpuset_dup(p->nodes, &nodes);
	if (e == 0)
		e = np_cpuset_and(nodes, nodes, np_topo_memory_nodes(t));
	if (e == 0 && np_cpuset_empty(nodes))
		e = np_cpuset_set(nodes, (unsigned int)p->node);
	if (e == 0)
		e = np_policy_new(n->mem == NEAR_MEM_BIND ? NP_MPOL_BIND :
				  np_cpuset_weight(nodes) == 1 ? NP_MPOL_PREFERRED : NP_MPOL_PREFERRED_MANY,
				  nodes, 0, ret);
	np_cpuset_free(nodes);
	return e;
}

static void json_place(struct json *j, unsigned int rank, const struct np_rank_place *p)
{
	json_obj_begin(j, NULL);
	json_uint(j, "rank", rank);
	json_str(j, "device", np_device_name(p->dev));
	json_str(j, "pci", np_device_pci_address(p->dev));
	json_int(j, "node", p->node);
	json_cpuset(j, "cpus", p->cpus);
	json_cpuset(j, "nodes", p->nodes);
	json_uint(j, "share", p->share);
	json_uint(j, "shares", p->shares);
	json_bool(j, "shared", p->shared);
	json_str(j, "nic", p->nic ? np_device_name(p->nic) : NULL);
	json_obj_end(j);
}

static int text_place(FILE *f, unsigned int rank, const struct np_rank_place *p)
{
	char *cl = NULL, *nl = NULL;
	int e = np_cpuset_format_list(p->cpus, 0, &cl);

	if (e == 0)
		e = np_cpuset_format_list(p->nodes, 0, &nl);
	if (e == 0)
		fprintf(f, "rank %u: %s (%s, node %d)  cpus %s  %s %s%s%s%s\n", rank,
			np_device_name(p->dev), np_device_pci_address(p->dev), p->node, cl,
			np_cpuset_weight(p->nodes) == 1 ? "node" : "nodes", nl, p->nic ? "  nic " : "",
			p->nic ? np_device_name(p->nic) : "", p->shared ? "  (shared)" : "");
	free(cl);
	free(nl);
	return e;
}

int near_print(FILE *f, bool json, const struct np_topo *t, const struct near *n,
	       unsigned int first, unsigned int last, unsigned int size)
{
	struct np_rank_place p;
	struct json j;
	int e = 0;

	/* JSON is one object: place every rank first, so an error leaves stdout empty */
	for (unsigned int r = first; json && r <= last; r++) {
		e = near_place(t, n, r, size, &p);
		if (e < 0)
			return e;
		np_rank_place_release(&p);
	}
	if (json) {
		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_str(&j, "near", n->o.near == NP_NEAR_GPU ? "gpu" : "nic");
		json_str(&j, "bind", np_rank_mode_name(n->o.mode));
		json_str(&j, "smt", n->o.smt_avoid ? "avoid" : "use");
		json_str(&j, "mem", mem_names[n->mem]);
		json_str(&j, "visible", n->o.visible);
		json_uint(&j, "size", size);
		json_arr_begin(&j, "ranks");
	}
	for (unsigned int r = first; r <= last && e == 0; r++) {
		e = near_place(t, n, r, size, &p);
		if (e < 0)
			break;
		if (json)
			json_place(&j, r, &p);
		else
			e = text_place(f, r, &p);
		np_rank_place_release(&p);
	}
	if (json && e == 0) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	}
	return e;
}
