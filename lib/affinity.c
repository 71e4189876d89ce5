/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * affinity.c - which CPUs threads and processes may run on, binding them, and where a thread
 * last ran.
 *
 * Terminology:
 *  tid        a thread id (gettid); the main thread's tid is the pid.  0 is the calling thread
 *             for the sched_*affinity calls.
 *  task       the kernel's word for a thread: /proc/PID/task/TID.
 *  affinity   the set of CPUs a thread may run on (sched_setaffinity(2)); the kernel further
 *             limits it to online CPUs of the thread's cpuset cgroup.
 *  cpu bits   the size of the kernel's CPU mask (nr_cpu_ids rounded up to a long), which
 *             sched_getaffinity() demands at least: smaller buffers get EINVAL.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sysparse.h"

/* the kernel caps nr_cpu_ids far below this; it only stops a runaway loop */
#define MAX_CPU_BITS (1u << 22)

static atomic_int cpu_bits;

/*
 * The size of the kernel's CPU mask, found by asking for this thread's mask in growing
 * buffers; with @keep, the buffer that worked is handed over (the caller frees it), so that a
 * first np_affinity_get(0) costs one system call, not two.
 */
static int cpu_bits_probe(unsigned long **keep)
{
	unsigned long *buf;
	unsigned int n;
	int r = -EINVAL;

	for (n = 64; n <= MAX_CPU_BITS; n *= 2) {
		buf = calloc(NP_WORDS(n), sizeof(*buf));
		if (!buf)
			return -ENOMEM;
		r = sched_getaffinity(0, NP_WORDS(n) * sizeof(*buf), (cpu_set_t *)buf) < 0 ? -errno : 0;
		if (r != -EINVAL)
			break;
		free(buf);
	}
	if (r < 0) {
		if (r != -EINVAL)
			free(buf);
		return r;
	}
	atomic_store(&cpu_bits, (int)n);
	if (keep)
		*keep = buf;
	else
		free(buf);
	return (int)n;
}

int np_affinity_cpu_bits(void)
{
	int n = atomic_load(&cpu_bits);

	return n > 0 ? n : cpu_bits_probe(NULL);
}

int np_affinity_get(pid_t tid, struct np_cpuset **ret)
{
	unsigned long *probed = NULL;
	struct np_cpuset *set;
	int n = atomic_load(&cpu_bits), r;

	if (n <= 0)
		n = cpu_bits_probe(tid == 0 ? &probed : NULL);
	if (n < 0)
		return n;
	r = np_cpuset_new((unsigned int)n, &set);
	if (r < 0) {
		free(probed);
		return r;
	}
	if (probed) {
		memcpy(set->bits, probed, NP_WORDS(set->nbits) * sizeof(unsigned long));
		free(probed);
	} else if (sched_getaffinity(tid, NP_WORDS(set->nbits) * sizeof(unsigned long),
				     (cpu_set_t *)set->bits) < 0) {
		r = -errno;
		np_cpuset_free(set);
		return r;
	}
	*ret = set;
	return 0;
}

int np_affinity_set(pid_t tid, const struct np_cpuset *cpus)
{
	int n = np_affinity_cpu_bits();

	if (n < 0)
		return n;
	/* the kernel would silently drop CPUs beyond its mask: say so instead */
	if (np_cpuset_last(cpus) >= n || np_cpuset_empty(cpus))
		return -EINVAL;
	if (sched_setaffinity(tid, NP_WORDS(cpus->nbits) * sizeof(unsigned long),
			      (const cpu_set_t *)cpus->bits) < 0)
		return -errno;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static int parse_tid(const char *s, pid_t *ret)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > INT32_MAX)
		return -EINVAL;
	*ret = (pid_t)v;
	return 0;
}

static int list_dir(DIR *d, pid_t **ret, size_t *nret)
{
	pid_t *tids = NULL, *nt;
	size_t n = 0, cap = 0;
	struct dirent *de;

	while ((de = readdir(d))) {
		pid_t tid;

		if (parse_tid(de->d_name, &tid) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nt = realloc(tids, cap * sizeof(*tids));
			if (!nt) {
				free(tids);
				return -ENOMEM;
			}
			tids = nt;
		}
		tids[n++] = tid;
	}
	if (n > 1)
		qsort(tids, n, sizeof(*tids), cmp_pid);
	*ret = tids;
	*nret = n;
	return 0;
}

int np_task_list(const char *sysroot, pid_t pid, pid_t **ret, size_t *nret)
{
	struct np_sysfs *fs;
	DIR *d;
	int r;

	if (pid <= 0)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_opendir(fs, &d, "proc/%d/task", (int)pid);
	if (r == -ENOENT)
		r = -ESRCH;
	if (r == 0) {
		r = list_dir(d, ret, nret);
		closedir(d);
	}
	np__sysfs_free(fs);
	return r;
}

static bool contains(const pid_t *sorted, size_t n, pid_t tid)
{
	return n && bsearch(&tid, sorted, n, sizeof(*sorted), cmp_pid);
}

