/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * version.c - the library's version and its error messages.
 *
 * Terminology: an "error" is the negative errno every function returns; np_strerror() gives
 * the parsers' codes their narrower meaning (kernel lib/bitmap-str.c uses the same three).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

const char *np_version(void)
{
	return NP_VERSION;
}

const char *np_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case EINVAL:
		return "invalid syntax";
	case ERANGE:
		return "out of range";
	case EOVERFLOW:
		return "number too large";
	default:
		return strerror(err);
	}
}
