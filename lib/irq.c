/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * irq.c - interrupts as objects: proc/interrupts joined with proc/irq/N, what can move, and
 * the IRQs of a device.
 *
 * Terminology:
 *  IRQ        a numbered line of proc/interrupts: counts per online CPU (a column per CPU of
 *             the header, "CPU0 CPU1 ..."), then the chip, the hardware IRQ and the handlers.
 *  affinity   proc/irq/N/smp_affinity_list: the CPUs the IRQ may be sent to (writable);
 *             effective affinity (effective_affinity_list, Linux 4.15+): where it is sent now.
 *  managed    an IRQ the kernel spreads over CPUs itself (multi-queue devices: NVMe, virtio);
 *             its affinity cannot be written (EIO).  Only debugfs (sys/kernel/debug/irq/irqs/N,
 *             "IRQD_AFFINITY_MANAGED" or "IRQD_PER_CPU" in dstate) says so before a write.
 *  journal    a write goes through lib/journal.c, so `irq --undo` restores it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sysparse.h"

#define IRQ_JOURNAL "irq"

/*
 * The most per-CPU counts kept, 32 MiB: a line's counts span up to its highest CPU, so a
 * header naming CPU8191 alone would make each 5-byte line cost 64 KiB.  A real table within
 * NP__PROC_MAX holds at most 2M (a count and a blank each).
 */
#define IRQ_CELLS_MAX (1u << 22)

struct np_irqs {
	struct np_irq *v;
	unsigned int n;
	char *text; /* proc/interrupts, cut into the strings the entries point to */
	size_t cells; /* counts kept, all entries together */
};

void np_irqs_free(struct np_irqs *irqs)
{
	if (!irqs)
		return;
	for (unsigned int i = 0; i < irqs->n; i++) {
		np_cpuset_free((struct np_cpuset *)irqs->v[i].affinity);
		np_cpuset_free((struct np_cpuset *)irqs->v[i].effective);
		free((void *)irqs->v[i].counts);
		free((void *)irqs->v[i].device);
	}
	free(irqs->v);
	free(irqs->text);
	free(irqs);
}

unsigned int np_irqs_count(const struct np_irqs *irqs)
{
	return irqs ? irqs->n : 0;
}

const struct np_irq *np_irqs_get(const struct np_irqs *irqs, unsigned int i)
{
	return irqs && i < irqs->n ? &irqs->v[i] : NULL;
}

const struct np_irq *np_irqs_find(const struct np_irqs *irqs, unsigned int irq)
{
	for (unsigned int i = 0; irqs && i < irqs->n; i++)
		if (irqs->v[i].irq == irq)
			return &irqs->v[i];
	return NULL;
}

const char *np_irq_kind_name(enum np_irq_kind kind)
{
	static const char *const names[] = { "movable", "managed", "per-cpu", "fixed", "unknown" };

	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

/* The CPU numbers of the header line "CPU0 CPU1 CPU4..." into @cpus (malloc'd). */
int np__irq_header(char *line, unsigned int **cpus, unsigned int *ncpus)
{
	unsigned int *v = NULL, n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		unsigned int *nv;
		const char *end;
		unsigned long long c;

		if (strncmp(tok, "CPU", 3) != 0 || np__parse_digits(tok + 3, &end, &c) < 0 ||
		    *end || c >= NP__MAX_CPUS)
			goto bad;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n++] = (unsigned int)c;
	}
	if (n == 0)
		goto bad;
	*cpus = v;
	*ncpus = n;
	return 0;
bad:
	free(v);
	return -EINVAL;
}

static char *next_tok(char **p)
{
	char *s = *p + strspn(*p, " \t"), *e;

	if (!*s)
		return NULL;
	e = s + strcspn(s, " \t");
	*p = *e ? e + 1 : e;
	*e = '\0';
	return s;
}

