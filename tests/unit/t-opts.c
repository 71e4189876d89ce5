/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-opts.c - the CLI layer's option tables (cli/opts.c): the generated getopt string, the
 * common options, each bad-option message, did-you-mean, --sysroot refused for live verbs.
 * The CLI's objects are not a library: the files are compiled into this test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cli/messages.c"
#include "../../cli/opts.c"
#include "../../cli/inflate.c"
#include "../../cli/sysroot-tgz.c" /* cli_topo() unpacks a .tar.gz sysroot */
#include "tap.h"

enum { OPT_LONGONLY = CLI_OPT_LONG };

static const struct cli_opt test_opts[] = {
	{ 'c', "count", CLI_REQ_ARG, CLI_V_COUNT, "N", NULL, "how many" },
	{ 'w', "watch", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "again and again" },
	{ 'o', "out", CLI_OPT_ARG, CLI_V_FILE, "FILE", NULL, "where" },
	{ OPT_LONGONLY, "policy", CLI_REQ_ARG, CLI_V_CHOICE, "P", "spread, close", "how" },
	CLI_OPT_END,
};

static const struct cli_spec spec_machine = {
	.name = "machine", .synopsis = "[OPTIONS] ARG", .opts = test_opts,
	.flags = CLI_JSON | CLI_SYSROOT,
};
static const struct cli_spec spec_live = {
	.name = "live", .opts = test_opts, .flags = CLI_JSON | CLI_LIVE | CLI_POSIX,
};
static const struct cli_spec spec_plain = { .name = "plain" };
static const struct cli_spec spec_sub = { .name = "tool sub", .summary = "does sub things" };
static const struct cli_spec spec_tool = {
	.name = "tool", .flags = CLI_POSIX, .subs = (const struct cli_spec *const[]){ &spec_sub, NULL },
};

static char err[1024];

/* cli_next() over @argv (NULL-ended) until it returns something other than an option of
 * the table; stderr and stdout captured in err (stdout only its first line) */
static int parse(const struct cli_spec *spec, struct cli_ctx *ctx, const char **args)
{
	static char *argv[16]; /* getopt permutes the array, never the strings */
	int argc = 0, c, saved_err = dup(2), saved_out = dup(1);
	FILE *f = tmpfile();

	while (args[argc] && argc < 15) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	*ctx = (struct cli_ctx){ .spec = spec, .argc = argc, .argv = argv };
	fflush(stdout);
	dup2(fileno(f), 2);
	dup2(fileno(f), 1);
	while ((c = cli_next(ctx)) > 0)
		;
	fflush(stdout);
	dup2(saved_err, 2);
	dup2(saved_out, 1);
	close(saved_err);
	close(saved_out);
	rewind(f);
	if (!fgets(err, sizeof(err), f))
		err[0] = '\0';
	err[strcspn(err, "\n")] = '\0';
	fclose(f);
	return c;
}

#define ARGV(...) ((const char *[]){ __VA_ARGS__, NULL })

static void test_generated(void)
{
	is_str(cli_getopt_string(&spec_machine), ":c:wo::jh", "getopt string: table, then -j, -h");
	is_str(cli_getopt_string(&spec_live), "+:c:wo::jh", "POSIX verbs stop at the command");
	is_str(cli_getopt_string(&spec_plain), ":h", "no table: --help only");
	ok(cli_row(&spec_machine, 4) && strcmp(cli_row(&spec_machine, 4)->name, "sysroot") == 0 &&
	   strcmp(cli_row(&spec_live, 4)->name, "json") == 0,
	   "--sysroot is a row of a verb that reads the machine, not of a live one");
	ok(cli_row(&spec_plain, 1) == NULL, "rows end");
}

static void test_distance(void)
{
	const char *verbs[] = { "topo", "run", "plan", "pin", "where" };

	is_int(cli_distance("jsn", "json"), 1, "distance: a deletion");
	is_int(cli_distance("josn", "json"), 1, "distance: a transposition counts once");
	is_int(cli_distance("", "abc"), 3, "distance: from empty");
	is_int(cli_distance("sysroot", "sysroot"), 0, "distance: equal");
	is_str(cli_suggest("tpo", verbs, 5), "topo", "tpo -> topo");
	ok(cli_suggest("frobnicate", verbs, 5) == NULL, "nothing within 2: no suggestion");
}

