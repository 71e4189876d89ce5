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

static unsigned long long octal(const char *p, size_t n)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long long)(p[i] - '0');
	return v;
}

/* a relative path inside the directory: leading "/" and "./" dropped, ".." refused */
static int clean_name(const char *name, char *out, size_t size)
{
	while (*name == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	if (strlen(name) >= size)
		return -ENAMETOOLONG;
	strcpy(out, name);
	for (char *c = out; *c; ) {
		size_t len = strcspn(c, "/");

		if (len == 2 && c[0] == '.' && c[1] == '.')
			return -EPERM;
		c += len;
		c += *c == '/';
	}
	return 0;
}

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

/* a pax record list "LEN key=value\n...": the value of @key, copied into @out */
static void pax_get(const unsigned char *d, size_t len, const char *key, char *out, size_t size)
{
	size_t p = 0, klen = strlen(key);

	while (p < len) {
		size_t rec = (size_t)strtoul((const char *)d + p, NULL, 10);
		const char *kv = memchr(d + p, ' ', len - p);

		if (!rec || !kv || p + rec > len)
			return;
		kv++;
		if (strncmp(kv, key, klen) == 0 && kv[klen] == '=') {
			size_t vlen = (size_t)((const char *)d + p + rec - 1 - (kv + klen + 1));

			if (vlen < size) {
				memcpy(out, kv + klen + 1, vlen);
				out[vlen] = '\0';
			}
			return;
		}
		p += rec;
	}
}

struct tar_names {
	char name[4096], link[4096]; /* from a GNU 'L'/'K' entry or pax, for the next entry */
};

static int tar_entry(int root, const unsigned char *h, const unsigned char *data, size_t size,
		     struct tar_names *nx)
{
	char full[4096], rel[4096];
	const char *link = nx->link[0] ? nx->link : (const char *)h + 157;
	int r;

	if (nx->name[0])
		snprintf(full, sizeof(full), "%s", nx->name);
	else if (memcmp(h + 257, "ustar", 5) == 0 && h[345])
		snprintf(full, sizeof(full), "%.155s/%.100s", (const char *)h + 345, (const char *)h);
	else
		snprintf(full, sizeof(full), "%.100s", (const char *)h);
	r = clean_name(full, rel, sizeof(rel));
	if (r < 0 || !rel[0])
		return r;
	if (rel[strlen(rel) - 1] == '/')
		rel[strlen(rel) - 1] = '\0';
	if ((r = make_parents(root, rel)) < 0)
		return r;
	switch (h[156]) {
	case '0': case '\0': case '7':
		return write_file(root, rel, data, size);
	case '5':
		return mkdirat(root, rel, 0755) < 0 && errno != EEXIST ? -errno : 0;
	case '2': {
		char target[4096];

		snprintf(target, sizeof(target), "%.*s", nx->link[0] ? (int)sizeof(nx->link) : 100, link);
		return symlinkat(target, root, rel) < 0 ? -errno : 0;
	}
	default: /* hard links, devices, fifos: a capture has none that numaplace reads */
		return 0;
	}
}

static int untar(int root, const unsigned char *t, size_t len)
{
	struct tar_names nx = { { 0 }, { 0 } };
	size_t p = 0;

	while (p + 512 <= len && t[p]) {
		const unsigned char *h = t + p;
		size_t size = (size_t)octal((const char *)h + 124, 12);
		const unsigned char *data = h + 512;
		int r = 0;

		if (size > len - p - 512)
			return -EINVAL;
		if (h[156] == 'L' || h[156] == 'K') {
			char *dst = h[156] == 'L' ? nx.name : nx.link;

			snprintf(dst, sizeof(nx.name), "%.*s", (int)size, (const char *)data);
		} else if (h[156] == 'x') {
			pax_get(data, size, "path", nx.name, sizeof(nx.name));
			pax_get(data, size, "linkpath", nx.link, sizeof(nx.link));
		} else if (h[156] != 'g') {
			r = tar_entry(root, h, data, size, &nx);
			nx.name[0] = nx.link[0] = '\0';
		}
		if (r < 0)
			return r;
		p += 512 + (size + 511) / 512 * 512;
	}
	return 0;
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

int cli_sysroot_unpack(const char *archive, const char **ret)
{
	unsigned char *gz = NULL, *tar = NULL;
	size_t gzlen = 0, tarlen = 0;
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	int root, r;

	if ((r = read_all(archive, &gz, &gzlen)) < 0)
		return r;
	r = cli_gunzip(gz, gzlen, &tar, &tarlen);
	free(gz);
	if (r < 0)
		return r;
	snprintf(dir, sizeof(dir), "%s/numaplace-sysroot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		free(tar);
		return -errno;
	}
	remove_unpacked();
	unpacked = strdup(dir);
	if (!registered)
		registered = atexit(remove_unpacked) == 0;
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = root < 0 ? -errno : untar(root, tar, tarlen);
	if (root >= 0)
		close(root);
	free(tar);
	if (r < 0 || !unpacked) {
		remove_unpacked();
		return r < 0 ? r : -ENOMEM;
	}
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
