/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-numactl-argv.c - libFuzzer target for the numactl personality's whole command line
 * (cli/compat-numactl*.c, compiled in): compat_numactl() runs in-process on an argv made of
 * the input, with everything that would change the process or the machine replaced
 * (fuzz-argv.h).
 *
 * Terminology: see fuzz-argv.h.  An input whose first byte is 0x01 drops it and runs as
 * numactl 2.0.16 (NUMAPLACE_NUMACTL_VERSION), else as 2.0.19.
 *
 * Invariants: the exit status is numactl's 0 or 1; no leak, no crash; each option applies
 * while it is read, in numactl's order (none before the first option, none once getopt is
 * done; a later bad option leaves earlier ones applied, as numactl does); an option whose node
 * or CPU list is invalid ("<...> is invalid") applies nothing; the command is executed only
 * after every option was read, never with --shm/--file; a failure always prints why.
 */
#include "fuzz-argv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_argv_init();
	return 0;
}

/* the last option read failed on its list: it must not have applied anything */
static void check_invalid_list(void)
{
	char *out = fuzz_output(out_fd, calls.out_at_opt);
	size_t n = out ? strlen(out) : 0;

	/* all that option printed on stdout: "<ARG> is invalid" */
	if (n > 13 && out[0] == '<' && strcmp(out + n - 13, "> is invalid\n") == 0)
		check(calls.applies == 0 || calls.last_apply_opt < calls.opt);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool old = size > 0 && data[0] == 1;
	int argc, code;
	char **argv;

	if (old)
		setenv("NUMAPLACE_NUMACTL_VERSION", "2.0.16", 1);
	else
		unsetenv("NUMAPLACE_NUMACTL_VERSION");
	argv = fuzz_argv("numactl", data + old, size - old, &argc);
	fuzz_run_begin();
	code = fuzz_exit_code(compat_numactl(argc, argv));
	fuzz_run_end();
	check(code == 0 || code == 1);
	/* each option applies while it is read: none before the first, none after the last */
	check(calls.applies == 0 || calls.first_apply_opt >= 1);
	check(calls.applies_after_opts == 0);
	/* the command runs after the options, and numactl exits 1 when execvp fails */
	check(calls.execs <= 1);
	check(!calls.execs || (calls.opts_done && calls.nregions == 0 && code == 1));
	fuzz_check_said(code);
	if (code != 0 && !calls.opts_done)
		check_invalid_list();
	fuzz_argv_free(argv);
	return 0;
}
