/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-argv.h - what the argv-level targets of the personalities share (fuzz-numactl-argv.c,
 * fuzz-taskset-argv.c): the input made into an argv, the personality's output caught in
 * memory files, and link-time stand-ins (-Wl,--wrap, see the Makefile's FUZZ_ARGV_WRAP) for
 * every call that would change the fuzzer process or the machine.  Include it from one file
 * per target only: it defines the __wrap_ functions.
 *
 * Terminology:
 *  input      the fuzzer's bytes; split at NUL bytes into at most FUZZ_ARGS arguments after a
 *             fixed argv[0] (what follows the last NUL is one more argument).
 *  apply      a call that would change a policy or an affinity: set_mempolicy, mbind,
 *             sched_setaffinity.  It is recorded, with the option (the count of options
 *             getopt_long has returned) being handled when it came, and answered without
 *             changing this task: set_mempolicy is checked by the kernel as mbind of the same
 *             policy on a scratch page, which gives the kernel's verdict on the arguments;
 *             sched_setaffinity answers 0, or the kernel's ESRCH/EPERM for a missing or
 *             foreign PID (kill(pid, 0) asks); mbind reaches only the target's own regions.
 *  region     --shm and --file attach an in-memory file (memfd, through /proc/self/fd) of at
 *             most FUZZ_REGION_MAX bytes instead of a key file, a SysV segment or a file.
 *  exec       execvp() fails with ENOENT, so the personality takes its "cannot execute" path.
 *  probe      np_mpol_probe() runs once, for real (it changes nothing), and is then answered
 *             from that result: its scratch calls are the only ones let through unchanged.
 *  topology  np_topo_load() of the live machine is read once and handed out again (nothing
 *            here changes the machine, and reading sysfs took 70% of a numactl run);
 *            np_topo_free() of that copy does nothing.
 * Reads (get_mempolicy, sched_getaffinity, /sys, /proc) are the real ones.
 */
#ifndef NP_FUZZ_ARGV_H
#define NP_FUZZ_ARGV_H

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "cli.h"

#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

#define FUZZ_ARGS 32
#define FUZZ_REGION_MAX (4ul << 20)
#define FUZZ_REGIONS (FUZZ_ARGS / 2)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what one run reached */
struct fuzz_calls {
	unsigned int opt;        /* options getopt_long returned so far */
	bool opts_done;          /* getopt_long returned -1 */
	long out_at_opt;         /* stdout's position when the current option was returned */
	unsigned int applies;    /* apply calls reached */
	unsigned int first_apply_opt, last_apply_opt;
	unsigned int applies_after_opts; /* reached after getopt_long returned -1 */
	unsigned int affinity;   /* sched_setaffinity calls reached */
	unsigned int execs;      /* execvp calls reached */
	bool seen[256];          /* the short options getopt_long returned */
	unsigned char cpus[1024]; /* the last set sched_setaffinity was given */
	size_t cpus_size;
	struct { char *addr; unsigned long long len; } region[FUZZ_REGIONS];
	unsigned int nregions;
};

static struct fuzz_calls calls;
static bool passthrough = true; /* until LLVMFuzzerInitialize has probed */
static struct np_mpol_caps probed;
static int probe_result;
static void *scratch;
static size_t page;
static struct np_topo *topo_cache;
static int out_fd = -1, err_fd = -1, saved_out = -1, saved_err = -1;

/* ---- the stand-ins ---- */

static void record_apply(void)
{
	if (calls.applies++ == 0)
		calls.first_apply_opt = calls.opt;
	calls.last_apply_opt = calls.opt;
	calls.applies_after_opts += calls.opts_done;
}

/* [addr, addr + len) lies in a region this run attached */
static bool in_region(const void *addr, unsigned long len)
{
	const char *p = addr;

	for (unsigned int i = 0; i < calls.nregions; i++)
		if (p >= calls.region[i].addr && len <= calls.region[i].len &&
		    (unsigned long long)(p - calls.region[i].addr) <= calls.region[i].len - len)
			return true;
	return false;
}

int __real_getopt_long(int argc, char *const *argv, const char *shortopts,
		       const struct option *longopts, int *longind);
int __wrap_getopt_long(int argc, char *const *argv, const char *shortopts,
		       const struct option *longopts, int *longind);
int __wrap_getopt_long(int argc, char *const *argv, const char *shortopts,
		       const struct option *longopts, int *longind)
{
	int c = __real_getopt_long(argc, argv, shortopts, longopts, longind);

	if (c == -1) {
		calls.opts_done = true;
	} else {
		if (c > 0 && c < 256)
			calls.seen[c] = true;
		calls.opt++;
		calls.out_at_opt = ftell(stdout);
	}
	return c;
}

int __wrap_execvp(const char *file, char *const argv[]);
int __wrap_execvp(const char *file, char *const argv[])
{
	check(file && argv && argv[0]);
	calls.execs++;
	errno = ENOENT;
	return -1;
}

int __wrap_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask);
int __wrap_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)
{
	const unsigned char *b = (const unsigned char *)mask;
	bool any = false;

	record_apply();
	calls.affinity++;
	check(mask && size > 0);
	for (size_t i = 0; i < size; i++)
		any |= b[i] != 0;
	calls.cpus_size = size < sizeof(calls.cpus) ? size : sizeof(calls.cpus);
	memcpy(calls.cpus, b, calls.cpus_size);
	/* np_affinity_set() refuses an empty set itself, as the kernel would */
	check(any);
	if (pid < 0) {
		errno = ESRCH;
		return -1;
	}
	return pid == 0 || pid == getpid() ? 0 : kill(pid, 0);
}

