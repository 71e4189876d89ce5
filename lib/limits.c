/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * limits.c - this process's limits: affinity, cgroup cpuset, Mems_allowed, isolated CPUs.
 * (Placeholder: reports nothing known.)
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

struct np_limits {
	int unused;
};

int np__limits_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
		    struct np_limits **ret)
{
	struct np_limits *l = calloc(1, sizeof(*l));

	(void)fs;
	(void)ncpus;
	(void)nnodes;
	if (!l)
		return -ENOMEM;
	*ret = l;
	return 0;
}

void np__limits_free(struct np_limits *l)
{
	free(l);
}

const struct np_cpuset *np_topo_allowed_cpus(const struct np_topo *topo)
{
	(void)topo;
	return NULL;
}

const struct np_cpuset *np_topo_allowed_nodes(const struct np_topo *topo)
{
	(void)topo;
	return NULL;
}

const struct np_cpuset *np_topo_cgroup_cpus(const struct np_topo *topo)
{
	(void)topo;
	return NULL;
}

const struct np_cpuset *np_topo_cgroup_nodes(const struct np_topo *topo)
{
	(void)topo;
	return NULL;
}

const struct np_cpuset *np_topo_isolated_cpus(const struct np_topo *topo)
{
	(void)topo;
	return NULL;
}

const struct np_cpuset *np_topo_nohz_full_cpus(const struct np_topo *topo)
{
	(void)topo;
	return NULL;
}
