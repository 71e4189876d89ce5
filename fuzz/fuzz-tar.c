/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-tar.c - libFuzzer target for the tar reader of packed captures (cli/tar.c, compiled
 * in), which writes nothing: every entry it accepts stays inside the directory it would unpack
 * into, and an archive re-written from the accepted entries reads back the same.
 *
 * Terminology:
 *  input     the fuzzer's bytes, an uncompressed tar (or not).
 *  entry     what cli_tar_walk() hands its callback: a type, a clean name, a link, the data.
 *  rebuilt   a GNU tar this target writes from the entries (a '././@LongLink' entry before a
 *            name or link of 100 bytes or more), walked again.
 *
 * Invariants: a name is non-empty and relative with no empty, '.' or '..' component and under
 * CLI_TAR_NAME_MAX bytes; a symbolic link's target, resolved from the entry's directory, never
 * climbs above the root; a hard link's target is a clean name; the data lies inside the input;
 * a failure is one of the documented codes with the offset of a header inside the input and a
 * printable name; the rebuilt archive yields the same entries in the same order.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	enum cli_tar_type type;
	char *name, *link;
	const unsigned char *data;
	size_t size;
};

struct list {
	const unsigned char *lo, *hi; /* the buffer walked */
	struct seen *e;
	size_t n, cap;
};

static void check_clean(const char *name)
{
	size_t len = strlen(name);

	check(len > 0 && len < CLI_TAR_NAME_MAX && name[0] != '/' && name[len - 1] != '/');
	for (const char *c = name; *c;) {
		size_t l = strcspn(c, "/");

		check(l > 0 && !(l == 1 && c[0] == '.') && !(l == 2 && c[0] == '.' && c[1] == '.'));
		c += l;
		c += *c == '/';
	}
}

/* the target resolved lexically from the link's directory: its depth never goes below 0 */
static void check_inside(const char *name, const char *target)
{
	long depth = 0;

	check(target[0] && target[0] != '/');
	for (const char *c = name; *c; c++)
		depth += *c == '/';
	for (const char *c = target; *c;) {
		size_t l = strcspn(c, "/");

		if (l == 2 && c[0] == '.' && c[1] == '.')
			depth--;
		else if (l && !(l == 1 && c[0] == '.'))
			depth++;
		check(depth >= 0);
		c += l;
		c += *c == '/';
	}
}

static int collect(const struct cli_tar_entry *e, void *arg)
{
	struct list *l = arg;

	check_clean(e->name);
	if (e->type == CLI_TAR_SYMLINK)
		check_inside(e->name, e->link);
	if (e->type == CLI_TAR_HARDLINK)
		check_clean(e->link);
	check(strlen(e->link) < CLI_TAR_NAME_MAX);
	check(e->data >= l->lo && e->data <= l->hi && e->size <= (size_t)(l->hi - e->data));
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
		check(l->e != NULL);
	}
	l->e[l->n++] = (struct seen){ e->type, strdup(e->name), strdup(e->link), e->data, e->size };
	check(l->e[l->n - 1].name && l->e[l->n - 1].link);
	return 0;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].name);
		free(l->e[i].link);
	}
	free(l->e);
}

static void put_header(unsigned char *h, const char *name, char type, size_t size,
		       const char *link)
{
	unsigned int sum = 0;

	memset(h, 0, 512);
	memcpy(h, name, strnlen(name, 100));
	memcpy(h + 100, "0000644", 8);
	snprintf((char *)h + 124, 12, "%011zo", size);
	h[156] = (unsigned char)type;
	memcpy(h + 157, link, strnlen(link, 100));
	memcpy(h + 257, "ustar  ", 8);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* room for @n more bytes at the end of @t */
static unsigned char *append(unsigned char **t, size_t *len, size_t n)
{
	*t = realloc(*t, *len + n);
	check(*t != NULL);
	memset(*t + *len, 0, n);
	*len += n;
	return *t + *len - n;
}

static void put_long(unsigned char **t, size_t *len, char type, const char *s)
{
	size_t n = strlen(s) + 1;

	put_header(append(t, len, 512), "././@LongLink", type, n, "");
	memcpy(append(t, len, (n + 511) / 512 * 512), s, n);
}

static unsigned char *rebuild(const struct list *l, size_t *len)
{
	static const char flag[] = { [CLI_TAR_FILE] = '0', [CLI_TAR_DIR] = '5',
				     [CLI_TAR_SYMLINK] = '2', [CLI_TAR_HARDLINK] = '1',
				     [CLI_TAR_OTHER] = '3' };
	unsigned char *t = NULL;

	*len = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct seen *e = &l->e[i];
		const char *link = e->type == CLI_TAR_SYMLINK || e->type == CLI_TAR_HARDLINK
					   ? e->link : "";

		if (strlen(e->name) >= 100)
			put_long(&t, len, 'L', e->name);
		if (strlen(link) >= 100)
			put_long(&t, len, 'K', link);
		put_header(append(&t, len, 512), e->name, flag[e->type], e->size, link);
		if (e->size)
			memcpy(append(&t, len, (e->size + 511) / 512 * 512), e->data, e->size);
	}
	append(&t, len, 1024);
	return t;
}

static void same(const struct list *a, const struct list *b)
{
	check(a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct seen *x = &a->e[i], *y = &b->e[i];

		check(x->type == y->type && strcmp(x->name, y->name) == 0 && x->size == y->size);
		check(x->type != CLI_TAR_SYMLINK || strcmp(x->link, y->link) == 0);
		check(x->type != CLI_TAR_HARDLINK || strcmp(x->link, y->link) == 0);
		check(x->size == 0 || memcmp(x->data, y->data, x->size) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct list a = { .lo = data, .hi = data + size }, b = { 0 };
	struct cli_tar_where w = { 7, "sentinel" };
	unsigned char *t;
	size_t len;
	int r = cli_tar_walk(data, size, collect, &a, &w);

	if (r < 0) {
		check(r == -EINVAL || r == -ENODATA || r == -EFBIG || r == -ENAMETOOLONG ||
		      r == -EPERM || r == -EXDEV);
		check(w.offset < size && w.offset % 512 == 0 && strlen(w.name) < sizeof(w.name));
		for (const char *c = w.name; *c; c++)
			check(*c >= ' ' && *c < 0x7f);
	} else {
		check(w.offset == 7 && strcmp(w.name, "sentinel") == 0);
	}
	t = rebuild(&a, &len);
	b.lo = t, b.hi = t + len;
	check(cli_tar_walk(t, len, collect, &b, NULL) == 0);
	same(&a, &b);
	free(t);
	list_free(&a);
	list_free(&b);
	return 0;
}
