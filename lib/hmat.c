/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hmat.c - HMAT access classes and memory-side caches of NUMA nodes.
 *
 * Terminology (the kernel's Documentation/admin-guide/mm/numaperf.rst):
 *  target        a memory node, nodeN in sysfs.
 *  initiator     a node whose CPUs or other agents (GPUs, accelerators: "generic initiators")
 *                access a target; nodeN/accessK/initiators/ links to the best ones.
 *  access class  K in accessK: access0 ranks every initiator, access1 only CPUs.  Each has
 *                read/write latency (ns) and bandwidth (MB/s) from the best initiators.
 *  memory-side cache  nodeN/memory_side_cache/indexL: a cache level L in front of the node's
 *                memory (size, line_size, indexing, write_policy), as ACPI HMAT describes it.
 *                Levels count from the memory: the highest is the fastest, nearest the CPU.
 *
 * Firmware without HMAT leaves all of this out: then every node answers -ENOENT and 0 caches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sysparse.h"

struct hmat_node {
	bool has[2];
	struct np_access access[2]; /* initiators owned here (cast away const to free) */
	unsigned int nmemcache;
	struct np_memcache *memcache; /* by increasing level */
};

struct np_hmat {
	unsigned int nnodes;
	struct hmat_node **nodes; /* nnodes entries, NULL for a node without HMAT data */
};

/* The text of a number file of an HMAT directory into @buf (NP__VALUE_MAX bytes). */
static bool read_text(const struct np_sysfs *fs, char *buf, const char *fmt, unsigned int node,
		      unsigned int k, const char *name)
{
	return np__sysfs_read(fs, buf, NP__VALUE_MAX, fmt, node, k, name) >= 0;
}

/* A number file of an HMAT directory; 0 when missing or unreadable (the kernel's "unknown"). */
static unsigned long long read_num(const struct np_sysfs *fs, const char *fmt, unsigned int node,
				   unsigned int k, const char *name)
{
	char buf[NP__VALUE_MAX];
	unsigned long long v = 0;

	if (read_text(fs, buf, fmt, node, k, name))
		np__sysfs_bad_parse(fs, np__parse_hmat_num(buf, &v), "a negative value", fmt, node,
				    k, name);
	return v;
}

/* The same for line_size, indexing and write_policy, each with its @parse. */
static unsigned int read_small(const struct np_sysfs *fs, const char *fmt, unsigned int node,
			       unsigned int k, const char *name,
			       int (*parse)(const char *, unsigned int *))
{
	char buf[NP__VALUE_MAX];
	unsigned int v = 0;

	if (read_text(fs, buf, fmt, node, k, name))
		np__sysfs_bad_parse(fs, parse(buf, &v), "a value out of range", fmt, node, k, name);
	return v;
}

static void node_free(struct hmat_node *n)
{
	if (!n)
		return;
	for (int k = 0; k < 2; k++)
		np_cpuset_free((struct np_cpuset *)n->access[k].initiators);
	free(n->memcache);
	free(n);
}

/* Whether a directory entry is "<prefix><number>"; the number in *@id. */
static bool numbered(const char *name, const char *prefix, unsigned long *id)
{
	size_t plen = strlen(prefix);
	char *end;

	if (strncmp(name, prefix, plen) != 0 || name[plen] < '0' || name[plen] > '9')
		return false;
	*id = strtoul(name + plen, &end, 10);
	return *end == '\0';
}

/*
 * nodeN/accessK: the initiator links and the four numbers.  Return: 1 when the class exists,
 * 0 when it does not, -ENOMEM.
 */
static int load_access(const struct np_sysfs *fs, unsigned int node, unsigned int k,
		       unsigned int nnodes, struct np_access *acc)
{
	static const char fmt[] = "sys/devices/system/node/node%u/access%u/initiators/%s";
	struct np_cpuset *init;
	struct np__dir d;
	const char *name;
	unsigned long id;

	if (np__dir_open(fs, &d, "sys/devices/system/node/node%u/access%u/initiators", node, k) < 0)
		return 0;
	if (np_cpuset_new(nnodes, &init) < 0) {
		np__dir_close(&d);
		return -ENOMEM;
	}
	while ((name = np__dir_next(&d)))
		if (numbered(name, "node", &id) && id < nnodes)
			np_cpuset_set(init, (unsigned int)id);
	np__dir_close(&d);
	acc->initiators = init;
	acc->read_latency = read_num(fs, fmt, node, k, "read_latency");
	acc->write_latency = read_num(fs, fmt, node, k, "write_latency");
	acc->read_bandwidth = read_num(fs, fmt, node, k, "read_bandwidth");
	acc->write_bandwidth = read_num(fs, fmt, node, k, "write_bandwidth");
	return 1;
}

static int cmp_level(const void *a, const void *b)
{
	const struct np_memcache *x = a, *y = b;

	return x->level < y->level ? -1 : x->level > y->level;
}

/* nodeN/memory_side_cache/indexL for every L.  Return: 0 or -ENOMEM. */
static int load_memcache(const struct np_sysfs *fs, unsigned int node, struct hmat_node *n)
{
	static const char fmt[] = "sys/devices/system/node/node%u/memory_side_cache/index%u/%s";
	struct np__dir d;
	const char *name;
	unsigned long id;
	int r = 0;

	if (np__dir_open(fs, &d, "sys/devices/system/node/node%u/memory_side_cache", node) < 0)
		return 0;
	while (r == 0 && (name = np__dir_next(&d))) {
		struct np_memcache *mc;

		if (!numbered(name, "index", &id) || id > 255)
			continue;
		mc = realloc(n->memcache, (n->nmemcache + 1) * sizeof(*mc));
		if (!mc) {
			r = -ENOMEM;
			break;
		}
		n->memcache = mc;
		mc += n->nmemcache++;
		mc->level = (unsigned int)id;
		mc->size = read_num(fs, fmt, node, (unsigned int)id, "size");
		mc->line_size = read_small(fs, fmt, node, (unsigned int)id, "line_size",
					   np__parse_hmat_line_size);
		mc->indexing = read_small(fs, fmt, node, (unsigned int)id, "indexing",
					  np__parse_hmat_enum);
		mc->write_policy = read_small(fs, fmt, node, (unsigned int)id, "write_policy",
					      np__parse_hmat_enum);
	}
	np__dir_close(&d);
	if (n->nmemcache > 1)
		qsort(n->memcache, n->nmemcache, sizeof(*n->memcache), cmp_level);
	return r;
}

/* The HMAT data of one node; *@ret stays NULL when it has none.  Return: 0 or -ENOMEM. */
static int load_node(const struct np_sysfs *fs, unsigned int node, unsigned int nnodes,
		     struct hmat_node **ret)
{
	struct hmat_node *n = calloc(1, sizeof(*n));
	int r = 0;

	if (!n)
		return -ENOMEM;
	for (unsigned int k = 0; k < 2 && r >= 0; k++) {
		r = load_access(fs, node, k, nnodes, &n->access[k]);
		n->has[k] = r == 1;
	}
	if (r >= 0)
		r = load_memcache(fs, node, n);
	if (r < 0 || (!n->has[0] && !n->has[1] && !n->nmemcache)) {
		node_free(n);
		return r < 0 ? r : 0;
	}
	*ret = n;
	return 0;
}

int np__hmat_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		  const int *node_index, struct np_hmat **ret)
{
	struct np_hmat *h;
	int r = 0;

	(void)ncpus; /* initiators are nodes; CPU sets come from the topology's nodes */
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->nnodes = nnodes;
	h->nodes = calloc(nnodes ? nnodes : 1, sizeof(*h->nodes));
	if (!h->nodes) {
		free(h);
		return -ENOMEM;
	}
	for (unsigned int i = 0; r == 0 && i < nnodes; i++)
		if (node_index[i] >= 0)
			r = load_node(fs, i, nnodes, &h->nodes[i]);
	if (r < 0) {
		np__hmat_free(h);
		return r;
	}
	*ret = h;
	return 0;
}

