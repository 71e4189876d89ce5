/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-affinity.c - unit tests of CPU affinity: the kernel mask size, get/set of this thread,
 * another thread, every thread of a process (also one that keeps creating threads), the CPU a
 * thread last ran on, and the /proc readers on a made-up sysroot.
 *
 * Terminology: a "child" is a forked process in which a test changes affinity; it reports
 * through a shared page ("res").  "last" is the highest CPU this process may use, so a binding
 * to it is a change whenever more than one CPU is allowed.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

struct res {
	int v[32];
};

static struct res *res;
static struct np_cpuset *allowed;
static int last;

static int in_child(void (*fn)(void))
{
	pid_t pid;
	int st;

	memset(res, 0, sizeof(*res));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static pid_t tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static struct np_cpuset *one_cpu(int cpu)
{
	struct np_cpuset *s;

	if (np_cpuset_new((unsigned int)np_affinity_cpu_bits(), &s) < 0 ||
	    np_cpuset_set(s, (unsigned int)cpu) < 0)
		bail_out("cannot make a CPU set");
	return s;
}

static void test_self(void)
{
	struct np_cpuset *status = NULL;
	int bits = np_affinity_cpu_bits();

	ok(bits > 0 && bits % 64 == 0, "cpu bits %d: a positive multiple of 64", bits);
	ok(bits >= sysconf(_SC_NPROCESSORS_CONF), "... at least the configured CPUs");
	is_int(np_affinity_get(0, &allowed), 0, "np_affinity_get(0)");
	if (!allowed)
		bail_out("no affinity");
	last = np_cpuset_last(allowed);
	ok(last >= 0, "... holds CPUs (last %d)", last);
	is_int(np_task_cpus_allowed(NULL, getpid(), tid(), (unsigned int)bits, &status), 0,
	       "np_task_cpus_allowed of this thread");
	ok(status && np_cpuset_equal(status, allowed), "... equals sched_getaffinity");
	np_cpuset_free(status);
}

static void child_set_self(void)
{
	struct np_cpuset *one = one_cpu(last), *got = NULL, *empty;

	res->v[0] = np_affinity_set(0, one);
	res->v[1] = np_affinity_get(0, &got);
	res->v[2] = got && np_cpuset_equal(got, one);
	/* yield until the scheduler has moved us, then look at where we ran */
	for (int i = 0; i < 1000 && sched_getcpu() != last; i++)
		sched_yield();
	res->v[3] = sched_getcpu();
	res->v[4] = np_task_last_cpu(NULL, getpid(), tid(), &res->v[5]);
	np_cpuset_new(64, &empty);
	res->v[6] = np_affinity_set(0, empty);
	np_cpuset_free(empty);
	np_cpuset_free(got);
	np_cpuset_free(one);
}

static void test_set_self(void)
{
	ok(in_child(child_set_self) == 0, "set-self child ran");
	is_int(res->v[0], 0, "np_affinity_set(0, {%d})", last);
	ok(res->v[1] == 0 && res->v[2], "np_affinity_get reads it back");
	is_int(res->v[3], last, "sched_getcpu() runs on CPU %d", last);
	is_int(res->v[4], 0, "np_task_last_cpu");
	is_int(res->v[5], last, "... says CPU %d", last);
	is_int(res->v[6], -EINVAL, "an empty set is -EINVAL");
}

static void test_bad_sets(void)
{
	int bits = np_affinity_cpu_bits();
	struct np_cpuset *big, *off = NULL;

	np_cpuset_new((unsigned int)bits + 64, &big);
	np_cpuset_set(big, (unsigned int)bits + 1);
	is_int(np_affinity_set(0, big), -EINVAL, "a CPU beyond the kernel's mask is -EINVAL");
	np_cpuset_free(big);
	/* a CPU that is possible in the mask but not online */
	for (int c = bits - 1; c > last; c--) {
		if (!np_cpuset_isset(allowed, (unsigned int)c)) {
			off = one_cpu(c);
			break;
		}
	}
	if (off)
		is_int(np_affinity_set(0, off), -EINVAL, "a CPU that is not online is -EINVAL");
	else
		skip(1, "every CPU of the mask is allowed");
	np_cpuset_free(off);
	is_int(np_affinity_get(0x3ffffff0, &big), -ESRCH, "a thread that does not exist is -ESRCH");
}

/* ---- another thread ---- */

static pthread_barrier_t bar;
static volatile pid_t thread_tid;

static void *sleeper(void *arg)
{
	struct np_cpuset **seen = arg;

	thread_tid = tid();
	pthread_barrier_wait(&bar); /* tid published */
	pthread_barrier_wait(&bar); /* parent bound us */
	np_affinity_get(0, seen);
	return NULL;
}

static void child_thread(void)
{
	struct np_cpuset *one = one_cpu(last), *seen = NULL, *main_cpus = NULL;
	pthread_t t;

	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&t, NULL, sleeper, &seen);
	pthread_barrier_wait(&bar);
	res->v[0] = np_affinity_set(thread_tid, one);
	pthread_barrier_wait(&bar);
	pthread_join(t, NULL);
	res->v[1] = seen && np_cpuset_equal(seen, one);
	np_affinity_get(0, &main_cpus);
	res->v[2] = main_cpus && np_cpuset_equal(main_cpus, allowed);
	np_cpuset_free(seen);
	np_cpuset_free(main_cpus);
	np_cpuset_free(one);
}