long __real_np__mbind(void *addr, unsigned long len, int mode, const unsigned long *nmask,
		      unsigned long nbits, unsigned int flags);
long __wrap_np__mbind(void *addr, unsigned long len, int mode, const unsigned long *nmask,
		      unsigned long nbits, unsigned int flags);
long __wrap_np__mbind(void *addr, unsigned long len, int mode, const unsigned long *nmask,
		      unsigned long nbits, unsigned int flags)
{
	if (!passthrough) {
		record_apply();
		check(in_region(addr, len));
	}
	return __real_np__mbind(addr, len, mode, nmask, nbits, flags);
}

long __real_np__set_mempolicy(int mode, const unsigned long *nmask, unsigned long nbits);
long __wrap_np__set_mempolicy(int mode, const unsigned long *nmask, unsigned long nbits);
long __wrap_np__set_mempolicy(int mode, const unsigned long *nmask, unsigned long nbits)
{
	if (passthrough)
		return __real_np__set_mempolicy(mode, nmask, nbits);
	record_apply();
	return __real_np__mbind(scratch, page, mode, nmask, nbits, 0);
}

long __real_np__migrate_pages(pid_t pid, unsigned long nbits, const unsigned long *from,
			      const unsigned long *to);
long __wrap_np__migrate_pages(pid_t pid, unsigned long nbits, const unsigned long *from,
			      const unsigned long *to);
long __wrap_np__migrate_pages(pid_t pid, unsigned long nbits, const unsigned long *from,
			      const unsigned long *to)
{
	if (passthrough)
		return __real_np__migrate_pages(pid, nbits, from, to);
	record_apply();
	return 0;
}

long __real_np__move_pages(pid_t pid, unsigned long count, void *const *pages, const int *nodes,
			   int *status, int flags);
long __wrap_np__move_pages(pid_t pid, unsigned long count, void *const *pages, const int *nodes,
			   int *status, int flags);
long __wrap_np__move_pages(pid_t pid, unsigned long count, void *const *pages, const int *nodes,
			   int *status, int flags)
{
	/* without nodes it only asks where pages are */
	if (passthrough || !nodes)
		return __real_np__move_pages(pid, count, pages, nodes, status, flags);
	record_apply();
	return 0;
}

