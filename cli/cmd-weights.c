/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-weights.c - `numaplace weights [show|set|auto] [--undo]`: the per-node weights of
 * weighted interleave (Linux 6.9+) as an object: shown, set, derived from the machine, undone.
 *
 * Terminology:
 *  weight     how many pages in a row `run --weighted-interleave` (MPOL_WEIGHTED_INTERLEAVE)
 *             puts on a node, 1-255, from sys/kernel/mm/mempolicy/weighted_interleave/nodeN.
 *  source     where `auto` gets each node's bandwidth: hmat (the firmware's table, read
 *             bandwidth from the best CPU initiators) or bench (measured here: a triad by one
 *             thread per online CPU with the arrays on each node in turn).  The default takes
 *             HMAT when every node with memory has it, else measures.
 *  undo file  the library keeps the weights before each change (np_weights_save()); --undo
 *             writes them back.
 * Writes need root on the live machine; with --sysroot they go into that tree (tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "opts.h"

enum {
	OPT_FROM = CLI_OPT_LONG,
	OPT_DRY_RUN,
	OPT_UNDO,
};

static const struct cli_spec spec_weights_show = {
	.name = "weights show",
	.summary = "print each node's weight",
	.synopsis = "[OPTIONS]",
	.description = "Print the weight of every node that has one, and whether it has memory.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_LIMITS,
};

static const struct cli_spec spec_weights_set = {
	.name = "weights set",
	.summary = "set nodes' weights",
	.synopsis = "[OPTIONS] NODES=WEIGHT...",
	.description = "Set the weight of each node in NODES (any node syntax) to WEIGHT (1-255)\n"
		       "and print what changed.  The weights before are kept for --undo.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.footer = "Example:\n  numaplace weights set 0=3 1=1",
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_LIMITS,
	.args_value = "nodes",
};

static const struct cli_spec spec_weights_auto = {
	.name = "weights auto",
	.summary = "derive the weights from each node's bandwidth",
	.synopsis = "[OPTIONS]",
	.description = "Weights proportional to each memory node's read bandwidth: from HMAT when\n"
		       "the firmware gives it for every node with memory, else measured here.",
	.opts = (const struct cli_opt[]){
		{ OPT_FROM, "from", CLI_REQ_ARG, CLI_V_CHOICE, "SOURCE", "hmat, bench",
		  "take the bandwidths from HMAT, or measure them (default: HMAT when present)" },
		{ OPT_DRY_RUN, "dry-run", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
		  "print the weights and the bandwidths, write nothing" },
		CLI_OPT_END,
	},
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_LIMITS,
};

static const struct cli_spec *const sub_specs[] = {
	&spec_weights_show, &spec_weights_set, &spec_weights_auto, NULL,
};

const struct cli_spec spec_weights = {
	.name = "weights",
	.summary = "show, set or derive the weights of weighted interleave",
	.synopsis = "[show|set|auto] [OPTIONS]\n--undo",
	.description = "The per-node weights of weighted interleave (Linux 6.9+): how many pages\n"
		       "in a row weighted interleave ('run -w') puts on each node.  Without a\n"
		       "sub-command, show them.",
	.opts = (const struct cli_opt[]){
		{ OPT_UNDO, "undo", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
		  "restore the weights from before the last set or auto" },
		CLI_OPT_END,
	},
	.footer = "'numaplace weights SUBCOMMAND --help' for its options.",
	.flags = CLI_POSIX | CLI_JSON | CLI_SYSROOT,
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_DEVICES | NP_TOPO_NO_LIMITS,
	.subs = sub_specs,
};

/* ---- reading and saying ---- */

/* A packed capture (.tar.gz) unpacks into a directory removed at exit: writing there is lost. */
static bool packed(const struct cli_ctx *ctx)
{
	struct stat st;

	return ctx->sysroot && stat(ctx->sysroot, &st) == 0 && S_ISREG(st.st_mode);
}

/* The weights now, @n = np_topo_node_size() entries; a message on failure. */
static int current(const struct cli_ctx *ctx, unsigned int *w, unsigned int n)
{
	const char *root;
	int r = cli_sysroot_dir(ctx->sysroot, &root);

	if (r < 0) {
		cli_topo_error(ctx->sysroot, r);
		return r;
	}
	r = np_weights_read(root, w, n);

	if (r == -ENOENT)
		cli_error("this kernel has no weighted interleave (sys/kernel/mm/mempolicy/"
			  "weighted_interleave appeared in Linux 6.9)");
	else if (r < 0)
		cli_error_errno(r, "cannot read the weights");
	return r < 0 ? r : 0;
}

/*
 * {"@key": [{"node": N, "weight": W[, "memory": bool]}...]} on stdout for the nodes with a
 * weight (0 = none or untouched); "memory" only with @mem.  show and --undo print this.
 */
static void json_weights(const char *key, const unsigned int *w, unsigned int n,
			 const struct np_cpuset *mem)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, key);
	for (unsigned int i = 0; i < n; i++) {
		if (!w[i])
			continue;
		json_obj_begin(&j, NULL);
		json_uint(&j, "node", i);
		json_uint(&j, "weight", w[i]);
		if (mem)
			json_bool(&j, "memory", np_cpuset_isset(mem, i));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int show(struct cli_ctx *ctx)
{
	const struct np_topo *topo;
	const struct np_cpuset *mem;
	unsigned int *w, n;
	int r = cli_topo(ctx, &topo);

	if (r < 0)
		return r;
	n = np_topo_node_size(topo);
	mem = np_topo_memory_nodes(topo);
	w = calloc(n, sizeof(*w));
	if (!w)
		return -ENOMEM;
	r = current(ctx, w, n);
	if (r == 0 && ctx->json) {
		json_weights("weights", w, n, mem);
	} else if (r == 0) {
		printf("node  weight\n");
		for (unsigned int i = 0; i < n; i++)
			if (w[i])
				printf("%-4u  %u%s\n", i, w[i],
				       np_cpuset_isset(mem, i) ? "" : "  (no memory)");
	}
	free(w);
	return r;
}

/* ---- writing ---- */

/* What a change did, @old and @new per node (0 = untouched), on stdout. */
static void say_changes(const struct cli_ctx *ctx, const unsigned int *old, const unsigned int *new,
			unsigned int n)
{
	struct json j;

	if (ctx->json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "weights");
	}
	for (unsigned int i = 0; i < n; i++) {
		if (!new[i])
			continue;
		if (ctx->json) {
			json_obj_begin(&j, NULL);
			json_uint(&j, "node", i);
			json_uint(&j, "from", old[i]);
			json_uint(&j, "to", new[i]);
			json_obj_end(&j);
		} else if (old[i] == new[i]) {
			printf("node %u: weight %u (unchanged)\n", i, new[i]);
		} else {
			printf("node %u: weight %u -> %u\n", i, old[i], new[i]);
		}
	}
	if (ctx->json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	}
}

