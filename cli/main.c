/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * main.c - the numaplace command: global options, the verb table, and the mapping of a
 * verb's result to an exit code.  Messages and exit codes follow cli.h.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *program_name = "numaplace";

static const struct verb verbs[] = {
	{ "topo", cmd_topo, "show the machine: packages, nodes, caches, cores, devices" },
	{ "capture", cmd_capture, "copy the /sys and /proc files numaplace reads into a directory" },
	{ "run", cmd_run, "run a command with a CPU binding and a memory policy" },
	{ "show", cmd_show, "show this process's memory policy, allowed CPUs and nodes" },
	{ "bench", cmd_bench, "measure memory latency and bandwidth, core-to-core latency, pinning" },
	{ "plan", cmd_plan, "say where N workers should run: spread, close, compact, scatter, per-node" },
	{ "pin", cmd_pin, "get or set the CPUs of a running process or thread" },
	{ "where", cmd_where, "show where a process's threads run and its memory lies, per node" },
	{ "migrate", cmd_migrate, "move a process's memory between nodes, or a range of its pages" },
	{ "numactl", cmd_numactl, "behave as numactl(8) 2.0.19 (also: a symlink named numactl)" },
	{ "taskset", cmd_taskset, "behave as util-linux taskset(1) (also: a symlink named taskset)" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: numaplace [--help] [--version] VERB [OPTIONS] [ARGS]\n\n"
		   "Show where a program's threads and memory are, put them where they should be,\n"
		   "and prove it.\n\nVerbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f, "\nEvery verb that prints data takes --json.  'numaplace VERB --help' for a verb's options.\n"
		   "See numaplace(1).\n");
}

/* stdout is data: a failed write (full disk, closed pipe) must not pass as success */
static int close_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: write error: %s\n", program_name, strerror(errno));
		return code ? code : 1;
	}
	return code;
}

static int exit_code(int r)
{
	if (r == 0)
		return 0;
	if (r == CLI_USAGE) {
		fprintf(stderr, "Try '%s --help' for more information.\n", program_name);
		return 2;
	}
	if (r <= CLI_EXIT_BASE)
		return CLI_EXIT_BASE - r;
	return 1;
}

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	const struct verb *v;
	int c;

	/* '+': stop at the verb, whose options are its own */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("numaplace %s\n", np_version());
			return 0;
		default:
			return CLI_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage("no verb given");
	v = find_verb(argv[optind]);
	if (!v)
		return cli_usage("unknown verb '%s'", argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0; /* reinitialise getopt for the verb */
	return v->fn(argc, argv);
}

/* Invoked through a symlink named numactl or taskset, the binary is that tool. */
static int (*personality(const char *argv0))(int, char **)
{
	const char *base = strrchr(argv0, '/');

	base = base ? base + 1 : argv0;
	if (strcmp(base, "numactl") == 0)
		return compat_numactl;
	if (strcmp(base, "taskset") == 0)
		return compat_taskset;
	return NULL;
}

int main(int argc, char **argv)
{
	int (*fn)(int, char **) = argc > 0 ? personality(argv[0]) : NULL;

	if (fn)
		return close_stdout(exit_code(fn(argc, argv)));
	return close_stdout(exit_code(run(argc, argv)));
}