long __real_np__set_mempolicy_home_node(unsigned long start, unsigned long len,
					unsigned long home, unsigned long flags);
long __wrap_np__set_mempolicy_home_node(unsigned long start, unsigned long len,
					unsigned long home, unsigned long flags);
long __wrap_np__set_mempolicy_home_node(unsigned long start, unsigned long len,
					unsigned long home, unsigned long flags)
{
	if (!passthrough) {
		record_apply();
		check(in_region((void *)start, len));
	}
	return __real_np__set_mempolicy_home_node(start, len, home, flags);
}

int __real_np_mpol_probe(struct np_mpol_caps *ret);
int __wrap_np_mpol_probe(struct np_mpol_caps *ret);
int __wrap_np_mpol_probe(struct np_mpol_caps *ret)
{
	if (passthrough)
		return __real_np_mpol_probe(ret);
	if (probe_result == 0)
		*ret = probed;
	return probe_result;
}

int __real_np_region_attach(const char *path, bool sysv, const struct np_region_opts *opts,
			    struct np_region **ret, struct np_region_fail *fail);
int __wrap_np_region_attach(const char *path, bool sysv, const struct np_region_opts *opts,
			    struct np_region **ret, struct np_region_fail *fail);
int __wrap_np_region_attach(const char *path, bool sysv, const struct np_region_opts *opts,
			    struct np_region **ret, struct np_region_fail *fail)
{
	struct np_region_opts o = *opts;
	char name[64];
	int fd, e;

	check(path != NULL);
	/* never the real path: with no slot left, fail as a full tmpfs would */
	if (!*path || calls.nregions == FUZZ_REGIONS) {
		if (fail)
			*fail = (struct np_region_fail){ *path ? NP_REGION_CREATE : NP_REGION_SETUP, 0 };
		return *path ? -ENOSPC : -EINVAL;
	}
	/* what tmpfs says to a file bigger than it may hold */
	if (o.length > FUZZ_REGION_MAX || o.offset > FUZZ_REGION_MAX) {
		if (fail)
			*fail = (struct np_region_fail){ NP_REGION_TRUNCATE, 0 };
		return -EFBIG;
	}
	fd = memfd_create("fuzz-region", MFD_CLOEXEC);
	check(fd >= 0);
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	o.huge_page_size = 0;
	o.transactional = false;
	e = __real_np_region_attach(name, false, &o, ret, fail);
	close(fd);
	if (e == 0) {
		calls.region[calls.nregions].addr = np_region_addr(*ret);
		calls.region[calls.nregions++].len = np_region_length(*ret);
	}
	return e;
}

int __real_np_topo_load(const char *sysroot, unsigned int flags, struct np_topo **ret);
int __wrap_np_topo_load(const char *sysroot, unsigned int flags, struct np_topo **ret);
int __wrap_np_topo_load(const char *sysroot, unsigned int flags, struct np_topo **ret)
{
	static struct np_topo *live;
	static unsigned int live_flags;
	static int live_result = 1;

	if (sysroot || (live_result <= 0 && flags != live_flags))
		return __real_np_topo_load(sysroot, flags, ret);
	if (live_result > 0) {
		live_result = __real_np_topo_load(NULL, flags, &live);
		live_flags = flags;
		topo_cache = live;
	}
	if (live_result == 0)
		*ret = live;
	return live_result;
}

void __real_np_topo_free(struct np_topo *topo);
void __wrap_np_topo_free(struct np_topo *topo);
void __wrap_np_topo_free(struct np_topo *topo)
{
	if (topo != topo_cache)
		__real_np_topo_free(topo);
}

/*
 * cli/messages.c's cli_topo_error() asks the packed-capture reader (cli/sysroot-tgz.c, not
 * compiled in) why a sysroot failed; the personalities never take one.
 */
bool cli_sysroot_error(const char *sysroot, int err)
{
	(void)sysroot;
	(void)err;
	return false;
}

/* ---- the run ---- */

