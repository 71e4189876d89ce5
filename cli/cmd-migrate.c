/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-migrate.c - `numaplace migrate`: move a running process's memory between NUMA nodes.
 *  migrate PID FROM TO                 every page of PID on the nodes FROM goes to TO
 *                                      (migrate_pages(2); the n-th node of FROM to the n-th of TO)
 *  migrate --pages PID ADDR LEN NODE   the pages of [ADDR, ADDR+LEN) go to NODE (move_pages(2)),
 *                                      in batches, with progress on stderr
 * A summary of pages moved and failed follows on stdout.
 *
 * Terminology:
 *  moved    pages now on the target that were elsewhere before
 *  already  pages that were on the target already
 *  absent   pages never touched or swapped out: nothing to move
 *  failed   present pages the kernel could not move (busy, pinned, target full)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "shm.h"
#include "where.h"

static const struct cli_opt migrate_opts[] = {
	{ 'p', "pages", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "move one address range with move_pages(2)" },
	{ 'A', "move-all", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "also pages shared with other processes (CAP_SYS_NICE)" },
	{ 'P', "progress", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "report progress on stderr even when it is not a terminal" },
	CLI_OPT_END,
};

const struct cli_spec spec_migrate = {
	.name = "migrate",
	.summary = "move a process's memory between nodes, or a range of its pages",
	.synopsis = "[OPTIONS] PID FROM TO\n[OPTIONS] --pages PID ADDR LEN NODE",
	.description = "Move the memory of process PID from the nodes FROM to the nodes TO, or with --pages\n"
		       "the pages of [ADDR, ADDR+LEN) to NODE.  Node sets take any syntax: a list (0-1),\n"
		       "all, !0, or a location (node:1, near:eth0).  ADDR is hexadecimal (0x7f00...);\n"
		       "LEN is a size (4096, 2m, 1GiB).  With --json, the summary as JSON.",
	.opts = migrate_opts,
	.flags = CLI_JSON | CLI_LIVE,
	.args_value = "pid nodes nodes",
};

struct migrate {
	pid_t pid;
	bool pages, json, progress, move_all;
	struct cli_ctx *ctx;
	const struct np_topo *topo;
};

/*
 * The kernel's error, worded as what happened.  migrate_pages and move_pages say EINVAL for a
 * task without memory (get_task_mm() is NULL): one that has exited and is a zombie, or a
 * kernel thread; the node sets were checked before, so EINVAL is never the user's syntax.
 */
static int pid_error(pid_t pid, int e)
{
	if (e == -ESRCH)
		cli_error("no process with pid '%d'", (int)pid);
	else if (e == -EINVAL)
		cli_error("pid '%d' has no memory to move: it has exited (a zombie) or is a kernel "
			  "thread", (int)pid);
	else if (e == -EPERM)
		cli_error_errno(e, "cannot move the memory of pid '%d' (another user's: needs "
				   "CAP_SYS_NICE; or migrate_pages/move_pages are blocked)", (int)pid);
	else
		cli_error_errno(e, "cannot move the memory of pid '%d'", (int)pid);
	return e;
}

/* a node set in the one grammar; @need_mem: each must have memory (a target) */
static int parse_nodes(struct migrate *m, const char *what, const char *s, bool need_mem,
		       struct np_cpuset **ret)
{
	const struct np_cpuset *mem = np_topo_memory_nodes(m->topo);
	struct np_cpuset *set;
	int e = cli_parse_nodes(m->ctx, what, s, &set);

	if (e < 0)
		return e;
	np_cpuset_foreach(n, set) {
		if (!need_mem || np_cpuset_isset(mem, (unsigned int)n))
			continue;
		np_cpuset_free(set);
		return cli_usage("node %d in '%s' has no memory; pick one of the nodes with memory", n, s);
	}
	*ret = set;
	return 0;
}

static unsigned long long pages_on(const struct where_mem *w, const struct np_cpuset *nodes)
{
	unsigned long long n = 0;

	for (unsigned int i = 0; i < w->nnodes; i++)
		if (!nodes || np_cpuset_isset(nodes, i))
			n += w->node[i].pages;
	return n;
}

