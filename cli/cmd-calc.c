/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-calc.c - `numaplace calc SET...`: the one set grammar as a calculator, in the manner of
 * hwloc-calc: operands in any syntax, united (or intersected), printed as a kernel list, a
 * sysfs mask, a taskset mask, the nodes they sit on, a count, or the objects of a type.
 *
 * Terminology:
 *  operand   one SET argument, parsed by cli_parse_cpus() (cli_parse_nodes() with -N).
 *  result    the union of the operands, or their intersection with --intersect.
 *  objects   with --to TYPE: the objects of TYPE whose CPUs meet the result (hwloc-calc
 *            --intersect), as logical indexes (the N of "TYPE:N" in a location expression),
 *            or with --os as OS numbers (node ids, CPU numbers; for node and pu only).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"

enum {
	OPT_TO = CLI_OPT_LONG,
	OPT_OS,
};

enum format { F_LIST, F_MASK, F_TASKSET };

static const struct cli_opt calc_opts[] = {
	{ 'i', "intersect", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "the CPUs every operand has, instead of those any has" },
	{ 'N', "node-input", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "the operands are node sets (numactl's node strings); the result is nodes" },
	{ 'l', "list", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "print a kernel list: 0-3,8 (default)" },
	{ 'm', "mask", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "print a sysfs mask: ff,ffffffff" },
	{ 't', "taskset", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "print a taskset mask: 0xff" },
	{ 'n', "nodes", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "print the nodes the CPUs sit on, as a list" },
	{ 'c', "count", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "print how many CPUs (nodes with --nodes or -N, objects with --to)" },
	{ OPT_TO, "to", CLI_REQ_ARG, CLI_V_CHOICE, "TYPE",
	  "package, die, cluster, node, l3, l2, llc, core, pu",
	  "print the objects of TYPE meeting the set, by logical index" },
	{ OPT_OS, "os", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "with --to node or --to pu: OS numbers (node ids, CPU numbers)" },
	CLI_OPT_END,
};

const struct cli_spec spec_calc = {
	.name = "calc",
	.summary = "convert, combine and count CPU and node sets",
	.synopsis = "[OPTIONS] SET...",
	.description = "Parse each SET in the one set grammar of every verb (see SETS in\n"
		       "numaplace(1)), unite them (or intersect them with -i) and print the\n"
		       "result in the form asked.",
	.opts = calc_opts,
	.footer = "Examples:\n"
		  "  numaplace calc node:1                 0-7 (the CPUs of the second node)\n"
		  "  numaplace calc --taskset 0-3,8        0x10f\n"
		  "  numaplace calc --mask 32              1,00000000\n"
		  "  numaplace calc -i node:0 pu:odd       the odd CPUs of node 0\n"
		  "  numaplace calc --to core node:1       the logical indexes of node 1's cores\n"
		  "  numaplace calc --count --to core all  how many cores there are",
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = 0,
	.args_value = "cpus",
};

struct calc {
	bool intersect, node_input, nodes, count, os;
	enum format format;
	const char *to;
};

/* the result of the operands; CLI_USAGE or -errno after a message */
static int combine(struct cli_ctx *ctx, const struct calc *c, char **ops, int n,
		   struct np_cpuset **ret)
{
	struct np_cpuset *acc = NULL, *set;
	int r = 0;

	for (int i = 0; i < n && r == 0; i++) {
		r = c->node_input ? cli_parse_nodes(ctx, "SET", ops[i], &set)
				  : cli_parse_cpus(ctx, "SET", ops[i], &set);
		if (r != 0)
			break;
		if (!acc) {
			acc = set;
			continue;
		}
		r = c->intersect ? np_cpuset_and(acc, acc, set) : np_cpuset_or(acc, acc, set);
		np_cpuset_free(set);
	}
	if (r != 0) {
		np_cpuset_free(acc);
		return r;
	}
	*ret = acc;
	return 0;
}

/* the nodes of the CPUs in @cpus */
static int nodes_of(const struct np_topo *topo, const struct np_cpuset *cpus,
		    struct np_cpuset **ret)
{
	struct np_cpuset *nodes;
	int r = np_cpuset_new(np_topo_node_size(topo), &nodes);

	if (r < 0)
		return r;
	np_cpuset_foreach(i, cpus) {
		const struct np_cpu *cpu = np_topo_cpu(topo, (unsigned int)i);

		if (cpu && cpu->node >= 0)
			np_cpuset_set(nodes, (unsigned int)cpu->node);
	}
	*ret = nodes;
	return 0;
}

/* a type name --to accepts: the location types */
static bool known_type(const char *t)
{
	static const char *const names[] = { "package", "socket", "die", "cluster", "node",
					      "numa", "l3", "l2", "llc", "core", "pu", "thread" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(t, names[i]) == 0)
			return true;
	return false;
}

/* --to's value for cli_parse_choice(): known or -EINVAL (the type stays a word) */
static int to_parse(const char *t)
{
	return known_type(t) ? 0 : -EINVAL;
}

/*
 * The logical indexes of the objects of @type meeting @cpus.  Each "TYPE:i" is asked of the
 * location evaluator, so the indexes are exactly those location expressions use.
 */
static int objects(const struct np_topo *topo, const char *type, const struct np_cpuset *cpus,
		   struct np_cpuset **ret)
{
	struct np_cpuset *idx;
	unsigned int cap = 64;
	char expr[64];
	int r = np_cpuset_new(cap, &idx);

