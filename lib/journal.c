/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * journal.c - changes to system files recorded before they are made, so that a failure rolls
 * them back and a later undo restores each file byte for byte.
 *
 * Terminology:
 *  journal  run/numaplace/isolate/NAME under the sysroot: one line per change, oldest first,
 *           rewritten (and synced) before the change is made, so a crash leaves a journal that
 *           undoes at most one change too many, never one too few.
 *  entry    "w PATH OLD": PATH held OLD (escaped: \n, \t, \\) before it was written;
 *           "d PATH": the folder PATH was created; "c PATH": the file PATH was created (only
 *           under a sysroot copy, where no kernel fills a new cgroup folder).
 *  undo     the entries newest first: w writes OLD back, c unlinks, d removes the folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define JOURNAL_DIR "run/numaplace/isolate"

bool np__journal_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > NP_ISOLATE_NAME_MAX || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') && !(name[i] >= 'A' && name[i] <= 'Z') &&
		    !(name[i] >= '0' && name[i] <= '9') && !strchr("-_.", name[i]))
			return false;
	return true;
}

static int mkdirs(int rootfd)
{
	static const char *const dirs[] = { "run", "run/numaplace", JOURNAL_DIR };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(rootfd, dirs[i], 0755) < 0 && errno != EEXIST)
			return -errno;
	return 0;
}

int np__journal_open(const struct np_sysfs *fs, const char *name, bool append,
		     struct np__journal *j)
{
	int r, fd;

	if (!np__journal_name_ok(name))
		return -EINVAL;
	memset(j, 0, sizeof(*j));
	j->fs = fs;
	snprintf(j->path, sizeof(j->path), JOURNAL_DIR "/%s", name);
	r = mkdirs(fs->rootfd);
	if (r < 0)
		return r;
	if (append) {
		r = np__sysfs_read_alloc(fs, &j->text, &j->len, "%s", j->path);
		if (r < 0 && r != -ENOENT)
			return r;
		/* continuing a damaged journal would make its rollback refuse our own entries */
		if (r == 0 && (strlen(j->text) != j->len || np__journal_check(j->text) < 0)) {
			np__journal_release(j);
			return -EINVAL;
		}
		if (r == 0)
			return 0;
	}
	fd = openat(fs->rootfd, j->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

void np__journal_release(struct np__journal *j)
{
	free(j->text);
	j->text = NULL;
	j->len = 0;
}

/* Append @s escaped (\n, \t, \\) to the journal's text. */
static int append_escaped(struct np__journal *j, const char *s, size_t n)
{
	char *t = realloc(j->text, j->len + 2 * n + 2);

	if (!t)
		return -ENOMEM;
	j->text = t;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n' || c == '\t' || c == '\\') {
			t[j->len++] = '\\';
			c = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
		}
		t[j->len++] = c;
	}
	t[j->len] = '\0';
	return 0;
}

