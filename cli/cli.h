/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h - what the verbs of the numaplace command share: the verb table's entry type, the
 * exit-code convention, messages, and the JSON writer.  The CLI includes numaplace.h only.
 */
#ifndef NP_CLI_H
#define NP_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "numaplace.h"
#include "opts.h"

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/*
 * A verb returns 0, a negative errno after printing its message (exit 1), CLI_USAGE after
 * printing a usage message (exit 2, main adds the "Try" line), or CLI_EXIT(n) to exit with n
 * (126/127 for exec failures, personalities' own codes).
 */
#define CLI_EXIT_BASE (-100000)
#define CLI_EXIT(n) (CLI_EXIT_BASE - (n))
#define CLI_USAGE CLI_EXIT(2)

/*
 * main's verb table (cli/main.c): a spec and the function that runs it.  A verb converted to
 * an option table has fn; one not converted yet has raw and a CLI_RAW spec (main.c) that only
 * names it: raw parses argv itself (argv[0] is the verb's name, getopt's optind reset).
 */
struct cli_verb {
	const struct cli_spec *spec;
	int (*fn)(struct cli_ctx *ctx);
	int (*raw)(int argc, char **argv);
};
extern const struct cli_verb cli_verbs[];
extern const size_t cli_nverbs;

/* "numaplace", "numaplace VERB" while a verb runs, or the personality's name */
extern const char *program_name;
/* messages from now on start "numaplace @verb: " and the Try line names @verb */
void cli_set_verb(const char *verb);
/* "cannot read the topology of 'DIR': ..." (with what a capture holds when DIR is not one) */
void cli_topo_error(const char *sysroot, int err);
/* a warning per file the topology's load could not use, at most CLI_PROBLEMS_SHOWN, then a count */
#define CLI_PROBLEMS_SHOWN 5
void cli_topo_problems(const struct np_topo *topo);
/* the name of a problem's kind in JSON: "not-regular", "too-large", "unreadable", ... */
const char *cli_problem_kind(enum np_problem_kind kind);
/*
 * cli_sysroot_unpack() - unpack a capture packed as .tar.gz (cli/sysroot-tgz.c) into a private
 * temporary directory, removed at exit; *@ret is that directory, owned by the module.
 * Return: 0; -EINVAL not a gzip'd tar; -EFBIG over 1 GiB unpacked; -EPERM a path with "..";
 * -ELOOP a path through a symbolic link; another -errno from reading or writing.
 */
int cli_sysroot_unpack(const char *archive, const char **ret);
/* cli_sysroot_dir() - @sysroot itself, or where it unpacks when it is a file (once); as above */
int cli_sysroot_dir(const char *sysroot, const char **ret);
/*
 * cli_sysroot_error() - say why packed capture @sysroot failed with @err (cannot be read, not
 * gzip, truncated, corrupt, a bomb, no tar, a path or link outside, no sys/devices/system/cpu
 * once unpacked), naming the file and the entry at fault.  Return: true if it said so; false
 * if @sysroot is no archive that was unpacked, for the caller's own words.
 */
bool cli_sysroot_error(const char *sysroot, int err);

/* cli/opts.c internals that completion and the tests use */
/* the @i-th row of @spec: its table, then --sysroot, --json, --help as its flags ask; NULL
 * past the end */
const struct cli_opt *cli_row(const struct cli_spec *spec, size_t i);
/* the getopt short-option string generated for @spec (valid until the next call) */
const char *cli_getopt_string(const struct cli_spec *spec);
/* edit distance with adjacent transpositions (optimal string alignment) */
unsigned int cli_distance(const char *a, const char *b);
/* the candidate nearest to @word, within distance 2; NULL when none */
const char *cli_suggest(const char *word, const char *const *cands, size_t n);
/*
 * cli_find_sub() - the index of sub-command @word (NULL: none given) among @subs, a NULL-ended
 * list of specs named "VERB SUB"; else CLI_USAGE after the message, with a suggestion or the
 * list of sub-commands.  One lookup for bench, weights and irq.
 */
struct cli_spec;
int cli_find_sub(const struct cli_spec *const *subs, const char *word);
/*
 * cli_run_sub() - run @fn as sub-command @spec of @parent (its --json and --sysroot carry over,
 * messages name "VERB SUB"); unless @own_options, the sub-command's options (--help, a bad
 * one) are parsed first.  Returns what @fn or the option parser returns.
 */
struct cli_ctx;
int cli_run_sub(const struct cli_ctx *parent, const struct cli_spec *spec,
		int (*fn)(struct cli_ctx *ctx), bool own_options, int argc, char **argv);
/*
 * struct cli_subs - a verb made of sub-commands with an --undo (irq, weights): @specs is the
 * NULL-ended list for cli_find_sub() with @fns beside it; @none runs when no sub-command is
 * given, @undo for --undo (which takes none); @own_options is the sub-command function that
 * parses options of its own (NULL: none does).
 */
struct cli_subs {
	const struct cli_spec *const *specs;
	int (*const *fns)(struct cli_ctx *ctx);
	int (*none)(struct cli_ctx *ctx);
	int (*undo)(const struct cli_ctx *ctx);
	int (*own_options)(struct cli_ctx *ctx);
};
/*
 * cli_run_subs() - the body of such a verb: its options (@undo_opt the only one of its own),
 * then --undo, the default, or the sub-command named by the first operand (cli_find_sub(),
 * cli_run_sub()).  Returns what they return.
 */