static void summary(const struct migrate *m, unsigned long long pages, unsigned long long moved,
		    unsigned long long already, unsigned long long absent, unsigned long long failed)
{
	struct json j;

	if (!m->json) {
		printf("pid %d: %llu pages: %llu moved, %llu already there, %llu not present, %llu failed\n",
		       (int)m->pid, pages, moved, already, absent, failed);
		return;
	}
	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, "pid", m->pid);
	json_str(&j, "mode", m->pages ? "move_pages" : "migrate_pages");
	json_uint(&j, "pages", pages);
	json_uint(&j, "moved", moved);
	json_uint(&j, "already", already);
	json_uint(&j, "absent", absent);
	json_uint(&j, "failed", failed);
	json_obj_end(&j);
	json_finish(&j);
}

/*
 * migrate_pages(2) sends the pages of the n-th node of FROM to the n-th node of TO, n taken
 * modulo the size of TO (the kernel's nodes_remap()); a node sent to itself keeps its pages.
 * @fixed receives those nodes, @moving the others.
 */
static int split_from(const struct np_cpuset *from, const struct np_cpuset *to,
		      struct np_cpuset **fixed, struct np_cpuset **moving)
{
	unsigned int k = 0, nto = np_cpuset_weight(to);
	int e = np_cpuset_new(np_cpuset_size(from), fixed);

	if (e == 0 && (e = np_cpuset_new(np_cpuset_size(from), moving)) < 0)
		np_cpuset_free(*fixed);
	if (e < 0)
		return e;
	np_cpuset_foreach(n, from) {
		int target = np_cpuset_nth(to, k++ % nto);

		np_cpuset_set(target == n ? *fixed : *moving, (unsigned int)n);
	}
	return 0;
}

/*
 * The counts, from numa_maps before and after: the kernel's return value is only the pages it
 * tried and failed to move, and it silently skips pages shared with other processes without
 * CAP_SYS_NICE.  Pages still on a node that was to be emptied are "failed" - unless pages also
 * arrived on it (FROM and TO swap nodes), where only the kernel's count can be told.
 */
struct migrate_count {
	unsigned long long pages, moved, already, failed;
};

static void count_nodes(const struct where_mem *before, const struct where_mem *after,
			const struct np_cpuset *fixed, const struct np_cpuset *moving,
			const struct np_cpuset *to, int kernel_failed, struct migrate_count *c)
{
	unsigned long long out = pages_on(before, moving), left = pages_on(after, moving);

	c->already = pages_on(before, fixed);
	c->pages = out + c->already;
	if (!np_cpuset_intersects(moving, to))
		c->failed = left;
	else
		c->failed = (unsigned long long)kernel_failed;
	if (c->failed > out)
		c->failed = out;
	c->moved = out - c->failed;
}

static int migrate_nodes(struct migrate *m, const char *from_s, const char *to_s)
{
	struct np_cpuset *from = NULL, *to = NULL, *fixed = NULL, *moving = NULL;
	struct where_mem before = { 0 }, after = { 0 };
	struct migrate_count c = { 0 };
	int e, failed = 0;

	e = parse_nodes(m, "FROM", from_s, false, &from);
	if (e == 0)
		e = parse_nodes(m, "TO", to_s, true, &to);
	if (e == 0)
		e = split_from(from, to, &fixed, &moving);
	/* another user's numa_maps is unreadable: the same lack of CAP_SYS_NICE as migrate's */
	if (e == 0 && (e = where_read_mem(m->pid, &before)) < 0)
		pid_error(m->pid, e == -EACCES ? -EPERM : e);
	if (e == 0 && (failed = np_mem_migrate(m->pid, from, to)) < 0)
		e = pid_error(m->pid, failed);
	if (e == 0 && (e = where_read_mem(m->pid, &after)) < 0)
		pid_error(m->pid, e == -EACCES ? -EPERM : e);
	if (e == 0) {
		count_nodes(&before, &after, fixed, moving, to, failed, &c);
		summary(m, c.pages, c.moved, c.already, 0, c.failed);
	}
	if (e == 0 && c.failed > 0) {
		cli_error("%llu pages of pid '%d' could not be moved (pages shared with other processes "
			  "need CAP_SYS_NICE)", c.failed, (int)m->pid);
		e = -EBUSY;
	}
	where_mem_release(&before);
	where_mem_release(&after);
	np_cpuset_free(fixed);
	np_cpuset_free(moving);
	np_cpuset_free(from);
	np_cpuset_free(to);
	return e;
}

