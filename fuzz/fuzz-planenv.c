/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-planenv.c - libFuzzer target for the plan and ranks environment (lib/planenv.c):
 * NUMAPLACE_PLAN, NUMAPLACE_PLAN_MEM and NUMAPLACE_PLAN_SKIP decode or fail cleanly, and a
 * decoded plan encodes to text that decodes to the same plan.
 *
 * Terminology: "input" is the fuzzer's bytes; its first two bytes pick the set size (1..8192),
 * the rest is split at NUL bytes into the three variables' values (missing ones: unset).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct np__planenv *env, unsigned int nbits)
{
	struct np__planenv again;
	char *text;

	if (np__planenv_encode_places(env->n, (const struct np_cpuset *const *)env->cpus, env->node,
				      &text) < 0)
		return;
	if (np__planenv_decode(text, NULL, NULL, nbits, &again) < 0 || again.n != env->n)
		abort();
	for (unsigned int k = 0; k < env->n; k++)
		if (!np_cpuset_equal(env->cpus[k], again.cpus[k]) || env->node[k] != again.node[k])
			abort();
	np__planenv_release(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np__planenv env;
	char *buf, *vals[3] = { NULL, NULL, NULL };
	unsigned int nbits;
	size_t n = 0;

	if (size < 2)
		return 0;
	nbits = 1 + ((unsigned int)data[0] | (unsigned int)data[1] << 8) % 8192;
	buf = malloc(size - 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 2, size - 2);
	buf[size - 2] = 0;
	for (char *p = buf; n < 3 && p <= buf + size - 2; p += strlen(p) + 1)
		vals[n++] = p;
	if (vals[0] && np__planenv_decode(vals[0], vals[1], vals[2], nbits, &env) == 0) {
		round_trip(&env, nbits);
		np__planenv_release(&env);
	}
	free(buf);
	return 0;
}
