/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs.c - every read of /sys and /proc, relative to a sysroot (directories, links and
 * whether a path exists: lib/sysfs-dir.c).
 *
 * Terminology:
 *  sysroot  a directory standing for "/": the live machine ("/") or a captured tree holding
 *           sys/ and proc/ (lscpu --sysroot, hwloc's fsroot).
 *  path     always relative to the sysroot; a leading '/' is skipped, so "/sys/x" and "sys/x"
 *           name the same file in any sysroot.
 *
 * Files are opened with openat() on a directory descriptor of the sysroot: one syscall per
 * open and a path built by a small formatter (np__vpath), which keeps topology loading cheap.
 *
 * A sysroot may be hostile (a capture from anywhere): every read is bounded and none blocks.
 * Files are opened O_NONBLOCK, so a FIFO neither blocks the open nor the read, and every read
 * has a cap (a sysfs attribute is at most a page, a set list NP__LIST_MAX, a /proc file
 * NP__PROC_MAX).  Only a read that comes back empty, full or failing pays for an fstat(),
 * which tells a FIFO or device (-EINVAL: not a regular file) from a real file, so a healthy
 * load costs no more syscalls than before.
 *
 * A context opened for np_topo_load() has a problem list (lib/diag.c): each read that finds a
 * file but cannot use it (not a regular file, over its cap, a read error, text that does not
 * parse) records it there with the reason, on the failure path only.  A missing file (ENOENT)
 * is no problem: older kernels lack many of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sysparse.h"

int np__sysfs_open(const char *sysroot, struct np_sysfs **ret)
{
	struct np_sysfs *fs;
	const char *root = (sysroot && *sysroot) ? sysroot : "/";
	int r;

	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->root = strdup(root);
	if (!fs->root) {
		r = -ENOMEM;
		goto free_fs;
	}
	fs->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->rootfd < 0) {
		r = -errno;
		goto free_root;
	}
	fs->live = strcmp(root, "/") == 0;
	fs->base = "";
	*ret = fs;
	return 0;

free_root:
	free(fs->root);
free_fs:
	free(fs);
	return r;
}

void np__sysfs_free(struct np_sysfs *fs)
{
	if (!fs)
		return;
	close(fs->rootfd);
	free(fs->root);
	free(fs);
}

/* decimal digits of @v, backwards from @end; returns the first */
static char *utoa_back(char *end, unsigned long long v)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/*
 * Paths are built once per file read (hundreds per topology load), and vsnprintf costs about
 * a thousand instructions each, a seventh of the whole `topo --json` on 128arm.  The path
 * formats use only %s, %u, %d and %llu: those are done here, and any other conversion hands
 * the whole format to vsnprintf, so the result is always what vsnprintf would give.
 */
int np__vpath(char *path, size_t size, const char *fmt, va_list ap)
{
	size_t len = 0;
	va_list copy;

	va_copy(copy, ap);
	for (const char *f = fmt; *f; f++) {
		char num[24], *s = num + sizeof(num);
		const char *from;
		size_t n;

		if (*f != '%') {
			const char *pct = strchrnul(f, '%');

			n = (size_t)(pct - f);
			if (len + n >= size)
				goto too_long;
			memcpy(path + len, f, n);
			len += n;
			f = pct - 1;
			continue;
		}
		switch (*++f) {
		case 's':
			from = va_arg(copy, char *);
			n = strlen(from);
			break;
		case 'u':
			from = utoa_back(s, va_arg(copy, unsigned int));
			n = (size_t)(s - from);
			break;
		case 'd': {
			int v = va_arg(copy, int);
			char *d = utoa_back(s, v < 0 ? 0U - (unsigned int)v : (unsigned int)v);

			if (v < 0)
				*--d = '-';
			from = d;
			n = (size_t)(s - d);
			break;
		}
		case 'l':
			if (f[1] == 'l' && f[2] == 'u') {
				f += 2;
				from = utoa_back(s, va_arg(copy, unsigned long long));
				n = (size_t)(s - from);
				break;
			}
			goto general;
		case '%':
			from = "%";
			n = 1;
			break;
		default:
			goto general;
		}
		if (len + n >= size)
			goto too_long;
		memcpy(path + len, from, n);
		len += n;
	}
	va_end(copy);
	path[len] = '\0';
	return 0;

general:
	va_end(copy);
	{
		int n = vsnprintf(path, size, fmt, ap);

		if (n < 0 || (size_t)n >= size)
			return -ENAMETOOLONG;
	}
	return 0;
too_long:
	va_end(copy);
	return -ENAMETOOLONG;
}

