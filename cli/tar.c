/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tar.c - a tar archive walked in memory and every header checked, without writing a file:
 * what unpacking a packed capture (cli/sysroot-tgz.c) may trust, and what fuzz-tar fuzzes.
 *
 * Terminology:
 *  header    a 512-byte block: name, mode, size (octal), checksum, type, link name, and in
 *            ustar a 155-byte prefix of the name.  Its data follows, padded to 512 bytes.
 *  long name a GNU 'L' (name) or 'K' (link) entry, or a pax 'x' header's path or linkpath:
 *            the name of the entry after it, beyond ustar's 100 or 155+100 bytes.
 *  clean     a name made relative: no leading '/', no empty or '.' component, no trailing
 *            '/', and never a '..' component (an archive that has one is refused, as a
 *            path outside the directory it unpacks into).
 *  inside    a symbolic link whose target is relative and climbs with '..' only at its start
 *            and no higher than its own directory's depth.  Since unpacking never writes
 *            through a symbolic link (every parent is a real directory), a chain of such
 *            links cannot leave the directory either.
 *
 * An archive is refused at its first bad header, so a capture is either unpacked whole or
 * refused, with the offset and name of the header at fault.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "tar.h"

struct tar_names {
	char name[CLI_TAR_NAME_MAX], link[CLI_TAR_NAME_MAX]; /* for the next entry; "" if none */
};

/* an octal field, leading spaces allowed, up to the first byte that is no octal digit */
static unsigned long long octal(const unsigned char *p, size_t n)
{
	unsigned long long v = 0;
	size_t i = 0;

	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long long)(p[i] - '0');
	return v;
}

/* the sum of the header's bytes, its checksum field as spaces; old tars summed signed chars */
static bool checksum_ok(const unsigned char *h)
{
	unsigned long long want = octal(h + 148, 8);
	unsigned long u = 0;
	long s = 0;

	for (size_t i = 0; i < 512; i++) {
		unsigned char b = i >= 148 && i < 156 ? ' ' : h[i];

		u += b;
		s += (signed char)b;
	}
	return want == u || (s >= 0 && want == (unsigned long)s);
}

static bool zero_run(const unsigned char *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (h[i])
			return false;
	return true;
}

/* @n bytes of @name (to its first NUL) as a clean name in @out */
static int clean_name(const char *name, size_t n, char *out)
{
	size_t o = 0, i = 0;

	n = strnlen(name, n);
	while (i < n) {
		const char *c = name + i;
		const char *slash = memchr(c, '/', n - i);
		size_t len = slash ? (size_t)(slash - c) : n - i;

		i += len + 1;
		if (len == 0 || (len == 1 && c[0] == '.'))
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.')
			return -EPERM;
		if (o + len + 1 >= CLI_TAR_NAME_MAX)
			return -ENAMETOOLONG;
		if (o)
			out[o++] = '/';
		memmove(out + o, c, len); /* in place when @out is @name: never ahead of it */
		o += len;
	}
	out[o] = '\0';
	return 0;
}

/* a symbolic link @target at @name stays inside (see the terminology above) */
static int link_inside(const char *name, const char *target)
{
	size_t depth = 0, up = 0;
	bool down = false;

	if (!target[0] || target[0] == '/')
		return -EXDEV;
	for (const char *c = name; *c; c++)
		depth += *c == '/';
	for (const char *c = target; *c;) {
		size_t len = strcspn(c, "/");

		if (len == 2 && c[0] == '.' && c[1] == '.') {
			if (down || ++up > depth)
				return -EXDEV;
		} else if (len && !(len == 1 && c[0] == '.')) {
			down = true;
		}
		c += len;
		c += *c == '/';
	}
	return 0;
}

/* pax records "LEN key=value\n": path and linkpath name the next entry */
static int pax_records(const unsigned char *d, size_t len, struct tar_names *nx)
{
	for (size_t p = 0, rec; p < len; p += rec) {
		size_t i = p, kv, end, vlen;
		const unsigned char *eq;
		char *dst = NULL;

		for (rec = 0; i < len && d[i] >= '0' && d[i] <= '9' && rec < len; i++)
			rec = rec * 10 + (size_t)(d[i] - '0');
		if (i == p || i >= len || d[i] != ' ' || rec > len - p || p + rec <= i + 1 ||
		    d[p + rec - 1] != '\n')
			return -EINVAL;
		kv = i + 1, end = p + rec - 1;
		eq = memchr(d + kv, '=', end - kv);
		if (!eq)
			return -EINVAL;
		if ((size_t)(eq - (d + kv)) == 4 && memcmp(d + kv, "path", 4) == 0)
			dst = nx->name;
		else if ((size_t)(eq - (d + kv)) == 8 && memcmp(d + kv, "linkpath", 8) == 0)
			dst = nx->link;
		vlen = (size_t)(d + end - (eq + 1));
		if (dst && vlen >= CLI_TAR_NAME_MAX)
			return -ENAMETOOLONG;
		if (dst) {
			memcpy(dst, eq + 1, vlen);
			dst[vlen] = '\0';
		}
	}
	return 0;
}