/* main()'s exit status for a personality's return (cli/main.c exit_code()) */
static int fuzz_exit_code(int r)
{
	if (r == 0)
		return 0;
	if (r == CLI_USAGE)
		return 2;
	if (r <= CLI_EXIT_BASE)
		return CLI_EXIT_BASE - r;
	return 1;
}

/* probe once for real, set up the scratch page and the output files */
static void fuzz_argv_init(void)
{
	struct np_topo *topo;

	page = (size_t)sysconf(_SC_PAGESIZE);
	scratch = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(scratch != MAP_FAILED);
	probe_result = np_mpol_probe(&probed);
	passthrough = false;
	/* the numactl personality's topology, read now rather than inside the first input */
	if (np_topo_load(NULL, 0, &topo) == 0)
		np_topo_free(topo);
	if (getenv("FUZZ_ARGV_SHOW"))
		return;
	out_fd = memfd_create("fuzz-stdout", MFD_CLOEXEC);
	err_fd = memfd_create("fuzz-stderr", MFD_CLOEXEC);
	saved_out = fcntl(1, F_DUPFD_CLOEXEC, 3);
	saved_err = fcntl(2, F_DUPFD_CLOEXEC, 3);
	check(out_fd >= 0 && err_fd >= 0 && saved_out >= 0 && saved_err >= 0);
	/* sanitizer reports still reach the real stderr while the personality's go to memory */
	__sanitizer_set_report_fd((void *)(intptr_t)saved_err);
}

/* @data as argv: argv[0] is @name, then the NUL-separated arguments; free(argv[0]) frees all */
static char **fuzz_argv(const char *name, const uint8_t *data, size_t size, int *argc)
{
	char **argv = calloc(FUZZ_ARGS + 2, sizeof(*argv));
	char *buf = malloc(strlen(name) + 1 + size + 1);
	int n = 0;

	check(argv && buf);
	strcpy(buf, name);
	argv[n++] = buf;
	if (size) {
		char *s = buf + strlen(name) + 1, *end = s + size;

		memcpy(s, data, size);
		*end = 0;
		while (n <= FUZZ_ARGS && s <= end) {
			argv[n++] = s;
			s += strlen(s) + 1;
		}
	}
	*argc = n;
	return argv;
}

/* a failed run says why: something on stdout or stderr (when caught) */
static void fuzz_check_said(int code)
{
	struct stat o, e;

	if (code == 0 || out_fd < 0)
		return;
	check(fstat(out_fd, &o) == 0 && fstat(err_fd, &e) == 0);
	check(o.st_size + e.st_size > 0);
}

static void fuzz_argv_free(char **argv)
{
	free(argv[0]);
	free(argv);
}

/* start a run: getopt from the start, output to the empty memory files */
static void fuzz_run_begin(void)
{
	memset(&calls, 0, sizeof(calls));
	optind = 0;
	opterr = 1;
	if (out_fd < 0)
		return;
	fflush(stdout);
	check(ftruncate(out_fd, 0) == 0 && ftruncate(err_fd, 0) == 0);
	lseek(out_fd, 0, SEEK_SET);
	lseek(err_fd, 0, SEEK_SET);
	dup2(out_fd, 1);
	dup2(err_fd, 2);
}

static void fuzz_run_end(void)
{
	fflush(stdout);
	clearerr(stdout);
	if (out_fd < 0)
		return;
	dup2(saved_out, 1);
	dup2(saved_err, 2);
}

/* what the run wrote on @fd from @from on, NUL-terminated; NULL when not caught */
static char *fuzz_output(int fd, long from)
{
	struct stat st;
	char *s;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	if (from < 0 || from > st.st_size)
		from = 0;
	s = malloc((size_t)(st.st_size - from) + 1);
	check(s != NULL);
	n = pread(fd, s, (size_t)(st.st_size - from), from);
	s[n > 0 ? n : 0] = 0;
	return s;
}

#endif /* NP_FUZZ_ARGV_H */
