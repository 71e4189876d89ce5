/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * procparse.h - the parsers of /proc files, apart from reading them: each takes the file's
 * text (NUL-terminated; a NUL inside ends it, as it ends a read file) and gives its result,
 * with no file access, so that a fuzz target can call it on a buffer directly.  Included by
 * lib/internal.h; never installed.
 *
 * Terminology:
 *  text      a whole file as read, NUL-terminated
 *  line      text up to a newline or the NUL
 *  field     a run of a line between blanks (mountinfo, stat) or after "key:" (status)
 *  flavour   what kind of cpuset hierarchy a mount is (lib/limits-cgroup.c)
 */
#ifndef NP_PROCPARSE_H
#define NP_PROCPARSE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * numa_maps (lib/numamaps.c): @text is a malloc()ed file; the result points into it and takes
 * it over, and a failure frees it.  Returns 0, -EINVAL (a line that does not parse), -ERANGE
 * (a node number beyond the cap), -EFBIG (the per-node table over 256 MiB), -ENOMEM.  *@ret is
 * written only on success.
 */
NP_HIDDEN int np__numa_maps_parse(char *text, struct np_numa_maps **ret);

/*
 * A task's stat (lib/affinity.c), "pid (comm) state ppid ...": comm (field 2) may hold blanks
 * and parentheses, so the numbered fields resume after the last ')'.
 * np__stat_comm(): where comm starts and its length, between the first '(' and the last ')'.
 * np__stat_field(): numeric field @field (3 or more; 9 is flags, 39 "processor"), digits only,
 * overflow-checked.  np__stat_last_cpu(): field 39, the CPU the task last ran on.
 * Each returns 0 or -EINVAL and writes its outputs only on success (*@ret 0..INT32_MAX for
 * the CPU).
 */
NP_HIDDEN int np__stat_comm(const char *text, const char **start, size_t *len);
NP_HIDDEN int np__stat_field(const char *text, unsigned int field, unsigned long long *ret);
NP_HIDDEN int np__stat_last_cpu(const char *text, int *ret);

/*
 * A status file (lib/affinity.c, lib/limits.c): the value of the first line "@key:", its
 * leading blanks skipped, and its length up to the newline; NULL when no line has @key.
 */
NP_HIDDEN const char *np__status_field(const char *text, const char *key, size_t *len);

/*
 * The cpulist in @key's value as a set of @nbits: strict (a number beyond is -ERANGE, as for
 * np_task_cpus_allowed()), or with @clamp cut to @nbits (np__parse_clamped()).  Returns 0,
 * -ENOENT (no such line), -EINVAL, -ERANGE, -EOVERFLOW, -ENOMEM; *@ret only on success.
 */
NP_HIDDEN int np__status_set(const char *text, const char *key, unsigned int nbits, bool clamp,
			     struct np_cpuset **ret);

/* cgroups (lib/limits-cgroup.c) */
enum np__cg_flavour {
	NP__CG_NONE,
	NP__CG_V2,       /* fstype cgroup2: a cpuset hierarchy if cgroup.controllers says so */
	NP__CG_V1,       /* fstype cgroup with option cpuset */
	NP__CG_CPUSETFS, /* fstype cpuset, or cgroup with cpuset,noprefix */
};

/* The fields of a mount table line that tell a cpuset hierarchy, pointing into the line. */
struct np__mount {
	const char *dir;  /* mount point */
	const char *root; /* the hierarchy's directory mounted there; "/" for /proc/mounts */
	const char *type; /* fstype */
	const char *opts; /* mountinfo's super options, /proc/mounts's options */
};

/* Undo the octal escapes (\040 for a blank) of a mount table field, in place; never longer. */
NP_HIDDEN void np__unescape(char *s);

/*
 * Split one line of mountinfo ("36 35 98:0 /root /mnt opts shared:1 - type src superopts") or
 * of /proc/mounts ("src /mnt type opts 0 0") in place, fields unescaped.  Returns 0, or
 * -EINVAL for a line too short; *@ret only on success.
 */
NP_HIDDEN int np__mount_line(char *line, bool mountinfo, struct np__mount *ret);

/* The flavour that a mount's type and options name (cgroup2 still needs its controllers). */
NP_HIDDEN enum np__cg_flavour np__mount_flavour(const struct np__mount *m);

/* Whether @word is an element of the @sep-separated list @list. */
NP_HIDDEN bool np__has_word(const char *list, const char *word, char sep);

/*
 * The process's cgroup path in proc/self/cgroup @text: the "0::PATH" line for @v2, else the
 * v1 line whose controllers hold cpuset.  *@ret is malloc()ed.  Returns 0, -ENOENT, -ENOMEM.
 */
NP_HIDDEN int np__cgroup_path(const char *text, bool v2, char **ret);

/* The first line of proc/self/cpuset @text, malloc()ed in *@ret.  Returns 0 or -ENOMEM. */
NP_HIDDEN int np__cpuset_path(const char *text, char **ret);

#endif /* NP_PROCPARSE_H */
