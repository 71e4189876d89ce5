/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat-numactl-apply.c - the numactl personality's list parsers (libnuma's, with their
 * messages) and the options that apply a binding or a policy, each as numactl applies it.
 *
 * Terminology: see compat-numactl.c (libnuma's "all cpus", "all nodes", "possible").
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat-numactl.h"

/* ---- libnuma's list parsers, with their messages ---- */

/*
 * A number as libnuma's get_nr() reads it: strtoul(s, 0), or with "+" the rank among @allowed
 * (a rank past them gives the set's size, which no set holds).
 */
static unsigned long nc_number(const char *s, char **end, const struct np_cpuset *allowed,
			       bool relative)
{
	unsigned long nr = strtoul(s, end, 0);
	unsigned int i, size = np_cpuset_size(allowed);

	if (!relative || *end == s)
		return nr;
	for (i = 0; i < size; i++)
		if (np_cpuset_isset(allowed, i) && nr-- == 0)
			return i;
	return size;
}

static bool nc_allowed(const struct np_cpuset *allowed, unsigned long n)
{
	return n <= UINT_MAX && np_cpuset_isset(allowed, (unsigned int)n);
}

/* numactl's netdev:, block: and pci: node names, from the topology's devices */
static int nc_device_node(struct nc *nc, const char *s, struct np_cpuset *mask)
{
	static const struct { const char *prefix, *cls; } kinds[] = {
		{ "netdev:", "net" }, { "block:", "block" }, { "pci:", "" },
		{ "ip:", NULL }, { "file:", NULL },
	};
	const struct np_device *dev;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t len = strlen(kinds[k].prefix);
		const char *name = s + len;

		if (strncmp(s, kinds[k].prefix, len) != 0)
			continue;
		if (!kinds[k].cls) {
			nc_warn("node lookup by `%s' is not supported by numaplace; give the node number",
				s);
			return -1;
		}
		while (isspace((unsigned char)*name))
			name++;
		dev = np_topo_device_find(nc->topo, name);
		if (!dev) {
			nc_warn("Cannot read node mask for %s device `%s'", kinds[k].cls, name);
			return -1;
		}
		if (np_device_node(dev) < 0) {
			nc_warn("Kernel does not know node mask for%s%s device `%s'",
				*kinds[k].cls ? " " : "", kinds[k].cls, name);
			nc_warn("Kernel does not know node for %s\n", name);
			return -1;
		}
		np_cpuset_set(mask, (unsigned int)np_device_node(dev));
		return 1;
	}
	return 0;
}

/* a number's end must be in @allowed: libnuma's two messages (a number, or the rest of a CPU list) */
static bool nc_check(const struct np_cpuset *allowed, unsigned long n, const char *s, bool cpus,
		     const char *how)
{
	if (nc_allowed(allowed, n))
		return true;
	if (cpus)
		nc_warn("cpu argument %s %sout of range\n", s, how);
	else
		nc_warn("node argument %d %sout of range\n", (int)n, how);
	return false;
}

/*
 * One item of a list at *@sp: "all", a device name, "a" or "a-b"; *@sp is left after it.
 * Returns 0 for a number or range, 1 when the item ends the list ("all", a device), -1 after
 * a warning.
 */
static int nc_parse_item(struct nc *nc, const char **sp, struct np_cpuset *mask,
			 const struct np_cpuset *allowed, bool cpus, bool relative)
{
	const char *s = *sp, *what = cpus ? "cpu" : "node";
	unsigned long a, b;
	char *end;
	int n;

	if ((cpus || isalpha((unsigned char)*s)) && strcmp(s, "all") == 0) {
		np_cpuset_copy(mask, allowed);
		*sp = s + 4;
		return 1;
	}
	if (!cpus && isalpha((unsigned char)*s) && (n = nc_device_node(nc, s, mask)) != 0) {
		*sp = s + strlen(s) + 1;
		return n < 0 ? -1 : 1;
	}
	a = nc_number(s, &end, allowed, relative);
	if (end == s) {
		nc_warn("unparseable %s description `%s'\n", what, s);
		return -1;
	}
	if (!nc_check(allowed, a, s, cpus, "is "))
		return -1;
	np_cpuset_set(mask, (unsigned int)a);
	s = end;
	if (*s == '-') {
		b = nc_number(++s, &end, allowed, relative);
		if (end == s) {
			nc_warn("missing %s argument %s\n", what, s);
			return -1;
		}
		if (!nc_check(allowed, b, s, cpus, ""))
			return -1;
		for (; a <= b; a++)
			if (nc_allowed(allowed, a))
				np_cpuset_set(mask, (unsigned int)a);
		s = end;
	}
	*sp = s;
	return 0;
}

