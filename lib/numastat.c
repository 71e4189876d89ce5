/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numastat.c - how busy and how full each NUMA node is: the kernel's per-node NUMA counters,
 * per-node meminfo, the NUMA rows of /proc/vmstat, and a task's NUMA balancing faults.
 *
 * Terminology:
 *  counter   a row of sys/devices/system/node/nodeN/numastat ("numa_hit 123"), in pages:
 *            numa_hit, numa_miss, numa_foreign, interleave_hit, local_node, other_node
 *  meminfo   a row of nodeN/meminfo ("Node 0 MemFree:  123 kB"), in KiB except the
 *            HugePages_* rows, which count huge pages
 *  vmstat    the rows of /proc/vmstat about NUMA: numa_*, pgmigrate_*, pgdemote_*,
 *            pgpromote_* (events or pages since boot)
 *  faults    NUMA hinting faults the scheduler charged to a task per node (/proc/PID/sched,
 *            "numa_faults node=N task_private=..."), present only with CONFIG_NUMA_BALANCING
 *  kernel thread  a task with PF_KTHREAD in the flags of /proc/PID/stat (field 9): it has no
 *            user memory (an empty numa_maps) and no command line
 *
 * Rows keep the kernel's names and order, so a kernel that adds rows needs no change here.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sysparse.h"

#define MAX_NODE 65535

/* the public result and the text its names point into */
struct stat_impl {
	struct np_numastat pub;
	char **texts;
	size_t ntexts;
};

static int keep_text(struct stat_impl *s, char *text)
{
	char **t = realloc(s->texts, (s->ntexts + 1) * sizeof(*t));

	if (!t) {
		free(text);
		return -ENOMEM;
	}
	s->texts = t;
	s->texts[s->ntexts++] = text;
	return 0;
}

static int number(const char *s, unsigned long long *ret)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*ret = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	while (*end == ' ')
		end++;
	return *end == '\0' || strcmp(end, "kB") == 0 ? 0 : -EINVAL;
}

static int push(struct np_stat_value **v, size_t *n, const char *name, unsigned long long val)
{
	struct np_stat_value *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	nv[*n] = (struct np_stat_value){ name, val };
	*v = nv;
	(*n)++;
	return 0;
}

/* does @name pass @prefixes (NULL: every row) */
static bool wanted(const char *name, const char *const *prefixes)
{
	if (!prefixes)
		return true;
	for (; *prefixes; prefixes++)
		if (strncmp(name, *prefixes, strlen(*prefixes)) == 0)
			return true;
	return false;
}

/* One row "NAME VALUE" or "[Node N ]NAME: VALUE[ kB]", cut in place; 0, 1 to skip, -EINVAL. */
static int parse_row(char *line, const char *const *prefixes, const char **name,
		     unsigned long long *x)
{
	char *val;

	/* meminfo of kernels before 2.6.32 starts with an empty line */
	if (!*line)
		return 1;
	if (strncmp(line, "Node ", 5) == 0)
		line = strchr(line + 5, ' ') ? strchr(line + 5, ' ') + 1 : line;
	*name = line;
	val = line + strcspn(line, " :");
	if (val == line || !*val)
		return -EINVAL;
	*val++ = '\0';
	while (*val == ' ')
		val++;
	if (number(val, x) < 0)
		return -EINVAL;
	return wanted(*name, prefixes) ? 0 : 1;
}

/*
 * A line that does not parse is -EINVAL: a capture with a damaged file should say so, not
 * show a short table.
 */
int np__stat_rows(char *text, const char *const *prefixes, struct np_stat_value **ret, size_t *n)
{
	struct np_stat_value *v = NULL;
	size_t count = 0;
	char *line, *eol;
	int r = 0;

	for (line = text; r >= 0 && line && *line; line = eol) {
		const char *name;
		unsigned long long x;

		eol = strchr(line, '\n');
		if (eol)
			*eol++ = '\0';
		r = parse_row(line, prefixes, &name, &x);
		if (r == 0)
			r = push(&v, &count, name, x);
	}
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*n = count;
	return 0;
}

