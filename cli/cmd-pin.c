/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-pin.c - `numaplace pin PID [CPUS]`: show or change the CPUs a running process (or one
 * thread) may run on, printing each thread's CPUs before and after; taskset -p with clearer
 * output.
 *
 * Terminology:
 *  pid   a process: by default its main thread is changed (as taskset -p does) and every
 *        thread is listed, so the output says which changed and which did not; with -a every
 *        thread, bound race-safe (np_affinity_set_process() repeats until no new thread appears)
 *  tid   with --tid the number names one thread, of any process
 *  CPUS  a cpulist ("0-3,8", "0-15:2"); every CPU in it must be online
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt pin_opts[] = {
	{ 'a', "all-tasks", CLI_NO_ARG, CLI_V_NONE, NULL, NULL,
	  "every thread of PID, including threads started meanwhile" },
	{ 't', "tid", CLI_NO_ARG, CLI_V_NONE, NULL, NULL, "PID is a thread id: show or bind that thread alone" },
	CLI_OPT_END,
};

const struct cli_spec spec_pin = {
	.name = "pin",
	.summary = "get or set the CPUs of a running process or thread",
	.synopsis = "[OPTIONS] PID [CPUS]",
	.description = "Show the CPUs process PID may run on or, with CPUS, bind it there; each thread's\n"
		       "CPUs are printed before and after.  CPUS is a set in any syntax: a list (0-3,8),\n"
		       "a mask (0x3, ff,ffffffff), all, !SET, or a location (node:1, core:0-3).",
	.opts = pin_opts,
	.flags = CLI_JSON | CLI_LIVE,
	.args_value = "pid cpus",
};

struct pin_row {
	pid_t tid;
	struct np_cpuset *before, *after; /* NULL: unknown (the thread came or went) */
	bool target;                      /* this call changes it */
};

struct pin {
	pid_t pid;
	bool all, tid_mode;
	struct np_cpuset *cpus; /* NULL: only show */
	size_t n;
	struct pin_row *rows;
};

static void pin_release(struct pin *p)
{
	for (size_t i = 0; i < p->n; i++) {
		np_cpuset_free(p->rows[i].before);
		np_cpuset_free(p->rows[i].after);
	}
	free(p->rows);
	np_cpuset_free(p->cpus);
}

/*
 * EPERM names the refused syscall, and blames the owner only when the task is another user's:
 * kill(pid, 0) succeeds exactly for the tasks we may signal, ours (root may signal any, and
 * needs no CAP_SYS_NICE hint).  Refused on our own task, it is a seccomp filter or security
 * module, not a capability.
 */
static int pid_error(const struct pin *p, int e, const char *doing)
{
	const char *what = p->tid_mode ? "thread" : "process";
	const char *call = strcmp(doing, "set") == 0 ? "sched_setaffinity" : "sched_getaffinity";

	if (e == -ESRCH)
		cli_error("no %s with %s '%d'", what, p->tid_mode ? "tid" : "pid", (int)p->pid);
	else if (e == -EPERM && kill(p->pid, 0) == 0)
		cli_error_errno(e, "cannot %s the CPUs of %s '%d' (%s was refused)", doing, what,
				(int)p->pid, call);
	else if (e == -EPERM)
		cli_error_errno(e, "cannot %s the CPUs of %s '%d' (%s was refused; another user's: "
				"needs CAP_SYS_NICE)", doing, what, (int)p->pid, call);
	else
		cli_error_errno(e, "cannot %s the CPUs of %s '%d'", doing, what, (int)p->pid);
	return e;
}

/*
 * The threads to report: --tid's one, or every thread of the process.  Without -a only the main
 * thread is changed, but all are listed: a process whose threads differ must not be shown, or
 * reported as changed, by its main thread alone.
 */
static int list_threads(struct pin *p)
{
	pid_t *tids = NULL;
	size_t n = 1;
	int e;

	if (!p->tid_mode) {
		e = np_task_list(NULL, p->pid, &tids, &n);
		if (e < 0)
			return pid_error(p, e == -ENOENT ? -ESRCH : e, "read");
	}
	p->rows = calloc(n, sizeof(*p->rows));
	if (!p->rows) {
		free(tids);
		return pid_error(p, -ENOMEM, "read");
	}
	for (size_t i = 0; i < n; i++) {
		p->rows[i].tid = tids ? tids[i] : p->pid;
		p->rows[i].target = p->all || p->rows[i].tid == p->pid;
	}
	p->n = n;
	free(tids);
	return 0;
}

static int find_row(const struct pin *p, pid_t tid)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].tid == tid)
			return (int)i;
	return -1;
}

/* -a after binding: the threads now, with the ones that appeared meanwhile added */
static int relist(struct pin *p)
{
	pid_t *tids = NULL;
	size_t n = 0;
	struct pin_row *rows;
	int e = np_task_list(NULL, p->pid, &tids, &n);

	if (e < 0)
		return pid_error(p, e == -ENOENT ? -ESRCH : e, "read");
	for (size_t i = 0; i < n; i++) {
		if (find_row(p, tids[i]) >= 0)
			continue;
		rows = realloc(p->rows, (p->n + 1) * sizeof(*rows));
		if (!rows) {
			free(tids);
			return pid_error(p, -ENOMEM, "read");
		}
		p->rows = rows;
		memset(&p->rows[p->n], 0, sizeof(p->rows[0]));
		p->rows[p->n].target = true;
		p->rows[p->n++].tid = tids[i];
	}
	free(tids);
	return 0;
}