/*
 * libnuma's __numa_parse_nodestring() and __numa_parse_cpustring(): "[!][+]item,...".  A range
 * keeps its allowed members; its ends must be allowed.  "!" inverts over the configured nodes
 * or CPUs.  Returns NULL after printing the warning (or silently, for a stray character, as
 * libnuma does).
 */
static struct np_cpuset *nc_parse(struct nc *nc, const char *s, bool cpus)
{
	const struct np_cpuset *allowed =
		cpus ? (nc->parse_all ? nc->possible_cpus : nc->all_cpus) :
		       (nc->parse_all ? nc->possible_nodes : nc->all_nodes);
	unsigned int conf = cpus ? nc->conf_cpus : nc->conf_nodes;
	bool invert = false, relative = false;
	struct np_cpuset *mask;
	int r;

	if (np_cpuset_new(cpus ? nc->cpu_bits : nc->node_bits, &mask) < 0)
		return NULL;
	if (*s == '\0')
		return mask;
	if (*s == '!') {
		invert = true;
		s++;
	}
	if (*s == '+') {
		relative = true;
		s++;
	}
	do {
		r = nc_parse_item(nc, &s, mask, allowed, cpus, relative);
		if (r < 0)
			goto fail;
	} while (r == 0 && *s++ == ',');
	if (s[-1] != '\0')
		goto fail;
	if (invert)
		for (unsigned int i = 0; i < conf; i++)
			np_cpuset_isset(mask, i) ? np_cpuset_clear(mask, i) : np_cpuset_set(mask, i);
	return mask;
fail:
	np_cpuset_free(mask);
	return NULL;
}

/* numactl_parse_nodestring(): "same" repeats the previous node list */
static int nc_parse_nodes(struct nc *nc, const char *arg, struct np_cpuset **ret)
{
	const char *s = arg;

	if (strcmp(s, "same") == 0) {
		if (!nc->last)
			return nc_usage_msg(nc, "same needs previous node specification");
		s = nc->last;
	} else {
		nc->last = s;
	}
	*ret = nc_parse(nc, s, false);
	if (!*ret) {
		printf("<%s> is invalid\n", arg);
		return nc_usage(nc);
	}
	np_cpuset_free(nc->mask);
	nc->mask = NULL;
	return np_cpuset_dup(*ret, &nc->mask) < 0 ? CLI_EXIT(1) : 0;
}

/* ---- applying what the options ask ---- */

static int nc_setpolicy(struct nc *nc, int pol)
{
	if (nc->set_policy != -1)
		return nc_usage_msg(nc, "Conflicting policies");
	nc->set_policy = pol;
	return 0;
}

/* errno-style result of applying @mode over @nodes to the process or to the shm region */
static int nc_apply(struct nc *nc, int mode, const struct np_cpuset *nodes, unsigned int flags)
{
	struct np_policy *pol;
	int r;

	r = np_policy_new(mode, nodes, flags, &pol);
	if (r < 0)
		return r; /* an empty node list: the kernel's EINVAL, as numactl gets it */
	r = nc->shm.reg ? np_region_apply(nc->shm.reg, pol, nc->shm.mbind_flags) : np_policy_apply(pol);
	np_policy_free(pol);
	return r;
}

/* libnuma's numa_error() for the syscall, then numactl's checkerror() for the option */
static int nc_apply_checked(struct nc *nc, int mode, const struct np_cpuset *nodes,
			    unsigned int flags, const char *what)
{
	int r = nc_apply(nc, mode, nodes, flags);

	if (r == 0)
		return 0;
	nc_perror(nc->shm.reg ? "mbind" : "set_mempolicy", -r);
	nc_perror(what, -r);
	return CLI_EXIT(1);
}