/* Write @new (0 = leave) after saving the weights for --undo, then say what changed. */
static int apply(const struct cli_ctx *ctx, const unsigned int *new, unsigned int n)
{
	unsigned int *old = calloc(n, sizeof(*old));
	int r;

	if (!old)
		return -ENOMEM;
	if (packed(ctx)) {
		r = cli_usage("cannot write the weights into the packed capture '%s': unpack it "
			      "(tar xzf) and give its directory", ctx->sysroot);
		goto free_old;
	}
	if (!ctx->sysroot && geteuid() != 0) {
		cli_error("writing the weights needs root (they are system-wide: "
			  "sys/kernel/mm/mempolicy/weighted_interleave)");
		r = -EPERM;
		goto free_old;
	}
	r = current(ctx, old, n);
	if (r < 0)
		goto free_old;
	r = np_weights_save(ctx->sysroot);
	if (r < 0) {
		cli_error_errno(r, "cannot keep the weights for --undo (run/numaplace)");
		goto free_old;
	}
	for (unsigned int i = 0; i < n && r == 0; i++)
		if (new[i] && new[i] != old[i] && (r = np_weights_write(ctx->sysroot, i, new[i])) < 0)
			cli_error_errno(r, "cannot set node %u's weight to %u", i, new[i]);
	if (r == 0)
		say_changes(ctx, old, new, n);
free_old:
	free(old);
	return r;
}

