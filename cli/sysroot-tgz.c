/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysroot-tgz.c - `--sysroot capture.tar.gz`: a packed capture unpacked into a private
 * temporary directory, removed at exit, without any external program and without zlib.
 *
 * Terminology:
 *  member    the gzip stream (RFC 1952): a header, DEFLATE data, then CRC-32 and ISIZE.
 *  block     a DEFLATE block (RFC 1951): stored, fixed Huffman codes or dynamic codes.
 *  code      a canonical Huffman code, kept as the count of codes of each length and the
 *            symbols in code order; a symbol is decoded one bit at a time (puff's method).
 *  entry     a tar (ustar, GNU or pax) header of 512 bytes and its data, padded to 512.
 *
 * The choice: unpack rather than read the archive in place, because the library reads a
 * sysroot through paths and openat(2); a temporary directory keeps it unchanged.  The whole
 * tar is inflated in memory (a capture is a few MiB), capped at ARCHIVE_MAX, and checked
 * against the member's CRC-32 before anything is written.  Paths that leave
 * the directory ("..", or a write through a symbolic link) are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define ARCHIVE_MAX (1024u << 20)
#define MAXBITS 15

struct inflate {
	const unsigned char *in;
	size_t inlen, inpos;
	unsigned int bitbuf, bitcnt;
	unsigned char *out;
	size_t outlen, outcap;
};

struct huff {
	short count[MAXBITS + 1];
	short symbol[288];
};

static int bits(struct inflate *s, unsigned int need, unsigned int *ret)
{
	unsigned long v = s->bitbuf;

	while (s->bitcnt < need) {
		if (s->inpos >= s->inlen)
			return -EINVAL;
		v |= (unsigned long)s->in[s->inpos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	s->bitbuf = (unsigned int)(v >> need);
	s->bitcnt -= need;
	*ret = (unsigned int)(v & ((1UL << need) - 1));
	return 0;
}

static int put(struct inflate *s, unsigned char c)
{
	if (s->outlen == s->outcap) {
		size_t cap = s->outcap ? s->outcap * 2 : 1u << 20;
		unsigned char *p;

		if (cap > ARCHIVE_MAX)
			return -EFBIG;
		p = realloc(s->out, cap);
		if (!p)
			return -ENOMEM;
		s->out = p;
		s->outcap = cap;
	}
	s->out[s->outlen++] = c;
	return 0;
}

/* a canonical code from code lengths; an over-subscribed set is an error */
static int huff_build(struct huff *h, const unsigned char *length, unsigned int n)
{
	short offs[MAXBITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int i = 0; i < n; i++)
		h->count[length[i]]++;
	for (unsigned int len = 1; len <= MAXBITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -EINVAL;
	}
	offs[1] = 0;
	for (unsigned int len = 1; len < MAXBITS; len++)
		offs[len + 1] = (short)(offs[len] + h->count[len]);
	for (unsigned int i = 0; i < n; i++)
		if (length[i])
			h->symbol[offs[length[i]]++] = (short)i;
	return 0;
}

/* codes are read bit by bit from their first bit: the first code of each length is code - count */
static int decode(struct inflate *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;

	for (unsigned int len = 1; len <= MAXBITS; len++) {
		unsigned int b;
		int count = h->count[len];

		if (bits(s, 1, &b) < 0)
			return -EINVAL;
		code |= (int)b;
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -EINVAL;
}

static const short len_base[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35,
				  43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const short len_extra[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3,
				   3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const short dist_base[] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
				   257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
				   8193, 12289, 16385, 24577 };
static const short dist_extra[] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
				    9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int codes(struct inflate *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit), r;
		unsigned int e, len, d;

		if (sym < 0)
			return sym;
		if (sym < 256) {
			if ((r = put(s, (unsigned char)sym)) < 0)
				return r;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29 || bits(s, (unsigned int)len_extra[sym], &e) < 0)
			return -EINVAL;
		len = (unsigned int)len_base[sym] + e;
		sym = decode(s, dist);
		if (sym < 0 || sym >= 30 || bits(s, (unsigned int)dist_extra[sym], &e) < 0)
			return -EINVAL;
		d = (unsigned int)dist_base[sym] + e;
		if (d > s->outlen)
			return -EINVAL;
		while (len--)
			if ((r = put(s, s->out[s->outlen - d])) < 0)
				return r;
	}
}

static int block_stored(struct inflate *s)
{
	unsigned int len, nlen;
	int r;

	s->bitbuf = 0;
	s->bitcnt = 0;
	if (s->inpos + 4 > s->inlen)
		return -EINVAL;
	len = s->in[s->inpos] | (unsigned int)s->in[s->inpos + 1] << 8;
	nlen = s->in[s->inpos + 2] | (unsigned int)s->in[s->inpos + 3] << 8;
	s->inpos += 4;
	if (len != (~nlen & 0xffffu) || s->inpos + len > s->inlen)
		return -EINVAL;
	while (len--)
		if ((r = put(s, s->in[s->inpos++])) < 0)
			return r;
	return 0;
}

static int block_fixed(struct inflate *s)
{
	unsigned char length[288 + 30];
	struct huff lit, dist;
	unsigned int i = 0;

	for (; i < 144; i++)
		length[i] = 8;
	for (; i < 256; i++)
		length[i] = 9;
	for (; i < 280; i++)
		length[i] = 7;
	for (; i < 288; i++)
		length[i] = 8;
	memset(length + 288, 5, 30);
	huff_build(&lit, length, 288);
	huff_build(&dist, length + 288, 30);
	return codes(s, &lit, &dist);
}

/* the code-length code, then the literal/length and distance code lengths it encodes */
static int block_dynamic(struct inflate *s)
{
	static const unsigned char order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3,
						 13, 2, 14, 1, 15 };
	unsigned char length[320] = { 0 };
	unsigned int nlen, ndist, ncode, v, i = 0;
	struct huff lencode, lit, dist;

	if (bits(s, 5, &nlen) < 0 || bits(s, 5, &ndist) < 0 || bits(s, 4, &ncode) < 0)
		return -EINVAL;
	nlen += 257, ndist += 1, ncode += 4;
	if (nlen > 286 || ndist > 30)
		return -EINVAL;
	for (unsigned int k = 0; k < ncode; k++) {
		if (bits(s, 3, &v) < 0)
			return -EINVAL;
		length[order[k]] = (unsigned char)v;
	}
	if (huff_build(&lencode, length, 19) < 0)
		return -EINVAL;
	memset(length, 0, sizeof(length));
	while (i < nlen + ndist) {
		int sym = decode(s, &lencode);
		unsigned int rep, fill = 0;

		if (sym < 0)
			return -EINVAL;
		if (sym < 16) {
			length[i++] = (unsigned char)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0 || bits(s, 2, &rep) < 0)
				return -EINVAL;
			fill = length[i - 1], rep += 3;
		} else if (sym == 17) {
			if (bits(s, 3, &rep) < 0)
				return -EINVAL;
			rep += 3;
		} else {
			if (bits(s, 7, &rep) < 0)
				return -EINVAL;
			rep += 11;
		}
		if (i + rep > nlen + ndist)
			return -EINVAL;
		while (rep--)
			length[i++] = (unsigned char)fill;
	}
	if (huff_build(&lit, length, nlen) < 0 || huff_build(&dist, length + nlen, ndist) < 0)
		return -EINVAL;
	return codes(s, &lit, &dist);
}

/* CRC-32 (IEEE, reflected), as the gzip trailer carries it */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* skips the gzip header; then every block until the last one; then checks CRC-32 and ISIZE */
static int gunzip(const unsigned char *in, size_t inlen, unsigned char **ret, size_t *retlen)
{
	struct inflate s = { .in = in, .inlen = inlen };
	unsigned int last = 0, type, flg;
	size_t p = 10;
	int r = 0;

	if (inlen < 18 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
		return -EINVAL;
	flg = in[3];
	if (flg & 4)
		p += 2 + (in[10] | (size_t)in[11] << 8);
	for (unsigned int f = 8; f <= 16; f <<= 1)
		if (flg & f)
			while (p < inlen && in[p++])
				;
	if (flg & 2)
		p += 2;
	if (p >= inlen)
		return -EINVAL;
	s.inpos = p;
	while (!last && r == 0) {
		if (bits(&s, 1, &last) < 0 || bits(&s, 2, &type) < 0)
			r = -EINVAL;
		else if (type == 0)
			r = block_stored(&s);
		else if (type == 1)
			r = block_fixed(&s);
		else if (type == 2)
			r = block_dynamic(&s);
		else
			r = -EINVAL;
	}
	/* the trailer follows the last block, at the next byte boundary */
	if (r == 0 && (s.inpos + 8 > inlen || le32(in + s.inpos) != crc32_of(s.out, s.outlen) ||
		       le32(in + s.inpos + 4) != (uint32_t)s.outlen))
		r = -EINVAL;
	if (r < 0) {
		free(s.out);
		return r;
	}
	*ret = s.out;
	*retlen = s.outlen;
	return 0;
}

/* ---- tar ---------------------------------------------------------------------------------- */

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
			unsigned char *p = cap >= ARCHIVE_MAX ? NULL : realloc(buf, cap ? cap * 2 : 65536);

			if (!p) {
				r = cap >= ARCHIVE_MAX ? -EFBIG : -ENOMEM;
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
	r = gunzip(gz, gzlen, &tar, &tarlen);
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
