/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * np-seccomp.c - test helper: run a command with some syscalls denied, as a container's seccomp
 * profile would.  np-seccomp [-e ERRNO] SYSCALL[,SYSCALL...] CMD [ARGS...]
 * ERRNO is a number or EPERM/ENOSYS (default EPERM).  Exits 125 when it cannot install the
 * filter, 127 when CMD cannot be executed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/seccomp-deny.h"

int main(int argc, char **argv)
{
	int err = EPERM, i = 1, r;

	if (argc > 2 && strcmp(argv[1], "-e") == 0) {
		err = strcmp(argv[2], "EPERM") == 0  ? EPERM :
		      strcmp(argv[2], "ENOSYS") == 0 ? ENOSYS :
						       atoi(argv[2]);
		i = 3;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: np-seccomp [-e ERRNO] SYSCALL[,SYSCALL...] CMD [ARGS...]\n");
		return 125;
	}
	r = deny_syscalls(argv[i], err);
	if (r < 0) {
		fprintf(stderr, "np-seccomp: cannot install the filter '%s': %s\n", argv[i], strerror(-r));
		return 125;
	}
	execvp(argv[i + 1], argv + i + 1);
	fprintf(stderr, "np-seccomp: cannot run '%s': %s\n", argv[i + 1], strerror(errno));
	return 127;
}
