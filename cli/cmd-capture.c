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
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const struct cli_spec spec_capture = {
	.name = "capture",
	.summary = "copy the /sys and /proc files numaplace reads into a directory",
	.synopsis = "[--sysroot SRC] [--json] DIR",
	.description = "Copy the /sys and /proc files numaplace reads into DIR (created if missing), so that\n"
		       "'numaplace topo --sysroot DIR' shows this machine on any other.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.flags = CLI_JSON | CLI_SYSROOT,
	.args_value = "dir",
};

int cmd_capture(struct cli_ctx *ctx)
{
	const char *dir, *src;
	struct stat st;
	char **args;
	int c, n, r;

	while ((c = cli_next(ctx)) != -1)
		return c < 0 ? c : CLI_USAGE;
	args = cli_operands(ctx, &n);
	if (n != 1)
		return cli_usage(n == 0 ? "no directory given" : "more than one directory given");
	dir = args[0];
	src = ctx->sysroot;
	if (ctx->sysroot && stat(ctx->sysroot, &st) == 0 && S_ISREG(st.st_mode)) {
		/* a packed capture: copied from where it unpacks */
		r = cli_sysroot_unpack(ctx->sysroot, &src);
		if (r < 0) {
			cli_topo_error(ctx->sysroot, r);
			return r;
		}
	} else if (ctx->sysroot && access(ctx->sysroot, R_OK | X_OK) < 0) {
		/* a missing source would read as a failure to write DIR */
		r = -errno;
		cli_topo_error(ctx->sysroot, r);
		return r;
	}
	r = np_topo_capture(src, dir);
	if (r == -ENOENT && ctx->sysroot) {
		cli_topo_error(ctx->sysroot, r);
		return r;
	}
	if (r < 0) {
		cli_error_errno(r, "cannot capture into '%s'", dir);
		return r;
	}
	if (ctx->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_str(&j, "dir", dir);
		json_int(&j, "files", r);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		printf("captured %d files in %s\n", r, dir);
	}
	return 0;
}
