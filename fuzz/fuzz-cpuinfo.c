/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cpuinfo.c - libFuzzer target for the CPU model's name in proc/cpuinfo
 * (np__cpuinfo_model(), lib/cpuinfo.c), called on the bytes directly, without a file.
 *
 * Terminology: "input" is the fuzzer's bytes, the whole cpuinfo text up to its first NUL;
 * "key" one of the architectures' names for the model ("model name" on x86, "cpu" on POWER,
 * "Processor" on old ARM, "uarch" on RISC-V); "value" what follows "key<blanks>:<white space>".
 *
 * Invariants: a name found is a non-empty run of one line, inside the text, with no blank at
 * either end, and that line starts with a key, blanks, ':' and blanks up to the name; no name
 * found means no line of the text has a key with a non-blank value.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = { "model name", "cpu", "Processor", "uarch" };

/* Where the value of @key on the line at @l starts, or NULL when the line is another's. */
static const char *value_of(const char *l, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(l, key, n) != 0)
		return NULL;
	l += n + strspn(l + n, " \t");
	if (*l != ':')
		return NULL;
	for (l++; *l != '\n' && isspace((unsigned char)*l); l++)
		;
	return l;
}

/* Has the line at @l a key with a value that is not only blanks? */
static bool line_has_name(const char *l)
{
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *v = value_of(l, keys[k]);

		for (; v && *v && *v != '\n'; v++)
			if (!isspace((unsigned char)*v))
				return true;
	}
	return false;
}

static void check_found(const char *text, const char *v, size_t len)
{
	const char *line = v;
	bool keyed = false;

	check(v >= text && len > 0 && v + len <= text + strlen(text));
	check(memchr(v, '\n', len) == NULL);
	check(!isspace((unsigned char)v[0]) && !isspace((unsigned char)v[len - 1]));
	while (line > text && line[-1] != '\n')
		line--;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		keyed |= value_of(line, keys[k]) == v;
	check(keyed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 0);
	const char *v;
	size_t len = 0;

	v = np__cpuinfo_model(text, &len);
	if (v) {
		check_found(text, v, len);
	} else {
		for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			check(!line_has_name(l));
	}
	free(text);
	return 0;
}
