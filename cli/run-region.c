/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-region.c - `numaplace run --shm KEYFILE | --file PATH`: a memory policy for shared memory
 * instead of a command, as numactl's --shm/--file do it, but checked before anything is created
 * and worded in numaplace's voice.
 *
 * Terminology:
 *  region    [offset, offset + length) of a SysV segment or of a tmpfs/hugetlbfs file, which
 *            gets the policy; the policy stays with the segment or file after run exits.
 *  key file  the path ftok(3) turns, with --shmid, into the segment's SysV key.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "run.h"

static int set_region(struct run *r, const char *opt, const char *path)
{
	if (r->rg.opt && strcmp(r->rg.opt, opt) == 0)
		return cli_usage("%s given twice", opt);
	if (r->rg.opt)
		return cli_usage("conflicting options '%s' and '%s': give one", r->rg.opt, opt);
	if (!*path)
		return cli_usage("invalid %s '': expected a path", opt);
	r->rg.opt = opt;
	r->rg.path = path;
	return 0;
}

int run_region_option(struct run *r, int c, const char *opt, const char *arg)
{
	unsigned long long v = 0;
	int e = 0;

	switch (c) {
	case 'S': return set_region(r, "--shm", arg);
	case 'f': return set_region(r, "--file", arg);
	case 'o':
		r->rg.offset_s = arg;
		e = cli_parse_size(opt, arg, true, &r->rg.o.offset);
		break;
	case 'L':
		r->rg.length_s = arg;
		/* 0 is refused: a region of no bytes has no policy to hold */
		e = cli_parse_size(opt, arg, false, &r->rg.o.length);
		break;
	case 'M':
		e = cli_parse_mode(opt, arg, &r->rg.o.mode);
		break;
	case 'I':
		/* ftok(3) keeps only the low 8 bits: a larger id would name another segment */
		e = cli_parse_count(opt, arg, 0, 255, &v);
		if (e == 0)
			r->rg.o.shm_id = (int)v;
		break;
	case 'u': r->rg.huge = true; break;
	case 't': r->rg.mbind_flags |= NP_MBIND_STRICT; break;
	case 'T': r->rg.touch = true; break;
	case 'd': r->rg.dump = true; break;
	case 'D': r->rg.dump_nodes = true; break;
	}
	if (!r->rg.needs)
		r->rg.needs = opt;
	return e;
}

int run_region_args(struct run *r, int ncmd, char **cmd)
{
	const char *o = r->rg.opt;

	if (!o)
		return r->rg.needs ? cli_usage("%s needs --shm or --file", r->rg.needs) : 0;
	if (ncmd > 0)
		return cli_usage("unexpected command '%s' with %s: the policy is given to the shared "
				 "memory and nothing is run", cmd[0], o);
	if (r->cpunodes || r->cpus)
		return cli_usage("conflicting options '%s' and '%s': shared memory has no CPU "
				 "binding%s", o, r->cpunodes ? r->cpunodes_opt : r->cpus_opt,
				 r->cpunodes_opt && strcmp(r->cpunodes_opt, "--nodes") == 0 ?
				 "; use --membind" : "");
	if (r->pl.workers || r->pl.ranks)
		return cli_usage("conflicting options '%s' and '%s': plans place a command's threads",
				 o, r->pl.workers ? "--plan" : "--ranks");
	if (r->balancing)
		return cli_usage("conflicting options '%s' and '--balancing': NUMA balancing is a "
				 "process's policy flag, mbind(2) has none", o);
	if (r->rg.huge && strcmp(o, "--file") == 0)
		return cli_usage("--huge is for --shm: a file on hugetlbfs has huge pages already");
	if ((r->rg.mbind_flags & NP_MBIND_STRICT) && r->mode < 0)
		return cli_usage("--strict needs a memory policy (--membind, --interleave, ...)");
	return 0;
}

/* the default huge page size: the smallest the topology lists; 0 when it lists none */
static size_t huge_page_size(const struct np_topo *t)
{
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		const struct np_node *n = np_topo_node(t, i);

		if (n->nhugepages)
			return (size_t)n->hugepages[0].page_size;
	}
	return 0;
}

