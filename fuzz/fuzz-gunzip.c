/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-gunzip.c - libFuzzer target for the gzip decoder of packed captures (cli/inflate.c,
 * compiled in): any bytes decode within the bomb limit or fail with a documented code, leaving
 * the outputs untouched and nothing allocated; members built from the input round-trip.
 *
 * Terminology:
 *  input     the fuzzer's bytes, decoded as they are (a gzip member or not).
 *  built     a gzip member this target writes around the input: a header with the optional
 *            fields its first byte picks, then stored blocks and fixed-Huffman blocks (literals
 *            and matches found by a small greedy search), then the CRC-32 and length.
 *  prefix    the built member cut short: always -ENODATA, never a success.
 *
 * Invariants: a success has *retlen <= the limit of inflate.h (CLI_INFLATE_RATIO x input,
 * CLI_INFLATE_FLOOR, CLI_ARCHIVE_MAX) and a buffer to free; a failure is -EINVAL, -ENODATA,
 * -EBADMSG, -EFBIG or -ENOMEM with the sentinels in place; a built member decodes to the bytes
 * it was built from, and a decoded input re-built decodes to the same bytes again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL ((unsigned char *)&sentinel)
static const unsigned char sentinel;

struct out {
	unsigned char *p;
	size_t len, cap;
	unsigned int bitbuf, bitcnt;
};

static void grow(struct out *o, size_t n)
{
	if (o->len + n <= o->cap)
		return;
	o->cap = (o->len + n) * 2;
	o->p = realloc(o->p, o->cap);
	check(o->p != NULL);
}

static void byte(struct out *o, unsigned int b)
{
	grow(o, 1);
	o->p[o->len++] = (unsigned char)b;
}

/* DEFLATE packs values from the least significant bit, Huffman codes from their first bit */
static void putbits(struct out *o, unsigned int v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		o->bitbuf |= (v >> i & 1) << o->bitcnt;
		if (++o->bitcnt == 8) {
			byte(o, o->bitbuf);
			o->bitbuf = o->bitcnt = 0;
		}
	}
}

static void putcode(struct out *o, unsigned int code, unsigned int n)
{
	while (n--)
		putbits(o, code >> n & 1, 1);
}

static void flush(struct out *o)
{
	if (o->bitcnt)
		byte(o, o->bitbuf);
	o->bitbuf = o->bitcnt = 0;
}

static uint32_t crc32_ref(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void fixed_literal(struct out *o, unsigned int sym)
{
	if (sym < 144)
		putcode(o, 0x30 + sym, 8);
	else if (sym < 256)
		putcode(o, 0x190 + sym - 144, 9);
	else if (sym < 280)
		putcode(o, sym - 256, 7);
	else
		putcode(o, 0xc0 + sym - 280, 8);
}

/* a length 3..258 and a distance 1..32768 in the fixed code, extra bits after each */
static void fixed_match(struct out *o, unsigned int len, unsigned int dist)
{
	static const unsigned short lbase[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
						31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
						227, 258 };
	static const unsigned short dbase[] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97,
						129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
						3073, 4097, 6145, 8193, 12289, 16385, 24577 };
	unsigned int l = 28, d = 29;

	while (lbase[l] > len)
		l--;
	while (dbase[d] > dist)
		d--;
	fixed_literal(o, 257 + l);
	if (l >= 8 && l < 28)
		putbits(o, len - lbase[l], (l - 4) / 4);
	putcode(o, d, 5);
	if (d >= 4)
		putbits(o, dist - dbase[d], (d - 2) / 2);
}

static unsigned int match_at(const uint8_t *d, size_t i, size_t n, unsigned int dist)
{
	unsigned int len = 0;

	if (dist > i)
		return 0;
	while (len < 258 && i + len < n && d[i + len] == d[i + len - dist])
		len++;
	return len;
}

static void block_fixed(struct out *o, const uint8_t *d, size_t n, int last)
{
	static const unsigned int dists[] = { 1, 2, 3, 4, 7, 8, 16, 100, 513, 4096, 32768 };

	putbits(o, (unsigned int)last, 1);
	putbits(o, 1, 2);
	for (size_t i = 0; i < n;) {
		unsigned int best = 0, bestd = 0;

		for (size_t k = 0; k < sizeof(dists) / sizeof(dists[0]) && best < 258; k++) {
			unsigned int len = match_at(d, i, n, dists[k]);

			if (len > best)
				best = len, bestd = dists[k];
		}
		if (best >= 3) {
			fixed_match(o, best, bestd);
			i += best;
		} else {
			fixed_literal(o, d[i++]);
		}
	}
	fixed_literal(o, 256);
}

