/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rankbind.c - accelerator-local ranks: local rank R bound to the CPUs nearest the R-th visible
 * device, in the four modes of torchrun --numa-binding (torch.numa.binding.AffinityMode).
 *
 * Terminology:
 *  device      the rank's GPU (or NIC): entry R of np_rank_devices().
 *  home node   the device's NUMA node (np_rank_device_node()).
 *  eligible    online, allowed to this process, not isolated, inside opts->within.
 *  node peers  the ranks below the local size whose devices share the home node, in rank
 *              order; a rank's share index is its position among them.
 *  share       exclusive: a run of consecutive cores of the home node, the node's cores cut
 *              into as many runs as there are peers, the first runs one core longer when the
 *              count does not divide; core-complex: one last-level cache group of the node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const mode_names[] = { "node", "socket", "exclusive", "core-complex" };

const char *np_rank_mode_name(enum np_rank_mode mode)
{
	return (unsigned int)mode < NP_ARRAY_SIZE(mode_names) ? mode_names[mode] : NULL;
}

int np_rank_mode_parse(const char *name)
{
	for (size_t i = 0; name && i < NP_ARRAY_SIZE(mode_names); i++)
		if (strcmp(name, mode_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

void np_rank_place_release(struct np_rank_place *p)
{
	if (!p)
		return;
	np_cpuset_free(p->cpus);
	np_cpuset_free(p->nodes);
	memset(p, 0, sizeof(*p));
}

/* what one np_rank_bind() call works on */
struct rb {
	const struct np_topo *t;
	const struct np_rank_opts *o;
	const struct np_device **devs;
	unsigned int ndevs;
	unsigned int rank, size;
	int node;                /* the home node */
	struct np_cpuset *elig;  /* eligible CPUs of the home node */
	unsigned int peer, peers; /* share index and the number of node peers */
};

static int eligible(struct rb *b)
{
	const struct np_node *n = np_topo_node_by_id(b->t, (unsigned int)b->node);
	struct np__plan_limits lim;
	int r;

	if (!n)
		return -ENXIO;
	np__plan_limits_of(b->t, &lim);
	r = np_cpuset_and(b->elig, n->cpus, np_topo_online_cpus(b->t));
	if (r == 0 && lim.allowed)
		r = np_cpuset_and(b->elig, b->elig, lim.allowed);
	if (r == 0 && lim.isolated)
		r = np_cpuset_andnot(b->elig, b->elig, lim.isolated);
	if (r == 0 && b->o->within)
		r = np_cpuset_and(b->elig, b->elig, b->o->within);
	if (r == 0 && np_cpuset_empty(b->elig))
		r = -ENOENT;
	return r;
}

/* the node peers: which of the ranks below the size have a device on the home node */
static int count_peers(struct rb *b)
{
	unsigned int last = b->size < b->ndevs ? b->size : b->ndevs;

	b->peer = b->peers = 0;
	for (unsigned int i = 0; i < last; i++) {
		int n = np_rank_device_node(b->t, b->devs[i]);

		if (n != b->node)
			continue;
		if (i < b->rank)
			b->peer++;
		b->peers++;
	}
	return 0;
}

/* with smt_avoid, keep the first CPU of each core in @set */
static int drop_siblings(const struct np_topo *t, struct np_cpuset *set)
{
	struct np_cpuset *cores;
	int r = np_cpuset_new(np_topo_obj_count(t, NP_OBJ_CORE) + 1, &cores);

	if (r < 0)
		return r;
	np_cpuset_foreach(c, set) {
		const struct np_obj *core = np_topo_obj_of_cpu(t, NP_OBJ_CORE, (unsigned int)c);

		if (!core)
			continue;
		if (np_cpuset_isset(cores, core->logical_index))
			np_cpuset_clear(set, (unsigned int)c);
		else
			np_cpuset_set(cores, core->logical_index);
	}
	np_cpuset_free(cores);
	return 0;
}

/* socket: the CPUs of every package that holds a CPU of the home node */
static int socket_cpus(struct rb *b, struct np_cpuset *out)
{
	unsigned int n = np_topo_obj_count(b->t, NP_OBJ_PACKAGE);
	const struct np_node *home = np_topo_node_by_id(b->t, (unsigned int)b->node);
	struct np__plan_limits lim;
	int r = 0;

	if (n == 0)
		return np_cpuset_copy(out, b->elig);
	for (unsigned int i = 0; i < n && r == 0; i++) {
		const struct np_obj *p = np_topo_obj(b->t, NP_OBJ_PACKAGE, i);

		if (np_cpuset_intersects(p->cpuset, home->cpus))
			r = np_cpuset_or(out, out, p->cpuset);
	}
	np__plan_limits_of(b->t, &lim);
	if (r == 0 && lim.allowed)
		r = np_cpuset_and(out, out, lim.allowed);
	if (r == 0 && lim.isolated)
		r = np_cpuset_andnot(out, out, lim.isolated);
	if (r == 0 && b->o->within)
		r = np_cpuset_and(out, out, b->o->within);
	return r;
}

/* the @type objects holding eligible CPUs of the home node, in logical order; *@n their count */
static int groups_of(struct rb *b, enum np_obj_type type, const struct np_obj ***ret,
		     unsigned int *n)
{
	unsigned int all = np_topo_obj_count(b->t, type), k = 0;
	const struct np_obj **v = calloc(all ? all : 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (unsigned int i = 0; i < all; i++) {
		const struct np_obj *o = np_topo_obj(b->t, type, i);

		if (np_cpuset_intersects(o->cpuset, b->elig))
			v[k++] = o;
	}
	*ret = v;
	*n = k;
	return 0;
}

/* exclusive: share b->peer of the home node's cores cut into b->peers runs */
static int exclusive_cpus(struct rb *b, struct np_rank_place *p, struct np_cpuset *out)
{
	const struct np_obj **cores;
	unsigned int c, first, len;
	int r = groups_of(b, NP_OBJ_CORE, &cores, &c);

	if (r < 0)
		return r;
	if (c < b->peers && !b->o->oversubscribe) {
		free(cores);
		return -EBUSY;
	}
	if (c < b->peers) {
		first = b->peer % c;
		len = 1;
		p->shared = true;
	} else {
		first = b->peer * (c / b->peers) + (b->peer < c % b->peers ? b->peer : c % b->peers);
		len = c / b->peers + (b->peer < c % b->peers);
	}
	for (unsigned int i = first; i < first + len && r == 0; i++)
		r = np_cpuset_or(out, out, cores[i]->cpuset);
	if (r == 0)
		r = np_cpuset_and(out, out, b->elig);
	free(cores);
	return r;
}

/* core-complex: last-level cache group b->peer of the home node, wrapping round as torch does */
static int complex_cpus(struct rb *b, struct np_rank_place *p, struct np_cpuset *out)
{
	const struct np_obj **llc;
	unsigned int g;
	int r = groups_of(b, NP_OBJ_LLC, &llc, &g);

	if (r < 0)
		return r;
	if (g == 0) {
		free(llc);
		return -ENOENT;
	}
	p->shared = b->peers > g;
	r = np_cpuset_and(out, llc[b->peer % g]->cpuset, b->elig);
	free(llc);
	return r;
}

/* the nodes holding a CPU of @cpus (the home node at least) */
static int nodes_of(struct rb *b, const struct np_cpuset *cpus, struct np_cpuset *out)
{
	int r = np_cpuset_set(out, (unsigned int)b->node);

	for (unsigned int i = 0; i < np_topo_node_count(b->t) && r == 0; i++) {
		const struct np_node *n = np_topo_node(b->t, i);

		if (np_cpuset_intersects(n->cpus, cpus))
			r = np_cpuset_set(out, n->id);
	}
	return r;
}

/* the NIC nearest the home node: one on it (peers spread over several), else the closest */
static void pick_nic(struct rb *b, struct np_rank_place *p)
{
	const struct np_device **nics;
	unsigned int n, on = 0, best = 0;
	int bestd = -1;

	if (b->o->near == NP_NEAR_NIC) {
		p->nic = p->dev;
		return;
	}
	if (np_rank_devices(b->t, NP_NEAR_NIC, NULL, &nics, &n, NULL) < 0)
		return;
	for (unsigned int i = 0; i < n; i++)
		on += np_rank_device_node(b->t, nics[i]) == b->node;
	for (unsigned int i = 0, k = 0; i < n; i++) {
		int node = np_rank_device_node(b->t, nics[i]);
		int d = node < 0 ? -1 : np_topo_distance(b->t, (unsigned int)b->node, (unsigned int)node);

		if (on && node == b->node && k++ == b->peer % on)
			p->nic = nics[i];
		if (!on && d >= 0 && (bestd < 0 || d < bestd)) {
			bestd = d;
			best = i;
		}
	}
	if (!on && bestd >= 0)
		p->nic = nics[best];
	free(nics);
}

static int place_cpus(struct rb *b, struct np_rank_place *p)
{
	switch (b->o->mode) {
	case NP_RANK_NODE: return np_cpuset_copy(p->cpus, b->elig);
	case NP_RANK_SOCKET: return socket_cpus(b, p->cpus);
	case NP_RANK_EXCLUSIVE: return exclusive_cpus(b, p, p->cpus);
	case NP_RANK_CORE_COMPLEX: return complex_cpus(b, p, p->cpus);
	}
	return -EINVAL;
}

static int bind_rank(struct rb *b, struct np_rank_place *p)
{
	int r;

	if (b->rank >= b->ndevs)
		return -ERANGE;
	p->dev = b->devs[b->rank];
	b->node = np_rank_device_node(b->t, p->dev);
	if (b->node < 0)
		return b->node;
	p->node = b->node;
	r = eligible(b);
	if (r == 0)
		r = count_peers(b);
	if (r == 0)
		r = place_cpus(b, p);
	if (r == 0 && b->o->smt_avoid)
		r = drop_siblings(b->t, p->cpus);
	if (r == 0 && np_cpuset_empty(p->cpus))
		r = -ENOENT;
	if (r == 0)
		r = nodes_of(b, p->cpus, p->nodes);
	if (r == 0 && b->o->mode != NP_RANK_EXCLUSIVE && b->o->mode != NP_RANK_CORE_COMPLEX)
		p->shared = b->peers > 1;
	p->share = b->peer;
	p->shares = b->peers;
	if (r == 0)
		pick_nic(b, p);
	return r;
}

int np_rank_bind(const struct np_topo *topo, unsigned int rank, unsigned int size,
		 const struct np_rank_opts *opts, struct np_rank_place *ret)
{
	static const struct np_rank_opts defaults;
	struct np_rank_place p = { 0 };
	struct rb b = { .t = topo, .o = opts ? opts : &defaults, .rank = rank, .size = size };
	int r;

	if (size == 0 || rank >= size || (unsigned int)b.o->mode >= NP_ARRAY_SIZE(mode_names))
		return -EINVAL;
	r = np_rank_devices(topo, b.o->near, b.o->visible, &b.devs, &b.ndevs, NULL);
	if (r < 0)
		return r;
	r = np_cpuset_new(np_topo_cpu_size(topo), &b.elig);
	if (r == 0)
		r = np_cpuset_new(np_topo_cpu_size(topo), &p.cpus);
	if (r == 0)
		r = np_cpuset_new(np_topo_node_size(topo), &p.nodes);
	if (r == 0)
		r = bind_rank(&b, &p);
	if (r == 0)
		*ret = p;
	else
		np_rank_place_release(&p);
	np_cpuset_free(b.elig);
	free(b.devs);
	return r;
}
