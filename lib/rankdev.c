/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rankdev.c - the devices local ranks are numbered over: the visible GPUs (CUDA, ROCm, Ascend
 * lists) or the network devices, each device's NUMA node, and the environment NCCL and UCX read
 * to pick a network device.
 *
 * Terminology:
 *  visible list  the value of CUDA_VISIBLE_DEVICES (or ROCR_/HIP_/ASCEND_RT_VISIBLE_DEVICES):
 *                comma-separated entries, each an index into the GPUs in PCI address order
 *                (CUDA_DEVICE_ORDER=PCI_BUS_ID, nvidia-smi's order) or, for NVIDIA, a GPU UUID
 *                or a unique prefix of one ("GPU-8f0c"); entry i is the device of local rank i.
 *  GPU UUID      what /proc/driver/nvidia/gpus/<PCI address>/information says on its
 *                "GPU UUID:" line; the only place a UUID is tied to a PCI address without
 *                asking the driver's library.
 *  NIC           a network device: the InfiniBand devices (mlx5_0) when the machine has any,
 *                else the PCI net devices (eth0), else PCI functions of the network class
 *                that no driver has named (a kernel without the driver, a VM's initramfs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* the variables that restrict the visible GPUs, in the order they are looked at */
static const char *const visible_vars[] = {
    "CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
    "ASCEND_RT_VISIBLE_DEVICES",
};

const char *np_rank_visible_var(const char **value)
{
	for (size_t i = 0; i < NP_ARRAY_SIZE(visible_vars); i++) {
		const char *v = getenv(visible_vars[i]);

		if (v) {
			if (value)
				*value = v;
			return visible_vars[i];
		}
	}
	return NULL;
}

/*
 * every device of @cls, in the topology's (PCI address) order; for "pci", only those of PCI
 * base class @base
 */
static int devices_of(const struct np_topo *topo, const char *cls, unsigned int base,
		      const struct np_device ***ret, unsigned int *count)
{
	unsigned int n = np_topo_device_count(topo), k = 0;
	const struct np_device **v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		const struct np_device *d = np_topo_device(topo, i);

		if (strcmp(np_device_class(d), cls) == 0 &&
		    (!base || np_device_pci_class(d) >> 16 == base))
			v[k++] = d;
	}
	*ret = v;
	*count = k;
	return 0;
}

/* A line "GPU UUID:" starts, not any text that holds it (a model name could). */
const char *np__nvidia_uuid(const char *text, size_t *len)
{
	static const char key[] = "GPU UUID:";

	for (const char *l = text; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		const char *v, *end;

		if (strncmp(l, key, sizeof(key) - 1) != 0)
			continue;
		v = l + sizeof(key) - 1;
		v += strspn(v, " \t\r");
		end = v + strcspn(v, "\n");
		while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (end == v)
			continue;
		*len = (size_t)(end - v);
		return v;
	}
	return NULL;
}

/* Does GPU @dev's UUID start with @id (@len bytes)?  Only the NVIDIA driver's file says. */
static bool uuid_matches(const struct np_sysfs *fs, const struct np_device *dev, const char *id,
			 size_t len)
{
	char buf[4096];
	const char *v;
	size_t n = 0;

	if (np__sysfs_read(fs, buf, sizeof(buf), "proc/driver/nvidia/gpus/%s/information",
			   np_device_pci_address(dev)) < 0)
		return false;
	v = np__nvidia_uuid(buf, &n);
	return v && n >= len && strncasecmp(v, id, len) == 0;
}

/* The GPU entry @e (@len bytes) names, or NULL.  A UUID prefix must match exactly one GPU. */
static const struct np_device *visible_entry(const struct np_sysfs *fs,
					     const struct np_device **gpus, unsigned int n,
					     const char *e, size_t len)
{
	const struct np_device *found = NULL;

	if (len > 0 && len < 10 && strspn(e, "0123456789") >= len) {
		unsigned long i = strtoul(e, NULL, 10);

		return i < n ? gpus[i] : NULL;
	}
	if (len <= 4 || strncasecmp(e, "GPU-", 4) != 0 || !fs)
		return NULL;
	for (unsigned int i = 0; i < n; i++) {
		if (!uuid_matches(fs, gpus[i], e, len))
			continue;
		if (found)
			return NULL;
		found = gpus[i];
	}
	return found;
}

/*
 * The GPUs @visible names, in its order, as a new array in *@ret (@gpus is left as it is); on
 * -ENODEV *@errpos is the bad entry's offset.
 */
static int apply_visible(const struct np_topo *topo, const char *visible,
			 const struct np_device **gpus, unsigned int n, const struct np_device ***ret,
			 unsigned int *count, size_t *errpos)
{
	size_t entries = 1;
	const struct np_device **v;
	struct np_sysfs *fs = NULL;
	unsigned int k = 0;
	const char *e = visible;
	int r = 0;

	for (const char *c = visible; *c; c++)
		entries += *c == ',';
	v = calloc(entries, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (strcasestr(visible, "GPU-"))
		(void)np__sysfs_open(np_topo_sysroot(topo), &fs);
	while (*visible && *e) {
		size_t len = strcspn(e, ",");
		const struct np_device *d = visible_entry(fs, gpus, n, e, len);

		if (!d) {
			if (errpos)
				*errpos = (size_t)(e - visible);
			r = -ENODEV;
			break;
		}
		v[k++] = d;
		e += len + (e[len] == ',');
	}
	np__sysfs_free(fs);
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*count = k;
	return 0;
}

/* the NICs: InfiniBand devices, else net devices, else unnamed network-class functions */
static int nics_of(const struct np_topo *topo, const struct np_device ***ret, unsigned int *count)
{
	static const char *const order[] = { "infiniband", "net", "pci" };
	int r = 0;

	for (size_t i = 0; i < NP_ARRAY_SIZE(order) && r == 0; i++) {
		/* 0x02: the PCI base class of network controllers */
		r = devices_of(topo, order[i], i == 2 ? 0x02 : 0, ret, count);
		if (r == 0 && *count > 0)
			return 0;
		if (r == 0 && i + 1 < NP_ARRAY_SIZE(order)) {
			free((void *)*ret);
			*ret = NULL;
		}
	}
	return r;
}

int np_rank_devices(const struct np_topo *topo, enum np_rank_near near, const char *visible,
		    const struct np_device ***ret, unsigned int *count, size_t *errpos)
{
	const struct np_device **v = NULL;
	unsigned int n = 0;
	int r;

	if (near == NP_NEAR_GPU) {
		r = devices_of(topo, "gpu", 0, &v, &n);
		if (r == 0 && visible) {
			const struct np_device **all = v;

			r = apply_visible(topo, visible, all, n, &v, &n, errpos);
			free(all);
			if (r < 0)
				return r;
		}
	} else if (near == NP_NEAR_NIC) {
		r = nics_of(topo, &v, &n);
	} else {
		return -EINVAL;
	}
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*count = n;
	return 0;
}

int np_rank_device_node(const struct np_topo *topo, const struct np_device *dev)
{
	const struct np_cpuset *local = np_device_local_cpus(dev);
	int found = -ENXIO;

	if (np_device_node(dev) >= 0)
		return np_device_node(dev);
	if (!local || np_cpuset_empty(local))
		return -ENXIO;
	/* firmware without _PXM: the node is the one whose CPUs hold all the local CPUs */
	for (unsigned int i = 0; i < np_topo_node_count(topo); i++) {
		const struct np_node *n = np_topo_node(topo, i);

		if (!np_cpuset_intersects(n->cpus, local))
			continue;
		if (found >= 0 || !np_cpuset_subset(local, n->cpus))
			return -ENXIO;
		found = (int)n->id;
	}
	return found;
}

/* set @name to @value unless the user set it */
static int setenv_keep(const char *name, const char *value)
{
	return setenv(name, value, 0) < 0 ? -errno : 0;
}

int np_rank_nic_setenv(const struct np_device *nic)
{
	char ucx[128];
	int r;

	if (!nic)
		return -EINVAL;
	if (strcmp(np_device_class(nic), "infiniband") == 0) {
		/* UCX names an InfiniBand device by port; port 1 is the first (and usual) one */
		snprintf(ucx, sizeof(ucx), "%s:1", np_device_name(nic));
		r = setenv_keep("NCCL_IB_HCA", np_device_name(nic));
	} else if (strcmp(np_device_class(nic), "net") == 0) {
		snprintf(ucx, sizeof(ucx), "%s", np_device_name(nic));
		r = setenv_keep("NCCL_SOCKET_IFNAME", np_device_name(nic));
	} else {
		return -EINVAL;
	}
	if (r == 0)
		r = setenv_keep("UCX_NET_DEVICES", ucx);
	return r;
}
