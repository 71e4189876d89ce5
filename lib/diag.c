/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * diag.c - the problem list of a topology: the files np_topo_load() found but could not use,
 * each with the reason, so that a caller can say which file a capture has broken instead of
 * showing a machine that silently lost its CPUs or memory.
 *
 * Terminology:
 *  problem  a file that exists below the sysroot and was skipped: not a regular file, over its
 *           cap, unreadable, or holding text or a value its reader rejects.
 *  kept     the first NP_TOPO_PROBLEMS_KEPT problems, with their path and reason; beyond them
 *           only the count grows, so a capture of 8192 broken CPUs costs no more memory.
 *
 * lib/sysfs.c records what it sees itself (the read failures and the sets and numbers that do
 * not parse); the readers call np__sysfs_bad() for the values they reject.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

static const char *type_reason(unsigned int mode)
{
	if (S_ISFIFO(mode))
		return "not a regular file (a FIFO)";
	if (S_ISCHR(mode))
		return "not a regular file (a character device)";
	if (S_ISBLK(mode))
		return "not a regular file (a block device)";
	if (S_ISDIR(mode))
		return "not a regular file (a directory)";
	if (S_ISSOCK(mode))
		return "not a regular file (a socket)";
	return "not a regular file";
}

/* the kind and reason of a read failure of lib/sysfs.c */
static int read_kind(int err, unsigned int mode, const char **reason)
{
	if (err == EINVAL && mode) {
		*reason = type_reason(mode);
		return NP_PROBLEM_NOT_REGULAR;
	}
	if (err == EISDIR) {
		*reason = type_reason(S_IFDIR);
		return NP_PROBLEM_NOT_REGULAR;
	}
	if (err == EFBIG) {
		*reason = "larger than its cap";
		return NP_PROBLEM_TOO_LARGE;
	}
	*reason = "cannot be read";
	return NP_PROBLEM_UNREADABLE;
}

const char *np__set_reason(int err, bool mask)
{
	if (err == -ERANGE)
		return "names a CPU or node beyond the machine's";
	if (err == -EOVERFLOW)
		return mask ? "a mask word out of range" : "a number out of range";
	return mask ? "not a hex mask" : "not a CPU or node list";
}

static bool known(const struct np__problems *p, const char *base, const char *path)
{
	size_t blen = strlen(base);

	for (unsigned int i = 0; i < p->n; i++)
		if (strncmp(p->v[i].path, base, blen) == 0 && strcmp(p->v[i].path + blen, path) == 0)
			return true;
	return false;
}

void np__problem_add(struct np__problems *p, const char *base, const char *path, int err,
		     unsigned int mode, size_t limit, const char *reason)
{
	struct np__problem *q;
	int kind;

	if (known(p, base, path))
		return;
	/* past the kept ones a path read twice counts twice: the count is "at most" then */
	p->total++;
	if (p->n == NP_TOPO_PROBLEMS_KEPT)
		return;
	if (!p->v && !(p->v = calloc(NP_TOPO_PROBLEMS_KEPT, sizeof(*p->v))))
		return;
	if (reason)
		kind = err == EINVAL ? NP_PROBLEM_SYNTAX : NP_PROBLEM_VALUE;
	else
		kind = read_kind(err, mode, &reason);
	q = &p->v[p->n];
	if (asprintf(&q->path, "%s%s", base, path) < 0)
		return;
	q->reason = reason;
	q->kind = kind;
	q->error = err;
	q->limit = kind == NP_PROBLEM_TOO_LARGE ? limit : 0;
	p->n++;
}

void np__problems_release(struct np__problems *p)
{
	for (unsigned int i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	*p = (struct np__problems){ 0 };
}

unsigned int np_topo_problem_count(const struct np_topo *topo)
{
	return topo ? topo->problems.total : 0;
}

int np_topo_problem(const struct np_topo *topo, unsigned int i, struct np_problem *ret)
{
	const struct np__problem *q;

	if (!topo || !ret)
		return -EINVAL;
	if (i >= topo->problems.n)
		return -ERANGE;
	q = &topo->problems.v[i];
	*ret = (struct np_problem){ .path = q->path, .reason = q->reason,
				    .kind = (enum np_problem_kind)q->kind, .error = q->error,
				    .limit = q->limit };
	return 0;
}