	for (unsigned int i = 0; r == 0; i++) {
		struct np_cpuset *obj;

		snprintf(expr, sizeof(expr), "%s:%u", type, i);
		r = np_location_resolve(topo, expr, &obj, NULL);
		if (r == -ERANGE) {
			r = 0;
			break;
		}
		if (r < 0)
			break;
		if (i >= cap && (r = np_cpuset_resize(idx, cap *= 2)) < 0) {
			np_cpuset_free(obj);
			break;
		}
		if (np_cpuset_intersects(obj, cpus))
			np_cpuset_set(idx, i);
		np_cpuset_free(obj);
	}
	if (r < 0) {
		np_cpuset_free(idx);
		return r;
	}
	*ret = idx;
	return 0;
}

/* the set to print: the result, its nodes, or the objects --to asks for */
static int value(const struct np_topo *topo, const struct calc *c, const struct np_cpuset *res,
		 struct np_cpuset **ret)
{
	if (c->nodes || (c->to && c->os && strcmp(c->to, "node") == 0) ||
	    (c->to && c->os && strcmp(c->to, "numa") == 0))
		return nodes_of(topo, res, ret);
	if (c->to && c->os) {
		int r = np_cpuset_dup(res, ret);

		if (r == 0)
			np_cpuset_and(*ret, *ret, np_topo_online_cpus(topo));
		return r;
	}
	if (c->to)
		return objects(topo, c->to, res, ret);
	return np_cpuset_dup(res, ret);
}

static char *text(const struct np_cpuset *set, enum format f)
{
	char *s = NULL, *t = NULL;

	if (f == F_LIST)
		np_cpuset_format_list(set, 0, &s);
	else if (f == F_MASK)
		np_cpuset_format_mask(set, 0, &s);
	else if (np_cpuset_format_taskset(set, &t) == 0 && asprintf(&s, "0x%s", t) < 0)
		s = NULL;
	free(t);
	return s;
}

static int print_json(const struct calc *c, const struct np_cpuset *res,
		      const struct np_cpuset *nodes, const struct np_cpuset *val)
{
	char *mask = text(res, F_MASK), *ts = text(res, F_TASKSET);
	struct json j;

	if (!mask || !ts) {
		free(mask);
		free(ts);
		return -ENOMEM;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_cpuset(&j, c->node_input ? "nodes" : "cpus", res);
	json_uint(&j, "count", np_cpuset_weight(res));
	json_str(&j, "mask", mask);
	json_str(&j, "taskset", ts);
	if (nodes)
		json_cpuset(&j, "nodes", nodes);
	if (c->to) {
		json_obj_begin(&j, "to");
		json_str(&j, "type", c->to);
		json_bool(&j, "os", c->os);
		json_cpuset(&j, "objects", val);
		json_uint(&j, "count", np_cpuset_weight(val));
		json_obj_end(&j);
	}
	json_obj_end(&j);
	json_finish(&j);
	free(mask);
	free(ts);
	return 0;
}

static int print(const struct cli_ctx *ctx, const struct np_topo *topo, const struct calc *c,
		 const struct np_cpuset *res)
{
	struct np_cpuset *val = NULL, *nodes = NULL;
	char *s = NULL;
	int r = value(topo, c, res, &val);

	if (r == 0 && ctx->json && !c->node_input)
		r = nodes_of(topo, res, &nodes);
	if (r == 0 && ctx->json)
		r = print_json(c, res, nodes, val);
	else if (r == 0 && c->count)
		printf("%u\n", np_cpuset_weight(val));
	else if (r == 0 && (s = text(val, c->format)) != NULL)
		printf("%s\n", s);
	else if (r == 0)
		r = -ENOMEM;
	if (r < 0)
		cli_error_errno(r, "cannot compute the result");
	free(s);
	np_cpuset_free(val);
	np_cpuset_free(nodes);
	return r;
}

/* the combinations the options cannot mean anything in: a usage message */
static int check(const struct calc *c)
{
	if (c->to && c->node_input)
		return cli_usage("--to counts the objects of a CPU set; drop -N");
	if (c->to && c->nodes)
		return cli_usage("--to and --nodes both choose what to print; keep one");
	if (c->os && !(c->to && (strcmp(c->to, "node") == 0 || strcmp(c->to, "numa") == 0 ||
				 strcmp(c->to, "pu") == 0 || strcmp(c->to, "thread") == 0)))
		return cli_usage("--os needs --to node or --to pu (only those have OS "
				 "numbers)");
	return 0;
}

static int options(struct cli_ctx *ctx, struct calc *c)
{
	int o;

	while ((o = cli_next(ctx)) != -1) {
		switch (o) {
		case 'i':
			c->intersect = true;
			break;
		case 'N':
			c->node_input = true;
			break;
		case 'l':
			c->format = F_LIST;
			break;
		case 'm':
			c->format = F_MASK;
			break;
		case 't':
			c->format = F_TASKSET;
			break;
		case 'n':
			c->nodes = !c->node_input;
			break;
		case 'c':
			c->count = true;
			break;
		case OPT_TO:
			if (cli_parse_choice(ctx, to_parse, &(int){ 0 }) != 0)
				return CLI_USAGE;
			c->to = ctx->optarg;
			break;
		case OPT_OS:
			c->os = true;
			break;
		default:
			return o; /* CLI_HELP, CLI_USAGE */
		}
	}
	return check(c);
}

int cmd_calc(struct cli_ctx *ctx)
{
	struct calc c = { .format = F_LIST };
	const struct np_topo *topo;
	struct np_cpuset *res;
	char **ops;
	int n, r = options(ctx, &c);

	if (r != 0)
		return r;
	ops = cli_operands(ctx, &n);
	if (n == 0)
		return cli_usage("no SET given; try 'numaplace calc node:0'");
	r = cli_topo(ctx, &topo);
	if (r < 0)
		return r;
	r = combine(ctx, &c, ops, n, &res);
	if (r != 0)
		return r;
	r = print(ctx, topo, &c, res);
	np_cpuset_free(res);
	return r;
}