static void test_thread(void)
{
	ok(in_child(child_thread) == 0, "thread child ran");
	is_int(res->v[0], 0, "np_affinity_set(tid of another thread)");
	ok(res->v[1], "that thread sees the binding");
	ok(res->v[2], "the main thread keeps its own");
}

/* ---- a whole process ---- */

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *spawner(void *arg)
{
	(void)arg;
	/* keep creating short-lived threads, each of which creates the next */
	for (;;) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle_thread, NULL) == 0)
			pthread_detach(t);
		usleep(2000);
		if (pthread_create(&t, NULL, spawner, NULL) == 0) {
			pthread_detach(t);
			return NULL;
		}
	}
}

static pid_t start_process(int nthreads, bool churn)
{
	int pfd[2];
	pid_t pid;
	char c;

	if (pipe(pfd) < 0)
		bail_out("pipe");
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		for (int i = 0; i < nthreads; i++)
			pthread_create(&t, NULL, idle_thread, NULL);
		if (churn)
			pthread_create(&t, NULL, spawner, NULL);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1)
		bail_out("child did not start");
	close(pfd[0]);
	return pid;
}

/* every thread of @pid bound to @want? */
static int all_bound(pid_t pid, const struct np_cpuset *want, size_t *n)
{
	pid_t *tids = NULL;
	int good = 1;

	if (np_task_list(NULL, pid, &tids, n) < 0)
		return 0;
	for (size_t i = 0; i < *n; i++) {
		struct np_cpuset *got = NULL;

		if (np_affinity_get(tids[i], &got) == 0 && !np_cpuset_equal(got, want))
			good = 0;
		np_cpuset_free(got);
	}
	free(tids);
	return good;
}

static void test_process(void)
{
	struct np_cpuset *one = one_cpu(last);
	unsigned int nbound = 0;
	size_t n = 0;
	pid_t pid;
	int r;

	pid = start_process(4, false);
	is_int(np_affinity_set_process(pid, one, &nbound), 0, "np_affinity_set_process");
	is_int(nbound, 5, "... bound the 5 threads");
	ok(all_bound(pid, one, &n) && n == 5, "every thread has the binding");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	pid = start_process(2, true);
	usleep(20000);
	r = np_affinity_set_process(pid, one, &nbound);
	is_int(r, 0, "np_affinity_set_process on a process that keeps creating threads");
	ok(all_bound(pid, one, &n), "... every thread has the binding afterwards (%zu now)", n);
	diag("bound %u threads", nbound);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	is_int(np_affinity_set_process(pid, one, NULL), -ESRCH, "a process that is gone is -ESRCH");
	is_int(np_affinity_set_process(0, one, NULL), -EINVAL, "pid 0 is -EINVAL");
	np_cpuset_free(one);
}

static void child_eperm(void)
{
	struct np_cpuset *one = one_cpu(last);

	if (setgid(65534) < 0 || setuid(65534) < 0) {
		res->v[9] = 1;
		return;
	}
	res->v[0] = np_affinity_set(1, one);
	np_cpuset_free(one);
}

