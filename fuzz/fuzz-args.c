/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-args.c - libFuzzer target for the CLI's value parsers (cli/args.c, compiled in): sizes,
 * counts, durations, PIDs and ranks.  Any text is accepted with a value in range or refused
 * with the usage code; sizes never wrap.
 *
 * Terminology: "input" is the fuzzer's bytes; the first picks the parser, the rest (to the
 * first NUL) is the text.  The CLI's message functions are stubbed: only return codes count.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *program_name = "numaplace";

void cli_error(const char *fmt, ...)
{
	(void)fmt;
}

void cli_error_errno(int err, const char *fmt, ...)
{
	(void)err;
	(void)fmt;
}

int cli_usage(const char *fmt, ...)
{
	(void)fmt;
	return CLI_USAGE;
}

static void check_size(const char *s, bool zero)
{
	unsigned long long v = 12345, digits;
	int r = cli_parse_size("SIZE", s, zero, &v);

	if (r != 0) {
		if (r != CLI_USAGE || v != 12345)
			abort();
		return;
	}
	if (!zero && v == 0)
		abort();
	/* no wrap: the value is at least the number written (a suffix only multiplies) */
	digits = strtoull(s, NULL, 10);
	if (v < digits)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long long u;
	unsigned int rank, nranks;
	double d;
	pid_t pid;
	char *s;

	if (size < 1)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	switch (data[0] % 5) {
	case 0:
		check_size(s, data[0] & 8);
		break;
	case 1:
		if (cli_parse_count("N", s, 1, 4096, &u) == 0 && (u < 1 || u > 4096))
			abort();
		break;
	case 2:
		if (cli_parse_duration("T", s, &d) == 0 && !(d >= 0))
			abort();
		break;
	case 3:
		if (cli_parse_pid("pid", s, &pid) == 0 && pid <= 0)
			abort();
		break;
	default:
		if (cli_parse_ranks("ranks", s, &rank, &nranks) == 0 && rank >= nranks)
			abort();
		break;
	}
	free(s);
	return 0;
}