/* ---- set ---- */

/* "NODES=WEIGHT" into @new; a usage error for anything else. */
static int parse_pair(struct cli_ctx *ctx, const struct np_topo *topo, const char *arg,
		      unsigned int *new)
{
	const struct np_cpuset *mem = np_topo_memory_nodes(topo);
	const char *eq = strrchr(arg, '=');
	struct np_cpuset *nodes;
	char *end, *spec;
	unsigned long w;
	int r;

	if (!eq || eq == arg)
		return cli_usage("invalid weight '%s': write NODES=WEIGHT, e.g. 0=3", arg);
	w = strtoul(eq + 1, &end, 10);
	if (!eq[1] || *end || eq[1] == '-' || w == 0 || w > NP_WEIGHT_MAX)
		return cli_usage("invalid weight '%s': a weight is 1-%d", eq + 1, NP_WEIGHT_MAX);
	spec = strndup(arg, (size_t)(eq - arg));
	if (!spec)
		return -ENOMEM;
	r = cli_parse_nodes(ctx, "NODES", spec, &nodes);
	free(spec);
	if (r != 0)
		return r;
	np_cpuset_foreach(i, nodes) {
		if (!np_cpuset_isset(mem, (unsigned int)i)) {
			char *list = NULL;

			np_cpuset_format_list(mem, 0, &list);
			r = cli_usage("node %d has no memory; weights matter only for nodes with "
				      "memory (%s)", i, list ? list : "none");
			free(list);
			break;
		}
		new[i] = (unsigned int)w;
	}
	np_cpuset_free(nodes);
	return r;
}

static int set(struct cli_ctx *ctx)
{
	const struct np_topo *topo;
	unsigned int *new, n;
	char **ops;
	int nops, r = cli_topo(ctx, &topo);

	if (r < 0)
		return r;
	ops = cli_operands(ctx, &nops);
	if (nops == 0)
		return cli_usage("no NODES=WEIGHT given (e.g. 0=3 1=1)");
	n = np_topo_node_size(topo);
	new = calloc(n, sizeof(*new));
	if (!new)
		return -ENOMEM;
	for (int i = 0; i < nops && r == 0; i++)
		r = parse_pair(ctx, topo, ops[i], new);
	if (r == 0)
		r = apply(ctx, new, n);
	free(new);
	return r;
}

/* ---- auto ---- */

/* Each memory node's bandwidth by a triad from every online CPU, in MB/s. */
static int measure(const struct np_topo *topo, unsigned long long *bw, unsigned int n)
{
	const struct np_cpuset *mem = np_topo_memory_nodes(topo);
	struct np_bench_mem_opts o = { .size = 64ull << 20, .reps = 3 };
	int r = 0;

	np_cpuset_foreach(i, mem) {
		struct np_bench_bandwidth b;

		if ((unsigned int)i >= n)
			break;
		r = np_bench_bandwidth(np_topo_online_cpus(topo), i, NP_BENCH_TRIAD, &o, &b);
		if (r < 0) {
			cli_error_errno(r, "cannot measure node %d's bandwidth", i);
			return r;
		}
		bw[i] = (unsigned long long)(b.mb_per_s_best + 0.5);
	}
	return 0;
}

/* The bandwidths from @from ("hmat", "bench", NULL for HMAT when present); *@src says which. */
static int bandwidths(const struct np_topo *topo, const char *from, unsigned long long *bw,
		      unsigned int n, const char **src)
{
	int r;

	if (!from || strcmp(from, "hmat") == 0) {
		r = np_weights_hmat_bandwidth(topo, bw, n);
		*src = "hmat";
		if (r == 0 || (r == -ENODATA && from)) {
			if (r == -ENODATA)
				cli_error("the firmware gives no HMAT read bandwidth for every node "
					  "with memory; use --from bench");
			return r;
		}
		if (r != -ENODATA)
			return r;
	}
	*src = "bench";
	return measure(topo, bw, n);
}

