/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * planenv.c - the one codec of the plan environment: what `numaplace run --plan` hands the
 * preload library, written here and read back here, so the syntax lives in one file.
 *
 * Terminology:
 *  places    NUMAPLACE_PLAN: "CPUS@NODE;CPUS@NODE;...", worker k's CPU list and its NUMA node,
 *            -1 when the worker spans several ("@NODE" may be left out: -1).
 *  mem       NUMAPLACE_PLAN_MEM: local (unset), node or none (enum np_plan_mem).
 *  skip      NUMAPLACE_PLAN_SKIP: a hex mask, "0x" optional, over created threads in creation
 *            order (bit 0: the first pthread_create); unset means 0.
 *
 * Decoding is strict (a plan the library misreads would pin threads where nobody asked) and
 * overflow-safe: numbers are read digit by digit against their bound, never with atoi().
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ENV_PLACES "NUMAPLACE_PLAN"
#define ENV_MEM "NUMAPLACE_PLAN_MEM"
#define ENV_SKIP "NUMAPLACE_PLAN_SKIP"

static const char *const mem_names[] = {
	[NP_PLAN_MEM_LOCAL] = "local", [NP_PLAN_MEM_NODE] = "node", [NP_PLAN_MEM_NONE] = "none",
};

const char *np_plan_mem_name(enum np_plan_mem mem)
{
	return (unsigned int)mem < NP_ARRAY_SIZE(mem_names) ? mem_names[mem] : NULL;
}

int np_plan_mem_parse(const char *name)
{
	for (size_t i = 0; name && i < NP_ARRAY_SIZE(mem_names); i++)
		if (strcmp(mem_names[i], name) == 0)
			return (int)i;
	return -EINVAL;
}

int np__planenv_encode_places(unsigned int n, const struct np_cpuset *const *cpus,
			      const int *node, char **ret)
{
	struct np__sbuf b = { 0 };

	/* every CPU by itself, no ranges: what plan -f preload has always printed */
	for (unsigned int i = 0; i < n; i++) {
		const char *sep = i ? ";" : "";

		np_cpuset_foreach(c, cpus[i]) {
			np__sbuf_add(&b, "%s%d", sep, c);
			sep = ",";
		}
		np__sbuf_add(&b, "@%d", node[i] >= 0 ? node[i] : -1);
	}
	return np__sbuf_finish(&b, ret);
}

/* "-1" or decimal digits up to INT_MAX, ending at @end */
static int decode_node(const char *s, const char *end, int *ret)
{
	long v = 0;

	if (end - s == 2 && s[0] == '-' && s[1] == '1') {
		*ret = -1;
		return 0;
	}
	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -EOVERFLOW;
	}
	*ret = (int)v;
	return 0;
}

/* one "CPUS@NODE" of @len bytes at @s into worker @i of @env */
static int decode_place(const char *s, size_t len, unsigned int nbits, struct np__planenv *env,
			unsigned int i)
{
	char *item = strndup(s, len), *at;
	int e;

	if (!item)
		return -ENOMEM;
	at = strrchr(item, '@');
	env->node[i] = -1;
	e = at ? decode_node(at + 1, item + len, &env->node[i]) : 0;
	if (at)
		*at = 0;
	if (e == 0)
		e = np_cpuset_new(nbits, &env->cpus[i]);
	if (e == 0)
		e = np_cpuset_parse_list(env->cpus[i], item, NULL);
	if (e == 0 && np_cpuset_empty(env->cpus[i]))
		e = -EINVAL;
	free(item);
	return e;
}

static int decode_places(const char *s, unsigned int nbits, struct np__planenv *env)
{
	unsigned int n = 1;
	int e = 0;

	for (const char *p = s; *p; p++)
		n += *p == ';';
	env->cpus = calloc(n, sizeof(*env->cpus));
	env->node = calloc(n, sizeof(*env->node));
	if (!env->cpus || !env->node)
		return -ENOMEM;
	env->n = n;
	for (unsigned int i = 0; i < n && e == 0; i++) {
		size_t len = strcspn(s, ";");

		e = len ? decode_place(s, len, nbits, env, i) : -EINVAL;
		s += len + 1;
	}
	return e;
}

/* a hex mask of at most 64 bits, "0x" optional */
static int decode_skip(const char *s, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0'
		      : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
		      : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;

		if (d < 0)
			return -EINVAL;
		if (v >> 60)
			return -EOVERFLOW;
		v = v << 4 | (unsigned int)d;
	}
	*ret = v;
	return 0;
}

void np__planenv_release(struct np__planenv *env)
{
	for (unsigned int i = 0; env->cpus && i < env->n; i++)
		np_cpuset_free(env->cpus[i]);
	free(env->cpus);
	free(env->node);
	memset(env, 0, sizeof(*env));
}

int np__planenv_decode(const char *places, const char *mem, const char *skip, unsigned int nbits,
		       struct np__planenv *ret)
{
	struct np__planenv env = { 0 };
	int e = places && *places ? 0 : -EINVAL;

	if (e == 0 && mem) {
		e = np_plan_mem_parse(mem);
		env.mem = (enum np_plan_mem)(e < 0 ? 0 : e);
		e = e < 0 ? e : 0;
	}
	if (e == 0 && skip)
		e = decode_skip(skip, &env.skip);
	if (e == 0)
		e = decode_places(places, nbits, &env);
	if (e < 0) {
		np__planenv_release(&env);
		return e;
	}
	*ret = env;
	return 0;
}

int np__planenv_getenv(unsigned int nbits, struct np__planenv *ret)
{
	return np__planenv_decode(getenv(ENV_PLACES), getenv(ENV_MEM), getenv(ENV_SKIP), nbits, ret);
}

int np_plan_setenv(const struct np_plan *plan, enum np_plan_mem mem, unsigned long long skip)
{
	char *places = NULL, hex[20];
	int e;

	if (!np_plan_mem_name(mem))
		return -EINVAL;
	e = np_plan_format(plan, NP_PLAN_FMT_PRELOAD, &places);
	if (e < 0)
		return e;
	snprintf(hex, sizeof(hex), "0x%llx", skip);
	/* a mask left from outside would skip threads this plan did not ask to skip */
	if (setenv(ENV_PLACES, places, 1) < 0 || setenv(ENV_MEM, mem_names[mem], 1) < 0 ||
	    (skip ? setenv(ENV_SKIP, hex, 1) : unsetenv(ENV_SKIP)) < 0)
		e = -errno;
	free(places);
	return e;
}
