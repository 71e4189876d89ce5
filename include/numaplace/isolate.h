/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/isolate.h - interrupts as objects, and CPUs isolated at run time: an isolated
 * cgroup v2 cpuset partition, IRQs moved away, and the proof that nothing else runs there.
 * Every change is journalled under the sysroot (run/numaplace/isolate/NAME) before it is made,
 * so a failure rolls back and --undo restores each file byte for byte.
 */
#ifndef NUMAPLACE_ISOLATE_H
#define NUMAPLACE_ISOLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* === irq: the interrupts of proc/interrupts and proc/irq/N === */
/* ===================================================================================== */

/* Whether an IRQ's affinity can be changed, and if not, why. */
enum np_irq_kind {
	NP_IRQ_MOVABLE,  /* smp_affinity_list takes a new set */
	NP_IRQ_MANAGED,  /* the kernel spreads it over CPUs itself (IRQD_AFFINITY_MANAGED) */
	NP_IRQ_PER_CPU,  /* one per CPU by nature (IRQD_PER_CPU): nothing to move */
	NP_IRQ_FIXED,    /* the kernel refused a new affinity (EIO), reason not given */
	NP_IRQ_UNKNOWN,  /* no debugfs to tell: treated as movable until a write says otherwise */
};

/* One IRQ; every pointer belongs to the list it came from. */
struct np_irq {
	unsigned int irq;                   /* the number, proc/irq/N */
	const char *chip;                   /* "PCI-MSIX-0000:00:03.0", "IO-APIC" */
	const char *hwirq;                  /* "1-edge" */
	const char *actions;                /* the handlers: "virtio0-input.0", "" when none */
	const char *device;                 /* the PCI address of an MSI chip, else NULL */
	int node;                           /* proc/irq/N/node, -1 when unknown */
	const struct np_cpuset *affinity;   /* smp_affinity_list; NULL when unreadable */
	const struct np_cpuset *effective;  /* effective_affinity_list; NULL when absent */
	const unsigned long long *counts;   /* per CPU (index = CPU number), ncounts entries */
	unsigned int ncounts;
	enum np_irq_kind kind;
};

struct np_irqs;

/**
 * np_irq_list() - every numbered IRQ of proc/interrupts with its proc/irq/N files and, where
 * debugfs is mounted (sys/kernel/debug/irq/irqs/N), whether it is managed or per-CPU; then
 * the IRQs of proc/irq without a handler (chip and actions "", no counts), which keep an
 * affinity all the same.
 * @sysroot: NULL or "/" for this machine, else a captured tree.
 * @ret: the new list on success; free with np_irqs_free().
 *
 * Return: 0; -ENOENT no proc/interrupts; -EINVAL it cannot be parsed; -EFBIG its per-CPU
 * counts would pass 4M (a header naming high CPUs over very many lines); -ENOMEM; -errno.
 */
NP_API int np_irq_list(const char *sysroot, struct np_irqs **ret);
NP_API void np_irqs_free(struct np_irqs *irqs);
/* how many IRQs the list holds */
NP_API unsigned int np_irqs_count(const struct np_irqs *irqs);
/* the @i-th IRQ (in proc/interrupts' order), NULL past the end; owned by the list */
NP_API const struct np_irq *np_irqs_get(const struct np_irqs *irqs, unsigned int i);
/* the IRQ numbered @irq, NULL when the list has none */
NP_API const struct np_irq *np_irqs_find(const struct np_irqs *irqs, unsigned int irq);
/* a word for @kind: "movable", "managed", "per-cpu", "fixed", "unknown" */
NP_API const char *np_irq_kind_name(enum np_irq_kind kind);

