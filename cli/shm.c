/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * shm.c - memory policies for SysV shared memory segments and tmpfs/hugetlbfs files, as
 * numactl(8) applies them with --shm/--file (see shm.h).  The policy of a shared mapping
 * lives with the segment or the file, not with the process, so it outlasts this process.
 *
 * Terminology:
 *  region    [offset, offset + length) of the segment or file
 *  key file  the path ftok(3) turns, with the shm id, into a SysV key; created if missing
 *  page size the backing page: the base page, the default huge page (SysV --huge), or the
 *            file system's st_blksize (hugetlbfs reports its huge page size there)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "shm.h"

void shm_region_init(struct shm_region *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = 0600;
	r->fd = -1;
}

unsigned long long shm_memsize(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 0);

	/* numactl multiplies through: g is 1024 m, m is 1024 k */
	switch (toupper((unsigned char)*end)) {
	case 'G':
		n *= 1024;
		/* fall through */
	case 'M':
		n *= 1024;
		/* fall through */
	case 'K':
		n *= 1024;
		break;
	}
	return n;
}

/* numactl's complain() with @r (whose release decides where the newline goes), else its
 * fprintf-and-exit: the message, exit 1 */
static int shm_fail(const struct shm_region *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int shm_fail(const struct shm_region *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', r && r->nl_on_stdout ? stdout : stderr);
	fflush(stdout);
	return CLI_EXIT(1);
}

/* numactl's err(): perror with the program's name */
static int shm_perror(const char *what)
{
	int e = errno;

	fflush(stdout);
	fprintf(stderr, "%s: %s: %s\n", program_name, what, strerror(e));
	return CLI_EXIT(1);
}

const char *shm_policy_name(int policy, char buf[32])
{
	static const char *const names[] = { "default", "preferred", "bind", "interleave",
					      "local", "preferred-many" };

	if (policy >= 0 && policy < (int)(sizeof(names) / sizeof(names[0])))
		return names[policy];
	snprintf(buf, 32, "[%d]", policy);
	return buf;
}

/* the default huge page size: the smallest the topology lists (x86: 2 MiB) */
static size_t default_huge_page(void)
{
	struct np_topo *topo;
	size_t sz = 0;

	if (np_topo_load(NULL, 0, &topo) == 0) {
		for (unsigned int i = 0; i < np_topo_node_count(topo) && !sz; i++) {
			const struct np_node *n = np_topo_node(topo, i);

			if (n->nhugepages)
				sz = (size_t)n->hugepages[0].page_size;
		}
		np_topo_free(topo);
	}
	return sz ? sz : (size_t)getpagesize();
}

/* quiet mode's failure: the step and -errno, nothing printed */
static int quiet_fail(struct shm_region *r, const char *step, int err)
{
	r->step = step;
	return -err;
}

static int check_region(struct shm_region *r, const char *opt)
{
	if ((uintptr_t)r->ptr % r->pagesize || r->length % r->pagesize)
		return r->quiet ? quiet_fail(r, "page alignment", EINVAL)
				: shm_fail(NULL, "policy region not page aligned");
	if (!r->length)
		return r->quiet ? quiet_fail(r, "length", EINVAL)
				: shm_fail(NULL, "policy region length not specified before %s", opt);
	return 0;
}

static int sysv_key(struct shm_region *r, const char *name, key_t *ret)
{
	key_t key = ftok(name, (int)r->id);
	int fd, e;

	if (key == -1) {
		if (!r->quiet)
			fprintf(stderr, "%s: Creating shm key file %s mode %04o\n", program_name, name,
				(unsigned int)r->mode);
		fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC | (r->quiet ? O_EXCL : O_TRUNC), r->mode);
		if (fd < 0) {
			e = errno;
			if (r->quiet)
				return quiet_fail(r, "create the key file", e);
			return shm_fail(NULL, "cannot create key for shm %s\n: %s", name, strerror(e));
		}
		close(fd);
		r->created |= SHM_CREATED_KEY;
		key = ftok(name, (int)r->id);
		if (key == -1) {
			e = errno;
			if (r->quiet)
				return quiet_fail(r, "ftok", e);
			return shm_fail(NULL, "cannot get key for newly created shm key file %s: %s", name,
					strerror(e));
		}
	}
	*ret = key;
	return 0;
}

