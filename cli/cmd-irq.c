/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-irq.c - `numaplace irq [set|near] [--undo]`: interrupts as objects, joined with the
 * topology: listed with their device and its node, pointed at CPUs, spread near their device.
 *
 * Terminology:
 *  IRQ       a numbered line of /proc/interrupts with its /proc/irq/N files (lib/irq.c).
 *  kind      movable, managed (the kernel spreads it: NVMe, virtio queues), per-cpu, fixed (the
 *            kernel refused a write), unknown (no debugfs to ask).
 *  journal   each write is recorded first (run/numaplace/isolate/irq); --undo restores it.
 * Writes need root on the live machine; with --sysroot they go into that tree (tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"

enum {
	OPT_UNDO = CLI_OPT_LONG,
};

#define IRQ_TOPO (NP_TOPO_NO_CACHES | NP_TOPO_NO_HMAT)

static const struct cli_spec spec_irq_set = {
	.name = "irq set",
	.summary = "point IRQs at CPUs",
	.synopsis = "[OPTIONS] IRQ|DEVICE CPUS",
	.description = "Set the affinity of IRQ (a number) or of every IRQ of DEVICE (eth0, mlx5_0,\n"
		       "nvme0, a PCI address, or a handler's name) to CPUS.  Managed IRQs are\n"
		       "listed and left.  Undo with 'numaplace irq --undo'.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.footer = "Example:\n  numaplace irq set eth0 node:0",
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = IRQ_TOPO,
	.args_value = "device cpus",
};

static const struct cli_spec spec_irq_near = {
	.name = "irq near",
	.summary = "spread a device's IRQs over its own node's CPUs",
	.synopsis = "[OPTIONS] DEVICE",
	.description = "Point each movable IRQ of DEVICE at one CPU of the device's node, in turn,\n"
		       "so its queues are served where its memory is.",
	.opts = (const struct cli_opt[]){ CLI_OPT_END },
	.flags = CLI_JSON | CLI_SYSROOT,
	.topo_flags = IRQ_TOPO,
	.args_value = "device",
};

static const struct cli_spec *const sub_specs[] = { &spec_irq_set, &spec_irq_near, NULL };

const struct cli_spec spec_irq = {
	.name = "irq",
	.summary = "list IRQs with their device and node, move them, undo",
	.synopsis = "[set|near] [OPTIONS]\n--undo",
	.description = "Interrupts joined with the topology: each IRQ's device, the device's node,\n"
		       "its affinity, where it lands now (effective affinity), its counts per CPU\n"
		       "and whether it can be moved.  Without a sub-command, list them.",
	.opts = (const struct cli_opt[]){
		{ OPT_UNDO, "undo", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
		  "restore every affinity changed by set and near" },
		CLI_OPT_END,
	},
	.footer = "'numaplace irq SUBCOMMAND --help' for its options.",
	.flags = CLI_POSIX | CLI_JSON | CLI_SYSROOT,
	.topo_flags = IRQ_TOPO,
	.subs = sub_specs,
};

/* ---- listing ---- */

static int load(const struct cli_ctx *ctx, struct np_irqs **irqs)
{
	int r = np_irq_list(ctx->sysroot, irqs);

	if (r == -ENOENT)
		cli_error("no /proc/interrupts to read");
	else if (r < 0)
		cli_error_errno(r, "cannot read the IRQs");
	return r;
}

static void json_irq(struct json *j, const struct np_irq *q)
{
	json_obj_begin(j, NULL);
	json_uint(j, "irq", q->irq);
	json_str(j, "chip", q->chip);
	json_str(j, "name", q->actions);
	if (q->device)
		json_str(j, "device", q->device);
	else
		json_null(j, "device");
	json_int(j, "node", q->node);
	json_cpuset(j, "affinity", q->affinity);
	json_cpuset(j, "effective", q->effective);
	json_str(j, "kind", np_irq_kind_name(q->kind));
	json_arr_begin(j, "counts");
	for (unsigned int c = 0; c < q->ncounts; c++)
		json_uint(j, NULL, q->counts[c]);
	json_arr_end(j);
	json_obj_end(j);
}

static void text_set(const struct np_cpuset *set, char *buf, size_t size)
{
	char *s = NULL;

	if (set && np_cpuset_format_list(set, 0, &s) == 0)
		snprintf(buf, size, "%s", *s ? s : "-");
	else
		snprintf(buf, size, "?");
	free(s);
}

static void text_irq(const struct np_irq *q)
{
	char aff[64], eff[64], node[16];

	text_set(q->affinity, aff, sizeof(aff));
	text_set(q->effective, eff, sizeof(eff));
	snprintf(node, sizeof(node), q->node < 0 ? "-" : "%d", q->node);
	printf("%4u  %-16s  %-4s  %-9s  %-9s  %-8s ", q->irq, q->device ? q->device : *q->chip ? q->chip : "-", node,
	       aff, eff, np_irq_kind_name(q->kind));
	for (unsigned int c = 0; c < q->ncounts; c++)
		if (q->counts[c])
			printf(" %u:%llu", c, q->counts[c]);
	printf("  %s\n", q->actions);
}

static int list(struct cli_ctx *ctx)
{
	struct np_irqs *irqs;
	struct json j;
	int r = load(ctx, &irqs);

	if (r < 0)
		return r;
	if (ctx->json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "irqs");
		for (unsigned int i = 0; i < np_irqs_count(irqs); i++)
			json_irq(&j, np_irqs_get(irqs, i));
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		printf(" IRQ  DEVICE            NODE  AFFINITY   EFFECTIVE  KIND      COUNTS CPU:N  NAME\n");
		for (unsigned int i = 0; i < np_irqs_count(irqs); i++)
			text_irq(np_irqs_get(irqs, i));
	}
	np_irqs_free(irqs);
	return 0;
}

