/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * opts.c - option tables to getopt_long: the short string and the long-option array generated
 * from a verb's spec plus the common rows, the common options handled once, one message per
 * kind of bad option, and the usage text generated from the same table.
 *
 * Terminology:
 *  spec      a verb's declaration (cli/opts.h): its option table, synopsis and flags.
 *  row       one option of a spec's table, or a common one (--help, --json/-j, --sysroot).
 *            A CLI_LIVE verb's --sysroot is no row: getopt knows it only to refuse it.
 *  generated the getopt string and struct option array built from the rows of one spec;
 *            built again only when cli_next() is called for another spec.
 *  distance  the optimal-string-alignment edit distance (Damerau-Levenshtein with
 *            adjacent transpositions): "jsn" is 1 from "json", "tpo" 1 from "topo".
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* the common rows; their ids are above every id a verb may use */
#define CLI_OPT_SYSROOT (CLI_OPT_LONG + 0x7000)

static const struct cli_opt opt_sysroot = {
	CLI_OPT_SYSROOT, "sysroot", CLI_REQ_ARG, CLI_V_DIR, "DIR", NULL,
	"read the machine from DIR, a capture ('numaplace capture')\n"
	"instead of this machine's /sys and /proc"
};
static const struct cli_opt opt_json = {
	'j', "json", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "print JSON"
};
static const struct cli_opt opt_help = {
	'h', "help", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "show this help"
};

#define MAX_ROWS 128

static struct generated {
	const struct cli_spec *spec;
	char shorts[3 * MAX_ROWS + 3];
	struct option longs[MAX_ROWS + 2]; /* and CLI_LIVE's --sysroot, and the end */
} gen;

const struct cli_opt *cli_row(const struct cli_spec *spec, size_t i)
{
	size_t n = 0;

	while (spec->opts && spec->opts[n].id)
		n++;
	if (i < n)
		return &spec->opts[i];
	i -= n;
	if (spec->flags & CLI_SYSROOT) {
		if (i == 0)
			return &opt_sysroot;
		i--;
	}
	if (spec->flags & CLI_JSON) {
		if (i == 0)
			return &opt_json;
		i--;
	}
	return i == 0 ? &opt_help : NULL;
}

static void add_short(char *s, const struct cli_opt *o)
{
	size_t len = strlen(s);

	if (o->id <= 0 || o->id >= CLI_OPT_LONG)
		return;
	s[len++] = (char)o->id;
	if (o->arg != CLI_NO_ARG)
		s[len++] = ':';
	if (o->arg == CLI_OPT_ARG)
		s[len++] = ':';
	s[len] = '\0';
}

static const struct generated *generate(const struct cli_spec *spec)
{
	static const int has_arg[] = { no_argument, required_argument, optional_argument };
	const struct cli_opt *o;
	size_t nl = 0;

	if (gen.spec == spec)
		return &gen;
	memset(&gen, 0, sizeof(gen));
	/* '+': a command follows, whose options are its own; ':' reports a missing argument */
	strcpy(gen.shorts, spec->flags & CLI_POSIX ? "+:" : ":");
	for (size_t i = 0; (o = cli_row(spec, i)) && i < MAX_ROWS; i++) {
		add_short(gen.shorts, o);
		if (!o->name)
			continue;
		gen.longs[nl].name = o->name;
		gen.longs[nl].has_arg = has_arg[o->arg];
		gen.longs[nl].val = o->id;
		nl++;
	}
	/* recognised, to be refused with the reason, but neither listed nor completed */
	if (spec->flags & CLI_LIVE) {
		gen.longs[nl].name = opt_sysroot.name;
		gen.longs[nl].has_arg = required_argument;
		gen.longs[nl].val = opt_sysroot.id;
	}
	gen.spec = spec;
	return &gen;
}

const char *cli_getopt_string(const struct cli_spec *spec)
{
	return generate(spec)->shorts;
}

