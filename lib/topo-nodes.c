/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-nodes.c - NUMA nodes: their CPUs, memory, huge pages and distances.
 *
 * Terminology:
 *  node dir   sys/devices/system/node/nodeN: a node the kernel shows.  Ids may be sparse
 *             (0-2,33,72), reach 255 (GPU and CXL memory), and a node may have CPUs and no
 *             memory (memoryless) or memory and no CPUs (CPU-less).
 *  implicit   a kernel without NUMA (or a capture without node dirs): one node 0 that holds
 *             every online CPU and the memory of /proc/meminfo.
 *  distance   nodeN/distance: one number per online node in increasing id order (the ACPI
 *             SLIT row; 10 is local).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sysparse.h"

#define NODE_DIR "sys/devices/system/node"

/* no node directory: a kernel without CONFIG_NUMA, taken as one implicit node */
static int list_node_dirs(const struct np_sysfs *fs, unsigned int **ret, unsigned int *count)
{
	int r = np__sysfs_dir_ids(fs, NODE_DIR, "node", NP__MAX_NODES - 1, ret, count);

	return r == -ENOENT || r == -ENOTDIR ? 0 : r;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* a field of a meminfo text in bytes, -1 (unknown) when missing or implausible */
static long long meminfo_field(const char *text, const char *key)
{
	long long bytes;

	return np__parse_meminfo(text, key, &bytes) == 0 ? bytes : -1;
}

static void read_meminfo(const struct np_sysfs *fs, struct np_node *n, const char *path)
{
	char buf[8192];

	if (np__sysfs_read(fs, buf, sizeof(buf), "%s", path) < 0)
		return;
	n->mem_total = meminfo_field(buf, "MemTotal:");
	n->mem_free = meminfo_field(buf, "MemFree:");
	if (n->mem_total < 0)
		np__sysfs_bad(fs, ERANGE, "no MemTotal up to 2^50 bytes", "%s", path);
}

/* Huge page sizes in kB, from sys/kernel/mm/hugepages (or the first node's own list). */
static unsigned int hugepage_sizes(const struct np_sysfs *fs, unsigned int first_node,
				   unsigned long long *sizes, unsigned int max)
{
	unsigned int n = 0;
	struct np__dir d;
	const char *name;

	if (np__dir_open(fs, &d, "sys/kernel/mm/hugepages") < 0 &&
	    np__dir_open(fs, &d, NODE_DIR "/node%u/hugepages", first_node) < 0)
		return 0;
	while (n < max && (name = np__dir_next(&d))) {
		unsigned long long kb;

		if (np__parse_hugepage_dir(name, &kb) == 0)
			sizes[n++] = kb;
	}
	np__dir_close(&d);
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && sizes[j - 1] > sizes[j]; j--) {
			unsigned long long x = sizes[j];

			sizes[j] = sizes[j - 1];
			sizes[j - 1] = x;
		}
	return n;
}

/* node @id's count @name of huge pages of @kb kB */
static int read_count(const struct np_sysfs *fs, unsigned int id, unsigned long long kb,
		      const char *name, unsigned long long *ret)
{
	char buf[NP__VALUE_MAX];
	ssize_t n = np__sysfs_read(fs, buf, sizeof(buf),
				   NODE_DIR "/node%u/hugepages/hugepages-%llukB/%s", id, kb, name);
	int r;

	if (n < 0)
		return (int)n;
	r = np__parse_hugepage_count(buf, ret);
	np__sysfs_bad_parse(fs, r, NULL, NODE_DIR "/node%u/hugepages/hugepages-%llukB/%s", id, kb,
			    name);
	return r;
}

static int read_hugepages(const struct np_sysfs *fs, struct np_node *n,
			  const unsigned long long *sizes, unsigned int nsizes)
{
	struct np_hugepages *hp;
	unsigned int k = 0;

	if (!nsizes)
		return 0;
	hp = calloc(nsizes, sizeof(*hp));
	if (!hp)
		return -ENOMEM;
	for (unsigned int i = 0; i < nsizes; i++) {
		unsigned long long total, free_ = 0;

		if (read_count(fs, n->id, sizes[i], "nr_hugepages", &total) < 0)
			continue;
		(void)read_count(fs, n->id, sizes[i], "free_hugepages", &free_);
		hp[k++] = (struct np_hugepages){ .page_size = sizes[i] << 10, .total = total,
						 .free = free_ };
	}
	n->hugepages = hp;
	n->nhugepages = k;
	return 0;
}

/*
 * The node's member CPUs: cpulist, or cpumap on kernels without it.  *@no_list remembers a
 * node without cpulist: on such a kernel no node has one, so the next node starts with cpumap
 * (and still tries cpulist when cpumap is missing too).
 */