int cli_run_subs(struct cli_ctx *ctx, int undo_opt, const struct cli_subs *subs);

/* "numaplace: <message>" on stderr; with _errno, ": <strerror(-err)>" appended. */
void cli_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
void cli_error_errno(int err, const char *fmt, ...) PRINTF_LIKE(2, 3);
void cli_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* chatter (progress) on stderr with the same prefix, for a verb's own variadic helpers */
void cli_vnote(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
/* print a usage error (as cli_error) and return CLI_USAGE */
int cli_usage(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* stderr line: "numaplace: invalid <what> '<str>': <why>" with a caret hint at @errpos */
int cli_bad_set(const char *what, const char *str, int err, size_t errpos);

#define CLI_MAX_WORKERS (1u << 20) /* the most workers a plan may have */

/* JSON writer: compact keys, two-space indentation, strings escaped. */
struct json {
	FILE *f;
	int depth;
	bool need_comma[64];
	bool in_array[64];
	size_t len;             /* bytes waiting in buf */
	bool lines;             /* json_init_lines(): no blanks or newlines inside a value */
	char buf[8192];
};
void json_init(struct json *j, FILE *f);
/* each top-level value compact on one line (JSON Lines), for --watch's stream of reports */
void json_init_lines(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key); /* key is NULL inside arrays/at top */
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val); /* NULL writes null */
void json_int(struct json *j, const char *key, long long val);
void json_uint(struct json *j, const char *key, unsigned long long val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* a set as a cpulist string: "0-3,8" */
void json_cpuset(struct json *j, const char *key, const struct np_cpuset *set);
void json_finish(struct json *j); /* final newline */

/* cli/present.c: what several verbs print, printed once */
/* "LABEL            0-3,8" (label padded to 16), or @none when @set is NULL or empty */
void cli_print_set(FILE *f, const char *label, const struct np_cpuset *set, const char *none);
/* a policy's mode name ("bind"), "unknown" when the library has none */
const char *cli_policy_mode(const struct np_policy *pol);
/* "static,relative,balancing" (that order, the library's), "none" when no flag */
void cli_policy_flags(unsigned int flags, char *buf, size_t size);
/* "mode", "nodes", "flags" of @pol inside an object the caller opened */
void cli_json_policy_fields(struct json *j, const struct np_policy *pol);
/* a plan: "worker I: cpus LIST  node(s) LIST" per worker (-ENOMEM), or its JSON document */
int cli_print_plan(FILE *f, const struct np_plan *p);
void cli_json_plan(FILE *f, const struct np_plan_opts *o, const struct np_plan *p);
int cli_plan_shared(const struct np_plan *p, bool exclusive);
/* a rank's slice: "rank R of N: cpus LIST  node(s) LIST", or its JSON document */
int cli_print_slice(FILE *f, bool json, unsigned int rank, unsigned int size,
		    const struct np_cpuset *cpus, const struct np_cpuset *nodes);
/*
 * @bytes in binary units: the largest unit it reaches, one decimal where not whole ("1.5 MiB",
 * "500 B"); @exact (sizes given back to the user): the largest unit up to GiB that divides it,
 * "bytes" for none, MiB with one decimal from 10 MiB on ("1536 KiB", "12.5 MiB")
 */
void cli_size(char *buf, size_t size, unsigned long long bytes, bool exact);

/* verbs: one file each, cli/cmd-<verb>.c.  Converted ones: a spec and cmd_X(ctx). */
extern const struct cli_spec spec_capture, spec_show, spec_plan;
int cmd_capture(struct cli_ctx *ctx);
int cmd_show(struct cli_ctx *ctx);
int cmd_plan(struct cli_ctx *ctx);
extern const struct cli_spec spec_pin, spec_where, spec_migrate, spec_completion;
int cmd_completion(struct cli_ctx *ctx);
int cmd_pin(struct cli_ctx *ctx);
int cmd_where(struct cli_ctx *ctx);
int cmd_migrate(struct cli_ctx *ctx);
extern const struct cli_spec spec_calc; /* cli/cmd-calc.c */
extern const struct cli_spec spec_run; /* cli/cmd-run.c */
int cmd_run(struct cli_ctx *ctx);
int cmd_calc(struct cli_ctx *ctx);
extern const struct cli_spec spec_bench; /* its sub-commands' specs: cli/bench.h */
int cmd_bench(struct cli_ctx *ctx);
extern const struct cli_spec spec_topo; /* cli/cmd-topo.c */
int cmd_topo(struct cli_ctx *ctx);
extern const struct cli_spec spec_stat; /* cli/cmd-stat.c, cli/stat-proc.c */
int cmd_stat(struct cli_ctx *ctx);
extern const struct cli_spec spec_weights; /* cli/cmd-weights.c */
int cmd_weights(struct cli_ctx *ctx);
extern const struct cli_spec spec_irq; /* cli/cmd-irq.c */
int cmd_irq(struct cli_ctx *ctx);
extern const struct cli_spec spec_isolate; /* cli/cmd-isolate.c */
int cmd_isolate(struct cli_ctx *ctx);
/* not converted yet: raw argv parsers */
int cmd_numactl(int argc, char **argv);
int cmd_taskset(int argc, char **argv);
/* argv[0] personalities (cli/compat-*.c): each sets program_name and returns as a verb does */
int compat_numactl(int argc, char **argv);
int compat_taskset(int argc, char **argv);

#endif /* NP_CLI_H */
