/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * limits.c - this process's limits: affinity, cgroup cpuset, Mems_allowed, isolated CPUs.
 *
 * Terminology:
 *  affinity      the CPUs the calling thread may run on: sched_getaffinity(2) on the live
 *                machine, Cpus_allowed_list of proc/self/status in a captured tree.
 *  mems allowed  Mems_allowed_list of proc/self/status: the nodes the cpuset lets it allocate on.
 *  hierarchy     a mounted cgroup tree holding the cpuset controller, of one of three flavours:
 *                v2 (fstype cgroup2, "cpuset" in its cgroup.controllers), v1 (fstype cgroup,
 *                option "cpuset") or the pre-cgroup cpuset filesystem (fstype cpuset, or v1 with
 *                "noprefix": files without the "cpuset." prefix).
 *  cgroup path   the process's place in that hierarchy, from proc/self/cgroup ("0::/a/b" for v2,
 *                "N:cpuset:/a/b" for v1) or proc/self/cpuset.
 *  clamped set   a set read from a file and cut to the topology's size: kernels print masks and
 *                lists up to nr_cpu_ids or MAX_NUMNODES, wider than the machine.
 *
 * Nothing here fails for a missing or unreadable file: the limit is then unknown (NULL) and the
 * allowed sets are made of what is known (all CPUs or nodes when nothing is).  Only -ENOMEM is
 * an error.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum cg_flavour {
	CG_NONE,
	CG_V2,
	CG_V1,
	CG_CPUSETFS,
};

struct np_limits {
	struct np_cpuset *allowed_cpus;
	struct np_cpuset *allowed_nodes;
	struct np_cpuset *affinity;
	struct np_cpuset *mems_allowed;
	struct np_cpuset *cg_cpus;
	struct np_cpuset *cg_nodes;
	struct np_cpuset *isolated;
	struct np_cpuset *nohz_full;
	enum cg_flavour flavour;
	char *cg_path;
};

/* Where the cpuset hierarchy is mounted, as found in the mount table. */
struct cg_mount {
	enum cg_flavour flavour;
	char dir[PATH_MAX];  /* mount point, absolute, inside the sysroot */
	char root[PATH_MAX]; /* the hierarchy's directory mounted there (mountinfo), "/" if unknown
			      */
};

/* Upper bound of the numbers in a cpulist or mask, to size a set that holds it all. */
static unsigned int needed_bits(const char *str, bool mask)
{
	unsigned long max = 0;

	if (mask)
		return (unsigned int)(strlen(str) * 4 + 32);
	for (const char *p = str; *p;) {
		if (*p >= '0' && *p <= '9') {
			char *end;
			unsigned long v = strtoul(p, &end, 10);

			if (v > max)
				max = v;
			p = end;
		} else {
			p++;
		}
	}
	return max >= (1UL << 24) ? 0 : (unsigned int)max + 1;
}

int np__parse_clamped(const char *str, unsigned int nbits, bool mask, struct np_cpuset **ret)
{
	struct np_cpuset *set;
	unsigned int wide;
	int r;

	r = np_cpuset_new(nbits, &set);
	if (r < 0)
		return r;
	r = mask ? np_cpuset_parse_mask(set, str, NULL) : np_cpuset_parse_list(set, str, NULL);
	if (r == -ERANGE) {
		wide = needed_bits(str, mask);
		r = wide > nbits ? np_cpuset_resize(set, wide) : -EINVAL;
		if (r == 0)
			r = mask ? np_cpuset_parse_mask(set, str, NULL)
				 : np_cpuset_parse_list(set, str, NULL);
		if (r == 0)
			r = np_cpuset_resize(set, nbits);
	}
	if (r < 0) {
		np_cpuset_free(set);
		return r == -ENOMEM ? r : -EINVAL;
	}
	*ret = set;
	return 0;
}

int np__read_clamped(const struct np_sysfs *fs, unsigned int nbits, bool mask,
		     struct np_cpuset **ret, const char *fmt, ...)
{
	char path[PATH_MAX], small[512], *buf = small;
	va_list ap;
	ssize_t n;
	int r;

