/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-weights.c - weighted interleave's weights (lib/weights.c) and memory tiers (lib/tiers.c)
 * on the hand-made sysroot tests/fixtures/sysroots-extras/mempolicy-612, copied to a scratch
 * folder wherever a test writes; and a kernel without either (limits-none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numaplace.h"
#include "extras.h"

/* "w0 w1 w2 ..." of @n weights */
static const char *ws(const unsigned int *w, unsigned int n)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && len < sizeof(buf) - 8; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%u", i ? " " : "", w[i]);
	return buf;
}

static void test_from_bandwidth(void)
{
	static const struct {
		int ret;
		unsigned int n;
		unsigned long long bw[4];
		const char *want;
	} cases[] = {
		{ 0, 2, { 30000, 10000 }, "3 1" },
		{ 0, 3, { 30000, 30000, 10000 }, "3 3 1" },
		{ 0, 2, { 15000, 10000 }, "3 2" },
		{ 0, 3, { 100, 0, 100 }, "1 0 1" },
		{ 0, 2, { 12345, 10000 }, "123 100" },         /* 1% resolution */
		{ 0, 2, { 1000000, 1000 }, "255 1" },          /* the fastest capped at 255 */
		{ 0, 2, { 5000, 1000 }, "5 1" },               /* scale below 100: still exact */
		{ -EINVAL, 2, { 0, 0 }, NULL },
		{ -EINVAL, 0, { 1 }, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int w[4] = { 77, 77, 77, 77 };
		int r = np_weights_from_bandwidth(cases[i].bw, w, cases[i].n);

		is_int(r, cases[i].ret, "from_bandwidth case %zu: return", i);
		if (cases[i].want)
			is_str(ws(w, cases[i].n), cases[i].want, "from_bandwidth case %zu: weights", i);
		else
			is_str(ws(w, 2), "77 77", "from_bandwidth case %zu: weights untouched", i);
	}
}

static void test_read(void)
{
	char root[4096];
	unsigned int w[4] = { 9, 9, 9, 9 };

	sysroot_path("mempolicy-612", root, sizeof(root));
	is_int(np_weights_read(root, w, 4), 4, "read: four nodes have a weight");
	is_str(ws(w, 4), "1 1 1 1", "read: the kernel's default 1");
	is_int(np_weights_read(root, w, 2), 2, "read: nodes beyond the array are left out");
	sysroot_path("limits-none", root, sizeof(root));
	w[0] = 9;
	is_int(np_weights_read(root, w, 4), -ENOENT, "read: a kernel without weighted interleave");
	is_int((int)w[0], 9, "read: weights untouched on failure");
	is_int(np_weights_read(root, NULL, 4), -EINVAL, "read: NULL weights");
	is_int(np_weights_write(root, 0, 3), -ENOENT, "write: a kernel without weighted interleave");
}

/* A scratch copy of mempolicy-612 in @dir (a mkdtemp template). */
static int scratch(char *dir)
{
	char root[4096], cmd[8192 + 64];

	sysroot_path("mempolicy-612", root, sizeof(root));
	if (!mkdtemp(dir))
		return -errno;
	snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s'", root, dir);
	return system(cmd) == 0 ? 0 : -EIO;
}

static void test_write_undo(void)
{
	char dir[] = "/tmp/np-t-weights.XXXXXX";
	unsigned int w[4] = { 0 };

	if (scratch(dir) < 0) {
		skip(12, "no scratch copy of the sysroot");
		return;
	}
	is_int(np_weights_undo(dir, w, 4), -ENOENT, "undo: nothing saved yet");
	is_int(np_weights_write(dir, 0, 0), -EINVAL, "write: weight 0 refused");
	is_int(np_weights_write(dir, 0, 256), -EINVAL, "write: weight 256 refused");
	is_int(np_weights_write(dir, 9, 2), -ENOENT, "write: a node without a file");
	is_int(np_weights_save(dir), 0, "save");
	is_int(np_weights_write(dir, 0, 3), 0, "write node 0 = 3");
	is_int(np_weights_write(dir, 2, 255), 0, "write node 2 = 255");
	np_weights_read(dir, w, 4);
	is_str(ws(w, 4), "3 1 255 1", "read back what was written");
	memset(w, 0, sizeof(w));
	is_int(np_weights_undo(dir, w, 4), 0, "undo");
	is_str(ws(w, 4), "1 1 1 1", "undo: says what it restored");
	np_weights_read(dir, w, 4);
	is_str(ws(w, 4), "1 1 1 1", "undo: the weights are back");
	is_int(np_weights_undo(dir, w, 4), -ENOENT, "undo twice: nothing saved any more");
	remove_dir(dir);
}

static void test_hmat_bandwidth(void)
{
	char root[4096];
	struct np_topo *topo;
	unsigned long long bw[4] = { 1, 1, 1, 1 };
	unsigned int w[4];

	sysroot_path("mempolicy-612", root, sizeof(root));
	if (np_topo_load(root, 0, &topo) < 0) {
		skip(5, "the sysroot does not load");
		return;
	}
	is_int(np_weights_hmat_bandwidth(topo, bw, 4), 0, "hmat bandwidth");
	ok(bw[0] == 30000 && bw[1] == 30000 && bw[2] == 10000 && bw[3] == 0,
	   "hmat bandwidth: access1 read bandwidth, 0 for the memoryless node (%llu %llu %llu %llu)",
	   bw[0], bw[1], bw[2], bw[3]);
	np_weights_from_bandwidth(bw, w, 4);
	is_str(ws(w, 4), "3 3 1 0", "auto weights from HMAT: 3:3:1");
	np_topo_free(topo);
	if (np_topo_load(root, NP_TOPO_NO_HMAT, &topo) < 0) {
		skip(2, "the sysroot does not load");
		return;
	}
	bw[0] = 7;
	is_int(np_weights_hmat_bandwidth(topo, bw, 4), -ENODATA, "no HMAT: -ENODATA");
	is_int((int)bw[0], 7, "no HMAT: bandwidths untouched");
	np_topo_free(topo);
}

static void test_tiers(void)
{
	char root[4096];
	struct np_tiers *t = NULL;
	const struct np_cpuset *nodes = NULL;
	unsigned int id = 0;

	sysroot_path("mempolicy-612", root, sizeof(root));
	is_int(np_tiers_load(root, &t), 0, "tiers: load");
	is_int((int)np_tiers_count(t), 2, "tiers: two");
	is_int(np_tiers_tier(t, 0, &id, &nodes), 0, "tiers: the first");
	ok(id == 4 && strcmp(list(nodes), "0-1") == 0, "tiers: 4 holds nodes 0-1 (got %u: %s)", id,
	   list(nodes));
	np_tiers_tier(t, 1, &id, &nodes);
	ok(id == 22 && strcmp(list(nodes), "2") == 0, "tiers: 22 holds node 2 (got %u: %s)", id,
	   list(nodes));
	is_int(np_tiers_tier(t, 2, &id, &nodes), -EINVAL, "tiers: no third");
	is_int(np_tiers_demotion(t), 1, "tiers: demotion enabled");
	is_int(np_tiers_balancing(t), 2, "tiers: NUMA balancing in memory tiering mode");
	np_tiers_free(t);
	sysroot_path("limits-none", root, sizeof(root));
	is_int(np_tiers_load(root, &t), 0, "tiers: a kernel without them loads");
	is_int((int)np_tiers_count(t), 0, "tiers: none");
	is_int(np_tiers_demotion(t), -ENOENT, "tiers: demotion unknown");
	is_int(np_tiers_balancing(t), -ENOENT, "tiers: balancing unknown");
	np_tiers_free(t);
	np_tiers_free(NULL);
	ok(1, "np_tiers_free(NULL) is a no-op");
}

int main(void)
{
	extras_init();
	test_from_bandwidth();
	test_read();
	test_write_undo();
	test_hmat_bandwidth();
	test_tiers();
	done_testing();
	return exit_status();
}
