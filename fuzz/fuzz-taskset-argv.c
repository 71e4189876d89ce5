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
 * parse CPU ..."); a command is executed only after a successful set of our own affinity,
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
	fuzz_argv_free(argv);
	return 0;
}
