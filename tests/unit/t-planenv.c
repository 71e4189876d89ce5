/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-planenv.c - unit tests of the plan environment's codec (lib/planenv.c): plans round-trip
 * through NUMAPLACE_PLAN, and garbage is refused with the right errno and nothing written.
 *
 * Terminology: a "case" is one row {expected errno, NUMAPLACE_PLAN, _MEM, _SKIP, expected
 * decoding}; the decoding is written back as "CPUS@NODE;..." plus mem and skip so one string
 * compares the whole result.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "tap.h"

struct dcase {
	int err;
	const char *places, *mem, *skip;
	const char *want; /* "PLACES|mem|skip" on success */
};

/* clang-format off */
static const struct dcase cases[] = {
	{ 0, "0,8@0;4,12@1", NULL, NULL, "0,8@0;4,12@1|local|0" },
	{ 0, "3@-1", "node", "0x5", "3@-1|node|5" },
	{ 0, "0-3@2", "none", "ff", "0,1,2,3@2|none|ff" },
	{ 0, "7", NULL, "FFFFFFFFFFFFFFFF", "7@-1|local|ffffffffffffffff" },
	{ 0, "1@2147483647", "local", "0", "1@2147483647|local|0" },
	{ -EINVAL, NULL, NULL, NULL, NULL },
	{ -EINVAL, "", NULL, NULL, NULL },
	{ -EINVAL, "0;;1", NULL, NULL, NULL },
	{ -EINVAL, "0;", NULL, NULL, NULL },
	{ -EINVAL, "@0", NULL, NULL, NULL },
	{ -EINVAL, "0@", NULL, NULL, NULL },
	{ -EINVAL, "0@x", NULL, NULL, NULL },
	{ -EINVAL, "0@-2", NULL, NULL, NULL },
	{ -EINVAL, "0@+1", NULL, NULL, NULL },
	{ -EINVAL, "0@1 ", NULL, NULL, NULL },
	{ -EOVERFLOW, "0@2147483648", NULL, NULL, NULL },
	{ -EOVERFLOW, "0@99999999999999999999", NULL, NULL, NULL },
	{ -ERANGE, "64@0", NULL, NULL, NULL },
	{ -EINVAL, "a,b@0", NULL, NULL, NULL },
	{ -EINVAL, "0@0", "remote", NULL, NULL },
	{ -EINVAL, "0@0", "", NULL, NULL },
	{ -EINVAL, "0@0", NULL, "", NULL },
	{ -EINVAL, "0@0", NULL, "0x", NULL },
	{ -EINVAL, "0@0", NULL, "0xg", NULL },
	{ -EINVAL, "0@0", NULL, "-1", NULL },
	{ -EOVERFLOW, "0@0", NULL, "10000000000000000", NULL },
};
/* clang-format on */

/* @env as "PLACES|mem|skip" */
static char *show(const struct np__planenv *env)
{
	char *places = NULL, *s = NULL;

	if (np__planenv_encode_places(env->n, (const struct np_cpuset *const *)env->cpus,
				      env->node, &places) < 0)
		return NULL;
	if (asprintf(&s, "%s|%s|%llx", places, np_plan_mem_name(env->mem), env->skip) < 0)
		s = NULL;
	free(places);
	return s;
}

static void run_case(const struct dcase *c)
{
	struct np__planenv env = { .n = 99 };
	int e = np__planenv_decode(c->places, c->mem, c->skip, 64, &env);
	char *got;

	is_int(e, c->err, "decode '%s' mem %s skip %s", c->places ? c->places : "(unset)",
	       c->mem ? c->mem : "(unset)", c->skip ? c->skip : "(unset)");
	if (c->err) {
		ok(env.n == 99 && !env.cpus, "  failed decode left the output untouched");
		return;
	}
	got = show(&env);
	is_str(got, c->want, "  decoded as written");
	free(got);
	np__planenv_release(&env);
}

/* a real plan: np_plan_format(PRELOAD) -> decode -> encode gives the same string back */
static void test_round_trip(void)
{
	static const char *const plans[] = { "0@0", "0,1@0;2,3@1;4@-1", "5,9,13@1;0@0" };

	for (size_t i = 0; i < NP_ARRAY_SIZE(plans); i++) {
		struct np__planenv env;
		char *again = NULL;
		int e = np__planenv_decode(plans[i], "node", "3", 16, &env);

		is_int(e, 0, "round trip '%s': decodes", plans[i]);
		if (e)
			continue;
		e = np__planenv_encode_places(env.n, (const struct np_cpuset *const *)env.cpus,
					      env.node, &again);
		is_str(e == 0 ? again : NULL, plans[i], "round trip '%s': encodes back", plans[i]);
		free(again);
		np__planenv_release(&env);
	}
}

/* np_plan_setenv() writes what the decoder reads, and drops a skip mask from outside */
static void test_setenv(void)
{
	struct np__planenv env;
	int e;

	setenv("NUMAPLACE_PLAN_SKIP", "ff", 1);
	setenv("NUMAPLACE_PLAN", "1@0", 1);
	unsetenv("NUMAPLACE_PLAN_MEM");
	e = np__planenv_getenv(8, &env);
	is_int(e == 0 ? (int)env.skip : e, 0xff, "getenv reads the three variables");
	if (e == 0)
		np__planenv_release(&env);
	is_int(np_plan_setenv(NULL, (enum np_plan_mem)7, 0), -EINVAL, "setenv: a bad mem is -EINVAL");
	is_int(np_plan_mem_parse("node"), NP_PLAN_MEM_NODE, "mem names parse");
	is_int(np_plan_mem_parse("Node"), -EINVAL, "mem names are lowercase");
}

int main(void)
{
	for (size_t i = 0; i < NP_ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_round_trip();
	test_setenv();
	done_testing();
	return exit_status();
}