/* the node list of a policy or binding option, after numactl's check that NUMA is there */
static int policy_nodes(struct nc *nc, const char *arg, struct np_cpuset **mask)
{
	int r;

	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_parse_nodes(nc, arg, mask);
	if (r == 0)
		nc->did_node_cpu_parse = true;
	return r;
}

int nc_interleave(struct nc *nc, const char *arg, bool weighted)
{
	struct np_cpuset *mask;
	int mode = weighted ? NP_MPOL_WEIGHTED_INTERLEAVE : NP_MPOL_INTERLEAVE;
	int r;

	r = policy_nodes(nc, arg, &mask);
	if (r)
		return r;
	r = nc_setpolicy(nc, mode);
	/* an empty list resets the policy to default, as numa_set_interleave_mask() does */
	if (r == 0 && !nc->shm.reg && np_cpuset_empty(mask))
		r = nc_apply_checked(nc, NP_MPOL_DEFAULT, NULL, 0, "setting interleave mask");
	else if (r == 0 && !(nc->shm.reg && np_cpuset_empty(mask)))
		r = nc_apply_checked(nc, mode, mask, 0, "setting interleave mask");
	np_cpuset_free(mask);
	return r;
}

static int nc_setaffinity(const struct np_cpuset *cpus, bool from_nodes)
{
	int r = np_affinity_set(0, cpus);

	if (r == 0)
		return 0;
	if (from_nodes)
		nc_perror("numa_sched_setaffinity_v2_int() failed", -r);
	nc_perror("sched_setaffinity", -r);
	return CLI_EXIT(1);
}

int nc_cpunodebind(struct nc *nc, const char *arg)
{
	struct np_cpuset *mask, *cpus;
	int r;

	if (nc->shmoption)
		return nc_usage_msg(nc, "%s shm option is not allowed before %s", nc->shmoption,
				    "-c/--cpubind/--cpunodebind");
	r = policy_nodes(nc, arg, &mask);
	if (r)
		return r;
	nc->did_cpubind = true;
	r = np_cpuset_new(nc->cpu_bits, &cpus);
	if (r < 0) {
		np_cpuset_free(mask);
		return CLI_EXIT(1);
	}
	np_cpuset_foreach(i, mask) {
		const struct np_node *n = np_topo_node_by_id(nc->topo, (unsigned int)i);

		if (!np_cpuset_isset(nc->possible_nodes, (unsigned int)i))
			nc_warn("node %d not allowed", i);
		else if (!n)
			nc_warn("Cannot read node cpumask from sysfs");
		else
			np_cpuset_or(cpus, cpus, n->cpus);
	}
	r = nc_setaffinity(cpus, true);
	np_cpuset_free(cpus);
	np_cpuset_free(mask);
	return r;
}

int nc_physcpubind(struct nc *nc, const char *arg)
{
	struct np_cpuset *cpus;
	int r;

	if (nc->shmoption)
		return nc_usage_msg(nc, "%s shm option is not allowed before %s", nc->shmoption,
				    "-C/--physcpubind");
	cpus = nc_parse(nc, arg, true);
	if (!cpus) {
		printf("<%s> is invalid\n", arg);
		return nc_usage(nc);
	}
	nc->did_cpubind = nc->did_node_cpu_parse = true;
	r = nc_setaffinity(cpus, false);
	np_cpuset_free(cpus);
	return r;
}

int nc_membind(struct nc *nc, const char *arg)
{
	struct np_cpuset *mask;
	int r;

	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_setpolicy(nc, NP_MPOL_BIND);
	if (r == 0)
		r = nc_parse_nodes(nc, arg, &mask);
	if (r)
		return r;
	nc->did_node_cpu_parse = true;
	/* -b: balancing if the kernel has it, plain bind if it answers EINVAL */
	if (nc->balancing && !nc->shm.reg &&
	    nc_apply(nc, NP_MPOL_BIND, mask, NP_MPOL_F_NUMA_BALANCING) == 0)
		r = 0;
	else
		r = nc_apply_checked(nc, NP_MPOL_BIND, mask, 0, "setting membind");
	np_cpuset_free(mask);
	return r;
}

