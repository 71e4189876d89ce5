/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * args.c - the value parsers of the CLI layer: sizes (one grammar), counts, file modes,
 * durations, PIDs and MPI local ranks, each with one message naming the option and the bad
 * value (util-linux strutils.h).  Each writes its result only on success.
 *
 * Terminology:
 *  what      how the value is named in the message: "--length", "pid", "number of workers".
 *  size      digits, then an optional binary suffix k, m, g, t or p (KiB...PiB), which may be
 *            followed by "iB" or "B", in any case: 64m, 64M, 64MB, 64MiB are 64 << 20 bytes.
 *  duration  a decimal number of seconds, or one with a unit: us, ms, s, m, h.
 *  ranks     "auto" (the launcher's environment, np_local_rank()) or "R/N": local rank R of N.
 *  launcher variables  the environment variables np_local_rank() reads, listed once here
 *            for messages; tests/unit/t-args.c checks the library reads each of them.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* the kernel's PID_MAX_LIMIT on 64-bit: no pid is above it, whatever pid_max says */
#define CLI_PID_MAX 4194304

const char *const cli_launcher_vars[] = {
	"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "PMI_LOCAL_RANK", "PALS_LOCAL_RANKID",
	"SLURM_LOCALID", "LOCAL_RANK", NULL,
};

/* decimal digits only (strtoull takes blanks, signs and 0x); -EOVERFLOW past 2^64 - 1 */
static int digits(const char *s, const char **end, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return -EOVERFLOW;
		v = v * 10 + d;
	}
	*end = s;
	*ret = v;
	return 0;
}

/* "k" -> 10 (a shift), "" -> 0; -EINVAL for anything else */
static int size_shift(const char *s)
{
	static const char units[] = "kmgtp";
	const char *u;

	if (!*s)
		return 0;
	u = strchr(units, tolower((unsigned char)*s));
	if (!u)
		return -EINVAL;
	s++;
	if (*s && strcasecmp(s, "b") != 0 && strcasecmp(s, "ib") != 0)
		return -EINVAL;
	return 10 * (int)(u - units + 1);
}

int cli_parse_size(const char *what, const char *s, bool allow_zero, unsigned long long *ret)
{
	unsigned long long v;
	const char *end;
	int e, shift;

	e = digits(s, &end, &v);
	shift = e < 0 ? e : size_shift(end);
	if (e == -EOVERFLOW || (shift > 0 && v > (ULLONG_MAX >> shift)))
		return cli_usage("invalid %s '%s': too large", what, s);
	if (e < 0 || shift < 0)
		return cli_usage("invalid %s '%s': expected a size in bytes, optionally with a k, m, g, "
				 "t or p suffix (such as 64m)", what, s);
	if (v == 0 && !allow_zero)
		return cli_usage("invalid %s '%s': expected a size above 0", what, s);
	*ret = v << shift;
	return 0;
}

int cli_parse_count(const char *what, const char *s, unsigned long long min,
		    unsigned long long max, unsigned long long *ret)
{
	unsigned long long v;
	const char *end;

	if (digits(s, &end, &v) < 0 || *end || v < min || v > max)
		return cli_usage("invalid %s '%s': expected a number from %llu to %llu", what, s, min,
				 max);
	*ret = v;
	return 0;
}

int cli_parse_hex(const char *what, const char *s, unsigned long long *ret)
{
	const char *p = strncasecmp(s, "0x", 2) == 0 ? s + 2 : s;
	unsigned long long v = 0;
	size_t n = strspn(p, "0123456789abcdefABCDEF");

	if (n == 0 || p[n])
		return cli_usage("invalid %s '%s': expected a hexadecimal number, such as 0x1f", what,
				 s);
	/* leading zeros are no overflow: "0x00000000000000001" is 1 */
	while (*p == '0' && n > 1) {
		p++;
		n--;
	}
	if (n > 16)
		return cli_usage("invalid %s '%s': too large", what, s);
	for (; *p; p++)
		v = v << 4 | (unsigned long long)(isdigit((unsigned char)*p) ? *p - '0' :
						  tolower((unsigned char)*p) - 'a' + 10);
	*ret = v;
	return 0;
}

