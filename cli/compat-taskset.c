/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat-taskset.c - the taskset personality: invoked as "taskset" (a symlink to numaplace),
 * the binary behaves as util-linux 2.38's taskset(1): same options, output strings, messages
 * and exit codes, so scripts that parse taskset keep working.
 *
 * Terminology:
 *  mask      taskset's hex CPU mask ("3", "0x3", "ff,1"): the syntax of
 *            np_cpuset_parse_taskset(), with bits beyond the kernel's CPU mask dropped, as
 *            util-linux drops them.
 *  cpu-list  "0,3,7-11", "0-31:2" (-c).  util-linux 2.38 ignores CPUs beyond the kernel's
 *            mask and reads each number as strtoul() truncated to unsigned int; so do we.
 *  kernel size  the bits of the kernel's cpumask_t (np_affinity_cpu_bits()): every set here
 *            has that size, as util-linux sizes its cpu_set_t from sched_getaffinity.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* the util-linux release whose strings we reproduce (Debian 12 ships 2.38.1) */
#define TASKSET_UTIL_LINUX "util-linux 2.38.1"

struct ts_ctx {
	unsigned int nbits; /* kernel size */
	bool use_list;      /* -c */
	bool get_only;      /* no mask given: print only */
};

static void ts_usage(void)
{
	const char *p = program_name;

	printf("Usage: %s [options] [mask | cpu-list] [pid|cmd [args...]]\n\n", p);
	printf("\nShow or change the CPU affinity of a process.\n\n");
	printf("Options:\n"
	       " -a, --all-tasks         operate on all the tasks (threads) for a given pid\n"
	       " -p, --pid               operate on existing given pid\n"
	       " -c, --cpu-list          display and specify cpus in list format\n"
	       " -h, --help              display this help\n"
	       " -V, --version           display version\n");
	printf("\nThe default behavior is to run a new command:\n"
	       "    %s 03 sshd -b 1024\n"
	       "You can retrieve the mask of an existing task:\n"
	       "    %s -p 700\n"
	       "Or set it:\n"
	       "    %s -p 03 700\n"
	       "List format uses a comma-separated list instead of a mask:\n"
	       "    %s -pc 0,3,7-11 700\n"
	       "Ranges in list format can take a stride argument:\n"
	       "    e.g. 0-31:2 is equivalent to mask 0x55555555\n", p, p, p, p);
	printf("\nFor more details see taskset(1).\n");
}

static int ts_tryhelp(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", program_name);
	return CLI_EXIT(1);
}

/* util-linux strtos32_or_err(): whole string, base 10, leading blanks and sign allowed */
static int ts_parse_pid(const char *s, pid_t *ret)
{
	char *end = NULL;
	intmax_t v;

	errno = 0;
	if (*s == '\0')
		goto bad;
	v = strtoimax(s, &end, 10);
	if (errno || end == s || *end)
		goto bad;
	if (v < INT32_MIN || v > INT32_MAX) {
		errno = ERANGE;
		goto bad;
	}
	*ret = (pid_t)v;
	return 0;
bad:
	if (errno == ERANGE)
		fprintf(stderr, "%s: invalid PID argument: '%s': %s\n", program_name, s,
			strerror(ERANGE));
	else
		fprintf(stderr, "%s: invalid PID argument: '%s'\n", program_name, s);
	return CLI_EXIT(1);
}

/* one decimal number as util-linux nextnumber() reads it: a digit first, truncated to 32 bits */
static int ts_number(const char *s, const char **end, unsigned int *ret)
{
	char *e;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno)
		return -errno;
	*ret = (unsigned int)v;
	*end = e;
	return 0;
}

/*
 * util-linux 2.38 cpulist_parse(..., fail=0): "a", "a-b", "a-b:s" separated by commas; CPUs at
 * or beyond the set's size are ignored rather than refused.
 */
