/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-bench.c - `numaplace bench`: measure what placement buys.  Sub-commands: memory
 * (latency and bandwidth matrices, CPU node x memory node, beside the firmware's SLIT), c2c
 * (core-to-core latency), affinity (the seed's compute loop pinned and not) and local-remote
 * (the seed's column-order fill, memory local and remote).
 *
 * Terminology:
 *  cpu node  a NUMA node with CPUs this process may use: a row of the memory matrix.
 *  mem node  a NUMA node with memory this process may use: a column (memory-only nodes too).
 *  cell      one (cpu node, mem node) pair; "-" where the mem node lacks the free memory.
 *  SLIT ratio  a cell's measured latency over its row's reference (the nearest node with
 *            memory), beside the firmware's distance / 10 for the same pair.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "svg.h"
#include "numaplace-bench.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define DEFAULT_SIZE GiB
#define QUICK_MIN_SIZE (64 * MiB)

/* ---- option values ---- */

/*
 * Sizes: "4096", "64K", "512M", "1G" (also KiB, MiB, GiB) are powers of 1024; "1GB", "500MB",
 * "64kB" are powers of 1000, as likwid-bench -w reads them.
 */
static int parse_size(const char *s, uint64_t *ret)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} units[] = {
		{ "", 1 },          { "K", 1ull << 10 }, { "KiB", 1ull << 10 }, { "M", MiB },
		{ "MiB", MiB },     { "G", GiB },        { "GiB", GiB },        { "T", 1ull << 40 },
		{ "TiB", 1ull << 40 }, { "kB", 1000 },   { "KB", 1000 },        { "MB", 1000000 },
		{ "GB", 1000000000 }, { "TB", 1000000000000ull },
	};
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EOVERFLOW;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v > UINT64_MAX / units[i].mult)
			return -EOVERFLOW;
		*ret = v * units[i].mult;
		return 0;
	}
	return -EINVAL;
}

/* a positive count: "1000000000" or "1e9" */
static int parse_count(const char *s, uint64_t *ret)
{
	unsigned long long v;
	char *end;
	double d;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'e' || *end == 'E') {
		d = strtod(s, &end);
		if (*end || d > 1e18 || d != floor(d))
			return -EINVAL;
		v = (unsigned long long)d;
	} else if (errno || *end) {
		return errno ? -EOVERFLOW : -EINVAL;
	}
	if (v == 0)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* a CPU or node number: 0 or a count up to 100000 */
static int parse_index(const char *s, int *ret)
{
	uint64_t v = 0;
	int r = strcmp(s, "0") == 0 ? 0 : parse_count(s, &v);

	if (r < 0 || v > 100000)
		return r < 0 ? r : -ERANGE;
	*ret = (int)v;
	return 0;
}

static int bad_value(const char *opt, const char *val, int err)
{
	cli_error("invalid %s '%s': %s", opt, val, np_strerror(err));
	return CLI_USAGE;
}

/* option @opt's count: 1 to @max, or a usage error */
static int count_opt(const char *opt, const char *val, uint64_t max, uint64_t *ret)
{
	uint64_t v;
	int r = parse_count(val, &v);

	if (r < 0 || v > max)
		return bad_value(opt, val, r < 0 ? r : -ERANGE);
	*ret = v;
	return 0;
}

/* option @opt's CPU or node number, or a usage error */
static int index_opt(const char *opt, const char *val, int *ret)
{
	int r = parse_index(val, ret);

	return r < 0 ? bad_value(opt, val, r) : 0;
}

static void human_size(char *buf, size_t size, uint64_t bytes)
{
	if (bytes % GiB == 0)
		snprintf(buf, size, "%llu GiB", (unsigned long long)(bytes / GiB));
	else if (bytes % MiB == 0)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes / MiB));
	else if (bytes >= 10 * MiB)
		snprintf(buf, size, "%.1f MiB", (double)bytes / MiB);
	else if (bytes % 1024 == 0)
		snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes / 1024));
	else
		snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
}

static double mean_of(const double *v, unsigned int n)
{
	double s = 0;

	for (unsigned int i = 0; i < n; i++)
		s += v[i];
	return s / n;
}

static double min_of(const double *v, unsigned int n)
{
	double m = INFINITY;

	for (unsigned int i = 0; i < n; i++)
		m = fmin(m, v[i]);
	return m;
}