int shm_attach_sysv(struct shm_region *r, const char *keyfile, const char *opt)
{
	int flags = r->huge ? SHM_HUGETLB : 0;
	struct shmid_ds ds;
	key_t key = -1;
	void *p;
	int id, e;

	e = sysv_key(r, keyfile, &key);
	if (e)
		return e;
	id = shmget(key, r->length, flags);
	if (id < 0 && errno == ENOENT) {
		if (r->length == 0)
			return r->quiet ? quiet_fail(r, "length", ENOENT)
					: shm_fail(r, "need a --length to create a sysv shared memory segment");
		if (!r->quiet)
			fprintf(stderr,
				"%s: Creating shared memory segment %s id %ld mode %04o length %.fMB\n",
				program_name, keyfile, r->id, (unsigned int)r->mode,
				(double)(r->length + r->offset) / (1024 * 1024));
		id = shmget(key, r->length + r->offset, IPC_CREAT | (int)r->mode | flags);
		if (id < 0) {
			e = errno;
			if (r->quiet)
				return quiet_fail(r, "shmget", e);
			return shm_fail(NULL, "cannot create shared memory segment: %s", strerror(e));
		}
		r->created |= SHM_CREATED_SEGMENT;
	} else if (id < 0 && r->quiet) {
		return quiet_fail(r, "shmget", errno);
	}
	r->fd = id;
	if (r->length == 0) {
		if (shmctl(id, IPC_STAT, &ds) < 0)
			return r->quiet ? quiet_fail(r, "shmctl IPC_STAT", errno)
					: shm_perror("shmctl IPC_STAT");
		r->length = ds.shm_segsz;
	}
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return r->quiet ? quiet_fail(r, "shmat", errno) : shm_perror("shmat");
	r->ptr = (char *)p + r->offset;
	r->pagesize = r->huge ? default_huge_page() : (size_t)getpagesize();
	return check_region(r, opt);
}

int shm_attach_file(struct shm_region *r, const char *path, const char *opt)
{
	struct stat st;
	void *p;
	int fd, e;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && r->quiet && errno != ENOENT)
		return quiet_fail(r, "open", errno);
	if (fd < 0) {
		if (r->length == 0)
			return r->quiet ? quiet_fail(r, "length", ENOENT)
					: shm_fail(r, "need a --length to create a shared file");
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | (r->quiet ? O_EXCL : 0), r->mode);
		if (fd < 0) {
			e = errno;
			if (r->quiet)
				return quiet_fail(r, "create", e);
			return shm_fail(NULL, "cannot create file %s: %s", path, strerror(e));
		}
		r->created |= SHM_CREATED_FILE;
	}
	r->fd = fd;
	if (fstat(fd, &st) < 0)
		return r->quiet ? quiet_fail(r, "stat", errno) : shm_perror("shm stat");
	/* a mapping past the end of the file faults (SIGBUS): grow the file first */
	if (r->length + r->offset > (unsigned long long)st.st_size &&
	    ftruncate(fd, (off_t)(r->length + r->offset)) < 0) {
		e = errno;
		if (r->quiet)
			return quiet_fail(r, "ftruncate", e);
		fprintf(stderr, "ftruncate: %s\n", strerror(e));
		return CLI_EXIT(1);
	}
	r->pagesize = (size_t)st.st_blksize;
	e = check_region(r, opt);
	if (e)
		return e;
	p = mmap(NULL, r->length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)r->offset);
	if (p == MAP_FAILED)
		return r->quiet ? quiet_fail(r, "mmap", errno) : shm_perror("shm mmap");
	r->ptr = p;
	return 0;
}

void shm_undo(struct shm_region *r, const char *name, bool sysv)
{
	if (r->ptr && sysv)
		shmdt(r->ptr - r->offset);
	else if (r->ptr)
		munmap(r->ptr, r->length);
	if (r->created & SHM_CREATED_SEGMENT)
		shmctl(r->fd, IPC_RMID, NULL);
	else if (!sysv && r->fd >= 0)
		close(r->fd);
	/* only what this run made: an existing file or key file is left as it was */
	if (r->created & (SHM_CREATED_KEY | SHM_CREATED_FILE))
		unlink(name);
	r->ptr = NULL;
	r->fd = -1;
	r->created = 0;
}

int shm_check_beyond(const struct shm_region *r, const char *opt)
{
	if (r->offset >= r->length) {
		fflush(stdout);
		fprintf(stderr, "%s: region offset %#llx beyond its length %#llx at %s\n",
			program_name, r->offset, r->length, opt);
		return CLI_EXIT(1);
	}
	return 0;
}

int shm_apply(const struct shm_region *r, const struct np_policy *pol)
{
	return np_policy_apply_range(pol, r->ptr, r->length, r->mbind_flags);
}

void shm_touch(const struct shm_region *r)
{
	for (unsigned long long i = 0; i < r->length; i += r->pagesize) {
		volatile char *p = r->ptr + i;

		*p = *p;
	}
}

/* the kernel's policy value for the page at @addr: mode | mode flags, and its nodes */
static int policy_at(const void *addr, int *pol, struct np_policy **ret)
{
	struct np_policy *p;
	int r = np_policy_get_addr(addr, &p);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	*pol = np_policy_mode(p) | (int)np_policy_flags(p);
	*ret = p;
	return 0;
}

static void print_nodes(const struct np_cpuset *nodes)
{
	np_cpuset_foreach(n, nodes)
		printf("%d ", n);
	putchar('\n');
}

