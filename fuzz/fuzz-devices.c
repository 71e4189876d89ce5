/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-devices.c - libFuzzer target for the parsers of a device's files: numa_node (also an
 * IRQ's node), class, vendor or device id, NVIDIA's numa_status, and local_cpulist or
 * local_cpus (np__parse_clamped, as the reader cuts them to the machine's CPUs).
 *
 * Terminology: see fuzz-sysparse.h.  The first byte picks the file: 0 numa_node, 1 class,
 * 2 vendor or device, 3 numa_status, 4 local_cpulist, 5 local_cpus; for the last two the next
 * two bytes give the number of CPUs, 0..8192.
 *
 * Invariants: a failure leaves the output untouched.  A node is 0..INT_MAX - 1 (the kernel's
 * -1, no node, is -EDOM), a class 0..0xffffff, an id 0..0xffff, each what np__parse_ll reads.
 * numa_status is -ENOENT exactly without "Node:", -EINVAL without a number after it, else that
 * number when it is a node.  Local CPUs are a set of the size asked with no bit beyond it.
 */
#include "fuzz-sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_node(const char *text)
{
	int node = SENTINEL;
	int r = np__parse_dev_node(text, &node);

	fuzz_check_ranged(text, r, node, node != SENTINEL, 0, INT_MAX - 1);
}

static void fuzz_class(const char *text)
{
	unsigned int cls = SENTINEL;
	int r = np__parse_pci_class(text, &cls);

	fuzz_check_ranged(text, r, cls, cls != SENTINEL, 0, 0xffffff);
}

static void fuzz_id(const char *text)
{
	unsigned int id = SENTINEL;
	int r = np__parse_pci_id(text, &id);

	fuzz_check_ranged(text, r, id, id != SENTINEL, 0, 0xffff);
}

static void fuzz_status(const char *text)
{
	const char *p = strstr(text, "Node:");
	int node = SENTINEL;
	int r = np__parse_gpu_numa_status(text, &node);
	char *end;
	long v;

	if (!p) {
		check(r == -ENOENT && node == SENTINEL);
		return;
	}
	v = strtol(p + 5, &end, 10);
	if (end == p + 5)
		check(r == -EINVAL && node == SENTINEL);
	else if (v < 0 || v >= INT_MAX)
		check(r == -EDOM && node == SENTINEL);
	else
		check(r == 0 && node == v);
}

static void fuzz_local(const char *text, unsigned int ncpus, bool mask)
{
	struct np_cpuset *sentinel = (struct np_cpuset *)&ncpus, *set = sentinel;
	int r = np__parse_clamped(text, ncpus, mask, &set);

	check(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r < 0) {
		check(set == sentinel);
		return;
	}
	check(np_cpuset_size(set) == ncpus && np_cpuset_last(set) < (int)ncpus);
	np_cpuset_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *) = {
		fuzz_node, fuzz_class, fuzz_id, fuzz_status,
	};
	unsigned int kind;
	char *text;

	if (size < 1)
		return 0;
	kind = data[0] % 6;
	text = fuzz_text(data, size, kind < 4 ? 1 : 3);
	if (!text)
		return 0;
	if (kind < 4)
		parsers[kind](text);
	else
		fuzz_local(text, ((unsigned int)data[1] | (unsigned int)data[2] << 8) % 8193, kind == 5);
	free(text);
	return 0;
}