/* one pass: bind the listed threads not bound yet; *added counts them */
static int bind_pass(pid_t pid, const struct np_cpuset *cpus, pid_t **done, size_t *ndone,
		     size_t *added)
{
	pid_t *tids, *nd;
	size_t n;
	int r;

	r = np_task_list(NULL, pid, &tids, &n);
	if (r < 0)
		return r;
	*added = 0;
	for (size_t i = 0; i < n; i++) {
		if (contains(*done, *ndone, tids[i]))
			continue;
		r = np_affinity_set(tids[i], cpus);
		if (r == -ESRCH) /* exited since the listing */
			continue;
		if (r < 0)
			goto free_tids;
		nd = realloc(*done, (*ndone + 1) * sizeof(**done));
		if (!nd) {
			r = -ENOMEM;
			goto free_tids;
		}
		*done = nd;
		nd[(*ndone)++] = tids[i];
		qsort(nd, *ndone, sizeof(*nd), cmp_pid);
		(*added)++;
	}
	r = 0;
free_tids:
	free(tids);
	return r;
}

int np_affinity_set_process(pid_t pid, const struct np_cpuset *cpus, unsigned int *nthreads)
{
	pid_t *done = NULL;
	size_t ndone = 0, added = 0;
	int r = -EAGAIN;

	if (pid <= 0)
		return -EINVAL;
	/*
	 * A thread created by an unbound thread during a pass starts unbound, so list again after
	 * every pass until one finds nothing new.  Threads created by bound threads inherit the
	 * binding, so the loop converges unless the process outruns it.
	 */
	for (int pass = 0; pass < 1000; pass++) {
		r = bind_pass(pid, cpus, &done, &ndone, &added);
		if (r < 0 || added == 0)
			break;
		r = -EAGAIN;
	}
	if (r == 0 && ndone == 0)
		r = -ESRCH;
	if (r == 0 && nthreads)
		*nthreads = (unsigned int)ndone;
	free(done);
	return r;
}

int np__stat_comm(const char *text, const char **start, size_t *len)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');

	if (!open || !close || close < open)
		return -EINVAL;
	*start = open + 1;
	*len = (size_t)(close - open - 1);
	return 0;
}

int np__stat_field(const char *text, unsigned int field, unsigned long long *ret)
{
	const char *p, *tok, *end;
	unsigned long long v;

	/* comm (field 2) may hold blanks and parentheses: the fields resume after the last ')' */
	p = strrchr(text, ')');
	if (!p || field < 3)
		return -EINVAL;
	tok = p + 1 + strspn(p + 1, " ");
	for (unsigned int i = 3; *tok && i < field; i++) {
		tok += strcspn(tok, " ");
		tok += strspn(tok, " ");
	}
	/* a field's number is digits only, up to the blank (or newline) after it */
	if (np__parse_digits(tok, &end, &v) < 0 || (*end && *end != ' ' && *end != '\n'))
		return -EINVAL;
	*ret = v;
	return 0;
}

int np__stat_last_cpu(const char *text, int *ret)
{
	unsigned long long cpu;
	int r;

	r = np__stat_field(text, 39, &cpu);
	if (r < 0)
		return r;
	if (cpu > INT32_MAX)
		return -EINVAL;
	*ret = (int)cpu;
	return 0;
}

int np_task_last_cpu(const char *sysroot, pid_t pid, pid_t tid, int *ret)
{
	struct np_sysfs *fs;
	char buf[4096];
	ssize_t n;
	int r;

	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	n = np__sysfs_read(fs, buf, sizeof(buf), "proc/%d/task/%d/stat", (int)pid, (int)tid);
	np__sysfs_free(fs);
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	return np__stat_last_cpu(buf, ret);
}

const char *np__status_field(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *line = text; line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			const char *v = line + klen + 1 + strspn(line + klen + 1, " \t");

			*len = strcspn(v, "\n");
			return v;
		}
	}
	return NULL;
}

int np__status_set(const char *text, const char *key, unsigned int nbits, bool clamp,
		   struct np_cpuset **ret)
{
	struct np_cpuset *set = NULL;
	const char *v;
	char *value;
	size_t len;
	int r;

	v = np__status_field(text, key, &len);
	if (!v)
		return -ENOENT;
	value = strndup(v, len);
	if (!value)
		return -ENOMEM;
	if (clamp) {
		r = np__parse_clamped(value, nbits, false, &set);
	} else {
		r = np_cpuset_new(nbits, &set);
		if (r == 0)
			r = np_cpuset_parse_list(set, value, NULL);
	}
	free(value);
	if (r < 0) {
		np_cpuset_free(set);
		return r;
	}
	*ret = set;
	return 0;
}

int np__task_status_list(const char *sysroot, pid_t pid, pid_t tid, const char *key,
			 unsigned int nbits, struct np_cpuset **ret)
{
	struct np_sysfs *fs;
	char *text = NULL;
	int r;

	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/%d/task/%d/status", (int)pid, (int)tid);
	np__sysfs_free(fs);
	if (r < 0)
		return r == -ENOENT ? -ESRCH : r;
	r = np__status_set(text, key, nbits, false, ret);
	free(text);
	return r;
}

int np_task_cpus_allowed(const char *sysroot, pid_t pid, pid_t tid, unsigned int nbits,
			 struct np_cpuset **ret)
{
	return np__task_status_list(sysroot, pid, tid, "Cpus_allowed_list", nbits, ret);
}

int np_task_mems_allowed(const char *sysroot, pid_t pid, pid_t tid, unsigned int nbits,
			 struct np_cpuset **ret)
{
	return np__task_status_list(sysroot, pid, tid, "Mems_allowed_list", nbits, ret);
}