static void dump_range(const struct shm_region *r, unsigned long long start,
		       unsigned long long end, int pol, const struct np_policy *p)
{
	char buf[32];

	if (pol == NP_MPOL_DEFAULT)
		return;
	printf("%016llx-%016llx: %s : ", r->offset + start, r->offset + end,
	       shm_policy_name(pol, buf));
	print_nodes(np_policy_nodes(p));
}

int shm_dump(const struct shm_region *r)
{
	struct np_policy *prev = NULL, *cur;
	unsigned long long c, start = 0;
	int prevpol = -1, pol;

	if (r->length == 0) {
		printf("nothing to dump\n");
		return 0;
	}
	for (c = 0; c < r->length; c += r->pagesize) {
		if (policy_at(r->ptr + c, &pol, &cur) < 0) {
			np_policy_free(prev);
			return shm_perror("get_mempolicy on shm");
		}
		if (prev && pol == prevpol && np_cpuset_equal(np_policy_nodes(prev), np_policy_nodes(cur))) {
			np_policy_free(cur);
			continue;
		}
		if (prev)
			dump_range(r, start, c, prevpol, prev);
		np_policy_free(prev);
		prev = cur;
		prevpol = pol;
		start = c;
	}
	dump_range(r, start, c, prevpol, prev);
	np_policy_free(prev);
	return 0;
}

int shm_dump_nodes(const struct shm_region *r)
{
	unsigned long long c, start = 0;
	int prev = -1, node, e;

	if (r->length == 0) {
		printf("nothing to dump\n");
		return 0;
	}
	for (c = 0; c < r->length; c += r->pagesize) {
		e = np_mem_node_of(r->ptr + c, &node);
		if (e < 0) {
			errno = -e;
			return shm_perror("get_mempolicy on shm");
		}
		if (node == prev)
			continue;
		if (prev != -1)
			printf("%016llx-%016llx: %d\n", r->offset + start, r->offset + c, prev);
		prev = node;
		start = c;
	}
	printf("%016llx-%016llx: %d\n", r->offset + start, r->offset + c, prev);
	return 0;
}

static void vwarn(struct shm_region *r, const char *p, const char *fmt, ...) PRINTF_LIKE(3, 4);
static void vwarn(struct shm_region *r, const char *p, const char *fmt, ...)
{
	va_list ap;

	printf("numactl verify %lx(%lx): ", (unsigned long)p, (unsigned long)(p - r->ptr));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	r->failed = 1;
}

/* the next node of @nodes after @cur, cyclically, as interleaving hands them out */
static int next_node(int cur, const struct np_cpuset *nodes)
{
	int n = np_cpuset_next(nodes, cur);

	return n >= 0 ? n : np_cpuset_first(nodes);
}

int shm_verify(struct shm_region *r, int mode, const struct np_cpuset *nodes)
{
	char b1[32], b2[32];
	int ilnode = -1, e = 0;

	if (mode == NP_MPOL_INTERLEAVE && (e = np_mem_node_of(r->ptr, &ilnode)) < 0)
		goto fail;
	for (char *p = r->ptr; (unsigned long long)(p - r->ptr) < r->length; p += r->pagesize) {
		struct np_policy *pol;
		int pv, node;

		if (policy_at(p, &pv, &pol) < 0)
			return shm_perror("get_mempolicy");
		if (pv != mode) {
			vwarn(r, p, "wrong policy %s, expected %s\n", shm_policy_name(pv, b1),
			      shm_policy_name(mode, b2));
			np_policy_free(pol);
			return 0;
		}
		if (!np_cpuset_equal(np_policy_nodes(pol), nodes)) {
			vwarn(r, p, "mismatched node mask\n");
			printf("expected: ");
			print_nodes(nodes);
			printf("real: ");
			print_nodes(np_policy_nodes(pol));
		}
		e = np_mem_node_of(p, &node);
		if (e < 0) {
			np_policy_free(pol);
			goto fail;
		}
		if (mode == NP_MPOL_INTERLEAVE) {
			if (node < 0 || !np_cpuset_isset(np_policy_nodes(pol), (unsigned int)node))
				vwarn(r, p, "interleave node out of range %d\n", node);
			if (node != ilnode) {
				vwarn(r, p, "expected interleave node %d, got %d\n", ilnode, node);
				np_policy_free(pol);
				return 0;
			}
			ilnode = next_node(ilnode, np_policy_nodes(pol));
		} else if (mode != NP_MPOL_DEFAULT &&
			   !np_cpuset_isset(np_policy_nodes(pol), (unsigned int)node)) {
			vwarn(r, p, "unexpected node %d\n", node);
			printf("expected: ");
			print_nodes(np_policy_nodes(pol));
		}
		np_policy_free(pol);
	}
	return 0;
fail:
	errno = -e;
	return shm_perror("get_mempolicy");
}
