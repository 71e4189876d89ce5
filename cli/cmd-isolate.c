/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-isolate.c - `numaplace isolate [CPUS [--name NAME] | --check CPUS | --undo NAME]`: CPUs
 * isolated at run time (an isolated cgroup v2 cpuset partition, IRQs moved away, unbound
 * workqueues kept off), the proof that nothing else runs there, and the way back.
 *
 * Terminology:
 *  partition  sys/fs/cgroup/numaplace-NAME with cpuset.cpus.partition = isolated (Linux 6.1+).
 *  journal    run/numaplace/isolate/NAME: every value changed, recorded before the change;
 *             --undo writes each back, newest first.  A failure rolls back at once.
 *  check      every thread whose affinity allows the CPUs and every IRQ that lands there,
 *             movable or not (per-CPU kernel threads, managed IRQs); exit 1 while a movable
 *             one remains.
 * Changes need root on the live machine; with --sysroot they go into that tree (tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"

enum {
	OPT_NAME = CLI_OPT_LONG,
	OPT_CHECK,
	OPT_UNDO,
};

#define DEFAULT_NAME "isolated"

const struct cli_spec spec_isolate = {
	.name = "isolate",
	.summary = "isolate CPUs at run time, check that nothing else runs there, undo",
	.synopsis = "[OPTIONS]\nCPUS [--name NAME]\n--check CPUS\n--undo NAME",
	.description = "With CPUS: make an isolated cgroup v2 cpuset partition of them, move every\n"
		       "movable IRQ off them (managed and per-CPU IRQs are listed and left) and keep\n"
		       "unbound workqueues away; every value changed is kept for --undo.  Alone:\n"
		       "list the partitions, the boot-time isolation and what can be undone.",
	.opts = (const struct cli_opt[]){
		{ OPT_NAME, "name", CLI_REQ_ARG, CLI_V_TEXT, "NAME", NULL,
		  "the partition's name (default " DEFAULT_NAME ")" },
		{ OPT_CHECK, "check", CLI_REQ_ARG, CLI_V_CPUS, "CPUS", NULL,
		  "list threads and IRQs that may still run on CPUS; exit 1 if one could move" },
		{ OPT_UNDO, "undo", CLI_REQ_ARG, CLI_V_TEXT, "NAME", NULL,
		  "restore every value changed for NAME" },
		CLI_OPT_END,
	},
	.footer = "Example:\n  numaplace isolate core:2-3 --name rt\n  numaplace isolate --check core:2-3",
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = NP_TOPO_NO_CACHES | NP_TOPO_NO_HMAT | NP_TOPO_NO_DEVICES,
	.args_value = "cpus",
};

static int need_root(const struct cli_ctx *ctx)
{
	if (ctx->sysroot || geteuid() == 0)
		return 0;
	cli_error("isolating CPUs needs root (cgroup partitions and IRQ affinity are system-wide)");
	return -EPERM;
}

static void print_set(const char *label, const struct np_cpuset *set)
{
	char *s = NULL;

	if (set && np_cpuset_format_list(set, 0, &s) == 0)
		printf("%s%s\n", label, *s ? s : "none");
	free(s);
}

/* ---- list ---- */

static void status_text(const struct np_isolate_partition *p, size_t n,
			const struct np_isolate_boot *b, char **names)
{
	printf("partitions:\n");
	for (size_t i = 0; i < n; i++) {
		char *s = NULL;

		np_cpuset_format_list(p[i].cpus, 0, &s);
		printf("  %s: %s (%s)\n", p[i].dir, s ? s : "?", p[i].state);
		free(s);
	}
	if (n == 0)
		printf("  none\n");
	printf("isolcpus=%s\nnohz_full=%s\nrcu_nocbs=%s\n", b->isolcpus ? b->isolcpus : "",
	       b->nohz_full ? b->nohz_full : "", b->rcu_nocbs ? b->rcu_nocbs : "");
	if (b->isolated)
		print_set("isolated (kernel): ", b->isolated);
	printf("undoable:");
	for (size_t i = 0; names[i]; i++)
		printf(" %s", names[i]);
	printf("%s\n", names[0] ? "" : " none");
}

static void status_json(const struct np_isolate_partition *p, size_t n,
			const struct np_isolate_boot *b, char **names)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "partitions");
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "cgroup", p[i].dir);
		json_str(&j, "state", p[i].state);
		json_cpuset(&j, "cpus", p[i].cpus);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_begin(&j, "boot");
	b->isolcpus ? json_str(&j, "isolcpus", b->isolcpus) : json_null(&j, "isolcpus");
	b->nohz_full ? json_str(&j, "nohz_full", b->nohz_full) : json_null(&j, "nohz_full");
	b->rcu_nocbs ? json_str(&j, "rcu_nocbs", b->rcu_nocbs) : json_null(&j, "rcu_nocbs");
	b->isolated ? json_cpuset(&j, "isolated", b->isolated) : json_null(&j, "isolated");
	json_obj_end(&j);
	json_arr_begin(&j, "undoable");
	for (size_t i = 0; names[i]; i++)
		json_str(&j, NULL, names[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static int status(const struct cli_ctx *ctx)
{
	struct np_isolate_partition *parts;
	struct np_isolate_boot boot;
	char **names;
	size_t n;
	int r = np_isolate_status(ctx->sysroot, &parts, &n, &boot);

	if (r < 0) {
		cli_error_errno(r, "cannot read the isolation");
		return r;
	}
	r = np_isolate_names(ctx->sysroot, &names);
	if (r < 0)
		cli_error_errno(r, "cannot read run/numaplace/isolate");
	else if (ctx->json)
		status_json(parts, n, &boot, names);
	else
		status_text(parts, n, &boot, names);
	if (r >= 0)
		np_isolate_names_free(names);
	np_isolate_status_release(parts, n, &boot);
	return r < 0 ? r : 0;
}

/* ---- create ---- */

static const char *create_hint(int r)
{
	switch (r) {
	case -ENOTSUP: return "cgroup v2 partitions are needed (Linux 6.1+, cgroup2 at /sys/fs/cgroup)";
	case -ENOPKG: return "enable the cpuset controller first";
	case -ENXIO: return "bring the CPU online or leave it out";
	case -EBUSY: return "undo that partition or pick other CPUs";
	case -EEXIST: return "pick another --name or undo this one";
	case -EREMOTEIO: return "another cgroup's cpuset.cpus may hold some of the CPUs";
	}
	return NULL;
}

static void say_created(const struct cli_ctx *ctx, const char *name, const struct np_cpuset *cpus,
			const struct np_isolate_result *res)
{
	struct json j;

	if (!ctx->json) {
		print_set("isolated: ", cpus);
		printf("partition: /%s\n", res->cgroup);
		print_set("irqs moved: ", res->moved);
		print_set("irqs left (managed or per-CPU): ", res->kept);
		printf("unbound workqueues: %s\n", res->workqueue ? "moved off" : "already off");
		printf("undo: numaplace isolate --undo %s\n", name);
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "name", name);
	json_cpuset(&j, "cpus", cpus);
	json_str(&j, "cgroup", res->cgroup);
	json_cpuset(&j, "irqs_moved", res->moved);
	json_cpuset(&j, "irqs_left", res->kept);
	json_bool(&j, "workqueue_narrowed", res->workqueue);
	json_obj_end(&j);
	json_finish(&j);
}

static int create(struct cli_ctx *ctx, const char *spec, const char *name)
{
	struct np_isolate_result res = { 0 };
	struct np_cpuset *cpus = NULL;
	const char *hint;
	bool tried = false;
	int r;

	if ((r = cli_parse_cpus(ctx, "CPUS", spec, &cpus)) != 0)
		return r;
	if (np_cpuset_empty(cpus))
		r = cli_usage("CPUS '%s' is empty", spec);
	else if ((r = need_root(ctx)) == 0 && (r = np_isolate_create(ctx->sysroot, name, cpus, &res)) < 0)
		tried = true;
	if (tried && r == -EINVAL && !res.reason[0]) {
		r = cli_usage("invalid --name '%s': letters, digits, '-', '_' and '.', up to %d", name,
			      NP_ISOLATE_NAME_MAX);
	} else if (tried) {
		hint = create_hint(r);
		if (res.reason[0])
			cli_error("cannot isolate '%s': %s%s%s", spec, res.reason, hint ? "; " : "",
				  hint ? hint : "");
		else
			cli_error_errno(r, "cannot isolate '%s'", spec);
		fprintf(stderr, "numaplace isolate: nothing was changed (every step rolled back)\n");
	} else if (r == 0) {
		say_created(ctx, name, cpus, &res);
	}
	np_isolate_result_release(&res);
	np_cpuset_free(cpus);
	return r;
}

/* ---- check ---- */

static void say_hits(const struct cli_ctx *ctx, const struct np_isolate_hit *h, size_t n, int movable)
{
	struct json j;

	if (ctx->json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_uint(&j, "movable", (unsigned int)movable);
		json_arr_begin(&j, "hits");
	}
	for (size_t i = 0; i < n; i++) {
		if (ctx->json) {
			json_obj_begin(&j, NULL);
			json_str(&j, "kind", h[i].is_irq ? "irq" : "thread");
			json_uint(&j, h[i].is_irq ? "irq" : "tid", h[i].id);
			if (!h[i].is_irq)
				json_int(&j, "pid", h[i].pid);
			json_str(&j, "name", h[i].name);
			json_bool(&j, "movable", h[i].movable);
			h[i].reason ? json_str(&j, "reason", h[i].reason) : json_null(&j, "reason");
			json_obj_end(&j);
		} else {
			printf("%-6s %7u  %-24s %s\n", h[i].is_irq ? "irq" : "thread", h[i].id, h[i].name,
			       h[i].movable ? "movable" : h[i].reason);
		}
	}
	if (ctx->json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		printf("%d movable, %zu that cannot move\n", movable, n - (size_t)movable);
	}
}

static int check(struct cli_ctx *ctx, const char *spec, const char *name)
{
	struct np_isolate_hit *hits = NULL;
	struct np_cpuset *cpus = NULL;
	char skip[NP_ISOLATE_NAME_MAX + 16];
	size_t n = 0;
	int r;

	if ((r = cli_parse_cpus(ctx, "CPUS", spec, &cpus)) != 0)
		return r;
	snprintf(skip, sizeof(skip), "numaplace-%s", name ? name : DEFAULT_NAME);
	r = np_isolate_check(ctx->sysroot, cpus, skip, &hits, &n);
	if (r < 0)
		cli_error_errno(r, "cannot check '%s'", spec);
	else
		say_hits(ctx, hits, n, r);
	free(hits);
	np_cpuset_free(cpus);
	return r < 0 ? r : r > 0 ? CLI_EXIT(1) : 0;
}

/* ---- undo ---- */

static int undo(const struct cli_ctx *ctx, const char *name)
{
	int r = need_root(ctx);

	if (r < 0)
		return r;
	r = np_isolate_undo(ctx->sysroot, name);
	if (r == -ENOENT)
		cli_error("nothing to undo for '%s': no such name, or its state was lost "
			  "(run/numaplace/isolate/%s); see 'numaplace isolate'", name, name);
	else if (r == -EINVAL)
		return cli_usage("invalid NAME '%s'", name);
	else if (r == -EBUSY)
		cli_error("cannot undo '%s': the partition still has processes; end or move them "
			  "first", name);
	else if (r < 0)
		cli_error_errno(r, "cannot undo '%s' (its state is kept; try again)", name);
	else if (ctx->json)
		printf("{\"restored\":\"%s\"}\n", name);
	else
		printf("%s: every value restored\n", name);
	return r;
}

int cmd_isolate(struct cli_ctx *ctx)
{
	const char *name = NULL, *chk = NULL, *und = NULL;
	char **ops;
	int c, n;

	while ((c = cli_next(ctx)) != -1) {
		if (c == OPT_NAME)
			name = ctx->optarg;
		else if (c == OPT_CHECK)
			chk = ctx->optarg;
		else if (c == OPT_UNDO)
			und = ctx->optarg;
		else
			return c;
	}
	ops = cli_operands(ctx, &n);
	if (n > 1 || (n == 1 && (chk || und)))
		return cli_usage("unexpected '%s'", ops[n - 1]);
	if (und && (chk || name))
		return cli_usage("--undo NAME goes alone");
	if (und)
		return undo(ctx, und);
	if (chk)
		return check(ctx, chk, name);
	if (n == 1)
		return create(ctx, ops[0], name ? name : DEFAULT_NAME);
	return name ? cli_usage("--name goes with CPUS") : status(ctx);
}
