/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-devices.c - PCI devices and their names (lib/devices.c) on hand-made sysroots
 * (tests/fixtures/sysroots-extras/devices-*: every class, dangling links, numa_node -1, GPUs
 * numbered in PCI order) and on the shared captures that hold PCI data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "extras.h"

static int load(const char *root, unsigned int ncpus, struct np_topo *topo)
{
	char path[4096];
	struct np_sysfs *fs;
	int r;

	sysroot_path(root, path, sizeof(path));
	memset(topo, 0, sizeof(*topo));
	r = np__sysfs_open(path, &fs);
	if (r < 0)
		return r;
	r = np__devices_load(fs, ncpus, &topo->devices);
	np__sysfs_free(fs);
	return r;
}

/* "name class pci node local alias" of every device, one line each. */
static const char *describe(const struct np_topo *topo)
{
	static char buf[8192];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < np_topo_device_count(topo); i++) {
		const struct np_device *d = np_topo_device(topo, i);

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %s %s %d %s",
					np_device_name(d), np_device_class(d),
					np_device_pci_address(d), np_device_node(d),
					list(np_device_local_cpus(d)));
		if (np_device_alias(d))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s",
						np_device_alias(d));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "\n");
	}
	return buf;
}

static void test_mixed(void)
{
	static const char want[] = "0000:00:02.0 pci 0000:00:02.0 0 0-3 card0\n"
				   "eth2 net 0000:00:03.0 -1 0-7\n"
				   "sda block 0000:00:17.0 0 0-3\n"
				   "gpu0 gpu 0000:00:18.0 0 0-3 card2\n"
				   "eth5 net 0000:00:1f.6 -1 (null)\n"
				   "eth0 net 0000:3b:00.0 0 0-3\n"
				   "eth1 net 0000:3b:00.1 0 0-3\n"
				   "nvme0 nvme 0000:5e:00.0 -1 0-7\n"
				   "nvme0n1 block 0000:5e:00.0 -1 0-7\n"
				   "gpu1 gpu 0000:af:00.0 1 4-7 card1\n"
				   "ib0 net 0000:d8:00.0 1 4-7\n"
				   "mlx5_0 infiniband 0000:d8:00.0 1 4-7\n"
				   "0000:d9:00.0 pci 0000:d9:00.0 1 4-7\n"
				   "eth9 net 0000:da:00.0 -1 (null)\n"
				   "gpu2 gpu 0000:db:00.0 1 4-7 card4\n"
				   "gpu3 gpu 0001:00:00.0 -1 (null) card3\n";
	struct np_topo topo;
	const struct np_device *d;

	is_int(load("devices-mixed", 8, &topo), 0, "mixed: load despite dangling links");
	is_int(np_topo_device_count(&topo), 16, "mixed: 16 devices");
	is_str(describe(&topo), want, "mixed: names, classes, order, nodes, local CPUs, aliases");

	d = np_topo_device_find(&topo, "eth1");
	ok(d && strcmp(np_device_pci_address(d), "0000:3b:00.1") == 0, "find eth1");
	is_str(list(np_device_local_cpus(d)), "0-3", "eth1: local_cpus mask when no cpulist");
	is_int(np_device_pci_class(d), 0x020000, "eth1: PCI class");
	d = np_topo_device_find(&topo, "card1");
	is_str(np_device_name(d), "gpu1", "find by drm alias card1: gpu1");
	d = np_topo_device_find(&topo, "0000:d8:00.0");
	is_str(np_device_name(d), "ib0", "find by PCI address: first of its names");
	d = np_topo_device_find(&topo, "5e:00.0");
	is_str(np_device_name(d), "nvme0", "find by short PCI address (domain 0)");
	d = np_topo_device_find(&topo, "nvme0n1");
	is_int(np_device_node(d), -1, "nvme0n1: numa_node -1 stays unknown");
	ok(!np_topo_device_find(&topo, "lo") && !np_topo_device_find(&topo, "sda1") &&
	       !np_topo_device_find(&topo, "nvme0n1p1") && !np_topo_device_find(&topo, "loop0") &&
	       !np_topo_device_find(&topo, "renderD128") &&
	       !np_topo_device_find(&topo, "bonding_masters") &&
	       !np_topo_device_find(&topo, "0000:00:01.0"),
	   "virtual devices, partitions, render nodes, bridges are not listed");
	ok(!np_topo_device_find(&topo, "eth7") && !np_topo_device_find(&topo, "") &&
	       !np_topo_device_find(&topo, NULL) && !np_topo_device_find(&topo, "00:1f.7"),
	   "unknown names: NULL");
	ok(!np_topo_device(&topo, 16) && !np_device_name(NULL) && np_device_node(NULL) == -1,
	   "out of range and NULL: NULL, -1");
	np__devices_free(topo.devices);
	np__devices_free(NULL);
}

