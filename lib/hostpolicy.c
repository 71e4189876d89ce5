/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hostpolicy.c - host policies: where one worker runs and allocates, as Triton's --host-policy
 * strings and MindSpore's cache server pool say it, parsed, planned for a pool, and applied to
 * the calling thread.
 *
 * Terminology:
 *  host policy  struct np_hostpolicy: CPUs (or a NUMA node whose CPUs to use), a memory mode
 *               and its nodes, and whether to keep off SMT siblings.
 *  pool         N workers of one program; np_pool_plan() gives worker i its host policy.
 *  pinned       a worker whose CPUs are fixed; its memory is then best local.  An unpinned
 *               worker may run anywhere, so its memory is interleaved over every node.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Bounds for sets parsed from strings, which carry no machine to size them by. */
#define HP_MAX_CPUS 4096
#define HP_MAX_NODES 4096

static const struct {
	const char *name;
	enum np_hostpolicy_mem mem;
} mem_names[] = {
	{ "default", NP_HP_MEM_DEFAULT }, { "local", NP_HP_MEM_LOCAL },
	{ "bind", NP_HP_MEM_BIND },       { "preferred", NP_HP_MEM_PREFERRED },
	{ "interleave", NP_HP_MEM_INTERLEAVE },
};

void np_hostpolicy_release(struct np_hostpolicy *hp)
{
	if (!hp)
		return;
	np_cpuset_free(hp->cpus);
	np_cpuset_free(hp->nodes);
	hp->cpus = NULL;
	hp->nodes = NULL;
}

/* the length of a key=value item: up to the next ',' that starts another key=value */
static size_t item_len(const char *s, bool list)
{
	size_t n = strcspn(s, ",");

	/* a list value's next comma-separated token without '=' belongs to the list */
	while (list && s[n] == ',' && s[n + 1] && strcspn(s + n + 1, ",=") == strcspn(s + n + 1, ","))
		n += 1 + strcspn(s + n + 1, ",");
	return n;
}

static int parse_set(const char *val, size_t len, unsigned int nbits, struct np_cpuset **set,
		     size_t *where)
{
	char *copy = strndup(val, len);
	struct np_cpuset *s;
	int r;

	if (!copy)
		return -ENOMEM;
	for (char *p = copy; *p; p++)
		if (*p == ';')
			*p = ',';
	r = np_cpuset_new(nbits, &s);
	if (r == 0) {
		r = np_cpuset_parse_list(s, copy, where);
		if (r == 0 && np_cpuset_empty(s))
			r = -EINVAL;
	}
	free(copy);
	if (r < 0) {
		np_cpuset_free(s);
		return r;
	}
	np_cpuset_free(*set);
	*set = s;
	return 0;
}

static int parse_node(const char *val, size_t len, int *ret)
{
	long v = 0;

	if (len == 0 || len > 6)
		return len ? -EOVERFLOW : -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (val[i] < '0' || val[i] > '9')
			return -EINVAL;
		v = v * 10 + (val[i] - '0');
	}
	if (v >= HP_MAX_NODES)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

static int parse_word(const char *val, size_t len, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(words[i]) == len && strncmp(val, words[i], len) == 0)
			return (int)i;
	return -EINVAL;
}

/* one key=value into @hp; *@where is the offset of the error inside @val */
static int parse_item(const char *key, size_t klen, const char *val, size_t vlen,
		      struct np_hostpolicy *hp, bool *mem_given, size_t *where)
{
	static const char *const smt[] = { "use", "avoid" };
	const char *mem[NP_ARRAY_SIZE(mem_names)];
	int r;

	*where = 0;
	if (klen == 9 && strncmp(key, "numa-node", 9) == 0)
		return parse_node(val, vlen, &hp->numa_node);
	if (klen == 9 && strncmp(key, "cpu-cores", 9) == 0)
		return parse_set(val, vlen, HP_MAX_CPUS, &hp->cpus, where);
	if (klen == 5 && strncmp(key, "nodes", 5) == 0)
		return parse_set(val, vlen, HP_MAX_NODES, &hp->nodes, where);
	if (klen == 3 && strncmp(key, "smt", 3) == 0) {
		r = parse_word(val, vlen, smt, NP_ARRAY_SIZE(smt));
		if (r >= 0)
			hp->smt_avoid = r == 1;
		return r < 0 ? r : 0;
	}
	if (klen == 3 && strncmp(key, "mem", 3) == 0) {
		for (size_t i = 0; i < NP_ARRAY_SIZE(mem_names); i++)
			mem[i] = mem_names[i].name;
		r = parse_word(val, vlen, mem, NP_ARRAY_SIZE(mem));
		if (r < 0)
			return r;
		hp->mem = mem_names[r].mem;
		*mem_given = true;
		return 0;
	}
	*where = SIZE_MAX; /* the key itself is at fault */
	return -EINVAL;
}

