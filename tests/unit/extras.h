/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * extras.h - what the unit tests of the topology extras (t-devices, t-hmat, t-limits) share:
 * the source tree, their hand-made sysroots, shared captures extracted to a scratch folder,
 * and sets printed as cpulists.
 *
 * Terminology: "sysroots" are tests/fixtures/sysroots-extras/NAME; a "capture" is
 * ../shared/fixtures/topology/NAME (or $SHARED/fixtures/topology/NAME).
 */
#ifndef NP_TEST_EXTRAS_H
#define NP_TEST_EXTRAS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "numaplace.h"
#include "tap.h"

static char srcdir[2048];

/* The set as a cpulist, "(null)" for NULL; static buffer, one call per statement. */
__attribute__((unused)) static const char *list(const struct np_cpuset *set)
{
	static char buf[4096];
	char *s;

	if (!set)
		return "(null)";
	if (np_cpuset_format_list(set, 0, &s) < 0)
		return "(format failed)";
	snprintf(buf, sizeof(buf), "%s", s);
	free(s);
	return buf;
}

/* @root as a path: absolute as given, otherwise one of the hand-made sysroots. */
__attribute__((unused)) static void sysroot_path(const char *root, char *path, size_t size)
{
	if (root[0] == '/')
		snprintf(path, size, "%s", root);
	else
		snprintf(path, size, "%s/tests/fixtures/sysroots-extras/%s", srcdir, root);
}

/* The folder of shared capture @name (it holds fsroot.tar.gz and expected.json). */
static void capture_path(const char *name, char *path, size_t size)
{
	const char *shared = getenv("SHARED");

	if (shared)
		snprintf(path, size, "%s/fixtures/topology/%s", shared, name);
	else
		snprintf(path, size, "%s/../shared/fixtures/topology/%s", srcdir, name);
}

/*
 * Extract capture @name into a new folder made from the mkdtemp() template @dir.
 * Return: 0; -ENOENT no such capture (or no folder); -EIO it does not extract.
 */
__attribute__((unused)) static int extract_capture(const char *name, char *dir)
{
	char cmd[8192], file[4096];

	capture_path(name, file, sizeof(file));
	snprintf(cmd, sizeof(cmd), "%s/fsroot.tar.gz", file);
	if (access(cmd, R_OK) != 0 || !mkdtemp(dir))
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "tar xzf '%s/fsroot.tar.gz' -C '%s' 2>/dev/null", file, dir);
	return system(cmd) == 0 ? 0 : -EIO;
}

__attribute__((unused)) static void remove_dir(const char *dir)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
}

/* srcdir from NP_SRCDIR; bail out when the hand-made sysroots are not there. */
__attribute__((unused)) static void extras_init(void)
{
	const char *s = getenv("NP_SRCDIR");
	char path[4096];

	snprintf(srcdir, sizeof(srcdir), "%s", s ? s : ".");
	snprintf(path, sizeof(path), "%s/tests/fixtures/sysroots-extras", srcdir);
	if (access(path, R_OK) != 0)
		bail_out("tests/fixtures/sysroots-extras not found: set NP_SRCDIR to the source tree");
}

#endif /* NP_TEST_EXTRAS_H */