unsigned int cli_distance(const char *a, const char *b)
{
	unsigned int d[3][65];
	size_t la = strlen(a), lb = strlen(b);

	if (la > 64 || lb > 64)
		return 100;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned int *cur = d[i % 3], *prev = d[(i - 1) % 3], *pprev = d[(i + 1) % 3];

		cur[0] = (unsigned int)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] != b[j - 1], v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pprev[j - 2] + 1 < v)
				v = pprev[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned int bd = 3;

	for (size_t i = 0; i < n; i++) {
		unsigned int dist;

		if (!cands[i])
			continue;
		dist = cli_distance(word, cands[i]);
		if (dist < bd) {
			bd = dist;
			best = cands[i];
		}
	}
	return best;
}

int cli_find_sub(const struct cli_spec *const *subs, const char *word)
{
	const char *names[32], *near;
	char list[256] = "";
	size_t n = 0, len = 0;

	for (; subs[n] && n < 32; n++) {
		/* a sub-command's spec is named "VERB SUB" */
		names[n] = strchr(subs[n]->name, ' ') ? strchr(subs[n]->name, ' ') + 1 : subs[n]->name;
		if (word && strcmp(word, names[n]) == 0)
			return (int)n;
		len += (size_t)snprintf(list + len, len < sizeof(list) ? sizeof(list) - len : 0,
					"%s%s", n ? ", " : "", names[n]);
	}
	if (!word)
		return cli_usage("no sub-command given (%s)", list);
	near = cli_suggest(word, names, n);
	if (near)
		return cli_usage("unknown sub-command '%s'; did you mean '%s'?", word, near);
	return cli_usage("unknown sub-command '%s' (%s)", word, list);
}

int cli_run_sub(const struct cli_ctx *parent, const struct cli_spec *spec,
		int (*fn)(struct cli_ctx *ctx), bool own_options, int argc, char **argv)
{
	struct cli_ctx ctx = { .spec = spec, .argc = argc, .argv = argv, .json = parent->json,
			       .sysroot = parent->sysroot };
	int c, r;

	cli_set_verb(spec->name);
	/* a sub-command without options of its own still answers --help and bad options */
	if (!own_options)
		while ((c = cli_next(&ctx)) != -1)
			return c;
	r = fn(&ctx);
	np_topo_free(ctx.topo);
	return r;
}

int cli_run_subs(struct cli_ctx *ctx, int undo_opt, const struct cli_subs *subs)
{
	bool want_undo = false;
	char **ops;
	int c, n, i;

	while ((c = cli_next(ctx)) != -1) {
		if (c != undo_opt)
			return c;
		want_undo = true;
	}
	ops = cli_operands(ctx, &n);
	if (want_undo)
		return n ? cli_usage("--undo takes no sub-command ('%s')", ops[0]) : subs->undo(ctx);
	if (n == 0)
		return subs->none(ctx);
	i = cli_find_sub(subs->specs, ops[0]);
	return i < 0 ? i
		     : cli_run_sub(ctx, subs->specs[i], subs->fns[i],
				   subs->fns[i] == subs->own_options, n, ops);
}

/* "--jsn=x" -> "jsn" in @buf */
static const char *long_name(const char *arg, char *buf, size_t size)
{
	size_t len = strcspn(arg + 2, "=");

	if (len >= size)
		len = size - 1;
	memcpy(buf, arg + 2, len);
	buf[len] = '\0';
	return buf;
}

static int bad_long(const struct generated *g, const char *arg)
{
	const char *names[MAX_ROWS + 2];
	char name[64], amb[256] = "";
	size_t n = 0, nprefix = 0;
	const char *s;

	long_name(arg, name, sizeof(name));
	for (const struct option *o = g->longs; o->name; o++) {
		names[n++] = o->name;
		if (*name && strncmp(o->name, name, strlen(name)) == 0 && nprefix++ < 6) {
			strncat(amb, " '--", sizeof(amb) - strlen(amb) - 1);
			strncat(amb, o->name, sizeof(amb) - strlen(amb) - 1);
			strncat(amb, "'", sizeof(amb) - strlen(amb) - 1);
		}
	}
	if (nprefix > 1)
		return cli_usage("option '--%s' is ambiguous; possibilities:%s", name, amb);
	s = cli_suggest(name, names, n);
	if (s)
		return cli_usage("unknown option '--%s'; did you mean '--%s'?", name, s);
	return cli_usage("unknown option '--%s'", name);
}

