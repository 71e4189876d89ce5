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
	if (err == -ENOENT && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		/* np_topo_load(): no CPU is online by any file it could use */
		cli_error("cannot read the topology of '%s': sys/devices/system/cpu has no cpuN "
			  "directory and no usable online, present or possible list", sysroot);
		return;
	}
	cli_error_errno(err, "cannot read the topology of '%s'", sysroot);
}

/*
 * The files the load skipped (lib/diag.c), each once: the output is still that of a sane
 * machine, so they are warnings, and a capture broken everywhere still prints a few lines.
 */
void cli_topo_problems(const struct np_topo *topo)
{
	unsigned int count = np_topo_problem_count(topo), shown = 0;
	struct np_problem p;

	for (; shown < CLI_PROBLEMS_SHOWN && np_topo_problem(topo, shown, &p) == 0; shown++) {
		if (p.kind == NP_PROBLEM_UNREADABLE)
			cli_warn("%s: %s: %s; ignored", p.path, p.reason, np_strerror(-p.error));
		else if (p.kind == NP_PROBLEM_TOO_LARGE)
			cli_warn("%s: larger than its cap of %zu bytes; ignored", p.path, p.limit);
		else
			cli_warn("%s: %s; ignored", p.path, p.reason);
	}
	if (count > shown)
		cli_warn("... and %u more problem%s", count - shown, count - shown == 1 ? "" : "s");
}

const char *cli_problem_kind(enum np_problem_kind kind)
{
	switch (kind) {
	case NP_PROBLEM_NOT_REGULAR:
		return "not-regular";
	case NP_PROBLEM_TOO_LARGE:
		return "too-large";
	case NP_PROBLEM_UNREADABLE:
		return "unreadable";
	case NP_PROBLEM_SYNTAX:
		return "syntax";
	case NP_PROBLEM_VALUE:
		return "value";
	}
	return "unknown";
}
