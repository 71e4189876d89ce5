/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysroot-tgz.c - `--sysroot capture.tar.gz`: a packed capture unpacked into a private
 * temporary directory, removed at exit, without any external program and without zlib.
 *
 * Terminology:
 *  archive   the .tar.gz file: one gzip member, decoded by cli_gunzip() (cli/inflate.c).
 *  entry     a tar (ustar, GNU or pax) header of 512 bytes and its data, padded to 512.
 *  long name a GNU 'L' (name) or 'K' (link) entry, or a pax 'x' header's path or linkpath:
 *            the name of the entry after it, beyond ustar's 100 or 155+100 bytes.
 *
 * The choice: unpack rather than read the archive in place, because the library reads a
 * sysroot through paths and openat(2); a temporary directory keeps it unchanged.  The whole
 * tar is inflated in memory (a capture is a few MiB), capped at CLI_ARCHIVE_MAX, and checked
 * against the member's CRC-32 before anything is written.  Paths that leave
 * the directory ("..", or a write through a symbolic link) are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "inflate.h"
#include "tar.h"

/* every directory on the way to @rel is created, and none may be a symbolic link */
static int make_parents(int root, char *rel)
{
	for (char *c = strchr(rel, '/'); c; c = strchr(c + 1, '/')) {
		struct stat st;

		*c = '\0';
		if (mkdirat(root, rel, 0755) < 0 && errno != EEXIST) {
			*c = '/';
			return -errno;
		}
		if (fstatat(root, rel, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
			*c = '/';
			return -ELOOP;
		}
		*c = '/';
	}
	return 0;
}

static int write_file(int root, const char *rel, const unsigned char *data, size_t len)
{
	int fd = openat(root, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t done = 0;

	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0) {
			int r = -errno;

			close(fd);
			return r;
		}
		done += (size_t)n;
	}
	return close(fd) < 0 ? -errno : 0;
}

/* what unpacking failed at, for cli_sysroot_error() */
enum stage { STAGE_NONE, STAGE_READ, STAGE_GUNZIP, STAGE_TAR, STAGE_WRITE, STAGE_DONE };

static struct {
	char *archive;
	enum stage stage;
	struct cli_tar_where where;
} last;

/* an entry checked by cli_tar_walk() written below @root (passed as the walk's argument) */
static int put_entry(const struct cli_tar_entry *e, void *arg)
{
	int root = *(int *)arg, r;
	char rel[CLI_TAR_NAME_MAX];

	snprintf(rel, sizeof(rel), "%s", e->name);
	if ((r = make_parents(root, rel)) < 0)
		goto failed;
	switch (e->type) {
	case CLI_TAR_FILE:
		r = write_file(root, rel, e->data, e->size);
		break;
	case CLI_TAR_DIR:
		r = mkdirat(root, rel, 0755) < 0 && errno != EEXIST ? -errno : 0;
		break;
	case CLI_TAR_SYMLINK:
		r = symlinkat(e->link, root, rel) < 0 ? -errno : 0;
		break;
	default: /* hard links, devices, fifos: a capture has none that numaplace reads */
		r = 0;
	}
failed:
	if (r < 0)
		last.stage = STAGE_WRITE;
	return r;
}

/* ---- the temporary directory --------------------------------------------------------------- */

static char *unpacked; /* removed at exit */
static bool registered;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_unpacked(void)
{
	if (unpacked)
		nftw(unpacked, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(unpacked);
	unpacked = NULL;
}

static int read_all(const char *path, unsigned char **ret, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	int r = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (n == cap) {
			unsigned char *p =
				cap >= CLI_ARCHIVE_MAX ? NULL : realloc(buf, cap ? cap * 2 : 65536);

			if (!p) {
				r = cap >= CLI_ARCHIVE_MAX ? -EFBIG : -ENOMEM;
				break;
			}
			buf = p;
			cap = cap ? cap * 2 : 65536;
		}
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap) {
			r = ferror(f) ? -EIO : 0;
			break;
		}
	}
	fclose(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret = buf;
	*len = n;
	return 0;
}