static void say_auto(const struct cli_ctx *ctx, const char *src, const unsigned long long *bw,
		     const unsigned int *w, unsigned int n)
{
	struct json j;

	if (!ctx->json) {
		for (unsigned int i = 0; i < n; i++)
			if (w[i])
				printf("node %u: %llu MB/s (%s) -> weight %u\n", i, bw[i], src, w[i]);
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "source", src);
	json_arr_begin(&j, "weights");
	for (unsigned int i = 0; i < n; i++) {
		if (!w[i])
			continue;
		json_obj_begin(&j, NULL);
		json_uint(&j, "node", i);
		json_uint(&j, "bandwidth", bw[i]);
		json_uint(&j, "weight", w[i]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int auto_weights(struct cli_ctx *ctx)
{
	const char *from = NULL, *src;
	bool dry = false;
	const struct np_topo *topo;
	unsigned long long *bw;
	unsigned int *w, n;
	int c, r;

	while ((c = cli_next(ctx)) != -1) {
		if (c == OPT_FROM && strcmp(ctx->optarg, "hmat") && strcmp(ctx->optarg, "bench"))
			return cli_usage("invalid --from '%s': expected one of hmat, bench", ctx->optarg);
		if (c == OPT_FROM)
			from = ctx->optarg;
		else if (c == OPT_DRY_RUN)
			dry = true;
		else
			return c;
	}
	if ((r = bench_no_operands(ctx)) != 0 || (r = cli_topo(ctx, &topo)) < 0)
		return r;
	n = np_topo_node_size(topo);
	bw = calloc(n, sizeof(*bw));
	w = calloc(n, sizeof(*w));
	r = bw && w ? bandwidths(topo, from, bw, n, &src) : -ENOMEM;
	if (r == 0 && (r = np_weights_from_bandwidth(bw, w, n)) < 0)
		cli_error_errno(r, "cannot derive weights");
	if (r == 0 && dry)
		say_auto(ctx, src, bw, w, n);
	else if (r == 0)
		r = apply(ctx, w, n);
	free(bw);
	free(w);
	return r;
}

/* ---- the verb ---- */

static void print_restored(const struct cli_ctx *ctx, const unsigned int *w, unsigned int n)
{
	if (ctx->json) {
		json_weights("restored", w, n, NULL);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		if (w[i])
			printf("node %u: weight %u (restored)\n", i, w[i]);
}

static int undo(const struct cli_ctx *ctx)
{
	const struct np_topo *topo;
	unsigned int *w, n;
	int r = cli_topo((struct cli_ctx *)ctx, &topo);

	if (r < 0)
		return r;
	n = np_topo_node_size(topo);
	w = calloc(n, sizeof(*w));
	if (!w)
		return -ENOMEM;
	if (packed(ctx)) {
		r = cli_usage("cannot write the weights into the packed capture '%s': unpack it "
			      "(tar xzf) and give its directory", ctx->sysroot);
	} else if (!ctx->sysroot && geteuid() != 0) {
		cli_error("writing the weights needs root");
		r = -EPERM;
	} else if ((r = np_weights_undo(ctx->sysroot, w, n)) == -ENOENT) {
		cli_error("nothing to undo: no weights were kept (run/numaplace/weighted-interleave)");
	} else if (r < 0) {
		cli_error_errno(r, "cannot restore the weights");
	} else {
		print_restored(ctx, w, n);
	}
	free(w);
	return r;
}

static int (*const sub_fns[])(struct cli_ctx *ctx) = { show, set, auto_weights };
#define NSUBS (sizeof(sub_fns) / sizeof(sub_fns[0]))
_Static_assert(NSUBS + 1 == sizeof(sub_specs) / sizeof(sub_specs[0]), "one function per spec");

int cmd_weights(struct cli_ctx *ctx)
{
	/* auto has options of its own; show and set have none */
	static const struct cli_subs subs = { sub_specs, sub_fns, show, undo, auto_weights };

	return cli_run_subs(ctx, OPT_UNDO, &subs);
}