static int progress(size_t done, size_t total, void *arg)
{
	const struct migrate *m = arg;

	if (m->progress || isatty(STDERR_FILENO))
		fprintf(stderr, "%s: pid %d: %zu of %zu pages (%zu%%)%s", program_name, (int)m->pid, done,
			total, total ? done * 100 / total : 100,
			isatty(STDERR_FILENO) && done < total ? "\r" : "\n");
	return 0;
}

/* the range's first and last pages must be mapped: the kernel reports unmapped pages one by
 * one (-EFAULT), which would pass as "not present" */
static int check_mapped(const struct migrate *m, const char *s, unsigned long long addr,
			unsigned long long len)
{
	const void *pages[2] = { (const void *)(uintptr_t)addr, (const void *)(uintptr_t)(addr + len - 1) };
	int status[2] = { 0, 0 }, e;

	e = np_mem_query(m->pid, 2, pages, status);
	if (e < 0)
		return pid_error(m->pid, e);
	if (status[0] == -EFAULT || status[1] == -EFAULT) {
		cli_error("address range '%s' (%llu bytes) is not mapped in pid '%d'", s, len, (int)m->pid);
		return -EFAULT;
	}
	return 0;
}

static int move_range(struct migrate *m, char **args)
{
	struct np_move_stats st = { 0 };
	struct np_cpuset *node = NULL;
	unsigned long long addr, len;
	int e;

	e = cli_parse_hex("address", args[0], &addr);
	if (e == 0)
		e = cli_parse_size("LEN", args[1], false, &len);
	if (e == 0 && len - 1 > ~0ULL - addr)
		e = cli_usage("invalid LEN '%s': the range passes the end of the address space",
			      args[1]);
	if (e == 0)
		e = parse_nodes(m, "NODE", args[2], true, &node);
	if (e == 0 && np_cpuset_weight(node) != 1)
		e = cli_usage("invalid node '%s': --pages moves to one node", args[2]);
	if (e == 0)
		e = check_mapped(m, args[0], addr, len);
	if (e)
		goto out;
	e = np_mem_move_range(m->pid, (const void *)(uintptr_t)addr, len, np_cpuset_first(node),
			      m->move_all ? NP_MOVE_ALL : 0, progress, m, &st);
	/* a target that exits mid-move: say so alone, no summary of a move that did not finish */
	if (e < 0 && (st.pages == 0 || e == -ESRCH || e == -EINVAL)) {
		if (e == -EFAULT || e == -ENOMEM)
			cli_error_errno(e, "cannot move range '%s' of pid '%d'", args[0], (int)m->pid);
		else
			pid_error(m->pid, e);
		goto out;
	}
	summary(m, st.pages, st.moved, st.already, st.absent, st.failed);
	if (e < 0 || st.failed) {
		cli_error_errno(e < 0 ? e : st.first_error, "%zu of %zu pages of pid '%d' could not be moved",
				st.failed, st.pages, (int)m->pid);
		e = e < 0 ? e : -EBUSY;
	}
out:
	np_cpuset_free(node);
	return e;
}

static int migrate_options(struct cli_ctx *ctx, struct migrate *m)
{
	int c;

	while ((c = cli_next(ctx)) != -1) {
		if (c == 'p')
			m->pages = true;
		else if (c == 'A')
			m->move_all = true;
		else if (c == 'P')
			m->progress = true;
		else
			return c < 0 ? c : CLI_USAGE;
	}
	m->json = ctx->json;
	return 0;
}

int cmd_migrate(struct cli_ctx *ctx)
{
	struct migrate m = { .ctx = ctx };
	char **args;
	int n, e;

	e = migrate_options(ctx, &m);
	if (e < 0)
		return e;
	args = cli_operands(ctx, &n);
	/* an operand too many is named, as every verb names it */
	if (n > (m.pages ? 4 : 3))
		return cli_usage("unexpected argument '%s' (%s)", args[m.pages ? 4 : 3],
				 m.pages ? "--pages: PID ADDR LEN NODE" : "PID FROM TO");
	if (n != (m.pages ? 4 : 3))
		return cli_usage(m.pages ? "--pages: expected PID ADDR LEN NODE" :
					   "expected PID FROM TO");
	if (m.move_all && !m.pages)
		return cli_usage("--move-all goes with --pages");
	e = cli_parse_pid("pid", args[0], &m.pid);
	if (e)
		return e;
	e = cli_topo(ctx, &m.topo);
	if (e < 0)
		return e;
	return m.pages ? move_range(&m, args + 1) : migrate_nodes(&m, args[1], args[2]);
}
