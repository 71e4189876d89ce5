/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp-deny.h - install a seccomp filter that makes some syscalls fail with an errno, the
 * way container runtimes block the NUMA syscalls.  For tests only (header only, libc and the
 * kernel's uapi headers).
 *
 * deny_syscalls("set_mempolicy,mbind", EPERM): 0, or -errno from prctl.  The calling thread and
 * everything it execs afterwards keep the filter.
 */
#ifndef NP_SECCOMP_DENY_H
#define NP_SECCOMP_DENY_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define DENY_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define DENY_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define DENY_ARCH AUDIT_ARCH_I386
#endif

static const struct {
	const char *name;
	long nr;
} deny_table[] = {
	{ "set_mempolicy", SYS_set_mempolicy },
	{ "get_mempolicy", SYS_get_mempolicy },
	{ "mbind", SYS_mbind },
	{ "migrate_pages", SYS_migrate_pages },
	{ "move_pages", SYS_move_pages },
	{ "set_mempolicy_home_node", 450 },
	{ "sched_setaffinity", SYS_sched_setaffinity },
	{ "sched_getaffinity", SYS_sched_getaffinity },
};

__attribute__((unused)) static int deny_syscalls(const char *names, int err)
{
#ifdef DENY_ARCH
	struct sock_filter prog[4 + 2 * 8 + 1];
	struct sock_fprog fprog;
	unsigned int n = 0;
	const char *p = names;

	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, arch));
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DENY_ARCH, 1, 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, nr));
	while (*p) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < sizeof(deny_table) / sizeof(deny_table[0]); i++)
			if (strlen(deny_table[i].name) == len && strncmp(deny_table[i].name, p, len) == 0)
				break;
		if (i == sizeof(deny_table) / sizeof(deny_table[0]) || n + 3 > sizeof(prog) / sizeof(prog[0]))
			return -EINVAL;
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							 (unsigned int)deny_table[i].nr, 0, 1);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
							 SECCOMP_RET_ERRNO | ((unsigned int)err & SECCOMP_RET_DATA));
		p += len;
		if (*p == ',')
			p++;
	}
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	fprog.len = (unsigned short)n;
	fprog.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) < 0)
		return -errno;
	return 0;
#else
	(void)names;
	(void)err;
	return -ENOTSUP;
#endif
}

#endif /* NP_SECCOMP_DENY_H */