static int ts_parse_list(struct np_cpuset *set, const char *str)
{
	const char *p = str;

	np_cpuset_zero(set);
	for (;;) {
		unsigned int a, b, s = 1;
		const char *end;

		if (ts_number(p, &end, &a))
			return -EINVAL;
		b = a;
		p = end;
		if (*p == '-') {
			if (ts_number(p + 1, &end, &b))
				return -EINVAL;
			p = end;
			if (*p == ':') {
				if (ts_number(p + 1, &end, &s) || s == 0)
					return -EINVAL;
				p = end;
			}
		}
		if (a > b)
			return -EINVAL;
		/* stop at the set's end: "0-4294967295" would otherwise spin 2^32 times */
		for (unsigned long long c = a; c <= b && c < np_cpuset_size(set); c += s)
			np_cpuset_set(set, (unsigned int)c);
		if (*p == '\0')
			return 0;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
}

/* a hex mask of any length, bits beyond @set's size dropped (util-linux cpumask_parse) */
static int ts_parse_mask(struct np_cpuset *set, const char *str)
{
	size_t len = strlen(str);
	struct np_cpuset *wide;
	unsigned int bits = len * 4 > np_cpuset_size(set) ? (unsigned int)(len * 4) : np_cpuset_size(set);
	int r;

	if (len > UINT_MAX / 4)
		return -EOVERFLOW;
	r = np_cpuset_new(bits, &wide);
	if (r < 0)
		return r;
	r = np_cpuset_parse_taskset(wide, str, NULL);
	if (r == 0)
		r = np_cpuset_resize(wide, np_cpuset_size(set));
	if (r == 0)
		r = np_cpuset_copy(set, wide);
	np_cpuset_free(wide);
	return r;
}

/* util-linux 2.38 cpulist_create(): runs of three or more as a-b, a pair as "a,b" */
static void ts_print_list(const struct np_cpuset *set)
{
	bool first = true;
	int i = np_cpuset_first(set);

	while (i >= 0) {
		int j = i;

		while (np_cpuset_isset(set, (unsigned int)j + 1))
			j++;
		if (j - i >= 2)
			printf("%s%d-%d", first ? "" : ",", i, j);
		else if (j == i + 1)
			printf("%s%d,%d", first ? "" : ",", i, j);
		else
			printf("%s%d", first ? "" : ",", i);
		first = false;
		i = np_cpuset_next(set, j);
	}
}

static int ts_print(const struct ts_ctx *ts, pid_t pid, const struct np_cpuset *set, bool isnew)
{
	char *mask;
	int r;

	printf("pid %d's %s affinity %s: ", pid ? pid : getpid(), isnew ? "new" : "current",
	       ts->use_list ? "list" : "mask");
	if (ts->use_list) {
		ts_print_list(set);
	} else {
		r = np_cpuset_format_taskset(set, &mask);
		if (r < 0) {
			fprintf(stderr, "%s: internal error: conversion from cpuset to string failed\n",
				program_name);
			return CLI_EXIT(1);
		}
		fputs(mask, stdout);
		free(mask);
	}
	putchar('\n');
	return 0;
}

static int ts_fail(pid_t pid, bool set, int err)
{
	fflush(stdout);
	fprintf(stderr, "%s: failed to %s pid %d's affinity: %s\n", program_name, set ? "set" : "get",
		pid ? pid : getpid(), strerror(-err));
	return CLI_EXIT(1);
}

static int ts_get(pid_t pid, struct np_cpuset **ret)
{
	int r = np_affinity_get(pid, ret);

	return r < 0 ? ts_fail(pid, false, r) : 0;
}

/* util-linux do_taskset(): print the current mask, set the new one, print it again */
static int ts_do(const struct ts_ctx *ts, pid_t pid, const struct np_cpuset *newset)
{
	struct np_cpuset *cur = NULL;
	int r = 0;

	if (pid) {
		r = ts_get(pid, &cur);
		if (r == 0)
			r = ts_print(ts, pid, cur, false);
		np_cpuset_free(cur);
		cur = NULL;
		if (r)
			return r;
	}
	if (ts->get_only)
		return 0;
	r = np_affinity_set(pid, newset);
	if (r < 0)
		return ts_fail(pid, true, r);
	if (pid) {
		r = ts_get(pid, &cur);
		if (r == 0)
			r = ts_print(ts, pid, cur, true);
		np_cpuset_free(cur);
	}
	return r;
}

/* -a: every thread of @pid; a pid whose task directory cannot be read does nothing, as there */
static int ts_do_all(const struct ts_ctx *ts, pid_t pid, const struct np_cpuset *newset)
{
	pid_t *tids = NULL;
	size_t n = 0;
	int r = 0;

	if (np_task_list(NULL, pid, &tids, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = ts_do(ts, tids[i], newset);
	free(tids);
	return r;
}

static int ts_exec(char **argv)
{
	int e;

	fflush(stdout);
	execvp(argv[0], argv);
	e = errno;
	fprintf(stderr, "%s: failed to execute %s: %s\n", program_name, argv[0], strerror(e));
	return CLI_EXIT(e == ENOENT ? 127 : 126);
}

/* util-linux's option loop; 1 when -h or -V answered already */
static int ts_options(int argc, char **argv, struct ts_ctx *ts, bool *all_tasks, pid_t *pid)
{
	static const struct option opts[] = {
		{ "all-tasks", no_argument, NULL, 'a' },
		{ "pid", no_argument, NULL, 'p' },
		{ "cpu-list", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, "+apchV", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			*all_tasks = true;
			break;
		case 'p':
			/* util-linux takes the pid from the last argument, wherever -p is */
			r = ts_parse_pid(argv[argc - 1], pid);
			if (r)
				return r;
			break;
		case 'c':
			ts->use_list = true;
			break;
		case 'V':
			printf("%s from %s\n", program_name, TASKSET_UTIL_LINUX);
			return 1;
		case 'h':
			ts_usage();
			return 1;
		default:
			return ts_tryhelp();
		}
	}
	return 0;
}

int compat_taskset(int argc, char **argv)
{
	struct ts_ctx ts = { 0 };
	struct np_cpuset *newset = NULL;
	bool all_tasks = false;
	pid_t pid = 0;
	int r;

	program_name = "taskset";
	r = ts_options(argc, argv, &ts, &all_tasks, &pid);
	if (r)
		return r == 1 ? 0 : r;
	if ((!pid && argc - optind < 2) || (pid && (argc - optind < 1 || argc - optind > 2))) {
		fprintf(stderr, "%s: bad usage\n", program_name);
		return ts_tryhelp();
	}
	r = np_affinity_cpu_bits();
	if (r <= 0) {
		fprintf(stderr, "%s: cannot determine NR_CPUS; aborting\n", program_name);
		return CLI_EXIT(1);
	}
	ts.nbits = (unsigned int)r;
	r = np_cpuset_new(ts.nbits, &newset);
	if (r < 0) {
		fprintf(stderr, "%s: cpuset_alloc failed: %s\n", program_name, strerror(-r));
		return CLI_EXIT(1);
	}
	if (argc - optind == 1) {
		ts.get_only = true;
	} else if (ts.use_list ? ts_parse_list(newset, argv[optind]) : ts_parse_mask(newset, argv[optind])) {
		fprintf(stderr, "%s: failed to parse CPU %s: %s\n", program_name,
			ts.use_list ? "list" : "mask", argv[optind]);
		np_cpuset_free(newset);
		return CLI_EXIT(1);
	}
	r = all_tasks && pid ? ts_do_all(&ts, pid, newset) : ts_do(&ts, pid, newset);
	np_cpuset_free(newset);
	if (r || pid)
		return r;
	return ts_exec(argv + optind + 1);
}

/* "numaplace taskset ...": the same, without a symlink */
int cmd_taskset(int argc, char **argv)
{
	return compat_taskset(argc, argv);
}