static void read_node_cpus(const struct np_sysfs *fs, struct np_cpuset *set, unsigned int id,
			   bool *no_list)
{
	int r = -ENOENT;

	if (!*no_list)
		r = np__sysfs_read_list(fs, set, NODE_DIR "/node%u/cpulist", id);
	if (r == -ENOENT) {
		r = np__topo_read_mask(fs, set, NODE_DIR "/node%u/cpumap", id);
		if (r == 0)
			*no_list = true;
		else if (r == -ENOENT && *no_list)
			r = np__sysfs_read_list(fs, set, NODE_DIR "/node%u/cpulist", id);
	} else if (r < 0 && r != -ENOMEM) {
		/* a cpulist that could not be used (a problem of the load): the mask says the same */
		r = np__topo_read_mask(fs, set, NODE_DIR "/node%u/cpumap", id);
	}
	if (r < 0)
		np_cpuset_zero(set);
}

/*
 * Distance rows list the online nodes in id order.  Map row entries to node indices: by the
 * online list when its length matches, else by the node dirs.
 */
static void read_distances(struct np_topo *t, const struct np_sysfs *fs, unsigned int i,
			   const unsigned int *online_ids, unsigned int nonline)
{
	char buf[4096];
	int row[1024], count;
	unsigned int n;
	bool rest;

	if (np__sysfs_read(fs, buf, sizeof(buf), NODE_DIR "/node%u/distance", t->nodes[i].id) < 0)
		return;
	count = np__parse_distances(buf, row, NP_ARRAY_SIZE(row), &rest);
	if (count < 0) {
		/* a corrupt row: the distances stay unknown */
		np__sysfs_bad(fs, ERANGE, "a distance beyond 0-255", NODE_DIR "/node%u/distance",
			      t->nodes[i].id);
		return;
	}
	n = (unsigned int)count;
	if (rest || n == 0 || (n != nonline && n != t->node_count))
		np__sysfs_bad(fs, EINVAL, "not a row of distances, one per node",
			      NODE_DIR "/node%u/distance", t->nodes[i].id);
	for (unsigned int j = 0; j < n; j++) {
		unsigned int id = n == nonline ? online_ids[j] : j < t->node_count ? t->nodes[j].id
										  : ~0u;

		if (id < t->nnodes && t->node_index[id] >= 0)
			t->distance[i * t->node_count + (unsigned int)t->node_index[id]] = row[j];
	}
}

static int alloc_nodes(struct np_topo *t, const unsigned int *ids, unsigned int n, long max)
{
	int r;

	t->nnodes = (unsigned int)(max < 0 ? 1 : max + 1);
	t->node_count = n;
	if ((r = np_cpuset_new(t->nnodes, &t->node_all)) < 0 ||
	    (r = np_cpuset_new(t->nnodes, &t->node_online)) < 0 ||
	    (r = np_cpuset_new(t->nnodes, &t->node_mem)) < 0 ||
	    (r = np_cpuset_new(t->nnodes, &t->node_cpu)) < 0)
		return r;
	t->nodes = calloc(n, sizeof(*t->nodes));
	t->node_index = malloc(t->nnodes * sizeof(*t->node_index));
	t->distance = malloc((size_t)n * n * sizeof(*t->distance) + 1);
	if (!t->nodes || !t->node_index || !t->distance)
		return -ENOMEM;
	for (unsigned int i = 0; i < t->nnodes; i++)
		t->node_index[i] = -1;
	for (unsigned int i = 0; i < n * n; i++)
		t->distance[i] = -1;
	for (unsigned int i = 0; i < n; i++) {
		t->nodes[i] = (struct np_node){ .id = ids[i], .mem_total = -1, .mem_free = -1 };
		t->node_index[ids[i]] = (int)i;
		np_cpuset_set(t->node_all, ids[i]);
		r = np_cpuset_new(t->ncpus, (struct np_cpuset **)&t->nodes[i].cpus);
		if (r < 0)
			return r;
	}
	return 0;
}

/* No NUMA in sysfs: node 0 is the machine. */
static int load_implicit(struct np_topo *t, const struct np_sysfs *fs)
{
	static const unsigned int zero = 0;
	struct np_node *n;
	int r = alloc_nodes(t, &zero, 1, 0);

	if (r < 0)
		return r;
	n = &t->nodes[0];
	n->implicit = true;
	n->online = true;
	np_cpuset_copy((struct np_cpuset *)n->cpus, t->online);
	if (!(t->flags & NP_TOPO_NO_MEMINFO))
		read_meminfo(fs, n, "proc/meminfo");
	t->distance[0] = 10;
	np_cpuset_set(t->node_online, 0);
	return 0;
}