/* a file's page size as np_region_attach() will see it: st_blksize, or the new file's f_bsize */
static int file_region(struct run *r, size_t *ps, unsigned long long *size)
{
	const char *p = r->rg.path, *slash = strrchr(p, '/');
	struct statvfs vfs;
	struct stat st;
	char *dir;
	int e;

	if (stat(p, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return cli_usage("invalid --file '%s': not a regular file", p);
		*ps = (size_t)st.st_blksize;
		*size = (unsigned long long)st.st_size;
		return 0;
	}
	e = -errno;
	if (e != -ENOENT) {
		cli_error_errno(e, "cannot use --file '%s'", p);
		return e;
	}
	if (!r->rg.o.length) {
		cli_error("invalid --file '%s': no such file; give --length to create it", p);
		return e;
	}
	dir = slash ? strndup(p, slash == p ? 1 : (size_t)(slash - p)) : strdup(".");
	if (!dir)
		return -ENOMEM;
	e = statvfs(dir, &vfs) < 0 ? -errno : 0;
	if (e < 0)
		cli_error_errno(e, "cannot create --file '%s' in '%s'", p, dir);
	free(dir);
	*ps = (size_t)vfs.f_bsize;
	*size = 0;
	return e;
}

/* the size of the segment @r's key file names now, 0 when there is none */
static int sysv_region(struct run *r, unsigned long long *size)
{
	key_t key = ftok(r->rg.path, r->rg.o.shm_id);
	struct shmid_ds ds;
	int id, e;

	*size = 0;
	if (key == -1 && errno == ENOENT && r->rg.o.length)
		return 0;
	if (key == -1 && errno == ENOENT) {
		cli_error("invalid --shm '%s': no such key file; give --length to create it and a "
			  "segment", r->rg.path);
		return -ENOENT;
	}
	if (key == -1) {
		e = -errno;
		cli_error_errno(e, "cannot use --shm '%s'", r->rg.path);
		return e;
	}
	id = shmget(key, 0, 0);
	if (id < 0 && errno == ENOENT && r->rg.o.length)
		return 0;
	if (id < 0 && errno == ENOENT) {
		cli_error("invalid --shm '%s': no segment with its key (0x%08x, --shmid %d); give "
			  "--length to create one", r->rg.path, (unsigned int)key, r->rg.o.shm_id);
		return -ENOENT;
	}
	if (id < 0 || shmctl(id, IPC_STAT, &ds) < 0) {
		e = -errno;
		cli_error_errno(e, "cannot use the segment of --shm '%s'", r->rg.path);
		return e;
	}
	*size = ds.shm_segsz;
	return 0;
}

/*
 * Everything about the region that can be checked without creating anything: the page size,
 * the length (default: to the end of what exists), alignment, and that an existing segment
 * or file holds it.  Unlike numactl, a length that is not given means "to the end", from the
 * offset, for segments as well as files.
 */
int run_region_check(struct run *r)
{
	bool sysv = strcmp(r->rg.opt, "--shm") == 0;
	struct np_region_opts *g = &r->rg.o;
	unsigned long long size = 0;
	size_t ps = (size_t)getpagesize();
	int e;

	if (sysv && r->rg.huge && !(ps = huge_page_size(r->topo))) {
		cli_error("invalid --huge: this machine lists no huge page size");
		return -ENOENT;
	}
	if (sysv && r->rg.huge)
		g->huge_page_size = ps;
	/* sizes go to 2^64 - 1, file offsets (off_t) only to 2^63 - 1 */
	if (g->offset > LLONG_MAX)
		return cli_usage("invalid --offset '%s': past the largest file offset", r->rg.offset_s);
	if (g->length > LLONG_MAX - g->offset)
		return cli_usage("invalid --length '%s': the region would end past the largest file "
				 "offset", r->rg.length_s);
	e = sysv ? sysv_region(r, &size) : file_region(r, &ps, &size);
	if (e)
		return e;
	if (size && !g->length && size <= g->offset) {
		cli_error("invalid --offset '%s': %s '%s' has only %llu bytes; give --length", r->rg.offset_s,
			  r->rg.opt, r->rg.path, size);
		return CLI_USAGE;
	}
	if (!g->length)
		g->length = size - g->offset;
	if (g->offset % ps)
		return cli_usage("invalid --offset '%s': not a multiple of the page size (%zu bytes)",
				 r->rg.offset_s, ps);
	if (g->length % ps && r->rg.length_s)
		return cli_usage("invalid --length '%s': not a multiple of the page size (%zu bytes)",
				 r->rg.length_s, ps);
	if (g->length % ps)
		return cli_usage("invalid %s '%s': its %llu bytes from the offset are not a multiple of "
				 "the page size (%zu bytes); give --length", r->rg.opt, r->rg.path,
				 g->length, ps);
	/* a segment cannot grow: the region must fit in it */
	if (sysv && size && g->offset + g->length > size)
		return cli_usage("invalid --length '%s': --shm '%s' has %llu bytes, the region would "
				 "end at %llu", r->rg.length_s, r->rg.path, size, g->offset + g->length);
	return 0;
}

/* the failed step of np_region_attach(), as run names it */
static const char *step_name(enum np_region_step step, bool sysv)
{
	switch (step) {
	case NP_REGION_SETUP: return NULL;
	case NP_REGION_KEY_FILE: return "create the key file";
	case NP_REGION_FTOK: return "ftok";
	case NP_REGION_LENGTH: return "length";
	case NP_REGION_OPEN: return sysv ? "shmget" : "open";
	case NP_REGION_CREATE: return sysv ? "shmget" : "create";
	case NP_REGION_STAT: return sysv ? "shmctl IPC_STAT" : "stat";
	case NP_REGION_TRUNCATE: return "ftruncate";
	case NP_REGION_ALIGN: return "page alignment";
	default: return sysv ? "shmat" : "mmap";
	}
}

static int region_failed(struct run *r, int e, const char *what, const char *step)
{
	if (e == -EPERM || e == -ENOSYS)
		run_blocked(e, "mbind");
	else if (e == -EIO && (r->rg.mbind_flags & NP_MBIND_STRICT))
		cli_error("cannot apply %s to %s '%s': some of its pages are on other nodes and could "
			  "not be moved (--strict)", r->mode_opt, r->rg.opt, r->rg.path);
	else
		cli_error("cannot %s %s '%s': %s%s%s", what, r->rg.opt, r->rg.path, step ? step : "",
			  step ? ": " : "", np_strerror(e));
	/* leave nothing half-applied: what this run created goes again */
	np_region_detach(r->rg.region, true);
	r->rg.region = NULL;
	return e;
}

static int dump_failed(struct run *r, int e)
{
	cli_error_errno(e, "cannot read the pages of %s '%s'", r->rg.opt, r->rg.path);
	return e;
}

int run_region_apply(struct run *r)
{
	bool sysv = strcmp(r->rg.opt, "--shm") == 0;
	struct np_region_fail fail = { 0 };
	char what[64];
	int e;

	r->rg.o.transactional = true;
	e = np_region_attach(r->rg.path, sysv, &r->rg.o, &r->rg.region, &fail);
	if (e)
		return region_failed(r, e, "attach", step_name(fail.step, sysv));
	if (r->pol && (e = np_region_apply(r->rg.region, r->pol, r->rg.mbind_flags)) < 0) {
		snprintf(what, sizeof(what), "apply %s to", r->mode_opt);
		return region_failed(r, e, what, NULL);
	}
	if (r->rg.touch)
		np_region_touch(r->rg.region);
	if (r->rg.dump && (e = shm_dump(r->rg.region)) != 0)
		return dump_failed(r, e);
	if (r->rg.dump_nodes && (e = shm_dump_nodes(r->rg.region)) != 0)
		return dump_failed(r, e);
	if (fflush(stdout) == EOF) {
		e = -errno;
		cli_error_errno(e, "cannot write to stdout");
	}
	return e;
}
