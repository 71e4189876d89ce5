/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs-dir.c - the directories below a sysroot: whether a path exists, listing a directory
 * (cpuN, nodeN, PCI functions), and reading a link; the files themselves are lib/sysfs.c's.
 *
 * Terminology:
 *  sysroot  a directory standing for "/" (see lib/sysfs.c); every path here is relative to it.
 *  entry    a name in a directory, "." and ".." left out.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* open the directory @fmt names */
static int open_dir(const struct np_sysfs *fs, const char *fmt, va_list ap)
{
	char path[PATH_MAX];
	int fd;

	if (np__vpath(path, sizeof(path), fmt, ap) < 0)
		return -ENAMETOOLONG;
	fd = openat(fs->rootfd, np__sysfs_rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

bool np__sysfs_exists(const struct np_sysfs *fs, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = np__vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	return r == 0 && faccessat(fs->rootfd, np__sysfs_rel(path), F_OK, 0) == 0;
}

int np__sysfs_opendir(const struct np_sysfs *fs, DIR **ret, const char *fmt, ...)
{
	va_list ap;
	DIR *d;
	int fd;

	va_start(ap, fmt);
	fd = open_dir(fs, fmt, ap);
	va_end(ap);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int r = -errno;

		close(fd);
		return r;
	}
	*ret = d;
	return 0;
}

int np__dir_open(const struct np_sysfs *fs, struct np__dir *d, const char *fmt, ...)
{
	va_list ap;
	int fd;

	va_start(ap, fmt);
	fd = open_dir(fs, fmt, ap);
	va_end(ap);
	if (fd < 0)
		return fd;
	d->fd = fd;
	d->pos = 0;
	d->len = 0;
	return 0;
}

const char *np__dir_next(struct np__dir *d)
{
	for (;;) {
		const struct dirent64 *de;

		if (d->pos >= d->len) {
			ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));

			if (n <= 0)
				return NULL;
			d->len = (unsigned int)n;
			d->pos = 0;
		}
		de = (const struct dirent64 *)(d->buf + d->pos);
		d->pos += de->d_reclen;
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		return de->d_name;
	}
}

void np__dir_close(struct np__dir *d)
{
	close(d->fd);
}

int np__sysfs_dir_ids(const struct np_sysfs *fs, const char *dir, const char *prefix,
		      unsigned long limit, unsigned int **ret, unsigned int *count)
{
	size_t plen = strlen(prefix);
	unsigned int *ids = NULL, n = 0, cap = 0;
	struct np__dir d;
	const char *name;
	int r;

	r = np__dir_open(fs, &d, "%s", dir);
	if (r < 0)
		return r;
	while ((name = np__dir_next(&d))) {
		const char *num = name + plen;
		char *end;
		unsigned long v;

		if (strncmp(name, prefix, plen) != 0 || !isdigit((unsigned char)*num))
			continue;
		v = strtoul(num, &end, 10);
		if (*end || v > limit)
			continue;
		if (n == cap) {
			unsigned int *ni = realloc(ids, (cap ? cap * 2 : 64) * sizeof(*ids));

			if (!ni) {
				r = -ENOMEM;
				goto close_dir;
			}
			ids = ni;
			cap = cap ? cap * 2 : 64;
		}
		ids[n++] = (unsigned int)v;
	}
	*ret = ids;
	*count = n;
	ids = NULL;
	r = 0;
close_dir:
	np__dir_close(&d);
	free(ids);
	return r;
}

ssize_t np__sysfs_readlink(const struct np_sysfs *fs, char *buf, size_t size, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	ssize_t n;
	int r;

	va_start(ap, fmt);
	r = np__vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (r < 0)
		return r;
	n = readlinkat(fs->rootfd, np__sysfs_rel(path), buf, size - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}
