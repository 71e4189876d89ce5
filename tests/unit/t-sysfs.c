/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-sysfs.c - the sysroot reader (lib/sysfs.c): the path formatter gives what vsnprintf
 * gives, for the conversions it does itself and for those it hands on, and says
 * -ENAMETOOLONG exactly where vsnprintf would truncate; small files read whole with their
 * NUL padding and newlines stripped; directories listed as readdir() lists them.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

__attribute__((format(printf, 3, 4))) static int path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = np__vpath(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

/* np__vpath and snprintf of the same format into buffers of every size from 1 to 64 */
#define SAME(fmt, ...)                                                                      \
	do {                                                                                \
		char want[256], got[256];                                                   \
		int n = snprintf(want, sizeof(want), fmt, __VA_ARGS__), bad = 0;            \
		for (size_t sz = 1; sz <= 64; sz++) {                                       \
			int r = path(got, sz, fmt, __VA_ARGS__);                            \
			if ((size_t)n >= sz ? r != -ENAMETOOLONG                            \
					    : (r != 0 || strcmp(got, want) != 0))           \
				bad++;                                                      \
		}                                                                           \
		ok(bad == 0 && path(got, sizeof(got), fmt, __VA_ARGS__) == 0 &&             \
			   strcmp(got, want) == 0,                                          \
		   "vpath \"%s\" -> \"%s\" (%d sizes wrong)", fmt, want, bad);              \
	} while (0)

static void test_vpath(void)
{
	char buf[PATH_MAX];

	SAME("cpu%u/cache/index%u/shared_cpu_list", 0U, 3U);
	SAME("cpu%u/topology/core_id", 4294967295U);
	SAME("node%d/meminfo", -1);
	SAME("node%d/x%d", -2147483647 - 1, 2147483647);
	SAME("%s/hugepages/%s/nr_hugepages", "sys/devices/system/node/node0", "hugepages-2048kB");
	SAME("%s", "");
	SAME("100%% of %s", "it");
	SAME("bus/%llu/x", 18446744073709551615ULL);
	SAME("%llu%u%d%s", 0ULL, 7U, -7, "z");
	/* conversions it does not do itself go to vsnprintf, whole */
	SAME("cpu%03u/%x/%s", 5U, 255U, "s");
	SAME("%lu-%ld", 12UL, -3L);
	SAME("%c%s", 'q', "rest");
	SAME("plain/path/without/conversions%s", "");
	is_int(path(buf, sizeof(buf), "%s", ""), 0, "empty path is fine");
	is_str(buf, "", "empty path is empty");
}

/* a file under a scratch sysroot with @body, then np__sysfs_read of it */
static void test_read(void)
{
	char root[] = "/tmp/np-t-sysfs.XXXXXX", file[PATH_MAX], buf[16];
	struct np_sysfs *fs;
	long long v;
	FILE *f;

	if (!mkdtemp(root)) {
		skip(6, "cannot make a scratch sysroot");
		return;
	}
	snprintf(file, sizeof(file), "%s/padded", root);
	f = fopen(file, "w");
	fwrite("0-3\n\0\0\0", 1, 7, f);
	fclose(f);
	snprintf(file, sizeof(file), "%s/long", root);
	f = fopen(file, "w");
	fputs("0123456789abcdefghij\n", f);
	fclose(f);
	is_int(np__sysfs_open(root, &fs), 0, "open the sysroot");
	is_int((int)np__sysfs_read(fs, buf, sizeof(buf), "/%s", "padded"), 3,
	       "NUL padding and newline stripped");
	is_str(buf, "0-3", "the text itself");
	is_int((int)np__sysfs_read(fs, buf, sizeof(buf), "%s", "long"), -EFBIG,
	       "a file longer than the buffer is -EFBIG, not cut");
	is_int(np__sysfs_read_ll(fs, &v, "missing%u", 1U), -ENOENT, "a missing file is -ENOENT");
	is_int((int)np__sysfs_read(fs, buf, sizeof(buf), "%s", ""), -EISDIR,
	       "the sysroot itself is a directory");
	np__sysfs_free(fs);
	snprintf(file, sizeof(file), "%s/padded", root);
	unlink(file);
	snprintf(file, sizeof(file), "%s/long", root);
	unlink(file);
	rmdir(root);
}

/*
 * np__dir_next() against readdir(): the same names in the same order, "." and ".." left out,
 * across several getdents64() buffers (700 entries are more than one 8 KiB buffer holds).
 */
static void test_dir(void)
{
	char root[] = "/tmp/np-t-sysfs.XXXXXX", file[PATH_MAX];
	unsigned int *ids = NULL, nids = 0, n = 0, same = 0, dots = 0;
	struct np_sysfs *fs;
	struct np__dir d;
	struct dirent *de;
	const char *name;
	DIR *dir;

	if (!mkdtemp(root) || np__sysfs_open(root, &fs) < 0) {
		skip(5, "cannot make a scratch sysroot");
		return;
	}
	for (unsigned int i = 0; i < 700; i++) {
		snprintf(file, sizeof(file), "%s/cpu%u", root, i);
		fclose(fopen(file, "w"));
	}
	snprintf(file, sizeof(file), "%s/online", root);
	fclose(fopen(file, "w"));
	is_int(np__dir_open(fs, &d, "missing"), -ENOENT, "a missing directory is -ENOENT");
	is_int(np__dir_open(fs, &d, "/"), 0, "open the sysroot as a directory");
	dir = opendir(root);
	while (dir && (de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
			dots++;
			continue;
		}
		name = np__dir_next(&d);
		same += name && strcmp(name, de->d_name) == 0;
		n++;
	}
	if (dir)
		closedir(dir);
	ok(n == 701 && same == n && dots == 2 && !np__dir_next(&d),
	   "the entries of readdir() in its order, without . and .. (%u of %u)", same, n);
	np__dir_close(&d);
	is_int(np__sysfs_dir_ids(fs, "/", "cpu", 1000, &ids, &nids), 0, "dir_ids: cpuN entries");
	ok(nids == 700, "dir_ids: 700 of them, online left out (%u)", nids);
	free(ids);
	np__sysfs_free(fs);
	for (unsigned int i = 0; i < 700; i++) {
		snprintf(file, sizeof(file), "%s/cpu%u", root, i);
		unlink(file);
	}
	snprintf(file, sizeof(file), "%s/online", root);
	unlink(file);
	rmdir(root);
}

/*
 * Issue 17 item 3: a hostile sysroot's FIFO, /dev/zero and /dev/null.  Every reader returns
 * promptly with -EINVAL (not a regular file), never blocks, never reads without bound.
 */
static void test_hostile(void)
{
	char root[] = "/tmp/np-t-sysfs-h.XXXXXX", path[PATH_MAX], buf[64], *text = NULL;
	const char *names[] = { "fifo", "zero", "null" };
	struct np_sysfs *fs;
	struct np_cpuset *set;
	long long v;

	if (!mkdtemp(root) || np_cpuset_new(64, &set) < 0) {
		skip(16, "cannot make a scratch sysroot");
		return;
	}
	snprintf(path, sizeof(path), "%s/fifo", root);
	if (mkfifo(path, 0600) < 0) {
		skip(16, "cannot make a FIFO");
		return;
	}
	snprintf(path, sizeof(path), "%s/zero", root);
	symlink("/dev/zero", path);
	snprintf(path, sizeof(path), "%s/null", root);
	symlink("/dev/null", path);
	is_int(np__sysfs_open(root, &fs), 0, "open the hostile sysroot");
	for (size_t i = 0; i < NP_ARRAY_SIZE(names); i++) {
		is_int((int)np__sysfs_read(fs, buf, sizeof(buf), "%s", names[i]), -EINVAL,
		       "read of %s: not a regular file", names[i]);
		is_int(np__sysfs_read_ll(fs, &v, "%s", names[i]), -EINVAL, "read_ll of %s", names[i]);
		is_int(np__sysfs_read_list(fs, set, "%s", names[i]), -EINVAL, "read_list of %s",
		       names[i]);
		is_int(np__sysfs_read_alloc(fs, &text, NULL, "%s", names[i]), -EINVAL,
		       "read_alloc of %s", names[i]);
		ok(text == NULL, "and no text returned");
	}
	np__sysfs_free(fs);
	for (size_t i = 0; i < NP_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, names[i]);
		unlink(path);
	}
	rmdir(root);
	np_cpuset_free(set);
}

int main(void)
{
	test_vpath();
	test_read();
	test_dir();
	test_hostile();
	done_testing();
	return exit_status();
}
