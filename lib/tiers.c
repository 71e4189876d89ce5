/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tiers.c - memory tiers, whether demotion is on, and NUMA balancing's mode.
 *
 * Terminology (the kernel's mm/memory-tiers.c and Documentation/admin-guide/sysctl/kernel.rst):
 *  tier       sys/devices/virtual/memory_tiering/memory_tierN with a nodelist: the nodes whose
 *             abstract distance falls in chunk N.  DRAM is tier 4 on x86; memory that HMAT or
 *             a driver (dax kmem, CXL) ranks slower gets a higher N.
 *  demotion   sys/kernel/mm/numa/demotion_enabled, "true"/"false": reclaim moves pages to the
 *             next tier down instead of dropping them.
 *  balancing  proc/sys/kernel/numa_balancing: 0 off, 1 normal, 2 memory tiering (promote hot
 *             pages), 3 both.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define TIER_DIR "sys/devices/virtual/memory_tiering"
#define TIER_NODES NP_WEIGHT_NODES /* bits of a tier's node set: the nodes a kernel can have */

struct tier {
	unsigned int id;
	struct np_cpuset *nodes;
};

struct np_tiers {
	unsigned int count;
	struct tier *tiers; /* by increasing id */
	int demotion;
	int balancing;
};

static int cmp_tier(const void *a, const void *b)
{
	const struct tier *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The tiers with a nodelist; a tier directory the kernel has not filled is left out. */
static int load_tiers(const struct np_sysfs *fs, struct np_tiers *t)
{
	unsigned int *ids = NULL, count = 0;
	int r;

	r = np__sysfs_dir_ids(fs, TIER_DIR, "memory_tier", 1u << 20, &ids, &count);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	t->tiers = calloc(count ? count : 1, sizeof(*t->tiers));
	if (!t->tiers) {
		free(ids);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < count; i++) {
		struct tier *x = &t->tiers[t->count];

		r = np_cpuset_new(TIER_NODES, &x->nodes);
		if (r < 0)
			break;
		if (np__sysfs_read_list(fs, x->nodes, TIER_DIR "/memory_tier%u/nodelist", ids[i]) < 0) {
			np_cpuset_free(x->nodes);
			x->nodes = NULL;
			continue;
		}
		x->id = ids[i];
		t->count++;
	}
	free(ids);
	qsort(t->tiers, t->count, sizeof(*t->tiers), cmp_tier);
	return r < 0 ? r : 0;
}

int np__demotion_parse(const char *text)
{
	if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
		return 1;
	if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
		return 0;
	return -ENOENT;
}

static int read_demotion(const struct np_sysfs *fs)
{
	char buf[16];

	if (np__sysfs_read(fs, buf, sizeof(buf), "sys/kernel/mm/numa/demotion_enabled") < 0)
		return -ENOENT;
	return np__demotion_parse(buf);
}

static int read_balancing(const struct np_sysfs *fs)
{
	long long v;

	if (np__sysfs_read_ll(fs, &v, "proc/sys/kernel/numa_balancing") < 0 || v < 0 || v > 3)
		return -ENOENT;
	return (int)v;
}

int np_tiers_load(const char *sysroot, struct np_tiers **ret)
{
	struct np_sysfs *fs;
	struct np_tiers *t;
	int r;

	if (!ret)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	t = calloc(1, sizeof(*t));
	if (!t) {
		r = -ENOMEM;
		goto free_fs;
	}
	r = load_tiers(fs, t);
	if (r < 0) {
		np_tiers_free(t);
		goto free_fs;
	}
	t->demotion = read_demotion(fs);
	t->balancing = read_balancing(fs);
	*ret = t;
free_fs:
	np__sysfs_free(fs);
	return r;
}

void np_tiers_free(struct np_tiers *t)
{
	if (!t)
		return;
	for (unsigned int i = 0; i < t->count; i++)
		np_cpuset_free(t->tiers[i].nodes);
	free(t->tiers);
	free(t);
}

unsigned int np_tiers_count(const struct np_tiers *t)
{
	return t ? t->count : 0;
}

int np_tiers_tier(const struct np_tiers *t, unsigned int i, unsigned int *id,
		  const struct np_cpuset **nodes)
{
	if (!t || i >= t->count)
		return -EINVAL;
	if (id)
		*id = t->tiers[i].id;
	if (nodes)
		*nodes = t->tiers[i].nodes;
	return 0;
}

int np_tiers_demotion(const struct np_tiers *t)
{
	return t ? t->demotion : -ENOENT;
}

int np_tiers_balancing(const struct np_tiers *t)
{
	return t ? t->balancing : -ENOENT;
}
