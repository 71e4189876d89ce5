/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices.c - PCI devices, their NUMA node and local CPUs, and the names users know them by.
 *
 * Terminology:
 *  PCI address  domain:bus:device.function, "0000:3b:00.0" (the domain can be wider: VMD uses
 *               "10000:00:00.0"); the name of the device under sys/bus/pci/devices.
 *  PCI class    the 24-bit class code in its class file: base class (0x02 network, 0x03
 *               display, ...), subclass, programming interface.
 *  class entry  a name under sys/class/<class>/ (net/eth0, nvme/nvme0, drm/card0, ...): a
 *               symbolic link into sys/devices whose path runs through the PCI function it sits
 *               on, which is how an entry is tied to its PCI address.
 *  device       what this file reports: one per name, with the PCI function's node and local
 *               CPUs; see the header for the list of classes.
 *
 * Links are read, never followed: captures hold dangling links, and the address is in the
 * link's text.  Only the functions that end up in the list have their node and CPUs read, so a
 * server with hundreds of PCI functions costs one read of "class" for most of them.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sysparse.h"

/* Device classes, in the order devices of one PCI function are listed. */
enum dev_kind {
	KIND_GPU,
	KIND_NET,
	KIND_IB,
	KIND_NVME,
	KIND_BLOCK,
	KIND_PCI,
	KIND_DRM, /* only while loading: drm cards give GPUs their alias */
};

/* Class names as np_device_class() gives them, indexed by enum dev_kind. */
static const char *const kind_names[] = {
    "gpu", "net", "infiniband", "nvme", "block", "pci", "drm",
};
_Static_assert(NP_ARRAY_SIZE(kind_names) == KIND_DRM + 1, "a name for every kind");

#define PCI_ADDR_MAX 24

struct np_device {
	char *name;
	char *alias;
	enum dev_kind kind;
	char pci[PCI_ADDR_MAX];
	unsigned long long key; /* the address as a number, for ordering */
	unsigned int pci_class; /* 0: unknown */
	int node;
	int mem_node; /* a GPU's own memory as a NUMA node (NVIDIA coherent memory), -1 */
	struct np_cpuset *local_cpus;
};

struct np_devset {
	unsigned int count;
	unsigned int cap;
	struct np_device *devs;
};

/* One PCI function as sys/bus/pci/devices lists it. */
struct pci_fn {
	char addr[PCI_ADDR_MAX];
	unsigned long long key;
	unsigned int pci_class;
	bool named; /* a class entry names it */
};

struct pci_list {
	unsigned int count;
	unsigned int cap;
	struct pci_fn *fns;
};

/*
 * Parse a PCI address; without @need_domain, "3b:00.0" is taken as domain 0.  Return: true and
 * the ordering key in *@key when @s is one.
 */
static bool pci_parse(const char *s, size_t len, bool need_domain, unsigned long long *key)
{
	unsigned long long dom = 0;
	unsigned int bus, dev, fn;
	char buf[PCI_ADDR_MAX], *p, *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	p = buf;
	if (strchr(p, ':') != strrchr(p, ':')) {
		dom = strtoull(p, &end, 16);
		if (end == p || *end != ':' || end - p > 8)
			return false;
		p = end + 1;
	} else if (need_domain) {
		return false;
	}
	/* bus (2 hex), ':', device (2 hex), '.', function (1 digit 0-7) */
	if (strlen(p) != 7 || p[2] != ':' || p[5] != '.' || p[6] < '0' || p[6] > '7')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && !strchr("0123456789abcdefABCDEF", p[i]))
			return false;
	bus = (unsigned int)strtoul(p, NULL, 16);
	dev = (unsigned int)strtoul(p + 3, NULL, 16);
	fn = (unsigned int)(p[6] - '0');
	if (dev > 0x1f)
		return false;
	*key = dom << 16 | bus << 8 | dev << 3 | fn;
	return true;
}

