/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-journal.c - libFuzzer target for the undo journal (lib/journal.c): its check
 * (np__journal_check()) on the bytes, then a real undo (np__journal_undo()) of the bytes as a
 * journal file in a scratch sysroot, to prove that a refused journal changes nothing.
 *
 * Terminology: "input" is the fuzzer's bytes, written as they are (NULs too) to
 * run/numaplace/isolate/fz; "scratch" a sysroot made once under $TMPDIR and restored before
 * each input: sys/a ("A\n"), sys/d/ (a folder), proc/b ("B\n") that a journal may change, and
 * keep ("K\n") outside sys/ and proc/, which no journal may reach.
 *
 * Invariants: a journal checked has one entry per line, ends with a newline (or is empty), and
 * each entry is "K\tPATH..." with K one of w, c, d, PATH relative under sys/ or proc/ with no
 * ".." part; a journal with a NUL or that fails the check is refused with -EINVAL by the undo,
 * and then every file of the scratch and the journal itself are as they were; whatever the
 * journal, keep is never touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "internal.h"

#define JOURNAL "run/numaplace/isolate/fz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_scratch(void)
{
	nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(int root, const char *path, const void *v, size_t n)
{
	int fd = openat(root, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	check(fd >= 0);
	check(write(fd, v, n) == (ssize_t)n);
	close(fd);
}

/* Does @path hold exactly @v (@n bytes)? */
static bool holds(int root, const char *path, const void *v, size_t n)
{
	char buf[64];
	int fd = openat(root, path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return false;
	got = read(fd, buf, sizeof(buf));
	close(fd);
	return got == (ssize_t)n && memcmp(buf, v, n) == 0;
}

static void restore(int root, const uint8_t *data, size_t size)
{
	static const char *const dirs[] = { "sys", "sys/d", "proc", "run", "run/numaplace",
					    "run/numaplace/isolate" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		check(mkdirat(root, dirs[i], 0755) == 0 || errno == EEXIST);
	put(root, "sys/a", "A\n", 2);
	put(root, "proc/b", "B\n", 2);
	put(root, JOURNAL, data, size);
}

/* The check's verdict, seen again line by line. */
static void check_lines(const char *text, int n)
{
	int lines = 0;

	check(*text == '\0' || text[strlen(text) - 1] == '\n');
	for (const char *l = text; *l; l = strchr(l, '\n') + 1, lines++) {
		const char *path = l + 2;
		size_t len = strcspn(path, "\t\n");

		check(strchr("wcd", l[0]) && l[1] == '\t');
		check(strncmp(path, "sys/", 4) == 0 || strncmp(path, "proc/", 5) == 0);
		for (const char *p = path, *e; p <= path + len; p = e + 1) {
			e = memchr(p, '/', (size_t)(path + len - p));
			e = e ? e : path + len;
			check(e - p != 2 || p[0] != '.' || p[1] != '.');
		}
	}
	check(lines == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_sysfs *fs;
	char *text = fuzz_text(data, size, 0);
	bool nul;
	int n, r;

	if (!scratch[0]) {
		snprintf(scratch, sizeof(scratch), "%s/fuzz-journal-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		check(mkdtemp(scratch) != NULL);
		atexit(remove_scratch);
	}
	nul = strlen(text) != size;
	n = np__journal_check(text);
	check(n == -EINVAL || n >= 0);
	if (n >= 0)
		check_lines(text, n);
	check(np__sysfs_open(scratch, &fs) == 0);
	put(fs->rootfd, "keep", "K\n", 2);
	restore(fs->rootfd, data, size);
	r = np__journal_undo(fs, "fz");
	if (nul || n < 0) {
		check(r == -EINVAL);
		check(holds(fs->rootfd, "sys/a", "A\n", 2) && holds(fs->rootfd, "proc/b", "B\n", 2));
		check(faccessat(fs->rootfd, "sys/d", F_OK, 0) == 0);
		check(size > 64 || holds(fs->rootfd, JOURNAL, data, size));
	}
	check(holds(fs->rootfd, "keep", "K\n", 2));
	np__sysfs_free(fs);
	free(text);
	return 0;
}