int np_hostpolicy_parse(const char *str, struct np_hostpolicy *hp, size_t *errpos)
{
	struct np_hostpolicy tmp = { .numa_node = -1 };
	bool mem_given = false;
	const char *p = str;
	size_t where = 0;
	int r = 0;

	while (*p) {
		size_t klen = strcspn(p, "=,"), len;
		bool list = (klen == 9 && strncmp(p, "cpu-cores", 9) == 0) ||
			    (klen == 5 && strncmp(p, "nodes", 5) == 0);

		if (p[klen] != '=') {
			r = -EINVAL;
			break;
		}
		len = item_len(p, list);
		r = parse_item(p, klen, p + klen + 1, len - klen - 1, &tmp, &mem_given, &where);
		if (r < 0) {
			where = where == SIZE_MAX ? 0 : where + klen + 1;
			break;
		}
		p += len;
		if (*p == ',' && !*++p) {
			r = -EINVAL; /* a trailing comma */
			break;
		}
	}
	if (r == 0 && p == str)
		r = -EINVAL;
	if (r < 0) {
		if (errpos)
			*errpos = (size_t)(p - str) + where;
		np_hostpolicy_release(&tmp);
		return r;
	}
	/* Triton: a policy naming a node keeps the worker's memory there */
	if (!mem_given && (tmp.numa_node >= 0 || tmp.nodes))
		tmp.mem = NP_HP_MEM_BIND;
	*hp = tmp;
	return 0;
}

/* ---- applying ------------------------------------------------------------------------- */

/* The CPUs to bind to: cpu-cores=, else the node's, less SMT siblings with smt=avoid. */
static int resolve_cpus(const struct np_hostpolicy *hp, const struct np_topo *topo,
			struct np_cpuset **ret)
{
	struct np_cpuset *s = NULL;
	int r;

