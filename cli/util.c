/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * util.c - small option parsers that several verbs share, so the same option reads the same
 * way (and fails with the same message) wherever it appears.
 *
 * Terminology: a "choice" is an enum option's value, read by a library *_parse() function
 * that returns the value or a negative errno; a "worker count" is a plan's number of workers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_choice(int (*parse)(const char *), const char *opt, const char *val, const char *choices,
	       int *ret)
{
	int v = parse(val);

	if (v < 0)
		return cli_usage("invalid %s '%s': expected one of %s", opt, val, choices);
	*ret = v;
	return 0;
}

int cli_parse_workers(const char *s, unsigned int *ret)
{
	char *end;
	unsigned long v;

	/* strtoul would accept leading blanks and a sign */
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v == 0 || v > CLI_MAX_WORKERS)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

int cli_bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return cli_usage("option '%s' needs an argument", arg);
	/* optopt is 0 for an unknown long option; "-x" names the short one */
	if (optopt && strncmp(arg, "--", 2) != 0)
		return cli_usage("unknown option '-%c'", optopt);
	return cli_usage("unknown option '%s'", arg);
}
