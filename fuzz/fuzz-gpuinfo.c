/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-gpuinfo.c - libFuzzer target for the NVIDIA driver's GPU information file
 * (np__nvidia_uuid(), lib/rankdev.c), called on the bytes directly, without a file.
 *
 * Terminology: "input" is the fuzzer's bytes, proc/driver/nvidia/gpus/ADDR/information up to
 * its first NUL; "UUID line" a line that starts "GPU UUID:"; "value" its text after the colon
 * with the blanks at both ends cut.
 *
 * Invariants: a value found is non-empty, inside the text, on one line that starts
 * "GPU UUID:" with only blanks (' ', '\t', '\r') between the colon and the value, and has no blank at either
 * end; none found means no UUID line has anything but blanks after its colon.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

#define KEY "GPU UUID:"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void check_found(const char *text, const char *v, size_t len)
{
	const char *line = v;

	check(v > text && len > 0 && v + len <= text + strlen(text));
	check(memchr(v, '\n', len) == NULL && !blank(v[0]) && !blank(v[len - 1]));
	while (line > text && line[-1] != '\n')
		line--;
	check(strncmp(line, KEY, strlen(KEY)) == 0);
	for (const char *p = line + strlen(KEY); p < v; p++)
		check(blank(*p));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size, 0);
	const char *v;
	size_t len = 0;

	v = np__nvidia_uuid(text, &len);
	if (v) {
		check_found(text, v, len);
	} else {
		for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
			if (strncmp(l, KEY, strlen(KEY)) != 0)
				continue;
			for (const char *p = l + strlen(KEY); *p && *p != '\n'; p++)
				check(blank(*p));
		}
	}
	free(text);
	return 0;
}
