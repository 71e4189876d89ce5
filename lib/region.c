/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * region.c - memory policies for shared memory that outlives a process: part of a SysV segment
 * or of a tmpfs/hugetlbfs file is attached, given a policy (which stays with the segment or the
 * file), touched, and read back page by page.  Silent: every failure is -errno and the step
 * that failed, which the caller words (numactl's personality in numactl's words).
 *
 * Terminology:
 *  region    [offset, offset + length) of the segment or file.
 *  key file  the path ftok(3) turns, with the project id, into the segment's SysV key; created
 *            when missing.
 *  page size the backing page: the base page, the caller's huge page size for a SysV segment
 *            created with SHM_HUGETLB, or the file system's st_blksize (hugetlbfs reports its
 *            huge page size there).
 *  transactional  create only what does not exist (O_EXCL), and remove on failure what this
 *            attach created: `numaplace run`.  Without it, numactl's ways: a key file is
 *            truncated, a file opened whatever happened, and nothing is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

struct np_region {
	struct np_region_opts o;
	char *name;             /* the key file or the file */
	bool sysv;
	int fd;                 /* SysV shm id or file descriptor; -1 when none */
	void *map;              /* what shmat/mmap returned */
	char *ptr;              /* the region's first byte */
	size_t pagesize;
	unsigned int created;   /* NP_REGION_CREATED_* */
};

/* the failed step and -@err into @fail; -err returned */
static int failed(struct np_region *r, struct np_region_fail *fail, enum np_region_step step,
		  int err)
{
	if (fail) {
		fail->step = step;
		fail->created = r->created;
	}
	return -err;
}

static int sysv_key(struct np_region *r, struct np_region_fail *fail, key_t *ret)
{
	int excl = r->o.transactional ? O_EXCL : O_TRUNC;
	key_t key = ftok(r->name, r->o.shm_id);
	int fd;

	if (key == -1) {
		fd = open(r->name, O_WRONLY | O_CREAT | O_CLOEXEC | excl, r->o.mode);
		if (fd < 0)
			return failed(r, fail, NP_REGION_KEY_FILE, errno);
		close(fd);
		r->created |= NP_REGION_CREATED_KEY;
		key = ftok(r->name, r->o.shm_id);
		if (key == -1)
			return failed(r, fail, NP_REGION_FTOK, errno);
	}
	*ret = key;
	return 0;
}

static bool aligned(const struct np_region *r)
{
	return (uintptr_t)r->ptr % r->pagesize == 0 && r->o.length % r->pagesize == 0;
}

static int attach_sysv(struct np_region *r, struct np_region_fail *fail)
{
	int flags = r->o.huge_page_size ? SHM_HUGETLB : 0;
	struct shmid_ds ds;
	key_t key = -1;
	int id, e;

	e = sysv_key(r, fail, &key);
	if (e)
		return e;
	id = shmget(key, r->o.length, flags);
	if (id < 0 && errno == ENOENT) {
		if (r->o.length == 0)
			return failed(r, fail, NP_REGION_LENGTH, ENOENT);
		id = shmget(key, r->o.length + r->o.offset, IPC_CREAT | (int)r->o.mode | flags);
		if (id < 0)
			return failed(r, fail, NP_REGION_CREATE, errno);
		r->created |= NP_REGION_CREATED_SEGMENT;
	} else if (id < 0) {
		return failed(r, fail, NP_REGION_OPEN, errno);
	}
	r->fd = id;
	if (r->o.length == 0) {
		if (shmctl(id, IPC_STAT, &ds) < 0)
			return failed(r, fail, NP_REGION_STAT, errno);
		r->o.length = ds.shm_segsz;
	}
	r->map = shmat(id, NULL, 0);
	if (r->map == (void *)-1) {
		r->map = NULL;
		return failed(r, fail, NP_REGION_MAP, errno);
	}
	r->ptr = (char *)r->map + r->o.offset;
	r->pagesize = r->o.huge_page_size ? r->o.huge_page_size : (size_t)getpagesize();
	if (!aligned(r))
		return failed(r, fail, NP_REGION_ALIGN, EINVAL);
	if (!r->o.length)
		return failed(r, fail, NP_REGION_LENGTH, EINVAL);
	return 0;
}

static int open_file(struct np_region *r, struct np_region_fail *fail)
{
	int fd = open(r->name, O_RDWR | O_CLOEXEC);

	if (fd < 0 && r->o.transactional && errno != ENOENT)
		return failed(r, fail, NP_REGION_OPEN, errno);
	if (fd < 0) {
		if (r->o.length == 0)
			return failed(r, fail, NP_REGION_LENGTH, ENOENT);
		fd = open(r->name, O_RDWR | O_CREAT | O_CLOEXEC | (r->o.transactional ? O_EXCL : 0),
			  r->o.mode);
		if (fd < 0)
			return failed(r, fail, NP_REGION_CREATE, errno);
		r->created |= NP_REGION_CREATED_FILE;
	}
	r->fd = fd;
	return 0;
}

