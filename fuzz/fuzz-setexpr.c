/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-setexpr.c - libFuzzer target for the one set grammar (np_topo_parse_cpus and
 * np_topo_parse_nodes) on the hand-made "sparse" sysroot: any input either fails with a known
 * error, an offset inside the text and the output untouched, or gives a set of the topology's
 * size naming only CPUs (nodes) that exist, whose kernel list parses back to the same set.
 *
 * Terminology: "input" is the fuzzer's byte buffer; its first byte picks CPUs or nodes and the
 * flags, the rest, up to the first NUL, is the string parsed.  The sysroot is
 * $NP_FUZZ_SYSROOT, by default tests/fixtures/sysroots/sparse of the current directory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static const struct np_topo *topology(void)
{
	static struct np_topo *topo;
	const char *root = getenv("NP_FUZZ_SYSROOT");

	if (topo)
		return topo;
	if (np_topo_load(root ? root : "tests/fixtures/sysroots/sparse", 0, &topo) < 0) {
		fprintf(stderr, "fuzz-setexpr: cannot load the sysroot; run from the source tree "
				"or set NP_FUZZ_SYSROOT\n");
		abort();
	}
	return topo;
}

static int parse(bool nodes, const char *s, unsigned int flags, struct np_cpuset **set,
		 size_t *pos)
{
	const struct np_topo *t = topology();

	return nodes ? np_topo_parse_nodes(t, s, flags, set, pos)
		     : np_topo_parse_cpus(t, s, flags, set, pos);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct np_topo *t = topology();
	struct np_cpuset *set = (struct np_cpuset *)&size, *again = NULL;
	size_t pos = SIZE_MAX;
	char *str, *text = NULL;
	bool nodes;
	int r;

	if (size < 1)
		return 0;
	nodes = data[0] & 1;
	str = strndup((const char *)data + 1, size - 1);
	check(str != NULL);
	r = parse(nodes, str, (data[0] >> 1) & 1, &set, &pos);
	if (r < 0) {
		check(r == -EINVAL || r == -ERANGE || r == -EOVERFLOW || r == -ENODEV);
		check(pos <= strlen(str));
		check(set == (struct np_cpuset *)&size);
		free(str);
		return 0;
	}
	check(np_cpuset_size(set) == (nodes ? np_topo_node_size(t) : np_topo_cpu_size(t)));
	check(np_cpuset_subset(set, nodes ? np_topo_nodes(t) : np_topo_possible_cpus(t)));
	check(np_cpuset_format_list(set, 0, &text) == 0);
	if (*text) {
		check(parse(nodes, text, 0, &again, NULL) == 0);
		check(np_cpuset_equal(set, again));
	}
	np_cpuset_free(again);
	np_cpuset_free(set);
	free(text);
	free(str);
	return 0;
}
