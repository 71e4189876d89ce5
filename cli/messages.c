/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * messages.c - how the CLI speaks on stderr: "numaplace: <what failed> '<input>': <why>",
 * lowercase, no full stop (git CodingGuidelines, util-linux err()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