/* online nodes: node/online, or every node dir */
static void read_online_nodes(struct np_topo *t, const struct np_sysfs *fs, const char *text,
			      bool have)
{
	if (have && np_cpuset_parse_list(t->node_online, text, NULL) == 0) {
		np_cpuset_and(t->node_online, t->node_online, t->node_all);
		return;
	}
	if (have)
		np__sysfs_bad(fs, EINVAL, "not a node list", NODE_DIR "/online");
	np_cpuset_copy(t->node_online, t->node_all);
}

static int load_node(struct np_topo *t, const struct np_sysfs *fs, unsigned int i,
		     const unsigned long long *sizes, unsigned int nsizes, bool *no_list)
{
	struct np_node *n = &t->nodes[i];
	char path[64];

	n->online = np_cpuset_isset(t->node_online, n->id);
	read_node_cpus(fs, (struct np_cpuset *)n->cpus, n->id, no_list);
	if (t->flags & NP_TOPO_NO_MEMINFO)
		return 0;
	snprintf(path, sizeof(path), NODE_DIR "/node%u/meminfo", n->id);
	read_meminfo(fs, n, path);
	return read_hugepages(fs, n, sizes, nsizes);
}

/*
 * memory nodes: has_memory where the kernel has it, else MemTotal > 0 (or unknown); a kernel
 * without has_memory has its meminfo read even under NP_TOPO_NO_MEMINFO, to tell them
 */
static void memory_nodes(struct np_topo *t, const struct np_sysfs *fs)
{
	char path[64];

	if (np__sysfs_read_list(fs, t->node_mem, NODE_DIR "/has_memory") == 0)
		return;
	for (unsigned int i = 0; i < t->node_count; i++) {
		struct np_node *n = &t->nodes[i];

		if ((t->flags & NP_TOPO_NO_MEMINFO) && !n->implicit) {
			snprintf(path, sizeof(path), NODE_DIR "/node%u/meminfo", n->id);
			read_meminfo(fs, n, path);
		}
		if (n->mem_total != 0)
			np_cpuset_set(t->node_mem, n->id);
	}
}

static void link_cpus(struct np_topo *t)
{
	for (unsigned int i = 0; i < t->node_count; i++) {
		np_cpuset_foreach(c, t->nodes[i].cpus)
			if ((unsigned int)c < t->ncpus && t->cpus[c].node < 0)
				t->cpus[c].node = (int)t->nodes[i].id;
		if (np_cpuset_intersects(t->nodes[i].cpus, t->online))
			np_cpuset_set(t->node_cpu, t->nodes[i].id);
	}
}

int np__topo_nodes_load(struct np_topo *t, const struct np_sysfs *fs)
{
	unsigned int *ids = NULL, n = 0, *online_ids = NULL, nonline = 0, nsizes;
	unsigned long long sizes[8];
	char onl[1024];
	bool have_onl, no_list = false;
	long max = -1;
	int r;

	r = list_node_dirs(fs, &ids, &n);
	if (r < 0)
		return r;
	if (n == 0) {
		r = load_implicit(t, fs);
		goto done;
	}
	qsort(ids, n, sizeof(*ids), cmp_uint);
	have_onl = np__sysfs_read(fs, onl, sizeof(onl), NODE_DIR "/online") >= 0;
	max = (long)ids[n - 1];
	if (have_onl && np__list_max(onl) > max)
		max = np__list_max(onl);
	r = max >= NP__MAX_NODES ? -EOVERFLOW : alloc_nodes(t, ids, n, max);
	if (r < 0)
		goto free_ids;
	read_online_nodes(t, fs, onl, have_onl);
	online_ids = malloc(n * sizeof(*online_ids));
	if (!online_ids) {
		r = -ENOMEM;
		goto free_ids;
	}
	np_cpuset_foreach(id, t->node_online)
		online_ids[nonline++] = (unsigned int)id;
	nsizes = t->flags & NP_TOPO_NO_MEMINFO ? 0
					       : hugepage_sizes(fs, ids[0], sizes, NP_ARRAY_SIZE(sizes));
	for (unsigned int i = 0; i < n; i++) {
		r = load_node(t, fs, i, sizes, nsizes, &no_list);
		if (r < 0)
			goto free_ids;
		read_distances(t, fs, i, online_ids, nonline);
	}
done:
	if (r == 0) {
		memory_nodes(t, fs);
		link_cpus(t);
	}
free_ids:
	free(online_ids);
	free(ids);
	return r;
}

void np__topo_nodes_free(struct np_topo *t)
{
	for (unsigned int i = 0; t->nodes && i < t->node_count; i++) {
		np_cpuset_free((struct np_cpuset *)t->nodes[i].cpus);
		free((void *)t->nodes[i].hugepages);
	}
	free(t->nodes);
	free(t->node_index);
	free(t->distance);
	np_cpuset_free(t->node_all);
	np_cpuset_free(t->node_online);
	np_cpuset_free(t->node_mem);
	np_cpuset_free(t->node_cpu);
}
