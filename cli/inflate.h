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
 * The decompression-bomb guard: a member inflates to at most CLI_INFLATE_RATIO times its size,
 * or CLI_INFLATE_FLOOR, whichever is larger (and never past CLI_ARCHIVE_MAX).  DEFLATE reaches
 * 1032:1 on a run of zeros; captures compress about 50:1 (a tar of 20,000 two-byte files, 150:1).
 */
#define CLI_INFLATE_RATIO 256u
#define CLI_INFLATE_FLOOR (64u << 20)

/*
 * cli_gunzip() - decode the one gzip member @in of @inlen bytes.
 * @ret: on success a malloc'd buffer of *@retlen bytes the caller frees.
 * Return: 0; -EINVAL not gzip (no magic, or a method other than DEFLATE); -ENODATA the input
 * ends before the member does (truncated); -EBADMSG corrupt: a reserved flag, an invalid code
 * or distance, a wrong CRC-32 or length; -EFBIG more than the limit above decoded; -ENOMEM.
 * @ret and @retlen are untouched on failure; an empty member gives a buffer of length 0.
 */
int cli_gunzip(const unsigned char *in, size_t inlen, unsigned char **ret, size_t *retlen);

#endif /* NP_CLI_INFLATE_H */
