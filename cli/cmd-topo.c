/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-topo.c - `numaplace topo`: the machine as a tree (machine, package, node, L3, cores
 * with their SMT threads), memory per node, the distance matrix, devices, and the CPUs this
 * process may not use; or, with --json, the whole model.
 *
 * Terminology:
 *  run      consecutive cores of one L3 that look the same (same number of threads, same
 *           kind, none isolated or disallowed): printed as one line unless -v.
 *  marks    after a CPU: '!' disallowed (outside this process's affinity or cpuset),
 *           '~' isolated by the kernel (isolcpus=, nohz_full=), '-' offline.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct topo_opts {
	const char *sysroot;
	bool json;
	bool verbose;
};

static void usage(void)
{
	printf("Usage: numaplace topo [--sysroot DIR] [--json] [-v]\n\n"
	       "Show the machine: packages, NUMA nodes, caches, cores and their threads, memory,\n"
	       "distances and devices.\n\n"
	       "Options:\n"
	       "  --sysroot DIR  read a captured tree (see 'numaplace capture') instead of this machine\n"
	       "  --json         print the whole model as JSON\n"
	       "  -v, --verbose  print every core and cache, not runs of identical cores\n"
	       "  -h, --help     show this help\n\n"
	       "Marks: '!' CPU this process may not use, '~' isolated CPU, '-' offline CPU.\n");
}

static int parse_opts(int argc, char **argv, struct topo_opts *o)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			o->sysroot = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage();
			return 1;
		default:
			return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	return 0;
}

/* ---- JSON ---- */

static void json_id(struct json *j, const char *key, int v)
{
	if (v < 0)
		json_null(j, key);
	else
		json_int(j, key, v);
}

static const char *kind_name(enum np_cpu_kind k)
{
	return k == NP_CPU_KIND_PERFORMANCE ? "performance"
	       : k == NP_CPU_KIND_EFFICIENCY ? "efficiency"
					     : NULL;
}

static const char *cache_type_name(enum np_cache_type t)
{
	return t == NP_CACHE_DATA ? "data" : t == NP_CACHE_INSTRUCTION ? "instruction" : "unified";
}

/* a CPU; dies, clusters, books and drawers only where the machine has them */
static void json_cpu(struct json *j, const struct np_topo *t, const struct np_cpu *c)
{
	json_obj_begin(j, NULL);
	json_int(j, "id", c->id);
	json_bool(j, "online", c->online);
	if (!c->present)
		json_bool(j, "present", false);
	json_id(j, "package", c->package);
	if (np_topo_group_count(t, NP_LEVEL_DIE))
		json_id(j, "die", c->die);
	if (np_topo_group_count(t, NP_LEVEL_CLUSTER))
		json_id(j, "cluster", c->cluster);
	json_id(j, "core", c->core_index);
	if (c->core >= 0)
		json_int(j, "core_id", c->core);
	if (c->book >= 0 || c->drawer >= 0) {
		json_id(j, "book", c->book);
		json_id(j, "drawer", c->drawer);
	}
	json_id(j, "node", c->node);
	if (c->kind != NP_CPU_KIND_UNKNOWN)
		json_str(j, "kind", kind_name(c->kind));
	if (c->capacity)
		json_uint(j, "capacity", c->capacity);
	if (c->max_khz) {
		json_uint(j, "min_khz", c->min_khz);
		if (c->base_khz)
			json_uint(j, "base_khz", c->base_khz);
		json_uint(j, "max_khz", c->max_khz);
	}
	json_obj_end(j);
}

static bool same_cache_kind(const struct np_cache *a, const struct np_cache *b)
{
	return a->level == b->level && a->type == b->type && a->size == b->size &&
	       a->line_size == b->line_size && a->ways == b->ways;
}

/*
 * Whether caches [@from, @to) are each exactly the online CPUs of one core, one per core;
 * then @cpus receives the CPUs they cover.
 */
static bool per_core(const struct np_topo *t, unsigned int from, unsigned int to,
		     struct np_cpuset *cpus)
{
	unsigned int total = 0;

	np_cpuset_zero(cpus);
	for (unsigned int i = from; i < to; i++) {
		const struct np_cpuset *c = np_topo_cache(t, i)->cpus;
		int first = np_cpuset_first(c);
		const struct np_cpuset *core =
			first < 0 ? NULL : np_topo_cpu_siblings(t, (unsigned int)first, NP_LEVEL_CORE);

		if (!core || !np_cpuset_equal(core, c) || np_cpuset_or(cpus, cpus, c) < 0)
			return false;
		total += np_cpuset_weight(c);
	}
	return total == np_cpuset_weight(cpus);
}