/* ---- writing ---- */

static int need_root(const struct cli_ctx *ctx)
{
	if (ctx->sysroot || geteuid() == 0)
		return 0;
	cli_error("changing an IRQ's affinity needs root (/proc/irq/N/smp_affinity_list)");
	return -EPERM;
}

/* Point @irq at @cpus and say so; a managed or per-CPU IRQ is said and left (0). */
static int set_one(const struct cli_ctx *ctx, const struct np_irq *q, const struct np_cpuset *cpus,
		   struct json *j)
{
	char to[256];
	int r = 0;

	text_set(cpus, to, sizeof(to));
	if (q->kind == NP_IRQ_MANAGED || q->kind == NP_IRQ_PER_CPU)
		r = -EIO;
	else
		r = np_irq_set(ctx->sysroot, q->irq, cpus, NULL);
	if (r < 0 && r != -EIO) {
		cli_error_errno(r, "cannot set IRQ %u's affinity to %s", q->irq, to);
		return r;
	}
	if (ctx->json) {
		json_obj_begin(j, NULL);
		json_uint(j, "irq", q->irq);
		json_str(j, "to", to);
		json_bool(j, "moved", r == 0);
		json_str(j, "kind", r == 0 ? np_irq_kind_name(q->kind) :
			 q->kind == NP_IRQ_PER_CPU ? "per-cpu" : q->kind == NP_IRQ_MANAGED ? "managed" : "fixed");
		json_obj_end(j);
	} else if (r == 0) {
		printf("irq %u: %s\n", q->irq, to);
	} else {
		printf("irq %u: left (%s: the kernel places it)\n", q->irq,
		       q->kind == NP_IRQ_PER_CPU ? "per-CPU" : q->kind == NP_IRQ_MANAGED ? "managed" :
		       "refused");
	}
	return 0;
}

/* IRQ number or device name into the set @which; a message when neither. */
static int which_irqs(const struct cli_ctx *ctx, const struct np_irqs *irqs, const char *arg,
		      struct np_cpuset *which, int *node)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);
	int r;

	*node = -1;
	if (*arg >= '0' && *arg <= '9' && !*end) {
		const struct np_irq *q = np_irqs_find(irqs, (unsigned int)n);

		if (!q) {
			cli_error("no IRQ %s in /proc/interrupts", arg);
			return -ENOENT;
		}
		*node = q->node;
		return np_cpuset_resize(which, (unsigned int)n + 1) < 0 ? -ENOMEM :
		       np_cpuset_set(which, (unsigned int)n);
	}
	r = np_irq_device_irqs(ctx->sysroot, irqs, arg, which, node);
	if (r == -ENOENT)
		cli_error("no IRQ of device '%s' (a device such as eth0, mlx5_0, nvme0, a PCI address, "
			  "or a handler's name from 'numaplace irq')", arg);
	else if (r < 0)
		cli_error_errno(r, "cannot find the IRQs of '%s'", arg);
	return r < 0 ? r : 0;
}

