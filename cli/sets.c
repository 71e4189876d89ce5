/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sets.c - CPU and node arguments of every verb: the library's one grammar
 * (np_topo_parse_cpus / np_topo_parse_nodes) with one message per fault that names the bad
 * token and says what would work.
 *
 * Terminology:
 *  what     how the caller names the argument in messages: "--cpus", "CPUS", "--within".
 *  token    the word of the argument at the parser's error offset, up to the next separator.
 *  type     the word before ':' in a location token ("core" in "core:99"); its objects are
 *           counted to say which indexes exist.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"

#define EXPECTED "write a list (0-3,8 or 0-15:2), a mask (ff,ffffffff or 0xff), all, !SET, " \
		 "+RANKS or a location (node:1, core:0-3, near:eth0)"

struct arg {
	const char *kind; /* "CPU set", "node set" */
	const char *what;
	const char *str;
	bool nodes;
	unsigned int flags; /* NP_PARSE_* */
};

static void say(const struct arg *a, const char *why)
{
	cli_error("invalid %s '%s' for %s: %s", a->kind, a->str, a->what, why);
}

/* the token at @pos: up to a separator (',' ' ' '~' '&' '(' ')') */
static void token(const char *str, size_t pos, char *buf, size_t size)
{
	size_t len = strlen(str);
	size_t n;

	if (pos > len)
		pos = len;
	n = strcspn(str + pos, ", \t\n~&()");
	if (n == 0 && str[pos])
		n = 1;
	snprintf(buf, size, "%.*s", (int)n, str + pos);
}

/*
 * "5-3" or "5-3:2": a range written high to low, which every syntax refuses.  Writes the range
 * turned round ("3-5", "3-5:2") into @buf and returns true.
 */