/*
 * The last PCI address among the components of a link's text ("../../devices/pci0000:00/
 * 0000:00:03.0/virtio0/net/eth0" -> "0000:00:03.0"): the function nearest the entry.
 */
static bool link_pci(const char *text, char *addr, unsigned long long *key)
{
	bool found = false;

	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "/");

		if (pci_parse(p, len, true, key)) {
			memcpy(addr, p, len);
			addr[len] = '\0';
			found = true;
		}
		p += len;
		p += strspn(p, "/");
	}
	return found;
}

static int devset_add(struct np_devset *set, enum dev_kind kind, const char *name, const char *addr,
		      unsigned long long key)
{
	struct np_device *d;

	if (set->count == set->cap) {
		unsigned int cap = set->cap ? set->cap * 2 : 16;
		struct np_device *nd = realloc(set->devs, cap * sizeof(*nd));

		if (!nd)
			return -ENOMEM;
		set->devs = nd;
		set->cap = cap;
	}
	d = &set->devs[set->count];
	memset(d, 0, sizeof(*d));
	d->name = strdup(name);
	if (!d->name)
		return -ENOMEM;
	d->kind = kind;
	d->key = key;
	d->node = -1;
	d->mem_node = -1;
	snprintf(d->pci, sizeof(d->pci), "%s", addr);
	set->count++;
	return 0;
}

/* The PCI address of class entry @cls/@name: in its own link, else in its "device" link. */
static bool entry_pci(const struct np_sysfs *fs, const char *cls, const char *name, char *addr,
		      unsigned long long *key)
{
	char text[PATH_MAX];

	if (np__sysfs_readlink(fs, text, sizeof(text), "sys/class/%s/%s", cls, name) >= 0 &&
	    link_pci(text, addr, key))
		return true;
	/* before 2.6.25 class entries were directories; "device" pointed at the function */
	if (np__sysfs_readlink(fs, text, sizeof(text), "sys/class/%s/%s/device", cls, name) < 0)
		return false;
	return link_pci(text, addr, key);
}

/* Whether a class entry is one of those listed: whole disks only, drm's cardN only. */
static bool entry_wanted(const struct np_sysfs *fs, enum dev_kind kind, const char *name)
{
	if (name[0] == '.')
		return false;
	if (kind == KIND_BLOCK)
		return !np__sysfs_exists(fs, "sys/class/block/%s/partition", name);
	if (kind == KIND_DRM)
		return strncmp(name, "card", 4) == 0 && name[4] &&
		       strspn(name + 4, "0123456789") == strlen(name + 4);
	return true;
}

/* Add a device for every entry of sys/class/@cls that sits on PCI. */
static int scan_class(const struct np_sysfs *fs, const char *cls, enum dev_kind kind,
		      struct np_devset *set)
{
	char addr[PCI_ADDR_MAX];
	unsigned long long key;
	struct np__dir d;
	const char *name;
	int r = 0;

	if (np__dir_open(fs, &d, "sys/class/%s", cls) < 0)
		return 0;
	while (r == 0 && (name = np__dir_next(&d)))
		if (entry_wanted(fs, kind, name) && entry_pci(fs, cls, name, addr, &key))
			r = devset_add(set, kind, name, addr, key);
	np__dir_close(&d);
	return r;
}

