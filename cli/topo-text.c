/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-text.c - `numaplace topo` as text: the library's object tree printed from the machine
 * down to runs of cores, with memory, devices, CPU-less nodes and the distance matrix.
 *
 * Terminology:
 *  shown level  package, node, last-level cache: the objects printed as headers, outermost
 *               first as the tree nests them; a level whose every object is one core is
 *               left out (POWER's per-core packages and L3s would cost three lines a core).
 *  clipped      an object printed inside another that does not hold all of it (an L3 shared
 *               by two SNC nodes): its CPUs there, then "(of ALL)".
 *  run          consecutive cores of one L3 that look the same (same number of threads, same
 *               kind, none isolated or disallowed): printed as one line unless -v.
 *  marks        after a CPU: '!' disallowed (outside this process's affinity or cpuset),
 *               '~' isolated by the kernel (isolcpus=, nohz_full=), '-' offline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "topo-print.h"

struct tree {
	const struct np_topo *t;
	bool verbose;
	const struct np_cpuset *allowed;  /* NULL: unknown, nothing marked */
	const struct np_cpuset *isolated; /* NULL: none known */
	struct np_cpuset *tmp;
};

/* "32 KiB", "1.5 MiB", "62.5 GiB" (cli_size(): one format for every size) */
static const char *human(unsigned long long bytes, char *buf, size_t size)
{
	cli_size(buf, size, bytes, false);
	return buf;
}

/* a cpulist, with strides ("0-78:2") where that is shorter: SNC and x86 thread numbering */
static void print_set(const struct np_cpuset *set)
{
	char *plain = NULL, *strided = NULL;

	if (np_cpuset_format_list(set, 0, &plain) == 0 &&
	    np_cpuset_format_list(set, NP_FMT_STRIDES, &strided) == 0)
		fputs(strlen(strided) < strlen(plain) ? strided : plain, stdout);
	free(plain);
	free(strided);
}

static void indent_to(int depth)
{
	printf("%*s", depth * 2, "");
}

static char cpu_mark(const struct tree *tr, unsigned int cpu)
{
	if (tr->allowed && !np_cpuset_isset(tr->allowed, cpu))
		return '!';
	if (tr->isolated && np_cpuset_isset(tr->isolated, cpu))
		return '~';
	return 0;
}

static bool core_marked(const struct tree *tr, const struct np_cpuset *core)
{
	np_cpuset_foreach(c, core)
		if (cpu_mark(tr, (unsigned int)c))
			return true;
	return false;
}

static void print_cpus_marked(const struct tree *tr, const struct np_cpuset *set)
{
	const char *sep = "";

	np_cpuset_foreach(c, set) {
		char m = cpu_mark(tr, (unsigned int)c);

		printf("%s%d", sep, c);
		if (m)
			putchar(m);
		sep = ",";
	}
}

static const char *kind_suffix(const struct np_cpu *c)
{
	return c->kind == NP_CPU_KIND_PERFORMANCE ? " (performance)"
	       : c->kind == NP_CPU_KIND_EFFICIENCY ? " (efficiency)"
						   : "";
}

/* the caches of one core, for -v: "L1d 32 KiB, L1i 32 KiB, L2 1 MiB" */
static void print_core_caches(const struct np_topo *t, unsigned int cpu)
{
	const char *sep = " [";
	char b[32];

	for (unsigned int i = 0; i < np_topo_cpu_cache_count(t, cpu); i++) {
		const struct np_cache *c = np_topo_cpu_cache(t, cpu, i);

		printf("%sL%u%s %s", sep, c->level,
		       c->type == NP_CACHE_DATA ? "d" : c->type == NP_CACHE_INSTRUCTION ? "i" : "",
		       human(c->size, b, sizeof(b)));
		sep = ", ";
	}
	if (*sep == ',')
		putchar(']');
}

struct run {
	unsigned int cores, threads;
	const struct np_cpu *cpu;  /* the first core's first CPU: kind */
	struct np_cpuset *cpus;
	struct np_cpuset *indices; /* core numbers */
};

static void flush_run(struct run *r, int depth)
{
	if (!r->cores)
		return;
	indent_to(depth);
	printf("core%s ", r->cores == 1 ? "" : "s");
	print_set(r->indices);
	printf("%s: ", kind_suffix(r->cpu));
	if (r->cores > 1)
		printf("%u x %u thread%s, ", r->cores, r->threads, r->threads == 1 ? "" : "s");
	printf("cpus ");
	print_set(r->cpus);
	putchar('\n');
	r->cores = 0;
	np_cpuset_zero(r->cpus);
	np_cpuset_zero(r->indices);
}

/*
 * The cores within @within: runs of alike cores (same threads, same kind, nothing marked) on
 * one line, each marked core on its own, every core with -v.
 */
static void print_cores(struct tree *tr, const struct np_cpuset *within, int depth)
{
	const struct np_topo *t = tr->t;
	unsigned int ncores = np_topo_obj_count(t, NP_OBJ_CORE);
	struct run run = { .cpus = tr->tmp };

	if (np_cpuset_new(ncores ? ncores : 1, &run.indices) < 0)
		return;
	np_cpuset_zero(run.cpus);
	for (const struct np_obj *o = np_topo_obj(t, NP_OBJ_CORE, 0); o; o = o->next_cousin) {
		const struct np_cpuset *core = o->cpuset;
		const struct np_cpu *c = o->attr.cpu;
		unsigned int n = np_cpuset_weight(core), i = (unsigned int)c->core_index;

		if (!np_cpuset_intersects(core, within))
			continue;
		if (tr->verbose || core_marked(tr, core)) {
			flush_run(&run, depth);
			indent_to(depth);
			printf("core %u%s: cpus ", i, kind_suffix(c));
			print_cpus_marked(tr, core);
			if (tr->verbose)
				print_core_caches(t, c->id);
			putchar('\n');
			continue;
		}
		if (run.cores && (run.threads != n || run.cpu->kind != c->kind))
			flush_run(&run, depth);
		if (!run.cores) {
			run.threads = n;
			run.cpu = c;
		}
		run.cores++;
		np_cpuset_set(run.indices, i);
		np_cpuset_or(run.cpus, run.cpus, core);
	}
	flush_run(&run, depth);
	np_cpuset_free(run.indices);
}

/*
 * The devices on @node (-1: those the firmware does not place).  PCI functions without a name
 * users know (bridges, accelerators without a driver class) are counted, and listed with -v.
 */
static void print_devices(const struct np_topo *t, int node, int depth, bool verbose)
{
	unsigned int others = 0;

	for (unsigned int i = 0; i < np_topo_device_count(t); i++) {
		const struct np_device *d = np_topo_device(t, i);
		const char *name, *cls, *pci;

		if (!d || np_device_node(d) != node)
			continue;
		name = np_device_name(d);
		cls = np_device_class(d) ? np_device_class(d) : "pci";
		pci = np_device_pci_address(d);
		if (!verbose && strcmp(cls, "pci") == 0) {
			others++;
			continue;
		}
		indent_to(depth);
		if (!name || (pci && strcmp(name, pci) == 0))
			printf("device %s (%s)\n", pci ? pci : "?", cls);
		else
			printf("device %s (%s, %s)\n", name, cls, pci ? pci : "-");
	}
	if (others) {
		indent_to(depth);
		printf("%u other PCI device%s (-v lists them)\n", others, others == 1 ? "" : "s");
	}
}

static void print_memory(const struct np_topo *t, const struct np_node *n)
{
	char b1[32], b2[32];

	if (n->mem_total < 0)
		printf(", memory unknown");
	else if (n->mem_total == 0)
		printf(", no memory");
	else if (n->mem_free >= 0)
		printf(", %s (%s free)", human((unsigned long long)n->mem_total, b1, sizeof(b1)),
		       human((unsigned long long)n->mem_free, b2, sizeof(b2)));
	else
		printf(", %s", human((unsigned long long)n->mem_total, b1, sizeof(b1)));
	for (unsigned int i = 0; i < np_topo_node_memcache_count(t, n->id); i++) {
		struct np_memcache m;

		if (np_topo_node_memcache(t, n->id, i, &m) == 0)
			printf(", memory-side cache %s", human(m.size, b1, sizeof(b1)));
	}
	for (unsigned int i = 0; i < n->nhugepages; i++)
		if (n->hugepages[i].total)
			printf(", %llu x %s huge pages (%llu free)", n->hugepages[i].total,
			       human(n->hugepages[i].page_size, b1, sizeof(b1)),
			       n->hugepages[i].free);
}

static void print_header(const struct tree *tr, const struct np_obj *o,
			 const struct np_cpuset *in, int depth)
{
	char b[32];

	indent_to(depth);
	if (o->type == NP_OBJ_PACKAGE) {
		printf("package %d: cpus ", o->os_index);
		print_set(in);
	} else if (o->type == NP_OBJ_NODE) {
		printf("node %d: cpus ", o->os_index);
		print_set(in);
		print_memory(tr->t, o->attr.node);
	} else {
		printf("L%u %s: cpus ", o->attr.cache->level,
		       human(o->attr.cache->size, b, sizeof(b)));
		print_set(in);
	}
	if (!np_cpuset_equal(o->cpuset, in)) {
		printf(" (of ");
		print_set(o->cpuset);
		putchar(')');
	}
	putchar('\n');
	if (o->type == NP_OBJ_NODE)
		print_devices(tr->t, o->os_index, depth + 1, tr->verbose);
}

static bool is_cache(const struct np_obj *o)
{
	return o->type == NP_OBJ_L1 || o->type == NP_OBJ_L2 || o->type == NP_OBJ_L3 ||
	       o->type == NP_OBJ_L4;
}

/*
 * The objects of @type holding CPUs of @within, by lowest CPU (as the kernel numbers them;
 * packages and nodes are not always in id order there), found from the CPUs up.  Return how
 * many; @objs has room for np_topo_obj_count() of them.
 */
static unsigned int objects_meeting(const struct np_topo *t, enum np_obj_type type,
				    const struct np_cpuset *within, const struct np_obj **objs)
{
	unsigned int n = 0;

	np_cpuset_foreach(c, within) {
		const struct np_obj *o = np_topo_obj_of_cpu(t, type, (unsigned int)c);
		unsigned int j = 0;

		if (!o || (type == NP_OBJ_LLC && !is_cache(o)) || (n && objs[n - 1] == o))
			continue;
		while (j < n && objs[j] != o)
			j++;
		if (j < n)
			continue;
		while (j > 0 && np_cpuset_first(objs[j - 1]->cpuset) > np_cpuset_first(o->cpuset))
			j--;
		memmove(&objs[j + 1], &objs[j], (n - j) * sizeof(*objs));
		objs[j] = o;
		n++;
	}
	return n;
}

/*
 * The objects of the shown level @order[0] meeting @within, each clipped to it, with the
 * levels below inside; the CPUs the level does not place (no node, no package id, no cache)
 * are shown one level up.
 */
static void print_level(struct tree *tr, const struct np_cpuset *within, int depth,
			const enum np_obj_type *order, int n)
{
	const struct np_topo *t = tr->t;
	const struct np_obj **objs;
	struct np_cpuset *in = NULL, *rest = NULL;
	unsigned int nobj;

	if (n == 0) {
		print_cores(tr, within, depth);
		return;
	}
	objs = calloc(np_topo_obj_count(t, order[0]) + 1, sizeof(*objs));
	if (!objs || np_cpuset_new(np_topo_cpu_size(t), &in) < 0 ||
	    np_cpuset_dup(within, &rest) < 0)
		goto out;
	nobj = objects_meeting(t, order[0], within, objs);
	for (unsigned int i = 0; i < nobj; i++) {
		np_cpuset_and(in, objs[i]->cpuset, within);
		np_cpuset_andnot(rest, rest, in);
		print_header(tr, objs[i], in, depth);
		print_level(tr, in, depth + 1, order + 1, n - 1);
	}
	if (!np_cpuset_empty(rest))
		print_level(tr, rest, depth, order + 1, n - 1);
out:
	np_cpuset_free(rest);
	np_cpuset_free(in);
	free(objs);
}

/* how many objects of a shown level there are (LLC: the real caches among the LLCs) */
static unsigned int shown_count(const struct np_topo *t, enum np_obj_type type)
{
	unsigned int n = 0;

	if (type != NP_OBJ_LLC)
		return np_topo_obj_count(t, type);
	for (unsigned int i = 0; i < np_topo_obj_count(t, type); i++)
		n += is_cache(np_topo_obj(t, type, i));
	return n;
}

/*
 * The shown levels, outermost first: packages and nodes as the tree nests them (nodes first
 * when they hold packages), then the last-level cache; a level with one core per object says
 * nothing and is left out, except packages above nodes.
 */
static int shown_levels(const struct np_topo *t, enum np_obj_type *order)
{
	const struct np_obj *pkg = np_topo_obj(t, NP_OBJ_PACKAGE, 0);
	unsigned int ncores = np_topo_obj_count(t, NP_OBJ_CORE);
	int n = 0;

	if (pkg && np_obj_ancestor(pkg, NP_OBJ_NODE)) {
		order[n++] = NP_OBJ_NODE;
		if (shown_count(t, NP_OBJ_PACKAGE) != ncores)
			order[n++] = NP_OBJ_PACKAGE;
	} else {
		if (pkg)
			order[n++] = NP_OBJ_PACKAGE;
		if (shown_count(t, NP_OBJ_NODE))
			order[n++] = NP_OBJ_NODE;
	}
	if (shown_count(t, NP_OBJ_LLC) && shown_count(t, NP_OBJ_LLC) != ncores)
		order[n++] = NP_OBJ_LLC;
	return n;
}

/* "cpu: Intel(R) Xeon(R) ...": a line only where cpuinfo names the model */
static void print_model(const struct np_topo *t)
{
	char *model = NULL;

	if (np_topo_cpu_model(t, &model) == 0)
		printf("cpu: %s\n", model);
	free(model);
}

static void print_summary(const struct tree *tr)
{
	const struct np_topo *t = tr->t;
	const struct np_cpuset *online = np_topo_online_cpus(t);
	struct np_cpuset *off = NULL;

	printf("machine: %u package%s, %u node%s, %u core%s, %u CPU%s online (",
	       np_topo_obj_count(t, NP_OBJ_PACKAGE),
	       np_topo_obj_count(t, NP_OBJ_PACKAGE) == 1 ? "" : "s", np_topo_node_count(t),
	       np_topo_node_count(t) == 1 ? "" : "s", np_topo_obj_count(t, NP_OBJ_CORE),
	       np_topo_obj_count(t, NP_OBJ_CORE) == 1 ? "" : "s", np_cpuset_weight(online),
	       np_cpuset_weight(online) == 1 ? "" : "s");
	print_set(online);
	printf(")\n");
	print_model(t);
	if (np_cpuset_dup(np_topo_present_cpus(t), &off) == 0 &&
	    np_cpuset_andnot(off, off, online) == 0 && !np_cpuset_empty(off)) {
		printf("offline: ");
		print_set(off);
		putchar('\n');
	}
	np_cpuset_free(off);
	if (tr->allowed && !np_cpuset_subset(online, tr->allowed)) {
		printf("allowed: ");
		print_set(tr->allowed);
		printf(" (CPUs marked ! are not)\n");
	}
	if (tr->isolated && !np_cpuset_empty(tr->isolated)) {
		printf("isolated: ");
		print_set(tr->isolated);
		printf(" (marked ~)\n");
	}
}

/*
 * A CPU-less node's kind, from HMAT: its read bandwidth from its CPU initiators against the
 * bandwidth of those initiators' own memory.  More is HBM, less a slow tier (NVM, CXL), the
 * same plain DRAM; lstopo guesses its DRAM/HBM/NVM labels from the same numbers and from how
 * the memory was set up (DAX).  Without HMAT nothing is known and nothing is printed.
 */
static void print_node_kind(const struct np_topo *t, const struct np_node *n)
{
	struct np_access far, own;
	const char *kind = "DRAM";
	int init;

	if (np_topo_node_access(t, n->id, NP_ACCESS_CPU, &far) < 0)
		return;
	init = np_cpuset_first(far.initiators);
	if (init < 0)
		return;
	if (np_topo_node_access(t, (unsigned int)init, NP_ACCESS_CPU, &own) == 0 &&
	    far.read_bandwidth && own.read_bandwidth) {
		if (far.read_bandwidth > own.read_bandwidth)
			kind = "HBM";
		else if (far.read_bandwidth < own.read_bandwidth)
			kind = "slow tier";
		printf(", %s for node%s ", kind, np_cpuset_weight(far.initiators) > 1 ? "s" : "");
		print_set(far.initiators);
		printf(" (read %llu MB/s, node %d's own %llu)", far.read_bandwidth, init,
		       own.read_bandwidth);
		return;
	}
	printf(", memory for node%s ", np_cpuset_weight(far.initiators) > 1 ? "s" : "");
	print_set(far.initiators);
}

/* ", memory of gpu0 (near cpus 0-15)": the devices whose own memory this node is */
static void print_memory_of(const struct np_topo *t, unsigned int node)
{
	for (unsigned int i = 0; i < np_topo_device_count(t); i++) {
		const struct np_device *d = np_topo_device(t, i);
		const struct np_cpuset *local = d ? np_device_local_cpus(d) : NULL;

		if (!d || np_device_memory_node(d) != (int)node)
			continue;
		printf(", memory of %s", np_device_name(d) ? np_device_name(d) : "?");
		if (local && !np_cpuset_empty(local)) {
			printf(" (near cpus ");
			print_set(local);
			putchar(')');
		}
	}
}

static void print_cpuless_nodes(const struct tree *tr)
{
	const struct np_topo *t = tr->t;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (np_cpuset_intersects(n->cpus, np_topo_online_cpus(t)))
			continue;
		printf("node %u: no CPUs", n->id);
		print_memory(t, n);
		print_node_kind(t, n);
		print_memory_of(t, n->id);
		putchar('\n');
		print_devices(t, (int)n->id, 1, tr->verbose);
	}
}

static void print_distances(const struct np_topo *t)
{
	unsigned int n = np_topo_node_count(t);

	if (n < 2)
		return;
	printf("distances:\n%5s", "");
	for (unsigned int j = 0; j < n; j++)
		printf(" %4u", np_topo_node(t, j)->id);
	putchar('\n');
	for (unsigned int i = 0; i < n; i++) {
		printf("%5u", np_topo_node(t, i)->id);
		for (unsigned int j = 0; j < n; j++) {
			int d = np_topo_distance(t, np_topo_node(t, i)->id, np_topo_node(t, j)->id);

			if (d < 0)
				printf(" %4s", "-");
			else
				printf(" %4d", d);
		}
		putchar('\n');
	}
}

void topo_print_text(const struct np_topo *t, bool verbose)
{
	struct tree tr = { .t = t, .verbose = verbose, .allowed = np_topo_allowed_cpus(t),
			   .isolated = np_topo_isolated_cpus(t) };
	enum np_obj_type order[4];
	int n = shown_levels(t, order);

	if (np_cpuset_new(np_topo_cpu_size(t), &tr.tmp) < 0)
		return;
	print_summary(&tr);
	print_level(&tr, np_topo_online_cpus(t), 1, order, n);
	print_cpuless_nodes(&tr);
	print_devices(t, -1, 0, verbose);
	print_distances(t);
	topo_print_memory_text(t);
	np_cpuset_free(tr.tmp);
}
