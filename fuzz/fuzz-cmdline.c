/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cmdline.c - libFuzzer target for the kernel command line's values
 * (np__cmdline_value(), lib/isolate-check.c), called on the bytes directly, without a file.
 *
 * Terminology: "input" is the fuzzer's bytes, proc/cmdline up to its first NUL; "word" a run
 * after the start or a blank; "key" isolcpus, nohz_full, rcu_nocbs or irqaffinity; "value"
 * what follows "key=" in the first word that starts with it, flags and all
 * ("managed_irq,domain,2-5").
 *
 * Invariants: a value found is the text after the first "key=" that starts a word, up to the
 * next blank or newline; none found means no word starts with "key=".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first word of @cmd that starts with "@key=", found another way: word by word. */
static const char *first_word(const char *cmd, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = cmd; *p; p++)
		if ((p == cmd || p[-1] == ' ') && strncmp(p, key, n) == 0 && p[n] == '=')
			return p;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "isolcpus", "nohz_full", "rcu_nocbs", "irqaffinity" };
	char *cmd = fuzz_text(data, size, 0);

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		char *v = np__cmdline_value(cmd, keys[k]);
		const char *w = first_word(cmd, keys[k]);

		check((v != NULL) == (w != NULL));
		if (!v)
			continue;
		w += strlen(keys[k]) + 1;
		check(strcspn(v, " \n") == strlen(v));
		check(strlen(v) == strcspn(w, " \n") && strncmp(v, w, strlen(v)) == 0);
		free(v);
	}
	free(cmd);
	return 0;
}
