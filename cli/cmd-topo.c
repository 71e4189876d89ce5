/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-topo.c - `numaplace topo`: the machine as a tree (machine, package, node, L3, cores
 * with their SMT threads), memory per node, the distance matrix, devices, and the CPUs this
 * process may not use; or, with --json, the whole model.  The printers are cli/topo-text.c
 * and cli/topo-json.c.
 *
 * Terminology:
 *  model    the topology as the library loads it (np_topo_load()), from this machine or a
 *           captured sysroot.
 */
#include <stdbool.h>

#include "cli.h"
#include "topo-print.h"

const struct cli_spec spec_topo = {
	.name = "topo",
	.summary = "show the machine: packages, nodes, caches, cores, devices",
	.synopsis = "[--sysroot DIR] [--json] [-v]",
	.description = "Show the machine: packages, NUMA nodes, caches, cores and their threads, memory,\n"
		       "distances and devices.",
	.opts = (const struct cli_opt[]){
		{ 'v', "verbose", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
		  "print every core and cache, not runs of identical cores" },
		CLI_OPT_END,
	},
	.footer = "Marks: '!' CPU this process may not use, '~' isolated CPU, '-' offline CPU.",
	.flags = CLI_JSON | CLI_SYSROOT,
};

int cmd_topo(struct cli_ctx *ctx)
{
	const struct np_topo *t;
	bool verbose = false;
	char **args;
	int c, n, r;

	while ((c = cli_next(ctx)) != -1) {
		if (c != 'v')
			return c < 0 ? c : CLI_USAGE;
		verbose = true;
	}
	args = cli_operands(ctx, &n);
	if (n > 0)
		return cli_usage("unexpected argument '%s'", args[0]);
	r = cli_topo(ctx, &t);
	if (r < 0)
		return r;
	if (ctx->json)
		topo_print_json(t);
	else
		topo_print_text(t, verbose);
	return 0;
}