/* a GNU long name: the data up to its first NUL */
static int gnu_long_name(const unsigned char *d, size_t size, char *dst)
{
	size_t n = strnlen((const char *)d, size);

	if (n >= CLI_TAR_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(dst, d, n);
	dst[n] = '\0';
	return 0;
}

static enum cli_tar_type type_of(unsigned char flag, bool slash)
{
	switch (flag) {
	case '0': case '\0': case '7':
		return slash ? CLI_TAR_DIR : CLI_TAR_FILE; /* a v7 directory ends in '/' */
	case '5':
		return CLI_TAR_DIR;
	case '2':
		return CLI_TAR_SYMLINK;
	case '1':
		return CLI_TAR_HARDLINK;
	default: /* devices, fifos, sparse and volume headers: no capture has one */
		return CLI_TAR_OTHER;
	}
}

/* the raw name of header @h: the long name, ustar's prefix/name, or the name field */
static void raw_name(const unsigned char *h, const struct tar_names *nx, char *out, size_t size)
{
	size_t n = strnlen((const char *)h, 100), pre = strnlen((const char *)h + 345, 155);
	size_t o = 0;

	if (nx->name[0]) {
		size_t l = strlen(nx->name);

		l = l < size - 1 ? l : size - 1;
		memcpy(out, nx->name, l);
		out[l] = '\0';
		return;
	}
	/* "ustar\0" is POSIX; GNU's "ustar  " keeps times where the prefix would be */
	if (memcmp(h + 257, "ustar", 6) == 0 && pre) {
		memcpy(out, h + 345, pre);
		out[pre] = '/';
		o = pre + 1;
	}
	memcpy(out + o, h, n);
	out[o + n] = '\0';
}

struct walk {
	const unsigned char *t;
	size_t len;
	cli_tar_fn fn;
	void *arg;
	struct tar_names nx;
};

/* the entry of header @h (data @d of @size): its names checked, then handed to the callback */
static int entry(struct walk *w, const unsigned char *h, const unsigned char *d, size_t size)
{
	char raw[CLI_TAR_NAME_MAX + 256], name[CLI_TAR_NAME_MAX], link[CLI_TAR_NAME_MAX];
	struct cli_tar_entry e = { .name = name, .link = link, .data = d, .size = size };
	int r;

	raw_name(h, &w->nx, raw, sizeof(raw));
	e.type = type_of(h[156], raw[0] && raw[strlen(raw) - 1] == '/');
	if ((r = clean_name(raw, sizeof(raw), name)) < 0)
		return r;
	if (w->nx.link[0])
		memcpy(link, w->nx.link, sizeof(link));
	else
		link[strnlen(memcpy(link, h + 157, 100), 100)] = '\0';
	if (e.type == CLI_TAR_SYMLINK && (r = link_inside(name, link)) < 0)
		return r;
	if (e.type == CLI_TAR_HARDLINK && (r = clean_name(link, sizeof(link), link)) < 0)
		return r == -EPERM ? -EXDEV : r;
	return name[0] ? w->fn(&e, w->arg) : 0;
}

/* one header at @p: a long name or pax header kept for the next, or an entry */
static int header(struct walk *w, size_t p, size_t *next)
{
	const unsigned char *h = w->t + p, *d = h + 512;
	unsigned long long size = octal(h + 124, 12);
	int r;

	if (!checksum_ok(h))
		return -EINVAL;
	if (h[124] & 0x80)
		return -EFBIG;
	if (size > w->len - p - 512)
		return -ENODATA;
	if (h[156] == 'L' || h[156] == 'K')
		r = gnu_long_name(d, (size_t)size, h[156] == 'L' ? w->nx.name : w->nx.link);
	else if (h[156] == 'x')
		r = pax_records(d, (size_t)size, &w->nx);
	else if (h[156] == 'g')
		r = 0;
	else {
		r = entry(w, h, d, (size_t)size);
		if (r == 0) /* on failure they name the entry in cli_tar_where */
			w->nx.name[0] = w->nx.link[0] = '\0';
	}
	*next = p + 512 + ((size_t)size + 511) / 512 * 512;
	return r;
}

static void where_at(const unsigned char *t, size_t p, const struct tar_names *nx,
		     struct cli_tar_where *where)
{
	char raw[CLI_TAR_NAME_MAX + 256] = "";
	size_t i = 0;

	where->offset = p;
	if (nx)
		raw_name(t + p, nx, raw, sizeof(raw));
	for (; raw[i] && i < sizeof(where->name) - 1; i++)
		where->name[i] = raw[i] >= ' ' && raw[i] < 0x7f ? raw[i] : '?';
	where->name[i] = '\0';
}

int cli_tar_walk(const unsigned char *t, size_t len, cli_tar_fn fn, void *arg,
		 struct cli_tar_where *where)
{
	struct walk w = { .t = t, .len = len, .fn = fn, .arg = arg };
	size_t p = 0;
	int r = 0;

	while (p < len && r == 0) {
		size_t next;

		if (len - p < 512) {
			/* zeros short of a block end it too; else a header cut short, or no tar at all */
			r = zero_run(t + p, len - p) ? 0 : p ? -ENODATA : -EINVAL;
			break;
		}
		if (zero_run(t + p, 512))
			return 0;
		r = header(&w, p, &next);
		if (r == 0)
			p = next;
	}
	if (r < 0 && where)
		where_at(t, p, len - p >= 512 ? &w.nx : NULL, where);
	return r;
}
