/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h - what the verbs of the numaplace command share: the verb table's entry type, the
 * exit-code convention, messages, and the JSON writer.  The CLI includes numaplace.h only.
 */
#ifndef NP_CLI_H
#define NP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "numaplace.h"

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/*
 * A verb returns 0, a negative errno after printing its message (exit 1), CLI_USAGE after
 * printing a usage message (exit 2, main adds the "Try" line), or CLI_EXIT(n) to exit with n
 * (126/127 for exec failures, personalities' own codes).
 */
#define CLI_EXIT_BASE (-100000)
#define CLI_EXIT(n) (CLI_EXIT_BASE - (n))
#define CLI_USAGE CLI_EXIT(2)

struct verb {
	const char *name;
	int (*fn)(int argc, char **argv); /* argv[0] is the verb's name */
	const char *summary;
};

extern const char *program_name; /* "numaplace", or the personality's name */

/* "numaplace: <message>" on stderr; with _errno, ": <strerror(-err)>" appended. */
void cli_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
void cli_error_errno(int err, const char *fmt, ...) PRINTF_LIKE(2, 3);
void cli_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* print a usage error (as cli_error) and return CLI_USAGE */
int cli_usage(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* stderr line: "numaplace: invalid <what> '<str>': <why>" with a caret hint at @errpos */
int cli_bad_set(const char *what, const char *str, int err, size_t errpos);

/* cli/util.c: option parsers shared by verbs */
#define CLI_MAX_WORKERS (1u << 20) /* the most workers a plan may have */
/* an enum option's value from @parse (value or -errno), or a usage error naming @choices */
int cli_choice(int (*parse)(const char *), const char *opt, const char *val, const char *choices,
	       int *ret);
/* a worker count, 1 to CLI_MAX_WORKERS, digits only; -EINVAL otherwise (nothing printed) */
int cli_parse_workers(const char *s, unsigned int *ret);
/* for getopt_long with opterr = 0 and a ':'-led optstring: the usage error for what getopt
 * returned (@c: ':' for a missing argument, '?' otherwise) */
int cli_bad_option(int c, char **argv);

/* JSON writer: compact keys, two-space indentation, strings escaped. */
struct json {
	FILE *f;
	int depth;
	bool need_comma[64];
	bool in_array[64];
	size_t len;             /* bytes waiting in buf */
	char buf[8192];
};
void json_init(struct json *j, FILE *f);
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

/* verbs: one file each, cli/cmd-<verb>.c */
int cmd_topo(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_pin(int argc, char **argv);
int cmd_where(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_numactl(int argc, char **argv);
int cmd_taskset(int argc, char **argv);
/* argv[0] personalities (cli/compat-*.c): each sets program_name and returns as a verb does */
int compat_numactl(int argc, char **argv);
int compat_taskset(int argc, char **argv);

#endif /* NP_CLI_H */