static int apply(struct pin *p)
{
	unsigned int nthreads = 0;
	int e;

	e = p->all ? np_affinity_set_process(p->pid, p->cpus, &nthreads) :
		     np_affinity_set(p->pid, p->cpus);
	if (e == -EINVAL) {
		char *s = NULL;

		np_cpuset_format_list(p->cpus, 0, &s);
		cli_error("cannot bind %s '%d' to CPUs '%s': none of them is allowed by its cpuset",
			  p->tid_mode ? "thread" : "process", (int)p->pid, s ? s : "?");
		free(s);
		return e;
	}
	if (e < 0)
		return pid_error(p, e, "set");
	return p->all ? relist(p) : 0;
}

static int read_all(struct pin *p, bool after)
{
	for (size_t i = 0; i < p->n; i++) {
		struct np_cpuset **dst = after ? &p->rows[i].after : &p->rows[i].before;
		int e;

		if (after && !p->rows[i].target)
			continue;
		e = np_affinity_get(p->rows[i].tid, dst);
		/* any thread but the one named may exit at any time */
		if (e < 0 && (e != -ESRCH || p->rows[i].tid == p->pid))
			return pid_error(p, e, "read");
	}
	return 0;
}

static char *list_of(const struct np_cpuset *set)
{
	char *s = NULL;

	if (!set || np_cpuset_format_list(set, 0, &s) < 0)
		return NULL;
	return s;
}

/* whether one line "pid N: ..." says it all: one thread, or (only showing) all threads alike */
static bool one_line(const struct pin *p)
{
	if (p->all || p->tid_mode)
		return false;
	if (p->n == 1)
		return true;
	for (size_t i = 0; i < p->n && !p->cpus; i++)
		if (!p->rows[i].before || !np_cpuset_equal(p->rows[i].before, p->rows[0].before))
			return false;
	return !p->cpus;
}

static void print_text(const struct pin *p)
{
	bool one = one_line(p);

	for (size_t i = 0; i < (one ? 1 : p->n); i++) {
		const struct pin_row *w = &p->rows[i];
		char *b = list_of(w->before), *a = list_of(w->after);
		int id = one ? (int)p->pid : (int)w->tid;

		if (!p->cpus)
			printf("%s %d: CPUs %s\n", one ? "pid" : "tid", id, b ? b : "(gone)");
		else if (w->target)
			printf("%s %d: CPUs %s -> %s\n", one ? "pid" : "tid", id, b ? b : "(new)",
			       a ? a : "(gone)");
		else
			printf("tid %d: CPUs %s (unchanged: without -a only the main thread %d)\n",
			       id, b ? b : "(gone)", (int)p->pid);
		free(b);
		free(a);
	}
}

static void print_json(const struct pin *p)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, p->tid_mode ? "tid" : "pid", p->pid);
	json_bool(&j, "changed", p->cpus != NULL);
	json_arr_begin(&j, "threads");
	for (size_t i = 0; i < p->n; i++) {
		json_obj_begin(&j, NULL);
		json_int(&j, "tid", p->rows[i].tid);
		if (p->rows[i].before)
			json_cpuset(&j, "before", p->rows[i].before);
		else
			json_null(&j, "before");
		if (p->cpus)
			json_bool(&j, "changed", p->rows[i].target);
		if (p->cpus && p->rows[i].target) {
			if (p->rows[i].after)
				json_cpuset(&j, "after", p->rows[i].after);
			else
				json_null(&j, "after");
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

/* CPUS: a set in the one grammar, of online CPUs */
static int parse_cpus(struct cli_ctx *ctx, struct pin *p, const char *s)
{
	const struct np_topo *topo;
	struct np_cpuset *off = NULL;
	int e = cli_parse_cpus(ctx, "CPUS", s, &p->cpus);

	if (e == 0)
		e = cli_topo(ctx, &topo);
	if (e == 0)
		e = np_cpuset_new(np_cpuset_size(p->cpus), &off);
	if (e == 0)
		e = np_cpuset_andnot(off, p->cpus, np_topo_online_cpus(topo));
	if (e == 0 && !np_cpuset_empty(off)) {
		char *on = list_of(np_topo_online_cpus(topo));

		cli_error("CPU %d in '%s' is not online; online CPUs are %s", np_cpuset_first(off), s,
			  on ? on : "?");
		free(on);
		e = CLI_USAGE;
	} else if (e < 0 && e != CLI_USAGE) {
		cli_error_errno(e, "cannot check CPU set '%s'", s);
	}
	np_cpuset_free(off);
	return e;
}

static int pin_options(struct cli_ctx *ctx, struct pin *p)
{
	int c;

	while ((c = cli_next(ctx)) != -1) {
		if (c == 'a')
			p->all = true;
		else if (c == 't')
			p->tid_mode = true;
		else
			return c < 0 ? c : CLI_USAGE;
	}
	if (p->all && p->tid_mode)
		return cli_usage("--all-tasks and --tid exclude each other");
	return 0;
}

int cmd_pin(struct cli_ctx *ctx)
{
	struct pin p = { 0 };
	char **args;
	int n, r;

	r = pin_options(ctx, &p);
	if (r < 0)
		return r;
	args = cli_operands(ctx, &n);
	if (n == 0)
		return cli_usage("no pid given");
	if (n > 2)
		return cli_usage("unexpected argument '%s'", args[2]);
	r = cli_parse_pid("pid", args[0], &p.pid);
	if (r == 0 && n == 2)
		r = parse_cpus(ctx, &p, args[1]);
	if (r == 0)
		r = list_threads(&p);
	if (r == 0)
		r = read_all(&p, false);
	if (r == 0 && p.cpus) {
		r = apply(&p);
		if (r == 0)
			r = read_all(&p, true);
	}
	if (r == 0)
		ctx->json ? print_json(&p) : print_text(&p);
	pin_release(&p);
	return r;
}
