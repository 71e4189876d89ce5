/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-caches.c - the CPU caches: level, type, size, line, ways, and which CPUs share each.
 *
 * Terminology:
 *  index     cpuN/cache/indexK: the kernel's K-th cache of CPU N (index0 is usually L1 data).
 *  instance  one physical cache; the CPUs in its shared_cpu_list all show it under the same
 *            index, so it is read once, from its lowest online CPU, and matched for the others.
 *  template  the first instance of an index with a given size: later instances of that index
 *            and size take its level, type, line size and ways instead of reading four files
 *            each.  A machine has a handful of cache kinds and hundreds of instances.
 *  kind      what tells hybrid cores apart: kind, capacity, frequencies.  Cores of one kind
 *            have the same caches at the same indices (the kernel builds them from the same
 *            CPUID leaf or device-tree node), so another core of a kind only needs to say
 *            which CPUs share each of its caches: one file per cache instead of six.
 *  private   an L1 whose CPUs are exactly one core.  L1 caches are never shared between
 *            cores, so another core of the same kind gets its own copy without reading a
 *            file.  Beyond L1 the sharing is always read: pairs of arm64 A510 cores share an
 *            L2 beside single cores of the same kind, and offline CPUs split sharing sets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sysparse.h"

struct cache_reader {
	struct np_topo *t;
	const struct np_sysfs *cpufs;
	struct np_cpuset *tmp;
	unsigned char *index;   /* sysfs index of each cache */
	unsigned int *owner;    /* the CPU each cache was read from */
	bool *private_;         /* whether each cache is its owner core's alone */
	struct np_cpuset **cores; /* the online CPUs of each core, by core_index */
	struct np_cpuset *covered[NP__MAX_CPU_CACHES]; /* CPUs with a known instance per index */
	int first[NP__MAX_CPU_CACHES]; /* the first instance of each index, -1 before it */
	unsigned int cap;
	int map_variant;        /* 0 shared_cpu_list, 1 shared_cpu_map, -1 unknown */
	int have_id;            /* -1 unknown, 0 no cache ids, 1 ids */
};

/* the read buffer of size and type ("Instruction", "1048576K"): a longer text is unknown */
#define WORD_MAX 32

/*
 * cpu's cache index @i attribute @name, its text into @buf.  Past the plausible ranges (or
 * negative, or not a number) an attribute is corrupt and reads as unknown, never as a huge
 * number: lib/sysparse.h gives each range.
 */
static ssize_t read_attr(const struct cache_reader *r, char *buf, size_t size, unsigned int cpu,
			 unsigned int i, const char *name)
{
	return np__sysfs_read(r->cpufs, buf, size, "cpu%u/cache/index%u/%s", cpu, i, name);
}

