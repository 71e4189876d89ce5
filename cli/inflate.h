/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * inflate.h - gzip decoding in memory (cli/inflate.c), for packed captures (cli/sysroot-tgz.c).
 */
#ifndef NP_CLI_INFLATE_H
#define NP_CLI_INFLATE_H

#include <stddef.h>

/* the largest archive read and the largest tar inflated from it: a capture is a few MiB */
#define CLI_ARCHIVE_MAX (1024u << 20)

/*
 * cli_gunzip() - decode the one gzip member @in of @inlen bytes.
 * @ret: on success a malloc'd buffer of *@retlen bytes the caller frees.
 * Return: 0; -EINVAL not gzip, a corrupt or truncated stream, a wrong CRC-32 or length;
 * -EFBIG over CLI_ARCHIVE_MAX decoded; -ENOMEM.  @ret and @retlen are untouched on failure.
 */
int cli_gunzip(const unsigned char *in, size_t inlen, unsigned char **ret, size_t *retlen);

#endif /* NP_CLI_INFLATE_H */
