/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-distance.c - libFuzzer target for the parser of a node's distance row
 * (np__parse_distances).
 *
 * Terminology: see fuzz-sysparse.h.  The first two bytes give the row's room, 0..1024 entries
 * (as the reader's, of 1024); the rest is the row's text.
 *
 * Invariants: the result is a count within the room or -EDOM; a failure leaves the whole row
 * and the rest flag untouched, and a success only its first count entries, each a distance in
 * 0..255.  The entries written out ("%d " each) parse back to the same count and entries, with
 * no rest; a row with room left over ends where the text has no more number.  The rest flag
 * says whether anything but blanks follows the count-th number.
 */
#include "fuzz-sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOM 1024

/*
 * What follows the @r numbers of a row parsed from @text: no other number when the row had
 * room left, and something but blanks exactly when the parser said @rest.
 */
static void after_row(const char *text, int r, unsigned int max, bool rest)
{
	const char *t = text;
	char *end;

	for (int i = 0; i < r; i++, t = end)
		(void)strtol(t, &end, 10);
	check(rest == (t[strspn(t, " \t\n")] != '\0'));
	if ((unsigned int)r < max) {
		(void)strtol(t, &end, 10);
		check(end == t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int again[ROOM];
	static unsigned char sentinel[ROOM * sizeof(int)];
	char *text = fuzz_text(data, size, 2), *out, *p;
	unsigned int max, used;
	int *row, r;
	bool rest = true, rest2 = true;

	if (!text)
		return 0;
	max = ((unsigned int)data[0] | (unsigned int)data[1] << 8) % (ROOM + 1);
	/* exactly @max entries on the heap: ASan catches a write past the room */
	if (!sentinel[0])
		memset(sentinel, 0xa5, sizeof(sentinel));
	row = malloc(max * sizeof(*row) + 1);
	check(row != NULL);
	memset(row, 0xa5, max * sizeof(*row));
	/* 0xa5 in a bool: a failure must leave it, a success write true or false */
	memset(&rest, 0xa5, sizeof(rest));
	r = np__parse_distances(text, row, max, &rest);
	check(r == -EDOM || (r >= 0 && (unsigned int)r <= max));
	check(r < 0 ? memcmp(&rest, sentinel, sizeof(rest)) == 0 : (rest == true || rest == false));
	used = r < 0 ? 0 : (unsigned int)r;
	check(memcmp(row + used, sentinel, (max - used) * sizeof(*row)) == 0);
	if (r < 0) {
		free(row);
		free(text);
		return 0;
	}
	out = malloc((size_t)r * 4 + 1);
	check(out != NULL);
	p = out;
	for (int i = 0; i < r; i++) {
		int d = row[i];

		check(d >= 0 && d <= NP__MAX_DISTANCE);
		/* "%d " by hand: sprintf would cost more than the parse */
		if (d >= 100)
			*p++ = (char)('0' + d / 100);
		if (d >= 10)
			*p++ = (char)('0' + d / 10 % 10);
		*p++ = (char)('0' + d % 10);
		*p++ = ' ';
	}
	*p = 0;
	check(np__parse_distances(out, again, max, &rest2) == r && !rest2);
	check(memcmp(row, again, (size_t)r * sizeof(*row)) == 0);
	after_row(text, r, max, rest);
	free(out);
	free(row);
	free(text);
	return 0;
}
