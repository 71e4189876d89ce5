/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * captures.h - what the unit tests over the shared captures (t-plan, t-resolve, t-tree) share:
 * the source tree, a scratch folder, and a capture extracted there and loaded.
 *
 * Terminology: a "capture" is ../shared/fixtures/topology/NAME/fsroot.tar.gz (or under
 * $SHARED/fixtures/topology); the "scratch folder" is $TMPDIR/np-t-TEST.XXXXXX, removed by
 * captures_done().
 */
#ifndef NP_TEST_CAPTURES_H
#define NP_TEST_CAPTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numaplace.h"
#include "tap.h"

static char srcdir[4096];
static char tmpdir[4200];

/* srcdir from NP_SRCDIR, and a new scratch folder for test @name; bails out without one */
__attribute__((unused)) static void captures_init(const char *name)
{
	const char *sd = getenv("NP_SRCDIR");

	snprintf(srcdir, sizeof(srcdir), "%s", sd ? sd : ".");
	/* captures are ~10k small files: on tmpfs they extract in a fraction of a second */
	sd = getenv("TMPDIR");
	if (!sd)
		sd = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/np-%s.XXXXXX", sd, name);
	if (!mkdtemp(tmpdir))
		bail_out("mkdtemp");
}

__attribute__((unused)) static void captures_done(void)
{
	char cmd[4300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("could not remove %s", tmpdir);
}

/* Extract capture @name into the scratch folder and load it; NULL when it is not there. */
__attribute__((unused)) static struct np_topo *capture_load(const char *name)
{
	char cmd[16384], dir[4608];
	const char *shared = getenv("SHARED");
	struct np_topo *topo;

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s' && tar xzf '%s%s/fixtures/topology/%s/fsroot.tar.gz' -C '%s' 2>/dev/null",
		 dir, shared ? shared : srcdir, shared ? "" : "/../shared", name, dir);
	if (system(cmd) != 0 || np_topo_load(dir, 0, &topo) < 0)
		return NULL;
	return topo;
}

/*
 * capture_load() once per name in a row: the topology stays loaded (owned here) until the next
 * name; capture("") frees the last one.
 */
__attribute__((unused)) static struct np_topo *capture(const char *name)
{
	static char last[256];
	static struct np_topo *topo;

	if (strcmp(last, name) == 0)
		return topo;
	np_topo_free(topo);
	snprintf(last, sizeof(last), "%s", name);
	topo = *name ? capture_load(name) : NULL;
	return topo;
}

#endif /* NP_TEST_CAPTURES_H */