/*
 * Caches, one object per kind (level, type, size, line, ways) with the CPUs of each instance,
 * or "per": "core" and the CPUs covered when there is one for each of those cores: a 128-core
 * machine has 400 caches and five kinds.
 */
static void json_caches(struct json *j, const struct np_topo *t)
{
	unsigned int n = np_topo_cache_count(t), end;
	struct np_cpuset *cpus = NULL;

	if (np_cpuset_new(np_topo_cpu_size(t), &cpus) < 0)
		cpus = NULL; /* then every kind lists its instances */
	json_arr_begin(j, "caches");
	for (unsigned int i = 0; i < n;) {
		const struct np_cache *c = np_topo_cache(t, i);

		json_obj_begin(j, NULL);
		json_uint(j, "level", c->level);
		json_str(j, "type", cache_type_name(c->type));
		json_uint(j, "size", c->size);
		json_uint(j, "line_size", c->line_size);
		json_uint(j, "ways", c->ways);
		end = i;
		while (end < n && same_cache_kind(c, np_topo_cache(t, end)))
			end++;
		json_uint(j, "count", end - i);
		/* one instance per core (L1, most L2): said once rather than listed per core */
		if (cpus && per_core(t, i, end, cpus)) {
			json_str(j, "per", "core");
			json_cpuset(j, "cpus", cpus);
			i = end;
		} else {
			json_arr_begin(j, "instances");
			for (; i < end; i++)
				json_cpuset(j, NULL, np_topo_cache(t, i)->cpus);
			json_arr_end(j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	np_cpuset_free(cpus);
}

/* HMAT: the access classes the node has, and its memory-side caches */
static void json_hmat(struct json *j, const struct np_topo *t, unsigned int node)
{
	unsigned int n = np_topo_node_memcache_count(t, node);
	struct np_access a;

	json_arr_begin(j, "access");
	for (unsigned int c = NP_ACCESS_ANY; c <= NP_ACCESS_CPU; c++) {
		if (np_topo_node_access(t, node, c, &a) < 0)
			continue;
		json_obj_begin(j, NULL);
		json_uint(j, "class", c);
		json_cpuset(j, "initiators", a.initiators);
		json_uint(j, "read_latency_ns", a.read_latency);
		json_uint(j, "write_latency_ns", a.write_latency);
		json_uint(j, "read_bandwidth_mbs", a.read_bandwidth);
		json_uint(j, "write_bandwidth_mbs", a.write_bandwidth);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "memory_side_caches");
	for (unsigned int i = 0; i < n; i++) {
		struct np_memcache m;

		if (np_topo_node_memcache(t, node, i, &m) < 0)
			continue;
		json_obj_begin(j, NULL);
		json_uint(j, "level", m.level);
		json_uint(j, "size", m.size);
		json_uint(j, "line_size", m.line_size);
		json_str(j, "indexing", np_memcache_indexing_name(m.indexing));
		json_str(j, "write_policy", np_memcache_write_policy_name(m.write_policy));
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_node(struct json *j, const struct np_topo *t, const struct np_node *n)
{
	json_obj_begin(j, NULL);
	json_int(j, "id", n->id);
	json_bool(j, "online", n->online);
	if (n->implicit)
		json_bool(j, "implicit", true);
	json_cpuset(j, "cpus", n->cpus);
	if (n->mem_total >= 0)
		json_int(j, "mem_total", n->mem_total);
	else
		json_null(j, "mem_total");
	if (n->mem_free >= 0)
		json_int(j, "mem_free", n->mem_free);
	else
		json_null(j, "mem_free");
	json_arr_begin(j, "hugepages");
	for (unsigned int i = 0; i < n->nhugepages; i++) {
		json_obj_begin(j, NULL);
		json_uint(j, "size", n->hugepages[i].page_size);
		json_uint(j, "total", n->hugepages[i].total);
		json_uint(j, "free", n->hugepages[i].free);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_hmat(j, t, n->id);
	json_arr_begin(j, "distances");
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int d = np_topo_distance(t, n->id, np_topo_node(t, i)->id);

		if (d < 0)
			json_null(j, NULL);
		else
			json_int(j, NULL, d);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_devices(struct json *j, const struct np_topo *t)
{
	json_arr_begin(j, "devices");
	for (unsigned int i = 0; i < np_topo_device_count(t); i++) {
		const struct np_device *d = np_topo_device(t, i);

		if (!d)
			continue;
		json_obj_begin(j, NULL);
		json_str(j, "name", np_device_name(d));
		json_str(j, "class", np_device_class(d));
		json_str(j, "pci", np_device_pci_address(d));
		json_id(j, "node", np_device_node(d));
		json_cpuset(j, "local_cpus", np_device_local_cpus(d));
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* This process's limits; the sets the extras module does not know yet are left out. */
static void json_limits(struct json *j, const struct np_topo *t)
{
	const struct np_cpuset *cpus = np_topo_allowed_cpus(t), *nodes = np_topo_allowed_nodes(t);

	if (cpus || nodes) {
		json_obj_begin(j, "allowed");
		json_cpuset(j, "cpus", cpus);
		json_cpuset(j, "nodes", nodes);
		json_obj_end(j);
	}
	if (np_topo_cgroup_cpus(t) || np_topo_cgroup_nodes(t)) {
		json_obj_begin(j, "cgroup");
		json_cpuset(j, "cpus", np_topo_cgroup_cpus(t));
		json_cpuset(j, "nodes", np_topo_cgroup_nodes(t));
		json_obj_end(j);
	}
	if (np_topo_isolated_cpus(t))
		json_cpuset(j, "isolated", np_topo_isolated_cpus(t));
	if (np_topo_nohz_full_cpus(t))
		json_cpuset(j, "nohz_full", np_topo_nohz_full_cpus(t));
}

static void print_json(const struct np_topo *t)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "sysroot", np_topo_sysroot(t));
	json_cpuset(&j, "possible", np_topo_possible_cpus(t));
	json_cpuset(&j, "present", np_topo_present_cpus(t));
	json_cpuset(&j, "online", np_topo_online_cpus(t));
	json_arr_begin(&j, "cpus");
	np_cpuset_foreach(c, np_topo_possible_cpus(t)) {
		const struct np_cpu *cpu = np_topo_cpu(t, (unsigned int)c);

		/* possible-only CPUs (cpu/possible 0-8191 on some kernels) carry nothing */
		if (cpu->present || cpu->online)
			json_cpu(&j, t, cpu);
	}
	json_arr_end(&j);
	json_caches(&j, t);
	json_arr_begin(&j, "nodes");
	for (unsigned int i = 0; i < np_topo_node_count(t); i++)
		json_node(&j, t, np_topo_node(t, i));
	json_arr_end(&j);
	json_limits(&j, t);
	json_devices(&j, t);
	json_obj_end(&j);
	json_finish(&j);
}

/* ---- text ---- */

struct tree {
	const struct np_topo *t;
	bool verbose;
	const struct np_cpuset *allowed;  /* NULL: unknown, nothing marked */
	const struct np_cpuset *isolated; /* NULL: none known */
	struct np_cpuset *tmp;
};

/* "32 KiB", "1.5 MiB", "62.5 GiB" */
static const char *human(unsigned long long bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	unsigned int u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (v == (double)(unsigned long long)v)
		snprintf(buf, size, "%llu %s", (unsigned long long)v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
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
	unsigned int ncores = np_topo_group_count(t, NP_LEVEL_CORE);
	struct run run = { .cpus = tr->tmp };

	if (np_cpuset_new(ncores ? ncores : 1, &run.indices) < 0)
		return;
	np_cpuset_zero(run.cpus);
	for (unsigned int i = 0; i < ncores; i++) {
		const struct np_cpuset *core = np_topo_group(t, NP_LEVEL_CORE, i);
		const struct np_cpu *c = np_topo_cpu(t, (unsigned int)np_cpuset_first(core));
		unsigned int n = np_cpuset_weight(core);

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

static void print_header(const struct tree *tr, enum np_level l, const struct np_cpuset *g,
			 const struct np_cpuset *in, int depth)
{
	const struct np_topo *t = tr->t;
	const struct np_cpu *c = np_topo_cpu(t, (unsigned int)np_cpuset_first(in));
	const struct np_cache *llc = np_topo_cpu_llc(t, c->id);
	char b[32];

	indent_to(depth);
	if (l == NP_LEVEL_PACKAGE) {
		printf("package %d: cpus ", c->package);
		print_set(in);
	} else if (l == NP_LEVEL_NODE) {
		printf("node %d: cpus ", c->node);
		print_set(in);
		print_memory(t, np_topo_node_by_id(t, (unsigned int)c->node));
	} else {
		printf("L%u %s: cpus ", llc->level, human(llc->size, b, sizeof(b)));
		print_set(in);
	}
	if (!np_cpuset_equal(g, in)) {
		printf(" (of ");
		print_set(g);
		putchar(')');
	}
	putchar('\n');
	if (l == NP_LEVEL_NODE)
		print_devices(t, c->node, depth + 1, tr->verbose);
}

static void print_level(struct tree *tr, const struct np_cpuset *within, int depth,
			const enum np_level *order, int n)
{
	const struct np_topo *t = tr->t;
	struct np_cpuset *in, *rest;

	if (n == 0) {
		print_cores(tr, within, depth);
		return;
	}
	if (np_cpuset_new(np_topo_cpu_size(t), &in) < 0)
		return;
	if (np_cpuset_dup(within, &rest) < 0) {
		np_cpuset_free(in);
		return;
	}
	for (unsigned int i = 0; i < np_topo_group_count(t, order[0]); i++) {
		const struct np_cpuset *g = np_topo_group(t, order[0], i);

		np_cpuset_and(in, g, within);
		if (np_cpuset_empty(in))
			continue;
		np_cpuset_andnot(rest, rest, in);
		print_header(tr, order[0], g, in, depth);
		print_level(tr, in, depth + 1, order + 1, n - 1);
	}
	/* CPUs the level does not place (no node, no package id): shown one level up */
	if (!np_cpuset_empty(rest))
		print_level(tr, rest, depth, order + 1, n - 1);
	np_cpuset_free(rest);
	np_cpuset_free(in);
}

/* whether every group of @outer is no bigger than one core (the level says nothing) */
static bool level_is_cores(const struct np_topo *t, enum np_level l)
{
	return np_topo_group_count(t, l) == np_topo_group_count(t, NP_LEVEL_CORE);
}

/*
 * Which levels to print, outermost first: packages and nodes (the larger first), then the
 * last-level cache; a level with one core per group is left out (POWER's per-core packages
 * and L3s would otherwise cost three lines a core).
 */
static int tree_order(const struct np_topo *t, enum np_level *order)
{
	unsigned int np = np_topo_group_count(t, NP_LEVEL_PACKAGE);
	unsigned int nn = np_topo_group_count(t, NP_LEVEL_NODE);
	int n = 0;

	if (np > nn && nn) {
		order[n++] = NP_LEVEL_NODE;
		if (!level_is_cores(t, NP_LEVEL_PACKAGE))
			order[n++] = NP_LEVEL_PACKAGE;
	} else {
		if (np)
			order[n++] = NP_LEVEL_PACKAGE;
		if (nn)
			order[n++] = NP_LEVEL_NODE;
	}
	if (np_topo_group_count(t, NP_LEVEL_LLC) && !level_is_cores(t, NP_LEVEL_LLC))
		order[n++] = NP_LEVEL_LLC;
	return n;
}

static void print_summary(const struct tree *tr)
{
	const struct np_topo *t = tr->t;
	const struct np_cpuset *online = np_topo_online_cpus(t);
	struct np_cpuset *off = NULL;

	printf("machine: %u package%s, %u node%s, %u core%s, %u CPU%s online (",
	       np_topo_group_count(t, NP_LEVEL_PACKAGE),
	       np_topo_group_count(t, NP_LEVEL_PACKAGE) == 1 ? "" : "s", np_topo_node_count(t),
	       np_topo_node_count(t) == 1 ? "" : "s", np_topo_group_count(t, NP_LEVEL_CORE),
	       np_topo_group_count(t, NP_LEVEL_CORE) == 1 ? "" : "s", np_cpuset_weight(online),
	       np_cpuset_weight(online) == 1 ? "" : "s");
	print_set(online);
	printf(")\n");
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

static void print_cpuless_nodes(const struct tree *tr)
{
	const struct np_topo *t = tr->t;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (np_cpuset_intersects(n->cpus, np_topo_online_cpus(t)))
			continue;
		printf("node %u: no CPUs", n->id);
		print_memory(t, n);
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

static void print_tree(const struct np_topo *t, bool verbose)
{
	struct tree tr = { .t = t, .verbose = verbose, .allowed = np_topo_allowed_cpus(t),
			   .isolated = np_topo_isolated_cpus(t) };
	enum np_level order[4];
	int n = tree_order(t, order);

	if (np_cpuset_new(np_topo_cpu_size(t), &tr.tmp) < 0)
		return;
	print_summary(&tr);
	print_level(&tr, np_topo_online_cpus(t), 1, order, n);
	print_cpuless_nodes(&tr);
	print_devices(t, -1, 0, verbose);
	print_distances(t);
	np_cpuset_free(tr.tmp);
}

int cmd_topo(int argc, char **argv)
{
	struct topo_opts o = { 0 };
	struct np_topo *t;
	int r = parse_opts(argc, argv, &o);

	if (r)
		return r == 1 ? 0 : r;
	r = np_topo_load(o.sysroot, 0, &t);
	if (r < 0) {
		cli_error_errno(r, "cannot read the topology of '%s'", o.sysroot ? o.sysroot : "/");
		return r;
	}
	if (o.json)
		print_json(t);
	else
		print_tree(t, o.verbose);
	np_topo_free(t);
	return 0;
}