/* The journal's text into its file, through a temporary and fsync, before any change. */
static int flush(struct np__journal *j)
{
	char tmp[sizeof(j->path) + 8];
	ssize_t w;
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", j->path);
	fd = openat(j->fs->rootfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	w = write(fd, j->text ? j->text : "", j->len);
	if (w < 0 || (size_t)w != j->len)
		r = w < 0 ? -errno : -EIO;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (r == 0 && renameat(j->fs->rootfd, tmp, j->fs->rootfd, j->path) < 0)
		r = -errno;
	return r;
}

/* Append @s as it is: the tabs and newline that separate fields. */
static int append_raw(struct np__journal *j, const char *s)
{
	size_t n = strlen(s);
	char *t = realloc(j->text, j->len + n + 1);

	if (!t)
		return -ENOMEM;
	j->text = t;
	memcpy(t + j->len, s, n + 1);
	j->len += n;
	return 0;
}

static int record(struct np__journal *j, char kind, const char *path, const char *old, size_t n)
{
	char head[3] = { kind, '\t', 0 };
	int r;

	if ((r = append_raw(j, head)) < 0 || (r = append_escaped(j, path, strlen(path))) < 0 ||
	    (old && ((r = append_raw(j, "\t")) < 0 || (r = append_escaped(j, old, n)) < 0)) ||
	    (r = append_raw(j, "\n")) < 0)
		return r;
	return flush(j);
}

/* Write exactly @n bytes of @v to @path, truncating (a sysroot copy keeps no stale tail). */
static int write_exact(const struct np_sysfs *fs, const char *path, const char *v, size_t n,
		       int oflags)
{
	ssize_t w;
	int fd, r = 0;

	fd = openat(fs->rootfd, path, O_WRONLY | O_TRUNC | O_CLOEXEC | oflags, 0644);
	if (fd < 0)
		return -errno;
	w = write(fd, v, n);
	if (w < 0 || (size_t)w != n)
		r = w < 0 ? -errno : -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int np__journal_write(struct np__journal *j, const char *path, const char *value)
{
	char *old = NULL;
	size_t n = 0, mark;
	int r;

	r = np__sysfs_read_alloc(j->fs, &old, &n, "%s", path);
	if (r == -ENOENT && !j->fs->live) {
		/* a sysroot copy: the file a kernel would have made in a new cgroup folder */
		r = record(j, 'c', path, NULL, 0);
		if (r == 0)
			r = write_exact(j->fs, path, value, strlen(value), O_CREAT | O_EXCL);
		return r;
	}
	if (r < 0)
		return r;
	mark = j->len;
	r = record(j, 'w', path, old, n);
	free(old);
	if (r < 0)
		return r;
	r = write_exact(j->fs, path, value, strlen(value), 0);
	if (r < 0) {
		snprintf(j->failed, sizeof(j->failed), "%s", path);
		/* nothing changed (a managed IRQ's EIO): an undo must not write it either */
		j->len = mark;
		j->text[mark] = '\0';
		flush(j);
	}
	return r;
}

int np__journal_mkdir(struct np__journal *j, const char *path)
{
	int r = record(j, 'd', path, NULL, 0);

	if (r < 0)
		return r;
	if (mkdirat(j->fs->rootfd, path, 0755) < 0) {
		snprintf(j->failed, sizeof(j->failed), "%s", path);
		return -errno;
	}
	return 0;
}

/* Undo the escapes of @s (\n, \t, \\) in place; the journal was checked, so each is valid. */
static size_t unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			*o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

/* Undo @line's change ("K\tPATH[\tOLD]", checked, unescaped in place); 0 or -errno. */
static int undo_line(const struct np_sysfs *fs, char *line)
{
	char *path = line + 2, *old = strchr(path, '\t');
	size_t n = 0;

	if (old)
		*old++ = '\0';
	unescape(path);
	if (old)
		n = unescape(old);
	switch (line[0]) {
	case 'w':
		return write_exact(fs, path, old, n, 0);
	case 'c':
		return unlinkat(fs->rootfd, path, 0) < 0 && errno != ENOENT ? -errno : 0;
	case 'd':
		return unlinkat(fs->rootfd, path, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
	}
	return -EINVAL;
}

/* Are the escapes of [@s, @e) only \n, \t, \\ (a lone backslash at the end is torn)? */
static bool escapes_ok(const char *s, const char *e)
{
	for (; s < e; s++) {
		if (*s == '\\' && (++s == e || !strchr("nt\\", *s)))
			return false;
	}
	return true;
}

/*
 * A path numaplace writes: relative, under sys/ or proc/, no empty, "." or ".." part, so a
 * hostile journal cannot reach outside the sysroot's kernel files.
 */
static bool path_ok(const char *s, const char *e)
{
	if (!escapes_ok(s, e) || (strncmp(s, "sys/", 4) != 0 && strncmp(s, "proc/", 5) != 0))
		return false;
	for (const char *part = s; part < e;) {
		const char *end = memchr(part, '/', (size_t)(e - part));
		size_t len = end ? (size_t)(end - part) : (size_t)(e - part);

		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		part += len + 1;
	}
	return e[-1] != '/';
}

/* One entry from @l to its newline @eol. */
static bool entry_ok(const char *l, const char *eol)
{
	const char *path = l + 2, *tab;

	if (eol - l < 3 || !strchr("wcd", l[0]) || l[0] == '\0' || l[1] != '\t')
		return false;
	tab = memchr(path, '\t', (size_t)(eol - path));
	if ((l[0] == 'w') != (tab != NULL))
		return false;
	if (!tab)
		return path_ok(path, eol);
	return tab > path && path_ok(path, tab) && escapes_ok(tab + 1, eol);
}

int np__journal_check(const char *text)
{
	int n = 0;

	for (const char *l = text; *l; n++) {
		const char *eol = strchr(l, '\n');

		/* flush() renames whole journals into place: a line without its newline is torn */
		if (!eol || !entry_ok(l, eol) || n == INT_MAX)
			return -EINVAL;
		l = eol + 1;
	}
	return n;
}

/*
 * Every entry of @text newest first, after the whole journal is checked: a damaged one is
 * refused before anything is written.  The first error is returned, the rest still tried.
 */
static int undo_text(const struct np_sysfs *fs, char *text)
{
	char *end = text + strlen(text);
	int r = np__journal_check(text);

	if (r < 0)
		return r;
	r = 0;
	while (end > text) {
		char *line;
		int e;

		if (end[-1] == '\n')
			*--end = '\0';
		line = end;
		while (line > text && line[-1] != '\n')
			line--;
		if (*line && (e = undo_line(fs, line)) < 0 && r == 0)
			r = e;
		end = line;
	}
	return r;
}

/* The journals' folders, once empty, go too (a sysroot copy is then as it was). */
static void remove_dirs(int rootfd)
{
	unlinkat(rootfd, JOURNAL_DIR, AT_REMOVEDIR);
	unlinkat(rootfd, "run/numaplace", AT_REMOVEDIR);
	unlinkat(rootfd, "run", AT_REMOVEDIR);
}

bool np__journal_exists(const struct np_sysfs *fs, const char *name)
{
	return np__sysfs_exists(fs, JOURNAL_DIR "/%s", name);
}

int np__journal_rollback(struct np__journal *j)
{
	int r = j->text ? undo_text(j->fs, j->text) : 0;

	if (r == 0 && unlinkat(j->fs->rootfd, j->path, 0) < 0)
		r = -errno;
	if (r == 0)
		remove_dirs(j->fs->rootfd);
	np__journal_release(j);
	return r;
}

int np__journal_undo(const struct np_sysfs *fs, const char *name)
{
	char path[sizeof(((struct np__journal *)0)->path)], *text = NULL;
	size_t len = 0;
	int r;

	if (!np__journal_name_ok(name))
		return -EINVAL;
	snprintf(path, sizeof(path), JOURNAL_DIR "/%s", name);
	r = np__sysfs_read_alloc(fs, &text, &len, "%s", path);
	if (r < 0)
		return r;
	/* a NUL inside would hide the entries after it */
	r = strlen(text) == len ? undo_text(fs, text) : -EINVAL;
	free(text);
	if (r == 0 && unlinkat(fs->rootfd, path, 0) < 0)
		r = -errno;
	if (r == 0)
		remove_dirs(fs->rootfd);
	return r;
}