static int pci_list_add(struct pci_list *l, const char *addr, unsigned long long key,
			unsigned int pci_class)
{
	if (l->count == l->cap) {
		unsigned int cap = l->cap ? l->cap * 2 : 64;
		struct pci_fn *n = realloc(l->fns, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->fns = n;
		l->cap = cap;
	}
	snprintf(l->fns[l->count].addr, PCI_ADDR_MAX, "%s", addr);
	l->fns[l->count].key = key;
	l->fns[l->count].pci_class = pci_class;
	l->fns[l->count].named = false;
	l->count++;
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct pci_fn *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* The text of attribute @name of PCI function @addr into @buf (NP__VALUE_MAX bytes). */
static bool read_attr(const struct np_sysfs *fs, char *buf, const char *addr, const char *name)
{
	return np__sysfs_read(fs, buf, NP__VALUE_MAX, "sys/bus/pci/devices/%s/%s", addr, name) >= 0;
}

/* Every PCI function with its class code (0 when unreadable: a dangling link). */
static int scan_pci(const struct np_sysfs *fs, struct pci_list *l)
{
	char buf[NP__VALUE_MAX];
	unsigned long long key;
	struct np__dir d;
	const char *name;
	int r = 0;

	if (np__dir_open(fs, &d, "sys/bus/pci/devices") < 0)
		return 0;
	while (r == 0 && (name = np__dir_next(&d))) {
		unsigned int cls = 0;

		if (!pci_parse(name, strlen(name), true, &key))
			continue;
		if (read_attr(fs, buf, name, "class"))
			np__sysfs_bad_parse(fs, np__parse_pci_class(buf, &cls), NULL,
					    "sys/bus/pci/devices/%s/class", name);
		r = pci_list_add(l, name, key, cls);
	}
	np__dir_close(&d);
	if (l->count > 1)
		qsort(l->fns, l->count, sizeof(*l->fns), cmp_key);
	return r;
}

static struct pci_fn *pci_find(const struct pci_list *l, unsigned long long key)
{
	struct pci_fn k = {.key = key};

	return l->count ? bsearch(&k, l->fns, l->count, sizeof(*l->fns), cmp_key) : NULL;
}

/*
 * A display controller that is a server's management VGA, not a GPU: ASPEED and Matrox
 * (G200e on Dell, HPE, Lenovo BMCs).  Compute users count GPUs without them (CUDA, ROCm).
 */
static bool is_bmc_vga(const struct np_sysfs *fs, const char *addr)
{
	char buf[NP__VALUE_MAX];
	unsigned int vendor;
	int r;

	if (!read_attr(fs, buf, addr, "vendor"))
		return false;
	r = np__parse_pci_id(buf, &vendor);
	np__sysfs_bad_parse(fs, r, NULL, "sys/bus/pci/devices/%s/vendor", addr);
	return r == 0 && (vendor == 0x1a03 || vendor == 0x102b);
}

/*
 * The GPUs: PCI display controllers (base class 0x03) and the functions of drm cards, but BMC
 * VGAs; numbered in address order, as CUDA_DEVICE_ORDER=PCI_BUS_ID and ROCm do.
 */
static int add_gpus(const struct np_sysfs *fs, struct pci_list *pci, struct np_devset *set)
{
	struct pci_list gpus = {0};
	char name[32];
	int r = 0;

	for (unsigned int i = 0; i < pci->count && r == 0; i++) {
		struct pci_fn *fn = &pci->fns[i];

		if (fn->pci_class >> 16 == 0x03 && !is_bmc_vga(fs, fn->addr))
			r = pci_list_add(&gpus, fn->addr, fn->key, fn->pci_class);
	}
	for (unsigned int i = 0; i < set->count && r == 0; i++) {
		const struct np_device *d = &set->devs[i];
		const struct pci_fn *fn = pci_find(pci, d->key);

		/* accelerators drm drives (AMD Instinct: class 0x12) are GPUs too */
		if (d->kind == KIND_DRM && (!fn || !is_bmc_vga(fs, fn->addr)))
			r = pci_list_add(&gpus, d->pci, d->key, 0);
	}
	if (gpus.count > 1)
		qsort(gpus.fns, gpus.count, sizeof(*gpus.fns), cmp_key);
	for (unsigned int i = 0, n = 0; i < gpus.count && r == 0; i++) {
		if (i > 0 && gpus.fns[i].key == gpus.fns[i - 1].key)
			continue;
		snprintf(name, sizeof(name), "gpu%u", n++);
		r = devset_add(set, KIND_GPU, name, gpus.fns[i].addr, gpus.fns[i].key);
	}
	free(gpus.fns);
	return r;
}

/*
 * Give each drm card's name ("card0") as alias to the GPU or plain PCI device of its function
 * (a BMC VGA keeps its card name that way), then drop the cards from the list.
 */
static void fold_drm(struct np_devset *set)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < set->count; i++) {
		struct np_device *d = &set->devs[i];

		for (unsigned int j = 0; d->kind == KIND_DRM && j < set->count; j++) {
			struct np_device *o = &set->devs[j];

			if ((o->kind == KIND_GPU || o->kind == KIND_PCI) && o->key == d->key &&
			    !o->alias) {
				o->alias = d->name;
				d->name = NULL;
			}
		}
	}
	for (unsigned int i = 0; i < set->count; i++) {
		if (set->devs[i].kind == KIND_DRM)
			free(set->devs[i].name);
		else
			set->devs[w++] = set->devs[i];
	}
	set->count = w;
}

