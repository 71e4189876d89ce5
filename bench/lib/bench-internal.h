/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-internal.h - helpers shared by the bench/lib sources (bench-common.c defines them).
 * The bench library is the project's own code: it may use lib/internal.h (the sysfs reader).
 */
#ifndef NP_BENCH_INTERNAL_H
#define NP_BENCH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "internal.h"
#include "numaplace-bench.h"

/* pin thread or process @tid (0: the caller) to @cpu.  Return: 0; -EINVAL @cpu outside the
 * kernel's mask; the errors of np_affinity_cpu_bits() and np_affinity_set() */
NP_HIDDEN int np__bench_pin(pid_t tid, int cpu);
/* np__bench_pin() of the calling thread; a negative @cpu leaves it where the scheduler puts it */
NP_HIDDEN int np__bench_pin_self(int cpu);
NP_HIDDEN double np__bench_now_s(void); /* CLOCK_MONOTONIC in seconds */
/* run @fn(@job) on a new thread and wait for it.  Return: 0, or pthread_create()'s -errno */
NP_HIDDEN int np__bench_run_thread(void *(*fn)(void *), void *job);

/* map @len bytes, bound to @node (-1: first touch), THP asked for or forbidden; not touched.
 * Free with np__bench_unmap().  Return: 0 or np_alloc()'s -errno */
NP_HIDDEN int np__bench_map(size_t len, int node, bool thp, void **ret);
NP_HIDDEN void np__bench_unmap(void *p, size_t len);
/* every page of [p, p+len) on @node (none asked when @node < 0).  Return: 0; -EIO; -ENOMEM */
NP_HIDDEN int np__bench_check_node(const void *p, size_t len, int node);
/* the page size that backs most of [p, p+len), p the start of a mapping: base or THP */
NP_HIDDEN size_t np__bench_page_size(const void *p, size_t len);

/* @o (NULL: all zero) with every zero field given its default (bench-memory.c) */
NP_HIDDEN struct np_bench_mem_opts np__bench_mem_defaults(const struct np_bench_mem_opts *o);

#endif /* NP_BENCH_INTERNAL_H */