/* Apply @pick(i) to each IRQ of @which: the CPUs IRQ number i of them goes to. */
static int apply(const struct cli_ctx *ctx, const struct np_irqs *irqs, const struct np_cpuset *which,
		 const struct np_cpuset *cpus, bool spread)
{
	struct np_cpuset *one = NULL;
	unsigned int k = 0;
	struct json j;
	int r = np_cpuset_new(np_cpuset_size(cpus), &one);

	if (r < 0)
		return r;
	if (ctx->json) {
		json_init(&j, stdout);
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "irqs");
	}
	np_cpuset_foreach(i, which) {
		const struct np_irq *q = np_irqs_find(irqs, (unsigned int)i);

		if (!q || r < 0)
			continue;
		np_cpuset_zero(one);
		if (spread && q->kind != NP_IRQ_MANAGED && q->kind != NP_IRQ_PER_CPU)
			np_cpuset_set(one, (unsigned int)np_cpuset_nth(cpus, k++ % np_cpuset_weight(cpus)));
		r = set_one(ctx, q, spread ? one : cpus, &j);
	}
	if (ctx->json) {
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	}
	np_cpuset_free(one);
	return r;
}

static int set(struct cli_ctx *ctx)
{
	struct np_cpuset *which = NULL, *cpus = NULL;
	struct np_irqs *irqs = NULL;
	char **ops;
	int nops, node, r;

	ops = cli_operands(ctx, &nops);
	if (nops != 2)
		return cli_usage("expected IRQ|DEVICE CPUS (e.g. 'irq set eth0 node:0')");
	if ((r = cli_parse_cpus(ctx, "CPUS", ops[1], &cpus)) != 0)
		return r;
	if ((r = need_root(ctx)) < 0 || (r = load(ctx, &irqs)) < 0 ||
	    (r = np_cpuset_new(64, &which)) < 0)
		goto out;
	if (np_cpuset_empty(cpus)) {
		r = cli_usage("CPUS '%s' is empty", ops[1]);
		goto out;
	}
	if ((r = which_irqs(ctx, irqs, ops[0], which, &node)) == 0)
		r = apply(ctx, irqs, which, cpus, false);
out:
	np_cpuset_free(which);
	np_cpuset_free(cpus);
	np_irqs_free(irqs);
	return r;
}

static int near(struct cli_ctx *ctx)
{
	struct np_cpuset *which = NULL, *cpus = NULL;
	struct np_irqs *irqs = NULL;
	const struct np_topo *topo;
	char **ops, spec[32];
	int nops, node, r;

	ops = cli_operands(ctx, &nops);
	if (nops != 1)
		return cli_usage("expected one DEVICE (e.g. 'irq near eth0')");
	if ((r = need_root(ctx)) < 0 || (r = cli_topo(ctx, &topo)) < 0 || (r = load(ctx, &irqs)) < 0 ||
	    (r = np_cpuset_new(64, &which)) < 0)
		goto out;
	if ((r = which_irqs(ctx, irqs, ops[0], which, &node)) < 0)
		goto out;
	if (node < 0) {
		cli_error("the kernel gives no node for '%s' (numa_node -1): use 'irq set %s CPUS'",
			  ops[0], ops[0]);
		r = -ENODATA;
		goto out;
	}
	snprintf(spec, sizeof(spec), "node:%d", node);
	if ((r = cli_parse_cpus(ctx, "node", spec, &cpus)) == 0)
		r = apply(ctx, irqs, which, cpus, true);
out:
	np_cpuset_free(which);
	np_cpuset_free(cpus);
	np_irqs_free(irqs);
	return r;
}

/* ---- the verb ---- */

static int undo(const struct cli_ctx *ctx)
{
	int r = need_root(ctx);

	if (r < 0)
		return r;
	r = np_isolate_undo(ctx->sysroot, "irq");
	if (r == -ENOENT)
		cli_error("nothing to undo: no IRQ affinity was changed (run/numaplace/isolate/irq)");
	else if (r < 0)
		cli_error_errno(r, "cannot restore the IRQs' affinity");
	else if (!ctx->json)
		printf("irq: every affinity restored\n");
	else
		printf("{\"restored\":true}\n");
	return r;
}

static int (*const sub_fns[])(struct cli_ctx *ctx) = { set, near };
#define NSUBS (sizeof(sub_fns) / sizeof(sub_fns[0]))
_Static_assert(NSUBS + 1 == sizeof(sub_specs) / sizeof(sub_specs[0]), "one function per spec");

int cmd_irq(struct cli_ctx *ctx)
{
	static const struct cli_subs subs = { sub_specs, sub_fns, list, undo, NULL };

	return cli_run_subs(ctx, OPT_UNDO, &subs);
}
