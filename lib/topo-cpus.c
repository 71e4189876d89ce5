/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-cpus.c - which CPUs a machine has, which are online, and where each one sits
 * (core, cluster, die, package, book, drawer) and its capacity; frequencies and hybrid kinds
 * are in lib/topo-kinds.c.
 *
 * Terminology:
 *  cpu dir    sys/devices/system/cpu/cpuN: a CPU the kernel registered.  Every read below is
 *             relative to sys/devices/system/cpu (the cpufs context), which keeps lookups short.
 *  siblings   the CPUs of one core (thread_siblings), or of one package (core_siblings).
 *  leader     the lowest online CPU of a core: the only one whose files are read; its siblings
 *             get a copy.  The kernel reports the same ids and frequencies for every thread of
 *             a core, and reading 256 CPUs' files one by one is what makes other tools slow.
 *
 * Kernel facts this file copes with: cpu/online may be missing (then each cpuN/online, and
 * cpu0 usually has none: it cannot go offline); physical_package_id is -1 on POWER (the
 * package then comes from the package sibling masks); die_id is -1 on arm64; masks are as wide
 * as the kernel's NR_CPUS, not the CPU count; files may end in NUL bytes (sysfs.c strips them).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

long np__list_max(const char *s)
{
	long max = -1;

	while (*s) {
		if (isdigit((unsigned char)*s)) {
			char *end;
			long v = strtol(s, &end, 10);

			if (v > max)
				max = v;
			s = end;
		} else if (*s == ':') {
			/* a stride "a-b:s" is no member: skip its number */
			s++;
			while (isdigit((unsigned char)*s))
				s++;
		} else {
			s++;
		}
	}
	return max;
}

int np__topo_read_mask(const struct np_sysfs *fs, struct np_cpuset *set, const char *fmt, ...)
{
	char path[PATH_MAX], buf[4096];
	const char *p = buf;
	va_list ap;
	ssize_t n;
	int r;

	va_start(ap, fmt);
	r = np__vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	n = np__sysfs_read_first(fs, buf, sizeof(buf), "%s", path);
	if (n == -EFBIG) /* NR_CPUS beyond 14000: the slow way */
		return np__sysfs_read_mask(fs, set, "%s", path);
	if (n < 0)
		return (int)n;
	/* NR_CPUS=1024 on a 4-CPU machine is 31 zero words before the one that matters */
	while (strncmp(p, "00000000,", 9) == 0)
		p += 9;
	r = np_cpuset_parse_mask(set, p, NULL);
	if (r < 0 && r != -ENOMEM)
		np__sysfs_bad(fs, -r, np__set_reason(r, true), "%s", path);
	return r;
}

/* The file's text, or "" when it is missing; @buf holds it. */
static const char *text_or_empty(const struct np_sysfs *fs, char *buf, size_t size,
				 const char *name, bool *found)
{
	ssize_t n = np__sysfs_read(fs, buf, size, "%s", name);

	*found = n >= 0;
	if (n < 0)
		buf[0] = '\0';
	return buf;
}

/* The cpuN directories, as a list of ids; *max is the highest (or -1). */
static int list_cpu_dirs(const struct np_sysfs *cpufs, unsigned int **ret, unsigned int *count,
			 long *max)
{
	int r = np__sysfs_dir_ids(cpufs, ".", "cpu", NP__MAX_CPUS - 1, ret, count);

	if (r < 0)
		return r;
	*max = -1;
	for (unsigned int i = 0; i < *count; i++)
		if ((long)(*ret)[i] > *max)
			*max = (long)(*ret)[i];
	return 0;
}

/*
 * Parse cpu/@name's @text into @set.  A list that does not parse or names no CPU (a broken
 * capture) is recorded and left empty: false, and the caller goes by the other files.
 */
static bool parse_into(const struct np_sysfs *cpufs, struct np_cpuset *set, const char *text,
		       const char *name)
{
	int r = np_cpuset_parse_list(set, text, NULL);

	if (r == 0 && !np_cpuset_empty(set))
		return true;
	np__sysfs_bad(cpufs, r ? -r : ERANGE, r ? np__set_reason(r, false) : "names no CPU", "%s",
		      name);
	np_cpuset_zero(set);
	return false;
}


/*
 * The package siblings of @cpu into @set (the first of the files that exists, remembered in
 * *@variant for the next CPU: -1 unknown yet, -2 none).  Return: 0, or -ENOENT and the like.
 */