/* The PCI address of an MSI chip name ("PCI-MSIX-0000:00:03.0", "PCI-MSI-0000:01:00.0"). */
static int chip_device(struct np_irq *q)
{
	const char *d = strrchr(q->chip, '-');

	if (strncmp(q->chip, "PCI-MSI", 7) != 0 || !d || !strchr(d, ':'))
		return 0;
	q->device = strdup(d + 1);
	return q->device ? 0 : -ENOMEM;
}

/* The counts of @ncpus columns, indexed by CPU number, into *@ret (calloc()ed, *@top long). */
static int parse_counts(char **p, const unsigned int *cpus, unsigned int ncpus,
			unsigned long long **ret, unsigned int *top)
{
	unsigned long long *counts;
	const char *end;
	char *tok;

	*top = 0;
	for (unsigned int i = 0; i < ncpus; i++)
		*top = cpus[i] + 1 > *top ? cpus[i] + 1 : *top;
	counts = calloc(*top, sizeof(*counts));
	if (!counts)
		return -ENOMEM;
	for (unsigned int i = 0; i < ncpus; i++) {
		tok = next_tok(p);
		if (!tok || np__parse_digits(tok, &end, &counts[cpus[i]]) < 0 || *end) {
			free(counts);
			return -EINVAL;
		}
	}
	*ret = counts;
	return 0;
}

/* "  24:  5  0  PCI-MSIX-0000:00:03.0  0-edge  virtio0-config" into @q (cuts @line). */
int np__irq_line(char *line, const unsigned int *cpus, unsigned int ncpus, struct np_irq *q)
{
	struct np_irq n = { .node = -1 };
	unsigned long long *counts, irq;
	unsigned int top;
	char *p = line, *tok;
	const char *end;
	int r;

	tok = next_tok(&p);
	if (!tok || np__parse_digits(tok, &end, &irq) < 0 || *end != ':')
		return 1; /* NMI:, LOC:... per-CPU counters without a number */
	if (end[1] || irq > INT32_MAX)
		return -EINVAL;
	r = parse_counts(&p, cpus, ncpus, &counts, &top);
	if (r < 0)
		return r;
	n.irq = (unsigned int)irq;
	n.counts = counts;
	n.ncounts = top;
	tok = next_tok(&p);
	n.chip = tok ? tok : "";
	r = tok ? chip_device(&n) : 0;
	n.hwirq = (tok = next_tok(&p)) ? tok : "";
	p += strspn(p, " \t");
	n.actions = p;
	if (r < 0) {
		free(counts);
		return r;
	}
	*q = n;
	return 0;
}

/* What debugfs says of @q (NP_IRQ_UNKNOWN without debugfs). */
static enum np_irq_kind kind_of(const struct np_sysfs *fs, unsigned int irq)
{
	char *text = NULL;
	enum np_irq_kind k = NP_IRQ_UNKNOWN;

	if (np__sysfs_read_alloc(fs, &text, NULL, "sys/kernel/debug/irq/irqs/%u", irq) < 0)
		return k;
	if (strstr(text, "IRQD_PER_CPU"))
		k = NP_IRQ_PER_CPU;
	else if (strstr(text, "IRQD_AFFINITY_MANAGED"))
		k = NP_IRQ_MANAGED;
	else
		k = NP_IRQ_MOVABLE;
	free(text);
	return k;
}

/* proc/irq/N: node, affinity, effective affinity; a missing file leaves its field empty. */
static int read_proc_irq(const struct np_sysfs *fs, struct np_irq *q)
{
	struct np_cpuset *aff = NULL, *eff = NULL;
	char buf[NP__VALUE_MAX];
	int r;

	/* a node beyond an int is corrupt, not node (int)N */
	if (np__sysfs_read(fs, buf, sizeof(buf), "proc/irq/%u/node", q->irq) >= 0)
		(void)np__sysfs_parse_node(fs, buf, &q->node, "proc/irq/%u/node", q->irq);
	if ((r = np_cpuset_new(NP__MAX_CPUS, &aff)) < 0 || (r = np_cpuset_new(NP__MAX_CPUS, &eff)) < 0)
		goto fail;
	if (np__sysfs_read_list(fs, aff, "proc/irq/%u/smp_affinity_list", q->irq) < 0) {
		np_cpuset_free(aff);
		aff = NULL;
	}
	if (np__sysfs_read_list(fs, eff, "proc/irq/%u/effective_affinity_list", q->irq) < 0) {
		np_cpuset_free(eff);
		eff = NULL;
	}
	q->affinity = aff;
	q->effective = eff;
	q->kind = kind_of(fs, q->irq);
	return 0;
fail:
	np_cpuset_free(aff);
	return r;
}