/**
 * np_irq_device_irqs() - the IRQs of device @name: its MSI vectors (the msi_irqs folder of the
 * PCI device behind sys/class/{net,infiniband,drm,nvme,...}/@name, or a PCI address), else the
 * IRQs whose handlers' names contain @name.
 * @out: cleared, then each IRQ number set (grown when an IRQ number passes its size).
 * @node: the device's node (-1 unknown) on success; may be NULL.
 *
 * Return: how many IRQs; -ENOENT no such device or it has none; -EINVAL a NULL argument;
 * -ENOMEM.
 */
NP_API int np_irq_device_irqs(const char *sysroot, const struct np_irqs *irqs, const char *name,
			      struct np_cpuset *out, int *node);

/**
 * np_irq_set() - point IRQ @irq at @cpus (proc/irq/N/smp_affinity_list), after recording the
 * value it had in the journal @undo_name (NULL: "irq", the journal of `irq set`), so that
 * np_isolate_undo(@undo_name) restores it.  Needs root on the live machine.
 *
 * Return: 0; -EIO the kernel refused (a managed or per-CPU IRQ); -ENOENT no such IRQ;
 * -EINVAL @cpus empty or NULL; -EACCES or -EPERM not allowed; -errno.
 */
NP_API int np_irq_set(const char *sysroot, unsigned int irq, const struct np_cpuset *cpus,
		      const char *undo_name);

/* ===================================================================================== */
/* === isolate: an isolated cpuset partition, IRQs and unbound workqueues kept away === */
/* ===================================================================================== */

#define NP_ISOLATE_NAME_MAX 64 /* a NAME: letters, digits, '-', '_', '.', not starting with '.' */

/* What np_isolate_create() did, and why it stopped. */
struct np_isolate_result {
	char *cgroup;              /* the partition's folder under the sysroot (malloc'd) */
	struct np_cpuset *kept;    /* IRQs left on the CPUs: managed, per-CPU, refused */
	struct np_cpuset *moved;   /* IRQs moved off */
	bool workqueue;            /* the unbound workqueue mask had to be narrowed by hand */
	char reason[256];          /* on failure: the kernel's word (cpuset.cpus.partition) or
				    * the partition or CPU in the way */
};

/* Free what a result holds (not the struct itself); NULL is a no-op. */
NP_API void np_isolate_result_release(struct np_isolate_result *res);

/**
 * np_isolate_create() - isolate @cpus under @name: an isolated cpuset partition
 * (sys/fs/cgroup/numaplace-NAME, cpuset.cpus.partition = isolated), every movable IRQ off
 * @cpus, and the unbound workqueue mask without them where the partition left them in.
 * Each file is journalled before it is written; on any failure everything is rolled back.
 * @res: filled (also on failure: reason says why); release with np_isolate_result_release().
 *
 * Return: 0; -EINVAL @name not a NAME or @cpus empty; -EEXIST @name is in use; -ENOTSUP no
 * cgroup v2 at sys/fs/cgroup, or the kernel has no partitions (before 6.1); -ENOPKG the cpuset
 * controller is not enabled in the root's cgroup.subtree_control; -ERANGE @cpus is every online
 * CPU; -ENXIO a CPU of @cpus is offline; -EBUSY a CPU belongs to another partition;
 * -EREMOTEIO the kernel made the partition invalid (reason holds its words); -EACCES or -EPERM
 * not root; -ENOMEM; -errno (reason then names the file that could not be written).  An IRQ
 * the kernel will not move (EIO, EPERM, EINVAL, ENOSPC) is no failure: it goes into kept.
 */
NP_API int np_isolate_create(const char *sysroot, const char *name, const struct np_cpuset *cpus,
			     struct np_isolate_result *res);

/**
 * np_isolate_undo() - restore every value the journal @name recorded, newest first, remove
 * what was created and then the journal.
 *
 * Return: 0; -ENOENT no journal @name (never made, or lost); -EINVAL @name not a NAME or the
 * journal is corrupt; -EBUSY the partition still has processes; -errno from restoring (the
 * journal is then kept).
 */