/* read @path and add its rows; an absent file leaves none (a kernel or capture without it) */
static int read_rows(struct stat_impl *s, const struct np_sysfs *fs, const char *path,
		     const char *const *prefixes, struct np_stat_value **v, size_t *n)
{
	char *text;
	int r = np__sysfs_read_alloc(fs, &text, NULL, "%s", path);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = keep_text(s, text);
	return r < 0 ? r : np__stat_rows(text, prefixes, v, n);
}

static int load_node(struct stat_impl *s, const struct np_sysfs *fs, struct np_node_stat *ns)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "sys/devices/system/node/node%u/numastat", ns->node);
	r = read_rows(s, fs, path, NULL, &ns->counters, &ns->ncounters);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "sys/devices/system/node/node%u/meminfo", ns->node);
	return read_rows(s, fs, path, NULL, &ns->meminfo, &ns->nmeminfo);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

static int load_nodes(struct stat_impl *s, const struct np_sysfs *fs)
{
	unsigned int *ids = NULL, count = 0;
	int r = np__sysfs_dir_ids(fs, "sys/devices/system/node", "node", MAX_NODE, &ids, &count);

	if (r == -ENOENT)
		r = -ENODEV;
	if (r < 0)
		return r;
	if (count == 0) {
		free(ids);
		return -ENODEV;
	}
	qsort(ids, count, sizeof(*ids), cmp_uint);
	s->pub.nodes = calloc(count, sizeof(*s->pub.nodes));
	if (!s->pub.nodes) {
		free(ids);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < count; i++)
		s->pub.nodes[i].node = ids[i];
	s->pub.nnodes = count;
	free(ids);
	for (size_t i = 0; i < s->pub.nnodes && r == 0; i++)
		r = load_node(s, fs, &s->pub.nodes[i]);
	return r;
}

/* Hugepagesize from proc/meminfo: what numastat -m converts HugePages_* with */
static void load_hugepage_size(struct stat_impl *s, const struct np_sysfs *fs)
{
	static const char *const only[] = { "Hugepagesize", NULL };
	struct np_stat_value *v = NULL;
	size_t n = 0;

	if (read_rows(s, fs, "proc/meminfo", only, &v, &n) == 0 && n == 1)
		s->pub.hugepage_kb = v[0].value;
	free(v);
}

void np_numastat_free(struct np_numastat *pub)
{
	struct stat_impl *s = (struct stat_impl *)pub;

	if (!s)
		return;
	for (size_t i = 0; i < s->pub.nnodes; i++) {
		free(s->pub.nodes[i].counters);
		free(s->pub.nodes[i].meminfo);
	}
	free(s->pub.nodes);
	free(s->pub.vmstat);
	for (size_t i = 0; i < s->ntexts; i++)
		free(s->texts[i]);
	free(s->texts);
	free(s);
}

int np_numastat_load(const char *sysroot, struct np_numastat **ret)
{
	static const char *const vm_rows[] = { "numa_", "pgmigrate_", "pgdemote_", "pgpromote_",
					       NULL };
	struct stat_impl *s = calloc(1, sizeof(*s));
	struct np_sysfs *fs = NULL;
	int r;

	if (!s)
		return -ENOMEM;
	r = np__sysfs_open(sysroot, &fs);
	if (r == 0)
		r = load_nodes(s, fs);
	if (r == 0)
		r = read_rows(s, fs, "proc/vmstat", vm_rows, &s->pub.vmstat, &s->pub.nvmstat);
	if (r == 0)
		load_hugepage_size(s, fs);
	np__sysfs_free(fs);
	if (r < 0) {
		np_numastat_free(&s->pub);
		return r;
	}
	*ret = &s->pub;
	return 0;
}