static void test_eperm(void)
{
	if (geteuid() != 0) {
		skip(2, "not root: cannot drop to another user");
		return;
	}
	ok(in_child(child_eperm) == 0, "unprivileged child ran");
	is_int(res->v[0], -EPERM, "binding another user's process is -EPERM");
}

/* ---- /proc readers on a made-up sysroot ---- */

static void put(const char *root, const char *rel, const char *text)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", root, rel);
	if (system(cmd) != 0)
		bail_out("mkdir");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		bail_out("cannot write the fake sysroot");
}

static void test_sysroot(void)
{
	char root[] = "/tmp/t-affinity.XXXXXX", cmd[128];
	struct np_cpuset *set = NULL;
	pid_t *tids = NULL;
	size_t n = 0;
	int cpu = -1;

	if (!mkdtemp(root))
		bail_out("mkdtemp");
	/* comm with blanks and parentheses: fields resume after the last ')' */
	put(root, "proc/42/task/42/stat",
	    "42 (a) (b c)) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 3 0 100 1000 10 "
	    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 7 0 0 0 0 0\n");
	put(root, "proc/42/task/43/stat", "43 (x) S 1\n");
	put(root, "proc/42/task/42/status", "Name:\ta\nCpus_allowed_list:\t0-3,8\nMems_allowed_list:\t1\n");
	put(root, "proc/42/task/44/status", "Name:\ta\n");
	is_int(np_task_last_cpu(root, 42, 42, &cpu), 0, "last CPU from a captured stat");
	is_int(cpu, 7, "... is field 39 despite a comm with ') ('");
	cpu = -5;
	is_int(np_task_last_cpu(root, 42, 43, &cpu), -EINVAL, "a short stat is -EINVAL");
	is_int(cpu, -5, "... and leaves the output alone");
	is_int(np_task_last_cpu(root, 42, 99, &cpu), -ESRCH, "a missing thread is -ESRCH");
	is_int(np_task_list(root, 42, &tids, &n), 0, "np_task_list on a sysroot");
	ok(n == 3 && tids[0] == 42 && tids[1] == 43 && tids[2] == 44, "... lists 42, 43, 44 in order");
	free(tids);
	is_int(np_task_list(root, 41, &tids, &n), -ESRCH, "a missing process is -ESRCH");
	is_int(np_task_cpus_allowed(root, 42, 42, 16, &set), 0, "Cpus_allowed_list");
	ok(set && np_cpuset_weight(set) == 5 && np_cpuset_isset(set, 8), "... is 0-3,8");
	np_cpuset_free(set);
	set = NULL;
	is_int(np_task_mems_allowed(root, 42, 42, 4, &set), 0, "Mems_allowed_list");
	ok(set && np_cpuset_weight(set) == 1 && np_cpuset_isset(set, 1), "... is 1");
	np_cpuset_free(set);
	is_int(np_task_cpus_allowed(root, 42, 42, 8, &set), -ERANGE, "a CPU beyond the size is -ERANGE");
	is_int(np_task_cpus_allowed(root, 42, 44, 8, &set), -ENOENT, "a missing line is -ENOENT");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		diag("cannot remove %s", root);
}

static void test_live_lists(void)
{
	pid_t *tids = NULL;
	size_t n = 0;
	int cpu = -1;

	is_int(np_task_list(NULL, getpid(), &tids, &n), 0, "np_task_list of this process");
	ok(n >= 1 && tids[0] == getpid(), "... starts with the main thread");
	free(tids);
	is_int(np_task_list(NULL, 0x3ffffff0, &tids, &n), -ESRCH, "a process that does not exist");
	is_int(np_task_last_cpu(NULL, getpid(), getpid(), &cpu), 0, "np_task_last_cpu of this thread");
	ok(np_cpuset_isset(allowed, (unsigned int)cpu), "... an allowed CPU (%d)", cpu);
}

int main(void)
{
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		bail_out("mmap");
	test_self();
	test_set_self();
	test_bad_sets();
	test_thread();
	test_process();
	test_eperm();
	test_sysroot();
	test_live_lists();
	np_cpuset_free(allowed);
	done_testing();
	return exit_status();
}