int cli_parse_mode(const char *what, const char *s, mode_t *ret)
{
	unsigned long long v = 0;
	const char *p = s;

	/* octal digits only: strtoul would take blanks, a sign and "0x" */
	for (; *p >= '0' && *p <= '7' && v <= 07777; p++)
		v = v * 8 + (unsigned int)(*p - '0');
	if (p == s || *p || v > 07777)
		return cli_usage("invalid %s '%s': expected an octal mode from 0 to 07777", what, s);
	*ret = (mode_t)v;
	return 0;
}

int cli_parse_duration(const char *what, const char *s, double *ret)
{
	static const struct {
		const char *unit;
		double seconds;
	} units[] = { { "", 1 }, { "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { "m", 60 }, { "h", 3600 } };
	const char *p = s;
	char *end;
	double v;

	/* strtod alone would take blanks, signs, hex, exponents, inf and nan */
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.')
		p++;
	while (isdigit((unsigned char)*p))
		p++;
	if (p == s || (p == s + 1 && *s == '.'))
		goto bad;
	v = strtod(s, &end);
	if (end != p || !isfinite(v))
		goto bad;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].unit) == 0) {
			*ret = v * units[i].seconds;
			return 0;
		}
bad:
	return cli_usage("invalid %s '%s': expected seconds, or a number with a unit: us, ms, s, m "
			 "or h (such as 1.5s)", what, s);
}

int cli_parse_pid(const char *what, const char *s, pid_t *ret)
{
	unsigned long long v;
	const char *end;

	if (digits(s, &end, &v) < 0 || *end || v == 0 || v > CLI_PID_MAX)
		return cli_usage("invalid %s '%s': expected a process id, a number from 1 to %d", what,
				 s, CLI_PID_MAX);
	*ret = (pid_t)v;
	return 0;
}

/* the first launcher variable set, "NAME=VALUE", for a message */
static const char *launcher_var(char *buf, size_t size)
{
	for (size_t i = 0; cli_launcher_vars[i]; i++)
		if (getenv(cli_launcher_vars[i])) {
			snprintf(buf, size, "%s=%s", cli_launcher_vars[i], getenv(cli_launcher_vars[i]));
			return buf;
		}
	return "?";
}

static int ranks_auto(const char *what, unsigned int *rank, unsigned int *size)
{
	char list[512] = "", var[128];
	int e = np_local_rank(rank, size);

	if (e == -ENOENT) {
		for (size_t i = 0; cli_launcher_vars[i]; i++) {
			if (i)
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, cli_launcher_vars[i], sizeof(list) - strlen(list) - 1);
		}
		cli_error("invalid %s 'auto': no launcher variable found (%s); use %s R/N", what, list,
			  what);
	} else if (e == -EINVAL) {
		cli_error("invalid %s 'auto': the launcher's local rank and size do not give a rank "
			  "below the size (%s)", what, launcher_var(var, sizeof(var)));
	} else if (e < 0) {
		cli_error_errno(e, "cannot read the launcher's local rank");
	}
	return e;
}

int cli_parse_ranks(const char *what, const char *s, unsigned int *rank, unsigned int *size)
{
	unsigned long long r, n;
	const char *end;

	if (strcmp(s, "auto") == 0)
		return ranks_auto(what, rank, size);
	if (digits(s, &end, &r) < 0 || *end != '/' || digits(end + 1, &end, &n) < 0 || *end ||
	    n > INT_MAX || r >= n)
		return cli_usage("invalid %s '%s': expected auto or R/N with R < N", what, s);
	*rank = (unsigned int)r;
	*size = (unsigned int)n;
	return 0;
}
