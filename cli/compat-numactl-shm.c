/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat-numactl-shm.c - numactl's --shm/--file/--offset/--length/--touch/--dump/--verify in
 * numactl's words, over the library's silent regions (lib/region.c): its announcements of what
 * it creates, its messages for each failed step, its exit code 1.
 *
 * Terminology:
 *  region    [offset, offset + length) of the SysV segment or the file (struct np_region).
 *  complain  numactl's complain(): message and exit 1, with the final newline on stdout under
 *            2.0.16 (nl_on_stdout), on stderr under 2.0.19.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat-numactl.h"
#include "shm.h"

void nc_shm_init(struct nc_shm *s, bool old)
{
	memset(s, 0, sizeof(*s));
	s->o.mode = 0600;
	s->nl_on_stdout = old;
}

/* numactl's complain() when @nl says so, else its fprintf-and-exit: the message, exit 1 */
static int fail(bool nl, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int fail(bool nl, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', nl ? stdout : stderr);
	fflush(stdout);
	return CLI_EXIT(1);
}

/* numactl's err(): perror with the program's name */
static int nc_err(const char *what, int e)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s: %s\n", program_name, what, strerror(e));
	return CLI_EXIT(1);
}

/* what numactl printed before the step that failed (or before succeeding) */
static void announce(const struct nc_shm *s, const char *path, bool sysv,
		     const struct np_region_fail *f, int e)
{
	bool failed = e < 0;

	if (sysv && ((f->created & NP_REGION_CREATED_KEY) || (failed && f->step == NP_REGION_KEY_FILE)))
		fprintf(stderr, "%s: Creating shm key file %s mode %04o\n", program_name, path,
			(unsigned int)s->o.mode);
	if (sysv && ((f->created & NP_REGION_CREATED_SEGMENT) ||
		     (failed && f->step == NP_REGION_CREATE)))
		fprintf(stderr, "%s: Creating shared memory segment %s id %d mode %04o length %.fMB\n",
			program_name, path, s->o.shm_id, (unsigned int)s->o.mode,
			(double)(s->o.length + s->o.offset) / (1024 * 1024));
}

/* the failed step in numactl's words */
static int attach_failed(const struct nc_shm *s, const char *path, bool sysv, const char *opt,
			 const struct np_region_fail *f, int e)
{
	switch (f->step) {
	case NP_REGION_KEY_FILE:
		return fail(false, "cannot create key for shm %s\n: %s", path, strerror(-e));
	case NP_REGION_FTOK:
		return fail(false, "cannot get key for newly created shm key file %s: %s", path,
			    strerror(-e));
	case NP_REGION_LENGTH:
		if (e == -EINVAL)
			return fail(false, "policy region length not specified before %s", opt);
		return fail(s->nl_on_stdout, sysv ? "need a --length to create a sysv shared memory segment"
						  : "need a --length to create a shared file");
	case NP_REGION_CREATE:
		if (sysv)
			return fail(false, "cannot create shared memory segment: %s", strerror(-e));
		return fail(false, "cannot create file %s: %s", path, strerror(-e));
	case NP_REGION_OPEN:
		/* numactl carries on with shmid -1, which the next call refuses */
		return nc_err(s->o.length ? "shmat" : "shmctl IPC_STAT", EINVAL);
	case NP_REGION_STAT:
		return nc_err(sysv ? "shmctl IPC_STAT" : "shm stat", -e);
	case NP_REGION_TRUNCATE:
		fprintf(stderr, "ftruncate: %s\n", strerror(-e));
		return CLI_EXIT(1);
	case NP_REGION_ALIGN:
		return fail(false, "policy region not page aligned");
	default:
		return nc_err(sysv ? "shmat" : "shm mmap", -e);
	}
}

/*
 * A second --shm or --file replaces the first, as numactl's does; the first is detached here
 * (numactl leaves it mapped until it exits), its policy staying with its segment or file.
 */
int nc_shm_attach(struct nc_shm *s, const char *path, bool sysv, size_t huge_page_size)
{
	struct np_region_fail f = { 0 };
	struct np_region *reg = NULL;
	int e;

	s->o.huge_page_size = sysv && s->huge ? huge_page_size : 0;
	e = np_region_attach(path, sysv, &s->o, &reg, &f);
	if (e < 0 && f.step == NP_REGION_SETUP)
		return nc_err("attach", -e);
	announce(s, path, sysv, e < 0 ? &f : &(struct np_region_fail){
			.created = np_region_created(reg) }, e);
	if (e < 0)
		return attach_failed(s, path, sysv, sysv ? "--shm" : "--file", &f, e);
	np_region_detach(s->reg, false);
	s->reg = reg;
	s->o.length = np_region_length(s->reg);
	return 0;
}