static int grow(struct cache_reader *r)
{
	struct np_topo *t = r->t;
	unsigned int cap = r->cap ? r->cap * 2 : 32;
	struct np_cache *c = realloc(t->caches, cap * sizeof(*c));
	unsigned char *idx;
	unsigned int *own;
	bool *pv;

	if (!c)
		return -ENOMEM;
	t->caches = c;
	idx = realloc(r->index, cap);
	if (!idx)
		return -ENOMEM;
	r->index = idx;
	own = realloc(r->owner, cap * sizeof(*own));
	if (!own)
		return -ENOMEM;
	r->owner = own;
	pv = realloc(r->private_, cap * sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	r->private_ = pv;
	r->cap = cap;
	return 0;
}

/* the CPUs sharing cpu's cache index @i, into r->tmp; the CPU itself at least */
static void read_shared(struct cache_reader *r, unsigned int cpu, unsigned int i)
{
	int ret = -ENOENT;

	if (r->map_variant <= 0) {
		ret = np__sysfs_read_list(r->cpufs, r->tmp, "cpu%u/cache/index%u/shared_cpu_list",
					  cpu, i);
		if (ret != -ENOENT)
			r->map_variant = 0;
	}
	if (ret == -ENOENT && r->map_variant != 0) {
		ret = np__topo_read_mask(r->cpufs, r->tmp, "cpu%u/cache/index%u/shared_cpu_map",
					  cpu, i);
		if (ret != -ENOENT)
			r->map_variant = 1;
	}
	if (ret < 0)
		np_cpuset_zero(r->tmp);
	np_cpuset_set(r->tmp, cpu);
}

static const struct np_cache *find_template(const struct cache_reader *r, unsigned int i,
					    unsigned long long size)
{
	for (unsigned int k = 0; k < r->t->ncaches; k++)
		if (r->index[k] == i && r->t->caches[k].size == size)
			return &r->t->caches[k];
	return NULL;
}

/*
 * Attribute @name through @parse into *@v; a value the parser rejects is a problem of the load
 * (@implausible: see np__sysfs_bad_parse()).  Return: the parse's result or the read's error.
 */
static int read_uint(const struct cache_reader *r, unsigned int cpu, unsigned int i,
		     const char *name, int (*parse)(const char *, unsigned int *), unsigned int *v,
		     const char *implausible)
{
	char buf[NP__VALUE_MAX];
	ssize_t n = read_attr(r, buf, sizeof(buf), cpu, i, name);
	int ret;

	if (n < 0)
		return (int)n;
	ret = parse(buf, v);
	np__sysfs_bad_parse(r->cpufs, ret, implausible, "cpu%u/cache/index%u/%s", cpu, i, name);
	return ret;
}

/* Level, type, line size and ways; false when the level is there but implausible. */
static bool read_attrs(struct cache_reader *r, struct np_cache *c, unsigned int cpu,
		       unsigned int i)
{
	char buf[NP__VALUE_MAX];

	/* unreadable, the level is unknown; a number beyond 1..4, the whole index is corrupt */
	if (read_uint(r, cpu, i, "level", np__parse_cache_level, &c->level,
		      "a cache level beyond 1-4") == -EDOM)
		return false;
	if (read_attr(r, buf, WORD_MAX, cpu, i, "type") >= 0)
		c->type = np__parse_cache_type(buf);
	/* a line size or ways of 0 is the kernel's "unknown": shown so, not a problem */
	(void)read_uint(r, cpu, i, "coherency_line_size", np__parse_cache_attr, &c->line_size, NULL);
	(void)read_uint(r, cpu, i, "ways_of_associativity", np__parse_cache_attr, &c->ways, NULL);
	return true;
}

/* the online CPUs of @cpu's core, into @set */
static void core_members(const struct cache_reader *r, unsigned int cpu, struct np_cpuset *set)
{
	int core = r->t->cpus[cpu].core_index;

	np_cpuset_zero(set);
	if (core >= 0)
		np_cpuset_copy(set, r->cores[core]);
	np_cpuset_set(set, cpu);
}

/* every core's online CPUs, indexed by core_index */
static int build_cores(struct cache_reader *r)
{
	struct np_topo *t = r->t;
	int r_;

	r->cores = calloc(t->ncpus, sizeof(*r->cores));
	if (!r->cores)
		return -ENOMEM;
	np_cpuset_foreach(c, t->online) {
		int k = t->cpus[c].core_index;

		if (k < 0 || (unsigned int)k >= t->ncpus)
			continue;
		if (!r->cores[k] && (r_ = np_cpuset_new(t->ncpus, &r->cores[k])) < 0)
			return r_;
		np_cpuset_set(r->cores[k], (unsigned int)c);
	}
	return 0;
}

/* whether two CPUs are the same kind of core, as far as the kernel tells */
static bool same_kind(const struct np_topo *t, unsigned int a, unsigned int b)
{
	const struct np_cpu *x = &t->cpus[a], *y = &t->cpus[b];

	return x->kind == y->kind && x->capacity == y->capacity && x->base_khz == y->base_khz &&
	       x->max_khz == y->max_khz;
}

static int append(struct cache_reader *r, const struct np_cache *c, unsigned int cpu,
		  unsigned int i)
{
	struct np_topo *t = r->t;
	struct np_cpuset *cpus;
	int ret;

	if (t->ncaches == r->cap && (ret = grow(r)) < 0)
		return ret;
	ret = np_cpuset_dup(r->tmp, &cpus);
	if (ret < 0)
		return ret;
	r->index[t->ncaches] = (unsigned char)i;
	r->owner[t->ncaches] = cpu;
	t->caches[t->ncaches] = *c;
	t->caches[t->ncaches].cpus = cpus;
	core_members(r, cpu, r->tmp);
	r->private_[t->ncaches] = np_cpuset_equal(cpus, r->tmp);
	np_cpuset_or(r->covered[i], r->covered[i], cpus);
	if (r->first[i] < 0)
		r->first[i] = (int)t->ncaches;
	t->ncaches++;
	return 1;
}

/* An instance of index @i read for a core of @cpu's kind, or -1 when none. */
static int kind_template(const struct cache_reader *r, unsigned int cpu, unsigned int i)
{
	int first = r->first[i];

	/* the first instance of the index is the answer on every machine of one kind of core */
	if (first >= 0 && same_kind(r->t, r->owner[first], cpu))
		return first;
	for (unsigned int k = 0; k < r->t->ncaches; k++)
		if (r->index[k] == i && same_kind(r->t, r->owner[k], cpu))
			return (int)k;
	return -1;
}

/* A new instance like template @k: an L1 of this core, or what shared_cpu_list says. */
static int add_like(struct cache_reader *r, unsigned int cpu, unsigned int i, int k)
{
	struct np_cache c = r->t->caches[k];
	char buf[NP__VALUE_MAX];

	c.id = -1;
	if (c.level == 1 && r->private_[k]) {
		core_members(r, cpu, r->tmp);
		return append(r, &c, cpu, i);
	}
	if (r->have_id == 1 && read_attr(r, buf, sizeof(buf), cpu, i, "id") >= 0)
		np__sysfs_bad_parse(r->cpufs, np__parse_cache_id(buf, &c.id), NULL,
				    "cpu%u/cache/index%u/id", cpu, i);
	read_shared(r, cpu, i);
	return append(r, &c, cpu, i);
}

/*
 * Read cpu's cache index @i as a new instance.  Return: 1 when added, 0 when the CPU has no
 * such index, -ENOMEM.
 */
static int add_cache(struct cache_reader *r, unsigned int cpu, unsigned int i)
{
	const struct np_cache *tpl;
	struct np_cache c = { .id = -1 };
	char buf[NP__VALUE_MAX];
	int ret;

	ret = (int)read_attr(r, buf, WORD_MAX, cpu, i, "size");
	if (ret == -ENOENT && !np__sysfs_exists(r->cpufs, "cpu%u/cache/index%u", cpu, i))
		return 0;
	if (ret >= 0 && (ret = np__parse_cache_size(buf, &c.size)) < 0)
		np__sysfs_bad(r->cpufs, ret == -EINVAL ? EINVAL : ERANGE,
			      "not a cache size up to 2^50 bytes", "cpu%u/cache/index%u/size", cpu, i);
	tpl = find_template(r, i, c.size);
	if (tpl) {
		c.level = tpl->level;
		c.type = tpl->type;
		c.line_size = tpl->line_size;
		c.ways = tpl->ways;
	} else if (!read_attrs(r, &c, cpu, i)) {
		/* a corrupt level: this index and those after it are unknown, not shown */
		return 0;
	}
	if (r->have_id != 0) {
		ret = (int)read_attr(r, buf, sizeof(buf), cpu, i, "id");
		r->have_id = ret != -ENOENT;
		if (ret >= 0)
			np__sysfs_bad_parse(r->cpufs, np__parse_cache_id(buf, &c.id), NULL,
					    "cpu%u/cache/index%u/id", cpu, i);
	}
	read_shared(r, cpu, i);
	return append(r, &c, cpu, i);
}

/* the instance of index @i that @cpu shares with an earlier CPU, or -1 */
static int find_shared(const struct cache_reader *r, unsigned int cpu, unsigned int i)
{
	if (!np_cpuset_isset(r->covered[i], cpu))
		return -1;
	for (unsigned int k = r->t->ncaches; k-- > 0;)
		if (r->index[k] == i && np_cpuset_isset(r->t->caches[k].cpus, cpu))
			return (int)k;
	return -1;
}

/* How many cache indices @cpu has: as many as the last earlier CPU of its kind, else unknown. */
static unsigned int expected_count(const struct cache_reader *r, unsigned int cpu)
{
	for (int c = (int)cpu - 1; c >= 0; c--)
		if (np_cpuset_isset(r->t->online, (unsigned int)c) &&
		    same_kind(r->t, (unsigned int)c, cpu))
			return r->t->cpu_ncaches[c];
	return NP__MAX_CPU_CACHES;
}

static int read_cpu_caches(struct cache_reader *r, unsigned int cpu)
{
	struct np_topo *t = r->t;
	unsigned int limit = expected_count(r, cpu);

	for (unsigned int i = 0; i < limit; i++) {
		int k = find_shared(r, cpu, i), tpl, added;

		if (k < 0) {
			tpl = kind_template(r, cpu, i);
			added = tpl >= 0 ? add_like(r, cpu, i, tpl) : add_cache(r, cpu, i);
			if (added <= 0)
				return added;
			k = (int)t->ncaches - 1; /* the new instance holds the CPU */
		}
		t->cpu_caches[cpu][t->cpu_ncaches[cpu]++] = (unsigned short)k;
	}
	return 0;
}

static int rank(const struct np_cache *c)
{
	return (int)c->level * 4 + (c->type == NP_CACHE_DATA ? 0 : c->type == NP_CACHE_INSTRUCTION ? 1 : 2);
}

/* sort keys: rank, lowest CPU, then the cache's order of reading */
struct sort_key {
	int rank;
	int first;
	unsigned int k;
};

static bool key_before(const struct sort_key *x, const struct sort_key *y)
{
	return x->rank != y->rank ? x->rank < y->rank : x->first < y->first;
}

/*
 * Sort @n keys with @tmp as scratch: a bottom-up merge sort, stable, so equal keys keep their
 * cache order.  Not qsort: through its comparator callback qsort cost a fifth of the whole
 * `topo --json` on 128arm (400 caches, and a tiny list per CPU).
 */
static void sort_keys(struct sort_key *keys, struct sort_key *tmp, unsigned int n)
{
	struct sort_key *from = keys, *to = tmp;

	for (unsigned int width = 1; width < n; width *= 2) {
		for (unsigned int lo = 0; lo < n; lo += 2 * width) {
			unsigned int mid = lo + width < n ? lo + width : n;
			unsigned int hi = mid + width < n ? mid + width : n;
			unsigned int a = lo, b = mid, o = lo;

			while (a < mid && b < hi)
				to[o++] = key_before(&from[b], &from[a]) ? from[b++] : from[a++];
			while (a < mid)
				to[o++] = from[a++];
			while (b < hi)
				to[o++] = from[b++];
		}
		struct sort_key *swap = from;
		from = to;
		to = swap;
	}
	if (from != keys)
		memcpy(keys, from, n * sizeof(*keys));
}

/* a CPU's few cache numbers, ascending (insertion sort) */
static void sort_shorts(unsigned short *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		unsigned short x = v[i];
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Order the caches by level, type and lowest CPU, and each CPU's list the same way. */
static int sort_caches(struct np_topo *t)
{
	struct sort_key *keys = malloc((t->ncaches + 1) * 2 * sizeof(*keys));
	unsigned int *inv = malloc((t->ncaches + 1) * sizeof(*inv));
	struct np_cache *sorted = malloc((t->ncaches + 1) * sizeof(*sorted));
	int r = -ENOMEM;

	if (t->ncaches == 0) {
		r = 0; /* no cache files (old kernels, some ARM boards) */
		goto out;
	}
	if (!keys || !inv || !sorted)
		goto out;
	for (unsigned int k = 0; k < t->ncaches; k++)
		keys[k] = (struct sort_key){ rank(&t->caches[k]), np_cpuset_first(t->caches[k].cpus), k };
	sort_keys(keys, keys + t->ncaches, t->ncaches);
	for (unsigned int k = 0; k < t->ncaches; k++) {
		sorted[k] = t->caches[keys[k].k];
		inv[keys[k].k] = k;
	}
	memcpy(t->caches, sorted, t->ncaches * sizeof(*sorted));
	for (unsigned int c = 0; c < t->ncpus; c++) {
		for (unsigned int i = 0; i < t->cpu_ncaches[c]; i++)
			t->cpu_caches[c][i] = (unsigned short)inv[t->cpu_caches[c][i]];
		/* ascending new index is ascending level and type */
		sort_shorts(t->cpu_caches[c], t->cpu_ncaches[c]);
	}
	r = 0;
out:
	free(sorted);
	free(inv);
	free(keys);
	return r;
}

int np__topo_caches_load(struct np_topo *t, const struct np_sysfs *cpufs)
{
	struct cache_reader r = { .t = t, .cpufs = cpufs, .map_variant = -1, .have_id = -1 };
	int ret;

	for (unsigned int i = 0; i < NP__MAX_CPU_CACHES; i++)
		r.first[i] = -1;

	t->cpu_caches = calloc(t->ncpus, sizeof(*t->cpu_caches));
	t->cpu_ncaches = calloc(t->ncpus, 1);
	if (!t->cpu_caches || !t->cpu_ncaches)
		return -ENOMEM;
	ret = np_cpuset_new(t->ncpus, &r.tmp);
	if (ret < 0)
		return ret;
	ret = build_cores(&r);
	for (unsigned int i = 0; ret == 0 && i < NP__MAX_CPU_CACHES; i++)
		ret = np_cpuset_new(t->ncpus, &r.covered[i]);
	if (ret < 0)
		goto out;
	np_cpuset_foreach(c, t->online) {
		ret = read_cpu_caches(&r, (unsigned int)c);
		if (ret < 0)
			goto out;
	}
	ret = sort_caches(t);
out:
	np_cpuset_free(r.tmp);
	free(r.index);
	free(r.owner);
	free(r.private_);
	for (unsigned int k = 0; r.cores && k < t->ncpus; k++)
		np_cpuset_free(r.cores[k]);
	free(r.cores);
	for (unsigned int i = 0; i < NP__MAX_CPU_CACHES; i++)
		np_cpuset_free(r.covered[i]);
	return ret;
}