static double stddev_of(const double *v, unsigned int n)
{
	double m = mean_of(v, n), s = 0;

	for (unsigned int i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return n > 1 ? sqrt(s / (n - 1)) : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the machine as the benchmarks need it ---- */

struct bnode {
	int id;
	struct np_cpuset *cpus; /* allowed online CPUs of the node; empty for memory-only */
	bool has_memory;        /* allowed, and has memory */
	long long mem_free;     /* bytes, -1 when unknown */
};

struct machine {
	struct np_topo *topo;
	unsigned int nnodes;
	struct bnode *nodes;
	struct np_cpuset *cpus;        /* every CPU this process may use */
	unsigned long long llc_total;  /* sum of the last-level caches, 0 when unknown */
	unsigned int line;             /* cache line size, 64 when unknown */
};

static void machine_free(struct machine *m)
{
	for (unsigned int i = 0; i < m->nnodes; i++)
		np_cpuset_free(m->nodes[i].cpus);
	free(m->nodes);
	np_cpuset_free(m->cpus);
	np_topo_free(m->topo);
	*m = (struct machine){ 0 };
}

/* the nodes this process may use, with their allowed online CPUs and free memory */
static int machine_nodes(struct machine *m)
{
	const struct np_cpuset *nodes = np_topo_nodes(m->topo);
	const struct np_cpuset *mems = np_topo_allowed_nodes(m->topo);
	const struct np_cpuset *memory = np_topo_memory_nodes(m->topo);
	int r;

	m->nodes = calloc(np_cpuset_weight(nodes) + 1, sizeof(*m->nodes));
	if (!m->nodes)
		return -ENOMEM;
	np_cpuset_foreach(id, nodes) {
		const struct np_node *n = np_topo_node_by_id(m->topo, (unsigned int)id);
		struct bnode *b = &m->nodes[m->nnodes];

		if (!n || !n->online)
			continue;
		r = np_cpuset_new(np_cpuset_size(m->cpus), &b->cpus);
		if (r < 0)
			return r;
		m->nnodes++;
		b->id = id;
		r = np_cpuset_and(b->cpus, n->cpus, m->cpus);
		if (r < 0)
			return r;
		b->has_memory = np_cpuset_isset(memory, (unsigned int)id) &&
				(!mems || np_cpuset_isset(mems, (unsigned int)id));
		b->mem_free = n->mem_free;
	}
	return 0;
}

/* the sum of the distinct last-level caches of the allowed CPUs, and their line size */
static void machine_caches(struct machine *m)
{
	m->line = 64;
	for (unsigned int i = 0; i < np_topo_cache_count(m->topo); i++) {
		const struct np_cache *c = np_topo_cache(m->topo, i);
		int first = np_cpuset_first(c->cpus);
		const struct np_cache *llc = first >= 0 ? np_topo_cpu_llc(m->topo, (unsigned int)first)
							: NULL;

		if (llc != c || !np_cpuset_intersects(c->cpus, m->cpus))
			continue;
		m->llc_total += c->size;
		if (c->line_size)
			m->line = c->line_size;
	}
}

static int machine_load(struct machine *m)
{
	const struct np_cpuset *allowed, *online;
	int r;

	*m = (struct machine){ 0 };
	r = np_topo_load(NULL, 0, &m->topo);
	if (r < 0) {
		cli_error_errno(r, "cannot read the topology");
		return r;
	}
	allowed = np_topo_allowed_cpus(m->topo);
	online = np_topo_online_cpus(m->topo);
	r = np_cpuset_dup(online, &m->cpus);
	if (r == 0 && allowed)
		r = np_cpuset_and(m->cpus, online, allowed);
	if (r == 0)
		r = machine_nodes(m);
	if (r < 0) {
		cli_error_errno(r, "cannot read the topology");
		machine_free(m);
		return r;
	}
	machine_caches(m);
	return 0;
}

static int distance(const struct machine *m, int from, int to)
{
	int d = np_topo_distance(m->topo, (unsigned int)from, (unsigned int)to);

	/* one implicit node has no distance file; the firmware would call it local */
	if (d < 0 && from == to && m->nnodes == 1)
		return 10;
	return d;
}

static int node_of_cpu(const struct machine *m, int cpu)
{
	for (unsigned int i = 0; i < m->nnodes; i++)
		if (np_cpuset_isset(m->nodes[i].cpus, (unsigned int)cpu))
			return (int)i;
	return -1;
}

static bool quiet;

PRINTF_LIKE(1, 2) static void progress(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	fprintf(stderr, "%s: ", program_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- bench memory ---- */

struct mem_cell {
	bool available;
	const char *why;          /* when not available */
	struct np_bench_latency lat;
	struct np_bench_bandwidth bw[NP_BENCH_NKERNELS];
	int distance;
	double lat_ratio;         /* vs the row's reference cell; NaN when none */
};

struct mem_args {
	struct np_bench_mem_opts o;
	unsigned int threads;     /* 0: all CPUs of the node */
	bool latency, bandwidth, json, quick;
	bool kernel[NP_BENCH_NKERNELS];
	const char *svg;
};

struct mem_run {
	struct machine m;
	struct mem_args a;
	unsigned int nrows, ncols;
	unsigned int *row, *col;  /* indexes into m.nodes */
	struct mem_cell *cells;   /* [r * ncols + c] */
};

static void memory_usage(FILE *f)
{
	fprintf(f,
		"Usage: numaplace bench memory [OPTIONS]\n\n"
		"Idle latency and bandwidth from every CPU node (rows) to every memory node\n"
		"(columns), with the firmware's SLIT distance beside the measured latency ratio.\n\n"
		"  -s, --size SIZE         buffer: the chase, and the bandwidth working set of all\n"
		"                          arrays and threads [1G; at least 4x the last-level caches]\n"
		"                          (K, M, G are powers of 1024; kB, MB, GB of 1000)\n"
		"  -t, --threads N         bandwidth threads per CPU node [all its CPUs]\n"
		"  -k, --kernel LIST       bandwidth kernels: read,copy,triad [all]\n"
		"      --latency-only      measure latency only\n"
		"      --bandwidth-only    measure bandwidth only\n"
		"  -H, --hugepages         transparent huge pages (madvise) instead of 4 KiB pages\n"
		"  -b, --random-block SIZE random order inside blocks of SIZE, blocks in order\n"
		"                          (bounds TLB misses) [whole buffer]\n"
		"      --trials N          latency trials [5]\n"
		"      --loads N           loads per latency trial [1e7]\n"
		"      --reps N            bandwidth repetitions counted, after one untimed [10]\n"
		"  -q, --quick             a run of a few seconds: smaller buffer, fewer loads and\n"
		"                          repetitions (figures are rougher)\n"
		"      --quiet             no progress on stderr\n"
		"  -j, --json              JSON on stdout\n"
		"      --svg FILE          write the matrices as an SVG heatmap to FILE\n"
		"  -h, --help              this text\n\n"
		"Bandwidth is in MB/s with MB = 10^6 bytes, bytes counted as STREAM counts them\n"
		"(read 8, copy 16, triad 24 bytes per element; write-allocate traffic not counted).\n"
		"Each repetition runs from a barrier to the slowest thread: the best and the average\n"
		"are printed; --json adds mb_per_s_sustained, each thread's own time summed over the\n"
		"repetitions as likwid-bench counts it.\n");
}

static int parse_kernels(struct mem_args *a, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	memset(a->kernel, 0, sizeof(a->kernel));
	for (tok = strtok_r(copy, ",", &save); tok && r == 0; tok = strtok_r(NULL, ",", &save)) {
		int k;

		for (k = 0; k < NP_BENCH_NKERNELS; k++)
			if (strcmp(tok, np_bench_kernel_name((enum np_bench_kernel)k)) == 0)
				break;
		if (k == NP_BENCH_NKERNELS)
			r = -EINVAL;
		else
			a->kernel[k] = true;
	}
	free(copy);
	if (r == 0 && !a->kernel[0] && !a->kernel[1] && !a->kernel[2])
		r = -EINVAL;
	return r;
}

enum {
	OPT_LATENCY_ONLY = 0x100,
	OPT_BANDWIDTH_ONLY,
	OPT_TRIALS,
	OPT_LOADS,
	OPT_REPS,
	OPT_QUIET,
	OPT_SVG,
	OPT_ROUNDTRIPS,
	OPT_ITERATIONS,
	OPT_NOISE,
	OPT_CPU,
	OPT_REMOTE,
};

static int memory_count_opt(int c, const char *val, struct mem_args *a)
{
	uint64_t v;
	int r = parse_count(val, &v);

	if (r < 0 || ((c == OPT_TRIALS || c == OPT_REPS || c == 't') && v > 1000000))
		return bad_value(c == OPT_TRIALS ? "--trials" : c == OPT_REPS ? "--reps" :
				 c == 't' ? "--threads" : "--loads", val, r < 0 ? r : -ERANGE);
	if (c == OPT_TRIALS)
		a->o.trials = (unsigned int)v;
	else if (c == OPT_REPS)
		a->o.reps = (unsigned int)v;
	else if (c == 't')
		a->threads = (unsigned int)v;
	else
		a->o.loads = v;
	return 0;
}

static int memory_parse(int argc, char **argv, struct mem_args *a)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "latency-only", no_argument, NULL, OPT_LATENCY_ONLY },
		{ "bandwidth-only", no_argument, NULL, OPT_BANDWIDTH_ONLY },
		{ "hugepages", no_argument, NULL, 'H' },
		{ "random-block", required_argument, NULL, 'b' },
		{ "trials", required_argument, NULL, OPT_TRIALS },
		{ "loads", required_argument, NULL, OPT_LOADS },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "quick", no_argument, NULL, 'q' },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t v;
	int c, r;

	*a = (struct mem_args){ .latency = true, .bandwidth = true,
				.kernel = { true, true, true } };
	while ((c = getopt_long(argc, argv, "s:t:k:Hb:qjh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			r = parse_size(optarg, &a->o.size);
			if (r < 0 || a->o.size < 4096)
				return bad_value("--size", optarg, r < 0 ? r : -ERANGE);
			break;
		case 'b':
			r = parse_size(optarg, &v);
			if (r < 0 || v == 0 || v % 64)
				return bad_value("--random-block", optarg, r < 0 ? r : -EINVAL);
			a->o.random_block = (size_t)v;
			break;
		case 'k':
			if (parse_kernels(a, optarg) < 0)
				return bad_value("--kernel", optarg, -EINVAL);
			break;
		case 't': case OPT_TRIALS: case OPT_LOADS: case OPT_REPS:
			r = memory_count_opt(c, optarg, a);
			if (r)
				return r;
			break;
		case OPT_LATENCY_ONLY: a->bandwidth = false; a->latency = true; break;
		case OPT_BANDWIDTH_ONLY: a->latency = false; a->bandwidth = true; break;
		case 'H': a->o.hugepages = true; break;
		case 'q': a->quick = true; break;
		case OPT_QUIET: quiet = true; break;
		case 'j': a->json = true; break;
		case OPT_SVG: a->svg = optarg; break;
		case 'h': memory_usage(stdout); return 1;
		default: return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage("bench memory: unexpected argument '%s'", argv[optind]);
	return 0;
}

/* The defaults that depend on the machine: the buffer must dwarf the last-level caches. */
static void memory_defaults(struct mem_run *run)
{
	struct mem_args *a = &run->a;
	uint64_t floor_size = 4 * run->m.llc_total;

	a->o.line = run->m.line;
	if (!a->o.size) {
		a->o.size = a->quick ? QUICK_MIN_SIZE : DEFAULT_SIZE;
		if (a->o.size < floor_size)
			a->o.size = (floor_size + MiB - 1) / MiB * MiB;
	} else if (a->latency && a->o.size < floor_size) {
		cli_warn("--size below 4x the last-level caches (%llu MiB): latency includes cache hits",
			 floor_size / MiB);
	}
	if (a->quick) {
		if (!a->o.loads)
			a->o.loads = 1000000;
		if (!a->o.reps)
			a->o.reps = 3;
	}
}

static int memory_layout(struct mem_run *run)
{
	struct machine *m = &run->m;

	run->row = calloc(m->nnodes + 1, sizeof(unsigned int));
	run->col = calloc(m->nnodes + 1, sizeof(unsigned int));
	if (!run->row || !run->col) {
		cli_error_errno(-ENOMEM, "bench memory");
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < m->nnodes; i++) {
		if (!np_cpuset_empty(m->nodes[i].cpus))
			run->row[run->nrows++] = i;
		if (m->nodes[i].has_memory)
			run->col[run->ncols++] = i;
	}
	if (!run->nrows || !run->ncols) {
		cli_error("bench memory: no %s this process may use",
			  run->nrows ? "node with memory" : "node with CPUs");
		return -ENODEV;
	}
	run->cells = calloc((size_t)run->nrows * run->ncols, sizeof(*run->cells));
	if (!run->cells) {
		cli_error_errno(-ENOMEM, "bench memory");
		return -ENOMEM;
	}
	return 0;
}

/* the first CPU of the node, and its first @threads CPUs (all when 0) */
static int row_cpus(const struct bnode *n, unsigned int threads, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	unsigned int k = 0;
	int r;

	r = np_cpuset_new(np_cpuset_size(n->cpus), &set);
	if (r < 0)
		return r;
	np_cpuset_foreach(cpu, n->cpus) {
		if (threads && k == threads)
			break;
		np_cpuset_set(set, (unsigned int)cpu);
		k++;
	}
	*ret = set;
	return 0;
}

static int memory_cell(struct mem_run *run, unsigned int ri, unsigned int ci, unsigned int seq)
{
	const struct bnode *cn = &run->m.nodes[run->row[ri]], *mn = &run->m.nodes[run->col[ci]];
	struct mem_cell *cell = &run->cells[ri * run->ncols + ci];
	unsigned int total = run->nrows * run->ncols;
	struct np_cpuset *cpus = NULL;
	int cpu = np_cpuset_first(cn->cpus), r;

	cell->distance = distance(&run->m, cn->id, mn->id);
	if (mn->mem_free >= 0 && (uint64_t)mn->mem_free < run->a.o.size + 64 * MiB) {
		cell->why = "not enough free memory";
		return 0;
	}
	if (run->a.latency) {
		progress("memory: latency, cpu node %d -> memory node %d (cpu %d) [%u/%u]", cn->id,
			 mn->id, cpu, seq, total);
		r = np_bench_latency(cpu, mn->id, &run->a.o, &cell->lat);
		if (r < 0) {
			cli_error_errno(r, "bench memory: latency from cpu %d to node %d", cpu, mn->id);
			return r;
		}
	}
	r = row_cpus(cn, run->a.threads, &cpus);
	if (r < 0)
		cli_error_errno(r, "bench memory");
	for (int k = 0; run->a.bandwidth && r == 0 && k < NP_BENCH_NKERNELS; k++) {
		if (!run->a.kernel[k])
			continue;
		progress("memory: %s bandwidth, cpu node %d -> memory node %d (%u threads) [%u/%u]",
			 np_bench_kernel_name(k), cn->id, mn->id, np_cpuset_weight(cpus), seq, total);
		r = np_bench_bandwidth(cpus, mn->id, (enum np_bench_kernel)k, &run->a.o, &cell->bw[k]);
		if (r < 0)
			cli_error_errno(r, "bench memory: %s bandwidth from node %d to node %d",
					np_bench_kernel_name(k), cn->id, mn->id);
	}
	np_cpuset_free(cpus);
	cell->available = r == 0;
	return r;
}

/* each row's reference: its available cell with the smallest distance (the local node) */
static void memory_ratios(struct mem_run *run)
{
	for (unsigned int ri = 0; ri < run->nrows; ri++) {
		struct mem_cell *row = &run->cells[ri * run->ncols], *ref = NULL;

		for (unsigned int ci = 0; ci < run->ncols; ci++)
			if (row[ci].available && (!ref || (row[ci].distance >= 0 &&
							  row[ci].distance < ref->distance)))
				ref = &row[ci];
		for (unsigned int ci = 0; ci < run->ncols; ci++)
			row[ci].lat_ratio = ref && row[ci].available && run->a.latency
						    ? row[ci].lat.ns_median / ref->lat.ns_median
						    : NAN;
	}
}

#define COLW 16

static void table_header(const struct mem_run *run)
{
	printf("  %-10s", "cpu\\mem");
	for (unsigned int ci = 0; ci < run->ncols; ci++) {
		char label[32];

		snprintf(label, sizeof(label), "node %d", run->m.nodes[run->col[ci]].id);
		printf("%*s", COLW, label);
	}
	putchar('\n');
}

static void row_label(const struct mem_run *run, unsigned int ri)
{
	char label[32];

	snprintf(label, sizeof(label), "node %d", run->m.nodes[run->row[ri]].id);
	printf("  %-10s", label);
}

static bool run_has_tsc(const struct mem_run *run)
{
	for (unsigned int i = 0; i < run->nrows * run->ncols; i++)
		if (run->cells[i].available && !isnan(run->cells[i].lat.tsc_median))
			return true;
	return false;
}

/* a table of @run: the header, then one row per row label, each cell's text from @cell */
static void print_table(const struct mem_run *run, int k,
			void (*cell)(const struct mem_cell *c, int k, char *v, size_t size))
{
	table_header(run);
	for (unsigned int ri = 0; ri < run->nrows; ri++) {
		row_label(run, ri);
		for (unsigned int ci = 0; ci < run->ncols; ci++) {
			char v[48];

			cell(&run->cells[ri * run->ncols + ci], k, v, sizeof(v));
			printf("%*s", COLW, v);
		}
		putchar('\n');
	}
}

static void cell_lat_ns(const struct mem_cell *c, int k, char *v, size_t size)
{
	(void)k;
	if (c->available)
		snprintf(v, size, "%.1f (%.1f)", c->lat.ns_median, c->lat.ns_min);
	else
		snprintf(v, size, "-");
}

static void cell_lat_tsc(const struct mem_cell *c, int k, char *v, size_t size)
{
	(void)k;
	if (c->available)
		snprintf(v, size, "%.0f (%.0f)", c->lat.tsc_median, c->lat.tsc_min);
	else
		snprintf(v, size, "-");
}

static void cell_lat_ratio(const struct mem_cell *c, int k, char *v, size_t size)
{
	char d[16];

	(void)k;
	if (c->distance >= 0)
		snprintf(d, sizeof(d), "%.1f", c->distance / 10.0);
	else
		snprintf(d, sizeof(d), "?");
	if (c->available)
		snprintf(v, size, "%.2f / %s", c->lat_ratio, d);
	else
		snprintf(v, size, "- / %s", d);
}

/* @k: the kernel */
static void cell_bw(const struct mem_cell *c, int k, char *v, size_t size)
{
	if (c->available)
		snprintf(v, size, "%.0f (%.0f)", c->bw[k].mb_per_s_best, c->bw[k].mb_per_s_avg);
	else
		snprintf(v, size, "-");
}

static void memory_print_latency(const struct mem_run *run)
{
	unsigned int trials = run->a.o.trials ? run->a.o.trials : 5;

	printf("Idle latency, ns: median of %u trial%s of %llu dependent loads (min in brackets)\n",
	       trials, trials == 1 ? "" : "s",
	       (unsigned long long)(run->a.o.loads ? run->a.o.loads : 10000000ull));
	print_table(run, 0, cell_lat_ns);
	if (run_has_tsc(run)) {
		printf("\nIdle latency, TSC cycles (invariant TSC): median (min in brackets)\n");
		print_table(run, 0, cell_lat_tsc);
	}
	printf("\nLatency ratio vs SLIT: measured (to the row's nearest node) / distance/10\n");
	print_table(run, 0, cell_lat_ratio);
}

static void memory_print_bandwidth(const struct mem_run *run)
{
	unsigned int reps = run->a.o.reps ? run->a.o.reps : 10;

	printf("Bandwidth, MB/s (10^6 bytes/s): best of %u repetition%s (average in brackets);\n"
	       "STREAM byte counts, write-allocate traffic not counted\n",
	       reps, reps == 1 ? "" : "s");
	for (int k = 0; k < NP_BENCH_NKERNELS; k++) {
		if (!run->a.kernel[k])
			continue;
		printf("%s\n", np_bench_kernel_name(k));
		print_table(run, k, cell_bw);
	}
}

static size_t run_page_size(const struct mem_run *run)
{
	for (unsigned int i = 0; i < run->nrows * run->ncols; i++) {
		const struct mem_cell *c = &run->cells[i];

		if (!c->available)
			continue;
		if (run->a.latency)
			return c->lat.page_size;
		for (int k = 0; k < NP_BENCH_NKERNELS; k++)
			if (run->a.kernel[k])
				return c->bw[k].page_size;
	}
	return 0;
}

static void memory_print(const struct mem_run *run)
{
	char sz[32], blk[32], pg[32];

	human_size(sz, sizeof(sz), run->a.o.size);
	if (run_page_size(run))
		human_size(pg, sizeof(pg), run_page_size(run));
	else
		snprintf(pg, sizeof(pg), "unknown");
	if (run->a.o.random_block)
		human_size(blk, sizeof(blk), run->a.o.random_block);
	printf("Memory: %u cpu node%s x %u memory node%s; buffer %s, %s pages%s, chase %s%s\n\n",
	       run->nrows, run->nrows == 1 ? "" : "s", run->ncols, run->ncols == 1 ? "" : "s", sz, pg,
	       run->a.o.hugepages ? " (THP asked for)" : "",
	       run->a.o.random_block ? "random in blocks of " : "random over the whole buffer",
	       run->a.o.random_block ? blk : "");
	if (run->a.latency)
		memory_print_latency(run);
	if (run->a.latency && run->a.bandwidth)
		putchar('\n');
	if (run->a.bandwidth)
		memory_print_bandwidth(run);
	if (run->a.quick)
		printf("\n(--quick: a smaller buffer and fewer loads and repetitions; figures are rough)\n");
}

static void json_latency_cell(struct json *j, const struct mem_cell *c)
{
	json_double(j, "latency_ns_min", c->available ? c->lat.ns_min : NAN);
	json_double(j, "latency_ns_median", c->available ? c->lat.ns_median : NAN);
	json_double(j, "tsc_cycles_min", c->available ? c->lat.tsc_min : NAN);
	json_double(j, "tsc_cycles_median", c->available ? c->lat.tsc_median : NAN);
	if (c->available)
		json_uint(j, "page_size", c->lat.page_size);
	else
		json_null(j, "page_size");
	json_double(j, "latency_ratio", c->lat_ratio);
	json_double(j, "distance_ratio", c->distance >= 0 ? c->distance / 10.0 : NAN);
}

static void json_cell_head(struct json *j, const struct mem_run *run, unsigned int ri,
			   unsigned int ci, const struct mem_cell *c)
{
	json_int(j, "cpu_node", run->m.nodes[run->row[ri]].id);
	json_int(j, "mem_node", run->m.nodes[run->col[ci]].id);
	json_bool(j, "available", c->available);
	if (!c->available)
		json_str(j, "reason", c->why ? c->why : "not measured");
	if (c->distance >= 0)
		json_int(j, "distance", c->distance);
	else
		json_null(j, "distance");
}

static void memory_json(const struct mem_run *run)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "size_bytes", run->a.o.size);
	json_uint(&j, "page_size", run_page_size(run));
	json_bool(&j, "hugepages", run->a.o.hugepages);
	json_uint(&j, "random_block_bytes", run->a.o.random_block);
	json_uint(&j, "line_bytes", run->a.o.line);
	json_bool(&j, "quick", run->a.quick);
	json_uint(&j, "mb_bytes", 1000000);
	json_bool(&j, "write_allocate_counted", false);
	json_arr_begin(&j, "latency");
	for (unsigned int i = 0; run->a.latency && i < run->nrows * run->ncols; i++) {
		const struct mem_cell *c = &run->cells[i];

		json_obj_begin(&j, NULL);
		json_cell_head(&j, run, i / run->ncols, i % run->ncols, c);
		json_latency_cell(&j, c);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "bandwidth");
	for (unsigned int i = 0; run->a.bandwidth && i < run->nrows * run->ncols; i++) {
		const struct mem_cell *c = &run->cells[i];

		for (int k = 0; k < NP_BENCH_NKERNELS; k++) {
			if (!run->a.kernel[k])
				continue;
			json_obj_begin(&j, NULL);
			json_cell_head(&j, run, i / run->ncols, i % run->ncols, c);
			json_str(&j, "kernel", np_bench_kernel_name(k));
			json_double(&j, "mb_per_s", c->available ? c->bw[k].mb_per_s_best : NAN);
			json_double(&j, "mb_per_s_avg", c->available ? c->bw[k].mb_per_s_avg : NAN);
			json_double(&j, "mb_per_s_sustained",
				    c->available ? c->bw[k].mb_per_s_sustained : NAN);
			json_uint(&j, "threads", c->bw[k].threads);
			json_uint(&j, "bytes_per_rep", c->bw[k].bytes);
			json_uint(&j, "reps", c->bw[k].reps);
			json_obj_end(&j);
		}
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/*
 * --svg FILE is opened before measuring, so that a path that cannot be written fails at
 * once rather than after a long run.
 */
static int svg_open(const char *path, FILE **ret)
{
	int r;

	*ret = NULL;
	if (!path)
		return 0;
	*ret = fopen(path, "w");
	if (*ret)
		return 0;
	r = -errno;
	cli_error_errno(r, "cannot write '%s'", path);
	return r;
}

static int write_svg(FILE *f, const char *path, const char *title, const struct svg_map *maps,
		     unsigned int n)
{
	int r = svg_write(f, title, maps, n);

	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r < 0)
		cli_error_errno(r, "cannot write '%s'", path);
	return r;
}

static int memory_svg(const struct mem_run *run, FILE *f)
{
	unsigned int nmaps = 0, cells = run->nrows * run->ncols;
	struct svg_map maps[1 + NP_BENCH_NKERNELS];
	char (*rl)[16] = calloc(run->nrows, 16), (*cl)[16] = calloc(run->ncols, 16);
	const char **rows = calloc(run->nrows, sizeof(char *)), **cols = calloc(run->ncols, sizeof(char *));
	double *v = calloc((size_t)cells * (1 + NP_BENCH_NKERNELS), sizeof(double));
	char titles[1 + NP_BENCH_NKERNELS][80];
	int r = -ENOMEM;

	if (!rl || !cl || !rows || !cols || !v) {
		fclose(f);
		goto out;
	}
	for (unsigned int i = 0; i < run->nrows; i++) {
		snprintf(rl[i], 16, "node %d", run->m.nodes[run->row[i]].id);
		rows[i] = rl[i];
	}
	for (unsigned int i = 0; i < run->ncols; i++) {
		snprintf(cl[i], 16, "node %d", run->m.nodes[run->col[i]].id);
		cols[i] = cl[i];
	}
	for (int k = -1; k < NP_BENCH_NKERNELS; k++) {
		double *mv = v + (size_t)nmaps * cells;

		if ((k < 0 && !run->a.latency) || (k >= 0 && (!run->a.bandwidth || !run->a.kernel[k])))
			continue;
		for (unsigned int i = 0; i < cells; i++)
			mv[i] = !run->cells[i].available ? NAN : k < 0 ? run->cells[i].lat.ns_median
								    : run->cells[i].bw[k].mb_per_s_best;
		if (k < 0)
			snprintf(titles[nmaps], 80, "Idle latency (ns, median)");
		else
			snprintf(titles[nmaps], 80, "%s bandwidth (MB/s, best)", np_bench_kernel_name(k));
		maps[nmaps] = (struct svg_map){ .title = titles[nmaps], .corner = "cpu \\ mem",
						.unit = k < 0 ? "ns" : "MB/s", .lower_is_better = k < 0,
						.rows = run->nrows, .cols = run->ncols, .row_labels = rows,
						.col_labels = cols, .values = mv };
		nmaps++;
	}
	r = write_svg(f, run->a.svg, "numaplace bench memory: cpu node (rows) x memory node (columns)",
		      maps, nmaps);
out:
	if (r == -ENOMEM)
		cli_error_errno(r, "bench memory: svg");
	free(rl);
	free(cl);
	free(rows);
	free(cols);
	free(v);
	return r;
}

static bool memory_any(const struct mem_run *run)
{
	for (unsigned int i = 0; i < run->nrows * run->ncols; i++)
		if (run->cells[i].available)
			return true;
	return false;
}

static int bench_memory(int argc, char **argv)
{
	struct mem_run run = { 0 };
	unsigned int seq = 0;
	FILE *svg;
	int r;

	r = memory_parse(argc, argv, &run.a);
	if (r)
		return r == 1 ? 0 : r;
	r = svg_open(run.a.svg, &svg);
	if (r < 0)
		return r;
	r = machine_load(&run.m);
	if (r < 0) {
		if (svg)
			fclose(svg);
		return r;
	}
	memory_defaults(&run);
	r = memory_layout(&run);
	for (unsigned int ri = 0; r == 0 && ri < run.nrows; ri++)
		for (unsigned int ci = 0; r == 0 && ci < run.ncols; ci++)
			r = memory_cell(&run, ri, ci, ++seq);
	if (r == 0 && !memory_any(&run)) {
		char sz[32];

		human_size(sz, sizeof(sz), run.a.o.size);
		cli_error("bench memory: no memory node has %s free (and 64 MiB to spare); "
			  "use a smaller --size", sz);
		r = -ENOMEM;
	}
	if (r == 0) {
		memory_ratios(&run);
		if (run.a.json)
			memory_json(&run);
		else
			memory_print(&run);
		if (svg)
			r = memory_svg(&run, svg);
		svg = NULL;
	}
	if (svg)
		fclose(svg);
	free(run.row);
	free(run.col);
	free(run.cells);
	machine_free(&run.m);
	return r;
}

/* ---- bench c2c ---- */

enum pair_group { GROUP_SMT, GROUP_L3, GROUP_CROSS_L3, GROUP_CROSS_SOCKET, GROUP_UNKNOWN, NGROUPS };
static const char *const group_names[NGROUPS] = {
	"smt-siblings", "same-l3", "cross-l3", "cross-socket", "unknown",
};

static enum pair_group pair_group(const struct machine *m, int a, int b)
{
	unsigned int ua = (unsigned int)a, ub = (unsigned int)b;
	int core_a = np_topo_cpu_group(m->topo, ua, NP_LEVEL_CORE);
	int l3_a = np_topo_cpu_group(m->topo, ua, NP_LEVEL_L3);
	int l3_b = np_topo_cpu_group(m->topo, ub, NP_LEVEL_L3);
	int pkg_a = np_topo_cpu_group(m->topo, ua, NP_LEVEL_PACKAGE);
	int pkg_b = np_topo_cpu_group(m->topo, ub, NP_LEVEL_PACKAGE);

	if (core_a >= 0 && core_a == np_topo_cpu_group(m->topo, ub, NP_LEVEL_CORE))
		return GROUP_SMT;
	if (l3_a >= 0 && l3_a == l3_b)
		return GROUP_L3;
	if (pkg_a < 0 || pkg_b < 0)
		return GROUP_UNKNOWN;
	if (pkg_a != pkg_b)
		return GROUP_CROSS_SOCKET;
	/* same package: across L3s only when the machine says where its L3s are */
	return l3_a >= 0 && l3_b >= 0 ? GROUP_CROSS_L3 : GROUP_UNKNOWN;
}

struct c2c_args {
	const char *cpus, *svg;
	uint64_t roundtrips, trials;
	bool json, quick;
};

static void c2c_usage(FILE *f)
{
	fprintf(f,
		"Usage: numaplace bench c2c [OPTIONS]\n\n"
		"Core-to-core latency: two threads pinned to CPUs a and b hand a cache line back and\n"
		"forth with compare-and-swap; the median round trip / 2 for every pair, and a summary\n"
		"by SMT siblings, same L3, cross L3 and cross socket.\n\n"
		"  -c, --cpus EXPR         the CPUs: a cpulist (0-3,8) or a location expression\n"
		"                          (package:0, node:1.core:0-3) [every CPU allowed]\n"
		"      --roundtrips N      round trips per trial [10000]\n"
		"      --trials N          trials per pair, the median is kept [7]\n"
		"  -q, --quick             fewer round trips and trials\n"
		"      --quiet             no progress on stderr\n"
		"  -j, --json              JSON on stdout\n"
		"      --svg FILE          write the matrix as an SVG heatmap to FILE\n"
		"  -h, --help              this text\n");
}

static int c2c_parse(int argc, char **argv, struct c2c_args *a)
{
	static const struct option opts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "roundtrips", required_argument, NULL, OPT_ROUNDTRIPS },
		{ "trials", required_argument, NULL, OPT_TRIALS },
		{ "quick", no_argument, NULL, 'q' },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, r;

	*a = (struct c2c_args){ 0 };
	while ((c = getopt_long(argc, argv, "c:qjh", opts, NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'c': a->cpus = optarg; break;
		case OPT_ROUNDTRIPS:
			r = count_opt("--roundtrips", optarg, 100000000, &a->roundtrips);
			break;
		case OPT_TRIALS:
			r = count_opt("--trials", optarg, 10000, &a->trials);
			break;
		case 'q': a->quick = true; break;
		case OPT_QUIET: quiet = true; break;
		case 'j': a->json = true; break;
		case OPT_SVG: a->svg = optarg; break;
		case 'h': c2c_usage(stdout); return 1;
		default: return CLI_USAGE;
		}
		if (r)
			return r;
	}
	if (optind < argc)
		return cli_usage("bench c2c: unexpected argument '%s'", argv[optind]);
	if (!a->roundtrips)
		a->roundtrips = a->quick ? 1000 : 10000;
	if (!a->trials)
		a->trials = a->quick ? 3 : 7;
	return 0;
}

/* --cpus takes a location expression ("0-3,8", "package:0", "node:1.core:0-3") */
static int c2c_cpus(const struct machine *m, const char *expr, struct np_cpuset **ret)
{
	struct np_location *loc = NULL;
	struct np_cpuset *set = NULL;
	size_t pos = 0;
	int r;

	if (!expr)
		return np_cpuset_dup(m->cpus, ret);
	r = np_location_parse(expr, &loc, &pos);
	if (r == 0)
		r = np_location_eval(loc, m->topo, &set, &pos);
	np_location_free(loc);
	if (r < 0)
		return cli_bad_set("cpus", expr, r, pos);
	if (!np_cpuset_subset(set, m->cpus)) {
		np_cpuset_free(set);
		cli_error("invalid cpus '%s': a CPU this process may not use", expr);
		return CLI_USAGE;
	}
	*ret = set;
	return 0;
}

struct c2c_result {
	unsigned int n;
	int *cpu;
	double *ns; /* [i * n + j], NaN on the diagonal */
};

static void c2c_print(const struct machine *m, const struct c2c_result *res,
		      const struct c2c_args *a)
{
	printf("Core-to-core latency, ns: median of %llu trials of %llu round trips, round trip / 2\n",
	       (unsigned long long)a->trials, (unsigned long long)a->roundtrips);
	printf("  %-6s", "cpu");
	for (unsigned int j = 0; j < res->n; j++)
		printf("%8d", res->cpu[j]);
	putchar('\n');
	for (unsigned int i = 0; i < res->n; i++) {
		printf("  %-6d", res->cpu[i]);
		for (unsigned int j = 0; j < res->n; j++) {
			double v = res->ns[i * res->n + j];

			if (isnan(v))
				printf("%8s", "-");
			else
				printf("%8.1f", v);
		}
		putchar('\n');
	}
	printf("\nBy group:\n  %-14s %6s %10s %10s %10s\n", "group", "pairs", "median", "min", "max");
	for (int g = 0; g < NGROUPS; g++) {
		double *v = calloc((size_t)res->n * res->n, sizeof(double));
		unsigned int k = 0;

		for (unsigned int i = 0; v && i < res->n; i++)
			for (unsigned int j = i + 1; j < res->n; j++)
				if (pair_group(m, res->cpu[i], res->cpu[j]) == (enum pair_group)g)
					v[k++] = res->ns[i * res->n + j];
		if (k)
			printf("  %-14s %6u %10.1f %10.1f %10.1f\n", group_names[g], k, median_of(v, k),
			       v[0], v[k - 1]);
		free(v);
	}
}

static void c2c_json(const struct machine *m, const struct c2c_result *res,
		     const struct c2c_args *a)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "roundtrips", a->roundtrips);
	json_uint(&j, "trials", a->trials);
	json_arr_begin(&j, "pairs");
	for (unsigned int i = 0; i < res->n; i++) {
		for (unsigned int k = i + 1; k < res->n; k++) {
			json_obj_begin(&j, NULL);
			json_int(&j, "cpu_a", res->cpu[i]);
			json_int(&j, "cpu_b", res->cpu[k]);
			json_str(&j, "group", group_names[pair_group(m, res->cpu[i], res->cpu[k])]);
			json_double(&j, "latency_ns", res->ns[i * res->n + k]);
			json_obj_end(&j);
		}
	}
	json_arr_end(&j);
	json_arr_begin(&j, "groups");
	for (int g = 0; g < NGROUPS; g++) {
		double *v = calloc((size_t)res->n * res->n + 1, sizeof(double));
		unsigned int k = 0;

		for (unsigned int i = 0; v && i < res->n; i++)
			for (unsigned int l = i + 1; l < res->n; l++)
				if (pair_group(m, res->cpu[i], res->cpu[l]) == (enum pair_group)g)
					v[k++] = res->ns[i * res->n + l];
		if (k) {
			json_obj_begin(&j, NULL);
			json_str(&j, "group", group_names[g]);
			json_uint(&j, "pairs", k);
			json_double(&j, "latency_ns_median", median_of(v, k));
			json_double(&j, "latency_ns_min", v[0]);
			json_double(&j, "latency_ns_max", v[k - 1]);
			json_obj_end(&j);
		}
		free(v);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int c2c_svg(const struct c2c_result *res, FILE *f, const char *path)
{
	char (*lab)[16] = calloc(res->n, 16);
	const char **labels = calloc(res->n, sizeof(char *));
	struct svg_map map;
	int r = -ENOMEM;

	if (lab && labels) {
		for (unsigned int i = 0; i < res->n; i++) {
			snprintf(lab[i], 16, "cpu %d", res->cpu[i]);
			labels[i] = lab[i];
		}
		map = (struct svg_map){ .title = "Core-to-core latency (ns, one hand-off)",
					.corner = "cpu \\ cpu", .unit = "ns", .lower_is_better = true,
					.rows = res->n, .cols = res->n, .row_labels = labels,
					.col_labels = labels, .values = res->ns };
		r = write_svg(f, path, "numaplace bench c2c", &map, 1);
	} else {
		fclose(f);
		cli_error_errno(r, "bench c2c: svg");
	}
	free(lab);
	free(labels);
	return r;
}

static int c2c_measure(struct c2c_result *res, const struct c2c_args *a)
{
	unsigned int done = 0, total = res->n * (res->n - 1) / 2;

	for (unsigned int i = 0; i < res->n; i++) {
		res->ns[i * res->n + i] = NAN;
		for (unsigned int j = i + 1; j < res->n; j++) {
			double ns;
			int r;

			progress("c2c: cpu %d <-> cpu %d [%u/%u]", res->cpu[i], res->cpu[j], ++done,
				 total);
			r = np_bench_c2c(res->cpu[i], res->cpu[j], (unsigned int)a->roundtrips,
					 (unsigned int)a->trials, &ns);
			if (r < 0) {
				cli_error_errno(r, "bench c2c: cpus %d and %d", res->cpu[i], res->cpu[j]);
				return r;
			}
			res->ns[i * res->n + j] = res->ns[j * res->n + i] = ns;
		}
	}
	return 0;
}

static int bench_c2c(int argc, char **argv)
{
	struct c2c_args a;
	struct machine m;
	struct np_cpuset *cpus = NULL;
	struct c2c_result res = { 0 };
	FILE *svg;
	int r;

	r = c2c_parse(argc, argv, &a);
	if (r)
		return r == 1 ? 0 : r;
	r = svg_open(a.svg, &svg);
	if (r < 0)
		return r;
	r = machine_load(&m);
	if (r < 0) {
		if (svg)
			fclose(svg);
		return r;
	}
	r = c2c_cpus(&m, a.cpus, &cpus);
	if (r)
		goto out;
	res.n = np_cpuset_weight(cpus);
	if (res.n < 2) {
		cli_error("bench c2c: needs at least two CPUs, got '%s'", a.cpus ? a.cpus : "one");
		r = a.cpus ? CLI_USAGE : -EINVAL;
		goto out;
	}
	res.cpu = calloc(res.n, sizeof(int));
	res.ns = calloc((size_t)res.n * res.n, sizeof(double));
	if (!res.cpu || !res.ns) {
		r = -ENOMEM;
		cli_error_errno(r, "bench c2c");
		goto out;
	}
	res.n = 0;
	np_cpuset_foreach(cpu, cpus)
		res.cpu[res.n++] = cpu;
	r = c2c_measure(&res, &a);
	if (r == 0) {
		if (a.json)
			c2c_json(&m, &res, &a);
		else
			c2c_print(&m, &res, &a);
		if (svg)
			r = c2c_svg(&res, svg, a.svg);
		svg = NULL;
	}
out:
	if (svg)
		fclose(svg);
	free(res.cpu);
	free(res.ns);
	np_cpuset_free(cpus);
	machine_free(&m);
	return r;
}

/* ---- bench affinity ---- */

struct aff_args {
	uint64_t iterations, trials;
	int cpu;
	bool noise, json;
};

struct aff_row {
	bool pinned, noise;
	double *secs;
	long long migrations, nivcsw, nvcsw; /* sums over trials; migrations -1 unknown */
	double wait_s;
};

static void affinity_usage(FILE *f)
{
	fprintf(f,
		"Usage: numaplace bench affinity [OPTIONS]\n\n"
		"The seed's experiment: a compute loop of 10^9 increments, unpinned and pinned to one\n"
		"CPU, N trials each: mean, min and standard deviation of the time, CPU migrations,\n"
		"involuntary context switches and run-queue wait.\n\n"
		"  -n, --iterations N      increments per trial [1e9]\n"
		"      --trials N          trials per mode [5]\n"
		"      --cpu CPU           the CPU to pin to [the last CPU allowed]\n"
		"      --noise             also run with a competing spinning process on that CPU\n"
		"  -j, --json              JSON on stdout\n"
		"      --quiet             no progress on stderr\n"
		"  -h, --help              this text\n");
}

static int affinity_parse(int argc, char **argv, struct aff_args *a)
{
	static const struct option opts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "trials", required_argument, NULL, OPT_TRIALS },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "noise", no_argument, NULL, OPT_NOISE },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, r;

	*a = (struct aff_args){ .iterations = 1000000000ull, .trials = 5, .cpu = -1 };
	while ((c = getopt_long(argc, argv, "n:jh", opts, NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'n':
			r = count_opt("--iterations", optarg, UINT64_MAX, &a->iterations);
			break;
		case OPT_TRIALS:
			r = count_opt("--trials", optarg, 100000, &a->trials);
			break;
		case OPT_CPU:
			r = index_opt("--cpu", optarg, &a->cpu);
			break;
		case OPT_NOISE: a->noise = true; break;
		case 'j': a->json = true; break;
		case OPT_QUIET: quiet = true; break;
		case 'h': affinity_usage(stdout); return 1;
		default: return CLI_USAGE;
		}
		if (r)
			return r;
	}
	if (optind < argc)
		return cli_usage("bench affinity: unexpected argument '%s'", argv[optind]);
	return 0;
}

static int affinity_row(struct aff_row *row, const struct aff_args *a)
{
	pid_t noise = 0;
	int r = 0;

	row->migrations = 0;
	if (row->noise) {
		r = np_bench_noise_start(a->cpu, &noise);
		if (r < 0) {
			cli_error_errno(r, "bench affinity: cannot start the competing load on cpu %d",
					a->cpu);
			return r;
		}
	}
	for (unsigned int t = 0; r == 0 && t < a->trials; t++) {
		struct np_bench_spin s;

		progress("affinity: %s%s, trial %u/%llu", row->pinned ? "pinned" : "unpinned",
			 row->noise ? " with noise" : "", t + 1, (unsigned long long)a->trials);
		r = np_bench_spin(row->pinned ? a->cpu : -1, a->iterations, &s);
		if (r < 0) {
			cli_error_errno(r, "bench affinity: compute loop on cpu %d", a->cpu);
			break;
		}
		row->secs[t] = s.seconds;
		row->migrations = s.migrations < 0 || row->migrations < 0 ? -1
									  : row->migrations + s.migrations;
		row->nivcsw += s.nivcsw;
		row->nvcsw += s.nvcsw;
		row->wait_s += s.wait_seconds;
	}
	if (noise)
		np_bench_noise_stop(noise);
	return r;
}

static void affinity_print(const struct aff_row *rows, unsigned int n, const struct aff_args *a)
{
	printf("Compute loop: %llu increments, %llu trials per mode, pinned to cpu %d\n",
	       (unsigned long long)a->iterations, (unsigned long long)a->trials, a->cpu);
	printf("  %-18s %9s %9s %9s %11s %12s %9s\n", "mode", "mean s", "min s", "stddev s",
	       "migrations", "invol. cs", "wait s");
	for (unsigned int i = 0; i < n; i++) {
		const struct aff_row *r = &rows[i];
		char mode[32], mig[24];

		snprintf(mode, sizeof(mode), "%s%s", r->pinned ? "pinned" : "unpinned",
			 r->noise ? " + noise" : "");
		if (r->migrations < 0)
			snprintf(mig, sizeof(mig), "?");
		else
			snprintf(mig, sizeof(mig), "%lld", r->migrations);
		printf("  %-18s %9.4f %9.4f %9.4f %11s %12lld %9.4f\n", mode,
		       mean_of(r->secs, (unsigned int)a->trials), min_of(r->secs, (unsigned int)a->trials),
		       stddev_of(r->secs, (unsigned int)a->trials), mig, r->nivcsw, r->wait_s);
	}
	printf("(migrations, involuntary context switches and wait are totals over the trials)\n");
}

static void affinity_json(const struct aff_row *rows, unsigned int n, const struct aff_args *a)
{
	unsigned int t = (unsigned int)a->trials;
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "iterations", a->iterations);
	json_uint(&j, "trials", a->trials);
	json_int(&j, "cpu", a->cpu);
	json_arr_begin(&j, "modes");
	for (unsigned int i = 0; i < n; i++) {
		json_obj_begin(&j, NULL);
		json_bool(&j, "pinned", rows[i].pinned);
		json_bool(&j, "noise", rows[i].noise);
		json_double(&j, "seconds_mean", mean_of(rows[i].secs, t));
		json_double(&j, "seconds_min", min_of(rows[i].secs, t));
		json_double(&j, "seconds_stddev", stddev_of(rows[i].secs, t));
		if (rows[i].migrations >= 0)
			json_int(&j, "migrations", rows[i].migrations);
		else
			json_null(&j, "migrations");
		json_int(&j, "involuntary_switches", rows[i].nivcsw);
		json_int(&j, "voluntary_switches", rows[i].nvcsw);
		json_double(&j, "wait_seconds", rows[i].wait_s);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int bench_affinity(int argc, char **argv)
{
	struct aff_row rows[4] = { { 0 } };
	struct machine m;
	struct aff_args a;
	unsigned int n;
	int r;

	r = affinity_parse(argc, argv, &a);
	if (r)
		return r == 1 ? 0 : r;
	r = machine_load(&m);
	if (r < 0)
		return r;
	if (a.cpu < 0)
		a.cpu = np_cpuset_last(m.cpus);
	if (!np_cpuset_isset(m.cpus, (unsigned int)a.cpu)) {
		machine_free(&m);
		cli_error("invalid --cpu '%d': not a CPU this process may use", a.cpu);
		return CLI_USAGE;
	}
	n = a.noise ? 4 : 2;
	for (unsigned int i = 0; i < n; i++) {
		rows[i].pinned = i % 2;
		rows[i].noise = i >= 2;
		rows[i].secs = calloc(a.trials, sizeof(double));
		if (!rows[i].secs)
			r = -ENOMEM;
	}
	for (unsigned int i = 0; r == 0 && i < n; i++)
		r = affinity_row(&rows[i], &a);
	if (r == 0 && a.json)
		affinity_json(rows, n, &a);
	else if (r == 0)
		affinity_print(rows, n, &a);
	else if (r == -ENOMEM)
		cli_error_errno(r, "bench affinity");
	for (unsigned int i = 0; i < n; i++)
		free(rows[i].secs);
	machine_free(&m);
	return r;
}

/* ---- bench local-remote ---- */

struct lr_args {
	uint64_t n, trials;
	int cpu, remote;
	bool json;
};

static void local_remote_usage(FILE *f)
{
	fprintf(f,
		"Usage: numaplace bench local-remote [OPTIONS]\n\n"
		"The seed's experiment: fill a 2000 x 2000 int matrix in column order (a row's\n"
		"stride per store) with the matrix on the CPU's node and on a remote node; the\n"
		"remote / local time ratio.  With one node holding memory there is no remote node:\n"
		"the local figure is printed, the remote one is reported unavailable, exit status 0.\n\n"
		"  -n, --size N            matrix dimension [2000]\n"
		"      --trials N          fills per placement, the fastest is kept [5]\n"
		"      --cpu CPU           the CPU to run on [the first CPU allowed]\n"
		"      --remote NODE       the remote node [the nearest other node with memory]\n"
		"  -j, --json              JSON on stdout\n"
		"  -h, --help              this text\n");
}

static int local_remote_parse(int argc, char **argv, struct lr_args *a)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 'n' },
		{ "trials", required_argument, NULL, OPT_TRIALS },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "remote", required_argument, NULL, OPT_REMOTE },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, r;

	*a = (struct lr_args){ .n = 2000, .trials = 5, .cpu = -1, .remote = -1 };
	while ((c = getopt_long(argc, argv, "n:jh", opts, NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'n':
			r = count_opt("--size", optarg, 65535, &a->n);
			break;
		case OPT_TRIALS:
			r = count_opt("--trials", optarg, 10000, &a->trials);
			break;
		case OPT_CPU:
			r = index_opt("--cpu", optarg, &a->cpu);
			break;
		case OPT_REMOTE:
			r = index_opt("--remote", optarg, &a->remote);
			break;
		case 'j': a->json = true; break;
		case 'h': local_remote_usage(stdout); return 1;
		default: return CLI_USAGE;
		}
		if (r)
			return r;
	}
	if (optind < argc)
		return cli_usage("bench local-remote: unexpected argument '%s'", argv[optind]);
	return 0;
}

static bool has_memory(const struct machine *m, int id)
{
	for (unsigned int i = 0; i < m->nnodes; i++)
		if (m->nodes[i].id == id)
			return m->nodes[i].has_memory;
	return false;
}

/* the nearest other node with memory (by SLIT distance, then id), or -1 */
static int nearest_remote(const struct machine *m, int local)
{
	int best = -1, best_d = 0;

	for (unsigned int i = 0; i < m->nnodes; i++) {
		int d = distance(m, local, m->nodes[i].id);

		if (m->nodes[i].id == local || !m->nodes[i].has_memory)
			continue;
		if (d < 0)
			d = 1000;
		if (best < 0 || d < best_d) {
			best = m->nodes[i].id;
			best_d = d;
		}
	}
	return best;
}

static void local_remote_out(const struct lr_args *a, int local, double tl, int remote,
			     double tr)
{
	struct json j;

	if (!a->json) {
		printf("Column-order fill of a %llu x %llu int matrix from cpu %d, fastest of %llu\n",
		       (unsigned long long)a->n, (unsigned long long)a->n, a->cpu,
		       (unsigned long long)a->trials);
		printf("  local  (node %d): %.3f ms\n", local, tl * 1e3);
		if (remote >= 0)
			printf("  remote (node %d): %.3f ms\n  ratio remote/local: %.2f\n", remote,
			       tr * 1e3, tr / tl);
		else
			printf("  remote: unavailable: no other node with memory on this machine\n");
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_uint(&j, "n", a->n);
	json_uint(&j, "trials", a->trials);
	json_int(&j, "cpu", a->cpu);
	json_int(&j, "local_node", local);
	json_double(&j, "local_seconds", tl);
	if (remote >= 0) {
		json_int(&j, "remote_node", remote);
		json_double(&j, "remote_seconds", tr);
		json_double(&j, "ratio", tr / tl);
	} else {
		json_null(&j, "remote_node");
		json_null(&j, "remote_seconds");
		json_null(&j, "ratio");
		json_str(&j, "remote_unavailable", "no other node with memory");
	}
	json_obj_end(&j);
	json_finish(&j);
}

static int bench_local_remote(int argc, char **argv)
{
	struct machine m;
	struct lr_args a;
	double tl = NAN, tr = NAN;
	int r, local, remote;

	r = local_remote_parse(argc, argv, &a);
	if (r)
		return r == 1 ? 0 : r;
	r = machine_load(&m);
	if (r < 0)
		return r;
	if (a.cpu < 0)
		a.cpu = np_cpuset_first(m.cpus);
	local = node_of_cpu(&m, a.cpu);
	if (local < 0 || !np_cpuset_isset(m.cpus, (unsigned int)a.cpu)) {
		cli_error("invalid --cpu '%d': not a CPU this process may use", a.cpu);
		r = CLI_USAGE;
		goto out;
	}
	local = m.nodes[local].id;
	remote = a.remote >= 0 ? a.remote : nearest_remote(&m, local);
	if (a.remote >= 0 && (a.remote == local || !has_memory(&m, a.remote))) {
		cli_error("invalid --remote '%d': %s", a.remote,
			  a.remote == local ? "that is the CPU's own node"
					    : "not a node with memory this process may use");
		r = CLI_USAGE;
		goto out;
	}
	r = np_bench_colfill(a.cpu, local, (unsigned int)a.n, (unsigned int)a.trials, &tl);
	if (r == 0 && remote >= 0)
		r = np_bench_colfill(a.cpu, remote, (unsigned int)a.n, (unsigned int)a.trials, &tr);
	if (r < 0) {
		cli_error_errno(r, "bench local-remote: fill from cpu %d", a.cpu);
		goto out;
	}
	local_remote_out(&a, local, tl, remote, tr);
out:
	machine_free(&m);
	return r;
}

/* ---- the verb ---- */

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} subs[] = {
	{ "memory", bench_memory, "latency and bandwidth, cpu node x memory node, vs the SLIT" },
	{ "c2c", bench_c2c, "core-to-core latency for every pair of CPUs" },
	{ "affinity", bench_affinity, "a compute loop unpinned vs pinned, with or without noise" },
	{ "local-remote", bench_local_remote, "column-order fill, memory local vs remote" },
};

static void bench_usage(FILE *f)
{
	fprintf(f, "Usage: numaplace bench SUBCOMMAND [OPTIONS]\n\nMeasure what placement buys.\n\n");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		fprintf(f, "  %-13s %s\n", subs[i].name, subs[i].summary);
	fprintf(f, "\n'numaplace bench SUBCOMMAND --help' for its options.\n");
}

int cmd_bench(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("no sub-command given (memory, c2c, affinity, local-remote)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		bench_usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name) == 0) {
			optind = 0;
			return subs[i].fn(argc - 1, argv + 1);
		}
	}
	return cli_usage("unknown sub-command '%s'", argv[1]);
}
