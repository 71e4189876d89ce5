/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace/affinity.h - CPU binding of processes and threads.
 */
#ifndef NUMAPLACE_AFFINITY_H
#define NUMAPLACE_AFFINITY_H

#include <stddef.h>
#include <sys/types.h>
#include <numaplace/common.h>
#include <numaplace/cpuset.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* === affinity: CPU binding of processes and threads === */
/* ===================================================================================== */

/*
 * CPU affinity of threads and processes.  A thread id (tid) of 0 is the calling thread; a pid
 * names a process, whose threads are listed in /proc/PID/task.  Sets returned here are sized
 * for the kernel's CPU mask (grown on EINVAL from sched_getaffinity, never assumed to be 1024).
 *
 * Reads of /proc go through @sysroot (NULL is this machine), so a captured tree answers the
 * same questions; calls that change affinity act on the live machine only.
 */

/**
 * np_affinity_cpu_bits() - the number of bits the kernel's CPU mask needs (a multiple of 64).
 *
 * Found by growing the buffer of sched_getaffinity(2) until the kernel stops answering EINVAL.
 * Return: the size in bits (> 0), or -errno from sched_getaffinity (-ESRCH, -EPERM).
 */
NP_API int np_affinity_cpu_bits(void);

/**
 * np_affinity_get() - the CPUs a thread may run on.
 * @tid: a thread id, a pid (its main thread), or 0 for the calling thread.
 * @ret: receives a new set of np_affinity_cpu_bits() bits; the caller frees it.
 *
 * Return: 0; -ESRCH no such thread; -EPERM not allowed; -ENOMEM.
 */
NP_API int np_affinity_get(pid_t tid, struct np_cpuset **ret);

/**
 * np_affinity_set() - bind one thread to @cpus.
 * @tid: a thread id, or 0 for the calling thread.
 * @cpus: the CPUs; members beyond the kernel's mask are -EINVAL.
 *
 * Return: 0; -EINVAL @cpus holds no CPU that is online and inside the thread's cpuset cgroup;
 * -ESRCH no such thread; -EPERM another user's thread without CAP_SYS_NICE; -ENOMEM.
 */
NP_API int np_affinity_set(pid_t tid, const struct np_cpuset *cpus);

/**
 * np_task_list() - the thread ids of a process, from @sysroot/proc/@pid/task.
 * @sysroot: NULL for this machine, or a captured tree.
 * @pid: the process (0 is not accepted: name it with getpid()).
 * @ret: receives a malloc'd array of tids in increasing order; the caller free()s it.
 * @nret: receives the number of tids.
 *
 * A snapshot: threads may start or exit right after it.
 * Return: 0; -ESRCH no such process; -EINVAL @pid <= 0; -ENOMEM; -errno from opendir.
 */
NP_API int np_task_list(const char *sysroot, pid_t pid, pid_t **ret, size_t *nret);

/**
 * np_affinity_set_process() - bind every thread of a process to @cpus, race-safe.
 * @pid: the process.
 * @cpus: the CPUs.
 * @nthreads: when not NULL, receives the number of threads bound.
 *
 * Threads may be created while this runs.  It binds every thread it finds in /proc/PID/task,
 * then lists them again, and repeats until a pass finds no thread it has not bound (a thread
 * that exited meanwhile is skipped).  A process that creates threads faster than they can be
 * bound makes it give up after 1000 passes.
 *
 * Return: 0; -ESRCH no such process; -EPERM not allowed; -EINVAL as for np_affinity_set();
 * -EAGAIN did not converge; -ENOMEM.
 */
NP_API int np_affinity_set_process(pid_t pid, const struct np_cpuset *cpus, unsigned int *nthreads);

/**
 * np_task_last_cpu() - the CPU a thread last ran on (field 39, "processor", of
 * @sysroot/proc/@pid/task/@tid/stat).
 * @tid: the thread; equal to @pid for the main thread.
 * @ret: receives the CPU number.
 *
 * Return: 0; -ESRCH no such thread (or the file is missing in a capture); -EINVAL the file
 * does not parse; -errno from reading it.
 */
NP_API int np_task_last_cpu(const char *sysroot, pid_t pid, pid_t tid, int *ret);

/**
 * np_task_cpus_allowed() - a thread's Cpus_allowed_list, from
 * @sysroot/proc/@pid/task/@tid/status.
 * np_task_mems_allowed() - the same thread's Mems_allowed_list.
 * @nbits: the size of the set created (CPUs or nodes of the machine).
 * @ret: receives a new set; the caller frees it.
 *
 * Return: 0; -ESRCH no such thread; -ENOENT the line is missing; -ERANGE a member at or
 * beyond @nbits; -EINVAL it does not parse; -ENOMEM.
 */
NP_API int np_task_cpus_allowed(const char *sysroot, pid_t pid, pid_t tid, unsigned int nbits,
				struct np_cpuset **ret);
NP_API int np_task_mems_allowed(const char *sysroot, pid_t pid, pid_t tid, unsigned int nbits,
				struct np_cpuset **ret);

/* === end affinity === */

#ifdef __cplusplus
}
#endif

#endif /* NUMAPLACE_AFFINITY_H */
