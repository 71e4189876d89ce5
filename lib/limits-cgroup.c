/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * limits-cgroup.c - the process's cpuset cgroup: where the hierarchy is mounted, where the
 * process sits in it, and the effective CPUs and memory nodes it is given.
 *
 * Terminology:
 *  hierarchy     a mounted cgroup tree holding the cpuset controller, of one of three flavours:
 *                v2 (fstype cgroup2, "cpuset" in its cgroup.controllers), v1 (fstype cgroup,
 *                option "cpuset") or the pre-cgroup cpuset filesystem (fstype cpuset, or v1 with
 *                "noprefix": files without the "cpuset." prefix).
 *  cgroup path   the process's place in that hierarchy, from proc/self/cgroup ("0::/a/b" for v2,
 *                "N:cpuset:/a/b" for v1) or proc/self/cpuset.
 *
 * A missing mount table, path or attribute is no error: the cgroup is then unknown.  Only
 * -ENOMEM is.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Where the cpuset hierarchy is mounted, as found in the mount table. */
struct cg_mount {
	enum np__cg_flavour flavour;
	char dir[PATH_MAX];  /* mount point, absolute, inside the sysroot */
	char root[PATH_MAX]; /* the hierarchy's directory mounted there (mountinfo), "/" if unknown
			      */
};

void np__unescape(char *s)
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

bool np__has_word(const char *list, const char *word, char sep)
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
	return np__has_word(buf, "cpuset", ' ');
}

enum np__cg_flavour np__mount_flavour(const struct np__mount *m)
{
	if (strcmp(m->type, "cgroup2") == 0)
		return NP__CG_V2;
	if (strcmp(m->type, "cgroup") == 0 && np__has_word(m->opts, "cpuset", ','))
		return np__has_word(m->opts, "noprefix", ',') ? NP__CG_CPUSETFS : NP__CG_V1;
	if (strcmp(m->type, "cpuset") == 0)
		return NP__CG_CPUSETFS;
	return NP__CG_NONE;
}

/*
 * Whether @path has a ".." component ("/.." anywhere, which also refuses names that begin
 * with two dots, or a leading ".."): reads below it would leave the sysroot.
 */
static bool climbs(const char *path)
{
	return strstr(path, "/..") || (path[0] == '.' && path[1] == '.' &&
				       (path[2] == '/' || !path[2]));
}

/*
 * Classify one mount; fills @m and returns true when it is a cpuset hierarchy.  A cgroup2 mount
 * without the cpuset controller is skipped: on "hybrid" systems cpuset lives in a v1 mount.
 */
static bool classify(const struct np_sysfs *fs, const struct np__mount *mnt, struct cg_mount *m)
{
	enum np__cg_flavour f = np__mount_flavour(mnt);

	/* a hostile mount table could name a mount point outside the sysroot */
	if (climbs(mnt->dir))
		return false;
	if (f == NP__CG_V2 && !v2_has_cpuset(fs, mnt->dir))
		f = NP__CG_NONE;
	if (f == NP__CG_NONE || strlen(mnt->dir) >= sizeof(m->dir) ||
	    strlen(mnt->root) >= sizeof(m->root))
		return false;
	m->flavour = f;
	strcpy(m->dir, mnt->dir);
	strcpy(m->root, mnt->root);
	return true;
}

int np__mount_line(char *line, bool mountinfo, struct np__mount *ret)
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
		np__unescape(f[i]);
	if (mountinfo) {
		if (!dash || dash + 3 >= n)
			return -EINVAL;
		/* the cgroup options (cpuset, noprefix) are super options, after the type */
		*ret = (struct np__mount){ f[4], f[3], f[dash + 1], f[dash + 3] };
		return 0;
	}
	if (n < 4)
		return -EINVAL;
	*ret = (struct np__mount){ f[1], "/", f[2], f[3] };
	return 0;
}

static int scan_mounts(const struct np_sysfs *fs, bool mountinfo, struct cg_mount *m)
{
	char *text, *save = NULL;
	struct np__mount mnt;
	bool found = false;
	int r;

	r = np__sysfs_read_alloc(fs, &text, NULL,
				 mountinfo ? "proc/self/mountinfo" : "proc/mounts");
	if (r < 0)
		return r;
	for (char *line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = np__mount_line(line, mountinfo, &mnt) == 0 && classify(fs, &mnt, m);
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
		enum np__cg_flavour flavour;
	} usual[] = {
	    {"sys/fs/cgroup/cpuset.cpus.effective", "/sys/fs/cgroup", NP__CG_V2},
	    {"sys/fs/cgroup/cpuset/cpuset.cpus", "/sys/fs/cgroup/cpuset", NP__CG_V1},
	    {"dev/cpuset/cpus", "/dev/cpuset", NP__CG_CPUSETFS},
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

int np__cgroup_path(const char *text, bool v2, char **ret)
{
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		const char *c1 = memchr(line, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		char *ctl;
		bool match;

		if (c2) {
			ctl = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
			if (!ctl)
				return -ENOMEM;
			match = v2 ? c2 - line == 2 && line[0] == '0'
				   : np__has_word(ctl, "cpuset", ',');
			free(ctl);
			if (match) {
				*ret = strndup(c2 + 1, len - (size_t)(c2 + 1 - line));
				return *ret ? 0 : -ENOMEM;
			}
		}
		line += len + (line[len] == '\n');
	}
	return -ENOENT;
}

int np__cpuset_path(const char *text, char **ret)
{
	char *path = strndup(text, strcspn(text, "\n"));

	if (!path)
		return -ENOMEM;
	*ret = path;
	return 0;
}

/* The process's path in the hierarchy, from proc/self/cgroup, else proc/self/cpuset. */
static int find_path(const struct np_sysfs *fs, enum np__cg_flavour flavour, char **ret)
{
	char *text;
	int r;

	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/self/cgroup");
	if (r == 0) {
		r = np__cgroup_path(text, flavour == NP__CG_V2, ret);
		free(text);
		if (r == 0 || r == -ENOMEM)
			return r;
	}
	if (r == -ENOMEM)
		return r;
	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/self/cpuset");
	if (r < 0)
		return r;
	r = np__cpuset_path(text, ret);
	free(text);
	return r;
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

int np__cgroup_cpuset(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		      int *version, char **path_ret, struct np_cpuset **cpus,
		      struct np_cpuset **nodes)
{
	static const char *const names[][2][2] = {
	    [NP__CG_V2] = {{"cpuset.cpus.effective", NULL}, {"cpuset.mems.effective", NULL}},
	    [NP__CG_V1] = {{"cpuset.effective_cpus", "cpuset.cpus"},
		       {"cpuset.effective_mems", "cpuset.mems"}},
	    [NP__CG_CPUSETFS] = {{"effective_cpus", "cpus"}, {"effective_mems", "mems"}},
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
	if (climbs(rel)) {
		r = -EINVAL;
		goto out;
	}
	r = read_attr(fs, m, rel, names[m->flavour][0], ncpus, cpus);
	if (r != -ENOMEM)
		r = read_attr(fs, m, rel, names[m->flavour][1], nnodes, nodes);
	if (r == -ENOMEM)
		goto out;
	if (*cpus || *nodes) {
		*version = m->flavour == NP__CG_V2 ? 2 : 1;
		*path_ret = path;
		path = NULL;
	}
	r = 0;
out:
	free(path);
	free(m);
	return r == -ENOMEM ? r : 0;
}
