/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/cpuset.h - dynamically sized bitmaps of CPUs or NUMA nodes, and their syntaxes.
 */
#ifndef NUMAPLACE_CPUSET_H
#define NUMAPLACE_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <numaplace/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* === cpuset: dynamically sized bitmaps of CPUs or NUMA nodes, and their syntaxes === */
/* ===================================================================================== */

/*
 * struct np_cpuset is a bitmap with a fixed capacity (its size, in bits) chosen at creation
 * and changed only by np_cpuset_resize().  It holds CPUs or NUMA nodes alike; nothing in it
 * assumes 1024 CPUs.  Setting a bit at or beyond the size is -ERANGE, and the parsers use the
 * size as their upper bound.
 *
 * Syntaxes (man numaplace(1), CPU AND NODE SETS, has examples):
 *  cpulist   "0-3,8,10-14:2": decimal numbers, ranges a-b (a <= b), ranges with a stride
 *            a-b:s (s >= 1), separated by commas, as the kernel and util-linux accept them.
 *            Blanks around items and a trailing newline are tolerated.  An empty string
 *            (or only blanks) is the empty set; an empty item ("1,,2", "1,") is not.
 *  mask      "ff,ffffffff": the kernel's hex mask, groups of 1 to 8 hex digits separated by
 *            single commas, most significant first, each group one 32-bit word.  Groups
 *            beyond the set's size are accepted when their bits are zero (sysfs prints
 *            NR_CPUS-wide masks).  Blanks around it and a trailing newline are tolerated;
 *            an empty group (",1", "ff,,1", "1,") or an empty string is -EINVAL, a group of
 *            more than 8 digits -EOVERFLOW.
 *  taskset   "0x3" or "3": util-linux cpumask_parse(): an optional lowercase "0x", then hex
 *            digits of any length.  A comma may follow a digit and is skipped ("ff,1" is
 *            0xff1, "1," is 1; ",1", "1,,2" and "0X3" are -EINVAL).  No blanks.  "" and
 *            "0x" are the empty set.  util-linux drops set bits beyond its set silently;
 *            here they are -ERANGE (size the set from the string to get util-linux's way).
 *  numactl   "all", "!1-2", "+0-1", "0,2-3": see np_cpuset_parse_numactl().
 * When a string has several faults, the leftmost -EINVAL or -EOVERFLOW is reported before
 * any -ERANGE.
 */
struct np_cpuset;

/**
 * np_cpuset_new() - allocate an empty set of @nbits bits.
 * @nbits: capacity in bits (0 allowed: an empty set that holds nothing).
 * @ret: receives the set, which the caller frees with np_cpuset_free().
 *
 * Return: 0, -ENOMEM, or -EOVERFLOW when @nbits > INT_MAX (members are returned as int).
 */
NP_API int np_cpuset_new(unsigned int nbits, struct np_cpuset **ret);

/** np_cpuset_free() - free a set; NULL is a no-op. */
NP_API void np_cpuset_free(struct np_cpuset *set);

/**
 * np_cpuset_dup() - a new set equal to @set with the same size.
 * @ret: receives the copy; the caller frees it.
 * Return: 0, or -ENOMEM.
 */
NP_API int np_cpuset_dup(const struct np_cpuset *set, struct np_cpuset **ret);

/**
 * np_cpuset_copy() - make @dst hold the members of @src.
 * Return: 0, or -ERANGE when @src has a member at or beyond @dst's size (then @dst is unchanged).
 */
NP_API int np_cpuset_copy(struct np_cpuset *dst, const struct np_cpuset *src);

/** np_cpuset_size() - the capacity of @set in bits. */
NP_API unsigned int np_cpuset_size(const struct np_cpuset *set);

/**
 * np_cpuset_resize() - change the capacity of @set to @nbits; members beyond it are dropped.
 * Return: 0, -ENOMEM or -EOVERFLOW (@nbits > INT_MAX); then @set is unchanged.
 */
NP_API int np_cpuset_resize(struct np_cpuset *set, unsigned int nbits);

/** np_cpuset_zero() - remove every member. */
NP_API void np_cpuset_zero(struct np_cpuset *set);

/** np_cpuset_fill() - add every bit below the size. */
NP_API void np_cpuset_fill(struct np_cpuset *set);

/**
 * np_cpuset_set() - add @bit.
 * Return: 0, or -ERANGE when @bit >= size.
 */
NP_API int np_cpuset_set(struct np_cpuset *set, unsigned int bit);

/**
 * np_cpuset_clear() - remove @bit.
 * Return: 0, or -ERANGE when @bit >= size.
 */
NP_API int np_cpuset_clear(struct np_cpuset *set, unsigned int bit);

/** np_cpuset_isset() - whether @bit is a member; false for any bit beyond the size. */
NP_API bool np_cpuset_isset(const struct np_cpuset *set, unsigned int bit);

/*
 * Binary operations: @dst = @a op @b.  @dst may be @a or @b.  Sets of different sizes are
 * treated as zero-extended.  Return: 0, or -ERANGE when the result has a member at or beyond
 * @dst's size (then @dst is unchanged).
 */
NP_API int np_cpuset_and(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);
NP_API int np_cpuset_or(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);
NP_API int np_cpuset_andnot(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);
NP_API int np_cpuset_xor(struct np_cpuset *dst, const struct np_cpuset *a, const struct np_cpuset *b);