	va_start(ap, fmt);
	r = np__vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	/* most sets fit on the stack; long lists and masks of huge machines go to the heap */
	n = np__sysfs_read(fs, small, sizeof(small), "%s", path);
	if (n == -EFBIG) {
		size_t len;

		r = np__sysfs_read_alloc(fs, &buf, &len, "%s", path);
		if (r < 0)
			return r;
		/* sysfs pads some files with NULs; captures keep them */
		while (len > 0 && (buf[len - 1] == '\0' || strchr("\n\t ", buf[len - 1])))
			buf[--len] = '\0';
	} else if (n < 0) {
		return (int)n;
	}
	/* nohz_full reads "(null)" on kernels booted without it */
	if (strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
	r = np__parse_clamped(buf, nbits, mask, ret);
	if (buf != small)
		free(buf);
	return r;
}

/* A cpulist file at @path; -ENOENT and the like when it cannot be read, -EINVAL, -ENOMEM. */
static int read_list(const struct np_sysfs *fs, const char *path, unsigned int nbits,
		     struct np_cpuset **ret)
{
	return np__read_clamped(fs, nbits, false, ret, "%s", path);
}

/* read_list() where only -ENOMEM matters: anything else leaves *@ret NULL (unknown). */
static int read_optional(const struct np_sysfs *fs, const char *path, unsigned int nbits,
			 struct np_cpuset **ret)
{
	int r = read_list(fs, path, nbits, ret);

