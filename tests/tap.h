/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tap.h - a small TAP emitter for the C unit tests (header only).
 *
 * plan(n) or no_plan() + done_testing(); ok(cond, fmt, ...); is_int(got, want, name);
 * is_str(got, want, name); skip(n, reason); bail_out(reason); diag(fmt, ...).
 * exit_status() is what main() returns: 0 when every test passed and the plan held.
 */
#ifndef NP_TAP_H
#define NP_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run, tap_failed, tap_planned = -1;

__attribute__((unused)) static void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

__attribute__((unused, format(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

__attribute__((unused, format(printf, 2, 3))) static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...)                                                               \
	do {                                                                                 \
		long long is_g_ = (long long)(got), is_w_ = (long long)(want);              \
		if (!ok(is_g_ == is_w_, __VA_ARGS__))                                        \
			diag("  got: %lld, expected: %lld", is_g_, is_w_);                  \
	} while (0)

#define is_str(got, want, ...)                                                               \
	do {                                                                                 \
		const char *is_g_ = (got), *is_w_ = (want);                                  \
		if (!ok(is_g_ && is_w_ ? strcmp(is_g_, is_w_) == 0 : is_g_ == is_w_,         \
			__VA_ARGS__))                                                        \
			diag("  got: '%s', expected: '%s'", is_g_ ? is_g_ : "(null)",       \
			     is_w_ ? is_w_ : "(null)");                                      \
	} while (0)

__attribute__((unused)) static void skip(int n, const char *reason)
{
	while (n-- > 0) {
		tap_run++;
		printf("ok %d # SKIP %s\n", tap_run, reason);
	}
	fflush(stdout);
}

__attribute__((unused)) static void skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	fflush(stdout);
	exit(0);
}

__attribute__((unused, noreturn)) static void bail_out(const char *reason)
{
	printf("Bail out! %s\n", reason);
	fflush(stdout);
	exit(255);
}

__attribute__((unused)) static void done_testing(void)
{
	if (tap_planned < 0) {
		tap_planned = tap_run;
		printf("1..%d\n", tap_run);
	}
	fflush(stdout);
}

__attribute__((unused)) static int exit_status(void)
{
	if (tap_planned >= 0 && tap_planned != tap_run)
		diag("planned %d tests but ran %d", tap_planned, tap_run);
	return tap_failed || (tap_planned >= 0 && tap_planned != tap_run) ? 1 : 0;
}

#endif /* NP_TAP_H */
