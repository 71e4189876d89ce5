/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-capture.c - np_topo_capture(): copy the files np_topo_load() reads into a directory
 * that can stand in for "/" later (numaplace topo --sysroot DIR, bug reports, test fixtures).
 *
 * Terminology:
 *  manifest  the list below of what the topology readers open: fixed files, and files under
 *            each cpuN, nodeN, PCI device and class entry.  It is kept next to the readers
 *            (lib/topo-*.c, limits.c, devices.c, hmat.c) and must change with them; the CLI
 *            test compares `topo` on the machine and on its capture.
 *  link      sysfs is full of symbolic links (sys/bus/pci/devices/X -> ../../../devices/...):
 *            each is copied as a link, and what it points to is copied as well, so the
 *            capture resolves the same way as the original.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct capture {
	const struct np_sysfs *fs;
	int dstfd;
	int copied;
	int err; /* the first write error */
};

/* Remove "." and ".." components and duplicate slashes, in place; no leading slash. */
static void normalize(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *next = end ? end + 1 : p + len; /* read before out may overwrite it */

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out > path && out[-1] == '/')
				out--;
			while (out > path && out[-1] != '/')
				out--;
		} else {
			memmove(out, p, len);
			out += len;
			if (end)
				*out++ = '/';
		}
		p = next;
		if (!end)
			break;
	}
	if (out > path && out[-1] == '/')
		out--;
	*out = '\0';
}

static void fail(struct capture *c, int err)
{
	if (!c->err)
		c->err = err;
}

static void make_dir(struct capture *c, const char *rel)
{
	if (mkdirat(c->dstfd, rel, 0755) < 0 && errno != EEXIST)
		fail(c, -errno);
}

static void write_file(struct capture *c, const char *rel, const char *data, size_t len)
{
	int fd = openat(c->dstfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0) {
		fail(c, -errno);
		return;
	}
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(c, -errno);
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		fail(c, -errno);
	c->copied++;
}

/*
 * Copy @rel, following its links component by component: each link is recreated in the
 * capture and the walk goes on at its target.  @depth bounds link chains.
 */
static void copy_path(struct capture *c, const char *rel, int depth)
{
	char path[PATH_MAX], done[PATH_MAX], link[PATH_MAX - 64];
	struct stat st;
	char *p, *slash;

	if (depth > 16 || snprintf(path, sizeof(path), "%s", rel) >= (int)sizeof(path))
		return;
	normalize(path);
	for (p = path;; p = slash + 1) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		snprintf(done, sizeof(done), "%s", path);
		if (fstatat(c->fs->rootfd, done, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return;
		if (S_ISLNK(st.st_mode)) {
			char next[PATH_MAX];
			ssize_t n = np__sysfs_readlink(c->fs, link, sizeof(link), "%s", done);

			if (n < 0)
				return;
			if (symlinkat(link, c->dstfd, done) < 0 && errno != EEXIST)
				fail(c, -errno);
			/* the target, relative to the link's directory, then the rest of the path */
			if (snprintf(next, sizeof(next), "%.*s%s%s%s", (int)(p - path), path, link,
				     slash ? "/" : "", slash ? slash + 1 : "") >= (int)sizeof(next))
				return;
			if (link[0] == '/')
				snprintf(next, sizeof(next), "%s%s%s", link, slash ? "/" : "",
					 slash ? slash + 1 : "");
			copy_path(c, next, depth + 1);
			return;
		}
		if (!slash)
			break;
		make_dir(c, done);
		*slash = '/';
	}
	if (S_ISDIR(st.st_mode)) {
		make_dir(c, path);
	} else if (S_ISREG(st.st_mode)) {
		char *data;
		size_t len;

		if (np__sysfs_read_alloc(c->fs, &data, &len, "%s", path) == 0) {
			write_file(c, path, data, len);
			free(data);
		}
	}
}

static void copyf(struct capture *c, const char *fmt, ...) NP_PRINTF(2, 3);
static void copyf(struct capture *c, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n > 0 && n < (int)sizeof(path))
		copy_path(c, path, 0);
}

/* Call @fn for each entry of directory @dir whose name starts with @prefix. */
static void each_entry(struct capture *c, const char *dir, const char *prefix,
		       void (*fn)(struct capture *c, const char *dir, const char *name))
{
	struct dirent *de;
	DIR *d;

	if (np__sysfs_opendir(c->fs, &d, "%s", dir) < 0)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			fn(c, dir, de->d_name);
	closedir(d);
}

static void copy_entry(struct capture *c, const char *dir, const char *name)
{
	copyf(c, "%s/%s", dir, name);
}

static void copy_dir(struct capture *c, const char *dir)
{
	each_entry(c, dir, "", copy_entry);
}