const char *np__sysfs_rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* a set list's cap: 8192 CPUs as "0,2,4,...,8190" take about 20 KB, their mask 2 KB */
#define NP__LIST_MAX (64 * 1024)

/* open the file @fmt names; @path (PATH_MAX bytes) receives its name, for the problem list */
static int vopen(const struct np_sysfs *fs, int flags, char *path, const char *fmt, va_list ap)
{
	int r = np__vpath(path, PATH_MAX, fmt, ap);
	int fd;

	if (r < 0) {
		path[0] = '\0';
		return r;
	}
	fd = openat(fs->rootfd, np__sysfs_rel(path), flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * Record why the file at @path could not be used, when @fs keeps a problem list.  @mode: the
 * file type fstat() found when @err is -EINVAL from check_regular(), else 0; @limit: the cap
 * of an -EFBIG.
 */
static void note(const struct np_sysfs *fs, const char *path, long err, mode_t mode, size_t limit)
{
	if (!fs->problems || err == -ENOENT || err == -ENOMEM || err == -ENAMETOOLONG || !*path)
		return;
	np__problem_add(fs->problems, fs->base, np__sysfs_rel(path), (int)-err, mode, limit, NULL);
}

static void np__sysfs_vbad(const struct np_sysfs *fs, int err, const char *reason,
			   const char *fmt, va_list ap)
{
	char path[PATH_MAX];

	if (fs && fs->problems && np__vpath(path, sizeof(path), fmt, ap) == 0)
		np__problem_add(fs->problems, fs->base, np__sysfs_rel(path), err, 0, 0, reason);
}

void np__sysfs_bad(const struct np_sysfs *fs, int err, const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	np__sysfs_vbad(fs, err, reason, fmt, ap);
	va_end(ap);
}

static void vbad_parse(const struct np_sysfs *fs, int r, const char *implausible,
		       const char *fmt, va_list ap)
{
	const char *reason = r == -EINVAL ? "not a number"
			     : r == -ERANGE ? "a number out of range"
			     : r == -EDOM   ? implausible
					    : NULL;

	if (reason)
		np__sysfs_vbad(fs, r == -EINVAL ? EINVAL : ERANGE, reason, fmt, ap);
}

void np__sysfs_bad_parse(const struct np_sysfs *fs, int r, const char *implausible,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad_parse(fs, r, implausible, fmt, ap);
	va_end(ap);
}

int np__sysfs_parse_node(const struct np_sysfs *fs, const char *text, int *node,
			 const char *fmt, ...)
{
	int r = np__parse_dev_node(text, node);
	long long v;
	va_list ap;

	/* the kernel's -1 is "no node", no problem */
	if (r == -EDOM && np__parse_ll(text, &v) == 0 && v == -1)
		return r;
	va_start(ap, fmt);
	vbad_parse(fs, r, "a node out of range", fmt, ap);
	va_end(ap);
	return r;
}

/* Strip what sysfs and captures leave at the end: NUL padding, newlines, blanks. */
static size_t strip_tail(char *buf, size_t len)
{
	while (len > 0 && (buf[len - 1] == '\0' || buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
			   buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	return len;
}

/*
 * Read up to @size bytes.  With @small, a short read ends it: a sysfs attribute comes whole in
 * one read (at most a page) and a regular file in a capture reads short only at its end, so
 * the second read that would return 0 is saved (a fifth of all syscalls of a topology load).
 * /proc files of any size (numa_maps) come in pieces and are read to the end (small false).
 */
static ssize_t read_fd(int fd, char *buf, size_t size, bool small)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (small)
			break;
	}
	return (ssize_t)len;
}

/*
 * After a read that came back empty, filled its buffer or failed: -EINVAL when @fd is not a
 * regular file (a FIFO, /dev/zero, a socket in a hostile sysroot), its type in *@mode, else
 * @n unchanged.
 */
static ssize_t check_regular(int fd, ssize_t n, mode_t *mode)
{
	struct stat st;

	/* a read error says what it is (EISDIR...), but EAGAIN: a FIFO with a writer */
	if (n < 0 && n != -EAGAIN)
		return n;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		*mode = st.st_mode;
		return -EINVAL;
	}
	return n;
}

/* @retry: the caller reads the file again with a larger buffer when it does not fit */
static ssize_t vread(const struct np_sysfs *fs, char *buf, size_t size, bool retry,
		     const char *fmt, va_list ap)
{
	char path[PATH_MAX];
	int fd = vopen(fs, O_RDONLY | O_NONBLOCK, path, fmt, ap);
	mode_t mode = 0;
	ssize_t n;

	if (fd < 0) {
		note(fs, path, fd, 0, 0);
		return fd;
	}
	n = read_fd(fd, buf, size - 1, true);
	if (n <= 0 || (size_t)n == size - 1)
		n = check_regular(fd, n, &mode);
	close(fd);
	if (n >= 0 && (size_t)n == size - 1)
		n = -EFBIG;
	if (n < 0) {
		if (n != -EFBIG || !retry)
			note(fs, path, n, mode, size - 1);
		return n;
	}
	return (ssize_t)strip_tail(buf, (size_t)n);
}

ssize_t np__sysfs_read(const struct np_sysfs *fs, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	n = vread(fs, buf, size, false, fmt, ap);
	va_end(ap);
	return n;
}

ssize_t np__sysfs_read_first(const struct np_sysfs *fs, char *buf, size_t size, const char *fmt,
			     ...)
{
	va_list ap;
	ssize_t n;

	va_start(ap, fmt);
	n = vread(fs, buf, size, true, fmt, ap);
	va_end(ap);
	return n;
}

/* the whole of @fd, at most @max bytes: -EFBIG beyond, -EINVAL when not a regular file */
static int read_fd_alloc(int fd, size_t max, char **ret, size_t *len, mode_t *mode)
{
	size_t size = 4096, used = 0;
	char *buf = NULL;
	int r;

	for (;;) {
		char *nb = realloc(buf, size);
		ssize_t n;

		if (!nb) {
			r = -ENOMEM;
			goto fail;
		}
		buf = nb;
		n = read_fd(fd, buf + used, size - 1 - used, false);
		if (n < 0) {
			r = (int)check_regular(fd, n, mode);
			goto fail;
		}
		used += (size_t)n;
		if (used < size - 1)
			break;
		if (size >= max) {
			r = check_regular(fd, 0, mode) < 0 ? -EINVAL : -EFBIG;
			goto fail;
		}
		size *= 2;
	}
	if (used == 0 && (r = (int)check_regular(fd, 0, mode)) < 0)
		goto fail;
	buf[used] = '\0';
	if (len)
		*len = used;
	*ret = buf;
	return 0;
fail:
	free(buf);
	return r;
}

static int vread_alloc(const struct np_sysfs *fs, size_t max, char **ret, size_t *len,
		       const char *fmt, va_list ap)
{
	char path[PATH_MAX];
	int fd = vopen(fs, O_RDONLY | O_NONBLOCK, path, fmt, ap);
	mode_t mode = 0;
	int r;

	if (fd < 0) {
		note(fs, path, fd, 0, 0);
		return fd;
	}
	r = read_fd_alloc(fd, max, ret, len, &mode);
	close(fd);
	if (r < 0)
		note(fs, path, r, mode, max - 1);
	return r;
}

int np__sysfs_read_alloc(const struct np_sysfs *fs, char **ret, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_alloc(fs, NP__PROC_MAX, ret, len, fmt, ap);
	va_end(ap);
	return r;
}

int np__sysfs_read_big(const struct np_sysfs *fs, size_t max, char **ret, size_t *len,
		       const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_alloc(fs, max, ret, len, fmt, ap);
	va_end(ap);
	return r;
}

int np__sysfs_read_ll(const struct np_sysfs *fs, long long *ret, const char *fmt, ...)
{
	char buf[NP__VALUE_MAX];
	va_list ap;
	ssize_t n;
	int r;

	va_start(ap, fmt);
	n = vread(fs, buf, sizeof(buf), false, fmt, ap);
	va_end(ap);
	if (n < 0)
		return (int)n;
	r = np__parse_ll(buf, ret);
	if (r < 0) {
		va_start(ap, fmt);
		np__sysfs_vbad(fs, -r, r == -EINVAL ? "not a number" : "a number out of range",
			       fmt, ap);
		va_end(ap);
	}
	return r;
}

static int vread_set(const struct np_sysfs *fs, struct np_cpuset *set, bool mask,
		     const char *fmt, va_list ap)
{
	char stack[4096], *buf = stack, path[PATH_MAX];
	int fd = vopen(fs, O_RDONLY | O_NONBLOCK, path, fmt, ap);
	mode_t mode = 0;
	ssize_t n;
	int r;

	if (fd < 0) {
		note(fs, path, fd, 0, 0);
		return fd;
	}
	n = read_fd(fd, buf, sizeof(stack) - 1, true);
	if (n <= 0)
		n = check_regular(fd, n, &mode);
	if (n == (ssize_t)sizeof(stack) - 1) {
		/* huge masks (NR_CPUS=8192 prints 2303 bytes; lists can be longer): go to the heap */
		size_t used = (size_t)n;

		r = read_fd_alloc(fd, NP__LIST_MAX, &buf, NULL, &mode);
		if (r == 0) {
			size_t more = strlen(buf);
			char *nb = more + used < NP__LIST_MAX ? realloc(buf, used + more + 1) : NULL;

			if (!nb) {
				free(buf);
				buf = stack;
				n = more + used < NP__LIST_MAX ? -ENOMEM : -EFBIG;
			} else {
				memmove(nb + used, nb, more + 1);
				memcpy(nb, stack, used);
				buf = nb;
				n = (ssize_t)(used + more);
			}
		} else {
			buf = stack;
			n = r;
		}
	}
	close(fd);
	if (n < 0) {
		r = (int)n;
		note(fs, path, r, mode, NP__LIST_MAX - 1);
		goto out;
	}
	strip_tail(buf, (size_t)n);
	r = mask ? np_cpuset_parse_mask(set, buf, NULL) : np_cpuset_parse_list(set, buf, NULL);
	if (r < 0 && r != -ENOMEM && fs->problems)
		np__problem_add(fs->problems, fs->base, np__sysfs_rel(path), -r, 0, 0,
				np__set_reason(r, mask));
out:
	if (buf != stack)
		free(buf);
	return r;
}

int np__sysfs_read_list(const struct np_sysfs *fs, struct np_cpuset *set, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_set(fs, set, false, fmt, ap);
	va_end(ap);
	return r;
}

int np__sysfs_read_mask(const struct np_sysfs *fs, struct np_cpuset *set, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vread_set(fs, set, true, fmt, ap);
	va_end(ap);
	return r;
}