	*ret = NULL;
	if (hp->cpus) {
		r = np_cpuset_dup(hp->cpus, &s);
	} else if (hp->numa_node >= 0) {
		const struct np_obj *n = NULL;

		if (!topo)
			return -EINVAL;
		for (unsigned int i = 0; !n && i < np_topo_obj_count(topo, NP_OBJ_NODE); i++)
			if (np_topo_obj(topo, NP_OBJ_NODE, i)->os_index == hp->numa_node)
				n = np_topo_obj(topo, NP_OBJ_NODE, i);
		if (!n)
			return -ENOENT;
		r = np_cpuset_dup(n->cpuset, &s);
	} else {
		return 0;
	}
	if (r == 0 && hp->smt_avoid) {
		if (!topo)
			r = -EINVAL;
		for (int c = r == 0 ? np_cpuset_first(s) : -1; c >= 0; c = np_cpuset_next(s, c)) {
			const struct np_obj *core = np_topo_obj_of_cpu(topo, NP_OBJ_CORE, (unsigned int)c);
			const struct np_cpuset *sib = core ? core->cpuset : NULL;

			/* keep c only when no lower sibling of it is kept */
			for (int o = sib ? np_cpuset_first(sib) : -1; o >= 0 && o < c;
			     o = np_cpuset_next(sib, o))
				if (np_cpuset_isset(s, (unsigned int)o)) {
					np_cpuset_clear(s, (unsigned int)c);
					break;
				}
		}
	}
	if (r == 0 && np_cpuset_empty(s))
		r = -EINVAL;
	if (r < 0) {
		np_cpuset_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

/* The nodes for the memory mode: nodes=, numa-node=, else those of the CPUs. */
static int resolve_nodes(const struct np_hostpolicy *hp, const struct np_topo *topo,
			 const struct np_cpuset *cpus, struct np_cpuset **ret)
{
	struct np_cpuset *s;
	int r;

	if (hp->nodes)
		return np_cpuset_dup(hp->nodes, ret);
	r = np_cpuset_new(topo ? np_topo_node_size(topo) : HP_MAX_NODES, &s);
	if (r < 0)
		return r;
	if (hp->numa_node >= 0) {
		r = np_cpuset_set(s, (unsigned int)hp->numa_node);
	} else if (cpus && topo) {
		np_cpuset_foreach(c, cpus) {
			const struct np_cpu *cpu = np_topo_cpu(topo, (unsigned int)c);

			if (cpu && cpu->node >= 0)
				np_cpuset_set(s, (unsigned int)cpu->node);
		}
	}
	if (r == 0 && np_cpuset_empty(s))
		r = -EINVAL;
	if (r < 0) {
		np_cpuset_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

static int make_policy(const struct np_hostpolicy *hp, const struct np_topo *topo,
		       const struct np_cpuset *cpus, struct np_policy **ret)
{
	static const int modes[] = {
		[NP_HP_MEM_DEFAULT] = NP_MPOL_DEFAULT,     [NP_HP_MEM_LOCAL] = NP_MPOL_LOCAL,
		[NP_HP_MEM_BIND] = NP_MPOL_BIND,           [NP_HP_MEM_PREFERRED] = NP_MPOL_PREFERRED,
		[NP_HP_MEM_INTERLEAVE] = NP_MPOL_INTERLEAVE,
	};
	struct np_cpuset *nodes = NULL;
	int r;

	if ((unsigned int)hp->mem >= NP_ARRAY_SIZE(modes))
		return -EINVAL;
	if (hp->mem == NP_HP_MEM_DEFAULT || hp->mem == NP_HP_MEM_LOCAL)
		return np_policy_new(modes[hp->mem], NULL, 0, ret);
	r = resolve_nodes(hp, topo, cpus, &nodes);
	if (r < 0)
		return r;
	/* preferred takes one node: the first of them */
	if (hp->mem == NP_HP_MEM_PREFERRED) {
		int first = np_cpuset_first(nodes);

		np_cpuset_zero(nodes);
		np_cpuset_set(nodes, (unsigned int)first);
	}
	r = np_policy_new(modes[hp->mem], nodes, 0, ret);
	np_cpuset_free(nodes);
	return r;
}

int np_hostpolicy_apply(const struct np_hostpolicy *hp, const struct np_topo *topo)
{
	struct np_cpuset *cpus = NULL, *old = NULL;
	struct np_policy *pol = NULL;
	int r;

	/* resolve everything first, so that a bad policy changes nothing */
	r = resolve_cpus(hp, topo, &cpus);
	if (r == 0 && hp->mem != NP_HP_MEM_DEFAULT)
		r = make_policy(hp, topo, cpus, &pol);
	if (r == 0 && cpus)
		r = np_affinity_get(0, &old);
	if (r == 0 && cpus)
		r = np_affinity_set(0, cpus);
	if (r == 0 && pol) {
		r = np_policy_apply(pol);
		/* all or nothing: put the affinity back when the memory policy fails */
		if (r < 0 && old)
			np_affinity_set(0, old);
	}
	np_policy_free(pol);
	np_cpuset_free(old);
	np_cpuset_free(cpus);
	return r;
}

/* ---- pools ----------------------------------------------------------------------------- */

void np_pool_free(struct np_hostpolicy *hps, unsigned int nworkers)
{
	if (!hps)
		return;
	for (unsigned int i = 0; i < nworkers; i++)
		np_hostpolicy_release(&hps[i]);
	free(hps);
}

/* unpinned: no CPUs, memory interleaved over the nodes with memory this process may use */
static int pool_unpinned(const struct np_topo *topo, struct np_hostpolicy *hp)
{
	const struct np_cpuset *allowed = np_topo_allowed_nodes(topo);
	int r = np_cpuset_dup(np_topo_memory_nodes(topo), &hp->nodes);

	if (r == 0 && allowed)
		r = np_cpuset_and(hp->nodes, hp->nodes, allowed);
	if (r == 0 && np_cpuset_empty(hp->nodes))
		r = np_cpuset_copy(hp->nodes, np_topo_memory_nodes(topo));
	if (r == 0 && np_cpuset_empty(hp->nodes))
		r = -ENOENT;
	hp->mem = NP_HP_MEM_INTERLEAVE;
	return r;
}

int np_pool_plan(const struct np_topo *topo, unsigned int nworkers, unsigned int flags,
		 struct np_hostpolicy **ret)
{
	struct np_plan_opts o = { .policy = NP_PLAN_PER_NODE };
	struct np_hostpolicy *hps;
	struct np_plan *plan = NULL;
	int r = 0;

	if (nworkers == 0 || (flags & ~NP_POOL_UNPINNED))
		return -EINVAL;
	hps = calloc(nworkers, sizeof(*hps));
	if (!hps)
		return -ENOMEM;
	if (!(flags & NP_POOL_UNPINNED))
		r = np_plan_make(topo, nworkers, &o, &plan);
	for (unsigned int i = 0; i < nworkers && r == 0; i++) {
		hps[i].numa_node = -1;
		if (flags & NP_POOL_UNPINNED) {
			r = pool_unpinned(topo, &hps[i]);
			continue;
		}
		hps[i].numa_node = np_plan_node(plan, i);
		hps[i].mem = NP_HP_MEM_LOCAL;
		r = np_cpuset_dup(np_plan_cpus(plan, i), &hps[i].cpus);
		if (r == 0)
			r = np_cpuset_dup(np_plan_nodes(plan, i), &hps[i].nodes);
	}
	np_plan_free(plan);
	if (r < 0) {
		np_pool_free(hps, nworkers);
		return r;
	}
	*ret = hps;
	return 0;
}
