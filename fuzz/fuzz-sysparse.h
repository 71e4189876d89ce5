/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-sysparse.h - what the targets of the sysfs value parsers (lib/sysparse.c) share: the
 * fuzzer's bytes as a value's text, and the check of a number parser against np__parse_ll.
 *
 * Terminology: "input" is the fuzzer's byte buffer, up to 1 MiB; its first @skip bytes pick
 * what is parsed (an attribute, a set size), the rest up to the first NUL is the "text".
 * "sentinel" is an output's value before the call, which a failure must leave as it was.
 */
#ifndef NP_FUZZ_SYSPARSE_H
#define NP_FUZZ_SYSPARSE_H

#include <limits.h>
#include <stdio.h>

#include "fuzz-common.h"
#include "sysparse.h"

#define SENTINEL 0x5a5a5a5a

/*
 * A parser of a number in @min..@max gave @r and @got (@touched: the output changed): it must
 * agree with np__parse_ll on the same text, with -EDOM for a number out of the range.
 */
static inline void fuzz_check_ranged(const char *text, int r, long long got, bool touched,
				     long long min, long long max)
{
	long long v = SENTINEL;
	int rl = np__parse_ll(text, &v);

	if (rl < 0) {
		check(r == rl && !touched);
		return;
	}
	if (v < min || v > max) {
		check(r == -EDOM && !touched);
		return;
	}
	check(r == 0 && got == v);
}

/* Whether @text is digits alone ("canonical": no sign, blank, base prefix or leading 0). */
static inline bool fuzz_canonical(const char *text)
{
	size_t n = strspn(text, "0123456789");

	return n > 0 && !text[n] && (text[0] != '0' || n == 1);
}

/* The value of a string of digits, saturated at ULLONG_MAX. */
static inline unsigned long long fuzz_digits(const char *text, size_t n)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned int d = (unsigned int)(text[i] - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return ULLONG_MAX;
		v = v * 10 + d;
	}
	return v;
}

#endif /* NP_FUZZ_SYSPARSE_H */
