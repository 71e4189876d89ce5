/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * shm.h - memory policies for shared memory that outlives a process: SysV segments and files
 * on tmpfs or hugetlbfs, as numactl --shm/--file/--offset/--length/--strict/--touch/--dump/
 * --dump-nodes do them.  Used by the numactl personality and by `numaplace run --shm/--file`.
 *
 * Terminology:
 *  region   the part of the segment or file a policy is given: [offset, offset + length)
 *  key file the file whose inode and the shm id make the SysV key (ftok(3))
 *
 * Every function that fails prints one message in numactl's words, prefixed with
 * program_name, and returns CLI_EXIT(1); so under the numactl personality the messages and
 * exit codes are numactl's own.  With @quiet set (numaplace run, which words its own
 * messages) the attach functions print nothing, announce nothing they create, and return
 * -errno with the failed step in @step (-EINVAL: the region is not page aligned, or has no
 * length); what they created is recorded in @created so that it can be removed again.
 */
#ifndef NP_CLI_SHM_H
#define NP_CLI_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "numaplace.h"

struct shm_region {
	/* settings, given before attaching */
	unsigned long long length; /* --length: 0 = the segment's size (SysV) or an error */
	unsigned long long offset; /* --offset */
	mode_t mode;               /* --shmmode, for what gets created: 0600 */
	long id;                   /* --shmid: ftok()'s project id */
	bool huge;                 /* --huge: SHM_HUGETLB for a new SysV segment */
	unsigned int mbind_flags;  /* NP_MBIND_STRICT with --strict */
	bool nl_on_stdout;         /* numactl 2.0.16's complain(): the final newline on stdout */
	bool quiet;                /* no messages: return -errno and set @step */
	/* after attaching */
	int fd;                    /* SysV shm id or file descriptor; -1 when none is attached */
	char *ptr;                 /* the region's first byte */
	size_t pagesize;           /* the backing page size: base, huge, or the file's st_blksize */
	int failed;                /* set when --verify found a page that breaks the policy */
	const char *step;          /* quiet: what failed ("shmget", "open", ...) */
	unsigned int created;      /* SHM_CREATED_*: what attaching created */
};

#define SHM_CREATED_KEY 0x1     /* the key file */
#define SHM_CREATED_SEGMENT 0x2 /* the SysV segment */
#define SHM_CREATED_FILE 0x4    /* the --file */

void shm_region_init(struct shm_region *r);
/* numactl's memsize(): a number (C syntax) with an optional k, m or g suffix (KiB, MiB, GiB) */
unsigned long long shm_memsize(const char *s);

/* attach (and create when missing) a SysV segment keyed by @keyfile, or a file; @opt names the
 * option for messages ("--shm") */
int shm_attach_sysv(struct shm_region *r, const char *keyfile, const char *opt);
int shm_attach_file(struct shm_region *r, const char *path, const char *opt);

/* detach, and remove what attaching created (@name: the key file or the file given to it;
 * @sysv: which of the two) */
void shm_undo(struct shm_region *r, const char *name, bool sysv);

/* fails when the offset is at or beyond the length, naming @opt */
int shm_check_beyond(const struct shm_region *r, const char *opt);

/* give the region policy @pol (mbind(2) with r->mbind_flags); returns 0 or -errno, silent */
int shm_apply(const struct shm_region *r, const struct np_policy *pol);

/* write every page of the region, so that it is placed now under its policy */
void shm_touch(const struct shm_region *r);

/* print the policies of the region's ranges, or the node of each run of pages, on stdout */
int shm_dump(const struct shm_region *r);
int shm_dump_nodes(const struct shm_region *r);

/* check every page follows @mode over @nodes; mismatches are printed and set r->failed */
int shm_verify(struct shm_region *r, int mode, const struct np_cpuset *nodes);

/* numactl's names of the kernel's policy values ("[6]" past preferred-many) */
const char *shm_policy_name(int policy, char buf[32]);

#endif /* NP_CLI_SHM_H */
