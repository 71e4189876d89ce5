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
 * The output grows by doubling up to a limit that scales with the input (inflate_limit()):
 * a decompression bomb stops there, in well under a second, instead of filling memory; matches
 * and stored blocks are copied a block at a time and the CRC-32 uses a table, so a capture of
 * 15 MiB inflates in tens of milliseconds.  The member's CRC-32 and length are checked before
 * the caller sees a byte of it.
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
	size_t outlen, outcap, limit;
};

struct huff {
	short count[MAXBITS + 1];
	short symbol[288];
};

/* the input ending inside a block or before the trailer is a truncated member: -ENODATA */
static int bits(struct inflate *s, unsigned int need, unsigned int *ret)
{
	unsigned long v = s->bitbuf;

	while (s->bitcnt < need) {
		if (s->inpos >= s->inlen)
			return -ENODATA;
		v |= (unsigned long)s->in[s->inpos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	s->bitbuf = (unsigned int)(v >> need);
	s->bitcnt -= need;
	*ret = (unsigned int)(v & ((1UL << need) - 1));
	return 0;
}

/* room for @n more bytes: the buffer doubles from 64 KiB, never past s->limit */
static int reserve(struct inflate *s, size_t n)
{
	size_t cap = s->outcap ? s->outcap : 65536;
	unsigned char *p;

	if (n > s->limit - s->outlen)
		return -EFBIG;
	if (s->outlen + n <= s->outcap)
		return 0;
	while (cap < s->outlen + n)
		cap = cap > s->limit / 2 ? s->limit : cap * 2;
	p = realloc(s->out, cap);
	if (!p)
		return -ENOMEM;
	s->out = p;
	s->outcap = cap;
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
			return -ENODATA;
		code |= (int)b;
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -EBADMSG; /* a code the (incomplete) set does not have */
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

/*
 * A match: with a distance shorter than its length it repeats its own output, so the copy
 * goes in chunks that double (d, 2d, 4d ... bytes from the same start), each without overlap.
 */
static int copy_match(struct inflate *s, unsigned int len, unsigned int d)
{
	unsigned char *to, *from;
	int r;

	if (d > s->outlen)
		return -EBADMSG;
	if ((r = reserve(s, len)) < 0)
		return r;
	to = s->out + s->outlen;
	from = to - d;
	s->outlen += len;
	while (len) {
		size_t n = (size_t)(to - from) < len ? (size_t)(to - from) : len;

		memcpy(to, from, n);
		to += n;
		len -= (unsigned int)n;
	}
	return 0;
}

static int codes(struct inflate *s, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = decode(s, lit), r;
		unsigned int e, len;

		if (sym < 0)
			return sym;
		if (sym < 256) {
			if ((r = reserve(s, 1)) < 0)
				return r;
			s->out[s->outlen++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -EBADMSG;
		if ((r = bits(s, (unsigned int)len_extra[sym], &e)) < 0)
			return r;
		len = (unsigned int)len_base[sym] + e;
		sym = decode(s, dist);
		if (sym < 0)
			return sym;
		if (sym >= 30)
			return -EBADMSG;
		if ((r = bits(s, (unsigned int)dist_extra[sym], &e)) < 0)
			return r;
		if ((r = copy_match(s, len, (unsigned int)dist_base[sym] + e)) < 0)
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
		return -ENODATA;
	len = s->in[s->inpos] | (unsigned int)s->in[s->inpos + 1] << 8;
	nlen = s->in[s->inpos + 2] | (unsigned int)s->in[s->inpos + 3] << 8;
	s->inpos += 4;
	if (len != (~nlen & 0xffffu))
		return -EBADMSG;
	if (len > s->inlen - s->inpos)
		return -ENODATA;
	if (len == 0) /* an empty stored block flushes a compressor's output: nothing to copy */
		return 0;
	if ((r = reserve(s, len)) < 0)
		return r;
	memcpy(s->out + s->outlen, s->in + s->inpos, len);
	s->outlen += len;
	s->inpos += len;
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

/* a run of code lengths (symbols 16, 17, 18): the last length again, or zeros */
static int length_run(struct inflate *s, int sym, unsigned char *length, unsigned int *i,
		      unsigned int n)
{
	unsigned int rep, fill = 0;
	int r;

	if (sym == 16) {
		if (*i == 0)
			return -EBADMSG;
		if ((r = bits(s, 2, &rep)) < 0)
			return r;
		fill = length[*i - 1], rep += 3;
	} else if ((r = bits(s, sym == 17 ? 3 : 7, &rep)) < 0) {
		return r;
	} else {
		rep += sym == 17 ? 3 : 11;
	}
	if (*i + rep > n)
		return -EBADMSG;
	while (rep--)
		length[(*i)++] = (unsigned char)fill;
	return 0;
}

/* the code-length code, then the literal/length and distance code lengths it encodes */
static int block_dynamic(struct inflate *s)
{
	static const unsigned char order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3,
						 13, 2, 14, 1, 15 };
	unsigned char length[320] = { 0 };
	unsigned int nlen, ndist, ncode, v, i = 0;
	struct huff lencode, lit, dist;
	int r;

	if ((r = bits(s, 5, &nlen)) < 0 || (r = bits(s, 5, &ndist)) < 0 ||
	    (r = bits(s, 4, &ncode)) < 0)
		return r;
	nlen += 257, ndist += 1, ncode += 4;
	if (nlen > 286 || ndist > 30)
		return -EBADMSG;
	for (unsigned int k = 0; k < ncode; k++) {
		if ((r = bits(s, 3, &v)) < 0)
			return r;
		length[order[k]] = (unsigned char)v;
	}
	if (huff_build(&lencode, length, 19) < 0)
		return -EBADMSG;
	memset(length, 0, sizeof(length));
	while (i < nlen + ndist) {
		int sym = decode(s, &lencode);

		if (sym < 0)
			return sym;
		if (sym < 16)
			length[i++] = (unsigned char)sym;
		else if ((r = length_run(s, sym, length, &i, nlen + ndist)) < 0)
			return r;
	}
	if (huff_build(&lit, length, nlen) < 0 || huff_build(&dist, length + nlen, ndist) < 0)
		return -EBADMSG;
	return codes(s, &lit, &dist);
}

/* CRC-32 (IEEE, reflected), as the gzip trailer carries it, a byte at a time from a table */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c = 0xffffffffu;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t t = i;

			for (int k = 0; k < 8; k++)
				t = t >> 1 ^ (0xedb88320u & (0u - (t & 1)));
			table[i] = t;
		}
	while (n--)
		c = table[(c ^ *p++) & 0xff] ^ c >> 8;
	return ~c;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* where the DEFLATE data starts, after the optional fields that FLG announces; 0 if none */
static size_t gzip_header(const unsigned char *in, size_t inlen)
{
	unsigned int flg = in[3];
	size_t p = 10;

	if (flg & 0xe0) /* reserved: RFC 1952 says to refuse the member */
		return 0;
	if (flg & 4)
		p += 2 + (in[10] | (size_t)in[11] << 8);
	for (unsigned int f = 8; f <= 16; f <<= 1)
		if (flg & f)
			while (p < inlen && in[p++])
				;
	if (flg & 2)
		p += 2;
	return p < inlen ? p : 0;
}

/* DEFLATE reaches 1032:1; past CLI_INFLATE_RATIO:1 (and the floor) the member is a bomb */
static size_t inflate_limit(size_t inlen)
{
	if (inlen > CLI_ARCHIVE_MAX / CLI_INFLATE_RATIO)
		return CLI_ARCHIVE_MAX;
	return inlen * CLI_INFLATE_RATIO > CLI_INFLATE_FLOOR ? inlen * CLI_INFLATE_RATIO
							     : CLI_INFLATE_FLOOR;
}

/* every block until the last one, then the CRC-32 and ISIZE at the next byte boundary */
static int inflate_member(struct inflate *s)
{
	unsigned int last = 0, type;
	int r = 0;

	while (!last && r == 0) {
		if ((r = bits(s, 1, &last)) < 0 || (r = bits(s, 2, &type)) < 0)
			break;
		if (type == 0)
			r = block_stored(s);
		else if (type == 1)
			r = block_fixed(s);
		else if (type == 2)
			r = block_dynamic(s);
		else
			r = -EBADMSG;
	}
	if (r < 0)
		return r;
	if (s->inlen - s->inpos < 8)
		return -ENODATA;
	if (le32(s->in + s->inpos) != crc32_of(s->out, s->outlen) ||
	    le32(s->in + s->inpos + 4) != (uint32_t)s->outlen)
		return -EBADMSG;
	return 0;
}

int cli_gunzip(const unsigned char *in, size_t inlen, unsigned char **ret, size_t *retlen)
{
	static const unsigned char magic[3] = { 0x1f, 0x8b, 8 };
	struct inflate s = { .in = in, .inlen = inlen, .limit = inflate_limit(inlen) };
	int r;

	/* a start of the magic is a member cut short; 18 bytes are the least a member has */
	if (inlen && memcmp(in, magic, inlen < 3 ? inlen : 3) != 0)
		return -EINVAL;
	if (inlen < 18)
		return -ENODATA;
	if (!(s.inpos = gzip_header(in, inlen)))
		return in[3] & 0xe0 ? -EBADMSG : -ENODATA;
	r = inflate_member(&s);
	if (r < 0) {
		free(s.out);
		return r;
	}
	if (!s.out && !(s.out = malloc(1))) /* an empty member: still a buffer to free */
		return -ENOMEM;
	*ret = s.out;
	*retlen = s.outlen;
	return 0;
}