static bool reversed_range(const char *tok, char *buf, size_t size)
{
	const char *stride;
	unsigned long lo, hi;
	char *end;

	if (*tok < '0' || *tok > '9')
		return false;
	lo = strtoul(tok, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return false;
	hi = strtoul(end + 1, &end, 10);
	stride = end;
	if (*end == ':' && end[1] >= '0' && end[1] <= '9')
		end += 1 + strspn(end + 1, "0123456789");
	if (*end != '\0' || hi >= lo)
		return false;
	snprintf(buf, size, "%lu-%lu%s", hi, lo, stride);
	return true;
}

/* a set as a kernel list, for messages; "none" when empty */
static const char *list(const struct np_cpuset *set, char *buf, size_t size)
{
	char *s = NULL;

	if (!set || np_cpuset_format_list(set, 0, &s) < 0)
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s", *s ? s : "none");
	free(s);
	return buf;
}

/* the object type a location's word names (np_obj_type_parse()), or -1 */
static int type_of(const char *type)
{
	return np_obj_type_parse(type, strlen(type));
}

/* how many objects a location type has, or -1 for a word that is not a type */
static long type_count(const struct np_topo *topo, const char *type)
{
	int ty = type_of(type);

	return ty < 0 ? -1 : (long)np_topo_obj_count(topo, (enum np_obj_type)ty);
}

/* node:N counts nodes by logical index: say so where that is not the node id */
static void range_node(const struct np_topo *topo, const char *sel, long n, char *why,
		       size_t size)
{
	char l[256];

	if (np_cpuset_last(np_topo_nodes(topo)) == n - 1)
		snprintf(why, size, "no node %s; this machine has nodes 0-%ld", sel, n - 1);
	else
		snprintf(why, size, "no node %s; node: counts the %ld nodes 0-%ld by logical index "
			 "(their ids are %s)", sel, n, n - 1,
			 list(np_topo_nodes(topo), l, sizeof(l)));
}

/* -ERANGE in a location: "no core 99; this machine has cores 0-7" */
static void range_location(const struct arg *a, const struct np_topo *topo, const char *tok)
{
	const char *colon = strchr(tok, ':');
	char type[32], why[256];
	long n;

	snprintf(type, sizeof(type), "%.*s", (int)(colon - tok), tok);
	n = type_count(topo, type);
	if (n <= 0)
		snprintf(why, sizeof(why), "no %s %s; this machine has none", type, colon + 1);
	else if (n == 1)
		snprintf(why, sizeof(why), "no %s %s; this machine has one, %s:0", type, colon + 1,
			 type);
	else if (type_of(type) == NP_OBJ_NODE)
		range_node(topo, colon + 1, n, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "no %s %s; this machine has %ss 0-%ld", type, colon + 1,
			 type, n - 1);
	say(a, why);
}

/* what "all", "!" and "+" count over */
static const struct np_cpuset *universe(const struct arg *a, const struct np_topo *topo)
{
	if (a->flags & NP_PARSE_ONLINE)
		return a->nodes ? np_topo_online_nodes(topo) : np_topo_online_cpus(topo);
	return a->nodes ? np_topo_allowed_nodes(topo) : np_topo_allowed_cpus(topo);
}

/* -ERANGE: a number naming nothing, a rank past the allowed members, an index past the objects */
static void range(const struct arg *a, const struct np_topo *topo, const char *tok)
{
	const struct np_cpuset *exists = a->nodes ? np_topo_nodes(topo)
						  : np_topo_possible_cpus(topo);
	const struct np_cpuset *allowed = universe(a, topo);
	const char *unit = a->nodes ? "node" : "CPU";
	const char *body = a->str + strspn(a->str, " \t\n!");
	char why[512], l[256];

	if (strchr(tok, ':') && !(*tok >= '0' && *tok <= '9')) {
		range_location(a, topo, tok);
		return;
	}
	list(exists, l, sizeof(l));
	if (*body == '+')
		snprintf(why, sizeof(why), "rank %s is past the %u %ss %s (%s)", tok,
			 np_cpuset_weight(allowed), unit,
			 a->flags & NP_PARSE_ONLINE ? "online" : "this process may use",
			 list(allowed, l, sizeof(l)));
	else if (body[strspn(body, "0123456789,-: \t\n")] != '\0' || strncmp(body, "0x", 2) == 0)
		snprintf(why, sizeof(why), "the mask names %ss this machine does not have; it has "
			 "%ss %s", unit, unit, l);
	else if (tok[strspn(tok, "0123456789")] == '\0')
		snprintf(why, sizeof(why), "no %s %s; this machine has %ss %s", unit, tok, unit, l);
	else
		snprintf(why, sizeof(why),
			 "'%s' names %ss this machine does not have; it has %ss %s",
			 tok, unit, unit, l);
	say(a, why);
}

/* the message for a failed parse; returns what the cli_parse_* function returns */
static int explain(const struct arg *a, const struct np_topo *topo, int err, size_t pos)
{
	char tok[128], why[512], turned[128];

	token(a->str, pos, tok, sizeof(tok));
	switch (err) {
	case -EINVAL:
		if (a->str[strspn(a->str, " \t\n")] == '\0')
			snprintf(why, sizeof(why), "empty; " EXPECTED);
		else if (pos > 0 && a->str[pos - 1] == ',' && strpbrk(a->str, "abcdefABCDEF") &&
			 !strchr(a->str, ':'))
			snprintf(why, sizeof(why),
				 "'%s': the words of a sysfs mask after the first have 8 hex "
				 "digits (ff,000000ff); for a taskset mask write 0x", tok);
		else if (*tok == '\0')
			snprintf(why, sizeof(why), "it ends too soon; " EXPECTED);
		else if (reversed_range(tok, turned, sizeof(turned)))
			snprintf(why, sizeof(why),
				 "'%s': a range runs low to high; did you mean %s?", tok, turned);
		else
			snprintf(why, sizeof(why), "unexpected '%s'; " EXPECTED, tok);
		say(a, why);
		return CLI_USAGE;
	case -EOVERFLOW:
		snprintf(why, sizeof(why), "number too large at '%s'", tok);
		say(a, why);
		return CLI_USAGE;
	case -ERANGE:
		range(a, topo, tok);
		return CLI_USAGE;
	case -ENODEV:
		snprintf(why, sizeof(why), "no device '%s' on this machine", tok + strlen("near:"));
		say(a, why);
		return CLI_USAGE;
	default:
		cli_error_errno(err, "cannot parse %s '%s' for %s", a->kind, a->str, a->what);
		return err;
	}
}

static int parse(const struct np_topo *topo, const struct arg *a, struct np_cpuset **ret)
{
	struct np_cpuset *set = NULL;
	size_t pos = 0;
	int r = a->nodes ? np_topo_parse_nodes(topo, a->str, a->flags, &set, &pos)
			 : np_topo_parse_cpus(topo, a->str, a->flags, &set, &pos);

	if (r < 0)
		return explain(a, topo, r, pos);
	if (np_cpuset_empty(set)) {
		say(a, a->nodes ? "it names no node" : "it names no online CPU");
		np_cpuset_free(set);
		return CLI_USAGE;
	}
	*ret = set;
	return 0;
}

int cli_topo_parse_cpus(const struct np_topo *topo, const char *what, const char *s,
			unsigned int flags, struct np_cpuset **ret)
{
	const struct arg a = { "CPU set", what, s, false, flags };

	return parse(topo, &a, ret);
}

int cli_topo_parse_nodes(const struct np_topo *topo, const char *what, const char *s,
			 unsigned int flags, struct np_cpuset **ret)
{
	const struct arg a = { "node set", what, s, true, flags };

	return parse(topo, &a, ret);
}

int cli_parse_cpus(struct cli_ctx *ctx, const char *what, const char *s, struct np_cpuset **ret)
{
	const struct np_topo *topo;
	int r = cli_topo(ctx, &topo);

	return r < 0 ? r : cli_topo_parse_cpus(topo, what, s, 0, ret);
}

int cli_parse_nodes(struct cli_ctx *ctx, const char *what, const char *s, struct np_cpuset **ret)
{
	const struct np_topo *topo;
	int r = cli_topo(ctx, &topo);

	return r < 0 ? r : cli_topo_parse_nodes(topo, what, s, 0, ret);
}
