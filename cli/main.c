/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * main.c - the numaplace command: its own options, the verb table, and the mapping of a verb's
 * result to an exit code (git.c, systemd main-func.h).  Messages and exit codes follow cli.h.
 *
 * Terminology:
 *  verb     the first operand: topo, run, plan...; a row of cli_verbs: its spec (name, summary,
 *           options, flags) and the function that runs it.
 *  raw      a verb not converted to an option table yet: main calls fn(argc, argv) as before;
 *           its spec (below, CLI_RAW) only gives its name and summary.
 *  personality  argv[0] named numactl or taskset: the binary is that tool, its own messages.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * Verbs that parse argv themselves until their owners convert them: converting X means
 * defining spec_X in cli/cmd-X.c, `int cmd_X(struct cli_ctx *)`, deleting its line here and
 * turning VERB_RAW(X) into VERB(X) below.
 */
#define RAW_SPEC(v, s) \
	static const struct cli_spec spec_##v = { .name = #v, .summary = s, .flags = CLI_RAW }
RAW_SPEC(numactl, "behave as numactl(8) 2.0.19 (also: a symlink named numactl)");
RAW_SPEC(taskset, "behave as util-linux taskset(1) (also: a symlink named taskset)");

#define VERB(v) { &spec_##v, cmd_##v, NULL }
#define VERB_RAW(v) { &spec_##v, NULL, cmd_##v }

const struct cli_verb cli_verbs[] = {
	VERB(topo),
	VERB(capture),
	VERB(run),
	VERB(show),
	VERB(calc),
	VERB(bench),
	VERB(plan),
	VERB(pin),
	VERB(where),
	VERB(migrate),
	VERB(stat),
	VERB(weights),
	VERB(irq),
	VERB(isolate),
	VERB_RAW(numactl),
	VERB_RAW(taskset),
	VERB(completion),
};
const size_t cli_nverbs = sizeof(cli_verbs) / sizeof(cli_verbs[0]);

#define OPT_VERSION 'V'

static const struct cli_opt main_opts[] = {
	{ OPT_VERSION, "version", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "print the version" },
	CLI_OPT_END,
};

static char main_description[4096];

static struct cli_spec spec_main = {
	.name = "",
	.synopsis = "[--help] [--version] VERB [OPTIONS] [ARGS]",
	.description = main_description,
	.opts = main_opts,
	.footer = "Every verb that prints data takes --json (-j); every verb that reads the machine\n"
		  "takes --sysroot DIR.  'numaplace help VERB' (or 'numaplace VERB --help') for a\n"
		  "verb's options.\n"
		  "See numaplace(1).",
	.flags = CLI_POSIX,
};

/* the description of `numaplace --help`: what it is for, then the verbs' summaries */
static void describe_verbs(void)
{
	size_t n = (size_t)snprintf(main_description, sizeof(main_description),
				    "Show where a program's threads and memory are, put them where they "
				    "should be,\nand prove it.\n\nVerbs:");

	for (size_t i = 0; i < cli_nverbs && n < sizeof(main_description); i++) {
		const struct cli_spec *s = cli_verbs[i].spec;

		if (!(s->flags & CLI_HIDDEN))
			n += (size_t)snprintf(main_description + n, sizeof(main_description) - n,
					      "\n  %-10s %s", s->name, s->summary);
	}
}

/* stdout is data: a failed write (full disk, closed pipe) must not pass as success */
static int close_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			cli_error_errno(-errno, "write error");
		return code ? code : 1;
	}
	return code;
}

static int exit_code(int r)
{
	if (r == 0 || r == CLI_HELP)
		return 0;
	if (r == CLI_USAGE) {
		fprintf(stderr, "Try '%s --help' for more information.\n", program_name);
		return 2;
	}
	if (r <= CLI_EXIT_BASE)
		return CLI_EXIT_BASE - r;
	return 1;
}

static const struct cli_verb *find_verb(const char *name)
{
	const char *names[64];
	const char *s;
	size_t n = 0;

	for (size_t i = 0; i < cli_nverbs; i++) {
		if (strcmp(cli_verbs[i].spec->name, name) == 0)
			return &cli_verbs[i];
		if (!(cli_verbs[i].spec->flags & CLI_HIDDEN) && n < 64)
			names[n++] = cli_verbs[i].spec->name;
	}
	s = cli_suggest(name, names, n);
	if (s)
		cli_usage("unknown verb '%s'; did you mean '%s'?", name, s);
	else
		cli_usage("unknown verb '%s'", name);
	return NULL;
}

static int run_verb(const struct cli_verb *v, int argc, char **argv)
{
	struct cli_ctx ctx = { .spec = v->spec, .argc = argc, .argv = argv };
	int r;

	cli_set_verb(v->spec->name);
	if (v->raw) {
		/* glibc: start afresh, with getopt's own messages as before (numactl's) */
		optind = 0;
		opterr = 1;
		return v->raw(argc, argv);
	}
	r = v->fn(&ctx);
	np_topo_free(ctx.topo);
	return r;
}

/*
 * `numaplace help [VERB [SUB]]` is `numaplace [VERB [SUB]] --help` (git's manner): the words
 * after "help", then --help, go to the verb as its own argv.
 */
static int help(int argc, char **argv)
{
	char *args[8];
	const struct cli_verb *v;
	int n = 0;

	if (argc == 1) {
		cli_print_usage(&spec_main, stdout);
		return CLI_HELP;
	}
	if (argc > 3)
		return cli_usage("help takes a verb and a sub-command at most: numaplace help VERB [SUB]");
	v = find_verb(argv[1]);
	if (!v)
		return CLI_USAGE;
	/* a word after a verb without sub-commands would be its operand: `help run ls` ran ls */
	if (argc == 3 && !v->spec->subs)
		return cli_usage("help: %s has no sub-commands", argv[1]);
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n++] = (char *)"--help";
	args[n] = NULL;
	return run_verb(v, n, args);
}

static int run(int argc, char **argv)
{
	struct cli_ctx ctx = { .spec = &spec_main, .argc = argc, .argv = argv };
	const struct cli_verb *v;
	int c;

	describe_verbs();
	while ((c = cli_next(&ctx)) != -1) {
		if (c != OPT_VERSION)
			return c < 0 ? c : CLI_USAGE;
		printf("numaplace %s\n", np_version());
		return 0;
	}
	if (ctx.optind >= argc)
		return cli_usage("no verb given");
	if (strcmp(argv[ctx.optind], "help") == 0)
		return help(argc - ctx.optind, argv + ctx.optind);
	v = find_verb(argv[ctx.optind]);
	if (!v)
		return CLI_USAGE;
	return run_verb(v, argc - ctx.optind, argv + ctx.optind);
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