int nc_shm_check_beyond(const struct nc_shm *s, const char *opt)
{
	if (s->o.offset >= s->o.length) {
		fflush(stdout);
		fprintf(stderr, "%s: region offset %#llx beyond its length %#llx at %s\n",
			program_name, s->o.offset, s->o.length, opt);
		return CLI_EXIT(1);
	}
	return 0;
}

int nc_shm_dump(const struct nc_shm *s, bool nodes)
{
	int e = nodes ? shm_dump_nodes(s->reg) : shm_dump(s->reg);

	return e < 0 ? nc_err("get_mempolicy on shm", -e) : 0;
}

static void vwarn(struct nc_shm *s, const char *p, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void vwarn(struct nc_shm *s, const char *p, const char *fmt, ...)
{
	const char *base = np_region_addr(s->reg);
	va_list ap;

	printf("numactl verify %lx(%lx): ", (unsigned long)p, (unsigned long)(p - base));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	s->failed = 1;
}

static void print_nodes(const struct np_cpuset *nodes)
{
	np_cpuset_foreach(n, nodes)
		printf("%d ", n);
	putchar('\n');
}

/* the next node of @nodes after @cur, cyclically, as interleaving hands them out */
static int next_node(int cur, const struct np_cpuset *nodes)
{
	int n = np_cpuset_next(nodes, cur);

	return n >= 0 ? n : np_cpuset_first(nodes);
}

/* the page's policy: 1 to stop (numactl stops at the first wrong one) */
static int verify_policy(struct nc_shm *s, char *p, int mode, const struct np_cpuset *nodes,
			 const struct np_policy *pol)
{
	int pv = np_policy_mode(pol) | (int)np_policy_flags(pol);
	char b1[32], b2[32];

	if (pv != mode) {
		vwarn(s, p, "wrong policy %s, expected %s\n", shm_policy_name(pv, b1),
		      shm_policy_name(mode, b2));
		return 1;
	}
	if (!np_cpuset_equal(np_policy_nodes(pol), nodes)) {
		vwarn(s, p, "mismatched node mask\n");
		printf("expected: ");
		print_nodes(nodes);
		printf("real: ");
		print_nodes(np_policy_nodes(pol));
	}
	return 0;
}

/* the page's node: 1 to stop (at the first interleave node out of turn) */
static int verify_node(struct nc_shm *s, char *p, int mode, const struct np_policy *pol,
		       int node, int *ilnode)
{
	if (mode == NP_MPOL_INTERLEAVE) {
		if (node < 0 || !np_cpuset_isset(np_policy_nodes(pol), (unsigned int)node))
			vwarn(s, p, "interleave node out of range %d\n", node);
		if (node != *ilnode) {
			vwarn(s, p, "expected interleave node %d, got %d\n", *ilnode, node);
			return 1;
		}
		*ilnode = next_node(*ilnode, np_policy_nodes(pol));
	} else if (mode != NP_MPOL_DEFAULT &&
		   !np_cpuset_isset(np_policy_nodes(pol), (unsigned int)node)) {
		vwarn(s, p, "unexpected node %d\n", node);
		printf("expected: ");
		print_nodes(np_policy_nodes(pol));
	}
	return 0;
}

int nc_shm_verify(struct nc_shm *s, int mode, const struct np_cpuset *nodes)
{
	char *base = np_region_addr(s->reg);
	size_t ps = np_region_page_size(s->reg);
	int ilnode = -1, e = 0, stop = 0;

	if (mode == NP_MPOL_INTERLEAVE && (e = np_mem_node_of(base, &ilnode)) < 0)
		return nc_err("get_mempolicy", -e);
	for (char *p = base; !stop && (unsigned long long)(p - base) < s->o.length; p += ps) {
		struct np_policy *pol;
		int node = -1;

		e = np_policy_get_addr(p, &pol);
		if (e < 0)
			return nc_err("get_mempolicy", -e);
		stop = verify_policy(s, p, mode, nodes, pol);
		if (!stop && (e = np_mem_node_of(p, &node)) == 0)
			stop = verify_node(s, p, mode, pol, node, &ilnode);
		np_policy_free(pol);
		if (e < 0)
			return nc_err("get_mempolicy", -e);
	}
	return 0;
}
