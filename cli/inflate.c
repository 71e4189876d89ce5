/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * inflate.c - a gzip member decoded in memory (RFC 1952 around RFC 1951 DEFLATE), without
 * zlib: what `--sysroot capture.tar.gz` (cli/sysroot-tgz.c) needs, and no more.
 *
 * Terminology:
 *  member    the gzip stream (RFC 1952): a header, DEFLATE data, then CRC-32 and ISIZE.
 *  block     a DEFLATE block (RFC 1951): stored, fixed Huffman codes or dynamic codes.
 *  code      a canonical Huffman code, kept as the count of codes of each length and the
 *            symbols in code order; a symbol is decoded one bit at a time (puff's method).
 *
 * The output grows by doubling up to CLI_ARCHIVE_MAX; the member's CRC-32 and length are
 * checked before the caller sees a byte of it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"

#define MAXBITS 15

struct inflate {
	const unsigned char *in;
	size_t inlen, inpos;
	unsigned int bitbuf, bitcnt;
	unsigned char *out;
	size_t outlen, outcap;
};

struct huff {
	short count[MAXBITS + 1];
	short symbol[288];
};

static int bits(struct inflate *s, unsigned int need, unsigned int *ret)
{
	unsigned long v = s->bitbuf;

	while (s->bitcnt < need) {
		if (s->inpos >= s->inlen)
			return -EINVAL;
		v |= (unsigned long)s->in[s->inpos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	s->bitbuf = (unsigned int)(v >> need);
	s->bitcnt -= need;
	*ret = (unsigned int)(v & ((1UL << need) - 1));
	return 0;
}

static int put(struct inflate *s, unsigned char c)
{
	if (s->outlen == s->outcap) {
		size_t cap = s->outcap ? s->outcap * 2 : 1u << 20;
		unsigned char *p;

		if (cap > CLI_ARCHIVE_MAX)
			return -EFBIG;
		p = realloc(s->out, cap);
		if (!p)
			return -ENOMEM;
		s->out = p;
		s->outcap = cap;
	}
	s->out[s->outlen++] = c;
	return 0;
}

/* a canonical code from code lengths; an over-subscribed set is an error */
static int huff_build(struct huff *h, const unsigned char *length, unsigned int n)
{
	short offs[MAXBITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int i = 0; i < n; i++)
		h->count[length[i]]++;
	for (unsigned int len = 1; len <= MAXBITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -EINVAL;
	}
	offs[1] = 0;
	for (unsigned int len = 1; len < MAXBITS; len++)
		offs[len + 1] = (short)(offs[len] + h->count[len]);
	for (unsigned int i = 0; i < n; i++)
		if (length[i])
			h->symbol[offs[length[i]]++] = (short)i;
	return 0;
}

/* codes are read bit by bit from their first bit: the first code of each length is code - count */
static int decode(struct inflate *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;

	for (unsigned int len = 1; len <= MAXBITS; len++) {
		unsigned int b;
		int count = h->count[len];

		if (bits(s, 1, &b) < 0)
			return -EINVAL;
		code |= (int)b;
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -EINVAL;
}

static const short len_base[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35,
				  43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const short len_extra[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3,
				   3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const short dist_base[] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
				   257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
				   8193, 12289, 16385, 24577 };
static const short dist_extra[] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
				    9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int codes(struct inflate *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit), r;
		unsigned int e, len, d;

		if (sym < 0)
			return sym;
		if (sym < 256) {
			if ((r = put(s, (unsigned char)sym)) < 0)
				return r;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29 || bits(s, (unsigned int)len_extra[sym], &e) < 0)
			return -EINVAL;
		len = (unsigned int)len_base[sym] + e;
		sym = decode(s, dist);
		if (sym < 0 || sym >= 30 || bits(s, (unsigned int)dist_extra[sym], &e) < 0)
			return -EINVAL;
		d = (unsigned int)dist_base[sym] + e;
		if (d > s->outlen)
			return -EINVAL;
		while (len--)
			if ((r = put(s, s->out[s->outlen - d])) < 0)
				return r;
	}
}

static int block_stored(struct inflate *s)
{
	unsigned int len, nlen;
	int r;

	s->bitbuf = 0;
	s->bitcnt = 0;
	if (s->inpos + 4 > s->inlen)
		return -EINVAL;
	len = s->in[s->inpos] | (unsigned int)s->in[s->inpos + 1] << 8;
	nlen = s->in[s->inpos + 2] | (unsigned int)s->in[s->inpos + 3] << 8;
	s->inpos += 4;
	if (len != (~nlen & 0xffffu) || s->inpos + len > s->inlen)
		return -EINVAL;
	while (len--)
		if ((r = put(s, s->in[s->inpos++])) < 0)
			return r;
	return 0;
}

static int block_fixed(struct inflate *s)
{
	unsigned char length[288 + 30];
	struct huff lit, dist;
	unsigned int i = 0;

	for (; i < 144; i++)
		length[i] = 8;
	for (; i < 256; i++)
		length[i] = 9;
	for (; i < 280; i++)
		length[i] = 7;
	for (; i < 288; i++)
		length[i] = 8;
	memset(length + 288, 5, 30);
	huff_build(&lit, length, 288);
	huff_build(&dist, length + 288, 30);
	return codes(s, &lit, &dist);
}

/* the code-length code, then the literal/length and distance code lengths it encodes */
static int block_dynamic(struct inflate *s)
{
	static const unsigned char order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3,
						 13, 2, 14, 1, 15 };
	unsigned char length[320] = { 0 };
	unsigned int nlen, ndist, ncode, v, i = 0;
	struct huff lencode, lit, dist;

	if (bits(s, 5, &nlen) < 0 || bits(s, 5, &ndist) < 0 || bits(s, 4, &ncode) < 0)
		return -EINVAL;
	nlen += 257, ndist += 1, ncode += 4;
	if (nlen > 286 || ndist > 30)
		return -EINVAL;
	for (unsigned int k = 0; k < ncode; k++) {
		if (bits(s, 3, &v) < 0)
			return -EINVAL;
		length[order[k]] = (unsigned char)v;
	}
	if (huff_build(&lencode, length, 19) < 0)
		return -EINVAL;
	memset(length, 0, sizeof(length));
	while (i < nlen + ndist) {
		int sym = decode(s, &lencode);
		unsigned int rep, fill = 0;

		if (sym < 0)
			return -EINVAL;
		if (sym < 16) {
			length[i++] = (unsigned char)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0 || bits(s, 2, &rep) < 0)
				return -EINVAL;
			fill = length[i - 1], rep += 3;
		} else if (sym == 17) {
			if (bits(s, 3, &rep) < 0)
				return -EINVAL;
			rep += 3;
		} else {
			if (bits(s, 7, &rep) < 0)
				return -EINVAL;
			rep += 11;
		}
		if (i + rep > nlen + ndist)
			return -EINVAL;
		while (rep--)
			length[i++] = (unsigned char)fill;
	}
	if (huff_build(&lit, length, nlen) < 0 || huff_build(&dist, length + nlen, ndist) < 0)
		return -EINVAL;
	return codes(s, &lit, &dist);
}

/* CRC-32 (IEEE, reflected), as the gzip trailer carries it */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* skips the gzip header; then every block until the last one; then checks CRC-32 and ISIZE */
int cli_gunzip(const unsigned char *in, size_t inlen, unsigned char **ret, size_t *retlen)
{
	struct inflate s = { .in = in, .inlen = inlen };
	unsigned int last = 0, type, flg;
	size_t p = 10;
	int r = 0;

	if (inlen < 18 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
		return -EINVAL;
	flg = in[3];
	if (flg & 4)
		p += 2 + (in[10] | (size_t)in[11] << 8);
	for (unsigned int f = 8; f <= 16; f <<= 1)
		if (flg & f)
			while (p < inlen && in[p++])
				;
	if (flg & 2)
		p += 2;
	if (p >= inlen)
		return -EINVAL;
	s.inpos = p;
	while (!last && r == 0) {
		if (bits(&s, 1, &last) < 0 || bits(&s, 2, &type) < 0)
			r = -EINVAL;
		else if (type == 0)
			r = block_stored(&s);
		else if (type == 1)
			r = block_fixed(&s);
		else if (type == 2)
			r = block_dynamic(&s);
		else
			r = -EINVAL;
	}
	/* the trailer follows the last block, at the next byte boundary */
	if (r == 0 && (s.inpos + 8 > inlen || le32(in + s.inpos) != crc32_of(s.out, s.outlen) ||
		       le32(in + s.inpos + 4) != (uint32_t)s.outlen))
		r = -EINVAL;
	if (r < 0) {
		free(s.out);
		return r;
	}
	*ret = s.out;
	*retlen = s.outlen;
	return 0;
}
