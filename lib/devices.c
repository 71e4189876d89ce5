/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices.c - PCI devices, their NUMA node and local CPUs, and the names users know them by.
 * (Placeholder: reports no device.)
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

struct np_devset {
	unsigned int count;
};

int np__devices_load(const struct np_sysfs *fs, unsigned int ncpus, struct np_devset **ret)
{
	struct np_devset *d = calloc(1, sizeof(*d));

	(void)fs;
	(void)ncpus;
	if (!d)
		return -ENOMEM;
	*ret = d;
	return 0;
}

void np__devices_free(struct np_devset *d)
{
	free(d);
}

unsigned int np_topo_device_count(const struct np_topo *topo)
{
	(void)topo;
	return 0;
}

const struct np_device *np_topo_device(const struct np_topo *topo, unsigned int i)
{
	(void)topo;
	(void)i;
	return NULL;
}

const struct np_device *np_topo_device_find(const struct np_topo *topo, const char *name)
{
	(void)topo;
	(void)name;
	return NULL;
}

const char *np_device_name(const struct np_device *dev)
{
	(void)dev;
	return NULL;
}

const char *np_device_class(const struct np_device *dev)
{
	(void)dev;
	return NULL;
}

const char *np_device_pci_address(const struct np_device *dev)
{
	(void)dev;
	return NULL;
}

int np_device_node(const struct np_device *dev)
{
	(void)dev;
	return -1;
}

const struct np_cpuset *np_device_local_cpus(const struct np_device *dev)
{
	(void)dev;
	return NULL;
}
