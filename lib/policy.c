/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy.c - memory policies as objects: create, parse, format, read back and apply them to the
 * calling thread or to a range.  Where pages are, moving them and allocating under a policy
 * are in lib/policy-mem.c.
 *
 * Terminology:
 *  policy     a mode, a set of nodes and mode flags (enum np_mpol_mode, NP_MPOL_F_*).
 *  task policy   the calling thread's policy (set_mempolicy), inherited by children and kept
 *             across execve.
 *  range policy  the policy of a range of this process's address space (mbind); it beats the
 *             task policy for the pages of that range.
 *
 * Every syscall goes through the wrappers of lib/mempolicy.c.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static const struct {
	const char *name;
	const char *since;
} modes[NP_MPOL_MODE_COUNT] = {
	[NP_MPOL_DEFAULT] = { "default", "2.6.7" },
	[NP_MPOL_PREFERRED] = { "preferred", "2.6.7" },
	[NP_MPOL_BIND] = { "bind", "2.6.7" },
	[NP_MPOL_INTERLEAVE] = { "interleave", "2.6.7" },
	[NP_MPOL_LOCAL] = { "local", "3.8" },
	[NP_MPOL_PREFERRED_MANY] = { "preferred-many", "5.15" },
	[NP_MPOL_WEIGHTED_INTERLEAVE] = { "weighted-interleave", "6.9" },
};

const char *np_mpol_mode_name(int mode)
{
	return mode >= 0 && mode < NP_MPOL_MODE_COUNT ? modes[mode].name : NULL;
}

const char *np_mpol_mode_since(int mode)
{
	return mode >= 0 && mode < NP_MPOL_MODE_COUNT ? modes[mode].since : NULL;
}

int np_mpol_mode_parse(const char *name, enum np_mpol_mode *ret)
{
	for (int m = 0; m < NP_MPOL_MODE_COUNT; m++) {
		if (strcmp(name, modes[m].name) == 0) {
			*ret = (enum np_mpol_mode)m;
			return 0;
		}
	}
	/* numactl's option names */
	if (strcmp(name, "membind") == 0) {
		*ret = NP_MPOL_BIND;
		return 0;
	}
	if (strcmp(name, "localalloc") == 0) {
		*ret = NP_MPOL_LOCAL;
		return 0;
	}
	return -EINVAL;
}

/*
 * The node set size: at least the kernel's nr_node_ids, which get_mempolicy() checks (EINVAL
 * when the mask is smaller), so grow until it stops complaining.  A blocked syscall falls
 * back to the possible nodes in sysfs.  Computed once; a race only computes it twice.
 */
static int node_bits_sysfs(void)
{
	struct np_sysfs *fs;
	struct np_cpuset *set;
	int n = 64;

	if (np__sysfs_open(NULL, &fs) < 0)
		return n;
	if (np_cpuset_new(1u << 15, &set) == 0) {
		if (np__sysfs_read_list(fs, set, "sys/devices/system/node/possible") == 0 &&
		    np_cpuset_last(set) >= 0)
			n = (np_cpuset_last(set) + 64) / 64 * 64;
		np_cpuset_free(set);
	}
	np__sysfs_free(fs);
	return n;
}

static atomic_int node_bits;

/*
 * The probe behind np_mpol_node_bits(); with @keep, the mask of allowed nodes read on the way
 * is handed over (NULL when the syscall failed), so a first np_mpol_mems_allowed() costs one
 * system call.
 */
static int node_bits_probe(unsigned long **keep)
{
	unsigned long *buf = NULL;
	int n;
	long r = -EINVAL;

	/* the kernel refuses more than a page of bits */
	for (n = 64; n <= 8 * 4096; n *= 2) {
		buf = calloc(NP_WORDS(n), sizeof(*buf));
		if (!buf)
			return 64;
		r = np__get_mempolicy(NULL, buf, (unsigned long)n, NULL, NP__MPOL_F_MEMS_ALLOWED);
		if (r != -EINVAL)
			break;
		free(buf);
		buf = NULL;
	}
	if (r < 0) {
		free(buf);
		buf = NULL;
		n = node_bits_sysfs();
	}
	atomic_store(&node_bits, n);
	if (keep)
		*keep = buf;
	else
		free(buf);
	return n;
}

int np_mpol_node_bits(void)
{
	int n = atomic_load(&node_bits);

	return n > 0 ? n : node_bits_probe(NULL);
}

static bool mode_takes_nodes(int mode)
{
	return mode != NP_MPOL_DEFAULT && mode != NP_MPOL_LOCAL;
}

