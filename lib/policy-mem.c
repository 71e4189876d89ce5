/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * policy-mem.c - memory under a policy: which node a page is on, moving pages and whole
 * processes between nodes, and allocating a range under a policy.
 *
 * Terminology:
 *  page       a base page (sysconf(_SC_PAGESIZE)); "present" means backed by memory now.
 *  migrate    move every page of a process from some nodes to others (migrate_pages).
 *  move       move given pages to given nodes, or ask where they are (move_pages).
 *
 * Every syscall goes through the wrappers of lib/mempolicy.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

int np_mem_node_of(const void *addr, int *ret)
{
	int node = -1;
	long r = np__get_mempolicy(&node, NULL, 0, addr, NP__MPOL_F_NODE | NP__MPOL_F_ADDR);

	if (r < 0)
		return (int)r;
	*ret = node;
	return 0;
}

/* ---- where pages are, and moving them ---- */

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

size_t np_mem_page_count(const void *addr, size_t len)
{
	uintptr_t ps = page_size(), a = (uintptr_t)addr;

	if (len == 0)
		return 0;
	return ((a + len - 1) / ps) - (a / ps) + 1;
}

int np_mem_query(pid_t pid, size_t count, const void *const *pages, int *status)
{
	long r = np__move_pages(pid, count, (void *const *)pages, NULL, status, 0);

	return r < 0 ? (int)r : 0;
}

#define BATCH 1024

int np_mem_query_range(pid_t pid, const void *addr, size_t len, int *status)
{
	uintptr_t ps = page_size(), base = (uintptr_t)addr / ps * ps;
	size_t n = np_mem_page_count(addr, len);
	void *pages[BATCH];
	int r;

	if (n == 0)
		return -EINVAL;
	for (size_t done = 0; done < n; done += BATCH) {
		size_t k = n - done < BATCH ? n - done : BATCH;

		for (size_t i = 0; i < k; i++)
			pages[i] = (void *)(base + (done + i) * ps);
		r = np_mem_query(pid, k, (const void *const *)pages, status + done);
		if (r < 0)
			return r;
	}
	return 0;
}

/* copies of @a and @b of one size, as migrate_pages() reads both masks with one maxnode */
static int same_size(const struct np_cpuset *a, const struct np_cpuset *b, struct np_cpuset **ra,
		     struct np_cpuset **rb)
{
	unsigned int n = np_cpuset_size(a) > np_cpuset_size(b) ? np_cpuset_size(a) : np_cpuset_size(b);
	int r;

	r = np_cpuset_dup(a, ra);
	if (r < 0)
		return r;
	r = np_cpuset_dup(b, rb);
	if (r == 0)
		r = np_cpuset_resize(*ra, n);
	if (r == 0)
		r = np_cpuset_resize(*rb, n);
	if (r < 0) {
		np_cpuset_free(*ra);
		np_cpuset_free(*rb);
	}
	return r;
}

int np_mem_migrate(pid_t pid, const struct np_cpuset *from, const struct np_cpuset *to)
{
	struct np_cpuset *f, *t;
	long r;

	r = same_size(from, to, &f, &t);
	if (r < 0)
		return (int)r;
	r = np__migrate_pages(pid, f->nbits, f->bits, t->bits);
	np_cpuset_free(f);
	np_cpuset_free(t);
	if (r > INT32_MAX)
		r = INT32_MAX;
	return (int)r;
}

int np_mem_move_pages(pid_t pid, size_t count, void *const *pages, const int *nodes,
		      int *status, unsigned int flags)
{
	long r;

	if (flags & ~(unsigned int)NP_MOVE_ALL)
		return -EINVAL;
	r = np__move_pages(pid, count, pages, nodes, status,
			   flags & NP_MOVE_ALL ? NP__MPOL_MF_MOVE_ALL : NP__MPOL_MF_MOVE);
	if (r > INT32_MAX)
		r = INT32_MAX;
	return (int)r;
}

struct batch {
	void *pages[BATCH];
	int status[BATCH];
	void *todo[BATCH];
	int nodes[BATCH];
	int result[BATCH];
};

/* one batch of np_mem_move_range(): look, then move only what is present and elsewhere */
static int move_batch(pid_t pid, struct batch *b, size_t k, int node, unsigned int flags,
		      struct np_move_stats *st)
{
	size_t n = 0;
	int r;

	r = np_mem_query(pid, k, (const void *const *)b->pages, b->status);
	if (r < 0)
		return r;
	for (size_t i = 0; i < k; i++) {
		if (b->status[i] == node) {
			st->already++;
		} else if (b->status[i] == -ENOENT || b->status[i] == -EFAULT) {
			st->absent++;
		} else {
			b->todo[n] = b->pages[i];
			b->nodes[n++] = node;
		}
	}
	if (n == 0)
		return 0;
	r = np_mem_move_pages(pid, n, b->todo, b->nodes, b->result, flags);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (b->result[i] == node) {
			st->moved++;
		} else {
			st->failed++;
			if (!st->first_error)
				st->first_error = b->result[i] < 0 ? b->result[i] : -EBUSY;
		}
	}
	return 0;
}