static int attach_file(struct np_region *r, struct np_region_fail *fail)
{
	unsigned long long end = r->o.length + r->o.offset;
	struct stat st;
	void *p;
	int e = open_file(r, fail);

	if (e)
		return e;
	if (fstat(r->fd, &st) < 0)
		return failed(r, fail, NP_REGION_STAT, errno);
	/* a mapping past the end of the file faults (SIGBUS): grow the file first */
	if (end > (unsigned long long)st.st_size && ftruncate(r->fd, (off_t)end) < 0)
		return failed(r, fail, NP_REGION_TRUNCATE, errno);
	r->pagesize = (size_t)st.st_blksize;
	/* an unaligned offset is mmap's to refuse (-EINVAL at NP_REGION_MAP), as numactl sees it */
	if (r->o.length % r->pagesize)
		return failed(r, fail, NP_REGION_ALIGN, EINVAL);
	if (!r->o.length)
		return failed(r, fail, NP_REGION_LENGTH, EINVAL);
	p = mmap(NULL, r->o.length, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, (off_t)r->o.offset);
	if (p == MAP_FAILED)
		return failed(r, fail, NP_REGION_MAP, errno);
	r->map = p;
	r->ptr = p;
	return 0;
}

/* detach; with @undo also remove what attaching created */
static void release(struct np_region *r, bool undo)
{
	if (r->map && r->sysv)
		shmdt(r->map);
	else if (r->map)
		munmap(r->map, r->o.length);
	if (undo && (r->created & NP_REGION_CREATED_SEGMENT))
		shmctl(r->fd, IPC_RMID, NULL);
	if (!r->sysv && r->fd >= 0)
		close(r->fd);
	/* only what this attach made: an existing file or key file is left as it was */
	if (undo && (r->created & (NP_REGION_CREATED_KEY | NP_REGION_CREATED_FILE)))
		unlink(r->name);
	free(r->name);
	free(r);
}

int np_region_attach(const char *path, bool sysv, const struct np_region_opts *opts,
		     struct np_region **ret, struct np_region_fail *fail)
{
	struct np_region *r;
	int e;

	if (fail)
		*fail = (struct np_region_fail){ NP_REGION_SETUP, 0 };
	if (!path || !*path || (!sysv && opts->huge_page_size))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r || !(r->name = strdup(path))) {
		free(r);
		return -ENOMEM;
	}
	r->o = *opts;
	r->sysv = sysv;
	r->fd = -1;
	e = sysv ? attach_sysv(r, fail) : attach_file(r, fail);
	if (e < 0) {
		release(r, opts->transactional);
		return e;
	}
	*ret = r;
	return 0;
}

void np_region_detach(struct np_region *r, bool undo)
{
	if (r)
		release(r, undo);
}

void *np_region_addr(const struct np_region *r)
{
	return r->ptr;
}

unsigned long long np_region_length(const struct np_region *r)
{
	return r->o.length;
}

unsigned long long np_region_offset(const struct np_region *r)
{
	return r->o.offset;
}

size_t np_region_page_size(const struct np_region *r)
{
	return r->pagesize;
}

unsigned int np_region_created(const struct np_region *r)
{
	return r->created;
}

int np_region_apply(const struct np_region *r, const struct np_policy *pol, unsigned int flags)
{
	return np_policy_apply_range(pol, r->ptr, r->o.length, flags);
}

void np_region_touch(const struct np_region *r)
{
	for (unsigned long long i = 0; i < r->o.length; i += r->pagesize) {
		volatile char *p = r->ptr + i;

		*p = *p;
	}
}

int np_region_nodes(const struct np_region *r, np_region_node_fn fn, void *arg)
{
	unsigned long long c, start = 0;
	int prev = -1, node, e;

	for (c = 0; c < r->o.length; c += r->pagesize) {
		e = np_mem_node_of(r->ptr + c, &node);
		if (e < 0)
			return e;
		if (node == prev)
			continue;
		if (prev != -1 && (e = fn(r->o.offset + start, r->o.offset + c, prev, arg)) != 0)
			return e;
		prev = node;
		start = c;
	}
	return c ? fn(r->o.offset + start, r->o.offset + c, prev, arg) : 0;
}

/* the same policy: mode, flags and nodes */
static bool same_policy(const struct np_policy *a, const struct np_policy *b)
{
	return np_policy_mode(a) == np_policy_mode(b) && np_policy_flags(a) == np_policy_flags(b) &&
	       np_cpuset_equal(np_policy_nodes(a), np_policy_nodes(b));
}

int np_region_policies(const struct np_region *r, np_region_policy_fn fn, void *arg)
{
	struct np_policy *prev = NULL, *cur;
	unsigned long long c, start = 0;
	int e = 0;

	for (c = 0; c < r->o.length && e == 0; c += r->pagesize) {
		e = np_policy_get_addr(r->ptr + c, &cur);
		if (e < 0)
			break;
		if (prev && same_policy(prev, cur)) {
			np_policy_free(cur);
			continue;
		}
		if (prev)
			e = fn(r->o.offset + start, r->o.offset + c, prev, arg);
		np_policy_free(prev);
		prev = cur;
		start = c;
	}
	if (e == 0 && prev)
		e = fn(r->o.offset + start, r->o.offset + c, prev, arg);
	np_policy_free(prev);
	return e;
}
