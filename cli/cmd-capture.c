/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-capture.c - `numaplace capture DIR`: copy the /sys and /proc files numaplace reads into
 * DIR, so that `numaplace topo --sysroot DIR` shows this machine anywhere (bug reports,
 * fixtures).
 *
 * Terminology:
 *  capture  a directory with sys/ and proc/ inside, holding copies of the files (and links)
 *           the topology readers open; see np_topo_capture().
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static void usage(void)
{
	printf("Usage: numaplace capture [--sysroot SRC] [--json] DIR\n\n"
	       "Copy the /sys and /proc files numaplace reads into DIR (created if missing), so that\n"
	       "'numaplace topo --sysroot DIR' shows this machine on any other.\n\n"
	       "Options:\n"
	       "  --sysroot SRC  capture from another capture instead of this machine\n"
	       "  --json         print the summary as JSON\n"
	       "  -h, --help     show this help\n");
}

int cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *sysroot = NULL;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			sysroot = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage();
			return 0;
		default:
			return CLI_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage(optind >= argc ? "capture: no directory given"
						: "capture: more than one directory given");
	r = np_topo_capture(sysroot, argv[optind]);
	if (r < 0) {
		cli_error_errno(r, "cannot capture into '%s'", argv[optind]);
		return r;
	}
	if (json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_str(&j, "dir", argv[optind]);
		json_int(&j, "files", r);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		printf("captured %d files in %s\n", r, argv[optind]);
	}
	return 0;
}
