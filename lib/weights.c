/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * weights.c - the per-node weights of weighted interleave: read, write, derive, undo.
 *
 * Terminology:
 *  weight     sys/kernel/mm/mempolicy/weighted_interleave/nodeN (Linux 6.9+): how many pages
 *             in a row MPOL_WEIGHTED_INTERLEAVE puts on node N before moving on, 1-255.  The
 *             kernel has a file for every possible node, memoryless ones included; writing 0
 *             resets a weight to 1 on 6.9-6.12, so it is refused here rather than passed on.
 *  bandwidth  what a weight is derived from: the read bandwidth (MB/s) a node's memory gives
 *             its best CPU initiators by HMAT (nodeN/access1, else access0), or a measurement
 *             the caller made.  Weights proportional to bandwidth keep every node equally busy.
 *  undo file  run/numaplace/weighted-interleave under the sysroot: "N W" lines, the weights as
 *             they were before the last change made through np_weights_save().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define WI_DIR "sys/kernel/mm/mempolicy/weighted_interleave"
#define UNDO_DIR "run/numaplace"
#define UNDO_FILE UNDO_DIR "/weighted-interleave"

int np_weights_read(const char *sysroot, unsigned int *weights, unsigned int nnodes)
{
	struct np_sysfs *fs;
	unsigned int *ids = NULL, *w, count = 0, found = 0;
	int r;

	if (!weights || nnodes == 0)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_dir_ids(fs, WI_DIR, "node", nnodes - 1, &ids, &count);
	if (r < 0)
		goto free_fs;
	w = calloc(nnodes, sizeof(*w));
	if (!w) {
		r = -ENOMEM;
		goto free_ids;
	}
	for (unsigned int i = 0; i < count; i++) {
		long long v;

		r = np__sysfs_read_ll(fs, &v, WI_DIR "/node%u", ids[i]);
		if (r < 0)
			goto free_w;
		w[ids[i]] = v > 0 && v <= NP_WEIGHT_MAX ? (unsigned int)v : 0;
		found += w[ids[i]] > 0;
	}
	memcpy(weights, w, nnodes * sizeof(*w));
	r = (int)found;
free_w:
	free(w);
free_ids:
	free(ids);
free_fs:
	np__sysfs_free(fs);
	return r;
}