/* Storage, network, display, co-processor and accelerator functions no name points to. */
static int add_unnamed(struct pci_list *pci, struct np_devset *set)
{
	static const unsigned char wanted[] = {0x01, 0x02, 0x03, 0x0b, 0x12};
	int r = 0;

	for (unsigned int i = 0; i < set->count; i++) {
		struct pci_fn *fn = pci_find(pci, set->devs[i].key);

		/* a drm card alone does not name its function: it becomes an alias */
		if (fn && set->devs[i].kind != KIND_DRM)
			fn->named = true;
	}
	for (unsigned int i = 0; i < pci->count && r == 0; i++) {
		struct pci_fn *fn = &pci->fns[i];

		if (!fn->named && memchr(wanted, (int)(fn->pci_class >> 16), sizeof(wanted)))
			r = devset_add(set, KIND_PCI, fn->addr, fn->addr, fn->key);
	}
	return r;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct np_device *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strverscmp(x->name, y->name);
}

/*
 * An NVIDIA GPU whose memory the driver onlined as a NUMA node (coherent memory: POWER9 NVLink,
 * Grace Hopper) says which in proc/driver/nvidia/gpus/PCI/numa_status ("Node: 255"); -1 else.
 */
static int gpu_mem_node(const struct np_sysfs *fs, const char *pci)
{
	char buf[512];
	int node = -1;

	if (np__sysfs_read(fs, buf, sizeof(buf), "proc/driver/nvidia/gpus/%s/numa_status", pci) >= 0)
		(void)np__parse_gpu_numa_status(buf, &node);
	return node;
}

/* Node, local CPUs and class of each device's function; functions shared by names read once. */
static int read_locality(const struct np_sysfs *fs, unsigned int ncpus, const struct pci_list *pci,
			 struct np_devset *set)
{
	for (unsigned int i = 0; i < set->count; i++) {
		struct np_device *d = &set->devs[i], *prev = i ? d - 1 : NULL;
		const struct pci_fn *fn = pci_find(pci, d->key);
		char buf[NP__VALUE_MAX];
		int r;

		d->pci_class = fn ? fn->pci_class : 0;
		if (d->kind == KIND_GPU)
			d->mem_node = gpu_mem_node(fs, d->pci);
		if (prev && prev->key == d->key) {
			d->node = prev->node;
			if (prev->local_cpus && np_cpuset_dup(prev->local_cpus, &d->local_cpus) < 0)
				return -ENOMEM;
			continue;
		}
		if (read_attr(fs, buf, d->pci, "numa_node"))
			(void)np__sysfs_parse_node(fs, buf, &d->node, "sys/bus/pci/devices/%s/numa_node",
						   d->pci);
		r = np__read_clamped(fs, ncpus, false, &d->local_cpus,
				     "sys/bus/pci/devices/%s/local_cpulist", d->pci);
		if (r < 0 && r != -ENOMEM)
			r = np__read_clamped(fs, ncpus, true, &d->local_cpus,
					     "sys/bus/pci/devices/%s/local_cpus", d->pci);
		if (r == -ENOMEM)
			return r;
	}
	return 0;
}