/* a private directory under TMPDIR holding the tar @t; removed again if any entry fails */
static int untar(const unsigned char *t, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	int root, r;

	snprintf(dir, sizeof(dir), "%s/numaplace-sysroot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -errno;
	remove_unpacked();
	unpacked = strdup(dir);
	if (!registered)
		registered = atexit(remove_unpacked) == 0;
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	last.stage = STAGE_TAR;
	r = root < 0 ? -errno : cli_tar_walk(t, len, put_entry, &root, &last.where);
	if (root >= 0)
		close(root);
	if (r == 0 && !unpacked)
		r = -ENOMEM;
	if (r < 0) {
		if (!unpacked) /* strdup() failed: the directory is known here only */
			rmdir(dir);
		remove_unpacked();
	}
	return r;
}

int cli_sysroot_unpack(const char *archive, const char **ret)
{
	unsigned char *gz = NULL, *tar = NULL;
	size_t gzlen = 0, tarlen = 0;
	int r;

	free(last.archive);
	last.archive = strdup(archive);
	last.stage = STAGE_READ;
	if ((r = read_all(archive, &gz, &gzlen)) < 0)
		return r;
	last.stage = STAGE_GUNZIP;
	r = gzlen ? cli_gunzip(gz, gzlen, &tar, &tarlen) : -ENOMSG;
	free(gz);
	if (r < 0)
		return r;
	r = untar(tar, tarlen);
	free(tar);
	if (r < 0)
		return r;
	last.stage = STAGE_DONE;
	*ret = unpacked;
	return 0;
}

int cli_sysroot_dir(const char *sysroot, const char **ret)
{
	struct stat st;

	static char *from; /* the archive @unpacked holds */
	int r;

	if (!sysroot || stat(sysroot, &st) != 0 || !S_ISREG(st.st_mode)) {
		*ret = sysroot;
		return 0;
	}
	/* verbs that read the tree more than once (stat --watch, weights) unpack it once */
	if (unpacked && from && strcmp(from, sysroot) == 0) {
		*ret = unpacked;
		return 0;
	}
	r = cli_sysroot_unpack(sysroot, ret);
	free(from);
	from = r == 0 ? strdup(sysroot) : NULL;
	return r;
}

/* ---- what went wrong, in words ------------------------------------------------------------- */

static const char what_capture[] = "expected a directory made by 'numaplace capture' or that "
				   "directory packed by 'tar czf FILE.tar.gz -C DIR .'";

static void gunzip_error(const char *a, int err)
{
	if (err == -ENOMSG)
		cli_error("'%s' is not a capture (an empty file): %s", a, what_capture);
	else if (err == -EINVAL)
		cli_error("'%s' is not a capture: %s", a, what_capture);
	else if (err == -ENODATA)
		cli_error("cannot unpack '%s': the file ends before its gzip stream does "
			  "(truncated)", a);
	else if (err == -EBADMSG)
		cli_error("cannot unpack '%s': its gzip stream is corrupt (an invalid code, or a "
			  "CRC-32 or length that does not match)", a);
	else if (err == -EFBIG)
		cli_error("cannot unpack '%s': it inflates past %u times its size (a limit of at "
			  "least %u MiB, at most %u MiB); refused as a decompression bomb", a,
			  CLI_INFLATE_RATIO, CLI_INFLATE_FLOOR >> 20, CLI_ARCHIVE_MAX >> 20);
	else
		cli_error_errno(err, "cannot unpack '%s'", a);
}

static void tar_error(const char *a, int err, const struct cli_tar_where *w)
{
	if (err == -EINVAL && w->offset == 0)
		cli_error("cannot unpack '%s': it holds no tar archive (%s)", a, what_capture);
	else if (err == -EINVAL)
		cli_error("cannot unpack '%s': a corrupt tar header at offset %zu (a wrong "
			  "checksum or pax record)", a, w->offset);
	else if (err == -ENODATA)
		cli_error("cannot unpack '%s': its tar archive is truncated at offset %zu", a,
			  w->offset);
	else if (err == -EPERM)
		cli_error("cannot unpack '%s': '%s' is a path outside its directory", a, w->name);
	else if (err == -EXDEV)
		cli_error("cannot unpack '%s': '%s' is a link that points outside its directory",
			  a, w->name);
	else if (err == -ENAMETOOLONG)
		cli_error("cannot unpack '%s': a name of %d bytes or more at offset %zu", a,
			  CLI_TAR_NAME_MAX, w->offset);
	else if (err == -EFBIG)
		cli_error("cannot unpack '%s': an entry over 8 GiB at offset %zu", a, w->offset);
	else
		cli_error_errno(err, "cannot unpack '%s'", a);
}

static void write_error(const char *a, int err, const struct cli_tar_where *w)
{
	if (err == -ELOOP)
		cli_error("cannot unpack '%s': '%s' lies below a symbolic link or a file, which "
			  "unpacking does not write through", a, w->name);
	else if (err == -EEXIST)
		cli_error("cannot unpack '%s': '%s' is in it twice", a, w->name);
	else
		cli_error_errno(err, "cannot unpack '%s': cannot write '%s'", a, w->name);
}

bool cli_sysroot_error(const char *sysroot, int err)
{
	char path[4096];
	struct stat st;

	if (!sysroot || !last.archive || strcmp(sysroot, last.archive) != 0)
		return false;
	switch (last.stage) {
	case STAGE_READ:
		if (err == -EFBIG)
			cli_error("'%s' is larger than %u MiB: not a capture", sysroot,
				  CLI_ARCHIVE_MAX >> 20);
		else
			cli_error_errno(err, "cannot read '%s'", sysroot);
		return true;
	case STAGE_GUNZIP:
		gunzip_error(sysroot, err);
		return true;
	case STAGE_TAR:
		tar_error(sysroot, err, &last.where);
		return true;
	case STAGE_WRITE:
		write_error(sysroot, err, &last.where);
		return true;
	case STAGE_DONE:
		snprintf(path, sizeof(path), "%s/sys/devices/system/cpu", unpacked ? unpacked : "");
		if (err != -ENOENT || !unpacked || stat(path, &st) == 0)
			return false;
		cli_error("'%s' holds no sys/devices/system/cpu: %s", sysroot, what_capture);
		return true;
	default:
		return false;
	}
}