static int add_line(const struct np_sysfs *fs, struct np_irqs *l, char *line,
		    const unsigned int *cpus, unsigned int ncpus)
{
	struct np_irq q = { 0 }, *nv;
	int r = np__irq_line(line, cpus, ncpus, &q);

	if (r != 0)
		return r > 0 ? 0 : r;
	l->cells += q.ncounts;
	nv = l->cells <= IRQ_CELLS_MAX ? realloc(l->v, (l->n + 1) * sizeof(*nv)) : NULL;
	if (!nv) {
		r = l->cells <= IRQ_CELLS_MAX ? -ENOMEM : -EFBIG;
		free((void *)q.counts);
		free((void *)q.device);
		return r;
	}
	l->v = nv;
	l->v[l->n++] = q;
	return read_proc_irq(fs, &l->v[l->n - 1]);
}

/*
 * The IRQs of proc/irq/N that proc/interrupts leaves out: those without a handler.  They keep
 * an affinity (every CPU, from boot) and take one when a driver requests them later.
 */
static int add_silent(const struct np_sysfs *fs, struct np_irqs *l)
{
	unsigned int *ids = NULL, count = 0;
	int r = np__sysfs_dir_ids(fs, "proc/irq", "", INT32_MAX, &ids, &count);

	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (unsigned int i = 0; i < count && r == 0; i++) {
		struct np_irq q = { .irq = ids[i], .chip = "", .hwirq = "", .actions = "", .node = -1 };
		struct np_irq *nv;

		if (np_irqs_find(l, ids[i]))
			continue;
		nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
		if (!nv) {
			r = -ENOMEM;
			break;
		}
		l->v = nv;
		l->v[l->n++] = q;
		r = read_proc_irq(fs, &l->v[l->n - 1]);
	}
	free(ids);
	return r;
}

int np_irq_list(const char *sysroot, struct np_irqs **ret)
{
	struct np_sysfs *fs;
	struct np_irqs *l;
	unsigned int *cpus = NULL, ncpus = 0;
	char *line, *save = NULL;
	int r;

	if (!ret)
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	l = calloc(1, sizeof(*l));
	if (!l) {
		r = -ENOMEM;
		goto free_fs;
	}
	r = np__sysfs_read_alloc(fs, &l->text, NULL, "proc/interrupts");
	line = r == 0 ? strtok_r(l->text, "\n", &save) : NULL;
	if (r == 0 && !line)
		r = -EINVAL;
	if (r == 0)
		r = np__irq_header(line, &cpus, &ncpus);
	while (r == 0 && (line = strtok_r(NULL, "\n", &save)))
		r = add_line(fs, l, line, cpus, ncpus);
	free(cpus);
	if (r == 0)
		r = add_silent(fs, l);
	if (r == 0)
		*ret = l;
	else
		np_irqs_free(l);
free_fs:
	np__sysfs_free(fs);
	return r;
}

/* IRQ numbers pass the CPU limit on big machines: the set grows to hold them */
static int set_grow(struct np_cpuset *set, unsigned int bit)
{
	int r = 0;

	if (bit >= np_cpuset_size(set))
		r = np_cpuset_resize(set, bit + 64);
	return r < 0 ? r : np_cpuset_set(set, bit);
}