static void cache_index(struct capture *c, const char *dir, const char *name)
{
	char sub[PATH_MAX];

	snprintf(sub, sizeof(sub), "%s/%s", dir, name);
	copy_dir(c, sub);
}

static void one_cpu(struct capture *c, const char *dir, const char *name)
{
	static const char *const freq[] = { "cpuinfo_max_freq", "cpuinfo_min_freq",
					    "base_frequency", "related_cpus" };
	char sub[PATH_MAX];

	if (name[3] < '0' || name[3] > '9')
		return;
	copyf(c, "%s/%s/online", dir, name);
	copyf(c, "%s/%s/cpu_capacity", dir, name);
	snprintf(sub, sizeof(sub), "%s/%s/topology", dir, name);
	copy_dir(c, sub);
	snprintf(sub, sizeof(sub), "%s/%s/cache", dir, name);
	each_entry(c, sub, "index", cache_index);
	for (unsigned int i = 0; i < NP_ARRAY_SIZE(freq); i++)
		copyf(c, "%s/%s/cpufreq/%s", dir, name, freq[i]);
}

static void node_sub(struct capture *c, const char *dir, const char *name)
{
	char sub[PATH_MAX];

	snprintf(sub, sizeof(sub), "%s/%s", dir, name);
	each_entry(c, sub, "", copy_entry);
}

static void one_node(struct capture *c, const char *dir, const char *name)
{
	/* numastat: the counters `stat` reads (lib/numastat.c) */
	static const char *const files[] = { "cpulist", "cpumap", "meminfo", "distance",
					     "numastat" };
	char sub[PATH_MAX];

	if (name[4] < '0' || name[4] > '9')
		return;
	for (unsigned int i = 0; i < NP_ARRAY_SIZE(files); i++)
		copyf(c, "%s/%s/%s", dir, name, files[i]);
	snprintf(sub, sizeof(sub), "%s/%s/hugepages", dir, name);
	each_entry(c, sub, "hugepages-", node_sub);
	for (unsigned int a = 0; a < 2; a++) {
		snprintf(sub, sizeof(sub), "%s/%s/access%u", dir, name, a);
		copy_dir(c, sub);
		snprintf(sub, sizeof(sub), "%s/%s/access%u/initiators", dir, name, a);
		copy_dir(c, sub);
	}
	snprintf(sub, sizeof(sub), "%s/%s/memory_side_cache", dir, name);
	each_entry(c, sub, "index", node_sub);
}

/* memory_tierN: its nodelist (lib/tiers.c) */
static void one_tier(struct capture *c, const char *dir, const char *name)
{
	copyf(c, "%s/%s/nodelist", dir, name);
}

static void one_pci(struct capture *c, const char *dir, const char *name)
{
	static const char *const files[] = { "numa_node", "local_cpulist", "local_cpus",
					     "class", "vendor", "device" };

	for (unsigned int i = 0; i < NP_ARRAY_SIZE(files); i++)
		copyf(c, "%s/%s/%s", dir, name, files[i]);
}

/* an NVIDIA GPU's memory node (np_device_memory_node()) */
static void one_nvidia_gpu(struct capture *c, const char *dir, const char *name)
{
	copyf(c, "%s/%s/numa_status", dir, name);
}

static void one_class_entry(struct capture *c, const char *dir, const char *name)
{
	copyf(c, "%s/%s", dir, name);
	copyf(c, "%s/%s/device", dir, name);
	copyf(c, "%s/%s/partition", dir, name);
}

/* the cpuset files of cgroup (or cpuset fs) directory @dir and its ancestors up to @mnt */
static void cpuset_dirs(struct capture *c, const char *mnt, const char *path)
{
	static const char *const files[] = {
		"cpuset.cpus.effective", "cpuset.mems.effective", "cpuset.cpus", "cpuset.mems",
		"cpuset.effective_cpus", "cpuset.effective_mems", "cpus", "mems", "cgroup.controllers",
	};
	char dir[PATH_MAX];
	size_t base;

	if (snprintf(dir, sizeof(dir), "%s/%s", mnt, path) >= (int)sizeof(dir))
		return;
	normalize(dir);
	base = strlen(mnt);
	for (;;) {
		char *s;

		for (unsigned int i = 0; i < NP_ARRAY_SIZE(files); i++)
			copyf(c, "%s/%s", dir, files[i]);
		s = strrchr(dir, '/');
		if (!s || (size_t)(s - dir) < base)
			break;
		*s = '\0';
	}
}

/*
 * This process's cpuset: its paths come from proc/self/cgroup (v1 "N:cpuset:/p", v2 "0::/p")
 * and proc/self/cpuset, its mount points from proc/mounts (cgroup2, cgroup with the cpuset
 * controller, or the old cpuset fs): every path under every mount.
 */
