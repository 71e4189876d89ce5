/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/diag.h - what a topology load found but could not use: the files of the sysroot
 * that exist and were skipped (a FIFO or device where a file should be, a file over its cap, a
 * read error, text that does not parse, an implausible value).
 */
#ifndef NUMAPLACE_DIAG_H
#define NUMAPLACE_DIAG_H

#include <stddef.h>
#include <numaplace/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Terminology:
 *  problem  a file below the sysroot that np_topo_load() found but did not use; the topology is
 *           what the other files say, as if this one were missing.  A missing file is no
 *           problem: older kernels lack many of them.
 */

struct np_topo;

/* What was wrong with the file. */
enum np_problem_kind {
	NP_PROBLEM_NOT_REGULAR = 1, /* a FIFO, device, directory or socket where a file should be */
	NP_PROBLEM_TOO_LARGE,       /* longer than the cap for its kind of file (see limit) */
	NP_PROBLEM_UNREADABLE,      /* open() or read() failed: EACCES, EIO, ELOOP... */
	NP_PROBLEM_SYNTAX,          /* its text does not parse */
	NP_PROBLEM_VALUE,           /* it parses, but the value is implausible or out of range */
};

/* The most problems a topology keeps; np_topo_problem_count() counts them all. */
#define NP_TOPO_PROBLEMS_KEPT 64

/*
 * One problem.  @path and @reason stay valid until the topology is freed.
 * @path:   the file, relative to the sysroot ("sys/devices/system/node/node0/cpulist").
 * @reason: a short fixed phrase, lowercase: "not a regular file (a FIFO)", "larger than its
 *          cap", "not a number", "a cache level beyond 1-4".  For NP_PROBLEM_UNREADABLE it is
 *          "cannot be read" and @error says why.
 * @kind:   what was wrong.
 * @error:  a positive errno value: EINVAL not a regular file or syntax, EISDIR a directory,
 *          EFBIG too large, ERANGE or EOVERFLOW a value out of range, else what open() or
 *          read() said.
 * @limit:  NP_PROBLEM_TOO_LARGE: the cap in bytes; else 0.
 */
struct np_problem {
	const char *path;
	const char *reason;
	enum np_problem_kind kind;
	int error;
	size_t limit;
};

/**
 * np_topo_problem_count() - how many files np_topo_load() found but could not use.
 * @topo: a topology; NULL counts none.
 *
 * Each file counts once, however often it was read.  Only the first NP_TOPO_PROBLEMS_KEPT are
 * kept for np_topo_problem(); the count goes on beyond them, and there a file read twice may
 * count twice (the count is then an upper bound).  A topology built by hand (the
 * synthetic machines of the tests) has none.
 *
 * Return: the count, 0 for a sysroot whose every file could be used.
 */
NP_API unsigned int np_topo_problem_count(const struct np_topo *topo);

/**
 * np_topo_problem() - the @i-th problem, in the order the load met them.
 * @topo: a topology.
 * @i: 0 up to the lesser of np_topo_problem_count() and NP_TOPO_PROBLEMS_KEPT, exclusive.
 * @ret: filled on success; its strings belong to @topo.
 *
 * Return: 0; -EINVAL @topo or @ret NULL; -ERANGE no problem @i is kept.  @ret is untouched on
 * failure.
 */
NP_API int np_topo_problem(const struct np_topo *topo, unsigned int i, struct np_problem *ret);

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_DIAG_H */
