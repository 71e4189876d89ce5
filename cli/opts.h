/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * opts.h - the CLI layer: declarative option tables per verb, from which the getopt string, the
 * long-option array, the usage text and the bash completion are all generated; the common
 * options (--help, --json/-j, --sysroot) handled once; value parsers with one message each.
 *
 * Terminology:
 *  spec      a verb's (or bench sub-command's) declaration: name, synopsis, description,
 *            option table, flags.  The one source of its getopt string, usage and completion.
 *  option    one row of a spec's table.  id is what cli_next() returns: the short letter for
 *            options with one, a value >= CLI_OPT_LONG for long-only ones.
 *  value     what an option's argument is (enum cli_value): completion offers CPUs for
 *            CLI_V_CPUS, PIDs for CLI_V_PID, the words of `choices` for CLI_V_CHOICE...
 *  common    --help (always), --json/-j (CLI_JSON), --sysroot DIR (CLI_SYSROOT): handled by
 *            cli_next() itself, never seen by the verb; their rows are added by the layer.
 *  ctx       what main hands a verb: the spec, the common options' values, the topology
 *            loaded once on demand with the parts the verb asked for.
 */
#ifndef NP_CLI_OPTS_H
#define NP_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "numaplace.h"

/* ids of long-only options start here (above every char) */
#define CLI_OPT_LONG 256

enum cli_arg {
	CLI_NO_ARG,
	CLI_REQ_ARG,
	CLI_OPT_ARG, /* --opt[=VAL] */
};

/* what an argument is: drives completion, and names the parser the verb should call */
enum cli_value {
	CLI_V_NONE,
	CLI_V_TEXT,     /* free text: no completion */
	CLI_V_CPUS,     /* a CPU set in the one grammar (cli_parse_cpus) */
	CLI_V_NODES,    /* a node set in the one grammar (cli_parse_nodes) */
	CLI_V_LOCATION, /* a location expression */
	CLI_V_PID,      /* a PID or process name */
	CLI_V_FILE,
	CLI_V_DIR,
	CLI_V_SIZE,     /* cli_parse_size */
	CLI_V_COUNT,    /* cli_parse_count */
	CLI_V_DURATION, /* cli_parse_duration */
	CLI_V_CHOICE,   /* one of the words in `choices` */
	CLI_V_DEVICE,   /* a device name: gpu0, eth0, mlx5_0 */
	CLI_V_COMMAND,  /* the rest of the line is a command */
};

struct cli_opt {
	int id;                /* the short letter, or CLI_OPT_LONG + n; 0 ends the table */
	const char *name;      /* long name without "--"; NULL: short only */
	enum cli_arg arg;
	enum cli_value value;
	const char *metavar;   /* "CPUS", "N", "DIR"; NULL for CLI_NO_ARG */
	const char *choices;   /* CLI_V_CHOICE: the words, separated by ", " ("spread, close") */
	const char *help;      /* usage text; '\n' starts a continuation line */
};

#define CLI_OPT_END { 0, NULL, CLI_NO_ARG, CLI_V_NONE, NULL, NULL, NULL }

/* spec flags */
#define CLI_JSON     0x01 /* the verb prints data: --json and -j are accepted */
#define CLI_SYSROOT  0x02 /* the verb reads the machine: --sysroot DIR is accepted */
#define CLI_LIVE     0x04 /* the verb acts on the live machine: --sysroot is refused */
#define CLI_POSIX    0x08 /* stop at the first non-option (a command follows): getopt's '+' */
#define CLI_HIDDEN   0x10 /* not listed in `numaplace --help` (personalities) */
#define CLI_RAW      0x20 /* the verb parses argv itself (personalities): no table */

struct cli_spec {
	const char *name;        /* "topo"; "bench memory" for a sub-command */
	const char *summary;     /* one line for `numaplace --help` */
	const char *synopsis;    /* after "Usage: numaplace NAME ": "[OPTIONS] PID [CPUS]";
				  * several forms separated by '\n' */
	const char *description; /* paragraph(s) after the usage line */
	const struct cli_opt *opts;
	const char *footer;      /* text after the options (formats, marks, examples); may be NULL */
	unsigned int flags;      /* CLI_* */
	unsigned int topo_flags; /* np_topo_load() flags for cli_topo(): the NP_TOPO_NO_* parts
				  * this verb does not need (0: the whole model) */
	const char *args_value;  /* completion of positional arguments: "pid cpus", "choice:memory c2c" */
	const struct cli_spec *const *subs; /* sub-commands ("bench memory"...), NULL-ended; the
				  * verb dispatches, completion and usage list them */
};

/* what a verb receives */
struct cli_ctx {
	const struct cli_spec *spec;
	const char *sysroot;     /* --sysroot, NULL: the live machine */
	bool json;               /* --json / -j */
	struct np_topo *topo;    /* loaded by cli_topo(), freed by main */
	/* private to the parser */
	int opt;                 /* the id cli_next() returned last */
	int optind;
	const char *optarg;
	int argc;
	char **argv;
};