int np_stat_find(const struct np_stat_value *v, size_t n, const char *name,
		 unsigned long long *ret)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0) {
			*ret = v[i].value;
			return 0;
		}
	return -ENOENT;
}

/*
 * "name   :   value" of /proc/PID/sched (the kernel's P() and PN() lines): -ENOENT when the
 * line is another's; the value may be negative only with @sign (numa_preferred_nid's -1).
 */
static int sched_value(const char *line, const char *name, bool sign, long long *ret)
{
	size_t n = strlen(name);
	const char *p = line + n;
	unsigned long long v;
	bool neg;

	if (strncmp(line, name, n) != 0 || (*p != ' ' && *p != ':'))
		return -ENOENT;
	p += strspn(p, " ");
	if (*p++ != ':')
		return -ENOENT;
	p += strspn(p, " \t");
	neg = sign && *p == '-';
	p += neg;
	if (np__parse_digits(p, &p, &v) < 0 || v > (unsigned long long)INT64_MAX ||
	    (*p && *p != ' '))
		return -EINVAL;
	*ret = neg ? -(long long)v : (long long)v;
	return 0;
}

/* "KEY=DIGITS" at *@p, then the blanks after it. */
static int key_value(const char **p, const char *key, unsigned long long *ret)
{
	size_t n = strlen(key);

	if (strncmp(*p, key, n) != 0 || (*p)[n] != '=')
		return -EINVAL;
	*p += n + 1;
	if (np__parse_digits(*p, p, ret) < 0)
		return -EINVAL;
	*p += strspn(*p, " ");
	return 0;
}

