/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * messages.c - how the CLI speaks on stderr: "numaplace VERB: <what failed> '<input>': <why>",
 * lowercase, no full stop (git CodingGuidelines, util-linux err()).
 *
 * Terminology:
 *  program name  what every message starts with: "numaplace" before a verb is known,
 *                "numaplace VERB" while one runs ("numaplace bench memory" for a sub-command),
 *                "numactl" or "taskset" for the personalities, which set it themselves.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

const char *program_name = "numaplace";

void cli_set_verb(const char *verb)
{
	static char name[64];

	snprintf(name, sizeof(name), "numaplace %s", verb);
	program_name = name;
}

static void vmsg(const char *prefix, int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", program_name, prefix);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", np_strerror(err));
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
}

void cli_error_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", err, fmt, ap);
	va_end(ap);
}

void cli_vnote(const char *fmt, va_list ap)
{
	vmsg("", 0, fmt, ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", 0, fmt, ap);
	va_end(ap);
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", 0, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

int cli_bad_set(const char *what, const char *str, int err, size_t errpos)
{
	size_t len = strlen(str);

	if (errpos < len && len > 1)
		cli_error("invalid %s '%s' at '%s': %s", what, str, str + errpos, np_strerror(err));
	else
		cli_error("invalid %s '%s': %s", what, str, np_strerror(err));
	return CLI_USAGE;
}

void cli_topo_error(const char *sysroot, int err)
{
	char path[4096];
	struct stat st;

	if (cli_sysroot_error(sysroot, err)) /* a packed capture: why it did not unpack */
		return;
	if (err == -EOVERFLOW) {
		/* np_topo_load(): a CPU or node list past the kernel's ceilings, a corrupt file */
		cli_error("cannot read the topology of '%s': its cpu/{possible,present,online} or "
			  "node/online names a CPU beyond 8191 or a node beyond 1023",
			  sysroot ? sysroot : "/");
		return;
	}
	if (!sysroot) {
		cli_error_errno(err, "cannot read the topology of this machine");
		return;
	}
	/* a directory or a file that holds no capture: say what one looks like */
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu", sysroot);
	if (stat(sysroot, &st) == 0 && S_ISDIR(st.st_mode) && stat(path, &st) != 0) {
		cli_error("'%s' has no sys/devices/system/cpu: expected a tree made by "
			  "'numaplace capture' or a copy of / with sys/ and proc/", sysroot);
		return;
	}
	if (stat(sysroot, &st) == 0 && !S_ISDIR(st.st_mode) && err == -EINVAL) {
		cli_error("'%s' is not a capture: expected a directory made by 'numaplace capture' "
			  "or that directory packed by 'tar czf FILE.tar.gz -C DIR .'", sysroot);
		return;
	}
	cli_error_errno(err, "cannot read the topology of '%s'", sysroot);
}