	return r == -ENOMEM ? r : 0;
}

/* The value of "@key:\t..." in a proc/self/status text, or NULL; it ends at a newline. */
static char *status_field(char *text, const char *key)
{
	size_t klen = strlen(key);

	for (char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			return line + klen + 1 + strspn(line + klen + 1, " \t");
	return NULL;
}

static int read_status(const struct np_sysfs *fs, bool want_cpus, unsigned int ncpus,
		       unsigned int nnodes, struct np_limits *l)
{
	char *text, *cpus, *mems;
	int r = 0;

	if (np__sysfs_read_alloc(fs, &text, NULL, "proc/self/status") < 0)
		return 0;
	/* find both before cutting either at its newline: the search walks lines */
	cpus = want_cpus ? status_field(text, "Cpus_allowed_list") : NULL;
	mems = status_field(text, "Mems_allowed_list");
	if (cpus)
		cpus[strcspn(cpus, "\n")] = '\0';
	if (mems)
		mems[strcspn(mems, "\n")] = '\0';
	if (mems)
		r = np__parse_clamped(mems, nnodes, false, &l->mems_allowed);
	if (cpus && r != -ENOMEM)
		r = np__parse_clamped(cpus, ncpus, false, &l->affinity);
	free(text);
	return r == -ENOMEM ? r : 0;
}

/*
 * The calling thread's affinity.  The kernel refuses (EINVAL) a buffer smaller than
 * nr_cpu_ids bits, which can exceed the CPUs sysfs shows: grow until it fits.
 */
static int read_affinity(unsigned int ncpus, struct np_cpuset **ret)
{
	unsigned int n = ncpus > 64 ? ncpus : 64;
	struct np_cpuset *set;
	cpu_set_t *mask;
	size_t size;
	int r;

	for (;;) {
		mask = CPU_ALLOC(n);
		if (!mask)
			return -ENOMEM;
		size = CPU_ALLOC_SIZE(n);
		if (sched_getaffinity(0, size, mask) == 0)
			break;
		r = -errno;
		CPU_FREE(mask);
		if (r != -EINVAL || n >= (1U << 22))
			return r;
		n *= 2;
	}
	r = np_cpuset_new(ncpus, &set);
	if (r == 0) {
		for (unsigned int cpu = 0; cpu < ncpus && cpu < n; cpu++)
			if (CPU_ISSET_S(cpu, size, mask))
				np_cpuset_set(set, cpu);
		*ret = set;
	}
	CPU_FREE(mask);
	return r;
}

/* Undo the octal escapes (\040 for a blank) of /proc/mounts and mountinfo fields. */
static void unescape(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*w++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

/* Whether @word is an element of the @sep-separated list @list. */
static bool has_word(const char *list, const char *word, char sep)
{
	size_t wlen = strlen(word);

	for (const char *p = list; p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == wlen && strncmp(p, word, wlen) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Whether the cgroup2 hierarchy mounted at @dir offers the cpuset controller. */
static bool v2_has_cpuset(const struct np_sysfs *fs, const char *dir)
{
	char buf[1024];

	if (np__sysfs_read(fs, buf, sizeof(buf), "%s/cgroup.controllers", dir) < 0)
		return false;
	return has_word(buf, "cpuset", ' ');
}

/*
 * Classify one mount; fills @m and returns true when it is a cpuset hierarchy.  A cgroup2 mount
 * without the cpuset controller is skipped: on "hybrid" systems cpuset lives in a v1 mount.
 */
static bool classify(const struct np_sysfs *fs, const char *dir, const char *root, const char *type,
		     const char *opts, struct cg_mount *m)
{
	enum cg_flavour f = CG_NONE;

	if (strcmp(type, "cgroup2") == 0 && v2_has_cpuset(fs, dir))
		f = CG_V2;
	else if (strcmp(type, "cgroup") == 0 && has_word(opts, "cpuset", ','))
		f = has_word(opts, "noprefix", ',') ? CG_CPUSETFS : CG_V1;
	else if (strcmp(type, "cpuset") == 0)
		f = CG_CPUSETFS;
	if (f == CG_NONE || strlen(dir) >= sizeof(m->dir) || strlen(root) >= sizeof(m->root))
		return false;
	m->flavour = f;
	strcpy(m->dir, dir);
	strcpy(m->root, root);
	return true;
}

/*
 * One line of mountinfo ("36 35 98:0 /root /mnt opts shared:1 - type src superopts") or of
 * /proc/mounts ("src /mnt type opts 0 0"), split in place.
 */
static bool mount_line(const struct np_sysfs *fs, char *line, bool mountinfo, struct cg_mount *m)
{
	char *f[32] = {0}, *save = NULL;
	unsigned int n = 0, dash = 0;

	for (char *t = strtok_r(line, " \t", &save); t && n < NP_ARRAY_SIZE(f);
	     t = strtok_r(NULL, " \t", &save)) {
		if (mountinfo && !dash && n >= 6 && strcmp(t, "-") == 0)
			dash = n;
		f[n++] = t;
	}
	for (unsigned int i = 0; i < n; i++)
		unescape(f[i]);
	if (mountinfo) {
		if (!dash || dash + 3 >= n)
			return false;
		/* the cgroup options (cpuset, noprefix) are super options, after the type */
		return classify(fs, f[4], f[3], f[dash + 1], f[dash + 3], m);
	}
	if (n < 4)
		return false;
	return classify(fs, f[1], "/", f[2], f[3], m);
}

static int scan_mounts(const struct np_sysfs *fs, bool mountinfo, struct cg_mount *m)
{
	char *text, *save = NULL;
	bool found = false;
	int r;

	r = np__sysfs_read_alloc(fs, &text, NULL,
				 mountinfo ? "proc/self/mountinfo" : "proc/mounts");
	if (r < 0)
		return r;
	for (char *line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = mount_line(fs, line, mountinfo, m);
	free(text);
	return found ? 0 : -ENOENT;
}

/*
 * Find the cpuset hierarchy: the mount table first (mountinfo, which also tells what part of
 * the hierarchy a container sees), then the usual mount points, as hwloc does for trees
 * without a mount table.
 */
static int find_mount(const struct np_sysfs *fs, struct cg_mount *m)
{
	static const struct {
		const char *probe, *dir;
		enum cg_flavour flavour;
	} usual[] = {
	    {"sys/fs/cgroup/cpuset.cpus.effective", "/sys/fs/cgroup", CG_V2},
	    {"sys/fs/cgroup/cpuset/cpuset.cpus", "/sys/fs/cgroup/cpuset", CG_V1},
	    {"dev/cpuset/cpus", "/dev/cpuset", CG_CPUSETFS},
	};
	int r = scan_mounts(fs, true, m);

	if (r == -ENOMEM)
		return r;
	if (r < 0)
		r = scan_mounts(fs, false, m);
	if (r == -ENOMEM || r == 0)
		return r;
	for (size_t i = 0; i < NP_ARRAY_SIZE(usual); i++) {
		if (np__sysfs_exists(fs, "%s", usual[i].probe)) {
			m->flavour = usual[i].flavour;
			strcpy(m->dir, usual[i].dir);
			strcpy(m->root, "/");
			return 0;
		}
	}
	return -ENOENT;
}

/* The process's path in the hierarchy, from proc/self/cgroup, else proc/self/cpuset. */
static int find_path(const struct np_sysfs *fs, enum cg_flavour flavour, char **ret)
{
	char *text, *save = NULL, *path = NULL;
	int r;

	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/self/cgroup");
	if (r == 0) {
		for (char *line = strtok_r(text, "\n", &save); line && !path;
		     line = strtok_r(NULL, "\n", &save)) {
			char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

			if (!c2)
				continue;
			*c2 = '\0';
			if (flavour == CG_V2 ? strcmp(line, "0:") == 0
					     : has_word(c1 + 1, "cpuset", ','))
				path = strdup(c2 + 1);
		}
		free(text);
		if (path) {
			*ret = path;
			return 0;
		}
	}
	if (r == -ENOMEM)
		return r;
	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/self/cpuset");
	if (r < 0)
		return r;
	text[strcspn(text, "\n")] = '\0';
	*ret = text;
	return 0;
}

/*
 * Read one cpuset attribute for @path, walking up to the mount's top when the cgroup lacks it
 * (a v2 cgroup without the cpuset controller enabled has no cpuset files; its parent's effective
 * sets are what the kernel applies).  @names are tried in order at each level.  An empty file is
 * no answer either: it only appears where nothing was configured (v1 with cpuset_v2_mode).
 */
static int read_attr(const struct np_sysfs *fs, const struct cg_mount *m, const char *path,
		     const char *const names[2], unsigned int nbits, struct np_cpuset **ret)
{
	char dir[PATH_MAX];
	size_t top = strlen(m->dir), len;
	int r, n;

	n = snprintf(dir, sizeof(dir), "%s/%s", m->dir, path);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	for (len = (size_t)n; len > top && dir[len - 1] == '/';)
		dir[--len] = '\0';
	for (;;) {
		for (int i = 0; i < 2 && names[i]; i++) {
			char *text;

			r = np__sysfs_read_alloc(fs, &text, NULL, "%s/%s", dir, names[i]);
			if (r == -ENOMEM)
				return r;
			if (r < 0)
				continue;
			text[strcspn(text, "\n")] = '\0';
			r = text[0] ? np__parse_clamped(text, nbits, false, ret) : -ENODATA;
			free(text);
			if (r == 0 || r == -ENOMEM)
				return r;
		}
		if (len <= top)
			return -ENOENT;
		/* up one level: drop the last component and the slashes before it */
		while (len > top && dir[len - 1] != '/')
			len--;
		while (len > top && dir[len - 1] == '/')
			len--;
		dir[len] = '\0';
	}
}

/* The part of the cgroup path below the mounted root (a container sees only its subtree). */
static const char *below_root(const char *path, const char *root)
{
	size_t len = strlen(root);

	if (len <= 1 || strncmp(path, root, len) != 0 || (path[len] != '/' && path[len]))
		return path;
	return path + len;
}

static int read_cgroup(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		       struct np_limits *l)
{
	static const char *const names[][2][2] = {
	    [CG_V2] = {{"cpuset.cpus.effective", NULL}, {"cpuset.mems.effective", NULL}},
	    [CG_V1] = {{"cpuset.effective_cpus", "cpuset.cpus"},
		       {"cpuset.effective_mems", "cpuset.mems"}},
	    [CG_CPUSETFS] = {{"effective_cpus", "cpus"}, {"effective_mems", "mems"}},
	};
	struct cg_mount *m;
	const char *rel;
	char *path = NULL;
	int r;

	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = find_mount(fs, m);
	if (r == 0)
		r = find_path(fs, m->flavour, &path);
	if (r < 0)
		goto out;
	rel = below_root(path, m->root);
	/* a cgroup path never climbs; one that does would lead reads out of the sysroot */
	if (strstr(rel, "/..")) {
		r = -EINVAL;
		goto out;
	}
	r = read_attr(fs, m, rel, names[m->flavour][0], ncpus, &l->cg_cpus);
	if (r != -ENOMEM)
		r = read_attr(fs, m, rel, names[m->flavour][1], nnodes, &l->cg_nodes);
	if (r == -ENOMEM)
		goto out;
	if (l->cg_cpus || l->cg_nodes) {
		l->flavour = m->flavour;
		l->cg_path = path;
		path = NULL;
	}
	r = 0;
out:
	free(path);
	free(m);
	return r == -ENOMEM ? r : 0;
}

/* @acc = @acc & @set, where NULL is "unknown" (no constraint); *@acc is created on first use. */
static int narrow(struct np_cpuset **acc, const struct np_cpuset *set)
{
	if (!set)
		return 0;
	if (!*acc)
		return np_cpuset_dup(set, acc);
	return np_cpuset_and(*acc, *acc, set);
}

/*
 * The online nodes: node/online, else the nodeN directories; a machine without
 * sys/devices/system/node has one implicit node 0.  The online CPUs come from cpu/online only:
 * kernels without it need a read per CPU, which the topology does anyway and hands over through
 * np__limits_restrict().  *@ret stays NULL when nothing tells.
 */
static int read_online(const struct np_sysfs *fs, bool cpus, unsigned int nbits,
		       struct np_cpuset **ret)
{
	struct np_cpuset *set;
	struct dirent *de;
	unsigned long id;
	char *end;
	DIR *d;
	int r;

	r = read_list(fs, cpus ? "sys/devices/system/cpu/online" : "sys/devices/system/node/online",
		      nbits, ret);
	if (r != -ENOENT || cpus)
		return r == -ENOMEM ? r : 0;
	r = np_cpuset_new(nbits, &set);
	if (r < 0)
		return r;
	if (np__sysfs_opendir(fs, &d, "sys/devices/system/node") < 0) {
		if (nbits > 0)
			np_cpuset_set(set, 0);
		goto done;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "node", 4) != 0 || de->d_name[4] < '0' ||
		    de->d_name[4] > '9')
			continue;
		id = strtoul(de->d_name + 4, &end, 10);
		if (!*end && id < nbits)
			np_cpuset_set(set, (unsigned int)id);
	}
	closedir(d);
done:
	if (np_cpuset_empty(set))
		np_cpuset_free(set);
	else
		*ret = set;
	return 0;
}

/* The allowed sets; @online_cpus / @online_nodes are read here when NULL. */
static int combine(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		   const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
		   struct np_limits *l)
{
	struct np_cpuset *own_cpus = NULL, *own_nodes = NULL;
	int r = 0;

	if (!online_cpus) {
		r = read_online(fs, true, ncpus, &own_cpus);
		online_cpus = own_cpus;
	}
	if (r == 0 && !online_nodes) {
		r = read_online(fs, false, nnodes, &own_nodes);
		online_nodes = own_nodes;
	}
	if (r == 0)
		r = narrow(&l->allowed_cpus, online_cpus);
	if (r == 0)
		r = narrow(&l->allowed_cpus, l->affinity);
	if (r == 0)
		r = narrow(&l->allowed_cpus, l->cg_cpus);
	if (r == 0)
		r = narrow(&l->allowed_nodes, online_nodes);
	if (r == 0)
		r = narrow(&l->allowed_nodes, l->mems_allowed);
	if (r == 0)
		r = narrow(&l->allowed_nodes, l->cg_nodes);
	/* nothing known: every CPU (node) the topology has */
	if (r == 0 && !l->allowed_cpus && np_cpuset_new(ncpus, &l->allowed_cpus) == 0)
		np_cpuset_fill(l->allowed_cpus);
	if (r == 0 && !l->allowed_nodes && np_cpuset_new(nnodes, &l->allowed_nodes) == 0)
		np_cpuset_fill(l->allowed_nodes);
	if (r == 0 && (!l->allowed_cpus || !l->allowed_nodes))
		r = -ENOMEM;
	np_cpuset_free(own_cpus);
	np_cpuset_free(own_nodes);
	return r;
}

int np__limits_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		    const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
		    struct np_limits **ret)
{
	struct np_limits *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	r = fs->live ? read_affinity(ncpus, &l->affinity) : 0;
	/* a thread's affinity can fail only for odd reasons (seccomp): then use the status file */
	if (r < 0 && r != -ENOMEM)
		r = 0;
	if (r == 0)
		r = read_status(fs, !l->affinity, ncpus, nnodes, l);
	if (r == 0)
		r = read_cgroup(fs, ncpus, nnodes, l);
	if (r == 0)
		r = read_optional(fs, "sys/devices/system/cpu/isolated", ncpus, &l->isolated);
	if (r == 0)
		r = read_optional(fs, "sys/devices/system/cpu/nohz_full", ncpus, &l->nohz_full);
	if (r == 0)
		r = combine(fs, ncpus, nnodes, online_cpus, online_nodes, l);
	if (r < 0) {
		np__limits_free(l);
		return r;
	}
	*ret = l;
	return 0;
}

int np__limits_unknown(const struct np_cpuset *online_cpus, const struct np_cpuset *online_nodes,
			struct np_limits **ret)
{
	struct np_limits *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	r = np_cpuset_dup(online_cpus, &l->allowed_cpus);
	if (r == 0)
		r = np_cpuset_dup(online_nodes, &l->allowed_nodes);
	if (r < 0) {
		np__limits_free(l);
		return r;
	}
	*ret = l;
	return 0;
}

void np__limits_free(struct np_limits *l)
{
	if (!l)
		return;
	np_cpuset_free(l->allowed_cpus);
	np_cpuset_free(l->allowed_nodes);
	np_cpuset_free(l->affinity);
	np_cpuset_free(l->mems_allowed);
	np_cpuset_free(l->cg_cpus);
	np_cpuset_free(l->cg_nodes);
	np_cpuset_free(l->isolated);
	np_cpuset_free(l->nohz_full);
	free(l->cg_path);
	free(l);
}

static const struct np_limits *limits(const struct np_topo *topo)
{
	return topo ? topo->limits : NULL;
}

#define LIMIT_SET(fn, field)                                                                       \
	const struct np_cpuset *fn(const struct np_topo *topo)                                     \
	{                                                                                          \
		const struct np_limits *l = limits(topo);                                          \
		return l ? l->field : NULL;                                                        \
	}

LIMIT_SET(np_topo_allowed_cpus, allowed_cpus)
LIMIT_SET(np_topo_allowed_nodes, allowed_nodes)
LIMIT_SET(np_topo_affinity_cpus, affinity)
LIMIT_SET(np_topo_mems_allowed, mems_allowed)
LIMIT_SET(np_topo_cgroup_cpus, cg_cpus)
LIMIT_SET(np_topo_cgroup_nodes, cg_nodes)
LIMIT_SET(np_topo_isolated_cpus, isolated)
LIMIT_SET(np_topo_nohz_full_cpus, nohz_full)

int np_topo_cgroup_version(const struct np_topo *topo)
{
	const struct np_limits *l = limits(topo);

	if (!l || l->flavour == CG_NONE)
		return 0;
	return l->flavour == CG_V2 ? 2 : 1;
}

const char *np_topo_cgroup_path(const struct np_topo *topo)
{
	const struct np_limits *l = limits(topo);

	return l ? l->cg_path : NULL;
}
