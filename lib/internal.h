/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - struct bodies and private helpers shared by the lib/ sources.  Never installed; the
 * CLI and the tests of the public API include only numaplace.h (unit tests may include this).
 */
#ifndef NP_INTERNAL_H
#define NP_INTERNAL_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>

#include "numaplace.h"

#define NP_HIDDEN __attribute__((visibility("hidden")))
#define NP_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define NP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NP_BITS_PER_WORD (8 * sizeof(unsigned long))
#define NP_WORDS(nbits) (((size_t)(nbits) + NP_BITS_PER_WORD - 1) / NP_BITS_PER_WORD)

/* cpuset: bits[] holds NP_WORDS(nbits) words; bits at or beyond nbits are always zero. */
struct np_cpuset {
	unsigned int nbits;
	unsigned long *bits;
};

/*
 * sysfs: every read of /sys and /proc goes through one of these.  Paths are given relative to
 * the sysroot ("sys/devices/system/cpu/online"; a leading '/' is ignored), opened with openat()
 * against rootfd, so a captured tree and the live machine are read by the same code.
 */
struct np_sysfs {
	int rootfd;
	char *root; /* the sysroot as given, "/" for the live machine */
	bool live;  /* root is "/": /proc/self is this process */
};

NP_HIDDEN int np__sysfs_open(const char *sysroot, struct np_sysfs **ret);
NP_HIDDEN void np__sysfs_free(struct np_sysfs *fs);

/*
 * np__sysfs_read() - read a whole small file into @buf (NUL-terminated), trailing NULs,
 * newlines and blanks stripped.  Return: its length, -ENOENT/-EACCES/... from open/read, or
 * -EFBIG when it does not fit in @size - 1 bytes.
 */
NP_HIDDEN ssize_t np__sysfs_read(const struct np_sysfs *fs, char *buf, size_t size,
				 const char *fmt, ...) NP_PRINTF(4, 5);
/* np__sysfs_read_alloc() - read a file of any size; *ret is malloc'd and NUL-terminated. */
NP_HIDDEN int np__sysfs_read_alloc(const struct np_sysfs *fs, char **ret, size_t *len,
				   const char *fmt, ...) NP_PRINTF(4, 5);
/* A file holding one decimal integer (may be negative). */
NP_HIDDEN int np__sysfs_read_ll(const struct np_sysfs *fs, long long *ret, const char *fmt, ...)
	NP_PRINTF(3, 4);
/* A file holding a cpulist / a hex mask, parsed into @set (whose size bounds it). */
NP_HIDDEN int np__sysfs_read_list(const struct np_sysfs *fs, struct np_cpuset *set,
				  const char *fmt, ...) NP_PRINTF(3, 4);
NP_HIDDEN int np__sysfs_read_mask(const struct np_sysfs *fs, struct np_cpuset *set,
				  const char *fmt, ...) NP_PRINTF(3, 4);
NP_HIDDEN bool np__sysfs_exists(const struct np_sysfs *fs, const char *fmt, ...) NP_PRINTF(2, 3);
/* opendir() of a directory below the sysroot; the caller closedir()s it. */
NP_HIDDEN int np__sysfs_opendir(const struct np_sysfs *fs, DIR **ret, const char *fmt, ...)
	NP_PRINTF(3, 4);
/* readlink() below the sysroot, NUL-terminated; returns the length. */
NP_HIDDEN ssize_t np__sysfs_readlink(const struct np_sysfs *fs, char *buf, size_t size,
				     const char *fmt, ...) NP_PRINTF(4, 5);

/* === topology (core): struct np_topo, lib/topology.c === */
struct np_limits;
struct np_devset;
struct np_hmat;
struct np_topo {
	/* loaded by lib/limits.c, lib/devices.c, lib/hmat.c; never NULL after np_topo_load() */
	struct np_limits *limits;
	struct np_devset *devices;
	struct np_hmat *hmat;
};
/* === end topology (core) === */

/* === topology extras: lib/limits.c, lib/devices.c, lib/hmat.c === */
/*
 * Loaded by np_topo_load() after CPUs and nodes are known and kept in struct np_topo as
 * topo->limits, topo->devices, topo->hmat.  @ncpus / @nnodes bound the sets they create
 * (the topology's CPU and node set sizes).  Each returns 0 or -errno; a missing file is not an
 * error (the object then says "unknown" or "none").
 */
NP_HIDDEN int np__limits_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
			      struct np_limits **ret);
NP_HIDDEN void np__limits_free(struct np_limits *l);
NP_HIDDEN int np__devices_load(const struct np_sysfs *fs, unsigned int ncpus,
			       struct np_devset **ret);
NP_HIDDEN void np__devices_free(struct np_devset *d);
NP_HIDDEN int np__hmat_load(const struct np_sysfs *fs, unsigned int ncpus, unsigned int nnodes,
			    struct np_hmat **ret);
NP_HIDDEN void np__hmat_free(struct np_hmat *h);
/* === end topology extras === */

/* === affinity / mempolicy internals === */
/* === end affinity / mempolicy internals === */

#endif /* NP_INTERNAL_H */