/* what getopt_long's '?' or ':' meant, worded once for every verb */
static int bad_option(const struct generated *g, int c, const struct cli_ctx *ctx)
{
	const char *arg = optind > 0 && optind <= ctx->argc ? ctx->argv[optind - 1] : "";
	char name[64];
	bool is_long = strncmp(arg, "--", 2) == 0;

	if (c == ':') {
		if (is_long)
			return cli_usage("option '--%s' needs an argument",
					 long_name(arg, name, sizeof(name)));
		return cli_usage("option '-%c' needs an argument", optopt);
	}
	if (optopt && is_long)
		return cli_usage("option '--%s' takes no argument", long_name(arg, name, sizeof(name)));
	if (optopt)
		return cli_usage("unknown option '-%c'", optopt);
	return bad_long(g, arg);
}

int cli_next(struct cli_ctx *ctx)
{
	const struct generated *g = generate(ctx->spec);
	int c;

	/* a sub-command's messages name it: "numaplace bench memory: ..." */
	if (ctx->optind == 0 && *ctx->spec->name)
		cli_set_verb(ctx->spec->name);
	/* optind 0 makes glibc's getopt start afresh (a previous verb or sub-command used it) */
	optind = ctx->optind;
	opterr = 0;
	for (;;) {
		c = getopt_long(ctx->argc, ctx->argv, g->shorts, g->longs, NULL);
		ctx->optind = optind;
		ctx->optarg = c == -1 ? NULL : optarg;
		ctx->opt = c;
		switch (c) {
		case '?':
		case ':':
			return bad_option(g, c, ctx);
		case 'h':
			cli_print_usage(ctx->spec, stdout);
			return CLI_HELP;
		case 'j':
			if (!(ctx->spec->flags & CLI_JSON))
				return c;
			ctx->json = true;
			continue;
		case CLI_OPT_SYSROOT:
			if (ctx->spec->flags & CLI_LIVE)
				return cli_usage("option '--sysroot' is not for %s: it acts on this "
						 "machine, not on a capture", ctx->spec->name);
			/* the library takes "" as "/": an empty value must not mean this machine */
			if (!*optarg)
				return cli_usage("invalid --sysroot '': expected a capture's directory "
						 "(leave --sysroot out for this machine)");
			ctx->sysroot = optarg;
			continue;
		default:
			return c;
		}
	}
}

/* the word of @choices ("spread, close, ...") nearest to @word, in @buf; NULL when none */
static const char *suggest_choice(const char *word, const char *choices, char *buf, size_t size)
{
	const char *words[32];
	size_t n = 0;
	char *save = NULL;

	if (!choices || strlen(choices) >= size)
		return NULL;
	strcpy(buf, choices);
	for (char *w = strtok_r(buf, ", ", &save); w && n < 32; w = strtok_r(NULL, ", ", &save))
		words[n++] = w;
	return cli_suggest(word, words, n);
}

int cli_parse_choice(const struct cli_ctx *ctx, int (*parse)(const char *), int *ret)
{
	const struct cli_opt *o = NULL;
	int v = ctx->optarg ? parse(ctx->optarg) : -EINVAL;
	const char *choices, *near;
	char name[64], buf[512];

	if (v >= 0) {
		*ret = v;
		return 0;
	}
	for (size_t i = 0; (o = cli_row(ctx->spec, i)); i++)
		if (o->id == ctx->opt)
			break;
	if (o && o->name)
		snprintf(name, sizeof(name), "--%s", o->name);
	else
		snprintf(name, sizeof(name), "-%c", ctx->opt);
	choices = o && o->choices ? o->choices : "?";
	near = ctx->optarg ? suggest_choice(ctx->optarg, choices, buf, sizeof(buf)) : NULL;
	if (near)
		return cli_usage("invalid %s '%s': expected one of %s; did you mean '%s'?", name,
				 ctx->optarg, choices, near);
	return cli_usage("invalid %s '%s': expected one of %s", name, ctx->optarg ? ctx->optarg : "",
			 choices);
}