/* "numa_faults node=N task_private=A task_shared=B group_private=C group_shared=D" */
static int sched_faults(struct np_task_numastat *t, const char *line)
{
	struct np_numa_faults f;
	unsigned long long node;
	const char *p = line + strlen("numa_faults ");

	p += strspn(p, " ");
	if (key_value(&p, "node", &node) < 0 || key_value(&p, "task_private", &f.task_private) < 0 ||
	    key_value(&p, "task_shared", &f.task_shared) < 0 ||
	    key_value(&p, "group_private", &f.group_private) < 0 ||
	    key_value(&p, "group_shared", &f.group_shared) < 0)
		return -EINVAL;
	if (node > MAX_NODE)
		return -ERANGE;
	if (node >= t->nnodes) {
		struct np_numa_faults *nf = realloc(t->faults, (node + 1) * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		memset(nf + t->nnodes, 0, (node + 1 - t->nnodes) * sizeof(*nf));
		t->faults = nf;
		t->nnodes = (unsigned int)node + 1;
	}
	t->faults[node] = f;
	return 0;
}

/* A damaged value of a known line is -EINVAL, as a damaged counter row is. */
static int sched_line(struct np_task_numastat *t, const char *line)
{
	long long v = 0;
	int r;

	if (strncmp(line, "numa_faults ", 12) == 0) {
		t->balancing = true;
		return sched_faults(t, line);
	}
	if ((r = sched_value(line, "numa_pages_migrated", false, &v)) != -ENOENT) {
		t->balancing = true;
		t->pages_migrated = (unsigned long long)v;
	} else if ((r = sched_value(line, "numa_preferred_nid", true, &v)) != -ENOENT) {
		if (r == 0 && (v < -1 || v > MAX_NODE))
			r = -EINVAL;
		t->preferred_node = r == 0 ? (int)v : -1;
	} else if ((r = sched_value(line, "total_numa_faults", false, &v)) != -ENOENT) {
		t->total_faults = (unsigned long long)v;
	}
	return r == -ENOENT ? 0 : r;
}

int np__sched_parse(char *text, struct np_task_numastat **ret)
{
	struct np_task_numastat *t = calloc(1, sizeof(*t));
	char *line, *eol;
	int r = 0;

	if (!t)
		return -ENOMEM;
	t->preferred_node = -1;
	for (line = text; r == 0 && line && *line; line = eol) {
		eol = strchr(line, '\n');
		if (eol)
			*eol++ = '\0';
		r = sched_line(t, line);
	}
	if (r < 0) {
		np_task_numastat_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

void np_task_numastat_free(struct np_task_numastat *t)
{
	if (!t)
		return;
	free(t->faults);
	free(t);
}

int np_task_numastat(const char *sysroot, pid_t pid, struct np_task_numastat **ret)
{
	struct np_sysfs *fs;
	char *text = NULL;
	int r;

	if (pid <= 0)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/%d/sched", (int)pid);
	/* no sched file (no CONFIG_SCHED_DEBUG, or a capture): no faults to report */
	if (r == -ENOENT)
		r = np__sysfs_exists(fs, "proc/%d", (int)pid) ? 0 : -ESRCH;
	np__sysfs_free(fs);
	if (r == 0)
		r = np__sched_parse(text, ret);
	free(text);
	return r;
}

int np_task_comm(const char *sysroot, pid_t pid, char *buf, size_t size)
{
	struct np_sysfs *fs;
	char comm[64];
	ssize_t n;
	int r;

	if (pid <= 0 || size == 0)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	n = np__sysfs_read(fs, comm, sizeof(comm), "proc/%d/comm", (int)pid);
	np__sysfs_free(fs);
	if (n == -ENOENT)
		return -ESRCH;
	if (n < 0)
		return (int)n;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, comm, (size_t)n + 1);
	return 0;
}

/* PF_KTHREAD of include/linux/sched.h: the task has no user address space */
#define PF_KTHREAD 0x00200000ul

int np_task_kernel_thread(const char *sysroot, pid_t pid, bool *ret)
{
	struct np_sysfs *fs;
	unsigned long long flags;
	char buf[1024];
	ssize_t n;
	int r;

	if (pid <= 0 || !ret)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	n = np__sysfs_read(fs, buf, sizeof(buf), "proc/%d/stat", (int)pid);
	np__sysfs_free(fs);
	if (n == -ENOENT)
		return -ESRCH;
	if (n < 0)
		return (int)n;
	/* flags is field 9 */
	r = np__stat_field(buf, 9, &flags);
	if (r < 0)
		return r;
	*ret = (flags & PF_KTHREAD) != 0;
	return 0;
}

/*
 * Does @pid's command line hold @pattern?  numastat -p matches the same text: the arguments
 * joined by blanks.  Kernel threads have none and never match.
 */
static bool cmdline_has(const struct np_sysfs *fs, unsigned int pid, const char *pattern)
{
	char *text = NULL;
	size_t len = 0;
	bool hit;

	if (np__sysfs_read_alloc(fs, &text, &len, "proc/%u/cmdline", pid) < 0)
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	hit = len > 0 && strstr(text, pattern) != NULL;
	free(text);
	return hit;
}

int np_task_match(const char *sysroot, const char *pattern, pid_t **ret, size_t *nret)
{
	unsigned int *ids = NULL, count = 0;
	struct np_sysfs *fs;
	pid_t *pids = NULL;
	size_t n = 0;
	int r;

	if (!pattern || !*pattern)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_dir_ids(fs, "proc", "", INT32_MAX, &ids, &count);
	if (r == 0 && count) {
		pids = malloc(count * sizeof(*pids));
		if (!pids)
			r = -ENOMEM;
	}
	if (r == 0) {
		qsort(ids, count, sizeof(*ids), cmp_uint);
		for (unsigned int i = 0; i < count; i++)
			if (!(fs->live && ids[i] == (unsigned int)getpid()) &&
			    cmdline_has(fs, ids[i], pattern))
				pids[n++] = (pid_t)ids[i];
	}
	np__sysfs_free(fs);
	free(ids);
	if (r < 0) {
		free(pids);
		return r;
	}
	*ret = pids;
	*nret = n;
	return 0;
}
