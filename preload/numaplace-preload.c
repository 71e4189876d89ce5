/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numaplace-preload.c - LD_PRELOAD library behind `numaplace run --plan`: pins each thread of an
 * unmodified program to its place as it is created, as likwid-pin does, and sets its memory
 * policy, so that the plan holds from the thread's first instruction.
 *
 * Terminology:
 *  plan     NUMAPLACE_PLAN: "CPUS@NODE;CPUS@NODE;...", worker k's CPU list and NUMA node (-1
 *           when it spans several); lib/planenv.c writes and reads all three variables.
 *  worker   the main thread is worker 0; each created thread that is not skipped takes the
 *           next worker, wrapping round after the last.
 *  skip     NUMAPLACE_PLAN_SKIP: a hex mask over created threads in creation order (bit 0: the
 *           first pthread_create); set bits are left alone and take no worker, for a runtime's
 *           helper threads (likwid-pin's -s).
 *  mem      NUMAPLACE_PLAN_MEM: local (default) - allocate on the node the thread runs on;
 *           node - prefer the worker's node; none - leave the policy alone.
 *
 * A plan that does not parse leaves the program unpinned (it must still run); with
 * NUMAPLACE_PLAN_DEBUG set, each placement is reported on stderr.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static struct np__planenv plan; /* plan.n == 0: no plan, every thread left alone */
static bool debug;
static atomic_uint created;     /* pthread_create calls seen */
static atomic_uint next_worker = 1; /* the main thread is worker 0 */

static void place(unsigned int worker)
{
	unsigned int k = worker % plan.n;
	struct np_policy *pol = NULL;
	struct np_cpuset *nodes = NULL;
	int r = np_affinity_set(0, plan.cpus[k]), m = 0;

	if (plan.mem == NP_PLAN_MEM_LOCAL) {
		m = np_policy_new(NP_MPOL_LOCAL, NULL, 0, &pol);
	} else if (plan.mem == NP_PLAN_MEM_NODE && plan.node[k] >= 0) {
		m = np_cpuset_new((unsigned int)plan.node[k] + 1, &nodes);
		if (m == 0)
			np_cpuset_set(nodes, (unsigned int)plan.node[k]);
		if (m == 0)
			m = np_policy_new(NP_MPOL_PREFERRED, nodes, 0, &pol);
	}
	if (m == 0 && pol)
		m = np_policy_apply(pol);
	if (debug) {
		char *s = NULL;

		np_cpuset_format_list(plan.cpus[k], 0, &s);
		fprintf(stderr, "numaplace-preload: worker %u -> cpus %s%s%s\n", worker, s ? s : "?",
			r < 0 ? " (affinity failed)" : "", m < 0 ? " (memory policy failed)" : "");
		free(s);
	}
	np_policy_free(pol);
	np_cpuset_free(nodes);
}

__attribute__((constructor)) static void preload_init(void)
{
	int bits = np_affinity_cpu_bits();

	debug = getenv("NUMAPLACE_PLAN_DEBUG") != NULL;
	if (np__planenv_getenv(bits > 0 ? (unsigned int)bits : 1024, &plan) < 0) {
		if (debug && getenv("NUMAPLACE_PLAN"))
			fprintf(stderr, "numaplace-preload: ignoring NUMAPLACE_PLAN '%s'\n",
				getenv("NUMAPLACE_PLAN"));
		return;
	}
	place(0);
}

struct trampoline {
	void *(*fn)(void *);
	void *arg;
	unsigned int worker;
};

static void *start(void *p)
{
	struct trampoline t = *(struct trampoline *)p;

	free(p);
	place(t.worker);
	return t.fn(t.arg);
}

/* the library is built with hidden visibility: this one symbol must be seen */
__attribute__((visibility("default"))) int pthread_create(pthread_t *thread,
							  const pthread_attr_t *attr,
							  void *(*fn)(void *), void *arg);

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	static create_fn real;
	struct trampoline *t;
	unsigned int idx;
	int r;

	if (!real)
		real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
	if (!real)
		return 11; /* EAGAIN: no libpthread to forward to */
	idx = atomic_fetch_add(&created, 1);
	if (!plan.n || (idx < 64 && (plan.skip >> idx & 1)))
		return real(thread, attr, fn, arg);
	t = malloc(sizeof(*t));
	if (!t)
		return real(thread, attr, fn, arg);
	*t = (struct trampoline){ .fn = fn, .arg = arg, .worker = atomic_fetch_add(&next_worker, 1) };
	r = real(thread, attr, start, t);
	if (r != 0)
		free(t);
	return r;
}