int np_mem_move_range(pid_t pid, const void *addr, size_t len, int node, unsigned int flags,
		      np_progress_fn progress, void *arg, struct np_move_stats *stats)
{
	uintptr_t ps = page_size(), base = (uintptr_t)addr / ps * ps;
	struct np_move_stats st = { .pages = np_mem_page_count(addr, len) };
	struct batch *b;
	int r = 0;

	if (len == 0 || node < 0 || (flags & ~(unsigned int)NP_MOVE_ALL))
		return -EINVAL;
	b = malloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t done = 0; done < st.pages && r == 0; done += BATCH) {
		size_t k = st.pages - done < BATCH ? st.pages - done : BATCH;

		for (size_t i = 0; i < k; i++)
			b->pages[i] = (void *)(base + (done + i) * ps);
		r = move_batch(pid, b, k, node, flags, &st);
		if (r == 0 && progress)
			r = progress(done + k, st.pages, arg);
	}
	free(b);
	if (stats)
		*stats = st;
	return r;
}

/* ---- allocation under a policy ---- */

#define THP_SIZE ((size_t)2 << 20)

/* an anonymous mapping of @len bytes, 2 MiB aligned when @align */
static void *map_anon(size_t len, bool align)
{
	size_t extra = align ? THP_SIZE : 0;
	uintptr_t a, start;
	void *p;

	p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (!align)
		return p;
	a = (uintptr_t)p;
	start = (a + THP_SIZE - 1) / THP_SIZE * THP_SIZE;
	if (start > a)
		munmap(p, start - a);
	if (a + len + extra > start + len)
		munmap((void *)(start + len), a + len + extra - (start + len));
	return (void *)start;
}

/* after touching: every present page on one of the policy's nodes? */
static int verify(const struct np_policy *pol, void *addr, size_t len)
{
	size_t n = np_mem_page_count(addr, len);
	int *status, r;

	/* default and local name no nodes; relative nodes are not the nodes pages land on */
	if (pol->mode == NP_MPOL_DEFAULT || pol->mode == NP_MPOL_LOCAL ||
	    (pol->flags & NP_MPOL_F_RELATIVE_NODES))
		return 0;
	status = calloc(n, sizeof(*status));
	if (!status)
		return -ENOMEM;
	r = np_mem_query_range(0, addr, len, status);
	for (size_t i = 0; r == 0 && i < n; i++)
		if (status[i] < 0 || !np_cpuset_isset(pol->nodes, (unsigned int)status[i]))
			r = -EIO;
	free(status);
	return r;
}

static int alloc_setup(void *p, size_t len, const struct np_policy *pol, unsigned int flags)
{
	size_t ps = page_size();
	int r;

	r = np_policy_apply_range(pol, p, len, 0);
	if (r < 0)
		return r;
	if ((flags & NP_ALLOC_THP) && madvise(p, len, MADV_HUGEPAGE) < 0)
		return -errno;
	if ((flags & NP_ALLOC_NO_THP) && madvise(p, len, MADV_NOHUGEPAGE) < 0)
		return -errno;
	if (flags & NP_ALLOC_TOUCH)
		for (size_t off = 0; off < len; off += ps)
			((volatile char *)p)[off] = 0;
	if ((flags & NP_ALLOC_TOUCH) && (flags & NP_ALLOC_STRICT))
		return verify(pol, p, len);
	return 0;
}

int np_alloc(size_t len, const struct np_policy *pol, unsigned int flags, void **ret)
{
	size_t ps = page_size();
	void *p;
	int r;

	if (len == 0 || (flags & ~0xfu) || ((flags & NP_ALLOC_THP) && (flags & NP_ALLOC_NO_THP)))
		return -EINVAL;
	len = (len + ps - 1) / ps * ps;
	p = map_anon(len, flags & NP_ALLOC_THP);
	if (!p)
		return -errno;
	r = alloc_setup(p, len, pol, flags);
	if (r < 0) {
		munmap(p, len);
		return r;
	}
	*ret = p;
	return 0;
}

static int alloc_nodes(size_t len, int mode, const struct np_cpuset *nodes, unsigned int flags,
		       void **ret)
{
	struct np_policy *pol;
	int r;

	r = np_policy_new(mode, nodes, 0, &pol);
	if (r < 0)
		return r;
	r = np_alloc(len, pol, flags, ret);
	np_policy_free(pol);
	return r;
}

int np_alloc_onnode(size_t len, int node, unsigned int flags, void **ret)
{
	struct np_cpuset *nodes;
	int r;

	if (node < 0)
		return -EINVAL;
	r = np_cpuset_new((unsigned int)node + 1, &nodes);
	if (r < 0)
		return r;
	np_cpuset_set(nodes, (unsigned int)node);
	r = alloc_nodes(len, NP_MPOL_BIND, nodes, flags, ret);
	np_cpuset_free(nodes);
	return r;
}

int np_alloc_interleaved(size_t len, const struct np_cpuset *nodes, unsigned int flags,
			 void **ret)
{
	return alloc_nodes(len, NP_MPOL_INTERLEAVE, nodes, flags, ret);
}

void np_alloc_free(void *addr, size_t len)
{
	size_t ps = page_size();

	if (addr)
		munmap(addr, (len + ps - 1) / ps * ps);
}