char **cli_operands(const struct cli_ctx *ctx, int *count)
{
	int first = ctx->optind > 0 ? ctx->optind : 1;

	if (first > ctx->argc)
		first = ctx->argc;
	*count = ctx->argc - first;
	return ctx->argv + first;
}

int cli_topo(struct cli_ctx *ctx, const struct np_topo **ret)
{
	unsigned int flags = ctx->spec->topo_flags;
	int e;

	if (!ctx->topo) {
		const char *root;

		/* a packed capture (numaplace capture DIR; tar czf DIR.tar.gz -C DIR .) */
		if ((e = cli_sysroot_dir(ctx->sysroot, &root)) < 0) {
			cli_topo_error(ctx->sysroot, e);
			return e;
		}
		e = np_topo_load(root, flags, &ctx->topo);
		if (e < 0) {
			cli_topo_error(ctx->sysroot, e);
			return e;
		}
		cli_topo_problems(ctx->topo);
	}
	*ret = ctx->topo;
	return 0;
}

/* "  -c, --count N" in @buf: the left column of a row */
static int row_left(const struct cli_opt *o, char *buf, size_t size)
{
	const char *mv = o->metavar ? o->metavar : "ARG";
	bool has_short = o->id > 0 && o->id < CLI_OPT_LONG;
	int n;

	if (has_short && o->name)
		n = snprintf(buf, size, "  -%c, --%s", o->id, o->name);
	else if (has_short)
		n = snprintf(buf, size, "  -%c", o->id);
	else
		n = snprintf(buf, size, "      --%s", o->name);
	if (n < 0 || (size_t)n >= size)
		return n;
	if (o->arg == CLI_REQ_ARG)
		n += snprintf(buf + n, size - (size_t)n, o->name ? " %s" : " %s", mv);
	else if (o->arg == CLI_OPT_ARG)
		n += snprintf(buf + n, size - (size_t)n, o->name ? "[=%s]" : "[%s]", mv);
	return n;
}

static void print_help_text(const char *help, int col, FILE *f)
{
	for (const char *p = help; *p; p++) {
		fputc(*p, f);
		if (*p == '\n')
			fprintf(f, "%*s", col, "");
	}
	fputc('\n', f);
}

static void print_options(const struct cli_spec *spec, FILE *f)
{
	const struct cli_opt *o;
	char left[128];
	int col = 0;

	for (size_t i = 0; (o = cli_row(spec, i)); i++) {
		int n = row_left(o, left, sizeof(left));

		if (n > col && n <= 30)
			col = n;
	}
	col += 2;
	fputs("\nOptions:\n", f);
	for (size_t i = 0; (o = cli_row(spec, i)); i++) {
		int n = row_left(o, left, sizeof(left));

		fputs(left, f);
		if (n + 2 > col)
			fprintf(f, "\n%*s", col, "");
		else
			fprintf(f, "%*s", col - n, "");
		print_help_text(o->help ? o->help : "", col, f);
	}
}

void cli_print_usage(const struct cli_spec *spec, FILE *f)
{
	const char *syn = spec->synopsis ? spec->synopsis : "[OPTIONS]";
	const char *sep = *spec->name ? " " : "";

	for (int first = 1; syn; first = 0) {
		size_t len = strcspn(syn, "\n");

		fprintf(f, "%s numaplace%s%s %.*s\n", first ? "Usage:" : "      ", sep, spec->name,
			(int)len, syn);
		syn = syn[len] ? syn + len + 1 : NULL;
	}
	if (spec->description)
		fprintf(f, "\n%s\n", spec->description);
	if (spec->subs) {
		fputs("\nSub-commands:\n", f);
		for (const struct cli_spec *const *sub = spec->subs; *sub; sub++) {
			const char *word = strrchr((*sub)->name, ' ');

			fprintf(f, "  %-14s %s\n", word ? word + 1 : (*sub)->name,
				(*sub)->summary ? (*sub)->summary : "");
		}
	}
	print_options(spec, f);
	if (spec->footer)
		fprintf(f, "\n%s\n", spec->footer);
}