static void test_old(void)
{
	struct np_topo topo;

	is_int(load("devices-old", 2, &topo), 0, "old: load");
	is_str(describe(&topo), "eth0 net 0000:00:19.0 -1 0-1\n",
	       "old: class entry as a directory, resolved through its device link");
	np__devices_free(topo.devices);

	is_int(load("limits-none", 4, &topo), 0, "no PCI at all: load");
	is_int(np_topo_device_count(&topo), 0, "no PCI at all: no device");
	np__devices_free(topo.devices);
}

/* The same through the public entry point, np_topo_load(). */
static void test_topo_load(void)
{
	char path[4096];
	struct np_topo *topo = NULL;
	const struct np_device *d;

	snprintf(path, sizeof(path), "%s/tests/fixtures/sysroots-extras/devices-mixed", srcdir);
	is_int(np_topo_load(path, 0, &topo), 0, "np_topo_load: devices-mixed");
	is_int(np_topo_device_count(topo), 16, "np_topo_load: 16 devices");
	d = np_topo_device_find(topo, "gpu1");
	ok(d && np_device_node(d) == 1 && strcmp(list(np_device_local_cpus(d)), "4-7") == 0 &&
	       np_cpuset_size(np_device_local_cpus(d)) == np_topo_cpu_size(topo),
	   "np_topo_load: gpu1 on node 1, CPUs 4-7, topology-sized set");
	np_topo_free(topo);
}

/* The shared captures with PCI data. */
static void test_capture(const char *name, const char *want_first, unsigned int want_count,
			 const char *find, const char *find_local)
{
	char dir[] = "/tmp/np-t-devices.XXXXXX";
	struct np_topo topo;
	int r = extract_capture(name, dir);

	if (r == -ENOENT) {
		skip(4, "shared capture not found");
		return;
	}
	if (r < 0) {
		skip(4, "capture does not extract");
	} else {
		is_int(load(dir, 256, &topo), 0, "%s: load", name);
		is_int(np_topo_device_count(&topo), want_count, "%s: device count", name);
		is_str(np_device_name(np_topo_device(&topo, 0)), want_first, "%s: first device",
		       name);
		is_str(list(np_device_local_cpus(np_topo_device_find(&topo, find))), find_local,
		       "%s: %s local CPUs", name, find);
		np__devices_free(topo.devices);
	}
	remove_dir(dir);
}

int main(void)
{
	extras_init();
	test_mixed();
	test_old();
	test_topo_load();
	/* 2 NICs, 2 InfiniBand and 8 NEC Vector Engine cards without class names */
	test_capture("32intel64-2p8co2t+8ve", "0000:1a:00.0", 12, "enp96s0f1", "0-7,16-23");
	/* 6 NVIDIA V100 on POWER9: display class, no drm, no numa_node file; wide local_cpus */
	test_capture("nvidiagpunumanodes", "gpu0", 6, "gpu3", "88-103");
	done_testing();
	return exit_status();
}