static int check(int mode, const struct np_cpuset *nodes, unsigned int flags)
{
	unsigned int w = nodes ? np_cpuset_weight(nodes) : 0;

	if (mode < 0 || mode >= NP_MPOL_MODE_COUNT || (flags & ~NP_MPOL_F_ALL))
		return -EINVAL;
	if ((flags & NP_MPOL_F_STATIC_NODES) && (flags & NP_MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if (!mode_takes_nodes(mode))
		return w == 0 && !(flags & (NP_MPOL_F_STATIC_NODES | NP_MPOL_F_RELATIVE_NODES)) ?
			       0 : -EINVAL;
	if (mode == NP_MPOL_PREFERRED)
		return w == 1 ? 0 : -EINVAL;
	return w >= 1 ? 0 : -EINVAL;
}

int np_policy_new(int mode, const struct np_cpuset *nodes, unsigned int flags,
		  struct np_policy **ret)
{
	struct np_policy *p;
	int r;

	r = check(mode, nodes, flags);
	if (r < 0)
		return r;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	r = nodes ? np_cpuset_dup(nodes, &p->nodes) : np_cpuset_new(0, &p->nodes);
	if (r < 0) {
		free(p);
		return r;
	}
	p->mode = mode;
	p->flags = flags;
	p->home_node = -1;
	*ret = p;
	return 0;
}

void np_policy_free(struct np_policy *pol)
{
	if (!pol)
		return;
	np_cpuset_free(pol->nodes);
	free(pol);
}

int np_policy_dup(const struct np_policy *pol, struct np_policy **ret)
{
	struct np_policy *p;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	r = np_cpuset_dup(pol->nodes, &p->nodes);
	if (r < 0) {
		free(p);
		return r;
	}
	p->mode = pol->mode;
	p->flags = pol->flags;
	p->home_node = pol->home_node;
	*ret = p;
	return 0;
}

bool np_policy_equal(const struct np_policy *a, const struct np_policy *b)
{
	return a->mode == b->mode && a->flags == b->flags && a->home_node == b->home_node &&
	       np_cpuset_equal(a->nodes, b->nodes);
}

int np_policy_mode(const struct np_policy *pol)
{
	return pol->mode;
}

const struct np_cpuset *np_policy_nodes(const struct np_policy *pol)
{
	return pol->nodes;
}

unsigned int np_policy_flags(const struct np_policy *pol)
{
	return pol->flags;
}

int np_policy_set_home_node(struct np_policy *pol, int node)
{
	if (node < -1)
		return -EINVAL;
	if (node >= 0 && pol->mode != NP_MPOL_BIND && pol->mode != NP_MPOL_PREFERRED_MANY)
		return -EINVAL;
	pol->home_node = node;
	return 0;
}

static const struct {
	const char *name;
	unsigned int flag;
} flag_names[] = {
	{ "static", NP_MPOL_F_STATIC_NODES },
	{ "relative", NP_MPOL_F_RELATIVE_NODES },
	{ "balancing", NP_MPOL_F_NUMA_BALANCING },
};

/* "bind+static+balancing" into a mode and flags; @s is modified */
static int parse_mode_flags(char *s, int *mode, unsigned int *flags)
{
	enum np_mpol_mode m;
	char *plus = strchr(s, '+');
	size_t i;

	*flags = 0;
	if (plus)
		*plus = '\0';
	if (np_mpol_mode_parse(s, &m) < 0)
		return -EINVAL;
	*mode = (int)m;
	while (plus) {
		s = plus + 1;
		plus = strchr(s, '+');
		if (plus)
			*plus = '\0';
		for (i = 0; i < NP_ARRAY_SIZE(flag_names); i++)
			if (strcmp(s, flag_names[i].name) == 0)
				break;
		if (i == NP_ARRAY_SIZE(flag_names))
			return -EINVAL;
		*flags |= flag_names[i].flag;
	}
	return 0;
}

static int parse_nodes(const char *s, const struct np_cpuset *allowed, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	int r;

	r = np_cpuset_new(allowed ? np_cpuset_size(allowed) : (unsigned int)np_mpol_node_bits(),
			  &set);
	if (r < 0)
		return r;
	r = allowed ? np_cpuset_parse_numactl(set, s, allowed, NULL) :
		      np_cpuset_parse_list(set, s, NULL);
	if (r < 0) {
		np_cpuset_free(set);
		return r;
	}
	*ret = set;
	return 0;
}

int np_policy_parse(const char *str, const struct np_cpuset *allowed, struct np_policy **ret)
{
	struct np_cpuset *nodes = NULL;
	unsigned int flags;
	char *copy, *colon;
	int mode, r;

	copy = strdup(str);
	if (!copy)
		return -ENOMEM;
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	r = parse_mode_flags(copy, &mode, &flags);
	if (r < 0)
		goto free_copy;
	if (colon) {
		r = parse_nodes(colon + 1, allowed, &nodes);
		if (r < 0)
			goto free_copy;
	}
	r = np_policy_new(mode, nodes, flags, ret);
	np_cpuset_free(nodes);
free_copy:
	free(copy);
	return r;
}

int np_policy_format(const struct np_policy *pol, char **ret)
{
	char *list = NULL, *s;
	size_t len;
	int r;

	r = np_cpuset_format_list(pol->nodes, 0, &list);
	if (r < 0)
		return r;
	len = strlen(modes[pol->mode].name) + strlen(list) + 40;
	s = malloc(len);
	if (!s) {
		free(list);
		return -ENOMEM;
	}
	strcpy(s, modes[pol->mode].name);
	for (size_t i = 0; i < NP_ARRAY_SIZE(flag_names); i++)
		if (pol->flags & flag_names[i].flag) {
			strcat(s, "+");
			strcat(s, flag_names[i].name);
		}
	if (mode_takes_nodes(pol->mode)) {
		strcat(s, ":");
		strcat(s, list);
	}
	free(list);
	*ret = s;
	return 0;
}

/* get_mempolicy() into a new policy object */
static int get_policy(const void *addr, unsigned long gflags, struct np_policy **ret)
{
	struct np_cpuset *nodes;
	struct np_policy *p;
	int mode = 0, r;

	r = np_cpuset_new((unsigned int)np_mpol_node_bits(), &nodes);
	if (r < 0)
		return r;
	r = (int)np__get_mempolicy(&mode, nodes->bits, nodes->nbits, addr, gflags);
	if (r < 0)
		goto free_nodes;
	p = calloc(1, sizeof(*p));
	if (!p) {
		r = -ENOMEM;
		goto free_nodes;
	}
	p->mode = mode & ~(int)NP_MPOL_F_ALL;
	p->flags = (unsigned int)mode & NP_MPOL_F_ALL;
	p->home_node = -1;
	p->nodes = nodes;
	*ret = p;
	return 0;

free_nodes:
	np_cpuset_free(nodes);
	return r;
}

int np_policy_get(struct np_policy **ret)
{
	return get_policy(NULL, 0, ret);
}

int np_policy_get_addr(const void *addr, struct np_policy **ret)
{
	return get_policy(addr, NP__MPOL_F_ADDR, ret);
}

/* default and local take no mask: the kernel wants it empty, so pass none at all */
static const unsigned long *mask_of(const struct np_policy *pol)
{
	return mode_takes_nodes(pol->mode) ? pol->nodes->bits : NULL;
}

int np_policy_apply(const struct np_policy *pol)
{
	long r = np__set_mempolicy(pol->mode | (int)pol->flags, mask_of(pol), pol->nodes->nbits);

	return r < 0 ? (int)r : 0;
}

int np_policy_apply_range(const struct np_policy *pol, void *addr, size_t len,
			  unsigned int flags)
{
	long r;

	if (flags & ~(unsigned int)(NP_MBIND_STRICT | NP_MBIND_MOVE | NP_MBIND_MOVE_ALL))
		return -EINVAL;
	r = np__mbind(addr, len, pol->mode | (int)pol->flags, mask_of(pol), pol->nodes->nbits,
		      flags);
	if (r >= 0 && pol->home_node >= 0)
		r = np__set_mempolicy_home_node((uintptr_t)addr, len, (unsigned long)pol->home_node,
						0);
	return r < 0 ? (int)r : 0;
}

int np_mpol_mems_allowed(struct np_cpuset **ret)
{
	unsigned long *probed = NULL;
	struct np_cpuset *set;
	int n = atomic_load(&node_bits);
	long r;

	if (n <= 0)
		n = node_bits_probe(&probed);
	r = np_cpuset_new((unsigned int)n, &set);
	if (r < 0) {
		free(probed);
		return (int)r;
	}
	if (probed) {
		memcpy(set->bits, probed, NP_WORDS(set->nbits) * sizeof(unsigned long));
		free(probed);
	} else {
		r = np__get_mempolicy(NULL, set->bits, set->nbits, NULL, NP__MPOL_F_MEMS_ALLOWED);
		if (r < 0) {
			np_cpuset_free(set);
			return (int)r;
		}
	}
	*ret = set;
	return 0;
}

int np_mpol_interleave_next(int *ret)
{
	int node = -1;
	long r = np__get_mempolicy(&node, NULL, 0, NULL, NP__MPOL_F_NODE);

	if (r < 0)
		return (int)r;
	*ret = node;
	return 0;
}