void np__hmat_free(struct np_hmat *h)
{
	if (!h)
		return;
	for (unsigned int i = 0; i < h->nnodes; i++)
		node_free(h->nodes[i]);
	free(h->nodes);
	free(h);
}

static const struct hmat_node *hnode(const struct np_topo *topo, unsigned int node)
{
	const struct np_hmat *h = topo ? topo->hmat : NULL;

	return h && node < h->nnodes ? h->nodes[node] : NULL;
}

int np_topo_node_access(const struct np_topo *topo, unsigned int node, unsigned int access_class,
			struct np_access *ret)
{
	const struct hmat_node *n;

	if (access_class > 1)
		return -EINVAL;
	n = hnode(topo, node);
	if (!n || !n->has[access_class])
		return -ENOENT;
	*ret = n->access[access_class];
	return 0;
}

unsigned int np_topo_node_memcache_count(const struct np_topo *topo, unsigned int node)
{
	const struct hmat_node *n = hnode(topo, node);

	return n ? n->nmemcache : 0;
}

int np_topo_node_memcache(const struct np_topo *topo, unsigned int node, unsigned int i,
			  struct np_memcache *ret)
{
	const struct hmat_node *n = hnode(topo, node);

	if (!n || i >= n->nmemcache)
		return -ENOENT;
	*ret = n->memcache[i];
	return 0;
}

const char *np_memcache_indexing_name(enum np_memcache_indexing indexing)
{
	switch (indexing) {
	case NP_MEMCACHE_DIRECT_MAPPED:
		return "direct-mapped";
	case NP_MEMCACHE_INDEXED:
		return "indexed";
	case NP_MEMCACHE_INDEXING_OTHER:
		return "other";
	}
	return NULL;
}

const char *np_memcache_write_policy_name(enum np_memcache_write_policy policy)
{
	switch (policy) {
	case NP_MEMCACHE_WRITE_BACK:
		return "write-back";
	case NP_MEMCACHE_WRITE_THROUGH:
		return "write-through";
	case NP_MEMCACHE_WRITE_OTHER:
		return "other";
	}
	return NULL;
}