static void test_next(void)
{
	struct cli_ctx ctx;
	int n;

	is_int(parse(&spec_machine, &ctx, ARGV("machine", "-j", "--sysroot", "/cap", "-c", "3", "x")),
	       -1, "common options are not returned");
	ok(ctx.json && ctx.sysroot && strcmp(ctx.sysroot, "/cap") == 0, "... but stored in ctx");
	is_str(cli_operands(&ctx, &n)[0], "x", "operands after the options");
	is_int(n, 1, "... one");
	is_int(parse(&spec_machine, &ctx, ARGV("machine", "--jsn")), CLI_USAGE, "unknown option");
	is_str(err, "numaplace machine: unknown option '--jsn'; did you mean '--json'?", "... did you mean");
	is_int(parse(&spec_machine, &ctx, ARGV("machine", "--frobnicate=2")), CLI_USAGE, "far off");
	is_str(err, "numaplace machine: unknown option '--frobnicate'", "... no suggestion, no value");
	parse(&spec_machine, &ctx, ARGV("machine", "-x"));
	is_str(err, "numaplace machine: unknown option '-x'", "unknown short option");
	parse(&spec_machine, &ctx, ARGV("machine", "--count"));
	is_str(err, "numaplace machine: option '--count' needs an argument", "missing argument (long)");
	parse(&spec_machine, &ctx, ARGV("machine", "-c"));
	is_str(err, "numaplace machine: option '-c' needs an argument", "missing argument (short)");
	parse(&spec_machine, &ctx, ARGV("machine", "--watch=1"));
	is_str(err, "numaplace machine: option '--watch' takes no argument", "unexpected argument");
	parse(&spec_machine, &ctx, ARGV("machine", "--s", "x"));
	ok(ctx.sysroot && strcmp(ctx.sysroot, "x") == 0, "a unique prefix is the option");
	is_int(parse(&spec_live, &ctx, ARGV("live", "--sysroot", "/cap")), CLI_USAGE,
	       "--sysroot refused for a live verb");
	is_str(err, "numaplace live: option '--sysroot' is not for live: it acts on this machine, "
		    "not on a capture", "... saying why");
	parse(&spec_plain, &ctx, ARGV("plain", "--json"));
	is_str(err, "numaplace plain: unknown option '--json'", "no --json where the verb prints no data");
	is_int(parse(&spec_live, &ctx, ARGV("live", "cmd", "-c")), -1, "POSIX: options end at a command");
	is_int(ctx.optind, 1, "... which is the first operand");
	is_int(parse(&spec_machine, &ctx, ARGV("machine", "--help")), CLI_HELP, "--help");
	is_str(err, "Usage: numaplace machine [OPTIONS] ARG", "... prints the usage");
}

static void test_usage(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	cli_print_usage(&spec_machine, f);
	fclose(f);
	ok(strstr(buf, "\n  -c, --count N      how many\n") != NULL, "usage: short, long, metavar");
	ok(strstr(buf, "\n      --policy P     how\n") != NULL, "usage: long only, aligned");
	ok(strstr(buf, "\n  -o, --out[=FILE]   where\n") != NULL, "usage: optional argument");
	ok(strstr(buf, "\n                     instead of") != NULL, "usage: continuation lines indented");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &size);
	cli_print_usage(&spec_tool, f);
	fclose(f);
	ok(strstr(buf, "\nSub-commands:\n  sub            does sub things\n") != NULL,
	   "usage: sub-commands by their last word");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &size);
	cli_print_usage(&spec_live, f);
	fclose(f);
	ok(strstr(buf, "--sysroot") == NULL && strstr(buf, "--json") != NULL,
	   "usage of a live verb: no --sysroot, which it refuses");
	free(buf);
}

static void test_sub(void)
{
	struct cli_ctx ctx;

	parse(&spec_sub, &ctx, ARGV("sub", "--frob"));
	is_str(err, "numaplace tool sub: unknown option '--frob'", "a sub-command's messages name it");
}

static int policy_parse(const char *s)
{
	if (strcmp(s, "spread") == 0)
		return 0;
	return strcmp(s, "close") == 0 ? 1 : -EINVAL;
}

/* cli_parse_choice() as the verb calls it after cli_next() returned --policy VALUE */
static int choice(const char *value, int *ret)
{
	struct cli_ctx ctx = { .spec = &spec_machine, .opt = OPT_LONGONLY, .optarg = value };
	int saved_err = dup(2), r;
	FILE *f = tmpfile();

	dup2(fileno(f), 2);
	r = cli_parse_choice(&ctx, policy_parse, ret);
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	rewind(f);
	if (!fgets(err, sizeof(err), f))
		err[0] = '\0';
	err[strcspn(err, "\n")] = '\0';
	fclose(f);
	return r;
}

static void test_choice(void)
{
	int v = 7;

	cli_set_verb("machine");
	is_int(choice("close", &v), 0, "choice: a word of the row");
	is_int(v, 1, "... its value");
	v = 7;
	is_int(choice("sprad", &v), CLI_USAGE, "choice: a misspelt word");
	is_int(v, 7, "... leaves the output untouched");
	is_str(err, "numaplace machine: invalid --policy 'sprad': expected one of spread, close; did you "
		    "mean 'spread'?", "... lists the choices and the nearest");
	is_int(choice("frobnicate", &v), CLI_USAGE, "choice: far off");
	is_str(err, "numaplace machine: invalid --policy 'frobnicate': expected one of spread, close",
	       "... no suggestion");
}

int main(void)
{
	plan(45);
	test_generated();
	test_distance();
	test_next();
	test_usage();
	test_sub();
	test_choice();
	return tap_failed != 0;
}