static void cgroup_files(struct capture *c)
{
	char *mounts = NULL, *paths = NULL, *cs = NULL, *line, *save = NULL;
	char mnt[16][256];
	unsigned int nmnt = 0;

	if (np__sysfs_read_alloc(c->fs, &mounts, NULL, "proc/mounts") == 0) {
		for (line = strtok_r(mounts, "\n", &save); line && nmnt < 16;
		     line = strtok_r(NULL, "\n", &save)) {
			char dev[256], dir[256], type[64], opts[1024];

			if (sscanf(line, "%255s %255s %63s %1023s", dev, dir, type, opts) != 4)
				continue;
			if (strcmp(type, "cgroup2") == 0 || strcmp(type, "cpuset") == 0 ||
			    (strcmp(type, "cgroup") == 0 && strstr(opts, "cpuset")))
				snprintf(mnt[nmnt++], sizeof(mnt[0]), "%s", dir + (dir[0] == '/'));
		}
		free(mounts);
	}
	if (np__sysfs_read_alloc(c->fs, &cs, NULL, "proc/self/cpuset") == 0) {
		cs[strcspn(cs, "\n")] = '\0';
		for (unsigned int m = 0; m < nmnt; m++)
			cpuset_dirs(c, mnt[m], cs);
		free(cs);
	}
	if (np__sysfs_read_alloc(c->fs, &paths, NULL, "proc/self/cgroup") < 0)
		return;
	save = NULL;
	for (line = strtok_r(paths, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ctrl = strchr(line, ':'), *path = ctrl ? strchr(ctrl + 1, ':') : NULL;

		if (!path || (path != ctrl + 1 && !strstr(ctrl, "cpuset")))
			continue;
		for (unsigned int m = 0; m < nmnt; m++)
			cpuset_dirs(c, mnt[m], path + 1);
	}
	free(paths);
}

static void capture_all(struct capture *c)
{
	static const char *const files[] = {
		"proc/meminfo", "proc/cpuinfo", "proc/mounts", "proc/self/status", "proc/self/cgroup",
		"proc/self/cpuset", "proc/self/mountinfo", "dev/cpuset/cpus", "dev/cpuset/mems",
		"sys/devices/system/cpu/possible", "sys/devices/system/cpu/present",
		"sys/devices/system/cpu/online", "sys/devices/system/cpu/offline",
		"sys/devices/system/cpu/isolated", "sys/devices/system/cpu/nohz_full",
		"sys/devices/system/cpu/smt/active",
		"sys/devices/system/node/online", "sys/devices/system/node/possible",
		"sys/devices/system/node/has_cpu", "sys/devices/system/node/has_memory",
		"sys/devices/cpu_core/cpus", "sys/devices/cpu_atom/cpus",
		"proc/vmstat", /* stat's NUMA balancing and migration rows */
		/* lib/tiers.c */
		"sys/kernel/mm/numa/demotion_enabled", "proc/sys/kernel/numa_balancing",
	};
	static const char *const classes[] = { "net", "nvme", "drm", "infiniband", "block" };
	char dir[64];

	for (unsigned int i = 0; i < NP_ARRAY_SIZE(files); i++)
		copy_path(c, files[i], 0);
	copy_path(c, "sys/devices/system/cpu", 0);
	each_entry(c, "sys/devices/system/cpu", "cpu", one_cpu);
	each_entry(c, "sys/devices/system/node", "node", one_node);
	each_entry(c, "sys/kernel/mm/hugepages", "hugepages-", copy_entry);
	each_entry(c, "sys/bus/pci/devices", "", one_pci);
	each_entry(c, "proc/driver/nvidia/gpus", "", one_nvidia_gpu);
	/* lib/weights.c, lib/tiers.c */
	each_entry(c, "sys/kernel/mm/mempolicy/weighted_interleave", "node", copy_entry);
	each_entry(c, "sys/devices/virtual/memory_tiering", "memory_tier", one_tier);
	for (unsigned int i = 0; i < NP_ARRAY_SIZE(classes); i++) {
		snprintf(dir, sizeof(dir), "sys/class/%s", classes[i]);
		each_entry(c, dir, "", one_class_entry);
	}
	cgroup_files(c);
}

int np_topo_capture(const char *sysroot, const char *dir)
{
	struct capture c = { .dstfd = -1 };
	struct np_sysfs *fs;
	int r;

	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	c.fs = fs;
	/* nothing to copy is no capture: say so before creating @dir */
	if (!np__sysfs_exists(fs, "sys/devices/system/cpu")) {
		r = -ENOENT;
		goto free_fs;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		r = -errno;
		goto free_fs;
	}
	c.dstfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.dstfd < 0) {
		r = errno == ENOTDIR ? -EEXIST : -errno;
		goto free_fs;
	}
	capture_all(&c);
	r = c.err ? c.err : c.copied;
	close(c.dstfd);
free_fs:
	np__sysfs_free(fs);
	return r;
}