/*
 * cli_next() - the next option of argv for @ctx's spec, getopt_long-style over the generated
 * tables.  Return: the option's id (its argument in ctx->optarg, NULL when none), -1 when the
 * options end (ctx->optind is then the first operand), CLI_HELP after printing the generated
 * usage on stdout, or CLI_USAGE after printing the error: an unknown option (with "did you mean
 * '--json'?" when a long name is within edit distance 2), a missing or unexpected argument,
 * --sysroot for a CLI_LIVE verb.  --json/-j and --sysroot are stored in ctx and not returned.
 */
#define CLI_HELP (-1000)
int cli_next(struct cli_ctx *ctx);
/* the operands after the options: argv + ctx->optind, argc - ctx->optind */
char **cli_operands(const struct cli_ctx *ctx, int *count);

/*
 * cli_parse_choice() - the value of the CLI_V_CHOICE option cli_next() just returned, by
 * @parse (a library *_parse(): the value or -errno).  Return: 0 with *@ret set, or CLI_USAGE
 * after "invalid --NAME 'VALUE': expected one of CHOICES" (the row's choices, the words that
 * completion offers), with "; did you mean 'WORD'?" when one is within edit distance 2.
 */
int cli_parse_choice(const struct cli_ctx *ctx, int (*parse)(const char *), int *ret);

/* the usage text of a spec, generated from its table (also printed by `VERB --help`) */
void cli_print_usage(const struct cli_spec *spec, FILE *f);
/* the bash completion script for every verb, generated from the tables */
void cli_print_completion(FILE *f);

/*
 * cli_topo() - the topology for @ctx: loaded on first call, with the spec's topo_flags, from
 * ctx->sysroot.  Prints "cannot read the topology of 'DIR': ..." (with the layout expected
 * when DIR is not a capture) and returns -errno on failure.
 */
int cli_topo(struct cli_ctx *ctx, const struct np_topo **ret);

/* ---- value parsers: each prints one message naming the option and the bad value ---- */
/* @what is how the value is named in the message: "--length", "pid", "number of workers".
 * Every message reads "invalid WHAT 'VALUE': why" (cli/args.c). */

/* sizes: digits with an optional binary suffix k, m, g, t, p (KiB...PiB), optionally followed
 * by "B" or "iB", any case (64m, 64M, 64MB, 64MiB); no sign; 0 only when @allow_zero.
 * -> CLI_USAGE with "invalid --length '17179869185g': too large" */
int cli_parse_size(const char *what, const char *s, bool allow_zero, unsigned long long *ret);
/* a count from @min to @max, decimal digits only */
int cli_parse_count(const char *what, const char *s, unsigned long long min,
		    unsigned long long max, unsigned long long *ret);
/* a hexadecimal number, "0x" optional, up to 2^64 - 1 (a mask, an address) */
int cli_parse_hex(const char *what, const char *s, unsigned long long *ret);
/* a file mode: octal digits, 0 to 07777 ("600", "0600") */
int cli_parse_mode(const char *what, const char *s, mode_t *ret);
/* a duration: "10" (seconds), "1.5s", "200ms", "2m" -> seconds */
int cli_parse_duration(const char *what, const char *s, double *ret);
/* a PID: digits, > 0, <= the kernel's pid_max bound; names are not resolved here */
int cli_parse_pid(const char *what, const char *s, pid_t *ret);
/* MPI local ranks: "auto" (np_local_rank(): -ENOENT or -EINVAL after a message naming the
 * launcher variables) or "R/N" with R < N (CLI_USAGE otherwise) */
int cli_parse_ranks(const char *what, const char *s, unsigned int *rank, unsigned int *size);
/* the launcher variables np_local_rank() reads, in its order, NULL-ended (for messages) */
extern const char *const cli_launcher_vars[];

/*
 * The one set grammar (cli/sets.c over the library's np_set_parse()).  A CPU set: a kernel list
 * ("0-3,8", "0-15:2"), a sysfs mask ("ff,ffffffff"), a taskset mask ("0x3"), "all", or a location
 * expression ("node:1", "core:2-3", "near:eth0", "package:0 & !core:0").  A node set: numactl's
 * node strings ("all", "!0", "+1-2", "same" is the verb's business) or a location expression
 * (the nodes of those CPUs).  Sizes come from the topology.  On error: one message naming the
 * bad token and what would work, then CLI_USAGE (syntax) or -errno (runtime, e.g. no topology).
 * *ret is new and owned by the caller.
 */
int cli_parse_cpus(struct cli_ctx *ctx, const char *what, const char *s, struct np_cpuset **ret);
int cli_parse_nodes(struct cli_ctx *ctx, const char *what, const char *s, struct np_cpuset **ret);
/* the same on a topology the verb holds (a verb not on cli_ctx yet, run's own load), with
 * np_topo_parse_cpus() flags: NP_PARSE_ONLINE for a verb's --all ("all", "!" and "+" over
 * every online CPU or node, not only those this process may use) */
int cli_topo_parse_cpus(const struct np_topo *topo, const char *what, const char *s,
			unsigned int flags, struct np_cpuset **ret);
int cli_topo_parse_nodes(const struct np_topo *topo, const char *what, const char *s,
			 unsigned int flags, struct np_cpuset **ret);

#endif /* NP_CLI_OPTS_H */