/* The msi_irqs of the PCI device at @dir (relative to the sysroot) into @out. */
static int msi_irqs(const struct np_sysfs *fs, const char *dir, struct np_cpuset *out, int *node)
{
	unsigned int *ids = NULL, count = 0;
	char path[300], buf[NP__VALUE_MAX];
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/msi_irqs", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	r = np__sysfs_dir_ids(fs, path, "", NP__MAX_CPUS - 1, &ids, &count);
	if (r < 0 || count == 0) {
		free(ids);
		return r < 0 ? r : -ENOENT;
	}
	for (unsigned int i = 0; i < count && r == 0; i++)
		r = set_grow(out, ids[i]);
	free(ids);
	if (node) {
		*node = -1;
		if (np__sysfs_read(fs, buf, sizeof(buf), "%s/numa_node", dir) >= 0)
			(void)np__sysfs_parse_node(fs, buf, node, "%s/numa_node", dir);
	}
	return r < 0 ? r : (int)count;
}

/* The device folder behind @name: a class device's "device" link, or a PCI address. */
static int device_dir(const struct np_sysfs *fs, const char *name, char *dir, size_t size)
{
	static const char *const classes[] = { "net", "infiniband", "drm", "nvme", "accel",
					       "misc", "block" };

	if (strchr(name, '/') || name[0] == '.')
		return -ENOENT;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		snprintf(dir, size, "sys/class/%s/%s/device", classes[i], name);
		if (np__sysfs_exists(fs, "%s", dir))
			return 0;
	}
	snprintf(dir, size, "sys/bus/pci/devices/%s", name);
	return np__sysfs_exists(fs, "%s", dir) ? 0 : -ENOENT;
}

int np_irq_device_irqs(const char *sysroot, const struct np_irqs *irqs, const char *name,
		       struct np_cpuset *out, int *node)
{
	struct np_sysfs *fs;
	char dir[256];
	int r, count = 0, n = -1;

	if (!irqs || !name || !*name || !out)
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	np_cpuset_zero(out);
	r = device_dir(fs, name, dir, sizeof(dir));
	if (r == 0)
		r = count = msi_irqs(fs, dir, out, &n);
	if (r == -ENOENT) {
		/* no MSI folder: the handlers that carry the name ("eth0-TxRx-3") */
		r = 0;
		for (unsigned int i = 0; i < irqs->n && r == 0; i++)
			if (strstr(irqs->v[i].actions, name) && (r = set_grow(out, irqs->v[i].irq)) == 0) {
				count++;
				n = n < 0 ? irqs->v[i].node : n;
			}
		r = r < 0 ? r : count ? count : -ENOENT;
	}
	if (r >= 0 && node)
		*node = n;
	np__sysfs_free(fs);
	return r;
}

/* Journal @j, then write the affinity; the kernel's EIO is a managed or per-CPU IRQ. */
int np__irq_write(struct np__journal *j, unsigned int irq, const struct np_cpuset *cpus)
{
	char path[64], *list = NULL, *val;
	int r;

	if (!cpus || np_cpuset_empty(cpus))
		return -EINVAL;
	snprintf(path, sizeof(path), "proc/irq/%u/smp_affinity_list", irq);
	if (!np__sysfs_exists(j->fs, "%s", path))
		return -ENOENT;
	if ((r = np_cpuset_format_list(cpus, 0, &list)) < 0)
		return r;
	if (asprintf(&val, "%s\n", list) < 0) {
		free(list);
		return -ENOMEM;
	}
	r = np__journal_write(j, path, val);
	free(val);
	free(list);
	return r;
}

int np_irq_set(const char *sysroot, unsigned int irq, const struct np_cpuset *cpus,
	       const char *undo_name)
{
	struct np__journal j;
	struct np_sysfs *fs;
	int r;

	if (!cpus || np_cpuset_empty(cpus))
		return -EINVAL;
	if ((r = np__sysfs_open(sysroot, &fs)) < 0)
		return r;
	r = np__journal_open(fs, undo_name ? undo_name : IRQ_JOURNAL, true, &j);
	if (r == 0) {
		r = np__irq_write(&j, irq, cpus);
		np__journal_release(&j);
	}
	np__sysfs_free(fs);
	return r;
}