int nc_preferred(struct nc *nc, const char *arg, bool many)
{
	struct np_cpuset *mask, *one = NULL;
	struct np_mpol_caps caps;
	bool has_many = np_mpol_probe(&caps) == 0 && caps.mode[NP_MPOL_PREFERRED_MANY];
	int r;

	if (many && !has_many)
		return nc_complain(nc, "preferred-many requested without kernel support");
	r = policy_nodes(nc, arg, &mask);
	if (r)
		return r;
	if (nc->shm.reg) {
		/* the region gets the first node (numa_tonode_memory under the non-strict policy) */
		r = np_cpuset_new(nc->node_bits, &one);
		if (r == 0 && !np_cpuset_empty(mask))
			np_cpuset_set(one, (unsigned int)np_cpuset_first(mask));
		r = nc_apply_checked(nc, has_many ? NP_MPOL_PREFERRED_MANY : NP_MPOL_PREFERRED, one, 0,
				     "setting preferred node");
		if (r == 0)
			r = nc_setpolicy(nc, has_many ? NP_MPOL_PREFERRED_MANY : NP_MPOL_PREFERRED);
	} else if (!many) {
		if (np_cpuset_weight(mask) != 1)
			r = nc_usage(nc);
		else if ((r = nc_setpolicy(nc, NP_MPOL_PREFERRED)) == 0)
			r = nc_apply_checked(nc, NP_MPOL_PREFERRED, mask, 0, "setting preferred node");
	} else if ((r = nc_setpolicy(nc, NP_MPOL_PREFERRED_MANY)) == 0) {
		r = nc_apply_checked(nc, NP_MPOL_PREFERRED_MANY, mask, 0, "setting preferred node");
	}
	np_cpuset_free(one);
	np_cpuset_free(mask);
	return r;
}

int nc_localalloc(struct nc *nc)
{
	int r;

	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_setpolicy(nc, NP_MPOL_LOCAL);
	if (r == 0)
		r = nc_apply_checked(nc, NP_MPOL_LOCAL, NULL, 0, "local allocation");
	return r;
}

/* --huge's page: the smallest the topology lists (x86: 2 MiB), else the base page */
static size_t huge_page_size(const struct nc *nc)
{
	for (unsigned int i = 0; i < np_topo_node_count(nc->topo); i++) {
		const struct np_node *n = np_topo_node(nc->topo, i);

		if (n->nhugepages)
			return (size_t)n->hugepages[0].page_size;
	}
	return (size_t)getpagesize();
}

int nc_attach(struct nc *nc, const char *arg, bool sysv)
{
	int r;

	if (nc->did_cpubind)
		return nc_usage_msg(nc, "cannot do --cpubind on shared memory\n");
	if (nc->set_policy >= 0)
		return nc_usage_msg(nc, "specify policy after --shm/--file");
	r = nc_shm_attach(&nc->shm, arg, sysv, huge_page_size(nc));
	nc->shm_attached = true;
	return r;
}

/* an option that shapes the region: only before --shm/--file, and only with one */
int nc_noshm(struct nc *nc, const char *opt)
{
	if (nc->shm_attached)
		return nc_usage_msg(nc, "%s must be before shared memory specification", opt);
	nc->shmoption = opt;
	return 0;
}

int nc_needshm(struct nc *nc, const char *opt)
{
	if (!nc->shm_attached)
		return nc_usage_msg(nc, "%s must be after shared memory specification", opt);
	return nc_shm_check_beyond(&nc->shm, opt);
}

int nc_verify(struct nc *nc)
{
	int r = nc_needshm(nc, "--verify");

	if (r)
		return r;
	if (nc->set_policy < 0)
		return nc_complain(nc, "Need a policy first to verify");
	np_region_touch(nc->shm.reg);
	if (!nc->mask)
		return nc_complain(nc, "Need a mask to verify");
	return nc_shm_verify(&nc->shm, nc->set_policy, nc->mask);
}

/* strtoul(arg, base) of the whole argument, or usage() */
int nc_ulong(struct nc *nc, const char *arg, int base, unsigned long *ret)
{
	char *end;

	*ret = strtoul(arg, &end, base);
	return end == arg || *end ? nc_usage(nc) : 0;
}
