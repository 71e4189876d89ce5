/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-taskset-argv.c - libFuzzer target for the taskset personality's whole command line
 * (cli/compat-taskset.c, compiled in): compat_taskset() runs in-process on an argv made of
 * the input, with sched_setaffinity and execvp replaced (fuzz-argv.h).
 *
 * Terminology: see fuzz-argv.h.
 *
 * Invariants: the exit status is 0, 1 or 127 (util-linux taskset's; execvp always fails with
 * ENOENT here); no leak, no crash; sched_setaffinity is reached only after every option was
 * read, with a non-empty set, and never when the mask or list failed to parse ("failed to
 * parse CPU ..."); the set applied is the library parser's reading of the same mask or list
 * wherever that parser accepts it; a command is executed only after a successful set of our own affinity,
 * and then the status is 127; a failure always prints why.
 */
#include "fuzz-argv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_argv_init();
	return 0;
}

static void check_parse_failure(void)
{
	char *err = fuzz_output(err_fd, 0);

	/* the first thing said on that path (a command's name may hold the same words) */
	if (err && strncmp(err, "taskset: failed to parse CPU ", 29) == 0)
		check(calls.affinity == 0 && calls.execs == 0);
	free(err);
}

/*
 * The set applied is what the library's own parser makes of the same text, wherever that
 * parser accepts it (it refuses CPUs beyond the kernel's mask, which taskset drops).
 */
static void check_applied_set(const char *str, bool list)
{
	int nbits = np_affinity_cpu_bits();
	struct np_cpuset *want;
	size_t bits = calls.cpus_size * 8;

	check(nbits > 0 && np_cpuset_new((unsigned int)nbits, &want) == 0);
	if ((list ? np_cpuset_parse_list(want, str, NULL) : np_cpuset_parse_taskset(want, str, NULL)) == 0)
		for (size_t i = 0; i < bits || i < (size_t)nbits; i++)
			check(np_cpuset_isset(want, (unsigned int)i) ==
			      (i < bits && (calls.cpus[i / 8] >> (i % 8) & 1)));
	np_cpuset_free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int argc, code;
	char **argv = fuzz_argv("taskset", data, size, &argc);

	fuzz_run_begin();
	code = fuzz_exit_code(compat_taskset(argc, argv));
	fuzz_run_end();
	check(code == 0 || code == 1 || code == 127);
	check(calls.affinity == calls.applies);
	/* the new set is applied once every option was read */
	check(calls.applies_after_opts == calls.affinity);
	check(calls.execs <= 1);
	check(!calls.execs || (calls.affinity == 1 && code == 127));
	check(code != 127 || calls.execs == 1);
	fuzz_check_said(code);
	check_parse_failure();
	if (calls.affinity)
		check_applied_set(argv[optind], calls.seen['c']);
	fuzz_argv_free(argv);
	return 0;
}