/* Write the decimal @v to @rel under @rootfd; the file must exist (sysfs never creates). */
static int write_number(int rootfd, const char *rel, unsigned int v, int oflags)
{
	char buf[16];
	int fd, r = 0, len;

	fd = openat(rootfd, rel, O_WRONLY | O_CLOEXEC | oflags, 0644);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%u\n", v);
	if (write(fd, buf, (size_t)len) != len)
		r = errno ? -errno : -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int np_weights_write(const char *sysroot, unsigned int node, unsigned int weight)
{
	struct np_sysfs *fs;
	char rel[128];
	int r;

	if (weight == 0 || weight > NP_WEIGHT_MAX)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	if (!np__sysfs_exists(fs, WI_DIR)) {
		r = -ENOENT;
		goto free_fs;
	}
	snprintf(rel, sizeof(rel), WI_DIR "/node%u", node);
	errno = 0;
	r = write_number(fs->rootfd, rel, weight, 0);
free_fs:
	np__sysfs_free(fs);
	return r;
}

static unsigned long long gcd(unsigned long long a, unsigned long long b)
{
	while (b) {
		unsigned long long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * The slowest node gets @scale, the others scale * bw / slowest, rounded; then everything is
 * divided by the common divisor.  @scale is 100 (1% resolution) unless the fastest node would
 * pass 255, then as large as 255 allows.
 */
int np_weights_from_bandwidth(const unsigned long long *bw, unsigned int *weights, unsigned int n)
{
	unsigned long long lo = 0, hi = 0, scale = 100, g = 0;
	unsigned long long *w;

	if (!bw || !weights || n == 0)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		if (bw[i] && (!lo || bw[i] < lo))
			lo = bw[i];
		if (bw[i] > hi)
			hi = bw[i];
	}
	if (!lo)
		return -EINVAL;
	if (hi / lo >= NP_WEIGHT_MAX)
		scale = 1;
	else if (scale * hi > NP_WEIGHT_MAX * lo)
		scale = NP_WEIGHT_MAX * lo / hi;
	w = calloc(n, sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		if (!bw[i])
			continue;
		w[i] = (bw[i] * scale + lo / 2) / lo;
		if (w[i] > NP_WEIGHT_MAX)
			w[i] = NP_WEIGHT_MAX;
		g = gcd(w[i], g);
	}
	for (unsigned int i = 0; i < n; i++)
		weights[i] = (unsigned int)(w[i] / g);
	free(w);
	return 0;
}

int np_weights_hmat_bandwidth(const struct np_topo *topo, unsigned long long *bw, unsigned int nnodes)
{
	const struct np_cpuset *mem;
	unsigned long long *out;

	if (!topo || !bw || nnodes == 0)
		return -EINVAL;
	mem = np_topo_memory_nodes(topo);
	out = calloc(nnodes, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (unsigned int n = 0; n < nnodes; n++) {
		struct np_access a;

		if (!np_cpuset_isset(mem, n))
			continue;
		/* CPUs run the tasks that interleave: their class first */
		if ((np_topo_node_access(topo, n, NP_ACCESS_CPU, &a) < 0 || !a.read_bandwidth) &&
		    (np_topo_node_access(topo, n, NP_ACCESS_ANY, &a) < 0 || !a.read_bandwidth)) {
			free(out);
			return -ENODATA;
		}
		out[n] = a.read_bandwidth;
	}
	memcpy(bw, out, nnodes * sizeof(*out));
	free(out);
	return 0;
}

/* The current weights as "N W" lines into the undo file, replaced atomically. */
int np_weights_save(const char *sysroot)
{
	unsigned int w[NP_WEIGHT_NODES];
	struct np_sysfs *fs;
	FILE *f;
	int r, fd;

	r = np_weights_read(sysroot, w, NP_WEIGHT_NODES);
	if (r < 0)
		return r;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	if ((mkdirat(fs->rootfd, "run", 0755) < 0 && errno != EEXIST) ||
	    (mkdirat(fs->rootfd, UNDO_DIR, 0755) < 0 && errno != EEXIST)) {
		r = -errno;
		goto free_fs;
	}
	fd = openat(fs->rootfd, UNDO_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		goto free_fs;
	}
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		goto free_fs;
	}
	for (unsigned int n = 0; n < NP_WEIGHT_NODES; n++)
		if (w[n])
			fprintf(f, "%u %u\n", n, w[n]);
	r = (ferror(f) | fclose(f)) ? -EIO : 0;
	if (r == 0 && renameat(fs->rootfd, UNDO_FILE ".tmp", fs->rootfd, UNDO_FILE) < 0)
		r = -errno;
free_fs:
	np__sysfs_free(fs);
	return r;
}

/* Digits at *@p, at most @max, *@p moved past them; 0 or -EINVAL. */
static int small_number(const char **p, unsigned int max, unsigned int *ret)
{
	unsigned int v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*p = s;
	*ret = v;
	return 0;
}

/*
 * Digits only, one pair a line: sscanf("%u") took "-4294967295" as 1, overflowed silently
 * and read any number of pairs from a line.
 */
int np__weights_undo_parse(const char *text, unsigned int *w)
{
	unsigned int t[NP_WEIGHT_NODES] = { 0 };
	const char *p = text + strspn(text, " \t\n");

	while (*p) {
		unsigned int node, weight;

		if (small_number(&p, NP_WEIGHT_NODES - 1, &node) < 0 || !strchr(" \t", *p) || !*p)
			return -EINVAL;
		p += strspn(p, " \t");
		if (small_number(&p, NP_WEIGHT_MAX, &weight) < 0 || weight == 0)
			return -EINVAL;
		/* one pair a line, as np_weights_save() writes it */
		p += strspn(p, " \t");
		if (*p && *p != '\n')
			return -EINVAL;
		t[node] = weight;
		p += strspn(p, " \t\n");
	}
	memcpy(w, t, sizeof(t));
	return 0;
}

int np_weights_undo(const char *sysroot, unsigned int *weights, unsigned int nnodes)
{
	unsigned int w[NP_WEIGHT_NODES] = { 0 };
	struct np_sysfs *fs;
	char *text = NULL;
	int r;

	if (!weights || nnodes == 0)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_read_alloc(fs, &text, NULL, UNDO_FILE);
	if (r < 0)
		goto free_fs;
	r = np__weights_undo_parse(text, w);
	for (unsigned int n = 0; r == 0 && n < NP_WEIGHT_NODES; n++)
		if (w[n])
			r = np_weights_write(sysroot, n, w[n]);
	if (r == 0 && unlinkat(fs->rootfd, UNDO_FILE, 0) < 0)
		r = -errno;
	if (r == 0)
		for (unsigned int n = 0; n < nnodes; n++)
			weights[n] = n < NP_WEIGHT_NODES ? w[n] : 0;
	free(text);
free_fs:
	np__sysfs_free(fs);
	return r;
}
