/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-interrupts.c - libFuzzer target for the proc/interrupts parsers (np__irq_header() and
 * np__irq_line(), lib/irq.c), called on the bytes directly, without a file.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole table up to its first NUL; "header"
 * its first line ("CPU0 CPU1 ..."), "columns" the CPU numbers it names (CPUs 0, 1 and 3 when it
 * does not parse, so that the lines are fuzzed all the same); "line" each line after it.
 * smp_affinity_list and effective_affinity_list go through np__sysfs_read_list(), the cpulist
 * parser of fuzz-list.
 *
 * Invariants: a header parsed has 1 or more columns, each below NP__MAX_CPUS; a line parsed has
 * an IRQ number up to INT32_MAX, counts for the highest column + 1 CPUs with 0 for CPUs no
 * column names, chip, hwirq and actions inside the line (or ""), actions without a leading
 * blank, and a device (only for a PCI-MSI chip) equal to the chip's tail; a line without a
 * number (1) or a failure (-EINVAL, -ENOMEM) leaves the entry untouched.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside_or_empty(const char *s, const char *line, size_t len)
{
	return (s >= line && s <= line + len) || (s && *s == '\0');
}

static bool named(unsigned int cpu, const unsigned int *cpus, unsigned int ncpus)
{
	for (unsigned int i = 0; i < ncpus; i++)
		if (cpus[i] == cpu)
			return true;
	return false;
}

static void check_line(char *line, const unsigned int *cpus, unsigned int ncpus)
{
	struct np_irq q, sentinel;
	size_t len = strlen(line);
	unsigned int top = 0;
	int r;

	memset(&sentinel, 0x5a, sizeof(sentinel));
	q = sentinel;
	r = np__irq_line(line, cpus, ncpus, &q);
	if (r != 0) {
		check(r == 1 || r == -EINVAL || r == -ENOMEM);
		check(memcmp(&q, &sentinel, sizeof(q)) == 0);
		return;
	}
	for (unsigned int i = 0; i < ncpus; i++)
		top = cpus[i] + 1 > top ? cpus[i] + 1 : top;
	check(q.irq <= INT32_MAX && q.ncounts == top && q.counts != NULL);
	for (unsigned int c = 0; c < top; c++)
		check(named(c, cpus, ncpus) || q.counts[c] == 0);
	check(inside_or_empty(q.chip, line, len) && inside_or_empty(q.hwirq, line, len));
	check(inside_or_empty(q.actions, line, len));
	check(*q.actions != ' ' && *q.actions != '\t');
	check(q.node == -1 && !q.affinity && !q.effective);
	if (q.device) {
		size_t d = strlen(q.device), c = strlen(q.chip);

		check(strncmp(q.chip, "PCI-MSI", 7) == 0 && d < c);
		check(strcmp(q.chip + c - d, q.device) == 0);
	}
	free((void *)q.counts);
	free((void *)q.device);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int fallback[] = { 0, 1, 3 };
	unsigned int *cpus = NULL, ncpus = 7, *sentinel = (unsigned int *)&sentinel;
	char *text = fuzz_text(data, size, 0), *line, *eol;
	int r;

	eol = strchr(text, '\n');
	if (eol)
		*eol = '\0';
	cpus = sentinel;
	r = np__irq_header(text, &cpus, &ncpus);
	if (r < 0) {
		check(r == -EINVAL || r == -ENOMEM);
		check(cpus == sentinel && ncpus == 7);
		cpus = NULL;
	} else {
		check(ncpus >= 1 && cpus != NULL);
		for (unsigned int i = 0; i < ncpus; i++)
			check(cpus[i] < NP__MAX_CPUS);
	}
	for (line = eol ? eol + 1 : NULL; line && *line; line = eol ? eol + 1 : NULL) {
		eol = strchr(line, '\n');
		if (eol)
			*eol = '\0';
		check_line(line, cpus ? cpus : fallback, cpus ? ncpus : 3);
	}
	free(cpus);
	free(text);
	return 0;
}