static void block_stored(struct out *o, const uint8_t *d, size_t n, int last)
{
	putbits(o, (unsigned int)last, 1);
	putbits(o, 0, 2);
	flush(o);
	byte(o, n & 0xff), byte(o, n >> 8 & 0xff);
	byte(o, ~n & 0xff), byte(o, ~n >> 8 & 0xff);
	grow(o, n);
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

/* a header with the optional fields @flg asks for (FHCRC, FEXTRA, FNAME, FCOMMENT) */
static void header(struct out *o, unsigned int flg)
{
	static const unsigned char h[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

	for (int i = 0; i < 10; i++)
		byte(o, i == 3 ? flg & 0x1e : h[i]);
	if (flg & 4)
		byte(o, 3), byte(o, 0), byte(o, 'a'), byte(o, 'b'), byte(o, 'c');
	if (flg & 8)
		byte(o, 'n'), byte(o, 0);
	if (flg & 16)
		byte(o, 'c'), byte(o, 0);
	if (flg & 2)
		byte(o, 0x12), byte(o, 0x34);
}

/* @d in blocks whose sizes and kinds @seed picks (an empty block among them) */
static struct out build(const uint8_t *d, size_t n, unsigned int seed)
{
	struct out o = { 0 };
	size_t i = 0;
	uint32_t crc = crc32_ref(d, n);

	header(&o, seed);
	do {
		size_t chunk = (seed * 2654435761u >> 7) % 70000u;

		chunk = chunk > 65535 ? 0 : chunk; /* some blocks empty */
		chunk = chunk > n - i ? n - i : chunk;
		if (seed & 32)
			block_fixed(&o, d + i, chunk, i + chunk == n);
		else
			block_stored(&o, d + i, chunk, i + chunk == n);
		i += chunk;
		seed = seed * 1103515245u + 12345u;
	} while (i < n);
	flush(&o);
	for (int k = 0; k < 32; k += 8)
		byte(&o, crc >> k & 0xff);
	for (int k = 0; k < 32; k += 8)
		byte(&o, (uint32_t)n >> k & 0xff);
	return o;
}

static size_t limit_of(size_t inlen)
{
	size_t l = inlen > CLI_ARCHIVE_MAX / CLI_INFLATE_RATIO ? CLI_ARCHIVE_MAX
							       : inlen * CLI_INFLATE_RATIO;

	return l < CLI_INFLATE_FLOOR ? CLI_INFLATE_FLOOR : l;
}

/* one decode: the result and its invariants; the decoded bytes, or NULL */
static unsigned char *decode(const uint8_t *in, size_t n, size_t *len, int *rc)
{
	unsigned char *out = SENTINEL;
	size_t outlen = 12345;
	int r = cli_gunzip(in, n, &out, &outlen);

	if (rc)
		*rc = r;
	if (r < 0) {
		check(r == -EINVAL || r == -ENODATA || r == -EBADMSG || r == -EFBIG ||
		      r == -ENOMEM);
		check(out == SENTINEL && outlen == 12345);
		return NULL;
	}
	check(r == 0 && out != SENTINEL && out != NULL);
	check(outlen <= limit_of(n) && outlen <= CLI_ARCHIVE_MAX);
	*len = outlen;
	return out;
}

/* @d built into a member decodes back to @d; every strict prefix of it is truncated */
static void round_trip(const uint8_t *d, size_t n, unsigned int seed, size_t cut)
{
	struct out o = build(d, n, seed);
	unsigned char *back;
	size_t len = 0;
	int r;

	back = decode(o.p, o.len, &len, &r);
	check(back != NULL && len == n && (n == 0 || memcmp(back, d, n) == 0));
	free(back);
	cut %= o.len;
	check(decode(o.p, cut, &len, &r) == NULL && r == -ENODATA);
	free(o.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *out;
	size_t len = 0;

	out = decode(data, size, &len, NULL);
	if (out) {
		/* the first 16 KiB: the encoder's search is slow under the sanitizers */
		round_trip(out, len < 16384 ? len : 16384, size ? data[size - 1] : 0, size);
		free(out);
	}
	if (size >= 1)
		round_trip(data + 1, size - 1, data[0], size > 2 ? data[1] | data[2] << 8 : 0);
	return 0;
}