static const struct {
	const char *dir;
	enum dev_kind kind;
} class_dirs[] = {
    {"net", KIND_NET},	   {"infiniband", KIND_IB}, {"nvme", KIND_NVME},
    {"block", KIND_BLOCK}, {"drm", KIND_DRM},
};

int np__devices_load(const struct np_sysfs *fs, unsigned int ncpus, struct np_devset **ret)
{
	struct pci_list pci = {0};
	struct np_devset *set;
	int r = 0;

	set = calloc(1, sizeof(*set));
	if (!set)
		return -ENOMEM;
	for (size_t i = 0; i < NP_ARRAY_SIZE(class_dirs) && r == 0; i++)
		r = scan_class(fs, class_dirs[i].dir, class_dirs[i].kind, set);
	if (r == 0)
		r = scan_pci(fs, &pci);
	if (r == 0)
		r = add_gpus(fs, &pci, set);
	if (r == 0)
		r = add_unnamed(&pci, set);
	if (r == 0)
		fold_drm(set);
	if (r == 0 && set->count > 1)
		qsort(set->devs, set->count, sizeof(*set->devs), cmp_dev);
	if (r == 0)
		r = read_locality(fs, ncpus, &pci, set);
	free(pci.fns);
	if (r < 0) {
		np__devices_free(set);
		return r;
	}
	*ret = set;
	return 0;
}

void np__devices_free(struct np_devset *set)
{
	if (!set)
		return;
	for (unsigned int i = 0; i < set->count; i++) {
		free(set->devs[i].name);
		free(set->devs[i].alias);
		np_cpuset_free(set->devs[i].local_cpus);
	}
	free(set->devs);
	free(set);
}

unsigned int np_topo_device_count(const struct np_topo *topo)
{
	return topo && topo->devices ? topo->devices->count : 0;
}

const struct np_device *np_topo_device(const struct np_topo *topo, unsigned int i)
{
	return i < np_topo_device_count(topo) ? &topo->devices->devs[i] : NULL;
}

const struct np_device *np_topo_device_find(const struct np_topo *topo, const char *name)
{
	unsigned int n = np_topo_device_count(topo);
	unsigned long long key;
	bool addr;

	if (!name)
		return NULL;
	addr = pci_parse(name, strlen(name), false, &key);
	for (unsigned int i = 0; i < n; i++) {
		const struct np_device *d = &topo->devices->devs[i];

		if (strcmp(d->name, name) == 0 || (d->alias && strcmp(d->alias, name) == 0))
			return d;
	}
	for (unsigned int i = 0; addr && i < n; i++)
		if (topo->devices->devs[i].key == key)
			return &topo->devices->devs[i];
	return NULL;
}

const char *np_device_name(const struct np_device *dev)
{
	return dev ? dev->name : NULL;
}

const char *np_device_alias(const struct np_device *dev)
{
	return dev ? dev->alias : NULL;
}

const char *np_device_class(const struct np_device *dev)
{
	return dev ? kind_names[dev->kind] : NULL;
}

const char *np_device_pci_address(const struct np_device *dev)
{
	return dev ? dev->pci : NULL;
}

unsigned int np_device_pci_class(const struct np_device *dev)
{
	return dev ? dev->pci_class : 0;
}

int np_device_node(const struct np_device *dev)
{
	return dev ? dev->node : -1;
}

int np_device_memory_node(const struct np_device *dev)
{
	return dev ? dev->mem_node : -1;
}

const struct np_cpuset *np_device_local_cpus(const struct np_device *dev)
{
	return dev ? dev->local_cpus : NULL;
}