static int package_siblings(const struct np_sysfs *cpufs, unsigned int cpu, struct np_cpuset *set,
			    int *variant)
{
	static const char *const files[] = { "package_cpus_list", "core_siblings_list",
					     "package_cpus", "core_siblings" };
	int r = -ENOENT;

	if (*variant == -2)
		return -ENOENT;
	for (int i = *variant >= 0 ? *variant : 0; i < (int)NP_ARRAY_SIZE(files); i++) {
		r = strstr(files[i], "_list")
			    ? np__sysfs_read_list(cpufs, set, "cpu%u/topology/%s", cpu, files[i])
			    : np__topo_read_mask(cpufs, set, "cpu%u/topology/%s", cpu, files[i]);
		if (r != -ENOENT || *variant >= 0) {
			*variant = i;
			break;
		}
	}
	/* the first online CPU has none: this kernel has no package masks */
	if (r == -ENOENT && *variant == -1)
		*variant = -2;
	return r;
}

/*
 * The package masks read_online() read on the way, kept for read_level(): one per package,
 * of its lowest CPU, which is the CPU read_level() asks.
 */
struct pkg_masks {
	struct np_cpuset **of; /* ncpus entries, NULL where none was read */
	int variant;           /* package_siblings()'s file */
};

static void pkg_masks_free(struct pkg_masks *pm, unsigned int ncpus)
{
	for (unsigned int c = 0; pm->of && c < ncpus; c++)
		np_cpuset_free(pm->of[c]);
	free(pm->of);
	pm->of = NULL;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/*
 * Online CPUs: cpu/online, else each cpu dir's own "online" file (a missing one means online:
 * cpu0 and CPUs without hotplug have none).  Kernels without cpu/online (before 2.6.2x, and
 * captures of them) often have no per-CPU file either: 256 failed opens on a 256-CPU POWER
 * capture.  The kernel keeps only online CPUs in the sibling masks (it takes a CPU out of them
 * when it goes offline, and an offline CPU has no topology directory at all), so the package
 * siblings of an online CPU are online: one probe and one mask per package instead, and the
 * mask is the one read_level() would read next.
 */
static void read_online(struct np_topo *t, const struct np_sysfs *cpufs, const char *online_text,
			bool have_online, unsigned int *dirs, unsigned int ndirs,
			struct pkg_masks *pm)
{
	struct np_cpuset *sib = NULL;
	char buf[16];

	if (have_online && parse_into(cpufs, t->online, online_text, "online"))
		return;
	/* ascending: the first CPU of a package found is its lowest, read_level()'s leader */
	if (ndirs)
		qsort(dirs, ndirs, sizeof(*dirs), cmp_uint);
	pm->of = calloc(t->ncpus, sizeof(*pm->of));
	for (unsigned int i = 0; i < ndirs; i++) {
		ssize_t n;

		if (np_cpuset_isset(t->online, dirs[i]))
			continue;
		n = np__sysfs_read(cpufs, buf, sizeof(buf), "cpu%u/online", dirs[i]);
		if (n >= 0 && strcmp(buf, "0") == 0)
			continue;
		np_cpuset_set(t->online, dirs[i]);
		if (!pm->of || (!sib && np_cpuset_new(t->ncpus, &sib) < 0))
			continue; /* out of memory: probe every CPU */
		if (package_siblings(cpufs, dirs[i], sib, &pm->variant) < 0 ||
		    !np_cpuset_isset(sib, dirs[i]))
			continue;
		pm->of[dirs[i]] = sib;
		np_cpuset_or(t->online, t->online, sib);
		sib = NULL;
	}
	np_cpuset_free(sib);
	np_cpuset_and(t->online, t->online, t->known);
}

int np__topo_cpus_new(struct np_topo *t)
{
	int r;

	if ((r = np_cpuset_new(t->ncpus, &t->possible)) < 0 ||
	    (r = np_cpuset_new(t->ncpus, &t->present)) < 0 ||
	    (r = np_cpuset_new(t->ncpus, &t->online)) < 0 ||
	    (r = np_cpuset_new(t->ncpus, &t->known)) < 0)
		return r;
	t->cpus = calloc(t->ncpus, sizeof(*t->cpus));
	if (!t->cpus)
		return -ENOMEM;
	for (unsigned int c = 0; c < t->ncpus; c++)
		t->cpus[c] = (struct np_cpu){ .id = c, .package = -1, .die = -1, .cluster = -1,
					      .core = -1, .book = -1, .drawer = -1, .node = -1,
					      .core_index = -1 };
	return 0;
}

static int cpus_alloc(struct np_topo *t, long max)
{
	t->ncpus = (unsigned int)(max < 0 ? 1 : max + 1);
	return np__topo_cpus_new(t);
}

/* possible, present, online and the cpu dirs; sizes every CPU set */
static int read_cpu_sets(struct np_topo *t, const struct np_sysfs *cpufs, struct pkg_masks *pm)
{
	char poss[1024], pres[1024], onl[1024];
	bool have_poss, have_pres, have_onl;
	unsigned int *dirs = NULL, ndirs = 0;
	long max;
	int r;

	r = list_cpu_dirs(cpufs, &dirs, &ndirs, &max);
	if (r < 0)
		return r;
	text_or_empty(cpufs, poss, sizeof(poss), "possible", &have_poss);
	text_or_empty(cpufs, pres, sizeof(pres), "present", &have_pres);
	text_or_empty(cpufs, onl, sizeof(onl), "online", &have_onl);
	if (np__list_max(poss) > max)
		max = np__list_max(poss);
	if (np__list_max(pres) > max)
		max = np__list_max(pres);
	if (np__list_max(onl) > max)
		max = np__list_max(onl);
	r = max >= NP__MAX_CPUS ? -EOVERFLOW : cpus_alloc(t, max);
	if (r < 0)
		goto free_dirs;
	for (unsigned int i = 0; i < ndirs; i++)
		np_cpuset_set(t->known, dirs[i]);
	read_online(t, cpufs, onl, have_onl, dirs, ndirs, pm);
	if (!have_pres || !parse_into(cpufs, t->present, pres, "present"))
		np_cpuset_or(t->present, t->known, t->online);
	if (have_poss)
		parse_into(cpufs, t->possible, poss, "possible");
	np_cpuset_or(t->possible, t->possible, t->known);
	np_cpuset_or(t->possible, t->possible, t->present);
	np_cpuset_or(t->possible, t->possible, t->online);
	np_cpuset_or(t->known, t->known, t->present);
	np_cpuset_or(t->known, t->known, t->online);
	/* no cpuN directory and no list naming a CPU: an empty tree, not a machine of none */
	if (np_cpuset_empty(t->online)) {
		r = -ENOENT;
		goto free_dirs;
	}
	np_cpuset_foreach(c, t->possible) {
		t->cpus[c].online = np_cpuset_isset(t->online, (unsigned int)c);
		t->cpus[c].present = np_cpuset_isset(t->present, (unsigned int)c);
	}
free_dirs:
	free(dirs);
	return r;
}

/*
 * The levels above the core.  Each is read once per group: the id of its lowest online CPU and
 * its sibling list, which names the other members.  A kernel without the list makes every
 * core read the id itself.
 */
static const struct level_files {
	const char *id;
	size_t off;
	const char *const lists[4]; /* newest first: lists, then the hex masks of old kernels */
} levels[] = {
	{ "physical_package_id", offsetof(struct np_cpu, package),
	  { "package_cpus_list", "core_siblings_list", "package_cpus", "core_siblings" } },
	{ "die_id", offsetof(struct np_cpu, die), { "die_cpus_list", "die_cpus" } },
	{ "cluster_id", offsetof(struct np_cpu, cluster), { "cluster_cpus_list", "cluster_cpus" } },
	{ "book_id", offsetof(struct np_cpu, book), { "book_siblings_list", "book_siblings" } },
	{ "drawer_id", offsetof(struct np_cpu, drawer),
	  { "drawer_siblings_list", "drawer_siblings" } },
};
#define NLEVELS NP_ARRAY_SIZE(levels)

static const char *const thread_files[] = { "thread_siblings_list", "core_cpus_list",
					    "thread_siblings", "core_cpus" };

/* a file the first CPU lacks is one this kernel does not have: stop asking for it */
enum have { HAVE_UNKNOWN = -1, HAVE_NO = 0, HAVE_YES = 1 };

struct reader {
	struct np_topo *t;
	const struct np_sysfs *cpufs;
	struct np_cpuset *tmp;
	struct np_cpuset *done;  /* CPUs whose value for the level at hand is known */
	struct np_cpuset *nosib; /* CPUs whose core was found by core_id */
	int next_core;
	int thread_variant;       /* index into thread_files that exists, -1 unknown, -2 none */
	int list_variant[NLEVELS];
	enum have have_id[NLEVELS];
	enum have have_core_id, have_capacity;
	bool no_smt; /* smt/active is 0: every online CPU is a core of its own */
	struct pkg_masks pm;
};

/*
 * Read one of @files (trying each until one exists, then sticking to it) for @cpu into r->tmp.
 * Return: 0; -ENOENT when the CPU has none of them; -ERANGE and the like for a broken file.
 */
static int read_siblings(struct reader *r, unsigned int cpu, const char *const *files,
			 unsigned int nfiles, int *variant)
{
	int ret = -ENOENT;

	if (*variant == -2)
		return -ENOENT;
	for (unsigned int i = *variant >= 0 ? (unsigned int)*variant : 0; i < nfiles && files[i]; i++) {
		bool mask = strstr(files[i], "_list") == NULL;

		ret = mask ? np__topo_read_mask(r->cpufs, r->tmp, "cpu%u/topology/%s", cpu, files[i])
			   : np__sysfs_read_list(r->cpufs, r->tmp, "cpu%u/topology/%s", cpu, files[i]);
		if (ret != -ENOENT) {
			*variant = (int)i;
			break;
		}
		if (*variant >= 0)
			break;
	}
	if (ret == -ENOENT && *variant == -1)
		*variant = -2;
	return ret;
}

/* a non-negative id from cpuN/topology/@file, or -1; @have remembers whether files exist */
static int read_id(struct reader *r, unsigned int cpu, const char *file, enum have *have)
{
	long long v;
	int ret;

	if (*have == HAVE_NO)
		return -1;
	ret = np__sysfs_read_ll(r->cpufs, &v, "cpu%u/topology/%s", cpu, file);
	if (*have == HAVE_UNKNOWN)
		*have = ret == -ENOENT ? HAVE_NO : HAVE_YES;
	if (ret == 0 && (v < -1 || v > 0x7fffffff)) /* -1: none (POWER packages, arm64 dies) */
		np__sysfs_bad(r->cpufs, ERANGE, "an id out of range", "cpu%u/topology/%s", cpu,
			      file);
	return ret == 0 && v >= 0 && v <= 0x7fffffff ? (int)v : -1;
}

static int *field(struct np_cpu *c, size_t off)
{
	return (int *)((char *)c + off);
}

/*
 * One level for every online CPU.  Packages without an id (POWER's -1) are numbered after the
 * highest real one, one per sibling list.
 */
static void read_level(struct reader *r, unsigned int l)
{
	struct np_topo *t = r->t;
	const struct level_files *lf = &levels[l];
	int maxid = -1, derived = 0;

	np_cpuset_zero(r->done);
	np_cpuset_foreach(c, t->online) {
		int id;

		if (np_cpuset_isset(r->done, (unsigned int)c))
			continue;
		id = read_id(r, (unsigned int)c, lf->id, &r->have_id[l]);
		/* no dies, clusters, books or drawers here (arm64 says die_id -1 for each CPU) */
		if (l != 0 && (r->have_id[l] == HAVE_NO || (id < 0 && maxid < 0)))
			return;
		if (id < 0 && l == 0) {
			/* POWER says -1 for every CPU: the first says it for all */
			if (maxid < 0 && derived == 0)
				r->have_id[0] = HAVE_NO;
			id = -2 - derived++;
		}
		if (l == 0 && r->pm.of && r->pm.of[c]) {
			np_cpuset_copy(r->tmp, r->pm.of[c]);
			r->list_variant[0] = r->pm.variant;
		} else if (read_siblings(r, (unsigned int)c, lf->lists, NP_ARRAY_SIZE(lf->lists),
					 &r->list_variant[l]) < 0 ||
			   !np_cpuset_isset(r->tmp, (unsigned int)c)) {
			np_cpuset_zero(r->tmp);
			np_cpuset_set(r->tmp, (unsigned int)c);
		}
		np_cpuset_foreach(s, r->tmp) {
			if (!np_cpuset_isset(t->online, (unsigned int)s) ||
			    np_cpuset_isset(r->done, (unsigned int)s))
				continue;
			*field(&t->cpus[s], lf->off) = id;
			np_cpuset_set(r->done, (unsigned int)s);
		}
		if (id > maxid)
			maxid = id;
	}
	np_cpuset_foreach(c, t->online) {
		int *v = field(&t->cpus[c], lf->off);

		if (*v < -1)
			*v = maxid + 1 + (-2 - *v);
	}
}

/* An earlier online CPU without sibling files whose ids say it is on the same core, or -1. */
static int same_core_by_id(struct reader *r, unsigned int cpu)
{
	const struct np_cpu *c = &r->t->cpus[cpu];

	if (c->core < 0)
		return -1;
	np_cpuset_foreach(s, r->nosib) {
		const struct np_cpu *o = &r->t->cpus[s];

		if ((unsigned int)s >= cpu)
			break;
		if (o->core == c->core && o->package == c->package && o->die == c->die &&
		    o->book == c->book && o->drawer == c->drawer)
			return o->core_index;
	}
	return -1;
}

static unsigned int read_capacity(struct reader *r, unsigned int cpu)
{
	long long v;
	int ret;

	if (r->have_capacity == HAVE_NO)
		return 0;
	ret = np__sysfs_read_ll(r->cpufs, &v, "cpu%u/cpu_capacity", cpu);
	if (r->have_capacity == HAVE_UNKNOWN)
		r->have_capacity = ret == -ENOENT ? HAVE_NO : HAVE_YES;
	return ret == 0 && v > 0 && v < 1 << 20 ? (unsigned int)v : 0;
}

/*
 * One core: its leader's capacity, copied to the online threads of its sibling mask.  Cores
 * are the kernel's thread sibling masks; only a kernel without them makes us read core_id
 * and group by it (core_id is per package or per die, and repeats across them).
 */
static void read_core(struct reader *r, unsigned int cpu)
{
	struct np_topo *t = r->t;
	struct np_cpu *lead = &t->cpus[cpu];
	int ret;

	lead->capacity = read_capacity(r, cpu);
	if (r->no_smt) {
		lead->core_index = r->next_core++;
		return;
	}
	ret = read_siblings(r, cpu, thread_files, NP_ARRAY_SIZE(thread_files), &r->thread_variant);
	if (ret < 0 || !np_cpuset_isset(r->tmp, cpu)) {
		int same;

		/* only a kernel without sibling masks needs core_id: it is how threads group */
		lead->core = read_id(r, cpu, "core_id", &r->have_core_id);

		np_cpuset_set(r->nosib, cpu);
		same = same_core_by_id(r, cpu);
		lead->core_index = same >= 0 ? same : r->next_core++;
		return;
	}
	lead->core_index = r->next_core++;
	np_cpuset_foreach(s, r->tmp) {
		struct np_cpu *c = &t->cpus[s];

		if ((unsigned int)s == cpu || !c->online || c->core_index >= 0)
			continue;
		c->capacity = lead->capacity;
		c->core_index = lead->core_index;
	}
}

int np__topo_cpus_load(struct np_topo *t, const struct np_sysfs *fs, const struct np_sysfs *cpufs)
{
	struct reader r = { .t = t, .cpufs = cpufs, .thread_variant = -1,
			    .have_core_id = HAVE_UNKNOWN, .have_capacity = HAVE_UNKNOWN,
			    .pm = { .variant = -1 } };
	char buf[16];
	int ret;

	for (unsigned int l = 0; l < NLEVELS; l++) {
		r.list_variant[l] = -1;
		r.have_id[l] = HAVE_UNKNOWN;
	}
	ret = read_cpu_sets(t, cpufs, &r.pm);
	if (ret < 0)
		goto free_sets;
	if ((ret = np_cpuset_new(t->ncpus, &r.tmp)) < 0 ||
	    (ret = np_cpuset_new(t->ncpus, &r.done)) < 0 ||
	    (ret = np_cpuset_new(t->ncpus, &r.nosib)) < 0)
		goto free_sets;
	/* the package is a level every caller sees; the others are details a caller may skip */
	for (unsigned int l = 0; l < NLEVELS; l++)
		if (l == 0 || !(t->flags & NP_TOPO_NO_CPU_DETAILS))
			read_level(&r, l);
	if (t->flags & NP_TOPO_NO_CPU_DETAILS)
		r.have_capacity = HAVE_NO;
	/* the scheduler's own flag: no online CPU has an online SMT sibling (arm64 servers) */
	r.no_smt = np__sysfs_read(cpufs, buf, sizeof(buf), "smt/active") > 0 && strcmp(buf, "0") == 0;
	np_cpuset_foreach(c, t->online)
		if (t->cpus[c].core_index < 0)
			read_core(&r, (unsigned int)c);
	if (!(t->flags & NP_TOPO_NO_CPU_DETAILS)) {
		np__topo_cpu_freqs(t, cpufs, r.tmp);
		np__topo_cpu_kinds(t, fs, r.tmp);
	}
free_sets:
	pkg_masks_free(&r.pm, t->ncpus);
	np_cpuset_free(r.nosib);
	np_cpuset_free(r.done);
	np_cpuset_free(r.tmp);
	return ret;
}
