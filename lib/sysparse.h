/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysparse.h - the text of sysfs values, parsed (lib/sysparse.c): no I/O, so each parser can be
 * tested on a table and fuzzed on a buffer (fuzz/fuzz-{sysval,meminfo,distance,cache,hmat,
 * devices}.c).  The readers (lib/sysfs.c, topo-nodes.c, topo-caches.c, hmat.c, devices.c, irq.c)
 * read the file and hand its text, stripped of its trailing newline, to these.
 *
 * Terminology:
 *  text         a NUL-terminated value as read from one file; any length.
 *  implausible  a number, but outside what the kernel can print for the attribute (a cache
 *               level of 5, a node of 2^60 bytes): -EDOM, and the attribute reads as unknown.
 *
 * Every parser returns 0 or a negative errno: -EINVAL when the text is not a number (or not of
 * the attribute's form), -ERANGE when it is a number beyond long long (strtoll's ERANGE), -EDOM
 * when it is implausible.  Its output is written only on success.
 */
#ifndef NP_SYSPARSE_H
#define NP_SYSPARSE_H

#include "internal.h"

/*
 * The buffer a number file is read into (np__sysfs_read_ll's, and the readers' that hand a
 * number's text to a parser here): 63 bytes of text, -EFBIG beyond.
 */
#define NP__VALUE_MAX 64

/* The largest node memory (and huge page size) believed: 2^50 bytes. */
#define NP__MAX_NODE_MEMORY (1ULL << 50)
/* The largest cache size, level and line size or associativity believed. */
#define NP__MAX_CACHE_SIZE (1ULL << 50)
#define NP__MAX_CACHE_LEVEL 4
#define NP__MAX_CACHE_ATTR (1 << 16)
/* Node distances are a u8 in the kernel (the ACPI SLIT's bytes). */
#define NP__MAX_DISTANCE 255

/* a number as strtoll(text, 0) reads it, the whole text: any long long */
NP_HIDDEN int np__parse_ll(const char *text, long long *ret);

/*
 * a decimal of digits only at @s (no sign, no blanks, no base prefix), overflow-checked, ending
 * at *@end; for fields inside a line (/proc/interrupts, /proc/PID/sched and stat).  0 or
 * -EINVAL; *@end and *@ret are written only on success.
 */
NP_HIDDEN int np__parse_digits(const char *s, const char **end, unsigned long long *ret);

/*
 * "<key> <digits> kB" anywhere in a meminfo text (a node's lines have a "Node N " prefix):
 * *@bytes in 0..NP__MAX_NODE_MEMORY.  -ENOENT when @key is not in @text, -EINVAL when no
 * number follows it, -EDOM beyond the maximum.
 */
NP_HIDDEN int np__parse_meminfo(const char *text, const char *key, long long *bytes);

/*
 * A distance row: up to @max numbers separated by blanks, into @row.  Return: how many
 * (0..@max; the row ends at the first thing that is not a number), -EDOM when one of them is
 * outside 0..NP__MAX_DISTANCE (the row is corrupt; @row and *@rest untouched).  *@rest (when
 * @rest is not NULL): whether text other than blanks follows the numbers read, a word or a
 * number beyond @max, which the count alone does not tell.
 */
NP_HIDDEN int np__parse_distances(const char *text, int *row, unsigned int max, bool *rest);

/* "hugepages-<N>kB", a huge page directory's name: *@kb in 1..NP__MAX_NODE_MEMORY >> 10 */
NP_HIDDEN int np__parse_hugepage_dir(const char *name, unsigned long long *kb);
/* nr_hugepages or free_hugepages: a count, a negative one taken as 0 */
NP_HIDDEN int np__parse_hugepage_count(const char *text, unsigned long long *count);

/* a cache's size, "32K", "1M", "2G" or plain bytes: *@bytes in 0..NP__MAX_CACHE_SIZE */
NP_HIDDEN int np__parse_cache_size(const char *text, unsigned long long *bytes);
/* a cache's level: 1..NP__MAX_CACHE_LEVEL */
NP_HIDDEN int np__parse_cache_level(const char *text, unsigned int *level);
/* a cache's type: "Data", "Instruction", anything else unified; never fails */
NP_HIDDEN enum np_cache_type np__parse_cache_type(const char *text);
/* coherency_line_size or ways_of_associativity: 1..NP__MAX_CACHE_ATTR */
NP_HIDDEN int np__parse_cache_attr(const char *text, unsigned int *v);
/* a cache's id: 0..INT_MAX */
NP_HIDDEN int np__parse_cache_id(const char *text, int *id);

/* an HMAT latency, bandwidth or memory-side cache size: 0..LLONG_MAX */
NP_HIDDEN int np__parse_hmat_num(const char *text, unsigned long long *v);
/* a memory-side cache's line_size: 0..UINT_MAX */
NP_HIDDEN int np__parse_hmat_line_size(const char *text, unsigned int *v);
/* indexing or write_policy: 0, 1, or 2 ("other") for any larger number */
NP_HIDDEN int np__parse_hmat_enum(const char *text, unsigned int *v);

/* a device's (or IRQ's) numa_node: 0..INT_MAX - 1; the kernel's -1 (no node) is -EDOM */
NP_HIDDEN int np__parse_dev_node(const char *text, int *node);
/* a PCI function's class: 0..0xffffff */
NP_HIDDEN int np__parse_pci_class(const char *text, unsigned int *cls);
/* a PCI vendor or device id: 0..0xffff */
NP_HIDDEN int np__parse_pci_id(const char *text, unsigned int *id);
/*
 * The "Node: N" line of NVIDIA's proc/driver/nvidia/gpus/ADDR/numa_status: *@node in
 * 0..INT_MAX - 1.  -ENOENT without "Node:", -EINVAL without a number after it, -EDOM for -1.
 */
NP_HIDDEN int np__parse_gpu_numa_status(const char *text, int *node);

#endif /* NP_SYSPARSE_H */