NP_API int np_isolate_undo(const char *sysroot, const char *name);

/**
 * np_isolate_names() - the journals there are (isolate NAMEs, and "irq" for `irq set`).
 * @ret: a NULL-ended array of malloc'd strings; free with np_isolate_names_free().
 *
 * Return: how many; -ENOMEM; -errno.
 */
NP_API int np_isolate_names(const char *sysroot, char ***ret);
NP_API void np_isolate_names_free(char **names);

/**
 * np_isolate_cgroup_cpus() - the CPUs of journal @name's partition (cpuset.cpus), and its
 * folder relative to the sysroot.
 * @cpus: cleared and filled on success.  @dir: malloc'd on success, may be NULL.
 *
 * Return: 0; -ENOENT no partition of that name; -ENOMEM; -errno.
 */
NP_API int np_isolate_cgroup(const char *sysroot, const char *name, struct np_cpuset *cpus,
			     char **dir);

/* An isolated partition found under sys/fs/cgroup (its direct children). */
struct np_isolate_partition {
	char dir[256];          /* relative to sys/fs/cgroup: "numaplace-rt" */
	char state[128];        /* cpuset.cpus.partition as read: "isolated", "root invalid (...)" */
	struct np_cpuset *cpus; /* cpuset.cpus.effective, else cpuset.cpus */
};

/* What the boot command line and the kernel say is isolated; each string malloc'd or NULL. */
struct np_isolate_boot {
	char *isolcpus;           /* isolcpus= of proc/cmdline */
	char *nohz_full;          /* nohz_full= */
	char *rcu_nocbs;          /* rcu_nocbs= */
	struct np_cpuset *isolated; /* sys/devices/system/cpu/isolated, NULL when absent */
};

/**
 * np_isolate_status() - the partitions (root and isolated ones) and the boot-time isolation.
 * @parts: a malloc'd array of *@nparts entries; release with np_isolate_status_release().
 * @boot: filled on success.
 *
 * Return: 0; -EINVAL a NULL argument; -ENOMEM; -errno.
 */
NP_API int np_isolate_status(const char *sysroot, struct np_isolate_partition **parts,
			     size_t *nparts, struct np_isolate_boot *boot);
NP_API void np_isolate_status_release(struct np_isolate_partition *parts, size_t nparts,
				      struct np_isolate_boot *boot);

/**
 * np_isolate_enter() - move process @pid (0: the caller) into the partition of journal @name
 * (its cgroup.procs); the kernel then narrows its affinity to the partition's CPUs.
 *
 * Return: 0; -ENOENT no partition @name; -EINVAL @name not a NAME; -EACCES or -EPERM not
 * allowed; -errno from the write.
 */
NP_API int np_isolate_enter(const char *sysroot, const char *name, pid_t pid);

/* A thread or IRQ that may still run on isolated CPUs. */
struct np_isolate_hit {
	bool is_irq;
	unsigned int id;        /* TID, or IRQ number */
	pid_t pid;              /* the thread's process */
	bool movable;
	char name[64];          /* comm, or the IRQ's actions */
	const char *reason;     /* why it cannot move: "per-CPU kernel thread", "managed IRQ" */
};

/**
 * np_isolate_check() - every thread (proc/N/task/T) whose affinity allows a CPU of @cpus and
 * every IRQ whose effective affinity includes one.  Threads in @skip_cgroup (a folder relative
 * to the sysroot's sys/fs/cgroup, e.g. "numaplace-rt") are the partition's own and not listed.
 * @hits: a malloc'd array of *@nhits entries on success; free().
 *
 * Return: how many of them are movable (0: the CPUs are clean); -EINVAL; -ENOMEM; -errno.
 */
NP_API int np_isolate_check(const char *sysroot, const struct np_cpuset *cpus,
			    const char *skip_cgroup, struct np_isolate_hit **hits, size_t *nhits);

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_ISOLATE_H */
