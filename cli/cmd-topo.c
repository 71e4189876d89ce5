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
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "topo-print.h"

struct topo_opts {
	const char *sysroot;
	bool json;
	bool verbose;
};

static void usage(void)
{
	printf("Usage: numaplace topo [--sysroot DIR] [--json] [-v]\n\n"
	       "Show the machine: packages, NUMA nodes, caches, cores and their threads, memory,\n"
	       "distances and devices.\n\n"
	       "Options:\n"
	       "  --sysroot DIR  read a captured tree (see 'numaplace capture') instead of this machine\n"
	       "  --json         print the whole model as JSON\n"
	       "  -v, --verbose  print every core and cache, not runs of identical cores\n"
	       "  -h, --help     show this help\n\n"
	       "Marks: '!' CPU this process may not use, '~' isolated CPU, '-' offline CPU.\n");
}

static int parse_opts(int argc, char **argv, struct topo_opts *o)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			o->sysroot = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage();
			return 1;
		default:
			return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	return 0;
}

int cmd_topo(int argc, char **argv)
{
	struct topo_opts o = { 0 };
	struct np_topo *t;
	int r = parse_opts(argc, argv, &o);

	if (r)
		return r == 1 ? 0 : r;
	r = np_topo_load(o.sysroot, 0, &t);
	if (r < 0) {
		cli_error_errno(r, "cannot read the topology of '%s'", o.sysroot ? o.sysroot : "/");
		return r;
	}
	if (o.json)
		topo_print_json(t);
	else
		topo_print_text(t, o.verbose);
	np_topo_free(t);
	return 0;
}