/** np_cpuset_equal() - same members (sizes may differ). */
NP_API bool np_cpuset_equal(const struct np_cpuset *a, const struct np_cpuset *b);
/** np_cpuset_subset() - every member of @a is in @b. */
NP_API bool np_cpuset_subset(const struct np_cpuset *a, const struct np_cpuset *b);
/** np_cpuset_intersects() - @a and @b share a member. */
NP_API bool np_cpuset_intersects(const struct np_cpuset *a, const struct np_cpuset *b);
/** np_cpuset_empty() - no member. */
NP_API bool np_cpuset_empty(const struct np_cpuset *set);
/** np_cpuset_weight() - the number of members. */
NP_API unsigned int np_cpuset_weight(const struct np_cpuset *set);

/** np_cpuset_first() - the lowest member, or -1 when empty. */
NP_API int np_cpuset_first(const struct np_cpuset *set);
/** np_cpuset_next() - the lowest member greater than @prev (-1 starts at 0), or -1 when none. */
NP_API int np_cpuset_next(const struct np_cpuset *set, int prev);
/** np_cpuset_last() - the highest member, or -1 when empty. */
NP_API int np_cpuset_last(const struct np_cpuset *set);
/** np_cpuset_nth() - the member with rank @n (0 = lowest), or -1 when the set has <= @n members. */
NP_API int np_cpuset_nth(const struct np_cpuset *set, unsigned int n);

/** np_cpuset_foreach() - iterate @i (an int) over the members of @set in increasing order. */
#define np_cpuset_foreach(i, set) \
	for (int i = np_cpuset_first(set); i >= 0; i = np_cpuset_next(set, i))

/*
 * Parsers.  Each replaces the members of @set with the parsed ones, and only on success.
 * @errpos, when not NULL, receives on failure the byte offset in @str of the token at fault
 * (on success it is left alone).  The set's size is the upper bound: a number at or beyond
 * it is -ERANGE.
 *
 * Return: 0; -EINVAL syntax error; -ERANGE a member at or beyond the set's size (or, for the
 * numactl syntax, outside the allowed set); -EOVERFLOW a number above 4294967295 (or a mask
 * group of more than 8 digits); -ENOMEM (errpos untouched).
 */
NP_API int np_cpuset_parse_list(struct np_cpuset *set, const char *str, size_t *errpos);
NP_API int np_cpuset_parse_mask(struct np_cpuset *set, const char *str, size_t *errpos);
NP_API int np_cpuset_parse_taskset(struct np_cpuset *set, const char *str, size_t *errpos);

/**
 * np_cpuset_parse_numactl() - parse a node or CPU string as numactl takes it.
 * @set: receives the result.
 * @str: [!][+](all | list).  list is a cpulist whose numbers may also be written as C
 *       writes them ("0x1f" hex, "017" octal), as numactl's strtoul(s, NULL, 0) reads them.
 *       "all" is @allowed.  A leading "!" takes the complement within @allowed (numactl:
 *       within all configured CPUs or nodes).  A "+" makes every number a rank among the
 *       allowed members ("+0-1": the first two allowed; "+0-6:2": ranks 0, 2, 4, 6).  The
 *       empty string is the empty set; "!" or "+" with nothing after them is -EINVAL.
 * @allowed: the CPUs or nodes this process may use; NULL means every bit below the size.
 *       Members of @allowed at or beyond @set's size are ignored.
 * @errpos: as for the other parsers.
 *
 * The rule for numactl issue #259: a range (a-b or a-b:s) stands for the allowed members
 * among a, a+s, ..., b, whether the disallowed ones are inside it or at its ends; it is
 * -ERANGE only when it holds no allowed member at all.  A single number must be allowed.
 * Any number at or beyond the set's size is -ERANGE, and a relative rank at or beyond the
 * number of allowed members is -ERANGE.  (numactl silently drops disallowed members inside a
 * range but rejects a disallowed endpoint, and takes "3-1" as "3"; here b < a is -EINVAL.)
 * numactl's "same" and its netdev:/pci:/file: forms are left to the caller.
 */
NP_API int np_cpuset_parse_numactl(struct np_cpuset *set, const char *str,
				   const struct np_cpuset *allowed, size_t *errpos);

/* Formatter flags; a flag a formatter does not know is ignored. */
#define NP_FMT_STRIDES 0x1 /* list: util-linux 2.42 lscpu/taskset style with strides */
#define NP_FMT_FULL    0x2 /* mask: every word of the set's size, as sysfs prints it */

/*
 * Formatters.  Each stores in *@ret a malloc'd NUL-terminated string the caller frees.
 *  list:    the kernel's style (sysfs, /proc/<pid>/status): runs of two or more consecutive
 *           members as a-b, "0-1", "0-3,8"; the empty set is "".
 *           NP_FMT_STRIDES: util-linux 2.42's cpulist_create(): from the lowest member,
 *           follow a constant step as far as it goes; three or more members print as a-b
 *           (step 1) or a-b:s, two alone as single numbers: "0,1", "0-2", "0-14:2", "0,1,3".
 *  mask:    the kernel's form, "ff,ffffffff", 32-bit words, no leading zero words and the
 *           top word without leading zeros ("0" if empty).  NP_FMT_FULL: ceil(size / 32)
 *           words, the top one with as many digits as the size leaves bits for, as
 *           /proc/<pid>/status prints Cpus_allowed ("00000000,00000003" for 64 bits, "3" for
 *           2 bits; "0" for a set of size 0).
 *  taskset: the hex digits util-linux taskset prints, no "0x", no commas ("0" if empty).
 * Return: 0, or -ENOMEM.
 */
NP_API int np_cpuset_format_list(const struct np_cpuset *set, unsigned int flags, char **ret);
NP_API int np_cpuset_format_mask(const struct np_cpuset *set, unsigned int flags, char **ret);
NP_API int np_cpuset_format_taskset(const struct np_cpuset *set, char **ret);

/* === end cpuset === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_CPUSET_H */
